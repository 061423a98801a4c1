from __future__ import annotations

import email.utils
import time

import pytest

from llm_registry import ErrorKind
from llm_registry.providers._classify import (
    classify_http_sdk_error,
    kind_for_status,
    retry_after_seconds,
    transport_kind,
)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, ErrorKind.BAD_REQUEST),
        (401, ErrorKind.AUTH),
        (403, ErrorKind.AUTH),
        (402, ErrorKind.BILLING),
        (404, ErrorKind.MODEL_NOT_FOUND),
        (408, ErrorKind.TIMEOUT),
        (422, ErrorKind.BAD_REQUEST),
        (429, ErrorKind.RATE_LIMITED),
        (500, ErrorKind.SERVER_ERROR),
        (529, ErrorKind.SERVER_ERROR),
    ],
)
def test_status_codes(status: int, kind: ErrorKind) -> None:
    assert kind_for_status(status) is kind


def test_retry_after_in_seconds_milliseconds_or_as_a_date() -> None:
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    in_ten = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= (retry_after_seconds({"retry-after": in_ten}) or 0) <= 10
    assert retry_after_seconds({"retry-after": "whenever"}) is None
    assert retry_after_seconds({}) is None
    assert retry_after_seconds(None) is None


class ReadTimeout(Exception):  # named like httpx's, which is what the classifier matches
    pass


class ConnectError(Exception):
    pass


def test_transport_errors_are_known_by_their_class_names() -> None:
    assert transport_kind(ReadTimeout()) is ErrorKind.TIMEOUT
    assert transport_kind(ConnectError()) is ErrorKind.CONNECTION
    assert transport_kind(TimeoutError()) is ErrorKind.TIMEOUT
    assert transport_kind(ValueError()) is None


def test_anything_else_from_an_sdk_means_the_answer_was_unreadable() -> None:
    error = classify_http_sdk_error(ValueError("Expecting value: line 1 column 1"))
    assert error.kind is ErrorKind.BAD_RESPONSE
    assert "Expecting" not in str(error)
