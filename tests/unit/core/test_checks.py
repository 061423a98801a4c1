"""careercoach.checks: every problem the generation checks report, table-driven (issue 20, item 9).

Each row is one draft that breaks one rule (everything else valid), with the message it must produce; a valid
draft reports nothing. The normalisation that runs before the checks (renumbering, sorting steps, re-pointing
a grounding) has tests of its own at the end."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from careercoach.checks import (
    in_language,
    learning_path_problems,
    normalise_learning_path,
    normalise_questions,
    question_problems,
    required_categories,
)
from careercoach.models.generation import LearningPathDraft, QuestionDraft
from careercoach.models.resume import ResumeContent

RESUME = ResumeContent.model_validate(
    {
        "summary": "Backend engineer who cut p99 latency by 40% with Redis caching.",
        "job_roles": ["Backend engineer"],
        "work_experiences": [
            {
                "company": "Acme",
                "position": "Senior engineer",
                "tech_stack": ["Kafka", "PostgreSQL"],
                "achievements": ["Migrated billing to event sourcing", "Led a team of five"],
            }
        ],
        "personal_projects": [{"name": "Tiny DB", "tech_stack": ["Rust"], "description": "A toy LSM tree"}],
        "technical_skills": {"languages": ["Go", "Python"], "cloud": ["AWS Lambda"]},
        "certifications": [{"name": "AWS Solutions Architect"}],
        "education": [{"institution": "KAIST", "major": "Computer Science"}],
        "language": "en",
    }
)
CATALOG = {"redis-docs", "k8s-course", "ddia-book"}


# ---- interview questions ---------------------------------------------------------------------------------


def question(n: int, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"q{n}",
        "category": ["technical", "project_deep_dive", "system_design", "behavioral", "collaboration"][n % 5],
        "difficulty": "medium",
        "question": f"Question number {n}: how did you measure the effect of your change?",
        "intent": "Checks how the candidate measures results",
        "grounding": {"source": "summary", "quote": "cut p99 latency by 40%"},
        "key_points": ["baseline", "measurement"],
        "follow_ups": ["What would you change?"],
    }
    return {**base, **overrides}


def questions(count: int = 5, **changes: dict[str, Any]) -> QuestionDraft:
    """`count` valid questions; `changes` maps "q2" to the fields that question gets instead."""
    items = [question(n, **changes.get(f"q{n}", {})) for n in range(1, count + 1)]
    return QuestionDraft.model_validate({"questions": items})


def korean(count: int = 3) -> QuestionDraft:
    return QuestionDraft.model_validate(
        {
            "questions": [
                question(n, question=f"{n}번 질문: 지연 시간을 어떻게 측정했나요?")
                for n in range(1, count + 1)
            ]
        }
    )


def test_a_valid_set_reports_nothing() -> None:
    assert question_problems(questions(5), RESUME, count=5, language="en") == []
    assert question_problems(korean(3), RESUME, count=3, language="ko") == []


QUESTION_CASES: list[tuple[str, Callable[[], QuestionDraft], int, str, list[str]]] = [
    ("too few", lambda: questions(4), 5, "en", ["Return exactly 5 questions; you returned 4."]),
    ("too many", lambda: questions(6), 5, "en", ["Return exactly 5 questions; you returned 6."]),
    (
        "a repeated question, up to case and punctuation",
        lambda: questions(
            5, q4={"question": "QUESTION number 2 — how did you measure the effect of your change"}
        ),
        5,
        "en",
        ["q4 repeats q2; every question must be different."],
    ),
    (
        "the third copy names the first one it repeats",
        lambda: questions(
            5,
            q2={"question": "Same question?"},
            q3={"question": "Same question?"},
            q5={"question": "same question"},
        ),
        5,
        "en",
        [
            "q3 repeats q2; every question must be different.",
            "q5 repeats q2; every question must be different.",
        ],
    ),
    (
        "a quote that is not in the resume",
        lambda: questions(5, q3={"grounding": {"source": "summary", "quote": "cut latency by 90%"}}),
        5,
        "en",
        [
            "q3: grounding.quote must be copied exactly from one resume line; "
            "'cut latency by 90%' is not in the resume."
        ],
    ),
    (
        "a quote that spans two resume lines",
        lambda: questions(
            5, q1={"grounding": {"source": "summary", "quote": "Redis caching. Backend engineer"}}
        ),
        5,
        "en",
        [
            "q1: grounding.quote must be copied exactly from one resume line; "
            "'Redis caching. Backend engineer' is not in the resume."
        ],
    ),
    (
        "an English set with a Korean question",
        lambda: questions(5, q2={"question": "지연 시간을 어떻게 측정했나요? 설명해 주세요."}),
        5,
        "en",
        ["q2: write the question in English."],
    ),
    (
        "a Korean set in English",
        lambda: questions(3),
        3,
        "ko",
        [f"q{n}: write the question in Korean." for n in (1, 2, 3)],
    ),
    (
        "too few categories",
        lambda: questions(5, **{f"q{n}": {"category": "technical"} for n in range(1, 6)}),
        5,
        "en",
        ["Use at least 3 different categories; you used ['technical']."],
    ),
    (
        "two categories where three are needed",
        lambda: questions(3, q1={"category": "behavioral"}),
        3,
        "en",
        ["Use at least 3 different categories; you used ['behavioral', 'system_design']."],
    ),
]


@pytest.mark.parametrize(
    ("case", "draft", "count", "language", "expected"), QUESTION_CASES, ids=[c[0] for c in QUESTION_CASES]
)
def test_each_question_rule_reports_its_problem(
    case: str, draft: Callable[[], QuestionDraft], count: int, language: str, expected: list[str]
) -> None:
    assert question_problems(draft(), RESUME, count=count, language=language) == expected  # type: ignore[arg-type]


def test_problems_accumulate_in_order() -> None:
    draft = questions(
        4,
        q2={
            "question": "질문입니다 한국어로만 되어 있습니다",
            "grounding": {"source": "summary", "quote": "nowhere"},
        },
        q4={"question": "Question number 1: how did you measure the effect of your change?"},
    )
    assert question_problems(draft, RESUME, count=5, language="en") == [
        "Return exactly 5 questions; you returned 4.",
        "q2: grounding.quote must be copied exactly from one resume line; 'nowhere' is not in the resume.",
        "q2: write the question in English.",
        "q4 repeats q1; every question must be different.",
    ]


@pytest.mark.parametrize(("count", "needed"), [(1, 1), (2, 2), (3, 3), (5, 3), (10, 3)])
def test_the_category_spread_threshold(count: int, needed: int) -> None:
    assert required_categories(count) == needed
    # Exactly `needed` categories pass; one fewer reports the problem.
    cats = ["technical", "behavioral", "system_design"]
    enough = questions(count, **{f"q{n}": {"category": cats[(n - 1) % needed]} for n in range(1, count + 1)})
    assert question_problems(enough, RESUME, count=count, language="en") == []
    if needed > 1:
        fewer = questions(
            count, **{f"q{n}": {"category": cats[(n - 1) % (needed - 1)]} for n in range(1, count + 1)}
        )
        assert question_problems(fewer, RESUME, count=count, language="en") == [
            f"Use at least {needed} different categories; you used {sorted(set(cats[: needed - 1]))}."
        ]


def test_an_english_question_may_carry_a_korean_quote_from_the_resume() -> None:
    """8 Hangul of 20 letters is over the 30% limit, unless the quoted words are set aside."""
    resume = RESUME.model_copy(update={"job_roles": ["백엔드 개발자 팀장"]})
    grounding = {"source": "job_roles[0]", "quote": "백엔드 개발자 팀장"}
    draft = questions(3, q1={"question": "How did 백엔드 개발자 팀장 work go?", "grounding": grounding})
    assert question_problems(draft, resume, count=3, language="en") == []
    # The same words not quoted from the resume count against the language.
    unquoted = questions(3, q1={"question": "How did 백엔드 개발자 팀장 work go?"})
    assert question_problems(unquoted, resume, count=3, language="en") == [
        "q1: write the question in English."
    ]


def test_a_quote_that_normalises_to_nothing_is_not_in_the_resume() -> None:
    """A draft built in code (no validation) with a blank quote: the check still reports it."""
    draft = questions(3)
    draft.questions[0].grounding.quote = "   "
    assert question_problems(draft, RESUME, count=3, language="en") == [
        "q1: grounding.quote must be copied exactly from one resume line; '   ' is not in the resume."
    ]


def test_normalisation_renumbers_and_points_each_grounding_at_the_line_holding_its_quote() -> None:
    """Ids become q1..qn; a quote found in another item moves its source there; a quote found in several
    items keeps the one it named, or else goes to the first holding it; a quote found nowhere is left as is
    (the check reports it)."""
    draft = questions(
        4,
        q1={"id": "q7", "grounding": {"source": "summary", "quote": "Led a team of five"}},
        q2={"grounding": {"source": "job_roles[0]", "quote": "engineer"}},
        q3={"grounding": {"source": "nowhere", "quote": "ENGINEER"}},
        q4={"grounding": {"source": "education[0]", "quote": "not in the resume"}},
    )
    normalise_questions(draft, RESUME)
    assert [q.id for q in draft.questions] == ["q1", "q2", "q3", "q4"]
    assert [q.grounding.source for q in draft.questions] == [
        "work_experiences[0].achievements[1]",
        "job_roles[0]",  # "engineer" is in the summary first, but the line it named holds it too
        "summary",  # the first line holding it
        "education[0]",
    ]


# ---- the language rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "ignoring", "ok"),
    [
        ("한국어 문장", "ko", "", True),
        ("English only", "ko", "", False),
        ("Mostly English with 한", "ko", "", True),  # Korean needs some Hangul, no share
        ("English only", "en", "", True),
        ("1234 !!", "en", "", True),  # no letters at all
        ("abcdefg한국어", "en", "", True),  # 3 of 10 letters: exactly at the 30% limit
        ("abcdef한국어글", "en", "", False),  # 4 of 10
        ("abc 한국어글자", "en", "", False),
        ("abc 한국어글자", "en", "한국어글자", True),  # the quoted Korean is ignored
        ("한국 abc 한국어글자", "en", "한국어글자", False),  # 2 of 5 letters left: set aside, not replaced
        ("XXXXXXXX 한", "en", "", True),  # nothing set aside by default (1 of 9)
    ],
)
def test_in_language(text: str, language: str, ignoring: str, ok: bool) -> None:
    if ignoring:
        assert in_language(text, language, ignoring=ignoring) is ok  # type: ignore[arg-type]
    else:  # the default sets nothing aside
        assert in_language(text, language) is ok  # type: ignore[arg-type]


# ---- learning paths --------------------------------------------------------------------------------------

STEP_TYPES = ["close_gap", "project", "communication", "deepen_strength", "close_gap"]


def step(n: int, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "order": n,
        "type": STEP_TYPES[(n - 1) % len(STEP_TYPES)],
        "title": f"Step {n}: practise system design",
        "why": "It is what the next level asks for",
        "actions": ["Read a chapter", "Build a small service"],
        "resource_ids": ["ddia-book"],
        "estimated_weeks": 2,
        "milestone": "A written design reviewed by a peer",
        "priority": "high",
    }
    return {**base, **overrides}


def path(steps: int = 5, total_weeks: int | None = None, **changes: Any) -> LearningPathDraft:
    """A valid path; `changes` may replace "analysis", "summary", or give "s2" (fields of step 2)."""
    items = [step(n, **changes.get(f"s{n}", {})) for n in range(1, steps + 1)]
    data = {
        "analysis": changes.get(
            "analysis",
            {
                "strengths": [{"area": "Performance", "evidence": "cut p99 latency by 40%"}],
                "gaps": [{"area": "Kubernetes", "why": "Their next role runs services on it"}],
            },
        ),
        "summary": changes.get("summary", "Deepen system design and close the Kubernetes gap."),
        "steps": items,
        "total_weeks": total_weeks if total_weeks is not None else sum(s["estimated_weeks"] for s in items),
    }
    return LearningPathDraft.model_validate(data)


def gaps(*areas: str) -> dict[str, Any]:
    return {
        "strengths": [{"area": "Performance", "evidence": "cut p99 latency by 40%"}],
        "gaps": [{"area": area, "why": "It matters"} for area in areas],
    }


def test_a_valid_path_reports_nothing() -> None:
    assert learning_path_problems(path(), RESUME, language="en", catalog_ids=CATALOG) == []
    assert learning_path_problems(path(8), RESUME, language="en", catalog_ids=CATALOG) == []


LEARNING_CASES: list[tuple[str, Callable[[], LearningPathDraft], list[str]]] = [
    (
        "steps numbered from 2",
        lambda: path(5, s1={"order": 6}),
        ["Number the steps 1..5 in order; you used [2, 3, 4, 5, 6]."],
    ),
    (
        "a number used twice",
        lambda: path(5, s5={"order": 4}),
        ["Number the steps 1..5 in order; you used [1, 2, 3, 4, 4]."],
    ),
    (
        "a gap in the numbering",
        lambda: path(5, s3={"order": 7}),
        ["Number the steps 1..5 in order; you used [1, 2, 4, 5, 7]."],
    ),
    (
        "total weeks too high",
        lambda: path(5, total_weeks=11),
        ["total_weeks must equal the sum of estimated_weeks (10), not 11."],
    ),
    (
        "total weeks too low",
        lambda: path(5, total_weeks=9),
        ["total_weeks must equal the sum of estimated_weeks (10), not 9."],
    ),
    (
        "no close_gap step",
        lambda: path(5, s1={"type": "deepen_strength"}, s5={"type": "project"}),
        ["Include at least one step of each type: missing ['close_gap']."],
    ),
    (
        "no project or communication step",
        lambda: path(5, s2={"type": "close_gap"}, s3={"type": "deepen_strength"}),
        ["Include at least one step of each type: missing ['project', 'communication']."],
    ),
    (
        "unknown catalog ids, sorted and once each",
        lambda: path(
            5, s1={"resource_ids": ["made-up", "redis-docs"]}, s4={"resource_ids": ["made-up", "another"]}
        ),
        ["Use resource ids from the catalog only; unknown: ['another', 'made-up']."],
    ),
    (
        "a gap the technical skills list",
        lambda: path(5, analysis=gaps("go")),
        ["'go' is already on the resume; it is not a gap."],
    ),
    (
        "a gap a job's stack lists",
        lambda: path(5, analysis=gaps("Postgre-SQL")),
        ["'Postgre-SQL' is already on the resume; it is not a gap."],
    ),
    (
        "a gap a project's stack lists",
        lambda: path(5, analysis=gaps("RUST")),
        ["'RUST' is already on the resume; it is not a gap."],
    ),
    (
        "every listed gap is reported",
        lambda: path(5, analysis=gaps("Kafka", "Kubernetes", "AWS lambda")),
        [
            "'Kafka' is already on the resume; it is not a gap.",
            "'AWS lambda' is already on the resume; it is not a gap.",
        ],
    ),
    (
        "evidence not in the resume",
        lambda: path(
            5,
            analysis={
                "strengths": [
                    {"area": "Performance", "evidence": "cut p99 latency by 40%"},
                    {"area": "Leadership", "evidence": "Led a team of fifty"},
                ],
                "gaps": [{"area": "Kubernetes", "why": "It matters"}],
            },
        ),
        ["Evidence for 'Leadership' must be copied exactly from the resume."],
    ),
    (
        "a Korean summary in an English path",
        lambda: path(5, summary="시스템 설계를 깊게 공부합니다"),
        ["Write the summary and step titles in English."],
    ),
    (
        "one Korean step title",
        lambda: path(5, s4={"title": "발표 연습하기"}),
        ["Write the summary and step titles in English."],
    ),
]


@pytest.mark.parametrize(("case", "draft", "expected"), LEARNING_CASES, ids=[c[0] for c in LEARNING_CASES])
def test_each_learning_path_rule_reports_its_problem(
    case: str, draft: Callable[[], LearningPathDraft], expected: list[str]
) -> None:
    built = draft()
    normalise_learning_path(built)  # as the learning-path spec does before checking
    assert learning_path_problems(built, RESUME, language="en", catalog_ids=CATALOG) == expected


def test_a_korean_path_needs_korean_text() -> None:
    titles: dict[str, Any] = {f"s{n}": {"title": f"{n}단계: 시스템 설계 연습"} for n in range(1, 6)}
    korean_path = path(5, summary="시스템 설계를 깊게 공부합니다", **titles)
    assert learning_path_problems(korean_path, RESUME, language="ko", catalog_ids=CATALOG) == []
    assert learning_path_problems(path(5), RESUME, language="ko", catalog_ids=CATALOG) == [
        "Write the summary and step titles in Korean."
    ]
    mixed = copy.deepcopy(korean_path)
    mixed.steps[2].title = "Only English here"
    assert learning_path_problems(mixed, RESUME, language="ko", catalog_ids=CATALOG) == [
        "Write the summary and step titles in Korean."
    ]


def test_steps_listed_out_of_order_are_sorted_by_normalisation() -> None:
    """Numbered 1..n but listed out of order: reported as such, and not once normalised."""
    draft = path(5)
    draft.steps.reverse()
    assert learning_path_problems(draft, RESUME, language="en", catalog_ids=CATALOG) == [
        "Number the steps 1..5 in order; you used [5, 4, 3, 2, 1]."
    ]
    normalise_learning_path(draft)
    assert [s.order for s in draft.steps] == [1, 2, 3, 4, 5]
    assert learning_path_problems(draft, RESUME, language="en", catalog_ids=CATALOG) == []


def test_all_learning_path_problems_are_reported_together_in_order() -> None:
    draft = path(
        5,
        total_weeks=3,
        s1={"order": 7, "type": "project", "resource_ids": ["nope"]},
        s5={"type": "deepen_strength"},
        summary="한국어 요약",
        analysis={
            "strengths": [{"area": "X", "evidence": "not there"}],
            "gaps": [{"area": "Python", "why": "It matters"}],
        },
    )
    normalise_learning_path(draft)
    assert learning_path_problems(draft, RESUME, language="en", catalog_ids=CATALOG) == [
        "Number the steps 1..5 in order; you used [2, 3, 4, 5, 7].",
        "total_weeks must equal the sum of estimated_weeks (10), not 3.",
        "Include at least one step of each type: missing ['close_gap'].",
        "Use resource ids from the catalog only; unknown: ['nope'].",
        "'Python' is already on the resume; it is not a gap.",
        "Evidence for 'X' must be copied exactly from the resume.",
        "Write the summary and step titles in English.",
    ]
