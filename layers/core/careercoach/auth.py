"""Who is calling, and verifying their token.

With auth on (AUTH_ISSUER set), the HTTP API's native JWT authorizer has verified the bearer token before a
function runs; the caller is the token's `sub` (careercoach.api.caller reads it from the event). The
WebSocket API has no native JWT authorizer, so its $connect route uses a Lambda REQUEST authorizer
(careercoach.api.authorizer) that verifies the token with `TokenVerifier`, against the issuer's JWKS
(discovered from its OpenID configuration, cached), with the rules the HTTP API applies: an RSA signature
by a published key, the issuer, the audience (`aud`, or `client_id` as Cognito access tokens carry it),
`exp`, `nbf` and `iat`.

With auth off every caller is anonymous: they own what they create under the empty owner, and their quota is
counted per source IP."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from careercoach.observability import logger
from careercoach.settings import Settings

ANONYMOUS = ""
# API Gateway's JWT authorizer accepts RSA signatures only; so does this verifier ("none" never).
ALGORITHMS = ("RS256", "RS384", "RS512")
_REFRESH_FLOOR_S = 60  # an unknown `kid` refetches the key set at most this often


@dataclass(frozen=True)
class Caller:
    owner: str
    authenticated: bool
    source_ip: str = ""

    @property
    def quota_subject(self) -> str:
        """Whose hourly generation quota a request counts against."""
        return f"sub#{self.owner}" if self.authenticated else f"ip#{self.source_ip or 'unknown'}"


def auth_enabled(settings: Settings) -> bool:
    return bool(settings.auth_issuer)


class InvalidToken(Exception):
    """The token is refused; `reason` is a short code safe to log (never the token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _fetch_json(url: str, timeout_s: float) -> dict[str, Any]:
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise InvalidToken("bad_jwks_url")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (scheme checked)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (scheme checked)
            document = json.loads(response.read(1024 * 1024))
    # Not only OSError and ValueError: http.client.HTTPException (a truncated body), RecursionError (deeply
    # nested JSON). Whatever the issuer serves, the answer is "keys unavailable", never a crash.
    except Exception as exc:
        raise InvalidToken("jwks_unavailable") from exc
    if not isinstance(document, dict):
        raise InvalidToken("jwks_unavailable")
    return document


class TokenVerifier:
    """Verifies JWTs from one issuer for a set of audiences. Keys are cached for `max_age_s`; a token signed
    with an unknown key id refetches them (at most once a minute), which is how key rotation is picked up."""

    def __init__(
        self,
        issuer: str,
        audiences: tuple[str, ...],
        *,
        jwks_uri: str | None = None,
        leeway_s: int = 0,
        max_age_s: int = 3600,
        timeout_s: float = 3.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = issuer
        self.audiences = audiences
        self._jwks_uri = jwks_uri
        self._leeway_s = leeway_s
        self._max_age_s = max_age_s
        self._timeout_s = timeout_s
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or InvalidToken. Nothing else is raised, whatever the token or the issuer's
        key set holds: the authorizer must answer 401, and an exception would make it answer 500."""
        import jwt

        try:
            header = jwt.get_unverified_header(token)
        except Exception:  # PyJWTError, and whatever else a future PyJWT may raise on a malformed token
            raise InvalidToken("malformed") from None
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS:
            raise InvalidToken("unsigned" if str(algorithm).lower() == "none" else "unsupported_algorithm")
        key = self._key(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self.issuer,
                leeway=self._leeway_s,
                options={"require": ["exp", "iss", "sub"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("expired") from None
        except jwt.ImmatureSignatureError:
            raise InvalidToken("not_yet_valid") from None
        except jwt.InvalidIssuerError:
            raise InvalidToken("wrong_issuer") from None
        except jwt.InvalidSignatureError:
            raise InvalidToken("bad_signature") from None
        except jwt.PyJWTError:
            raise InvalidToken("invalid") from None
        except Exception as exc:  # e.g. the TypeError a key of the wrong type raised (issue 20)
            logger.info("Token refused by an unexpected error", extra={"error_type": type(exc).__name__})
            raise InvalidToken("invalid") from None
        if not self._audience_matches(claims):
            raise InvalidToken("wrong_audience")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise InvalidToken("no_subject")
        return claims

    def _audience_matches(self, claims: dict[str, Any]) -> bool:
        audience = claims.get("aud", claims.get("client_id"))
        values = audience if isinstance(audience, list) else [audience]
        return any(isinstance(value, str) and value in self.audiences for value in values)

    def _key(self, kid: object) -> Any:
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("no_key_id")
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at > self._max_age_s
            unknown = kid not in self._keys and (
                self._fetched_at is None or now - self._fetched_at > _REFRESH_FLOOR_S
            )
            if stale or unknown:
                self._refresh(now)
            key = self._keys.get(kid)
        if key is None:
            raise InvalidToken("unknown_key")
        return key

    def _refresh(self, now: float) -> None:
        import jwt

        uri = self._jwks_uri or self._discover()
        document = _fetch_json(uri, self._timeout_s)
        try:
            key_set = jwt.PyJWKSet.from_dict(document)
            # Only keys that can check the accepted (RSA) signatures: a `kid` naming an EC, OKP or symmetric
            # key of the set, or an encryption key, is then an unknown key rather than a TypeError in decode.
            keys = {
                key.key_id: key.key
                for key in key_set.keys
                if isinstance(key.key_id, str)
                and key.key_id
                and key.key_type == "RSA"
                and key.public_key_use in (None, "sig")
            }
        except Exception:  # PyJWKSetError, and what malformed entries raise (AttributeError, TypeError...)
            raise InvalidToken("jwks_unavailable") from None
        self._keys = keys
        self._fetched_at = now
        logger.info("Fetched the issuer's signing keys", extra={"keys": len(self._keys)})

    def _discover(self) -> str:
        configuration = _fetch_json(
            f"{self.issuer.rstrip('/')}/.well-known/openid-configuration", self._timeout_s
        )
        uri = configuration.get("jwks_uri")
        if not isinstance(uri, str) or not uri:
            raise InvalidToken("jwks_unavailable")
        self._jwks_uri = uri
        return uri


def verifier(settings: Settings) -> TokenVerifier:
    """The verifier for this deployment's issuer (the container keeps one per execution environment, so its
    key cache lives as long as the environment does)."""
    if not settings.auth_issuer:
        raise RuntimeError("AUTH_ISSUER is not set")
    audiences = tuple(a.strip() for a in (settings.auth_audience or "").split(",") if a.strip())
    return TokenVerifier(settings.auth_issuer, audiences, jwks_uri=settings.auth_jwks_uri)
