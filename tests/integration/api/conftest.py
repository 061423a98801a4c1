"""The real template.yaml served by the local runtime on loopback, driven over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import llm_registry
from careercoach import container
from local.runtime import LocalRuntime
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.local.support import Client, Reply

ROOT: Path = Path(__file__).resolve().parents[3]


class ApiClient(Client):
    def json(
        self, method: str, path: str, body: Any = None, headers: list[tuple[str, str]] | None = None
    ) -> Reply:
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        sent = [("content-type", "application/json"), *(headers or [])] if data is not None else headers
        return self.request(method, path, data, sent)


def body_of(reply: Reply) -> Any:
    return json.loads(reply.body) if reply.body else None


@contextmanager
def local_runtime(env: dict[str, str], **options: Any) -> Iterator[LocalRuntime]:
    """The real template on loopback. Cached clients and settings from earlier tests are dropped on both
    sides, so the handlers see this runtime's environment. Failed messages come back after 1 s, not 720 s.
    `options` go to LocalRuntime: `auth=True` points AuthIssuer/AuthAudience at a local development issuer
    (`runtime.dev_issuer`, audience `careercoach-local`), so data routes need a token it minted."""
    container.reset()
    runtime = LocalRuntime(ROOT / "template.yaml", env_overrides=env, sqs_retry_delay_seconds=1, **options)
    with runtime as started:
        llm_registry.reset()
        container.reset()
        yield started
    llm_registry.reset()
    container.reset()


def openai_env(server: OpenAIChatServer, database: str, *, fanout: str = "off") -> dict[str, str]:
    """Only OpenAI, pointed at the loopback fake, through the variables production uses. Each result is
    written by one call unless `fanout="auto"` (the production default), whose tests script every part."""
    return {
        "MONGODB_URI": f"mongomock://localhost/{database}",
        "LLM_PROVIDERS": "openai",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": server.base_url,
        "LLM_REQUEST_RESERVE_MS": "0",
        "GENERATION_FANOUT": fanout,
    }


@pytest.fixture(scope="module")
def openai_fake() -> Iterator[OpenAIChatServer]:
    with OpenAIChatServer() as server:
        yield server


@pytest.fixture
def fake(openai_fake: OpenAIChatServer) -> OpenAIChatServer:
    openai_fake.reset()
    return openai_fake


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    with local_runtime({"MONGODB_URI": "mongomock://localhost/integration"}) as started:
        yield started


@pytest.fixture(scope="module")
def api(runtime: LocalRuntime) -> ApiClient:
    return ApiClient(runtime.http_url)


# --- auth on: the development issuer and tokens -----------------------------------------------------------
class BearerApiClient(ApiClient):
    """An ApiClient that sends `Authorization: Bearer <token>` with every request (a token of None: none)."""

    def __init__(self, base_url: str, token: str | None) -> None:
        super().__init__(base_url)
        self.token = token

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: list[tuple[str, str]] | None = None
    ) -> Reply:
        sent = list(headers or [])
        if self.token is not None and not any(name.lower() == "authorization" for name, _ in sent):
            sent.append(("Authorization", f"Bearer {self.token}"))
        return super().request(method, path, body, sent)


@pytest.fixture(scope="module")
def auth_runtime(request: pytest.FixtureRequest) -> Iterator[LocalRuntime]:
    """The real template with auth on, one per test module, on its own mongomock database."""
    database = "auth_" + request.module.__name__.rpartition(".")[2]
    with local_runtime({"MONGODB_URI": f"mongomock://localhost/{database}"}, auth=True) as started:
        yield started


@pytest.fixture(scope="module")
def mint_token(auth_runtime: LocalRuntime) -> Callable[..., str]:
    """`mint_token("alice")` -> a valid token for sub alice; keywords as DevIssuer.token (`expires_in=-60`,
    `audience="other"`, extra claims)."""
    issuer = auth_runtime.dev_issuer
    assert issuer is not None
    return issuer.token


@pytest.fixture(scope="module")
def as_user(
    auth_runtime: LocalRuntime, mint_token: Callable[..., str]
) -> Callable[[str | None], BearerApiClient]:
    """`as_user("alice")` -> an ApiClient calling the auth runtime with alice's token; `as_user(None)` sends
    no token."""

    def client(sub: str | None) -> BearerApiClient:
        return BearerApiClient(auth_runtime.http_url, mint_token(sub) if sub is not None else None)

    return client
