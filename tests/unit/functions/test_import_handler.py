"""ImportFunction called with the events/import samples, as `sam local invoke -e` (and `make invoke`) would
call it: a PDF, a DOCX and text become stored resumes the Resumes function reads back; a multipart dry run
stores nothing; refusals answer the common error body; the import's own body limit (not the 256 KB JSON
limit) with the limit stated; the Resumes function's 308 for the path with a trailing slash; owners; the
request body the OpenAPI document describes."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from careercoach import container
from careercoach.importing import MAX_BODY_BYTES, MAX_FILE_BYTES
from tests.support.lambda_support import (
    invoke_function,
    json_body,
    load_event,
    load_function,
)

ERROR_KEYS = {"error_code", "message", "detail", "request_id"}


def invoke(event: dict[str, Any], function: str = "import") -> dict[str, Any]:
    return invoke_function(function, event)


def assert_error(response: dict[str, Any], status: int, error_code: str) -> Any:
    assert response["statusCode"] == status, response
    assert response["headers"]["Content-Type"] == "application/json"
    body = json_body(response)
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | {"details"}
    assert body["error_code"] == error_code
    assert body["detail"] == body["message"]
    assert body["request_id"] == "sample-request-id-0001"
    assert "Traceback" not in response["body"]
    return body


def stored_count() -> int:
    return int(container.current().database["resumes"].count_documents({}))


def with_owner(event: dict[str, Any], sub: str) -> dict[str, Any]:
    """What API Gateway's JWT authorizer adds for a token of `sub`."""
    event = copy.deepcopy(event)
    event["requestContext"]["authorizer"] = {"jwt": {"claims": {"sub": sub}, "scopes": None}}
    return event


