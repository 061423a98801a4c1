"""Who is calling an HTTP API (payload 2.0) route, read from API Gateway's event.

With auth on, the HTTP API's JWT authorizer has verified the bearer token and passes its claims; the caller
is the token's `sub`. A request that reaches a data route without verified claims (a route left without the
authorizer) is refused, never served anonymously. With auth off every caller is anonymous."""

from __future__ import annotations

from typing import Any

from careercoach.auth import ANONYMOUS, Caller
from careercoach.errors import Unauthenticated


def http_caller(event: dict[str, Any], *, auth_enabled: bool) -> Caller:
    context = event.get("requestContext") or {}
    source_ip = str((context.get("http") or {}).get("sourceIp") or "")
    if not auth_enabled:
        return Caller(ANONYMOUS, False, source_ip)
    claims = ((context.get("authorizer") or {}).get("jwt") or {}).get("claims") or {}
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated()
    return Caller(subject, True, source_ip)
