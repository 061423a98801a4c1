"""Provider-shaped replies for the fake server: one class per wire format.

Every class offers the same scripting vocabulary, so a test reads the same whichever provider it drives:
`ok(content)` (a structured answer in the form the request asked for: a tool call when the request offered a
tool, JSON text otherwise), `text(raw)`, `refusal()`, `truncated()`, `error(status, ...)` with the vendor's
error body, and `malformed_body()`. The shapes follow each provider's public API reference, only as far as the
official SDKs read them.

Each class also knows the rejections its vendor documents for particular models (`rejection`): a request the
real API would refuse gets the vendor's 400 here too, whatever the test scripted, so a test fails if the
registry sends it. This knowledge is written from the vendors' documentation independently of the registry's
own capability table (it is the vendor's side of the wire):
- OpenAI: `max_tokens` is rejected by reasoning models; `reasoning_effort` by non-reasoning models and, per
  value, by models that do not accept that value (the API reference lists them per model).
- Anthropic: forced tool choice and `thinking: disabled` are rejected by Claude Opus 5.5 and Sonnet 5.5 (and
  Fable); Haiku 5.5 rejects `disabled` above effort high; manual thinking budgets and sampling parameters are
  rejected by the 5.x models; forced tool choice is rejected with thinking on; `output_config.format` is
  rejected by models older than the 4.5 generation.
- Gemini: `thinkingBudget: 0` is rejected by 2.5 Pro (it only works in thinking mode); a `thinkingLevel` the
  model does not accept, or any `thinkingLevel` on a 2.5 model, is rejected.
- Bedrock Converse: `toolChoice.tool` is only accepted by Anthropic Claude and Amazon Nova models (botocore's
  service model); Claude's own fields in `additionalModelRequestFields` are extraneous keys for other models;
  Mistral 7B Instruct and Mixtral take no system prompt and no tools."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any, ClassVar
from urllib.parse import unquote

from tests.fakes import tokens
from tests.fakes.server import FakeProviderServer, RecordedRequest, Reply

Content = dict[str, Any] | str

# Usage reported when a test gives none and the server does not count (no simulated speed).
DEFAULT_INPUT_TOKENS = 120
DEFAULT_OUTPUT_TOKENS = 80


def _as_text(content: Content) -> str:
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)


def _texts(value: Any) -> list[str]:
    """Every string under `text`/`content` keys (or plain strings) of a message structure, in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        found: list[str] = []
        for key in ("text", "content", "parts"):
            if key in value:
                found += _texts(value[key])
        return found
    return []


class _WireFormat(FakeProviderServer):
    def ok(
        self, content: Content, *, input_tokens: int | None = None, output_tokens: int | None = None
    ) -> Reply:
        raise NotImplementedError

    def prompt_text(self, request: RecordedRequest) -> str:
        """Everything the model reads, in order (instructions, then the turns), for token counts."""
        raise NotImplementedError

    def input_usage(self, request: RecordedRequest, given: int | None) -> int:
        if given is not None:
            return given
        return tokens.count(self.prompt_text(request)) if self.counts_tokens else DEFAULT_INPUT_TOKENS

    def output_usage(self, answer: str, given: int | None) -> int:
        if given is not None:
            return given
        return tokens.count(answer) if self.counts_tokens else DEFAULT_OUTPUT_TOKENS

    def cached_usage(self, request: RecordedRequest, given: int | None) -> int:
        """Cached input tokens: as scripted, else what the simulated prompt cache finds, else none."""
        if given is not None:
            return given
        if self.prompt_cache is None:
            return 0
        ready_after = self.speed.time_to_first_token_s if self.speed is not None else 0.0
        return self.prompt_cache.lookup_and_store(
            tokens.encode(self.prompt_text(request)), now=self.now(), ready_after_s=ready_after
        )

    def text(self, raw: str) -> Reply:
        raise NotImplementedError

    def refusal(self) -> Reply:
        raise NotImplementedError

    def truncated(self) -> Reply:
        raise NotImplementedError

    def error(
        self,
        status: int,
        *,
        retry_after: float | None = None,
        message: str = "scripted failure",
        **fields: Any,
    ) -> Reply:
        raise NotImplementedError

    def malformed_body(self) -> Reply:
        """HTTP 200 whose body is not JSON at all: a broken proxy or a truncated answer."""
        return Reply(status=200, body=b'{"id": "broken', headers={"Content-Type": "application/json"})

    # Convenience: queue in one call.
    def queue_ok(self, content: Content, **usage: int) -> FakeProviderServer:
        return self.push(self.ok(content, **usage))

    def queue_error(self, status: int, *, retry_after: float | None = None) -> FakeProviderServer:
        return self.push(self.error(status, retry_after=retry_after))

    def queue_slow(self, delay_s: float, content: Content) -> FakeProviderServer:
        return self.push(self.ok(content).delayed(delay_s))


