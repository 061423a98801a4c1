"""ResumesFunction called with the events/ samples, as `sam local invoke -e` would call it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.lambda_support import (
    FakeLambdaContext,
    json_body,
    load_event,
    load_function,
    with_path_key,
)

SAMPLES = ("create-rich.json", "create-rich-en.json", "create-short.json")
ERROR_KEYS = {"error_code", "message", "detail", "request_id"}


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = load_function("resumes").lambda_handler(
        event, FakeLambdaContext(function_name="ResumesFunction")
    )
    return response


def create(sample: str = "create-rich.json") -> dict[str, Any]:
    response = invoke(load_event(f"resumes/{sample}"))
    assert response["statusCode"] == 201, response
    body: dict[str, Any] = json_body(response)
    return body


def assert_error(response: dict[str, Any], status: int, error_code: str, event: dict[str, Any]) -> Any:
    assert response["statusCode"] == status, response
    body = json_body(response)
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | {"details"}
    assert body["error_code"] == error_code
    assert body["detail"] == body["message"]  # where the original system's clients read it
    assert body["request_id"] == event["requestContext"]["requestId"]
    assert "Traceback" not in response["body"] and 'File "' not in response["body"]
    return body


def is_subset(expected: Any, actual: Any) -> bool:
    """Every value the client sent is stored unchanged; the stored shape may add empty/null fields."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(is_subset(v, actual.get(k)) for k, v in expected.items())
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(is_subset(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


@pytest.mark.parametrize("sample", SAMPLES)
def test_create_then_read_back_equal(sample: str) -> None:
    event = load_event(f"resumes/{sample}")
    response = invoke(event)

    assert response["statusCode"] == 201
    created = json_body(response)
    assert response["headers"]["Location"] == f"/api/v1/resumes/{created['unique_key']}"
    assert created["created_at"] == created["updated_at"]
    assert created["created_at"].endswith("Z")

    fetched = invoke(with_path_key(load_event("resumes/get.json"), created["unique_key"]))
    assert fetched["statusCode"] == 200
    assert json_body(fetched) == created


@pytest.mark.parametrize("sample", ["create-rich.json", "create-rich-en.json"])
def test_rich_form_is_stored_with_its_own_field_names(sample: str) -> None:
    sent = json.loads(load_event(f"resumes/{sample}")["body"])
    assert is_subset(sent, create(sample))


def test_short_form_is_normalised_into_the_stored_shape() -> None:
    sent = json.loads(load_event("resumes/create-short.json")["body"])
    stored = create("create-short.json")
    assert stored["summary"] == sent["career_summary"]
    assert stored["job_roles"] == sent["job_roles"]
    assert stored["technical_skills"] == {"others": sent["tech_skills"]}
    assert stored["total_experience_months"] == sent["years_experience"] * 12
    assert stored["language"] == "ko"
    assert not {"career_summary", "tech_skills", "years_experience"} & set(stored)


def test_keys_are_opaque_random_and_not_derived_from_the_name() -> None:
    first, second = create(), create()
    for resume in (first, second):
        assert len(resume["unique_key"]) == 22
        assert resume["name"] not in resume["unique_key"]
    assert first["unique_key"] != second["unique_key"]


def test_put_replaces_the_whole_resume_and_keeps_created_at() -> None:
    created = create()
    event = with_path_key(load_event("resumes/update.json"), created["unique_key"])
    response = invoke(event)
    assert response["statusCode"] == 200
    replaced = json_body(response)
    assert replaced["summary"] == json.loads(event["body"])["summary"]
    assert replaced["name"] is None and replaced["work_experiences"] == []  # replaced, not merged
    assert replaced["language"] == "en"
    assert replaced["created_at"] == created["created_at"]
    assert replaced["updated_at"] >= created["updated_at"]
    assert json_body(invoke(with_path_key(load_event("resumes/get.json"), created["unique_key"]))) == replaced


def test_patch_merges_and_null_removes() -> None:
    created = create()
    event = with_path_key(load_event("resumes/patch.json"), created["unique_key"])
    response = invoke(event)
    assert response["statusCode"] == 200
    patched = json_body(response)
    assert patched["job_roles"] == ["Backend Engineer"]
    assert patched["contact"] is None
    assert patched["work_experiences"] == created["work_experiences"]
    assert patched["summary"] == created["summary"]


def test_patch_merges_nested_objects_and_accepts_short_form_keys() -> None:
    created = create()
    event = with_path_key(load_event("resumes/patch.json"), created["unique_key"])
    event["body"] = json.dumps(
        {"technical_skills": {"databases": ["MySQL"]}, "years_experience": 4, "tech_skills": ["Terraform"]}
    )
    patched = json_body(invoke(event))
    assert patched["technical_skills"]["databases"] == ["MySQL"]
    assert patched["technical_skills"]["frameworks"] == created["technical_skills"]["frameworks"]
    assert patched["technical_skills"]["others"] == ["Terraform"]
    assert patched["total_experience_months"] == 48


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"summary": ""}, ["body", "summary"]),
        ({"summary": None}, ["body", "summary"]),  # summary cannot be removed: the PATCH model says so
        ({"team": "x"}, ["body", "team"]),
        ({"work_experiences": [{"position": "no company"}]}, ["body", "work_experiences", 0, "company"]),
    ],
)
def test_patch_that_breaks_the_resume_is_rejected_and_changes_nothing(
    body: dict[str, Any], loc: list[Any]
) -> None:
    created = create()
    event = with_path_key(load_event("resumes/patch.json"), created["unique_key"])
    event["body"] = json.dumps(body)
    error = assert_error(invoke(event), 422, "validation_error", event)
    assert loc in [detail["loc"] for detail in error["details"]]
    assert json_body(invoke(with_path_key(load_event("resumes/get.json"), created["unique_key"]))) == created


