"""Issue 20, items 3 and 7: one cursor decoder for every paginated list. It takes back exactly the cursors
the API hands out, which are exactly the values the documented pattern allows, and refuses everything else
with 400 `invalid_cursor`: never a 500 (a date at the edge of the range), never a silently different page."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
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
from careercoach.storage.pagination import CURSOR_PATTERN, decode_cursor, encode_cursor, older_than
from tests.support.lambda_support import (
    FakeLambdaContext,
    json_body,
    load_event,
    load_function,
    with_path_key,
)

PROPERTY = settings(max_examples=300, deadline=None)


ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
LARGEST = "9" * 16  # microseconds since 1970: the largest the pattern allows, in the year 2286


def raw_cursor(value: Any) -> str:
    """A cursor of the old form (base64url JSON), as a client may still hold one."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def refused(cursor: str) -> InvalidCursor:
    with pytest.raises(InvalidCursor) as raised:
        decode_cursor(cursor)
    return raised.value


def test_the_documented_pattern_is_the_decoders_rule() -> None:
    assert CURSOR_PATTERN == r"^(0|[1-9][0-9]{0,15})\.[A-Za-z0-9_-]{1,64}$"
    assert decode_cursor("0.a") == (datetime(1970, 1, 1, tzinfo=UTC), "a")
    assert decode_cursor(f"{LARGEST}.{'k' * 64}")[0].year == 2286


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "garbage!",
        "%%%%",
        "a",
        ".abc",
        "123.",
        "01.abc",  # a leading zero: another spelling of 1.abc
        "-1.abc",
        "1.5.abc",
        f"1{LARGEST}.abc",  # 17 digits
        f"1.{'k' * 65}",
        "1.ab c",
        "1.ab/c",
        "1.\u00e9",
        "1.abc\n",  # `$` would let a final newline through; fullmatch does not
        "\uff11.abc",  # a fullwidth digit is a digit to `\\d`, not to [0-9]
        raw_cursor(["2026-01-01T00:00:00+00:00", "x"]),
        raw_cursor(["0001-01-01T00:00:00+14:00", "abc"]),
        base64.urlsafe_b64encode(b"[" * 100_000).decode(),
    ],
)
def test_anything_the_api_did_not_write_is_an_invalid_cursor(cursor: str) -> None:
    error = refused(cursor)
    assert (status_of(error), error.error_code) == (400, "invalid_cursor")
    assert error.details == [{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "invalid_cursor"}]


def test_a_real_cursor_with_stray_characters_is_refused() -> None:
    good = encode_cursor(datetime(2026, 11, 23, 22, 0, 0, 123000, tzinfo=UTC), "k" * 22)
    assert good == "1795471200123000." + "k" * 22
    assert decode_cursor(good) == (datetime(2026, 11, 23, 22, 0, 0, 123000, tzinfo=UTC), "k" * 22)
    for variant in (f"{good}!", f"!{good}", f"{good}==", f"{good[:5]}\n{good[5:]}", f" {good}"):
        refused(variant)


def test_an_id_the_api_never_writes_has_no_cursor() -> None:
    with pytest.raises(ValueError):
        encode_cursor(datetime(2026, 1, 1, tzinfo=UTC), "a b")
    with pytest.raises(ValueError):
        encode_cursor(datetime(1969, 12, 31, tzinfo=UTC), "abc")


created_times = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2286, 1, 1), timezones=st.timezones()
) | st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2286, 1, 1), timezones=st.just(UTC))
item_ids = st.text(alphabet=ID_ALPHABET, min_size=1, max_size=64)


@PROPERTY
@given(created_at=created_times, item_id=item_ids)
def test_every_cursor_the_api_writes_reads_back(created_at: datetime, item_id: str) -> None:
    cursor = encode_cursor(created_at, item_id)
    assert re.fullmatch(CURSOR_PATTERN, cursor)
    assert decode_cursor(cursor) == (created_at.astimezone(UTC), item_id)


@PROPERTY
@given(cursor=st.from_regex(CURSOR_PATTERN, fullmatch=True))
def test_every_value_the_document_allows_reads_back(cursor: str) -> None:
    created_at, item_id = decode_cursor(cursor)
    assert encode_cursor(created_at, item_id) == cursor


@PROPERTY
@given(cursor=st.text(max_size=120) | st.from_regex(r"[0-9]{1,18}\.[ -~]{0,70}", fullmatch=True))
def test_decoding_any_text_gives_a_round_trip_or_invalid_cursor(cursor: str) -> None:
    try:
        created_at, item_id = decode_cursor(cursor)
    except InvalidCursor:
        assert not re.fullmatch(CURSOR_PATTERN, cursor)
        return
    assert encode_cursor(created_at, item_id) == cursor


def test_page_one_needs_no_cursor_and_others_filter_after_it() -> None:
    assert older_than(None, "id") == older_than("", "id") == {}
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    assert older_than(encode_cursor(moment, "b"), "id") == {
        "$or": [{"created_at": {"$lt": moment}}, {"created_at": moment, "id": {"$lt": "b"}}]
    }


@pytest.mark.parametrize("cursor", [raw_cursor(["0001-01-01T00:00:00+14:00", "abc"]), "01.abc", "1.a b"])
def test_every_paginated_list_refuses_a_cursor_it_did_not_write(cursor: str) -> None:
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


def test_every_paginated_list_reads_the_furthest_cursor_as_an_empty_page() -> None:
    """The edge of what the pattern allows (the year 2286, the longest id) is a position like any other."""
    owner = "alice"
    resumes = container.current().resumes
    key = resumes.create(
        ResumeInput.model_validate({"career_summary": "Backend engineer"}), owner=owner
    ).unique_key
    furthest = f"{LARGEST}.{'z' * 64}"
    assert [item.unique_key for item in resumes.list(owner=owner, limit=5, cursor=furthest).items] == [key]
    for spec in (INTERVIEW, LEARNING_PATH):
        page = container.current().generation.history(spec, key, owner=owner, limit=5, cursor=furthest)
        assert page.items == [] and page.next_cursor is None


@pytest.mark.parametrize("function", ["interview", "learning"])
def test_a_history_route_answers_400_invalid_cursor_with_the_common_error_body(function: str) -> None:
    created = load_function("resumes").lambda_handler(
        load_event("resumes/create-short.json"), FakeLambdaContext(function_name="ResumesFunction")
    )
    key = json_body(created)["unique_key"]
    event = with_path_key(load_event(f"{function}/history.json"), key)
    cursor = raw_cursor(["0001-01-01T00:00:00+14:00", "abc"])
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
