"""Integration fixtures: the fixture template served by a real LocalRuntime on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local.runtime import LocalRuntime
from tests.integration.local.support import FIXTURES, Client


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    with LocalRuntime(FIXTURES / "template.yaml") as started:
        yield started


@pytest.fixture(scope="module")
def client(runtime: LocalRuntime) -> Client:
    return Client(runtime.http_url)
