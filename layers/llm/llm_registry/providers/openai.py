"""OpenAI Chat Completions: structured output and reasoning settings chosen per model family.

The model's row in `capabilities.OPENAI` decides: `response_format` json_schema (strict, with the strict
variant of the schema) or JSON mode with the schema in the instructions; the `reasoning_effort` to send
(OPENAI_REASONING_EFFORT if set, else the lowest value the family accepts, else nothing); and
`max_completion_tokens` sized for reasoning plus the answer, because reasoning tokens count against it."""

from __future__ import annotations

from typing import Any, Literal

from llm_registry.attempts import ErrorKind
from llm_registry.capabilities import ModelProfile, profile_for
from llm_registry.errors import ProviderError
from llm_registry.providers._classify import classify_http_sdk_error
from llm_registry.providers.base import KeyedProvider, schema_instruction
from llm_registry.request import ProviderCall, ProviderReply

ResponseFormat = Literal["json_schema", "json_object"]

# Families that are known not to be reasoning models: reasoning_effort is rejected there.
_NOT_REASONING = frozenset({"gpt-4.1", "gpt-4o"})


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
        reasoning_effort: str | None = None,
    ) -> None:
        super().__init__(model=model, api_key=api_key, base_url=base_url, timeout_s=timeout_s, name=name)
        self.profile: ModelProfile = profile_for("openai", model)
        self._response_format: ResponseFormat = (
            "json_schema" if self.profile.mechanism == "json_schema" else "json_object"
        )
        self._use_strict = self.profile.strict
        # GPT-5 family models reject `max_tokens`; many OpenAI-compatible servers only know `max_tokens`.
        self._token_limit_param = "max_completion_tokens"  # noqa: S105 - a parameter name
        self.reasoning_effort, self.config_problem = _choose_effort(self.profile, model, reasoning_effort)

    def _build_client(self) -> Any:
        import openai

        return openai.OpenAI(
            api_key=self._api_key, base_url=self._base_url, max_retries=0, timeout=self.timeout_s
        )

    def _response_format_param(self, call: ProviderCall) -> tuple[dict[str, Any], str | None]:
        """The response_format and, in JSON-object mode, an instruction carrying the schema."""
        schema = call.schema
        if self._response_format == "json_object":
            return {"type": "json_object"}, schema_instruction(schema.json_schema)
        strict = self._use_strict and schema.strict_schema is not None
        json_schema = {
            "name": schema.name,
            "schema": schema.strict_schema if strict else schema.json_schema,
            "strict": strict,
        }
        return {"type": "json_schema", "json_schema": json_schema}, None

    def _messages(self, call: ProviderCall, instruction: str | None) -> list[dict[str, str]]:
        system = call.request.system if instruction is None else f"{call.request.system}\n\n{instruction}"
        # The shared prefix leads the user turn: OpenAI caches exact prompt prefixes of 1024 tokens and more
        # automatically (https://platform.openai.com/docs/guides/prompt-caching).
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": call.request.user_text},
        ]
        if call.repair is not None:
            messages.append({"role": "assistant", "content": call.repair.previous_answer})
            messages.append({"role": "user", "content": call.repair.message()})
        return messages

    def _options(self, call: ProviderCall) -> dict[str, Any]:
        budget = self.profile.output_budget(call.request.max_output_tokens, self.reasoning_effort)
        options: dict[str, Any] = {self._token_limit_param: budget}
        if self.reasoning_effort is not None:
            options["reasoning_effort"] = self.reasoning_effort
        return options

    def generate(self, call: ProviderCall) -> ProviderReply:
        if self.config_problem is not None:
            raise ProviderError(ErrorKind.MISCONFIGURED, vendor_message=self.config_problem)
        client = self._sdk_client()
        response_format, instruction = self._response_format_param(call)
        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=self._messages(call, instruction),
                response_format=response_format,
                timeout=call.timeout_s,
                **self._options(call),
            )
        except Exception as exc:
            raise classify_http_sdk_error(exc) from exc
        return _reply_from(completion)


def _choose_effort(
    profile: ModelProfile, model: str, configured: str | None
) -> tuple[str | None, str | None]:
    """(reasoning_effort to send, configuration problem)."""
    accepted = profile.reasoning_efforts
    if configured is None:
        return (accepted[0] if accepted else None), None
    if accepted and configured not in accepted:
        listed = ", ".join(accepted)
        problem = f"OPENAI_REASONING_EFFORT={configured} is not accepted by {model} (accepted: {listed})"
        return None, problem
    if profile.family in _NOT_REASONING:
        return None, f"OPENAI_REASONING_EFFORT is set, but {model} is not a reasoning model: unset it"
    return configured, None  # an accepted value, or a model this registry does not know: the operator's call


def _reply_from(completion: Any) -> ProviderReply:
    usage = getattr(completion, "usage", None)
    input_tokens = getattr(usage, "prompt_tokens", None)
    output_tokens = getattr(usage, "completion_tokens", None)  # reasoning tokens included
    cached = getattr(getattr(usage, "prompt_tokens_details", None), "cached_tokens", None)
    tokens: dict[str, Any] = {"input_tokens": input_tokens, "output_tokens": output_tokens}
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
    return ProviderReply(
        content=content,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_tokens=cached if isinstance(cached, int) else None,
    )
