"""Map SDK exceptions and HTTP statuses to error kinds, without importing any SDK.

The openai and anthropic SDKs raise errors with `status_code`, `body` and `response.headers`; google-genai
raises `APIError` with `code`, `details` (the whole JSON body) and `response`; transport failures come from
httpx / httpx2 / urllib3 classes whose names are stable across those libraries. Matching on attributes and
class names keeps this module free of SDK imports, so that loading one provider never loads another's SDK.

The HTTP status gives the kind; the vendors' documented error bodies refine it where the status alone would
mislead (each rule cites its source):
- OpenAI 429 with type or code `insufficient_quota` (or one of the billing codes) means the account is out
  of credit or over a spend limit: BILLING, never retried like a rate limit.
  https://developers.openai.com/api/docs/guides/error-codes
- Anthropic 402 `billing_error`: BILLING. https://platform.claude.com/docs/en/api/errors
- Gemini 400 INVALID_ARGUMENT with an ErrorInfo whose reason is `API_KEY_INVALID` is a bad key: AUTH.
  Gemini 400 FAILED_PRECONDITION is "the free tier is not available in your country; enable billing":
  BILLING. Gemini 429 carries a google.rpc.RetryInfo whose `retryDelay` ("27s") is the wait to honour.
  https://ai.google.dev/gemini-api/docs/troubleshooting
- 404 from a generation endpoint: the model (or the base URL) does not exist: MODEL_NOT_FOUND."""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from typing import Any

from llm_registry.attempts import ErrorKind
from llm_registry.errors import ProviderError

_TIMEOUT_NAMES = frozenset(
    {"TimeoutException", "ReadTimeout", "ConnectTimeout", "WriteTimeout", "PoolTimeout", "APITimeoutError"}
    | {"ReadTimeoutError", "ConnectTimeoutError", "TimeoutError"}
)
_CONNECTION_NAMES = frozenset(
    {"ConnectError", "NetworkError", "TransportError", "RemoteProtocolError", "APIConnectionError"}
    | {"EndpointConnectionError", "ConnectionClosedError", "ProxyConnectionError", "ConnectionError"}
)

# OpenAI: error.type "insufficient_quota" and these error.code values all mean "no money left to spend".
OPENAI_BILLING_CODES = frozenset(
    {
        "insufficient_quota",
        "credit_balance_exhausted",
        "organization_spend_limit_exceeded",
        "project_spend_limit_exceeded",
        "organization_usage_limit_exceeded",
    }
)
GEMINI_AUTH_REASONS = frozenset({"API_KEY_INVALID"})
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def kind_for_status(status: int) -> ErrorKind:
    if status in (401, 403):
        return ErrorKind.AUTH
    if status == 402:
        return ErrorKind.BILLING
    if status == 404:
        return ErrorKind.MODEL_NOT_FOUND
    if status == 408:
        return ErrorKind.TIMEOUT
    if status == 429:
        return ErrorKind.RATE_LIMITED
    if status >= 500:
        return ErrorKind.SERVER_ERROR  # includes Anthropic's 529 "overloaded"
    return ErrorKind.BAD_REQUEST


def retry_after_seconds(headers: Mapping[str, str] | Any) -> float | None:
    """Seconds to wait from `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an HTTP date)."""
    if headers is None:
        return None
    try:
        milliseconds = headers.get("retry-after-ms")
        if milliseconds is not None:
            return max(0.0, float(milliseconds) / 1000)
        value = headers.get("retry-after")
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def transport_kind(exc: BaseException) -> ErrorKind | None:
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & _TIMEOUT_NAMES:
        return ErrorKind.TIMEOUT
    if names & _CONNECTION_NAMES:
        return ErrorKind.CONNECTION
    return None


def _error_object(exc: Exception) -> dict[str, Any]:
    """The vendor's `error` object: openai's `body` is already it; anthropic's body and google-genai's
    `details` hold it under "error"."""
    for attribute in ("body", "details"):
        body = getattr(exc, attribute, None)
        if isinstance(body, list) and len(body) == 1:
            body = body[0]
        if isinstance(body, dict):
            inner = body.get("error")
            return inner if isinstance(inner, dict) else body
    return {}


def _details(error: Mapping[str, Any]) -> list[dict[str, Any]]:
    details = error.get("details")
    return [item for item in details if isinstance(item, dict)] if isinstance(details, list) else []


def retry_info_delay(error: Mapping[str, Any]) -> float | None:
    """google.rpc.RetryInfo.retryDelay ("27s", "1.5s") from a Google error body, in seconds."""
    for item in _details(error):
        if str(item.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = _DURATION.match(str(item.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


def refine_kind(kind: ErrorKind, status: int, error: Mapping[str, Any]) -> ErrorKind:
    """Apply the vendors' documented error bodies (see the module docstring)."""
    if status == 429:
        codes = {str(error.get("type") or ""), str(error.get("code") or "")}
        if codes & OPENAI_BILLING_CODES:
            return ErrorKind.BILLING
    if status == 400:
        reasons = {str(item.get("reason", "")) for item in _details(error)}
        if reasons & GEMINI_AUTH_REASONS:
            return ErrorKind.AUTH
        if error.get("status") == "FAILED_PRECONDITION":
            return ErrorKind.BILLING
    if error.get("type") == "billing_error":
        return ErrorKind.BILLING
    return kind


def vendor_message(exc: Exception, error: Mapping[str, Any]) -> str | None:
    message = error.get("message")
    if isinstance(message, str) and message.strip():
        return message
    # The SDKs' own summaries ("Error code: 500") when the body had no message; never str(exc) of a
    # google-genai error, which embeds the whole response body.
    for attribute in ("api_message", "message"):
        value = getattr(exc, attribute, None)
        if isinstance(value, str) and value.strip():
            return value
    status = error.get("status")
    return str(status) if isinstance(status, str) else None


def classify_http_sdk_error(exc: Exception) -> ProviderError:
    """For the openai, anthropic and google-genai SDKs."""
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int):
        code = getattr(exc, "code", None)  # google-genai APIError
        status = code if isinstance(code, int) and 100 <= code <= 599 else None
    if status is not None:
        error = _error_object(exc)
        headers = getattr(getattr(exc, "response", None), "headers", None)
        retry_after = retry_after_seconds(headers)
        if retry_after is None:
            retry_after = retry_info_delay(error)
        return ProviderError(
            refine_kind(kind_for_status(status), status, error),
            status_code=status,
            retry_after_s=retry_after,
            vendor_message=vendor_message(exc, error),
        )
    kind = transport_kind(exc)
    if kind is not None:
        return ProviderError(kind, vendor_message=str(exc) or type(exc).__name__)
    # Anything else raised while the SDK read the answer (a body that is not JSON, a missing field) means the
    # answer was not in the provider's format.
    return ProviderError(ErrorKind.BAD_RESPONSE, vendor_message=type(exc).__name__)