def test_patch_body_must_be_an_object() -> None:
    created = create()
    event = with_path_key(load_event("resumes/patch.json"), created["unique_key"])
    event["body"] = json.dumps(["not", "an", "object"])
    assert_error(invoke(event), 422, "validation_error", event)


def test_delete_then_gone() -> None:
    created = create()
    delete = with_path_key(load_event("resumes/delete.json"), created["unique_key"])
    response = invoke(delete)
    assert response["statusCode"] == 204
    assert not response.get("body")
    get = with_path_key(load_event("resumes/get.json"), created["unique_key"])
    assert_error(invoke(get), 404, "resume_not_found", get)
    assert_error(invoke(delete), 404, "resume_not_found", delete)


def test_invalid_body_lists_every_field_without_echoing_values() -> None:
    event = load_event("resumes/invalid-body.json")
    error = assert_error(invoke(event), 422, "validation_error", event)
    locations = {tuple(detail["loc"]) for detail in error["details"]}
    assert locations == {
        ("body", "career_summary"),
        ("body", "tech_skills"),
        ("body", "years_experience"),
        ("body", "favourite_colour"),
    }
    assert all(set(detail) == {"loc", "msg", "type"} for detail in error["details"])
    assert "blue" not in json.dumps(error)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "No summary"},
        {"summary": "x", "career_summary": "y"},
        {"summary": "x", "years_experience": 3, "total_experience_months": 36},
        {"summary": "x" * 5001},
        {"summary": "x", "tech_skills": ["s"] * 101},
        {"summary": "x", "contact": {"email": "not-an-email"}},
        {"summary": "x", "technical_skills": {"Bad Category!": ["x"]}},
        {"summary": "x", "years_experience": -1},
        {"summary": "x", "language": "fr"},
    ],
)
def test_wrong_shapes_and_limits_get_422(body: dict[str, Any]) -> None:
    event = load_event("resumes/create-rich.json")
    event["body"] = json.dumps(body)
    assert_error(invoke(event), 422, "validation_error", event)


def test_malformed_json_gets_400() -> None:
    event = load_event("resumes/malformed-json.json")
    assert_error(invoke(event), 400, "malformed_json", event)


def test_non_json_content_type_gets_415() -> None:
    event = load_event("resumes/create-short.json")
    event["headers"]["content-type"] = "text/plain"
    assert_error(invoke(event), 415, "unsupported_media_type", event)


@pytest.mark.parametrize("base64_encoded", [False, True])
def test_body_over_256_kb_gets_413_before_parsing(base64_encoded: bool) -> None:
    import base64

    event = load_event("resumes/create-short.json")
    raw = json.dumps({"summary": "x" * (257 * 1024)})
    event["body"] = base64.b64encode(raw.encode()).decode() if base64_encoded else raw
    event["isBase64Encoded"] = base64_encoded
    assert_error(invoke(event), 413, "payload_too_large", event)


