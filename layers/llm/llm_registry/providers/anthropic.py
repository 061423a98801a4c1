"""Anthropic Messages API, with the structured-output mechanism and thinking settings of the model's family.

The model's row in `capabilities.ANTHROPIC` decides:
- "json_schema": `output_config.format` with the schema made acceptable by the SDK's own
  `anthropic.transform_schema` (constraints the API does not enforce move into descriptions; the answer is
  still validated against the full model). Works with thinking on, which newer models cannot turn off.
- "forced_tool": the schema as one tool, forced with `tool_choice` (older models, thinking off by default).
- "tool": the same tool, not forced, with an instruction to call it (unknown models: accepted by all).
and which `thinking` value and `output_config.effort` to send (newer models think by default; the row sends
the lowest setting the model accepts). `max_tokens` leaves room for thinking, which counts against it.
A repair turn shows the previous answer as plain assistant text followed by the problems, which needs no
tool_use/tool_result pairing and works whatever the mechanism."""

from __future__ import annotations

from typing import Any

from llm_registry.attempts import ErrorKind
from llm_registry.capabilities import ModelProfile, profile_for
from llm_registry.errors import ProviderError
from llm_registry.providers._classify import classify_http_sdk_error
from llm_registry.providers.base import TOOL_DESCRIPTION, KeyedProvider, tool_instruction
from llm_registry.request import ProviderCall, ProviderReply


class AnthropicProvider(KeyedProvider):
    default_name = "anthropic"

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
        self.profile: ModelProfile = profile_for("anthropic", model)

    def _build_client(self) -> Any:
        import anthropic

        return anthropic.Anthropic(
            api_key=self._api_key, base_url=self._base_url, max_retries=0, timeout=self.timeout_s
        )

    @staticmethod
    def _messages(call: ProviderCall) -> list[dict[str, Any]]:
        request = call.request
        content: str | list[dict[str, Any]] = request.prompt
        if request.prefix:
            # A cache breakpoint after the shared prefix: the system prompt and the prefix are cached together
            # and read back by the related requests (https://platform.claude.com/docs/en/build-with-claude/
            # prompt-caching). Below the model's minimum cacheable length (512 to 4,096 tokens depending on
            # the model) the request is simply processed uncached, without an error.
            content = [
                {"type": "text", "text": request.prefix, "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": request.prompt},
            ]
        messages: list[dict[str, Any]] = [{"role": "user", "content": content}]
        if call.repair is not None:
            messages.append({"role": "assistant", "content": call.repair.previous_answer})
            messages.append({"role": "user", "content": call.repair.message()})
        return messages

    def request_options(self, call: ProviderCall) -> dict[str, Any]:
        """Everything but model, messages and timeout: what varies with the model's family."""
        profile = self.profile
        options: dict[str, Any] = {
            "max_tokens": profile.output_budget(call.request.max_output_tokens),
            "system": call.request.system,
        }
        output_config: dict[str, Any] = {}
        if profile.mechanism == "json_schema":
            from anthropic import transform_schema  # the SDK's own transformer for output_config.format

            output_config["format"] = {
                "type": "json_schema",
                "schema": transform_schema(call.schema.json_schema),
            }
        else:
            tool = {
                "name": call.schema.name,
                "description": TOOL_DESCRIPTION,
                "input_schema": call.schema.json_schema,
            }
            options["tools"] = [tool]
            if profile.mechanism == "forced_tool":
                options["tool_choice"] = {"type": "tool", "name": call.schema.name}
            else:
                options["system"] = f"{call.request.system}\n\n{tool_instruction(call.schema.name)}"
        if profile.effort is not None:
            output_config["effort"] = profile.effort
        if output_config:
            options["output_config"] = output_config
        if profile.thinking is not None:
            options["thinking"] = dict(profile.thinking)
        return options

    def generate(self, call: ProviderCall) -> ProviderReply:
        client = self._sdk_client()
        try:
            message = client.messages.create(
                model=self.model,
                messages=self._messages(call),
                timeout=call.timeout_s,
                **self.request_options(call),
            )
        except Exception as exc:
            raise classify_http_sdk_error(exc) from exc
        return _reply_from(message, call.schema.name)


def _reply_from(message: Any, tool_name: str) -> ProviderReply:
    usage = getattr(message, "usage", None)
    # input_tokens excludes prompt-cache reads and writes; the total is what the call consumed.
    base_input = getattr(usage, "input_tokens", None)
    cache_read = getattr(usage, "cache_read_input_tokens", None)
    cache_write = getattr(usage, "cache_creation_input_tokens", None)
    input_tokens = None
    if isinstance(base_input, int):
        input_tokens = base_input + (cache_read or 0) + (cache_write or 0)
    output_tokens = getattr(usage, "output_tokens", None)  # thinking tokens included
    tokens: dict[str, Any] = {"input_tokens": input_tokens, "output_tokens": output_tokens}
    if message.stop_reason == "refusal":
        raise ProviderError(ErrorKind.REFUSAL, **tokens)
    if message.stop_reason == "max_tokens":
        raise ProviderError(ErrorKind.TRUNCATED, **tokens)
    blocks = list(getattr(message, "content", None) or [])
    cached = cache_read if isinstance(cache_read, int) else None
    for block in blocks:
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == tool_name:
            if not isinstance(block.input, dict):
                raise ProviderError(ErrorKind.BAD_RESPONSE, **tokens)
            return ProviderReply(
                content=block.input,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cached_input_tokens=cached,
            )
    # JSON output (output_config.format) arrives as text; so does an answer that did not call the tool.
    # Thinking blocks are not the answer.
    text = "".join(getattr(block, "text", "") for block in blocks if getattr(block, "type", None) == "text")
    if not text.strip():
        raise ProviderError(ErrorKind.EMPTY, **tokens)
    return ProviderReply(
        content=text, input_tokens=input_tokens, output_tokens=output_tokens, cached_input_tokens=cached
    )