def _retry_after_headers(retry_after: float | None) -> dict[str, str]:
    if retry_after is None:
        return {}
    return {"Retry-After": f"{retry_after:g}"}


# ---- OpenAI ---------------------------------------------------------------------------------------------

# reasoning_effort values per model family, as the API reference lists them.
_OPENAI_EFFORTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"gpt-5\.1(-.*)?", ("none", "low", "medium", "high")),
    (r"gpt-5\.4(-mini|-nano)?(-\d{4}-\d{2}-\d{2})?", ("none", "low", "medium", "high", "xhigh")),
    (r"gpt-5(-mini|-nano)?(-\d{4}-\d{2}-\d{2})?", ("minimal", "low", "medium", "high")),
    (r"o(1|3|4)(-mini)?", ("low", "medium", "high")),
)
_OPENAI_NOT_REASONING = re.compile(r"gpt-4(o|\.1)(-mini|-nano)?(-\d{4}-\d{2}-\d{2})?")


class OpenAIChatServer(_WireFormat):
    """OpenAI Chat Completions (`POST /v1/chat/completions`); also what OpenAI-compatible servers speak."""

    wire = "openai"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/v1/chat/completions")
    # OpenAI-compatible servers (Ollama, vLLM) accept what OpenAI would refuse: set False for them.
    enforce_openai_rules = True

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def _invalid(self, message: str, code: str, param: str | None) -> Reply:
        payload = {
            "error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}
        }
        return Reply.json(payload, status=400)

    def rejection(self, request: RecordedRequest) -> Reply | None:
        body = request.json or {}
        model = str(body.get("model", ""))
        if not self.enforce_openai_rules:
            return None
        reasoning = model.startswith(("gpt-5", "gpt-6", "o1", "o3", "o4"))
        if reasoning and "max_tokens" in body:
            return self._invalid(
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead.",
                "unsupported_parameter",
                "max_tokens",
            )
        effort = body.get("reasoning_effort")
        if effort is None:
            return None
        if _OPENAI_NOT_REASONING.fullmatch(model):
            return self._invalid(
                "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
                "unsupported_parameter",
                "reasoning_effort",
            )
        for pattern, accepted in _OPENAI_EFFORTS:
            if re.fullmatch(pattern, model) and effort not in accepted:
                listed = ", ".join(f"'{value}'" for value in accepted[:-1]) + f", and '{accepted[-1]}'"
                return self._invalid(
                    f"Unsupported value: '{effort}' is not supported with the '{model}' model. "
                    f"Supported values are: {listed}.",
                    "unsupported_value",
                    "reasoning_effort",
                )
        return None

    def prompt_text(self, request: RecordedRequest) -> str:
        return "\n".join(_texts((request.json or {}).get("messages") or []))

    def _completion(
        self,
        message: dict[str, Any],
        finish_reason: str,
        input_tokens: int | None,
        output_tokens: int | None,
        cached_tokens: int | None = 0,
    ) -> Reply:
        def build(request: RecordedRequest) -> Reply:
            model = (request.json or {}).get("model", "fake-model")
            answer = message.get("content") or ""
            prompt_tokens = self.input_usage(request, input_tokens)
            completion_tokens = self.output_usage(answer, output_tokens)
            cached = min(self.cached_usage(request, cached_tokens), prompt_tokens)
            reply = Reply.json(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 1_790_000_000,
                    "model": model,
                    "choices": [
                        {"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}
                    ],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": completion_tokens,
                        "total_tokens": prompt_tokens + completion_tokens,
                        "prompt_tokens_details": {"cached_tokens": cached},
                    },
                }
            )
            return replace(reply, output_tokens=completion_tokens)

        return Reply(build=build)

    def ok(
        self,
        content: Content,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cached_tokens: int | None = None,
    ) -> Reply:
        message = {"role": "assistant", "content": _as_text(content), "refusal": None}
        return self._completion(message, "stop", input_tokens, output_tokens, cached_tokens)

    def text(self, raw: str) -> Reply:
        return self.ok(raw)

    def refusal(self) -> Reply:
        message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
        return self._completion(message, "stop", 120, 8)

    def truncated(self) -> Reply:
        message = {"role": "assistant", "content": '{"items": ["cut', "refusal": None}
        return self._completion(message, "length", 120, 4096)

    def error(
        self,
        status: int,
        *,
        retry_after: float | None = None,
        message: str = "scripted failure",
        **fields: Any,
    ) -> Reply:
        kind = {401: "invalid_request_error", 429: "rate_limit_error"}.get(status, "server_error")
        error = {"message": message, "type": kind, "param": None, "code": None, **fields}
        return Reply.json({"error": error}, status=status, headers=_retry_after_headers(retry_after))


