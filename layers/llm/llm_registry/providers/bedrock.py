"""Amazon Bedrock Runtime `Converse`, with the structured-output mechanism of the model's family.

The model's row in `capabilities.BEDROCK` decides (the model id may be an ARN or carry a geography prefix;
both are normalised): the schema as a tool the model is forced to call (`toolChoice.tool`, which botocore's
own service model says only Anthropic Claude 3+ and Amazon Nova models support), the same tool without
forcing, or no tool at all with the schema in the instructions (Llama, Mistral and unknown models); whether
the model takes a `system` block; and, for Claude, the `thinking` value passed in
`additionalModelRequestFields` and the effort in `outputConfig` (Converse's own field).

IAM authenticates (the function's role): there is no key. The endpoint is boto3's own business: the
standard AWS_ENDPOINT_URL_BEDROCK_RUNTIME (or AWS_ENDPOINT_URL) variable points it elsewhere, e.g. at a
local fake. botocore's own retries are off; the registry retries.

botocore fixes the read timeout per client, not per call, so a client is kept per timeout: the provider's
full timeout in the common case, and a budget-shortened one (rounded down, never longer than the budget)
when the caller's remaining time is shorter. Clients share one session, so an extra one costs a few ms."""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from typing import Any

from llm_registry.attempts import ErrorKind
from llm_registry.capabilities import ModelProfile, profile_for
from llm_registry.errors import ProviderError
from llm_registry.providers._classify import kind_for_status, retry_after_seconds, transport_kind
from llm_registry.providers.base import TOOL_DESCRIPTION, Provider, schema_instruction, tool_instruction
from llm_registry.request import ProviderCall, ProviderReply

_MAX_CLIENTS = 8
_CONNECT_TIMEOUT_S = 3.0

# Error codes whose HTTP status alone would be misread (botocore's bedrock-runtime service model lists each
# with its status; https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html).
_CODE_KINDS = {
    "ResourceNotFoundException": ErrorKind.MODEL_NOT_FOUND,  # 404: no such model or inference profile
    "AccessDeniedException": ErrorKind.AUTH,
    "ModelErrorException": ErrorKind.SERVER_ERROR,  # 424: the model failed while answering
    "ModelNotReadyException": ErrorKind.RATE_LIMITED,
    "ServiceQuotaExceededException": ErrorKind.RATE_LIMITED,
    "ModelTimeoutException": ErrorKind.TIMEOUT,
    "UnrecognizedClientException": ErrorKind.AUTH,
    "ExpiredTokenException": ErrorKind.AUTH,
    "InvalidSignatureException": ErrorKind.AUTH,
}
_REFUSAL_STOPS = frozenset({"guardrail_intervened", "content_filtered"})


def _rounded_timeout(timeout_s: float) -> float:
    # Whole seconds above 2 s and tenths below keep the number of distinct clients small.
    if timeout_s >= 2:
        return float(math.floor(timeout_s))
    return max(0.1, math.floor(timeout_s * 10) / 10)


class BedrockProvider(Provider):
    def __init__(self, *, model: str, region: str | None = None, timeout_s: float = 20.0) -> None:
        self.name = "bedrock"
        self.model = model
        self.profile: ModelProfile = profile_for("bedrock", model)
        self.timeout_s = timeout_s
        self._region = region
        self._session: Any = None
        self._clients: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def _client_for(self, timeout_s: float) -> Any:
        timeout = _rounded_timeout(min(timeout_s, self.timeout_s))
        endpoint = os.environ.get("AWS_ENDPOINT_URL_BEDROCK_RUNTIME") or os.environ.get("AWS_ENDPOINT_URL")
        key = (timeout, endpoint)
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                self._clients.move_to_end(key)
                return client
            import boto3  # lazy: boto3 is in the Lambda runtime, but importing it still costs time
            from botocore.config import Config

            if self._session is None:
                self._session = boto3.session.Session(region_name=self._region)
            config = Config(
                read_timeout=timeout,
                connect_timeout=min(timeout, _CONNECT_TIMEOUT_S),
                retries={"total_max_attempts": 1, "mode": "standard"},
            )
            client = self._session.client("bedrock-runtime", config=config)
            self._clients[key] = client
            if len(self._clients) > _MAX_CLIENTS:
                self._clients.popitem(last=False)
            return client

    def warm_up(self) -> None:
        self._client_for(self.timeout_s)

    def _request(self, call: ProviderCall) -> dict[str, Any]:
        profile = self.profile
        name = call.schema.name
        instructions = call.request.system
        if profile.mechanism == "tool":
            instructions = f"{instructions}\n\n{tool_instruction(name)}"
        elif profile.mechanism == "json_text":
            instructions = f"{instructions}\n\n{schema_instruction(call.schema.json_schema)}"
        # The shared prefix leads the user turn. No `cachePoint` block is sent: Converse accepts it only for
        # some models, and which ones is not in the capability table (unverified against a live account).
        user = call.request.user_text
        prompt = user if profile.system_prompt else f"{instructions}\n\n{user}"
        messages: list[dict[str, Any]] = [{"role": "user", "content": [{"text": prompt}]}]
        if call.repair is not None:
            messages.append({"role": "assistant", "content": [{"text": call.repair.previous_answer}]})
            messages.append({"role": "user", "content": [{"text": call.repair.message()}]})
        request: dict[str, Any] = {
            "modelId": self.model,
            "messages": messages,
            "inferenceConfig": {"maxTokens": profile.output_budget(call.request.max_output_tokens)},
        }
        if profile.system_prompt:
            request["system"] = [{"text": instructions}]
        if profile.mechanism in ("forced_tool", "tool"):
            tool = {
                "toolSpec": {
                    "name": name,
                    "description": TOOL_DESCRIPTION,
                    "inputSchema": {"json": call.schema.json_schema},
                }
            }
            request["toolConfig"] = {"tools": [tool]}
            if profile.mechanism == "forced_tool":
                request["toolConfig"]["toolChoice"] = {"tool": {"name": name}}
        if profile.thinking is not None:
            request["additionalModelRequestFields"] = {"thinking": dict(profile.thinking)}
        if profile.effort is not None:
            request["outputConfig"] = {"effort": profile.effort}
        return request

    def generate(self, call: ProviderCall) -> ProviderReply:
        try:
            client = self._client_for(call.timeout_s)
            response = client.converse(**self._request(call))
        except Exception as exc:
            raise _classify(exc) from exc
        return _reply_from(response, call.schema.name)


