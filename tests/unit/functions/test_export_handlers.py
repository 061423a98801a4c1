"""The export routes through the real handlers with the events/ samples (the same files `make invoke` and
`sam local invoke -e` take): GET .../learning-path.ics and GET .../questions.md, their content types and
file names, the common error body for a bad `start`, unknown resumes and nothing generated yet, and the
default start at a fixed clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from typing import Any

import cmarkgfm
import icalendar
import pytest

from careercoach.api.app import create_http_app, lambda_handler_for
from careercoach.api.generation import generation_router
from careercoach.generation.learning import LEARNING_PATH
from tests.support.lambda_support import (
    ROOT,
    FakeLambdaContext,
    invoke_function,
    json_body,
    load_event,
    load_function,
    with_path_key,
)

CALENDAR_EVENT = "learning/export-calendar.json"
MARKDOWN_EVENT = "interview/export-markdown.json"


invoke = invoke_function


def created_resume(sample: str = "create-rich-en.json") -> str:
    response = invoke("resumes", load_event(f"resumes/{sample}"))
    assert response["statusCode"] == 201
    key: str = json_body(response)["unique_key"]
    return key


def generated(function: str, key: str) -> dict[str, Any]:
    response = invoke(function, with_path_key(load_event(f"{function}/generate.json"), key))
    assert response["statusCode"] == 201, response["body"][:300]
    record: dict[str, Any] = json_body(response)
    return record


def with_query(event: dict[str, Any], query: dict[str, str] | None) -> dict[str, Any]:
    event["queryStringParameters"] = query
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    if query is None:
        del event["queryStringParameters"]
    return event


def header(response: dict[str, Any], name: str) -> str:
    headers = {k.lower(): v for k, v in response["headers"].items()}
    value: str = headers[name.lower()]
    return value


def test_the_calendar_event_sample_exports_the_latest_path() -> None:
    key = created_resume()
    path = generated("learning", key)
    response = invoke("learning", with_path_key(load_event(CALENDAR_EVENT), key))
    assert response["statusCode"] == 200, response["body"][:300]
    assert header(response, "content-type") == "text/calendar; charset=utf-8"
    assert header(response, "content-disposition") == 'attachment; filename="learning-path-2026-01-05.ics"'
    events = icalendar.Calendar.from_ical(response["body"]).walk("VEVENT")
    assert len(events) == len(path["steps"])
    assert events[0].decoded("DTSTART") == date(2026, 1, 5)  # the sample's ?start=2026-01-05
    assert events[-1].decoded("DTEND") == date(2026, 1, 5) + timedelta(weeks=path["total_weeks"])
    assert [str(e["SUMMARY"]) for e in events] == [f"{s['order']}. {s['title']}" for s in path["steps"]]


def test_the_markdown_event_sample_exports_the_latest_set() -> None:
    key = created_resume()
    generated("interview", key)
    latest = generated("interview", key)  # the newer of two
    response = invoke("interview", with_path_key(load_event(MARKDOWN_EVENT), key))
    assert response["statusCode"] == 200, response["body"][:300]
    assert header(response, "content-type") == "text/markdown; charset=utf-8"
    assert header(response, "content-disposition").startswith('attachment; filename="interview-questions-')
    rendered = cmarkgfm.github_flavored_markdown_to_html(response["body"])
    assert rendered.count("<h2>") == len(latest["questions"])
    for item in latest["questions"]:
        assert item["id"] and item["intent"] in response["body"].replace("\\", "")


def test_the_default_start_is_the_next_monday_at_a_fixed_clock() -> None:
    """A Wednesday in UTC: the calendar starts on the Monday after."""
    key = created_resume()
    generated("learning", key)
    assert LEARNING_PATH.api is not None
    app = create_http_app(
        prefix=LEARNING_PATH.api.prefix,
        title="test",
        description="test",
        routers=[generation_router(LEARNING_PATH, clock=lambda: datetime(2025, 6, 4, 23, 59, tzinfo=UTC))],
    )
    handler = lambda_handler_for(app)
    event = with_query(with_path_key(load_event(CALENDAR_EVENT), key), None)
    response = handler(event, FakeLambdaContext())  # type: ignore[arg-type]
    assert response["statusCode"] == 200, response["body"][:300]
    first = icalendar.Calendar.from_ical(response["body"]).walk("VEVENT")[0]
    assert first.decoded("DTSTART") == date(2025, 6, 9)
    assert 'filename="learning-path-2025-06-09.ics"' in header(response, "content-disposition")


@pytest.mark.parametrize(
    ("start", "error_type"),
    [
        ("2025-02-30", "string_pattern_mismatch"),  # a day February does not have: the pattern says so
        ("2100-02-29", "string_pattern_mismatch"),  # 2100 is no leap year
        ("2025-6-1", "string_pattern_mismatch"),
        ("next monday", "string_pattern_mismatch"),
        ("1999-12-31", "string_pattern_mismatch"),  # before 2000
        ("1735689600", "string_pattern_mismatch"),  # a Unix time is not a date here
    ],
)
def test_a_bad_start_is_422_with_the_common_error_body(start: str, error_type: str) -> None:
    key = created_resume()
    generated("learning", key)
    event = with_query(with_path_key(load_event(CALENDAR_EVENT), key), {"start": start})
    response = invoke("learning", event)
    assert response["statusCode"] == 422
    body = json_body(response)
    assert body["error_code"] == "validation_error" and body["request_id"] == "sample-request-id-0001"
    assert [(d["loc"], d["type"]) for d in body["details"]] == [(["query", "start"], error_type)]


@pytest.mark.parametrize(
    ("function", "sample"), [("learning", CALENDAR_EVENT), ("interview", MARKDOWN_EVENT)]
)
def test_unknown_resume_and_nothing_generated_are_404(function: str, sample: str) -> None:
    unknown = invoke(function, load_event(sample))  # the sample's key exists nowhere
    assert unknown["statusCode"] == 404 and json_body(unknown)["error_code"] == "resume_not_found"
    key = created_resume()
    before = invoke(function, with_path_key(load_event(sample), key))
    assert before["statusCode"] == 404 and json_body(before)["error_code"] == "generation_not_found"


@pytest.mark.parametrize(
    ("function", "sample", "path"),
    [
        ("interview", MARKDOWN_EVENT, "questionsXmd"),
        ("interview", MARKDOWN_EVENT, "questions/md"),
        ("learning", CALENDAR_EVENT, "learning-path_ics"),
    ],
)
def test_only_the_exact_file_name_is_an_export(function: str, sample: str, path: str) -> None:
    """The function also gets every other path under its prefix (the template's {proxy+} fallback)."""
    key = created_resume()
    generated(function, key)
    event = with_path_key(load_event(sample), key)
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/api/v1/{function}/{key}/{path}"
    response = invoke(function, event)
    assert response["statusCode"] == 404 and json_body(response)["error_code"] == "not_found"


@pytest.mark.parametrize(
    ("function", "route", "media_type"),
    [
        ("learning", "/api/v1/learning/{unique_key}/learning-path.ics", "text/calendar"),
        ("interview", "/api/v1/interview/{unique_key}/questions.md", "text/markdown"),
    ],
)
def test_the_exports_are_documented(function: str, route: str, media_type: str) -> None:
    document = json.loads(load_function(function).app.get_openapi_json_schema())
    operation = document["paths"][route]["get"]
    assert set(operation["responses"]) == {"200", "401", "404", "422", "503"}
    assert list(operation["responses"]["200"]["content"]) == [media_type]
    query = [p for p in operation["parameters"] if p["in"] == "query"]
    assert [p["name"] for p in query] == (["start"] if function == "learning" else [])


def test_only_a_calendar_export_imports_icalendar() -> None:
    """icalendar costs tens of milliseconds to import: the learning and interview functions start without
    it, and serving anything but a calendar (here, their OpenAPI documents) does not load it."""
    probe = textwrap.dedent(
        """
        import json, sys
        from datetime import date
        from tests.support.lambda_support import load_function
        for name in ("learning", "interview", "worker", "websocket"):
            load_function(name)
        load_function("learning").app.get_openapi_json_schema()
        load_function("interview").app.get_openapi_json_schema()
        before = "icalendar" in sys.modules
        from careercoach.exports.calendar import LEARNING_PATH_CALENDAR, CalendarOptions
        from tests.unit.core.test_exports import learning_path, step
        LEARNING_PATH_CALENDAR.render(learning_path([step(1, 1)]), CalendarOptions(date.today()))
        print(json.dumps([before, "icalendar" in sys.modules]))
        """
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter running our own probe
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("layers/core", "layers/llm", ".")),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == [False, True]
