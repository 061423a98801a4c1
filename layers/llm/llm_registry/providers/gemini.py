"""Google Gemini API through google-genai, with the output mode and thinking settings of the model's family.

The model's row in `capabilities.GEMINI` decides: JSON mode plus `response_json_schema` (standard JSON
Schema, Gemini 2.5 and later) or JSON mode with the schema in the instructions (other models); and the
`thinking_config` (a `thinking_level` for Gemini 3 models, a `thinking_budget` for 2.5 models; the lowest
each accepts). Thought tokens are billed as output, so they are counted as output tokens, and the output
limit leaves room for them."""

from __future__ import annotations

from typing import Any

from llm_registry.attempts import ErrorKind
from llm_registry.capabilities import ModelProfile, profile_for
from llm_registry.errors import ProviderError
from llm_registry.providers._classify import classify_http_sdk_error
from llm_registry.providers.base import KeyedProvider, schema_instruction
from llm_registry.request import ProviderCall, ProviderReply

# Finish reasons meaning the answer was withheld for policy reasons.
_BLOCKED = frozenset(
    {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"}
)


class GeminiProvider(KeyedProvider):
    default_name = "gemini"

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 20.0,
        name: str | None = None,
    ) -> None:
        super().__init__(model=model, api_key=api_key, base_url=base_url, timeout_s=timeout_s, name=name)
        self.profile: ModelProfile = profile_for("gemini", model)

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

        # The shared prefix leads the user turn: Gemini 2.5 and later cache common prompt prefixes implicitly
        # (https://ai.google.dev/gemini-api/docs/caching: "put large and common contents at the beginning").
        contents = [types.Content(role="user", parts=[types.Part(text=call.request.user_text)])]
        if call.repair is not None:
            contents.append(types.Content(role="model", parts=[types.Part(text=call.repair.previous_answer)]))
            contents.append(types.Content(role="user", parts=[types.Part(text=call.repair.message())]))
        profile = self.profile
        config: dict[str, Any] = {
            "system_instruction": call.request.system,
            "response_mime_type": "application/json",
            "max_output_tokens": profile.output_budget(call.request.max_output_tokens),
            "http_options": types.HttpOptions(timeout=max(1, int(call.timeout_s * 1000))),
        }
        if profile.mechanism == "json_schema":
            config["response_json_schema"] = call.schema.json_schema
        else:
            config["system_instruction"] = (
                f"{call.request.system}\n\n{schema_instruction(call.schema.json_schema)}"
            )
        if profile.gemini_thinking is not None:
            config["thinking_config"] = types.ThinkingConfig(**profile.gemini_thinking)
        try:
            response = client.models.generate_content(
                model=self.model, contents=contents, config=types.GenerateContentConfig(**config)
            )
        except Exception as exc:
            raise classify_http_sdk_error(exc) from exc
        return _reply_from(response)


def _enum_name(value: Any) -> str:
    return str(getattr(value, "name", value) or "")


def _reply_from(response: Any) -> ProviderReply:
    usage = getattr(response, "usage_metadata", None)
    input_tokens = getattr(usage, "prompt_token_count", None)  # cached content included
    cached = getattr(usage, "cached_content_token_count", None)
    candidates_tokens = getattr(usage, "candidates_token_count", None)
    thought_tokens = getattr(usage, "thoughts_token_count", None)
    output_tokens = None
    if candidates_tokens is not None or thought_tokens is not None:
        output_tokens = (candidates_tokens or 0) + (thought_tokens or 0)
    tokens: dict[str, Any] = {"input_tokens": input_tokens, "output_tokens": output_tokens}

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
    return ProviderReply(
        content=text,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_tokens=cached if isinstance(cached, int) else None,
    )
