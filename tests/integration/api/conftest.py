"""The real template.yaml served by the local runtime on loopback, driven over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from careercoach import dependencies
from local.runtime import LocalRuntime
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


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    dependencies.reset()
    with LocalRuntime(
        ROOT / "template.yaml", env_overrides={"MONGODB_URI": "mongomock://localhost/integration"}
    ) as rt:
        yield rt
    dependencies.reset()


@pytest.fixture(scope="module")
def api(runtime: LocalRuntime) -> ApiClient:
    return ApiClient(runtime.http_url)
