"""Practice with authentication on (the template's JWT authorizer, a development issuer on loopback): a
user reaches only their own sessions, answers and tasks, through every practice route; a request without a
token is refused by the gateway; each evaluated answer counts against the owner's hourly quota."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.integration.api.conftest import BearerApiClient, body_of

ROOT = Path(__file__).resolve().parents[3]
RESUME = json.loads(json.loads((ROOT / "events/resumes/create-rich-en.json").read_text("utf-8"))["body"])
ANSWER = {
    "question_id": "q1",
    "answer": "I measured p95 latency before and after the cache.",
    "provider": "offline",
}


def session_of(client: BearerApiClient) -> tuple[str, str]:
    key = body_of(client.json("POST", "/api/v1/resumes", RESUME))["unique_key"]
    assert client.json("POST", f"/api/v1/interview/{key}/questions", {"provider": "offline"}).status == 201
    reply = client.json("POST", f"/api/v1/practice/{key}/sessions", {})
    assert reply.status == 201, reply.body[:300]
    return key, body_of(reply)["session_id"]


def not_found(reply: Any, *codes: str) -> None:
    assert reply.status == 404, (reply.status, reply.body[:300])
    assert body_of(reply)["error_code"] in codes


def test_each_user_reaches_only_their_own_practice(as_user: Callable[[str | None], BearerApiClient]) -> None:
    alice, bob = as_user("alice"), as_user("bob")
    key, sid = session_of(alice)
    assert alice.json("POST", f"/api/v1/practice/{key}/sessions/{sid}/answers", ANSWER).status == 201
    accepted = alice.json("POST", f"/api/v1/practice/async/{key}/sessions/{sid}/answers", ANSWER)
    assert accepted.status == 202
    task_id = body_of(accepted)["task_id"]
    bobs_key, bobs_sid = session_of(bob)

    base = f"/api/v1/practice/{key}/sessions"
    not_found(bob.request("GET", base), "resume_not_found")
    not_found(bob.request("GET", f"{base}/{sid}"), "resume_not_found")
    not_found(bob.json("POST", base, {}), "resume_not_found")
    not_found(bob.json("POST", f"{base}/{sid}/answers", ANSWER), "resume_not_found")
    not_found(
        bob.json("POST", f"/api/v1/practice/async/{key}/sessions/{sid}/answers", ANSWER), "resume_not_found"
    )
    not_found(bob.json("POST", f"{base}/{sid}/finish"), "resume_not_found")
    not_found(bob.request("GET", f"/api/v1/practice/tasks/{task_id}/progress"), "task_not_found")
    # Alice's session under Bob's own resume is just as missing, and so is his under hers.
    not_found(bob.request("GET", f"/api/v1/practice/{bobs_key}/sessions/{sid}"), "practice_session_not_found")
    not_found(alice.request("GET", f"{base}/{bobs_sid}"), "practice_session_not_found")
    not_found(
        bob.json("POST", f"/api/v1/learning/{bobs_key}/learning-path", {"practice_session_id": sid}),
        "practice_session_not_found",
    )
    # Alice still sees all of it, Bob's attempts changed nothing.
    deadline = time.monotonic() + 20
    while (
        body_of(alice.request("GET", f"/api/v1/practice/tasks/{task_id}/progress"))["status"] != "succeeded"
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    session = body_of(alice.request("GET", f"{base}/{sid}"))
    assert len(session["turns"]) == 2 and session["status"] == "active"
    listed = body_of(alice.request("GET", base))
    assert [item["session_id"] for item in listed["items"]] == [sid]


def test_no_token_is_refused_by_the_gateway(as_user: Callable[[str | None], BearerApiClient]) -> None:
    anonymous = as_user(None)
    reply = anonymous.request("GET", "/api/v1/practice/" + "A" * 22 + "/sessions")
    assert reply.status == 401 and body_of(reply) == {"message": "Unauthorized"}
    assert anonymous.request("GET", "/api/v1/practice/health").status == 200
