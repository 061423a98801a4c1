"""Unit tests run against an in-memory MongoDB stand-in (mongomock), with the generation quota (which lives
in DynamoDB) off, unless a test says otherwise."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from careercoach import container


@pytest.fixture(autouse=True)
def isolated_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty in-memory database for every test, and no cached clients either side of it."""
    database = f"careercoach_test_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MONGODB_URI", f"mongomock://localhost/{database}")
    monkeypatch.setenv("MONGODB_DATABASE", database)
    monkeypatch.setenv("GENERATION_QUOTA_PER_HOUR", "0")
    container.reset()
    yield database
    container.reset()
