"""How the SQS trigger reads a handler's answer: which messages go back to the queue."""

from __future__ import annotations

from typing import Any

import pytest

from local.sqs_poller import _Poller
from local.template import SqsTrigger

IDS = {"m1", "m2", "m3"}
EVENT = {"Records": [{"messageId": message_id} for message_id in sorted(IDS)]}


def _retried(result: Any, report: bool = True, raises: bool = False) -> set[str]:
    def handler(function_id: str, event: Any) -> Any:
        assert event is EVENT
        if raises:
            raise RuntimeError("boom")
        return result

    trigger = SqsTrigger("Worker", "Tasks", None, report_batch_item_failures=report)
    poller = _Poller(trigger, "arn", "url", None, handler, "us-east-1", None, 0.1)
    return poller._invoke(EVENT, IDS)


@pytest.mark.parametrize("result", [None, {}, {"batchItemFailures": []}, {"batchItemFailures": None}])
def test_full_success(result: Any) -> None:
    assert _retried(result) == set()


def test_partial_failure_retries_only_listed_messages() -> None:
    assert _retried({"batchItemFailures": [{"itemIdentifier": "m2"}]}) == {"m2"}


@pytest.mark.parametrize(
    "result",
    [
        {"batchItemFailures": [{"itemIdentifier": "unknown"}]},
        {"batchItemFailures": [{"itemIdentifier": ""}]},
        {"batchItemFailures": [{"id": "m1"}]},
        {"batchItemFailures": "m1"},
        "not an object",
    ],
)
def test_malformed_response_fails_the_whole_batch(result: Any) -> None:
    assert _retried(result) == IDS


def test_exception_fails_the_whole_batch() -> None:
    assert _retried(None, raises=True) == IDS


def test_without_report_batch_item_failures_the_response_is_ignored() -> None:
    assert _retried({"batchItemFailures": [{"itemIdentifier": "m2"}]}, report=False) == set()
