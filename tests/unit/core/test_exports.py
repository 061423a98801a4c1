"""The exports themselves (careercoach.exports): a learning path as iCalendar, read back with the icalendar
library; a question set as Markdown, rendered with GitHub's own renderer (cmark-gfm) and with markdown-it
(CommonMark), so "escaped" means what a reader sees, not what this module meant to write."""

from __future__ import annotations

import html
import random
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import cmarkgfm
import icalendar
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from careercoach.errors import ValidationFailed
from careercoach.exports import single_line
from careercoach.exports.calendar import (
    LEARNING_PATH_CALENDAR,
    START_PATTERN,
    CalendarOptions,
    next_monday,
    schedule,
)
from careercoach.exports.markdown import QUESTIONS_MARKDOWN, escape
from careercoach.models.generation import InterviewSet, LearningPath

CREATED = datetime(2025, 6, 11, 9, 30, tzinfo=UTC)
HOSTILE = (
    "[Click here](https://evil.example/x) <img src=x onerror=alert(1)> <https://evil.example> "
    "www.evil.example mail@evil.example &lt;b&gt; **bold** `code` # not a heading $x$ ~~gone~~ | a | b |"
)


def record_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": "0123456789abcdef0123456789abcdef",
        "unique_key": "b3BhcXVlLXNhbXBsZS1rZQ",
        "language": "en",
        "provider": "offline",
        "model": "careercoach-offline-1",
        "attempts": [],
        "usage": {"input_tokens": 0, "output_tokens": 0},
        "prompt_version": "test-1",
        "created_at": CREATED,
        "options": {},
    }
    fields.update(overrides)
    return fields


def step(order: int, weeks: int, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "order": order,
        "type": ["deepen_strength", "close_gap", "project", "communication"][order % 4],
        "title": f"Step {order} title",
        "why": f"Why step {order} matters",
        "actions": [f"Action {order}.1", f"Action {order}.2"],
        "resources": [
            {
                "id": f"res-{order}",
                "title": f"Resource {order}",
                "url": f"https://docs.example.org/{order}",
                "kind": "docs",
            }
        ],
        "estimated_weeks": weeks,
        "milestone": f"Milestone {order} shipped",
        "priority": ["high", "medium", "low"][order % 3],
    }
    fields.update(overrides)
    return fields


def learning_path(steps: list[dict[str, Any]], **overrides: Any) -> LearningPath:
    return LearningPath.model_validate(
        record_fields(
            analysis={
                "strengths": [{"area": "Go", "evidence": "Built a Go service"}],
                "gaps": [{"area": "Kubernetes", "why": "The next role runs on it"}],
            },
            summary="A plan over several weeks.",
            steps=steps,
            total_weeks=sum(s["estimated_weeks"] for s in steps),
            **overrides,
        )
    )


def question(number: int, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": f"q{number}",
        "category": "technical",
        "difficulty": "medium",
        "question": f"Question number {number}: how did you cut latency?",
        "intent": f"Intent {number}",
        "grounding": {"source": f"work_experiences[0].achievements[{number}]", "quote": f"Quote {number}"},
        "key_points": [f"Point {number}.1", f"Point {number}.2"],
        "follow_ups": [f"Follow-up {number}"],
    }
    fields.update(overrides)
    return fields


def question_set(questions: list[dict[str, Any]]) -> InterviewSet:
    return InterviewSet.model_validate(record_fields(questions=questions, options={"count": len(questions)}))


def events_of(body: str) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(body)
    events: list[Any] = calendar.walk("VEVENT")
    return events


# ---- iCalendar ---------------------------------------------------------------------------------------------


def test_one_all_day_event_per_step_one_after_another_from_start() -> None:
    path = learning_path([step(2, 3), step(1, 2), step(3, 1)])  # stored order need not be step order
    start = date(2025, 6, 2)
    document = LEARNING_PATH_CALENDAR.render(path, CalendarOptions(start))

    events = events_of(document.body)
    assert len(events) == 3
    spans = [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events]
    assert spans == [
        (date(2025, 6, 2), date(2025, 6, 16)),  # step 1: 2 weeks, DTEND exclusive
        (date(2025, 6, 16), date(2025, 7, 7)),  # step 2: 3 weeks
        (date(2025, 7, 7), date(2025, 7, 14)),  # step 3: 1 week
    ]
    # All-day: DATE values, not DATE-TIME.
    assert all(type(s) is date and type(e) is date for s, e in spans)
    assert "DTSTART;VALUE=DATE:20250602" in document.body
    assert [str(e["SUMMARY"]) for e in events] == ["1. Step 1 title", "2. Step 2 title", "3. Step 3 title"]
    assert document.filename == "learning-path-2025-06-02.ics"


