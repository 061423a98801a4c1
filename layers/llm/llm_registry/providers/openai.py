"""OpenAI Chat Completions with JSON-schema structured output (strict when the schema allows it)."""

from __future__ import annotations

import json
from typing import Any, Literal

from llm_registry.attempts import ErrorKind
from llm_registry.errors import ProviderError
from llm_registry.providers._classify import classify_http_sdk_error
from llm_registry.providers.base import KeyedProvider
from llm_registry.request import ProviderCall, ProviderReply

ResponseFormat = Literal["json_schema", "json_object"]


class OpenAIProvider(KeyedProvider):
    default_name = "openai"

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 20.0,
        name: str | None = None,
        response_format: ResponseFormat = "json_schema",
        use_strict: bool = True,
        token_limit_param: str = "max_completion_tokens",  # noqa: S107 - a parameter name, not a secret
    ) -> None:
        super().__init__(model=model, api_key=api_key, base_url=base_url, timeout_s=timeout_s, name=name)
        self._response_format: ResponseFormat = response_format
        self._use_strict = use_strict
        # GPT-5 family models reject `max_tokens`; many OpenAI-compatible servers only know `max_tokens`.
        self._token_limit_param = token_limit_param

    def _build_client(self) -> Any:
        import openai

        return openai.OpenAI(
            api_key=self._api_key, base_url=self._base_url, max_retries=0, timeout=self.timeout_s
        )

    def _response_format_param(self, call: ProviderCall) -> tuple[dict[str, Any], str | None]:
        """The response_format and, in JSON-object mode, an instruction carrying the schema."""
        schema = call.schema
        if self._response_format == "json_object":
            instruction = (
                "Answer with a single JSON object, and nothing else, that conforms to this JSON schema:\n"
                + json.dumps(schema.json_schema, ensure_ascii=False)
            )
            return {"type": "json_object"}, instruction
        strict = self._use_strict and schema.strict_schema is not None
        json_schema = {
            "name": schema.name,
            "schema": schema.strict_schema if strict else schema.json_schema,
            "strict": strict,
        }
        return {"type": "json_schema", "json_schema": json_schema}, None

    def _messages(self, call: ProviderCall, instruction: str | None) -> list[dict[str, str]]:
        system = call.request.system if instruction is None else f"{call.request.system}\n\n{instruction}"
        messages = [{"role": "system", "content": system}, {"role": "user", "content": call.request.prompt}]
        if call.repair is not None:
            messages.append({"role": "assistant", "content": call.repair.previous_answer})
            messages.append({"role": "user", "content": call.repair.message()})
        return messages

    def generate(self, call: ProviderCall) -> ProviderReply:
        client = self._sdk_client()
        response_format, instruction = self._response_format_param(call)
        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=self._messages(call, instruction),
                response_format=response_format,
                timeout=call.timeout_s,
                **{self._token_limit_param: call.request.max_output_tokens},
            )
        except Exception as exc:
            raise classify_http_sdk_error(exc) from exc
        return _reply_from(completion)


def _reply_from(completion: Any) -> ProviderReply:
    usage = getattr(completion, "usage", None)
    input_tokens = getattr(usage, "prompt_tokens", None)
    output_tokens = getattr(usage, "completion_tokens", None)
    tokens = {"input_tokens": input_tokens, "output_tokens": output_tokens}
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise ProviderError(ErrorKind.EMPTY, **tokens)
    choice = choices[0]
    message = choice.message
    if getattr(message, "refusal", None) or choice.finish_reason == "content_filter":
        raise ProviderError(ErrorKind.REFUSAL, **tokens)
    if choice.finish_reason == "length":
        raise ProviderError(ErrorKind.TRUNCATED, **tokens)
    content = message.content
    if not content or not content.strip():
        raise ProviderError(ErrorKind.EMPTY, **tokens)
    return ProviderReply(content=content, input_tokens=input_tokens, output_tokens=output_tokens)
