"""A local OpenID issuer for development: an RSA key made at start, its discovery document and JWKS on
127.0.0.1, and tokens for any subject.

It stands in for a real identity provider (Cognito, Auth0...) when the runtime runs with auth on
(`LocalRuntime(auth=True)`, `python -m local run --auth`): the template's AuthIssuer points at it, so the
HTTP API's JWT authorizer emulation and the WebSocket $connect authorizer fetch its keys exactly as they fetch
a real issuer's (`{issuer}/.well-known/openid-configuration` -> `jwks_uri`).

- `GET /.well-known/openid-configuration`: `issuer`, `jwks_uri` (and the few fields OpenID requires);
- `GET /.well-known/jwks.json`: the public key;
- `GET /token?sub=alice[&expires_in=3600][&scope=a+b]`: a signed token for `sub`, as
  `{"access_token", "token_type": "Bearer", "expires_in"}`. Development only: anyone who can reach this
  loopback port gets a token for anyone, which is fine because nothing but this run trusts the key (a new
  one is made at every start, so tokens die with the process).

In-process code mints tokens directly: `issuer.token("alice")`, `issuer.token("bob", expires_in=-60)`.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from local.loopback import LoopbackServer

log = logging.getLogger("local.dev_issuer")

DEV_AUDIENCE = "careercoach-local"
DEV_SUBJECT = "dev-user"
ALGORITHM = "RS256"
MAX_EXPIRES_IN = 7 * 24 * 3600  # what GET /token hands out at most
OPENID_CONFIGURATION = "/.well-known/openid-configuration"
JWKS_PATH = "/.well-known/jwks.json"
TOKEN_PATH = "/token"  # noqa: S105 (a URL path, not a secret)


class DevIssuer(LoopbackServer):
    """Serves one issuer on 127.0.0.1 (`port` 0: any free port). `bind()` fixes the URL before `start()`, so
    the template's parameters can name it first."""

    name = "dev-issuer"
    description = "the development issuer"
    thread_name = "local-dev-issuer"

    def __init__(self, audience: str = DEV_AUDIENCE, port: int = 0, key_size: int = 2048) -> None:
        self.audience = audience
        self.key_id = secrets.token_hex(8)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        super().__init__(port)

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_class(self)

    # --- addresses ----------------------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        """The issuer identifier (`iss`): its URL, also the base of its endpoints."""
        return self.url

    @property
    def jwks_uri(self) -> str:
        return f"{self.url}{JWKS_PATH}"

    @property
    def token_url(self) -> str:
        return f"{self.url}{TOKEN_PATH}"

    # --- lifecycle ----------------------------------------------------------------------------------
    def __enter__(self) -> DevIssuer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- documents ----------------------------------------------------------------------------------
    def openid_configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": self.jwks_uri,
            "token_endpoint": self.token_url,
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
        }

    def jwks(self) -> dict[str, Any]:
        key: dict[str, Any] = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        key.update({"kid": self.key_id, "use": "sig", "alg": ALGORITHM})
        return {"keys": [key]}

    def token(
        self,
        sub: str = DEV_SUBJECT,
        *,
        audience: str | list[str] | None = None,
        expires_in: int = 3600,
        **claims: Any,
    ) -> str:
        """A token signed by this issuer: `iss`, `sub`, `aud` (this issuer's audience unless given), `iat`,
        `exp` (`expires_in` seconds from now; negative for an expired one), plus `claims`, which win."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "sub": sub,
            "aud": self.audience if audience is None else audience,
            "iat": now,
            "exp": now + expires_in,
            "jti": secrets.token_hex(8),
            **claims,
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM, headers={"kid": self.key_id})

    # --- GET /token ---------------------------------------------------------------------------------
    def token_response(self, query: str) -> tuple[int, dict[str, Any]]:
        params = {key: values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()}
        sub = params.get("sub", DEV_SUBJECT).strip()
        if not sub or len(sub) > 256:
            return 400, {"error": "invalid_request", "error_description": "sub: 1 to 256 characters"}
        try:
            expires_in = int(params.get("expires_in", "3600"))
        except ValueError:
            expires_in = 0
        if not 1 <= expires_in <= MAX_EXPIRES_IN:
            description = f"expires_in: 1 to {MAX_EXPIRES_IN} seconds"
            return 400, {"error": "invalid_request", "error_description": description}
        extra = {"scope": params["scope"]} if params.get("scope") else {}
        token = self.token(sub, expires_in=expires_in, **extra)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": expires_in}


def _handler_class(issuer: DevIssuer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == OPENID_CONFIGURATION:
                status, document = 200, issuer.openid_configuration()
            elif parts.path == JWKS_PATH:
                status, document = 200, issuer.jwks()
            elif parts.path == TOKEN_PATH:
                status, document = issuer.token_response(parts.query)
                if status == 200:
                    log.info("minted a development token for a subject")  # never the token or the sub
            else:
                status, document = 404, {"error": "not_found"}
            body = json.dumps(document).encode()
            self.send_response_only(status)
            self.send_header("date", self.date_time_string())
            self.send_header("content-type", "application/json")
            self.send_header("cache-control", "no-store")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # no access log: a /token query names the subject

    return Handler