# ---- Anthropic ------------------------------------------------------------------------------------------

_CLAUDE_NO_FORCED_TOOL = re.compile(r"claude-(opus-5-5|sonnet-5-5|fable-5(-\d+)?|mythos-5(-\d+)?)")
_CLAUDE_ALWAYS_THINKS = re.compile(r"claude-(opus-5-5|fable-5(-\d+)?|mythos-5(-\d+)?)")
_CLAUDE_5 = re.compile(r"claude-(opus|sonnet|haiku|fable|mythos)-5(-\d+)?")
_CLAUDE_NO_STRUCTURED_OUTPUT = re.compile(r"claude-(3-.*|opus-4(-[01])?|sonnet-4(-0)?)(-\d{8})?")
# Models whose requests think unless told otherwise (on the Claude API, a request without `thinking`).
_CLAUDE_THINKS_BY_DEFAULT = re.compile(
    r"claude-((opus|sonnet|haiku)-5-5|opus-5|sonnet-5|fable-5.*|mythos-5.*)"
)


class AnthropicMessagesServer(_WireFormat):
    """Anthropic Messages API (`POST /v1/messages`). A structured answer is a `tool_use` block calling the
    tool the request offered, or JSON text when the request asked for `output_config.format`. When the
    request leaves thinking on, the answer starts with a thinking block, as the real API's does."""

    wire = "anthropic"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/v1/messages")

    @staticmethod
    def _invalid(message: str) -> Reply:
        return Reply.json(
            {"type": "error", "error": {"type": "invalid_request_error", "message": message}}, status=400
        )

    def rejection(self, request: RecordedRequest) -> Reply | None:
        body = request.json or {}
        model = str(body.get("model", ""))
        thinking = (body.get("thinking") or {}).get("type")
        forced = (body.get("tool_choice") or {}).get("type") in ("tool", "any")
        effort = (body.get("output_config") or {}).get("effort")
        if forced and _CLAUDE_NO_FORCED_TOOL.fullmatch(model):
            return self._invalid(
                f"tool_choice.type '{body['tool_choice']['type']}' is not supported for {model}."
            )
        if _CLAUDE_5.fullmatch(model) and thinking == "enabled":
            return self._invalid(
                '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and '
                '"output_config.effort" to control thinking behavior.'
            )
        if thinking == "disabled" and (
            _CLAUDE_ALWAYS_THINKS.fullmatch(model) or model == "claude-sonnet-5-5"
        ):
            return self._invalid(
                '"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and '
                '"output_config.effort" to control thinking behavior.'
            )
        if model == "claude-haiku-5-5" and thinking == "disabled" and effort in ("xhigh", "max"):
            return self._invalid(f"effort '{effort}' requires thinking; use effort 'high' or lower.")
        if _CLAUDE_5.fullmatch(model) and any(key in body for key in ("temperature", "top_p", "top_k")):
            return self._invalid("Sampling parameters are not supported for this model.")
        thinks = thinking in ("adaptive", "enabled") or (
            thinking is None and _CLAUDE_THINKS_BY_DEFAULT.fullmatch(model) is not None
        )
        if forced and thinks:
            return self._invalid("Thinking may not be enabled when tool_choice forces tool use.")
        if (body.get("output_config") or {}).get("format") and _CLAUDE_NO_STRUCTURED_OUTPUT.fullmatch(model):
            return self._invalid("output_config.format: structured outputs are not supported on this model.")
        return None

    def prompt_text(self, request: RecordedRequest) -> str:
        body = request.json or {}
        return "\n".join(_texts(body.get("system") or []) + _texts(body.get("messages") or []))

    def _message(
        self,
        content: list[dict[str, Any]] | None,
        stop_reason: str,
        usage: dict[str, int | None],
        answer: Content = "",
    ) -> Reply:
        """`content` None: shape the answer the way the request asked for it. Usage values of None are
        counted from the request and the answer (simulated speed) or take the defaults."""

        def build(request: RecordedRequest) -> Reply:
            body = request.json or {}
            model = str(body.get("model", "fake-model"))
            blocks = content
            if blocks is None:
                tools = body.get("tools") or []
                if tools and not (body.get("output_config") or {}).get("format"):
                    blocks = [
                        {"type": "tool_use", "id": "toolu_fake", "name": tools[0]["name"], "input": answer}
                    ]
                else:
                    blocks = [{"type": "text", "text": _as_text(answer)}]
            thinking = (body.get("thinking") or {}).get("type")
            thinks = thinking in ("adaptive", "enabled") or (
                thinking is None and _CLAUDE_THINKS_BY_DEFAULT.fullmatch(model) is not None
            )
            if thinks:
                blocks = [{"type": "thinking", "thinking": "", "signature": "sig-fake"}, *blocks]
            written = "".join(
                block.get("text", "") if block.get("type") == "text" else json.dumps(block.get("input"))
                for block in blocks
                if block.get("type") in ("text", "tool_use")
            )
            counted = dict(usage)
            counted["output_tokens"] = self.output_usage(written, usage.get("output_tokens"))
            if counted.get("input_tokens") is None:
                total = self.input_usage(request, None)
                counted["input_tokens"] = max(0, total - (counted.get("cache_read_input_tokens") or 0))
            reply = Reply.json(
                {
                    "id": "msg_fake",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": blocks,
                    "stop_reason": stop_reason,
                    "stop_sequence": None,
                    "usage": counted,
                }
            )
            return replace(reply, output_tokens=counted["output_tokens"])

        return Reply(build=build)

    def ok(
        self,
        content: Content,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cache_read_input_tokens: int = 0,
    ) -> Reply:
        usage: dict[str, int | None] = {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cache_read_input_tokens": cache_read_input_tokens,
            "cache_creation_input_tokens": 0,
        }
        if isinstance(content, str):
            return self._message([{"type": "text", "text": content}], "end_turn", usage)
        return self._message(None, "end_turn", usage, content)

    def text(self, raw: str) -> Reply:
        return self._message(
            [{"type": "text", "text": raw}], "end_turn", {"input_tokens": 120, "output_tokens": 10}
        )

    def refusal(self) -> Reply:
        return self._message([], "refusal", {"input_tokens": 120, "output_tokens": 0})

    def truncated(self) -> Reply:
        return self._message(
            [{"type": "text", "text": '{"items": ["cut'}],
            "max_tokens",
            {"input_tokens": 120, "output_tokens": 4096},
        )

    def error(
        self,
        status: int,
        *,
        retry_after: float | None = None,
        message: str = "scripted failure",
        **fields: Any,
    ) -> Reply:
        kind = {
            400: "invalid_request_error",
            401: "authentication_error",
            402: "billing_error",
            403: "permission_error",
            404: "not_found_error",
            429: "rate_limit_error",
            529: "overloaded_error",
        }.get(status, "api_error")
        payload = {"type": "error", "error": {"type": kind, "message": message, **fields}}
        return Reply.json(payload, status=status, headers=_retry_after_headers(retry_after))