def _classify(exc: Exception) -> ProviderError:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:  # botocore ClientError
        code = str(response["Error"].get("Code", ""))
        metadata = response.get("ResponseMetadata", {})
        status = metadata.get("HTTPStatusCode")
        kind = _CODE_KINDS.get(code) or (
            kind_for_status(status) if isinstance(status, int) else ErrorKind.BAD_REQUEST
        )
        message = response["Error"].get("Message")
        return ProviderError(
            kind,
            status_code=status if isinstance(status, int) else None,
            retry_after_s=retry_after_seconds(metadata.get("HTTPHeaders")),
            vendor_message=message if isinstance(message, str) else code or None,
        )
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"NoCredentialsError", "PartialCredentialsError", "NoRegionError"}:
        return ProviderError(ErrorKind.MISCONFIGURED, vendor_message=str(exc))
    if "ParamValidationError" in names:  # botocore refused the request before sending it
        return ProviderError(ErrorKind.BAD_REQUEST, vendor_message=str(exc))
    transport = transport_kind(exc)
    if transport is not None:
        return ProviderError(transport, vendor_message=str(exc) or type(exc).__name__)
    if "BotoCoreError" in names:
        return ProviderError(ErrorKind.CONNECTION, vendor_message=str(exc) or type(exc).__name__)
    return ProviderError(ErrorKind.BAD_RESPONSE, vendor_message=type(exc).__name__)


def _reply_from(response: dict[str, Any], tool_name: str) -> ProviderReply:
    usage = response.get("usage") or {}
    # inputTokens excludes prompt-cache reads and writes, which Converse reports beside it.
    cache_read = usage.get("cacheReadInputTokens")
    input_tokens = usage.get("inputTokens")
    if isinstance(input_tokens, int):
        input_tokens += (cache_read or 0) + (usage.get("cacheWriteInputTokens") or 0)
    cached = cache_read if isinstance(cache_read, int) else None
    output_tokens = usage.get("outputTokens")
    tokens: dict[str, Any] = {"input_tokens": input_tokens, "output_tokens": output_tokens}
    if not isinstance(response.get("output"), dict):
        # botocore hands back whatever it could parse; without `output` this was not a Converse answer.
        raise ProviderError(ErrorKind.BAD_RESPONSE, **tokens)
    stop = response.get("stopReason")
    if stop in _REFUSAL_STOPS:
        raise ProviderError(ErrorKind.REFUSAL, **tokens)
    if stop == "max_tokens":
        raise ProviderError(ErrorKind.TRUNCATED, **tokens)
    blocks = ((response.get("output") or {}).get("message") or {}).get("content") or []
    for block in blocks:
        tool_use = block.get("toolUse")
        if tool_use and tool_use.get("name") == tool_name:
            if not isinstance(tool_use.get("input"), dict):
                raise ProviderError(ErrorKind.BAD_RESPONSE, **tokens)
            return ProviderReply(
                content=tool_use["input"],
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cached_input_tokens=cached,
            )
    # Reasoning blocks (reasoningContent) are not the answer; only text blocks are.
    text = "".join(block.get("text", "") for block in blocks if isinstance(block.get("text"), str))
    if not text.strip():
        raise ProviderError(ErrorKind.EMPTY, **tokens)
    return ProviderReply(
        content=text, input_tokens=input_tokens, output_tokens=output_tokens, cached_input_tokens=cached
    )
