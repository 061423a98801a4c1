"""Issue 20, item 3: one cursor decoder for every paginated list. It takes back exactly the cursors the
API hands out and refuses everything else with 400 `invalid_cursor`: never a 500 (a date at the edge of the
range overflowed when moved to UTC), never a silently different page."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careercoach import container
from careercoach.api.errors import status_of
from careercoach.errors import InvalidCursor
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.learning import LEARNING_PATH
from careercoach.models.resume import ResumeInput
from careercoach.storage.pagination import decode_cursor, encode_cursor, older_than
from tests.support.lambda_support import (
    FakeLambdaContext,
    json_body,
    load_event,
    load_function,
    with_path_key,
)

PROPERTY = settings(max_examples=300, deadline=None)


def raw_cursor(value: Any) -> str:
    """A cursor made by hand: base64url of any JSON, the way encode_cursor writes its own."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def refused(cursor: str) -> InvalidCursor:
    with pytest.raises(InvalidCursor) as raised:
        decode_cursor(cursor)
    return raised.value


EDGE_DATES = [
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC: OverflowError in clock.as_utc
    "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
    "0001-01-01T00:00:00+00:01",
    "9999-12-31T23:59:59.999999-00:00:01",
]


@pytest.mark.parametrize("date", EDGE_DATES)
def test_dates_that_overflow_in_utc_are_an_invalid_cursor(date: str) -> None:
    error = refused(raw_cursor([date, "abc"]))
    assert (status_of(error), error.error_code) == (400, "invalid_cursor")
    assert error.details == [{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "invalid_cursor"}]


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "garbage!",
        "%%%%",
        "a",  # a lone base64 character
        raw_cursor({"created_at": "2026-01-01T00:00:00+00:00", "id": "x"}),
        raw_cursor(["2026-01-01T00:00:00+00:00"]),
        raw_cursor(["2026-01-01T00:00:00+00:00", "x", "y"]),
        raw_cursor(["2026-01-01T00:00:00+00:00", 7]),  # the id must be a string, not coerced
        raw_cursor([1767225600, "x"]),
        raw_cursor(["yesterday", "x"]),
        raw_cursor(["2026-13-01T00:00:00+00:00", "x"]),
        raw_cursor(["2026-01-01T00:00:00", "x"]),  # naive: not what the API writes
        raw_cursor(["2026-01-01T09:00:00+09:00", "x"]),  # the same instant, another spelling
        raw_cursor(["2026-01-01T00:00:00Z", "x"]),
        raw_cursor(None),
        raw_cursor("2026"),
        base64.urlsafe_b64encode(b"[" * 100_000).decode(),  # deeply nested JSON
        base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),  # not UTF-8
        base64.urlsafe_b64encode(b'["2026-01-01T00:00:00+00:00", "\\ud800"]').decode(),  # a lone surrogate
    ],
)
def test_anything_the_api_did_not_write_is_an_invalid_cursor(cursor: str) -> None:
    assert refused(cursor).error_code == "invalid_cursor"


def test_a_real_cursor_with_stray_characters_or_padding_is_refused() -> None:
    good = encode_cursor(datetime(2026, 11, 23, 22, 0, 0, 123000, tzinfo=UTC), "k" * 22)
    assert decode_cursor(good) == (datetime(2026, 11, 23, 22, 0, 0, 123000, tzinfo=UTC), "k" * 22)
    for variant in (f"{good}!", f"!{good}", f"{good}==", f"{good[:5]}\n{good[5:]}", good.upper()):
        refused(variant)


aware_datetimes = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
) | st.datetimes(timezones=st.just(UTC))


@PROPERTY
@given(created_at=aware_datetimes, item_id=st.text(max_size=40))
def test_every_cursor_the_api_writes_reads_back(created_at: datetime, item_id: str) -> None:
    cursor = encode_cursor(created_at, item_id)
    assert decode_cursor(cursor) == (created_at.astimezone(UTC), item_id)


@PROPERTY
@given(
    cursor=st.text(max_size=120)
    | st.builds(
        raw_cursor,
        st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists, max_leaves=6),
    )
    | st.builds(
        lambda moment, offset, item: raw_cursor([moment.replace(tzinfo=timezone(offset)).isoformat(), item]),
        st.datetimes(),
        st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)),
        st.text(max_size=5),
    )
)
def test_decoding_any_text_gives_a_round_trip_or_invalid_cursor(cursor: str) -> None:
    try:
        created_at, item_id = decode_cursor(cursor)
    except InvalidCursor:
        return
    assert encode_cursor(created_at, item_id) == cursor


def test_page_one_needs_no_cursor_and_others_filter_after_it() -> None:
    assert older_than(None, "id") == older_than("", "id") == {}
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    assert older_than(encode_cursor(moment, "b"), "id") == {
        "$or": [{"created_at": {"$lt": moment}}, {"created_at": moment, "id": {"$lt": "b"}}]
    }


@pytest.mark.parametrize("date", EDGE_DATES[:2])
def test_every_paginated_list_refuses_the_edge_dates_with_400(date: str) -> None:
    cursor = raw_cursor([date, "abc"])
    owner = "alice"
    resumes = container.current().resumes
    key = resumes.create(
        ResumeInput.model_validate({"career_summary": "Backend engineer"}), owner=owner
    ).unique_key
    with pytest.raises(InvalidCursor):
        resumes.list(owner=owner, limit=5, cursor=cursor)
    for spec in (INTERVIEW, LEARNING_PATH):
        with pytest.raises(InvalidCursor):
            container.current().generation.history(spec, key, owner=owner, limit=5, cursor=cursor)


@pytest.mark.parametrize("function", ["interview", "learning"])
def test_a_history_route_answers_400_invalid_cursor_with_the_common_error_body(function: str) -> None:
    created = load_function("resumes").lambda_handler(
        load_event("resumes/create-short.json"), FakeLambdaContext(function_name="ResumesFunction")
    )
    key = json_body(created)["unique_key"]
    event = with_path_key(load_event(f"{function}/history.json"), key)
    cursor = raw_cursor([EDGE_DATES[0], "abc"])
    event["queryStringParameters"] = {"limit": "5", "cursor": cursor}
    event["rawQueryString"] = f"limit=5&cursor={cursor}"
    response = load_function(function).lambda_handler(
        event, FakeLambdaContext(function_name="HistoryFunction")
    )
    assert response["statusCode"] == 400, response
    body = json_body(response)
    assert (
        body["error_code"] == "invalid_cursor" and body["request_id"] == event["requestContext"]["requestId"]
    )
    assert body["details"][0]["loc"] == ["query", "cursor"]
