"""Fixtures for the resume-import tests: the importer over the unit tests' in-memory database, and an LLM
environment with nothing configured (the offline extractor answers) unless a test points a provider at a
fake server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from careercoach import container
from careercoach.importing import ResumeImporter
from tests.fakes.llm_env import LlmEnvironment
from tests.fakes.plugin import llm_env, openai_server  # noqa: F401 - fixtures, used by name
from tests.support.documents import require_font

OWNER = "owner-import"
TODAY = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def korean_font() -> None:
    require_font()


@pytest.fixture
def importer(llm_env: LlmEnvironment) -> Iterator[ResumeImporter]:  # noqa: F811
    yield ResumeImporter(container.current().resumes, clock=lambda: TODAY)