def test_each_event_describes_its_step_with_milestone_and_resource_links() -> None:
    path = learning_path([step(1, 2), step(2, 1)])
    events = events_of(LEARNING_PATH_CALENDAR.render(path, CalendarOptions(date(2025, 6, 2))).body)
    for number, event in enumerate(events, start=1):
        description = str(event["DESCRIPTION"])
        assert f"Milestone: Milestone {number} shipped" in description
        assert f"- Resource {number} (docs): https://docs.example.org/{number}" in description
        assert f"Why: Why step {number} matters" in description
        assert f"- Action {number}.1" in description
        assert str(event["UID"]) == f"0123456789abcdef0123456789abcdef-step-{number}@careercoach"
        assert event.decoded("DTSTAMP") == CREATED
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert [int(e["PRIORITY"]) for e in events] == [5, 9]  # medium, low (RFC 5545: 1 high .. 9 low)


def test_the_same_path_and_start_give_the_same_file() -> None:
    path = learning_path([step(1, 2), step(2, 1)])
    options = CalendarOptions(date(2025, 6, 2))
    assert (
        LEARNING_PATH_CALENDAR.render(path, options).body == LEARNING_PATH_CALENDAR.render(path, options).body
    )


def test_korean_text_and_line_breaks_survive_folding() -> None:
    long_title = "쿠버네티스 운영 역량 보완: 배포 전략과 관측성까지 설명할 수 있게 정리하기 " * 3
    path = learning_path(
        [step(1, 2, title=long_title, milestone="줄바꿈이\n있는\r\n완료 기준\x00"), step(2, 1)],
        language="ko",
    )
    body = LEARNING_PATH_CALENDAR.render(path, CalendarOptions(date(2025, 6, 2))).body
    assert all(len(line.encode("utf-8")) <= 75 for line in body.split("\r\n"))  # folded as RFC 5545 asks
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["NAME"]) == "학습 경로"
    first = calendar.walk("VEVENT")[0]
    assert str(first["SUMMARY"]) == f"1. {single_line(long_title)}"
    assert "완료 기준: 줄바꿈이 있는 완료 기준\n" in str(first["DESCRIPTION"])


def test_a_fallback_result_says_so_in_the_calendar() -> None:
    path = learning_path([step(1, 1)], degraded=True, fallback_reason="rate_limited")
    calendar = icalendar.Calendar.from_ical(
        LEARNING_PATH_CALENDAR.render(path, CalendarOptions(date.today())).body
    )
    assert "fallback provider offline" in str(calendar["DESCRIPTION"])
    assert "rate_limited" in str(calendar["DESCRIPTION"])


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (date(2025, 6, 2), date(2025, 6, 9)),  # a Monday: the next week's
        (date(2025, 6, 3), date(2025, 6, 9)),
        (date(2025, 6, 7), date(2025, 6, 9)),
        (date(2025, 6, 8), date(2025, 6, 9)),  # a Sunday: tomorrow
        (date(2025, 12, 31), date(2026, 1, 5)),
    ],
)
def test_the_default_start_is_the_monday_after_today(today: date, monday: date) -> None:
    assert next_monday(today) == monday
    assert LEARNING_PATH_CALENDAR.read_options({}, today) == CalendarOptions(monday)


def test_start_is_read_and_an_impossible_day_is_a_field_error() -> None:
    assert LEARNING_PATH_CALENDAR.read_options({"start": "2025-06-04"}, date(2025, 1, 1)).start == date(
        2025, 6, 4
    )
    with pytest.raises(ValidationFailed) as raised:
        LEARNING_PATH_CALENDAR.read_options({"start": "2025-02-30"}, date(2025, 1, 1))
    assert raised.value.details == [
        {"loc": ["query", "start"], "msg": "Not a date in the calendar", "type": "date_parsing"}
    ]


def test_the_start_pattern_is_exactly_the_days_of_2000_to_2999() -> None:
    """What the OpenAPI document allows for `start` is a real day, every one of them: each YYYY-MM-DD string
    of those years with a month of 01-12 and a day of 01-31 matches exactly when it is in the calendar."""
    pattern = re.compile(START_PATTERN)
    for year in range(2000, 3000):
        for month in range(1, 13):
            for day in range(1, 32):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                try:
                    date(year, month, day)
                    real = True
                except ValueError:
                    real = False
                assert bool(pattern.fullmatch(text)) is real, text


def test_the_longest_path_from_the_last_allowed_start_fits_the_calendar() -> None:
    steps = [step(i, 26) for i in range(1, 9)]  # 8 steps of the most weeks each
    last = schedule(LearningPath.model_validate(learning_path(steps)).steps, date(2999, 12, 31))[-1]
    assert last.end == date(2999, 12, 31) + timedelta(weeks=8 * 26)


