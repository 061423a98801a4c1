"""The WebSocket $connect REQUEST authorizer: API Gateway's event in, an IAM policy out.

The token comes from the `token` query parameter (browsers cannot set headers on a WebSocket) or an
`Authorization: Bearer` header from other clients, and is verified by careercoach.auth.TokenVerifier."""

from __future__ import annotations

from typing import Any

from careercoach.auth import InvalidToken, TokenVerifier
from careercoach.observability import logger


def bearer_token(event: dict[str, Any]) -> str | None:
    query = event.get("queryStringParameters") or {}
    token = query.get("token")
    if isinstance(token, str) and token:
        return token
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    value = headers.get("authorization")
    if isinstance(value, str) and value[:7].lower() == "bearer " and value[7:].strip():
        return value[7:].strip()
    return None


def authorize_websocket(event: dict[str, Any], token_verifier: TokenVerifier) -> dict[str, Any]:
    """An Allow policy with the owner in its context, or `Unauthorized` (which API Gateway answers with 401
    and no connection)."""
    token = bearer_token(event)
    if token is None:
        logger.info("WebSocket connect refused", extra={"reason": "no_token"})
        raise PermissionError("Unauthorized")
    try:
        claims = token_verifier.verify(token)
    except InvalidToken as exc:
        logger.info("WebSocket connect refused", extra={"reason": exc.reason})
        raise PermissionError("Unauthorized") from None
    except Exception as exc:  # a verifier bug still refuses (401), never opens or crashes (500)
        logger.error(
            "WebSocket connect refused by an unexpected error", extra={"error_type": type(exc).__name__}
        )
        raise PermissionError("Unauthorized") from None
    subject = claims["sub"]
    return {
        "principalId": subject,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}
            ],
        },
        "context": {"owner": subject},
    }
