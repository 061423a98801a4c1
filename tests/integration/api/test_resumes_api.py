"""The Resume API over real HTTP through the local gateway (v2 events built from template.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api.conftest import ApiClient, body_of
from tests.integration.local.support import Reply

EVENTS = Path(__file__).resolve().parents[3] / "events" / "resumes"
SAMPLES = {
    name: json.loads(json.loads((EVENTS / name).read_text())["body"])
    for name in ("create-rich.json", "create-rich-en.json", "create-short.json")
}


def assert_common_error(reply: Reply, status: int, error_code: str) -> dict[str, Any]:
    assert reply.status == status, (reply.status, reply.body[:300])
    assert reply.header("content-type") == "application/json"
    body: dict[str, Any] = body_of(reply)
    assert (
        {"error_code", "message", "detail", "request_id"}
        <= set(body)
        <= {"error_code", "message", "detail", "request_id", "details"}
    )
    assert body["error_code"] == error_code
    assert body["detail"] == body["message"]
    # request_id is API Gateway's request id, which the gateway also sends back as a header
    assert body["request_id"] == reply.header("apigw-requestid")
    return body


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_samples_post_201_and_read_back_equal(api: ApiClient, sample: str) -> None:
    created = api.json("POST", "/api/v1/resumes", SAMPLES[sample])
    assert created.status == 201
    resume = body_of(created)
    assert created.header("location") == f"/api/v1/resumes/{resume['unique_key']}"
    fetched = api.request("GET", created.header("location") or "")
    assert fetched.status == 200
    assert body_of(fetched) == resume


def test_put_patch_delete(api: ApiClient) -> None:
    key = body_of(api.json("POST", "/api/v1/resumes", SAMPLES["create-rich.json"]))["unique_key"]
    path = f"/api/v1/resumes/{key}"

    replaced = api.json("PUT", path, SAMPLES["create-short.json"])
    assert replaced.status == 200
    assert body_of(replaced)["contact"] is None and body_of(replaced)["work_experiences"] == []

    patched = api.json("PATCH", path, {"name": "Kim", "job_roles": ["Platform engineer"]})
    assert patched.status == 200
    assert body_of(patched)["name"] == "Kim"
    assert body_of(patched)["summary"] == SAMPLES["create-short.json"]["career_summary"]
    assert body_of(api.request("GET", path)) == body_of(patched)

    deleted = api.request("DELETE", path)
    assert deleted.status == 204 and deleted.body == b""
    assert_common_error(api.request("GET", path), 404, "resume_not_found")


def test_malformed_json(api: ApiClient) -> None:
    assert_common_error(api.json("POST", "/api/v1/resumes", b'{"summary": '), 400, "malformed_json")


def test_wrong_types(api: ApiClient) -> None:
    body = assert_common_error(
        api.json("POST", "/api/v1/resumes", {"summary": 42, "work_experiences": "many"}),
        422,
        "validation_error",
    )
    assert {tuple(d["loc"]) for d in body["details"]} >= {("body", "summary"), ("body", "work_experiences")}


def test_oversized_body(api: ApiClient) -> None:
    big = {"summary": "x" * (300 * 1024)}
    assert_common_error(api.json("POST", "/api/v1/resumes", big), 413, "payload_too_large")


@pytest.mark.parametrize("key", ["nope", "a" * 300, "%E2%80%AE", "..%2F..%2Fetc"])
def test_bad_keys(api: ApiClient, key: str) -> None:
    assert_common_error(api.request("GET", f"/api/v1/resumes/{key}"), 404, "resume_not_found")


@pytest.mark.parametrize("path", ["/", "/api/v2/resumes", "/api/v1/resumes/a/b/c", "/favicon.ico"])
def test_unknown_routes(api: ApiClient, path: str) -> None:
    assert_common_error(api.request("GET", path), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/resumes", "GET, POST, OPTIONS"),
        ("PUT", "/api/v1/resumes", "GET, POST, OPTIONS"),
        ("POST", "/api/v1/resumes/AAAAAAAAAAAAAAAAAAAAAA", "DELETE, GET, PATCH, PUT, OPTIONS"),
        # The health check is its own resource (the most specific route), not a resume called "health".
        ("POST", "/api/v1/resumes/health", "GET, OPTIONS"),
    ],
)
def test_wrong_methods(api: ApiClient, method: str, path: str, allow: str) -> None:
    reply = api.request(method, path)
    assert_common_error(reply, 405, "method_not_allowed")
    assert reply.header("allow") == allow


def test_health_docs_and_openapi(api: ApiClient) -> None:
    assert body_of(api.request("GET", "/api/v1/resumes/health")) == {"status": "ok", "database": "ok"}
    docs = api.request("GET", "/api/v1/resumes/docs")
    assert docs.status == 200 and b"swagger" in docs.body.lower()
    assert b"cdn" not in docs.body.lower() and b"unpkg" not in docs.body.lower()
    spec = body_of(api.request("GET", "/api/v1/resumes/openapi.json"))
    assert "/api/v1/resumes/{unique_key}" in spec["paths"]


def test_cors_preflight_allows_configured_origin_without_credentials(api: ApiClient) -> None:
    reply = api.request(
        "OPTIONS",
        "/api/v1/resumes",
        headers=[("origin", "http://localhost:3000"), ("access-control-request-method", "POST")],
    )
    assert reply.status in (200, 204)
    assert reply.header("access-control-allow-origin") == "http://localhost:3000"
    assert reply.header("access-control-allow-credentials") in (None, "false")
    other = api.request(
        "OPTIONS",
        "/api/v1/resumes",
        headers=[("origin", "https://evil.example"), ("access-control-request-method", "POST")],
    )
    assert other.header("access-control-allow-origin") is None
