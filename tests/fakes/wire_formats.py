"""Provider-shaped replies for the fake server: one class per wire format.

Every class offers the same scripting vocabulary, so a test reads the same whichever provider it drives:
`ok(content)` (a structured answer in that provider's native form), `text(raw)` (the model answered with
plain text instead), `refusal()`, `truncated()`, `error(status, retry_after=...)` and `malformed_body()`.
The shapes follow each provider's public API reference, only as far as the official SDKs read them."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from tests.fakes.server import FakeProviderServer, RecordedRequest, Reply

Content = dict[str, Any] | str


def _as_text(content: Content) -> str:
    return content if isinstance(content, str) else json.dumps(content)


class _WireFormat(FakeProviderServer):
    def ok(self, content: Content, *, input_tokens: int = 120, output_tokens: int = 80) -> Reply:
        raise NotImplementedError

    def text(self, raw: str) -> Reply:
        raise NotImplementedError

    def refusal(self) -> Reply:
        raise NotImplementedError

    def truncated(self) -> Reply:
        raise NotImplementedError

    def error(
        self, status: int, *, retry_after: float | None = None, message: str = "scripted failure"
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


class OpenAIChatServer(_WireFormat):
    """OpenAI Chat Completions (`POST /v1/chat/completions`); also what OpenAI-compatible servers speak."""

    wire = "openai"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/v1/chat/completions")

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def _completion(
        self, message: dict[str, Any], finish_reason: str, input_tokens: int, output_tokens: int
    ) -> Reply:
        def build(request: RecordedRequest) -> Reply:
            model = (request.json or {}).get("model", "fake-model")
            return Reply.json(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 1_790_000_000,
                    "model": model,
                    "choices": [
                        {"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}
                    ],
                    "usage": {
                        "prompt_tokens": input_tokens,
                        "completion_tokens": output_tokens,
                        "total_tokens": input_tokens + output_tokens,
                    },
                }
            )

        return Reply(build=build)

    def ok(self, content: Content, *, input_tokens: int = 120, output_tokens: int = 80) -> Reply:
        message = {"role": "assistant", "content": _as_text(content), "refusal": None}
        return self._completion(message, "stop", input_tokens, output_tokens)

    def text(self, raw: str) -> Reply:
        return self.ok(raw)

    def refusal(self) -> Reply:
        message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
        return self._completion(message, "stop", 120, 8)

    def truncated(self) -> Reply:
        message = {"role": "assistant", "content": '{"items": ["cut', "refusal": None}
        return self._completion(message, "length", 120, 4096)

    def error(
        self, status: int, *, retry_after: float | None = None, message: str = "scripted failure"
    ) -> Reply:
        kind = {401: "invalid_request_error", 429: "rate_limit_error"}.get(status, "server_error")
        payload = {"error": {"message": message, "type": kind, "param": None, "code": None}}
        return Reply.json(payload, status=status, headers=_retry_after_headers(retry_after))


class AnthropicMessagesServer(_WireFormat):
    """Anthropic Messages API (`POST /v1/messages`). A structured answer is a `tool_use` block calling the
    tool the request forced, so the reply echoes the tool name the client sent."""

    wire = "anthropic"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/v1/messages")

    def _message(self, content: list[dict[str, Any]], stop_reason: str, usage: tuple[int, int]) -> Reply:
        def build(request: RecordedRequest) -> Reply:
            body = request.json or {}
            blocks = [
                {**block, "name": (body.get("tools") or [{}])[0].get("name", "tool")}
                if block["type"] == "tool_use"
                else block
                for block in content
            ]
            return Reply.json(
                {
                    "id": "msg_fake",
                    "type": "message",
                    "role": "assistant",
                    "model": body.get("model", "fake-model"),
                    "content": blocks,
                    "stop_reason": stop_reason,
                    "stop_sequence": None,
                    "usage": {"input_tokens": usage[0], "output_tokens": usage[1]},
                }
            )

        return Reply(build=build)

    def ok(self, content: Content, *, input_tokens: int = 120, output_tokens: int = 80) -> Reply:
        if isinstance(content, str):
            return self.text(content)
        block = {"type": "tool_use", "id": "toolu_fake", "name": "", "input": content}
        return self._message([block], "tool_use", (input_tokens, output_tokens))

    def text(self, raw: str) -> Reply:
        return self._message([{"type": "text", "text": raw}], "end_turn", (120, 10))

    def refusal(self) -> Reply:
        return self._message([], "refusal", (120, 0))

    def truncated(self) -> Reply:
        block = {"type": "tool_use", "id": "toolu_fake", "name": "", "input": {}}
        return self._message([block], "max_tokens", (120, 4096))

    def error(
        self, status: int, *, retry_after: float | None = None, message: str = "scripted failure"
    ) -> Reply:
        kind = {
            400: "invalid_request_error",
            401: "authentication_error",
            403: "permission_error",
            429: "rate_limit_error",
            529: "overloaded_error",
        }.get(status, "api_error")
        payload = {"type": "error", "error": {"type": kind, "message": message}}
        return Reply.json(payload, status=status, headers=_retry_after_headers(retry_after))


class GeminiServer(_WireFormat):
    """Gemini API `generateContent` (`POST /{version}/models/{model}:generateContent`), as google-genai
    sends it when given a base URL. JSON mode answers carry the JSON as the text of the first part."""

    wire = "gemini"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/v1(beta\d*)?/models/[^/:]+:generateContent")

    def _response(self, candidate: dict[str, Any] | None, usage: tuple[int, int], **extra: Any) -> Reply:
        def build(request: RecordedRequest) -> Reply:
            model = request.path.split("/models/")[1].split(":")[0]
            payload: dict[str, Any] = {
                "candidates": [candidate] if candidate else [],
                "usageMetadata": {
                    "promptTokenCount": usage[0],
                    "candidatesTokenCount": usage[1],
                    "totalTokenCount": usage[0] + usage[1],
                },
                "modelVersion": model,
                **extra,
            }
            return Reply.json(payload)

        return Reply(build=build)

    def ok(self, content: Content, *, input_tokens: int = 120, output_tokens: int = 80) -> Reply:
        candidate = {
            "content": {"role": "model", "parts": [{"text": _as_text(content)}]},
            "finishReason": "STOP",
            "index": 0,
        }
        return self._response(candidate, (input_tokens, output_tokens))

    def text(self, raw: str) -> Reply:
        return self.ok(raw)

    def refusal(self) -> Reply:
        return self._response(None, (120, 0), promptFeedback={"blockReason": "SAFETY"})

    def truncated(self) -> Reply:
        candidate = {
            "content": {"role": "model", "parts": [{"text": '{"items": ["cut'}]},
            "finishReason": "MAX_TOKENS",
            "index": 0,
        }
        return self._response(candidate, (120, 4096))

    def error(
        self, status: int, *, retry_after: float | None = None, message: str = "scripted failure"
    ) -> Reply:
        kind = {
            400: "INVALID_ARGUMENT",
            401: "UNAUTHENTICATED",
            403: "PERMISSION_DENIED",
            429: "RESOURCE_EXHAUSTED",
            503: "UNAVAILABLE",
        }.get(status, "INTERNAL")
        payload = {"error": {"code": status, "message": message, "status": kind}}
        return Reply.json(payload, status=status, headers=_retry_after_headers(retry_after))


class BedrockConverseServer(_WireFormat):
    """Amazon Bedrock Runtime Converse (`POST /model/{modelId}/converse`). A structured answer is a
    `toolUse` block for the tool the request forced; errors carry their type in `x-amzn-ErrorType`."""

    wire = "bedrock"
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/model/[^/]+/converse")

    def _converse(self, content: list[dict[str, Any]], stop_reason: str, usage: tuple[int, int]) -> Reply:
        def build(request: RecordedRequest) -> Reply:
            body = request.json or {}
            tools = (body.get("toolConfig") or {}).get("tools") or [{}]
            name = tools[0].get("toolSpec", {}).get("name", "tool")
            blocks = [
                {"toolUse": {**block["toolUse"], "name": name}} if "toolUse" in block else block
                for block in content
            ]
            return Reply.json(
                {
                    "output": {"message": {"role": "assistant", "content": blocks}},
                    "stopReason": stop_reason,
                    "usage": {
                        "inputTokens": usage[0],
                        "outputTokens": usage[1],
                        "totalTokens": usage[0] + usage[1],
                    },
                    "metrics": {"latencyMs": 5},
                }
            )

        return Reply(build=build)

    def ok(self, content: Content, *, input_tokens: int = 120, output_tokens: int = 80) -> Reply:
        if isinstance(content, str):
            return self.text(content)
        block = {"toolUse": {"toolUseId": "tooluse_fake", "name": "", "input": content}}
        return self._converse([block], "tool_use", (input_tokens, output_tokens))

    def text(self, raw: str) -> Reply:
        return self._converse([{"text": raw}], "end_turn", (120, 10))

    def refusal(self) -> Reply:
        return self._converse([{"text": "Blocked."}], "content_filtered", (120, 2))

    def truncated(self) -> Reply:
        block = {"toolUse": {"toolUseId": "tooluse_fake", "name": "", "input": {}}}
        return self._converse([block], "max_tokens", (120, 4096))

    def error(
        self, status: int, *, retry_after: float | None = None, message: str = "scripted failure"
    ) -> Reply:
        kind = {
            400: "ValidationException",
            403: "AccessDeniedException",
            404: "ResourceNotFoundException",
            408: "ModelTimeoutException",
            429: "ThrottlingException",
            503: "ServiceUnavailableException",
        }.get(status, "InternalServerException")
        headers = {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/com.amazon.bedrock/"}
        headers.update(_retry_after_headers(retry_after))
        return Reply.json({"message": message}, status=status, headers=headers)
