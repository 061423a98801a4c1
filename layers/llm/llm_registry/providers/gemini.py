"""Google Gemini API through google-genai, with JSON mode and a response JSON schema.

`response_json_schema` takes standard JSON Schema (the older `response_schema` takes Google's OpenAPI
subset), so the same self-contained schema as the other providers is sent. Thought tokens are billed as
output, so they are counted as output tokens."""

from __future__ import annotations

from typing import Any

from llm_registry.attempts import ErrorKind
from llm_registry.errors import ProviderError
from llm_registry.providers._classify import classify_http_sdk_error
from llm_registry.providers.base import KeyedProvider
from llm_registry.request import ProviderCall, ProviderReply

# Finish reasons meaning the answer was withheld for policy reasons.
_BLOCKED = frozenset(
    {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"}
)


class GeminiProvider(KeyedProvider):
    default_name = "gemini"

    def _build_client(self) -> Any:
        from google import genai  # google-genai alone takes ~0.5 s to import
        from google.genai import types

        options = types.HttpOptions(
            base_url=self._base_url,
            timeout=int(self.timeout_s * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        return genai.Client(api_key=self._api_key, http_options=options)

    def generate(self, call: ProviderCall) -> ProviderReply:
        client = self._sdk_client()
        from google.genai import types

        contents = [types.Content(role="user", parts=[types.Part(text=call.request.prompt)])]
        if call.repair is not None:
            contents.append(types.Content(role="model", parts=[types.Part(text=call.repair.previous_answer)]))
            contents.append(types.Content(role="user", parts=[types.Part(text=call.repair.message())]))
        config = types.GenerateContentConfig(
            system_instruction=call.request.system,
            response_mime_type="application/json",
            response_json_schema=call.schema.json_schema,
            max_output_tokens=call.request.max_output_tokens,
            http_options=types.HttpOptions(timeout=max(1, int(call.timeout_s * 1000))),
        )
        try:
            response = client.models.generate_content(model=self.model, contents=contents, config=config)
        except Exception as exc:
            raise classify_http_sdk_error(exc) from exc
        return _reply_from(response)


def _enum_name(value: Any) -> str:
    return str(getattr(value, "name", value) or "")


def _reply_from(response: Any) -> ProviderReply:
    usage = getattr(response, "usage_metadata", None)
    input_tokens = getattr(usage, "prompt_token_count", None)
    candidates_tokens = getattr(usage, "candidates_token_count", None)
    thought_tokens = getattr(usage, "thoughts_token_count", None)
    output_tokens = None
    if candidates_tokens is not None or thought_tokens is not None:
        output_tokens = (candidates_tokens or 0) + (thought_tokens or 0)
    tokens = {"input_tokens": input_tokens, "output_tokens": output_tokens}

    feedback = getattr(response, "prompt_feedback", None)
    if feedback is not None and getattr(feedback, "block_reason", None):
        raise ProviderError(ErrorKind.REFUSAL, **tokens)
    candidates = getattr(response, "candidates", None) or []
    if not candidates:
        raise ProviderError(ErrorKind.EMPTY, **tokens)
    candidate = candidates[0]
    finish = _enum_name(getattr(candidate, "finish_reason", None))
    if finish in _BLOCKED:
        raise ProviderError(ErrorKind.REFUSAL, **tokens)
    if finish == "MAX_TOKENS":
        raise ProviderError(ErrorKind.TRUNCATED, **tokens)
    parts = getattr(getattr(candidate, "content", None), "parts", None) or []
    # Thought summaries are not the answer.
    text = "".join(
        part.text for part in parts if getattr(part, "text", None) and not getattr(part, "thought", False)
    )
    if not text.strip():
        raise ProviderError(ErrorKind.EMPTY, **tokens)
    return ProviderReply(content=text, input_tokens=input_tokens, output_tokens=output_tokens)
