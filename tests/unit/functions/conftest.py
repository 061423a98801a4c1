"""Fixtures shared by the handler tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import llm_registry


@pytest.fixture(autouse=True)
def offline_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No provider configured: the offline generator, evaluator and extractor answer, as under `make run`."""
    monkeypatch.delenv("LLM_PROVIDERS", raising=False)
    llm_registry.reset()
    yield
    llm_registry.reset()
