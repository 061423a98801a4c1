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
