"""The original system's resumes: its whole schema accepted, stored and returned under its own names; what
generation can use of it (activities, project highlights, certificate dates) in the prompt, the grounding
checks and the offline generator; its URLs and contact data in none of them."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from pydantic import ValidationError

from careercoach.checks import question_problems
from careercoach.models.generation import CATEGORIES, QuestionDraft
from careercoach.models.resume import ResumeContent, ResumeInput
from careercoach.offline import OfflineGenerator
from careercoach.prompts import interview_prompt, learning_prompt
from careercoach.prompts.builder import CatalogLine
from careercoach.resume_items import resume_items
from tests.support.original_system import ORIGINAL_EXAMPLE_RESUME, ORIGINAL_MINIMAL_RESUME, differences

CATALOG = [CatalogLine(id="redis-docs", title="Redis documentation", kind="docs")]
URL = re.compile(r"https?://")


def content(raw: dict[str, Any] = ORIGINAL_EXAMPLE_RESUME) -> ResumeContent:
    return ResumeInput.model_validate(copy.deepcopy(raw)).to_content()


def test_every_field_of_the_original_schema_is_kept_under_its_own_name() -> None:
    stored = content().model_dump(mode="json")
    # Everything the client sent comes back unchanged, nulls included; the stored shape adds empty fields.
    assert differences(ORIGINAL_EXAMPLE_RESUME, {k: v for k, v in stored.items() if k != "language"}) == []
    assert stored["contact"]["portfolio"] is None
    project = stored["personal_projects"][0]
    assert project["duration"] == "2024.09 - 현재 진행중"
    assert project["github_url"] == "https://github.com/hanserver-example/seatnow"
    assert project["architecture_highlights"][1].startswith("Terraform으로")
    assert stored["certifications"][0]["expiry_date"] == "2027.11.02"
    assert stored["certifications"][1]["credential_url"] == "https://www.q-net.or.kr/example-credential"
    assert stored["activities"][0]["url"] == "https://github.com/konlp-example"
    assert stored["language"] == "ko"


def test_the_minimal_original_resume_with_empty_lists_is_accepted() -> None:
    stored = content(ORIGINAL_MINIMAL_RESUME)
    assert stored.activities == [] and stored.total_experience_months == 0


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ((), "nickname"),
        (("contact",), "twitter"),
        (("personal_projects", 0), "stars"),
        (("certifications", 0), "score"),
        (("activities", 0), "role"),
    ],
)
def test_fields_of_neither_form_are_still_refused(path: tuple[Any, ...], field: str) -> None:
    raw = copy.deepcopy(ORIGINAL_EXAMPLE_RESUME)
    target: Any = raw
    for step in path:
        target = target[step]
    target[field] = "x"
    with pytest.raises(ValidationError) as refused:
        ResumeInput.model_validate(raw)
    assert [e["loc"] for e in refused.value.errors()] == [(*path, field)]
    assert refused.value.errors()[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("contact", "portfolio"), "portfolio.example.com"),
        (("personal_projects", 0, "github_url"), "git@github.com:x/y.git"),
        (("personal_projects", 0, "demo_url"), ""),
        (("certifications", 0, "credential_url"), "javascript:alert(1)"),
        (("activities", 0, "url"), "ftp://example.com"),
        (("activities", 0, "type"), "   "),
        (("personal_projects", 0, "architecture_highlights"), ["x" * 501]),
    ],
)
def test_original_fields_are_validated(path: tuple[Any, ...], value: Any) -> None:
    raw = copy.deepcopy(ORIGINAL_EXAMPLE_RESUME)
    target: Any = raw
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(ValidationError):
        ResumeInput.model_validate(raw)


def test_activities_highlights_and_certificate_dates_are_resume_items() -> None:
    items = {item.source: item for item in resume_items(content())}
    assert items["activities[0]"].text == "오픈소스 / KoNLP 컨트리뷰터 모임 / 2024.01 ~ 현재"
    assert items["activities[0].description"].kind == "activity"
    assert items["activities[0].achievements[1]"].text == "월간 밋업에서 비동기 I/O 발표"
    highlight = items["personal_projects[0].architecture_highlights[0]"]
    assert (highlight.kind, highlight.group) == ("achievement", "SeatNow")
    assert items["personal_projects[0]"].text == "SeatNow / 2024.09 - 현재 진행중"
    assert items["certifications[0]"].text.endswith("Amazon Web Services / 2024.11.02 ~ 2027.11.02")
    assert items["certifications[1]"].text == "정보처리기사 / 한국산업인력공단 / 2023.06.16"


def test_an_expiry_without_an_issue_date_reads_as_valid_until() -> None:
    raw = copy.deepcopy(ORIGINAL_EXAMPLE_RESUME)
    raw["certifications"] = [{"name": "CKA", "expiry_date": "2027.01.01"}]
    (cert,) = [i for i in resume_items(content(raw)) if i.kind == "certification"]
    assert cert.text == "CKA / ~ 2027.01.01"


def test_the_prompt_carries_activities_and_highlights_but_no_url_contact_or_name() -> None:
    resume = content()
    built = [
        interview_prompt(resume, count=5, language="ko"),
        learning_prompt(resume, language="en", catalog=CATALOG, job_description="Go, Kafka"),
    ]
    for prompt in built:
        data = prompt.user.split("<resume>")[1].split("</resume>")[0]
        assert "[activities[0].achievements[0]] asyncio 래퍼 PR 병합, 처리량 3배 개선" in data
        assert "[personal_projects[1].architecture_highlights[0]] MongoDB 집계 파이프라인으로" in data
        assert "2024.11.02 ~ 2027.11.02" in data
        assert not URL.search(data), "no URL of any kind reaches a prompt"
        for private in ("한서버", "010-2345-6789", "han.server@example.com", "hanserver-example", "seatnow."):
            assert private not in prompt.system + prompt.user


def test_groundings_on_activities_and_highlights_pass_the_checks() -> None:
    resume = content()
    sources = [
        "activities[0].achievements[0]",
        "activities[0].description",
        "personal_projects[0].architecture_highlights[0]",
        "personal_projects[1].architecture_highlights[0]",
        "certifications[0]",
    ]
    items = {item.source: item for item in resume_items(resume)}
    draft = QuestionDraft.model_validate(
        {
            "questions": [
                {
                    "id": f"q{n + 1}",
                    "category": CATEGORIES[n],
                    "difficulty": "medium",
                    "question": f"이 경험에서 가장 어려웠던 결정은 무엇이었나요? ({n + 1})",
                    "intent": "설계 판단",
                    "grounding": {"source": source, "quote": items[source].text[:30]},
                    "key_points": ["배경", "결과"],
                    "follow_ups": ["다시 한다면?"],
                }
                for n, source in enumerate(sources)
            ]
        }
    )
    assert question_problems(draft, resume, count=5, language="ko") == []


def test_the_offline_generator_reads_activities_and_highlights() -> None:
    generator = OfflineGenerator()
    resume = content()
    profile = generator.profile(resume)
    evidence = {e.source for use in profile.skills.values() for e in use.evidence}
    assert "activities[0].description" in evidence  # "비동기 API": a skill shown by the activity
    assert "personal_projects[0].architecture_highlights[1]" in evidence  # Terraform, GKE
    assert "personal_projects[1].architecture_highlights[0]" in {a.source for a in profile.achievements}

    grounded: set[str] = set()
    for seed in range(3):
        draft = generator.questions(resume, count=10, seed=seed)
        assert question_problems(draft, resume, count=10, language="ko") == []
        grounded |= {q.grounding.source for q in draft.questions}
    assert any(".architecture_highlights[" in source for source in grounded), grounded
    assert any(source.startswith("activities[") for source in grounded), grounded
