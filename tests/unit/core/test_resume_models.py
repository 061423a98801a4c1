"""Both input forms normalise into one stored shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from careercoach.models.resume import ResumeInput, detect_language
from careercoach.resumes import merge_patch

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
ROOT_SAMPLES = sorted(SAMPLES.glob("*.json")) if SAMPLES.exists() else []


@pytest.mark.skipif(not ROOT_SAMPLES, reason="shared/samples is beside the checkout only")
@pytest.mark.parametrize("path", ROOT_SAMPLES, ids=lambda p: p.name)
def test_every_shared_sample_is_accepted(path: Path) -> None:
    content = ResumeInput.model_validate(json.loads(path.read_text(encoding="utf-8"))).to_content()
    assert content.summary


def test_short_form_with_fractional_years() -> None:
    content = ResumeInput(career_summary="Data engineer", years_experience=2.5).to_content()
    assert content.total_experience_months == 30
    assert content.language == "en"


def test_tech_skills_are_stored_as_others_without_duplicates() -> None:
    content = ResumeInput.model_validate(
        {"summary": "x", "technical_skills": {"backend": ["Go"]}, "tech_skills": ["Go", "Rust", "Go"]}
    ).to_content()
    assert content.technical_skills == {"backend": ["Go"], "others": ["Go", "Rust"]}


def test_tech_skills_beside_an_others_category_are_refused() -> None:
    """One or the other: a merge of the two could pass the category's limit, which no document can state."""
    with pytest.raises(ValidationError) as raised:
        ResumeInput.model_validate(
            {"summary": "x", "technical_skills": {"others": ["Go"]}, "tech_skills": ["Rust"]}
        )
    assert raised.value.errors()[0]["type"] == "tech_skills_with_others"


def test_whitespace_is_trimmed_and_blank_is_rejected() -> None:
    assert ResumeInput(summary="  padded  ").to_content().summary == "padded"
    with pytest.raises(ValidationError):
        ResumeInput(summary="   ")


@pytest.mark.parametrize(
    ("text", "language"), [("백엔드 개발자", "ko"), ("Backend developer", "en"), ("", "en")]
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_explicit_language_wins() -> None:
    assert ResumeInput(summary="백엔드", language="en").to_content().language == "en"


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        ({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": None, "e": 4}}, {"a": 1, "b": {"d": 3, "e": 4}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),
        ({"a": 1}, {"a": None, "b": None}, {}),
        ({"a": "x"}, {"a": {"b": 1}}, {"a": {"b": 1}}),
    ],
)
def test_merge_patch_follows_rfc_7386(
    target: dict[str, Any], patch: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert merge_patch(target, patch) == expected
