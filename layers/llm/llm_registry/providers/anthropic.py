"""Anthropic Messages API with structured output by forced tool use.

The output schema becomes the input schema of a single tool, and `tool_choice` forces the model to call
it, so the answer arrives as the tool call's (already parsed) input. Forced tool choice is not allowed
while thinking is on, and recent Claude models think by default, so thinking is disabled explicitly.
A repair turn shows the previous answer as plain assistant text followed by the problems, which needs no
tool_use/tool_result pairing and works the same whether the model called the tool or wrote text."""

from __future__ import annotations

from typing import Any

from llm_registry.attempts import ErrorKind
from llm_registry.errors import ProviderError
from llm_registry.providers._classify import classify_http_sdk_error
from llm_registry.providers.base import TOOL_DESCRIPTION, KeyedProvider
from llm_registry.request import ProviderCall, ProviderReply


class AnthropicProvider(KeyedProvider):
    default_name = "anthropic"

    def _build_client(self) -> Any:
        import anthropic

        return anthropic.Anthropic(
            api_key=self._api_key, base_url=self._base_url, max_retries=0, timeout=self.timeout_s
        )

    @staticmethod
    def _messages(call: ProviderCall) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = [{"role": "user", "content": call.request.prompt}]
        if call.repair is not None:
            messages.append({"role": "assistant", "content": call.repair.previous_answer})
            messages.append({"role": "user", "content": call.repair.message()})
        return messages

    def generate(self, call: ProviderCall) -> ProviderReply:
        client = self._sdk_client()
        tool = {
            "name": call.schema.name,
            "description": TOOL_DESCRIPTION,
            "input_schema": call.schema.json_schema,
        }
        try:
            message = client.messages.create(
                model=self.model,
                max_tokens=call.request.max_output_tokens,
                system=call.request.system,
                messages=self._messages(call),
                tools=[tool],
                tool_choice={"type": "tool", "name": call.schema.name},
                thinking={"type": "disabled"},
                timeout=call.timeout_s,
            )
        except Exception as exc:
            raise classify_http_sdk_error(exc) from exc
        return _reply_from(message, call.schema.name)


def _reply_from(message: Any, tool_name: str) -> ProviderReply:
    usage = getattr(message, "usage", None)
    input_tokens = getattr(usage, "input_tokens", None)
    output_tokens = getattr(usage, "output_tokens", None)
    tokens = {"input_tokens": input_tokens, "output_tokens": output_tokens}
    if message.stop_reason == "refusal":
        raise ProviderError(ErrorKind.REFUSAL, **tokens)
    if message.stop_reason == "max_tokens":
        raise ProviderError(ErrorKind.TRUNCATED, **tokens)
    blocks = list(getattr(message, "content", None) or [])
    for block in blocks:
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == tool_name:
            if not isinstance(block.input, dict):
                raise ProviderError(ErrorKind.BAD_RESPONSE, **tokens)
            return ProviderReply(content=block.input, input_tokens=input_tokens, output_tokens=output_tokens)
    # No tool call despite the forced choice: pass on any text, which validation will judge.
    text = "".join(getattr(block, "text", "") for block in blocks if getattr(block, "type", None) == "text")
    if not text.strip():
        raise ProviderError(ErrorKind.EMPTY, **tokens)
    return ProviderReply(content=text, input_tokens=input_tokens, output_tokens=output_tokens)