# ---- Gemini ---------------------------------------------------------------------------------------------

# thinkingLevel values each Gemini 3 model accepts (the thinking guide's table).
_GEMINI_LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"gemini-(3\.5-flash-lite|3\.6-flash|3-flash).*", ("MINIMAL", "LOW", "MEDIUM", "HIGH")),
    (r"gemini-3\.[78]-flash.*", ("LOW", "MEDIUM", "HIGH")),
    (r"gemini-3(\.1)?-pro.*", ("LOW", "HIGH")),
)


class GeminiServer(_WireFormat):
    """Gemini API `generateContent` (`POST /{version}/models/{model}:generateContent`), as google-genai
    sends it when given a base URL. JSON mode answers carry the JSON as the text of the first part."""

    wire = "gemini"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/v1(beta\d*)?/models/[^/:]+:generateContent")

    @staticmethod
    def _invalid(message: str) -> Reply:
        return Reply.json(
            {"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}, status=400
        )

    def rejection(self, request: RecordedRequest) -> Reply | None:
        model = request.path.split("/models/")[1].split(":")[0]
        thinking = ((request.json or {}).get("generationConfig") or {}).get("thinkingConfig") or {}
        # The API takes proto field names in either JSON casing; google-genai sends this object snake_case.
        level = thinking.get("thinkingLevel", thinking.get("thinking_level"))
        budget = thinking.get("thinkingBudget", thinking.get("thinking_budget"))
        if level is not None and budget is not None:
            return self._invalid("You can only set one of thinking budget and thinking level.")
        if model.startswith("gemini-2.5-pro") and budget == 0:
            return self._invalid("Budget 0 is invalid. This model only works in thinking mode.")
        if level is not None:
            for pattern, accepted in _GEMINI_LEVELS:
                if re.fullmatch(pattern, model):
                    if level not in accepted:
                        return self._invalid(f"Thinking level {level} is not supported for this model.")
                    return None
            if model.startswith("gemini-2"):
                return self._invalid("Thinking level is not supported for this model.")
        return None

    def prompt_text(self, request: RecordedRequest) -> str:
        body = request.json or {}
        system = body.get("systemInstruction") or body.get("system_instruction") or {}
        return "\n".join(_texts(system) + _texts(body.get("contents") or []))

    def _response(
        self, candidate: dict[str, Any] | None, usage: dict[str, int | None], **extra: Any
    ) -> Reply:
        def build(request: RecordedRequest) -> Reply:
            model = request.path.split("/models/")[1].split(":")[0]
            answer = "".join(_texts((candidate or {}).get("content") or {}))
            prompt_tokens = self.input_usage(request, usage.get("promptTokenCount"))
            answer_tokens = self.output_usage(answer, usage.get("candidatesTokenCount"))
            counted = {**usage, "promptTokenCount": prompt_tokens, "candidatesTokenCount": answer_tokens}
            payload: dict[str, Any] = {
                "candidates": [candidate] if candidate else [],
                "usageMetadata": {**counted, "totalTokenCount": prompt_tokens + answer_tokens},
                "modelVersion": model,
                **extra,
            }
            return replace(Reply.json(payload), output_tokens=answer_tokens)

        return Reply(build=build)

    def ok(
        self,
        content: Content,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cached_tokens: int = 0,
    ) -> Reply:
        candidate = {
            "content": {"role": "model", "parts": [{"text": _as_text(content)}]},
            "finishReason": "STOP",
            "index": 0,
        }
        usage: dict[str, int | None] = {
            "promptTokenCount": input_tokens,
            "candidatesTokenCount": output_tokens,
        }
        if cached_tokens:
            usage["cachedContentTokenCount"] = cached_tokens
        return self._response(candidate, usage)

    def text(self, raw: str) -> Reply:
        return self.ok(raw)

    def refusal(self) -> Reply:
        return self._response(
            None,
            {"promptTokenCount": 120, "candidatesTokenCount": 0},
            promptFeedback={"blockReason": "SAFETY"},
        )

    def truncated(self) -> Reply:
        candidate = {
            "content": {"role": "model", "parts": [{"text": '{"items": ["cut'}]},
            "finishReason": "MAX_TOKENS",
            "index": 0,
        }
        return self._response(candidate, {"promptTokenCount": 120, "candidatesTokenCount": 4096})

    def error(
        self,
        status: int,
        *,
        retry_after: float | None = None,
        message: str = "scripted failure",
        **fields: Any,
    ) -> Reply:
        kind = fields.pop("grpc_status", None) or {
            400: "INVALID_ARGUMENT",
            401: "UNAUTHENTICATED",
            403: "PERMISSION_DENIED",
            404: "NOT_FOUND",
            429: "RESOURCE_EXHAUSTED",
            503: "UNAVAILABLE",
        }.get(status, "INTERNAL")
        payload = {"error": {"code": status, "message": message, "status": kind, **fields}}
        return Reply.json(payload, status=status, headers=_retry_after_headers(retry_after))


# ---- Bedrock --------------------------------------------------------------------------------------------

_BEDROCK_GEO = re.compile(r"^(us|eu|apac|ap|jp|au|ca|us-gov|global|regional)\.")
_BEDROCK_TOOL_CHOICE = re.compile(r"(anthropic\.claude-|amazon\.nova-).*")
_BEDROCK_CLAUDE_NO_FORCED = re.compile(r"anthropic\.claude-(opus-5-5|sonnet-5-5|fable-5.*|mythos-5.*)")
_BEDROCK_CLAUDE_NO_DISABLE = re.compile(r"anthropic\.claude-(opus-5-5|sonnet-5-5|fable-5.*|mythos-5.*)")
_BEDROCK_NO_SYSTEM_NO_TOOLS = re.compile(r"(mistral\.(mistral-7b|mixtral-8x7b)|amazon\.titan).*")


class BedrockConverseServer(_WireFormat):
    """Amazon Bedrock Runtime Converse (`POST /model/{modelId}/converse`). A structured answer is a
    `toolUse` block when the request offered a tool, JSON text otherwise; errors carry their type in
    `x-amzn-ErrorType`."""

    wire = "bedrock"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/model/[^/]+/converse")

    @staticmethod
    def model_of(request: RecordedRequest) -> str:
        model = unquote(request.path.split("/model/")[1].split("/")[0])
        return _BEDROCK_GEO.sub("", model.rsplit("/", 1)[-1])

    def _validation(self, message: str) -> Reply:
        return self.error(400, message=message)

    def rejection(self, request: RecordedRequest) -> Reply | None:
        body = request.json or {}
        model = self.model_of(request)
        choice = (body.get("toolConfig") or {}).get("toolChoice") or {}
        if "tool" in choice and not _BEDROCK_TOOL_CHOICE.fullmatch(model):
            return self._validation(
                "This model doesn't support the toolConfig.toolChoice.tool field. "
                "Remove toolConfig.toolChoice.tool and try again."
            )
        if ("tool" in choice or "any" in choice) and _BEDROCK_CLAUDE_NO_FORCED.fullmatch(model):
            return self._validation(
                "The model returned the following errors: tool_choice forcing is not supported."
            )
        extra = body.get("additionalModelRequestFields") or {}
        if extra and not model.startswith("anthropic."):
            keys = ", ".join(sorted(extra))
            return self._validation(
                f"Malformed input request: extraneous key [{keys}] is not permitted, please reformat your "
                "input and try again."
            )
        if (extra.get("thinking") or {}).get("type") == "disabled" and _BEDROCK_CLAUDE_NO_DISABLE.fullmatch(
            model
        ):
            return self._validation(
                'The model returned the following errors: "thinking.type.disabled" is not supported.'
            )
        if _BEDROCK_NO_SYSTEM_NO_TOOLS.fullmatch(model):
            if body.get("system"):
                return self._validation("This model doesn't support system messages.")
            if body.get("toolConfig"):
                return self._validation("This model doesn't support tool use.")
        return None

    def prompt_text(self, request: RecordedRequest) -> str:
        body = request.json or {}
        return "\n".join(_texts(body.get("system") or []) + _texts(body.get("messages") or []))

    def _converse(
        self,
        content: list[dict[str, Any]] | None,
        stop_reason: str,
        usage: tuple[int | None, int | None],
        answer: Content = "",
    ) -> Reply:
        def build(request: RecordedRequest) -> Reply:
            body = request.json or {}
            tools = (body.get("toolConfig") or {}).get("tools") or []
            blocks = content
            if blocks is None:
                if tools:
                    name = tools[0].get("toolSpec", {}).get("name", "tool")
                    blocks = [{"toolUse": {"toolUseId": "tooluse_fake", "name": name, "input": answer}}]
                else:
                    blocks = [{"text": _as_text(answer)}]
            written = "".join(
                block["text"] if "text" in block else json.dumps(block.get("toolUse", {}).get("input"))
                for block in blocks
            )
            prompt_tokens = self.input_usage(request, usage[0])
            answer_tokens = self.output_usage(written, usage[1])
            reply = Reply.json(
                {
                    "output": {"message": {"role": "assistant", "content": blocks}},
                    "stopReason": stop_reason,
                    "usage": {
                        "inputTokens": prompt_tokens,
                        "outputTokens": answer_tokens,
                        "totalTokens": prompt_tokens + answer_tokens,
                    },
                    "metrics": {"latencyMs": 5},
                }
            )
            return replace(reply, output_tokens=answer_tokens)

        return Reply(build=build)

    def ok(
        self, content: Content, *, input_tokens: int | None = None, output_tokens: int | None = None
    ) -> Reply:
        if isinstance(content, str):
            return self.text(content)
        return self._converse(None, "end_turn", (input_tokens, output_tokens), content)

    def text(self, raw: str) -> Reply:
        return self._converse([{"text": raw}], "end_turn", (120, 10))

    def refusal(self) -> Reply:
        return self._converse([{"text": "Blocked."}], "content_filtered", (120, 2))

    def truncated(self) -> Reply:
        return self._converse([{"text": '{"items": ["cut'}], "max_tokens", (120, 4096))

    def error(
        self,
        status: int,
        *,
        retry_after: float | None = None,
        message: str = "scripted failure",
        **fields: Any,
    ) -> Reply:
        kind = fields.pop("error_type", None) or {
            400: "ValidationException",
            403: "AccessDeniedException",
            404: "ResourceNotFoundException",
            408: "ModelTimeoutException",
            429: "ThrottlingException",
            503: "ServiceUnavailableException",
        }.get(status, "InternalServerException")
        headers = {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/com.amazon.bedrock/"}
        headers.update(_retry_after_headers(retry_after))
        return Reply.json({"message": message, **fields}, status=status, headers=headers)
