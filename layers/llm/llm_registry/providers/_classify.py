"""Map SDK exceptions and HTTP statuses to error kinds, without importing any SDK.

The openai and anthropic SDKs raise errors with `status_code` and `response.headers`; google-genai raises
`APIError` with `code` and `response`; transport failures come from httpx / httpx2 / urllib3 classes whose
names are stable across those libraries. Matching on attributes and class names keeps this module free of
SDK imports, so that loading one provider never loads another's SDK."""

from __future__ import annotations

import email.utils
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


def kind_for_status(status: int) -> ErrorKind:
    if status in (401, 403):
        return ErrorKind.AUTH
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


def classify_http_sdk_error(exc: Exception) -> ProviderError:
    """For the openai, anthropic and google-genai SDKs."""
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int):
        code = getattr(exc, "code", None)  # google-genai APIError
        status = code if isinstance(code, int) and 100 <= code <= 599 else None
    if status is not None:
        headers = getattr(getattr(exc, "response", None), "headers", None)
        return ProviderError(
            kind_for_status(status), status_code=status, retry_after_s=retry_after_seconds(headers)
        )
    kind = transport_kind(exc)
    if kind is not None:
        return ProviderError(kind)
    # Anything else raised while the SDK read the answer (a body that is not JSON, a missing field) means the
    # answer was not in the provider's format.
    return ProviderError(ErrorKind.BAD_RESPONSE)