def get_resume(key: str, event_owner: dict[str, Any] | None = None) -> dict[str, Any]:
    event = load_event("resumes/get.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/api/v1/resumes/{key}"
    event["pathParameters"] = {"unique_key": key}
    if event_owner is not None:
        event["requestContext"]["authorizer"] = event_owner["requestContext"]["authorizer"]
    return invoke(event, "resumes")


@pytest.mark.parametrize(
    ("sample", "source_type", "name"),
    [("pdf.json", "pdf", "김개발"), ("docx.json", "docx", None), ("text.json", "text", None)],
)
def test_each_sample_is_stored_and_read_back(sample: str, source_type: str, name: str | None) -> None:
    response = invoke(load_event(f"import/{sample}"))
    assert response["statusCode"] == 201, response
    body = json_body(response)
    report = body.pop("import_report")
    assert response["headers"]["Location"] == f"/api/v1/resumes/{body['unique_key']}"
    assert (report["source_type"], report["extracted_by"], report["degraded"]) == (
        source_type,
        "offline",
        False,
    )
    assert report["pages"] >= 1 and report["characters"] > 100 and report["language"] in ("ko", "en")
    assert set(report) >= {"warnings", "missing", "redacted", "attempts", "prompt_version"}
    assert body["contact"]["email"] and body["contact"]["phone"]
    if name:
        assert body["name"] == name
    # Exactly what POST /api/v1/resumes stores: the Resumes function reads back the same resume.
    fetched = get_resume(body["unique_key"])
    assert fetched["statusCode"] == 200
    assert json_body(fetched) == body


def test_the_challenges_one_line_resume_imports() -> None:
    response = invoke(load_event("import/challenge-line.json"))
    assert response["statusCode"] == 201, response
    body = json_body(response)
    assert "Spring Boot" in body["summary"]
    assert "work_experiences" in body["import_report"]["missing"]


def test_a_multipart_dry_run_answers_the_resume_and_stores_nothing() -> None:
    response = invoke(load_event("import/multipart-dry-run.json"))
    assert response["statusCode"] == 200, response
    assert "Location" not in (response.get("headers") or {})
    body = json_body(response)
    assert set(body) == {"resume", "import_report"}
    assert body["import_report"]["source_type"] == "pdf"
    assert stored_count() == 0
    # The previewed resume can be sent to POST /api/v1/resumes as it is.
    create = load_event("resumes/create-rich.json")
    create["body"] = json.dumps(body["resume"], ensure_ascii=False)
    created = invoke(create, "resumes")
    assert created["statusCode"] == 201, created
    assert json_body(created)["summary"] == body["resume"]["summary"]


@pytest.mark.parametrize(
    ("sample", "status", "error_code"),
    [
        ("unsupported-type.json", 415, "unsupported_media_type"),
        ("too-little-text.json", 422, "too_little_text"),
    ],
)
def test_refusals_store_nothing(sample: str, status: int, error_code: str) -> None:
    assert_error(invoke(load_event(f"import/{sample}")), status, error_code)
    assert stored_count() == 0


def test_the_import_route_has_its_own_body_limit_stated_in_the_413() -> None:
    # Above the 256 KB JSON limit, and read: 270 KB of Korean text (fewer characters than the 100,000 a
    # document may hold).
    event = load_event("import/text.json")
    line = "주문결제정산시스템의장애대응과성능개선을담당했습니다\n"
    event["body"] += line * 3400
    assert len(event["body"].encode()) > 256 * 1024
    response = invoke(event)
    assert response["statusCode"] == 201, response

    # One byte over the import's limit (measured without decoding the base64 body): 413, limit stated.
    oversized = load_event("import/pdf.json")
    oversized["body"] = base64.b64encode(b"%PDF-1.7\n" + b"0" * (MAX_BODY_BYTES - 8)).decode()
    body = assert_error(invoke(oversized), 413, "payload_too_large")
    assert body["details"] == {"limit_bytes": MAX_FILE_BYTES}
    assert "4 MB" in body["message"]

    # Between the file limit and the body limit (room for a multipart envelope): the document itself is
    # over 4 MB, refused by the reader with the same answer.
    raw = load_event("import/pdf.json")
    raw["body"] = base64.b64encode(b"%PDF-1.7\n" + b"0" * (MAX_FILE_BYTES - 8)).decode()
    assert assert_error(invoke(raw), 413, "payload_too_large")["details"] == {"limit_bytes": MAX_FILE_BYTES}
    assert stored_count() == 1  # the 270 KB one


def test_other_routes_keep_the_json_limit() -> None:
    event = load_event("resumes/create-rich.json")
    event["body"] = json.dumps({"summary": "x" * (300 * 1024)})
    body = assert_error(invoke(event, "resumes"), 413, "payload_too_large")
    assert "256 KB" in body["message"]


def test_a_body_marked_base64_that_is_not_is_a_400() -> None:
    event = load_event("import/pdf.json")
    event["body"] = "not base64 at all!"
    assert_error(invoke(event), 400, "bad_request")
    assert stored_count() == 0


def test_query_options_are_validated() -> None:
    unknown = load_event("import/text.json")
    unknown["rawQueryString"] = "provider=nosuchprovider"
    unknown["queryStringParameters"] = {"provider": "nosuchprovider"}
    body = assert_error(invoke(unknown), 422, "validation_error")
    assert body["details"][0]["loc"] == ["query", "provider"]
    not_bool = load_event("import/text.json")
    not_bool["rawQueryString"] = "dry_run=perhaps"
    not_bool["queryStringParameters"] = {"dry_run": "perhaps"}
    body = assert_error(invoke(not_bool), 422, "validation_error")
    assert body["details"][0]["loc"] == ["query", "dry_run"]
    offline = load_event("import/text.json")
    offline["rawQueryString"] = "provider=offline&dry_run=true"
    offline["queryStringParameters"] = {"provider": "offline", "dry_run": "true"}
    response = invoke(offline)
    assert response["statusCode"] == 200, response
    assert json_body(response)["import_report"]["extracted_by"] == "offline"
    assert stored_count() == 0


def test_an_imported_resume_belongs_to_its_owner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_ISSUER", "https://issuer.example")
    monkeypatch.setenv("AUTH_AUDIENCE", "careercoach")
    container.reset()
    alice = with_owner(load_event("import/text.json"), "alice")
    created = invoke(alice)
    assert created["statusCode"] == 201, created
    key = json_body(created)["unique_key"]
    assert get_resume(key, alice)["statusCode"] == 200
    assert_error(get_resume(key, with_owner(alice, "bob")), 404, "resume_not_found")
    # Without verified claims, with auth on: 401, nothing stored for anyone.
    assert_error(invoke(load_event("import/text.json")), 401, "unauthenticated")
    assert stored_count() == 1


def test_the_path_with_a_trailing_slash_reaches_the_resumes_function_which_answers_308() -> None:
    event = load_event("import/multipart-dry-run.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/v1/resumes/import/"
    event["routeKey"] = event["requestContext"]["routeKey"] = "ANY /api/v1/resumes/{proxy+}"
    response = invoke(event, "resumes")
    assert response["statusCode"] == 308, response
    assert response["headers"]["Location"] == "/api/v1/resumes/import?dry_run=true"
    assert stored_count() == 0
    # Over the import's limit, it says so as the import route would.
    event["body"] = base64.b64encode(b"0" * (MAX_BODY_BYTES + 1)).decode()
    assert_error(invoke(event, "resumes"), 413, "payload_too_large")


def test_health_and_docs() -> None:
    health = invoke(load_event("import/health.json"))
    assert health["statusCode"] == 200
    answer = json_body(health)
    # The same answer as the other generating functions' health checks (careercoach.api.app.health_answer).
    assert answer == {
        "status": "ok",
        "database": "ok",
        "providers": ["offline"],
        "provider_status": {"offline": answer["provider_status"]["offline"]},
    }
    assert answer["provider_status"]["offline"]["outcome"] == "never_called"
    document = json.loads(load_function("import").app.get_openapi_json_schema(title="Resume import API"))
    operation = document["paths"]["/api/v1/resumes/import"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain",
        "text/markdown",
        "multipart/form-data",
    }
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert {"200", "201", "413", "415", "422", "429"} <= set(operation["responses"])
    assert [p["name"] for p in operation["parameters"]] == ["dry_run", "provider"]