def test_base64_encoded_json_body_is_accepted() -> None:
    import base64

    event = load_event("resumes/create-short.json")
    event["body"] = base64.b64encode(event["body"].encode()).decode()
    event["isBase64Encoded"] = True
    assert invoke(event)["statusCode"] == 201


@pytest.mark.parametrize("key", ["short", "x" * 500, "김개발_1", "....................;;", "%00"])
def test_malformed_keys_get_404_not_500(key: str) -> None:
    for sample in ("get.json", "update.json", "patch.json", "delete.json"):
        event = with_path_key(load_event(f"resumes/{sample}"), key)
        assert_error(invoke(event), 404, "resume_not_found", event)


def test_unknown_key_gets_404() -> None:
    event = load_event("resumes/get.json")
    assert_error(invoke(event), 404, "resume_not_found", event)


def test_wrong_method_gets_405_with_allow() -> None:
    created = create()
    event = with_path_key(load_event("resumes/get.json"), created["unique_key"])
    event["requestContext"]["http"]["method"] = "POST"
    event["routeKey"] = "ANY /api/v1/resumes/{proxy+}"
    response = invoke(event)
    assert_error(response, 405, "method_not_allowed", event)
    assert response["headers"]["Allow"] == "DELETE, GET, PATCH, PUT, OPTIONS"


def test_unknown_route_gets_404_with_common_body() -> None:
    event = load_event("resumes/get.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/v1/nothing/here"
    event["routeKey"] = "$default"
    event.pop("pathParameters")
    assert_error(invoke(event), 404, "not_found", event)


def test_health_pings_the_database() -> None:
    response = invoke(load_event("resumes/health.json"))
    assert response["statusCode"] == 200
    assert json_body(response) == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    from careercoach import container

    # Nothing listens on port 9 (discard) on loopback: a real connection failure, quickly.
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:9/careercoach")
    monkeypatch.setenv("MONGODB_TIMEOUT_MS", "300")
    container.reset()
    event = load_event("resumes/health.json")
    body = assert_error(invoke(event), 503, "database_unavailable", event)
    assert "127.0.0.1" not in body["message"]
    create_event = load_event("resumes/create-short.json")
    assert_error(invoke(create_event), 503, "database_unavailable", create_event)


def test_swagger_ui_and_openapi_document() -> None:
    event = load_event("resumes/health.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/v1/resumes/docs"
    ui = invoke(event)
    assert ui["statusCode"] == 200
    assert ui["headers"]["Content-Type"] == "text/html"
    assert "swagger" in ui["body"].lower()

    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/v1/resumes/openapi.json"
    document = json_body(invoke(event))
    assert document["info"]["title"] == "Resumes API"
    assert set(document["paths"]) == {  # one entry per route: no trailing-slash twins
        "/api/v1/resumes",
        "/api/v1/resumes/health",
        "/api/v1/resumes/user/{name}",
        "/api/v1/resumes/{unique_key}",
    }
    assert {"get", "put", "patch", "delete"} <= set(document["paths"]["/api/v1/resumes/{unique_key}"])


def test_contact_data_never_reaches_the_logs(capsys: pytest.CaptureFixture[str]) -> None:
    created = create()
    invoke(with_path_key(load_event("resumes/get.json"), created["unique_key"]))
    captured = capsys.readouterr()
    logs = captured.out + captured.err
    assert logs  # the handler does log (cold start, correlation id); just never the contact data
    for secret in ("kim.dev@example.com", "010-1234-5678", "kimdev-example"):
        assert secret not in logs


@pytest.mark.parametrize("years", ["1e308", "true", "61", '"3"'])
def test_patch_years_experience_is_validated_under_its_own_name(years: str) -> None:
    # 1e308 * 12 once overflowed into a 500; true became 12 months.
    created = create()
    event = with_path_key(load_event("resumes/patch.json"), created["unique_key"])
    event["body"] = f'{{"years_experience": {years}}}'
    response = invoke(event)
    assert response["statusCode"] == 422, response
    assert json_body(response)["details"][0]["loc"] == ["body", "years_experience"]
