"""The resume corpus and shared checks for the offline generator's tests."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from careercoach.models.resume import ResumeContent, ResumeInput
from careercoach.offline import OfflineGenerator

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SHARED_SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
CORPUS_FILES = sorted(CORPUS.glob("*.json"))

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Resume values are shown inside typographic quotes: single in Korean output, double in English output.
QUOTED_SPAN = re.compile("\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019")


def load(path: Path) -> ResumeContent:
    return ResumeInput.model_validate(json.loads(path.read_text(encoding="utf-8"))).to_content()


def hangul_outside_quotes(text: str) -> bool:
    return bool(HANGUL.search(QUOTED_SPAN.sub("", text)))


@pytest.fixture(scope="session")
def generator() -> OfflineGenerator:
    return OfflineGenerator()


@pytest.fixture(scope="session")
def corpus() -> dict[str, ResumeContent]:
    return {path.stem: load(path) for path in CORPUS_FILES}


@pytest.fixture(scope="session")
def load_resume() -> Callable[[Path], ResumeContent]:
    return load


@pytest.fixture(scope="session")
def english_leak() -> Callable[[str], bool]:
    """True when English output has Hangul outside the quoted resume spans."""
    return hangul_outside_quotes
