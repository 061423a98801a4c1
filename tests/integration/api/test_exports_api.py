"""The exports over real HTTP through the local runtime (the real template's routes, the offline generator):
GET /api/v1/learning/{key}/learning-path.ics and GET /api/v1/interview/{key}/questions.md as a client gets
them, headers included, and a resume written to break Markdown that cannot."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from typing import Any

import cmarkgfm
import icalendar
from cmarkgfm.cmark import Options

from tests.integration.api.conftest import ROOT, ApiClient, body_of

RESUME = json.loads(
    json.loads((ROOT / "events" / "resumes" / "create-rich-en.json").read_text(encoding="utf-8"))["body"]
)
# Achievements a model (here, the offline generator) will quote back verbatim.
HOSTILE_ACHIEVEMENTS = [
    "Won the [hackathon prize](https://evil.example/claim) with <img src=x onerror=alert(1)> in the demo",
    "Cut p99 latency by 40% on www.evil.example <script>alert(1)</script> **for real**",
    "Mentored 3 engineers; reach me at someone@evil.example or <https://evil.example/dm>",
]


def text_of(rendered: str) -> str:
    """What a reader sees of rendered HTML (the export's invisible word joiners dropped)."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u2060", "")


def create(api: ApiClient, resume: dict[str, Any]) -> str:
    reply = api.json("POST", "/api/v1/resumes", resume)
    assert reply.status == 201, reply.body[:300]
    key: str = body_of(reply)["unique_key"]
    return key


def test_the_calendar_over_http(api: ApiClient) -> None:
    key = create(api, RESUME)
    before = api.request("GET", f"/api/v1/learning/{key}/learning-path.ics")
    assert before.status == 404 and body_of(before)["error_code"] == "generation_not_found"
    generated = api.json("POST", f"/api/v1/learning/{key}/learning-path", {})
    assert generated.status == 201
    path = body_of(generated)

    reply = api.request("GET", f"/api/v1/learning/{key}/learning-path.ics?start=2025-09-01")
    assert reply.status == 200, reply.body[:300]
    assert reply.header("content-type") == "text/calendar; charset=utf-8"
    assert reply.header("content-disposition") == 'attachment; filename="learning-path-2025-09-01.ics"'
    events = icalendar.Calendar.from_ical(reply.body.decode("utf-8")).walk("VEVENT")
    assert len(events) == len(path["steps"])
    start = date(2025, 9, 1)
    for event, step in zip(events, path["steps"], strict=True):
        assert event.decoded("DTSTART") == start
        start += timedelta(weeks=step["estimated_weeks"])
        assert event.decoded("DTEND") == start
        description = str(event["DESCRIPTION"])
        assert step["milestone"] in description
        assert all(resource["url"] in description for resource in step["resources"])

    default = api.request("GET", f"/api/v1/learning/{key}/learning-path.ics")
    first = icalendar.Calendar.from_ical(default.body.decode("utf-8")).walk("VEVENT")[0].decoded("DTSTART")
    assert first.weekday() == 0 and date.today() < first <= date.today() + timedelta(days=8)

    bad = api.request("GET", f"/api/v1/learning/{key}/learning-path.ics?start=2025-13-01")
    assert bad.status == 422 and bad.header("content-type") == "application/json"
    assert body_of(bad)["details"][0]["loc"] == ["query", "start"]


def test_the_markdown_over_http_keeps_hostile_resume_text_as_text(api: ApiClient) -> None:
    resume = json.loads(json.dumps(RESUME))
    for experience in resume["work_experiences"]:
        experience["achievements"] = HOSTILE_ACHIEVEMENTS
    key = create(api, resume)
    before = api.request("GET", f"/api/v1/interview/{key}/questions.md")
    assert before.status == 404 and body_of(before)["error_code"] == "generation_not_found"
    generated = api.json("POST", f"/api/v1/interview/{key}/questions", {"count": 6})
    assert generated.status == 201
    questions = body_of(generated)["questions"]

    reply = api.request("GET", f"/api/v1/interview/{key}/questions.md")
    assert reply.status == 200, reply.body[:300]
    assert reply.header("content-type") == "text/markdown; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="interview-questions-\d{4}-\d{2}-\d{2}\.md"',
        reply.header("content-disposition") or "",
    )
    rendered = cmarkgfm.github_flavored_markdown_to_html(
        reply.body.decode("utf-8"), options=Options.CMARK_OPT_UNSAFE
    )
    text = text_of(rendered)
    # Every question, in order, as a heading.
    headings = [text_of(heading) for heading in re.findall(r"<h2>(.*?)</h2>", rendered)]
    assert headings == [f"{n}. {q['question']}" for n, q in enumerate(questions, start=1)]
    quoted = [q["grounding"]["quote"] for q in questions if q["grounding"]["quote"] in HOSTILE_ACHIEVEMENTS]
    assert quoted, "the offline generator quoted none of the hostile achievements"
    for quote in quoted:
        assert quote in text  # shown as written...
    assert "<a " not in rendered and "<img" not in rendered and "<script" not in rendered  # ...and inert