# ---- Markdown ----------------------------------------------------------------------------------------------


def gfm(markdown: str) -> str:
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE))


def text_of(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u2060", "").strip()


def test_the_markdown_has_every_question_with_its_parts() -> None:
    questions = question_set([question(n) for n in range(1, 6)])
    document = QUESTIONS_MARKDOWN.render(questions, None)
    rendered = gfm(document.body)
    headings = re.findall(r"<h2>(.*?)</h2>", rendered)
    assert [text_of(h) for h in headings] == [
        f"{n}. {q.question}" for n, q in enumerate(questions.questions, 1)
    ]
    for q in questions.questions:
        for text in (q.intent, q.grounding.quote, q.grounding.source, *q.key_points, *q.follow_ups):
            assert text in text_of(rendered)
    assert document.filename == "interview-questions-2025-06-11.md"
    assert document.body.startswith("# Interview questions\n")


def test_korean_sets_get_korean_headings() -> None:
    questions = InterviewSet.model_validate(
        record_fields(language="ko", questions=[question(1)], options={"count": 1})
    )
    body = QUESTIONS_MARKDOWN.render(questions, None).body
    assert body.startswith("# 면접 질문\n") and "**질문 의도:**" in body and "**꼬리 질문**" in body


def test_text_from_the_set_cannot_make_links_images_or_html() -> None:
    hostile = question(
        1,
        question=HOSTILE,
        intent=HOSTILE,
        grounding={"source": "projects[0]", "quote": HOSTILE},
        key_points=[HOSTILE, "1. looks like a list"],
        follow_ups=["# looks like a heading", "> looks like a quote"],
    )
    body = QUESTIONS_MARKDOWN.render(question_set([hostile]), None).body
    for rendered in (gfm(body), MarkdownIt("commonmark").render(body)):
        assert "<a " not in rendered and "<img" not in rendered and "<code" not in rendered
        assert "<del" not in rendered and "<table" not in rendered
        assert rendered.count("<em>") == 1  # the category and difficulty line, nothing from the text
        assert text_of(rendered).count(HOSTILE) == 4
        assert len(re.findall(r"<h[1-6]>", rendered)) == 2  # the title and the one question
        assert "1. looks like a list" in text_of(rendered) and "<ol" not in rendered


# Characters and fragments that mean something to CommonMark or GitHub's extensions.
ALPHABET = [
    *"\\`*_[]()<>&~|$#!@:/.=-+'\"{}^%? \n\tabw019가나",
    "www.",
    "http://",
    "https://",
    "&amp;",
    "<div>",
    "1.",
    "2)",
    "a@b.co",
    "mailto:",
    "xmpp:",
    "![",
    "](",
    "```",
    "---",
    "***",
    "<http://x.y>",
]
# Where exports put text, and the markup that surrounds it there.
CONTEXTS = {
    "- {}": ({"ul", "li"}, ""),
    "> {}": ({"blockquote", "p"}, ""),
    "## 1. {}": ({"h2"}, "1. "),
    "**Label:** {}": ({"p", "strong"}, "Label: "),
    "*{}*": ({"p", "em"}, ""),
}


def test_escaped_text_renders_as_exactly_that_text() -> None:
    """Random strings of Markdown's special characters, in every place an export puts text, through GitHub's
    renderer and CommonMark's: what a reader sees is the text (on one line), inside only the markup the
    export wrote."""
    generator = random.Random(20250611)
    commonmark = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    checked = 0
    for _ in range(3000):
        text = "".join(generator.choice(ALPHABET) for _ in range(generator.randint(1, 12)))
        expected = single_line(text)
        if not expected:
            continue
        for context, (tags, prefix) in CONTEXTS.items():
            markdown = context.format(escape(text))
            for rendered in (gfm(markdown), commonmark.render(markdown)):
                assert set(re.findall(r"</?([a-zA-Z0-9]+)", rendered)) <= tags, (text, markdown, rendered)
                assert text_of(rendered) == prefix + expected, (text, markdown, rendered)
                checked += 1
    assert checked > 20_000


def test_escaping_leaves_ordinary_text_readable() -> None:
    assert escape("Node.js (v18) 서버를 420ms에서 180ms로 줄였나요? 40% - 좋아요!") == (
        "Node.js (v18) 서버를 420ms에서 180ms로 줄였나요? 40% - 좋아요!"
    )


def test_a_fallback_result_says_so_in_the_markdown() -> None:
    questions = InterviewSet.model_validate(
        record_fields(questions=[question(1)], options={"count": 1}, degraded=True, fallback_reason="timeout")
    )
    body = QUESTIONS_MARKDOWN.render(questions, None).body
    assert "fallback provider offline" in text_of(gfm(body)) and "timeout" in body
