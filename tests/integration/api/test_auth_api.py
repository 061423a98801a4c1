"""Authentication on, end to end: the real template with its JWT authorizer served by the local runtime (a
development issuer on loopback), two users with their own tokens over real HTTP and real WebSockets.

Each sees only their own resumes, results and tasks, through every endpoint and the WebSocket subscribe;
tokens API Gateway would refuse are refused. (The quota: test_quota_api.py.)"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from local.runtime import LocalRuntime
from tests.integration.api.conftest import (
    ApiClient,
    BearerApiClient,
    body_of,
)

ROOT = Path(__file__).resolve().parents[3]
RESUME = json.loads(json.loads((ROOT / "events/resumes/create-short.json").read_text("utf-8"))["body"])
UNAUTHORIZED = {"message": "Unauthorized"}
KINDS = (("interview", "questions"), ("learning", "learning-path"))
EXPORTS = ("/api/v1/interview/{key}/questions.md", "/api/v1/learning/{key}/learning-path.ics")


def create(client: ApiClient) -> str:
    reply = client.json("POST", "/api/v1/resumes", RESUME)
    assert reply.status == 201, reply.body[:300]
    key: str = body_of(reply)["unique_key"]
    return key


def not_found(reply: Any, code: str) -> None:
    assert reply.status == 404, (reply.status, reply.body[:300])
    assert body_of(reply)["error_code"] == code


def test_each_user_sees_only_their_own_through_every_endpoint(
    as_user: Callable[[str | None], BearerApiClient],
) -> None:
    alice, bob = as_user("alice"), as_user("bob")
    key = create(alice)
    bobs_key = create(bob)
    tasks: dict[str, str] = {}
    for function, resource in KINDS:
        assert alice.json("POST", f"/api/v1/{function}/{key}/{resource}", {}).status == 201
        accepted = alice.json("POST", f"/api/v1/{function}/async/{key}/{resource}", {})
        assert accepted.status == 202
        tasks[function] = body_of(accepted)["task_id"]

    # Bob, with a valid token of his own, reaches none of it: every answer is the "missing" one.
    patched = {"career_summary": "Mallory was here."}
    not_found(bob.request("GET", f"/api/v1/resumes/{key}"), "resume_not_found")
    not_found(bob.json("PUT", f"/api/v1/resumes/{key}", RESUME), "resume_not_found")
    not_found(bob.json("PATCH", f"/api/v1/resumes/{key}", patched), "resume_not_found")
    not_found(bob.request("DELETE", f"/api/v1/resumes/{key}"), "resume_not_found")
    for function, resource in KINDS:
        not_found(bob.json("POST", f"/api/v1/{function}/{key}/{resource}", {}), "resume_not_found")
        not_found(bob.request("GET", f"/api/v1/{function}/{key}/{resource}"), "resume_not_found")
        not_found(bob.request("GET", f"/api/v1/{function}/{key}/{resource}/history"), "resume_not_found")
        not_found(bob.json("POST", f"/api/v1/{function}/async/{key}/{resource}", {}), "resume_not_found")
        not_found(
            bob.request("GET", f"/api/v1/{function}/tasks/{tasks[function]}/progress"), "task_not_found"
        )
    for export in EXPORTS:
        not_found(bob.request("GET", export.format(key=key)), "resume_not_found")
        # Without a token, the gateway's JWT authorizer answers before the function.
        assert as_user(None).request("GET", export.format(key=key)).status == 401

    # Each list holds exactly its owner's resumes.
    assert [item["unique_key"] for item in body_of(alice.request("GET", "/api/v1/resumes"))["items"]] == [key]
    assert [item["unique_key"] for item in body_of(bob.request("GET", "/api/v1/resumes"))["items"]] == [
        bobs_key
    ]

    # Alice's data came through all of that untouched.
    assert body_of(alice.request("GET", f"/api/v1/resumes/{key}"))["summary"] == RESUME["career_summary"]
    for function, resource in KINDS:
        assert alice.request("GET", f"/api/v1/{function}/{key}/{resource}").status == 200
        history = body_of(alice.request("GET", f"/api/v1/{function}/{key}/{resource}/history"))
        assert len(history["items"]) >= 1
        assert alice.request("GET", f"/api/v1/{function}/tasks/{tasks[function]}/progress").status == 200
    for export in EXPORTS:
        assert alice.request("GET", export.format(key=key)).status == 200
    # Nothing that identifies an owner is ever shown.
    shown = alice.request("GET", f"/api/v1/interview/tasks/{tasks['interview']}/progress").body
    assert b"alice" not in shown and b"owner" not in shown
    assert alice.request("DELETE", f"/api/v1/resumes/{key}").status == 204


def test_the_same_idempotency_key_from_two_users_makes_two_tasks(
    as_user: Callable[[str | None], BearerApiClient],
) -> None:
    alice, bob = as_user("alice"), as_user("bob")
    alices, bobs = create(alice), create(bob)
    header = [("Idempotency-Key", "same-key-for-both")]
    first = body_of(alice.json("POST", f"/api/v1/interview/async/{alices}/questions", {}, header))
    again = body_of(alice.json("POST", f"/api/v1/interview/async/{alices}/questions", {}, header))
    other = body_of(bob.json("POST", f"/api/v1/interview/async/{bobs}/questions", {}, header))
    assert first["task_id"] == again["task_id"] != other["task_id"]


def test_tokens_api_gateway_would_refuse_are_refused(
    auth_runtime: LocalRuntime, mint_token: Callable[..., str]
) -> None:
    issuer = auth_runtime.dev_issuer
    assert issuer is not None
    now = int(time.time())
    claims = {"iss": issuer.issuer, "aud": "careercoach-local", "sub": "mallory", "exp": now + 300}
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = jwt.get_unverified_header(mint_token("x"))["kid"]
    refused = {
        "no token": None,
        "expired": mint_token("alice", expires_in=-60),
        "wrong audience": mint_token("alice", audience="someone-else"),
        "unsigned": f"{header}.{payload}.",
        "signed by another key": jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid}),
        "garbage": "not-a-jwt",
    }
    for name, token in refused.items():
        client = BearerApiClient(auth_runtime.http_url, token)
        for method, path in (("GET", "/api/v1/resumes"), ("POST", "/api/v1/interview/async/k/questions")):
            reply = client.json(method, path, {} if method == "POST" else None)
            assert (reply.status, body_of(reply)) == (401, UNAUTHORIZED), name
            assert (reply.header("www-authenticate") or "").startswith("Bearer"), name
    # Public routes need no token.
    public = ApiClient(auth_runtime.http_url)
    for path in ("/api/v1/resumes/health", "/api/v1/interview/openapi.json", "/test"):
        assert public.request("GET", path).status == 200, path


def test_a_websocket_follows_only_its_owners_tasks(
    auth_runtime: LocalRuntime,
    as_user: Callable[[str | None], BearerApiClient],
    mint_token: Callable[..., str],
) -> None:
    alice = as_user("alice")
    accepted = body_of(alice.json("POST", f"/api/v1/interview/async/{create(alice)}/questions", {}))
    subscribe = json.dumps({"action": "subscribe", "task_id": accepted["task_id"]})
    url = accepted["websocket_url"]

    with connect(f"{url}?token={mint_token('bob')}", open_timeout=5) as socket:
        socket.send(subscribe)
        assert json.loads(socket.recv(timeout=10))["error_code"] == "task_not_found"
    with connect(f"{url}?token={mint_token('alice')}", open_timeout=5) as socket:
        socket.send(subscribe)
        first = json.loads(socket.recv(timeout=10))
        assert first["task_id"] == accepted["task_id"] and first["type"] != "error"
    for token in (None, mint_token("alice", expires_in=-60), "not-a-jwt"):
        target = url if token is None else f"{url}?token={token}"
        with pytest.raises(InvalidStatus) as refused, connect(target, open_timeout=5):
            pass
        assert refused.value.response.status_code == 401
