"""The hourly generation quota through real HTTP with auth on: 429 with Retry-After at the limit, counted
per owner, never for reads or misses, and recovered in the next clock hour."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from careercoach import container
from local.runtime import LocalRuntime
from tests.integration.api.conftest import BearerApiClient, body_of, local_runtime
from tests.integration.api.test_auth_api import create, not_found


@pytest.fixture(scope="module")
def quota_runtime() -> Iterator[LocalRuntime]:
    """Auth on with a quota of 2 generation requests an hour (the template's default is 30)."""
    env = {"MONGODB_URI": "mongomock://localhost/auth_quota", "GENERATION_QUOTA_PER_HOUR": "2"}
    with local_runtime(env, auth=True) as started:
        yield started


def test_the_quota_answers_429_with_retry_after_and_recovers_next_hour(quota_runtime: LocalRuntime) -> None:
    issuer = quota_runtime.dev_issuer
    assert issuer is not None
    alice = BearerApiClient(quota_runtime.http_url, issuer.token("alice"))
    bob = BearerApiClient(quota_runtime.http_url, issuer.token("bob"))
    key = create(alice)
    # Pin the quota's clock to the middle of an hour so the test cannot straddle two windows.
    quota = container.current().quota
    hour = int(time.time()) // 3600 * 3600
    quota.clock = lambda: hour + 1800.0

    assert alice.json("POST", f"/api/v1/interview/{key}/questions", {}).status == 201
    assert alice.json("POST", f"/api/v1/learning/async/{key}/learning-path", {}).status == 202
    for path in (f"/api/v1/interview/async/{key}/questions", f"/api/v1/learning/{key}/learning-path"):
        reply = alice.json("POST", path, {})
        assert reply.status == 429, reply.body[:300]
        assert reply.header("retry-after") == "1800"
        body = body_of(reply)
        assert body["error_code"] == "quota_exceeded" and body["details"] == {
            "limit": 2,
            "retry_after_s": 1800,
        }
    # Reading is never limited, and a miss (another owner's key) costs bob nothing.
    assert alice.request("GET", f"/api/v1/interview/{key}/questions").status == 200
    for _ in range(3):
        not_found(bob.json("POST", f"/api/v1/interview/{key}/questions", {}), "resume_not_found")
    assert bob.json("POST", f"/api/v1/interview/{create(bob)}/questions", {}).status == 201

    quota.clock = lambda: hour + 3600.0  # the next clock hour
    assert alice.json("POST", f"/api/v1/interview/{key}/questions", {}).status == 201


def test_each_evaluated_answer_counts(quota_runtime: LocalRuntime) -> None:
    """Questions (1) and two answers (sync and async) use up a quota of 3; the third answer is a 429, and
    neither a refused answer nor starting or finishing a session costs anything."""
    issuer = quota_runtime.dev_issuer
    assert issuer is not None
    carol = BearerApiClient(quota_runtime.http_url, issuer.token("carol"))
    key = create(carol)
    quota = container.current().quota
    hour = int(time.time()) // 3600 * 3600
    quota.clock = lambda: hour + 1800.0
    quota.limit = 3
    try:
        assert carol.json("POST", f"/api/v1/interview/{key}/questions", {}).status == 201
        session = body_of(carol.json("POST", f"/api/v1/practice/{key}/sessions", {}))["session_id"]
        base = f"/api/v1/practice/{key}/sessions/{session}/answers"
        answer = {"question_id": "q1", "answer": "I would measure it first."}
        assert carol.json("POST", base, {"question_id": "q9", "answer": "refused"}).status == 409
        assert carol.json("POST", base, answer).status == 201
        assert carol.json("POST", base.replace("/practice/", "/practice/async/"), answer).status == 202
        reply = carol.json("POST", base, answer)
        assert reply.status == 429 and body_of(reply)["error_code"] == "quota_exceeded"
        assert carol.json("POST", f"/api/v1/practice/{key}/sessions/{session}/finish").status in (200, 409)
    finally:
        quota.limit = 2
