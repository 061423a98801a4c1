"""Issue 20, item 7: the OpenAPI documents say what the functions do. One test per mismatch schemathesis
(`--checks all`) found; the fuzz run in tests/integration/fuzz holds the whole of it.

Each test looks at both sides: what the document states, and what the handler answers for a value on
either side of that statement."""

from __future__ import annotations

import copy
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import llm_registry
from careercoach.generation.providers import provider_order
from careercoach.models.generation import InterviewOptions
from careercoach.models.resume import MAX_SKILL_CATEGORIES, ResumePatch
from careercoach.models.text import SPACE_OR_CONTROL, invisible_ranges, is_invisible, visible_pattern
from careercoach.storage.pagination import CURSOR_PATTERN
from local.template import load_template
from tests.support.lambda_support import FakeLambdaContext, json_body, load_event, load_function

FUNCTIONS = {
    "resumes": "ResumesFunction",
    "interview": "InterviewFunction",
    "practice": "PracticeFunction",
    "import": "ImportFunction",
    "web": "WebFunction",
}


@pytest.fixture(autouse=True)
def offline_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("LLM_PROVIDERS", raising=False)
    llm_registry.reset()
    yield
    llm_registry.reset()


def invoke(function: str, method: str, path: str, body: Any = None) -> dict[str, Any]:
    event = copy.deepcopy(load_event("resumes/get.json"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["routeKey"] = event["requestContext"]["routeKey"] = "$default"
    event.pop("pathParameters", None)
    event.pop("body", None)
    event.setdefault("headers", {}).pop("content-type", None)
    if body is not None:
        event["body"] = json.dumps(body, ensure_ascii=False)
        event["headers"]["content-type"] = "application/json"
    response: dict[str, Any] = load_function(function).lambda_handler(
        event, FakeLambdaContext(function_name=FUNCTIONS[function], timeout_s=28)
    )
    return response


def document(function: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(load_function(function).app.get_openapi_json_schema())
    return schema


def component(doc: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"][name]
    return schema


def create_resume(body: dict[str, Any]) -> dict[str, Any]:
    return invoke("resumes", "POST", "/api/v1/resumes", body)


# ---- text: at most N characters as sent, at least one visible, stored trimmed ---------------------------

ALL_CODE_POINTS = range(sys.maxunicode + 1)


def test_the_visible_pattern_is_is_invisible_over_every_code_point() -> None:
    """The document's pattern and the validator are one rule: over all of Unicode, a character matches the
    pattern exactly when the validator calls it visible (the ranges are scanned over planes 0-1 only)."""
    ranges = invisible_ranges()
    listed = {code for low, high in ranges for code in range(low, high + 1)}
    assert {code for code in ALL_CODE_POINTS if is_invisible(chr(code))} == listed
    pattern = re.compile(visible_pattern())
    assert all(bool(pattern.search(chr(code))) is (code not in listed) for code in ALL_CODE_POINTS)


def test_space_or_control_is_isspace_and_cc_over_every_code_point() -> None:
    pattern = re.compile(f"[{SPACE_OR_CONTROL}]")
    for code in ALL_CODE_POINTS:
        char = chr(code)
        expected = char.isspace() or unicodedata.category(char) == "Cc"
        assert bool(pattern.fullmatch(char)) is expected, hex(code)


def test_a_summary_that_shows_nothing_is_422_and_outside_the_documented_pattern() -> None:
    summary = component(document("resumes"), "ResumeInput")["properties"]["summary"]
    text_schema = next(item for item in summary["anyOf"] if item.get("type") == "string")
    assert text_schema["minLength"] == 1 and "pattern" in text_schema
    for blank in ("\u00a0", "\u200b", " \t\n", "\u3000\u2060"):
        assert not re.search(text_schema["pattern"], blank)
        response = create_resume({"summary": blank})
        assert response["statusCode"] == 422, blank
    padded = create_resume({"summary": "  Backend engineer\u00a0"})
    assert padded["statusCode"] == 201 and json_body(padded)["summary"] == "Backend engineer"


def test_the_length_limit_counts_the_value_as_sent() -> None:
    """maxLength applies to what is sent (JSON Schema's rule), so 5000 characters plus spaces is too long."""
    summary = "x" * 5000
    assert create_resume({"summary": summary})["statusCode"] == 201
    assert create_resume({"summary": f" {summary}"})["statusCode"] == 422


# ---- numbers: an integral JSON number is the integer it equals ------------------------------------------


def test_an_integral_number_is_an_integer_and_a_fraction_is_not() -> None:
    assert InterviewOptions.model_validate_json('{"count": 6.0}').count == 6
    for body in ('{"count": 6.5}', '{"count": "6"}', '{"count": true}'):
        with pytest.raises(ValidationError):
            InterviewOptions.model_validate_json(body)
    count = component(document("interview"), "InterviewOptionsRequest")["properties"]["count"]
    assert count["type"] == "integer"


# ---- technical_skills: category names follow their pattern, nothing else is a key ----------------------


def test_technical_skills_documents_and_enforces_its_category_names() -> None:
    skills = component(document("resumes"), "ResumeInput")["properties"]["technical_skills"]
    assert skills["additionalProperties"] is False
    (name_pattern,) = skills["patternProperties"]
    for name in ("Backend", "1st", "back end", "_x"):
        assert not re.search(name_pattern, name)
        response = create_resume({"summary": "Engineer", "technical_skills": {name: ["Go"]}})
        assert response["statusCode"] == 422, name
    accepted = create_resume({"summary": "Engineer", "technical_skills": {"backend": ["Go"]}})
    assert accepted["statusCode"] == 201


# ---- tech_skills beside technical_skills: refused up front, never merged past the limits -----------------


@pytest.mark.parametrize(
    "body",
    [
        {"technical_skills": {"others": ["Go"] * 1}, "tech_skills": ["Rust"]},
        {"technical_skills": {"others": [f"s{i}" for i in range(100)]}, "tech_skills": ["Rust"]},
        {"technical_skills": {f"c{i}": ["Go"] for i in range(MAX_SKILL_CATEGORIES)}, "tech_skills": ["Rust"]},
    ],
)
def test_short_form_skills_that_cannot_be_merged_are_422_not_500(body: dict[str, Any]) -> None:
    response = create_resume({"summary": "Engineer", **body})
    assert response["statusCode"] == 422, response["body"]
    assert json_body(response)["error_code"] == "validation_error"


# ---- PATCH: a documented body model --------------------------------------------------------------------


def test_patch_documents_its_fields_and_refuses_others() -> None:
    doc = document("resumes")
    body = doc["paths"]["/api/v1/resumes/{unique_key}"]["patch"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/ResumePatch")
    assert component(doc, "ResumePatch")["additionalProperties"] is False
    key = json_body(create_resume({"summary": "Engineer"}))["unique_key"]
    assert invoke("resumes", "PATCH", f"/api/v1/resumes/{key}", {"summery": "typo"})["statusCode"] == 422
    patched = invoke("resumes", "PATCH", f"/api/v1/resumes/{key}", {"summary": " Staff engineer "})
    assert patched["statusCode"] == 200 and json_body(patched)["summary"] == "Staff engineer"
    with pytest.raises(ValidationError):
        ResumePatch.model_validate({"summary": "a", "career_summary": "b"})


# ---- provider: one of this deployment's ----------------------------------------------------------------


@pytest.mark.parametrize(("function", "schema"), [("interview", "InterviewOptionsRequest")])
def test_provider_is_an_enum_of_the_configured_providers(function: str, schema: str) -> None:
    provider = component(document(function), schema)["properties"]["provider"]
    assert provider["enum"] == ["auto", *provider_order()]
    parameters = document("import")["paths"]["/api/v1/resumes/import"]["post"]["parameters"]
    query = next(item for item in parameters if item["name"] == "provider")
    assert query["schema"]["enum"] == ["auto", *provider_order()]
    key = json_body(create_resume({"summary": "Engineer"}))["unique_key"]
    refused = invoke(function, "POST", f"/api/v1/interview/{key}/questions", {"provider": "nope"})
    assert refused["statusCode"] == 422


# ---- methods: OPTIONS and 405 follow the most specific route --------------------------------------------


def test_options_on_health_allows_get_only_and_other_methods_are_405() -> None:
    options = invoke("resumes", "OPTIONS", "/api/v1/resumes/health")
    assert options["statusCode"] == 204 and options["headers"]["Allow"] == "GET, OPTIONS"
    for method in ("PUT", "PATCH", "DELETE"):
        response = invoke("resumes", method, "/api/v1/resumes/health", {"summary": "x"})
        assert response["statusCode"] == 405 and response["headers"]["Allow"] == "GET, OPTIONS"
    resource = invoke("resumes", "OPTIONS", "/api/v1/resumes/abc")
    assert resource["headers"]["Allow"] == "DELETE, GET, PATCH, PUT, OPTIONS"


def test_trace_on_the_page_is_405_and_the_template_routes_it_to_the_web_function() -> None:
    for path in ("/test", "/test/app.js"):
        response = invoke("web", "TRACE", path)
        assert response["statusCode"] == 405 and response["headers"]["Allow"] == "GET, OPTIONS"
        assert json_body(response)["error_code"] == "method_not_allowed"
    template = load_template(Path(__file__).resolve().parents[3] / "template.yaml")
    routes = {(route.method, route.path): route.function_id for route in template.http_routes}
    assert routes[("ANY", "/test")] == routes[("ANY", "/test/{asset}")] == "WebFunction"


# ---- cursors, import bodies, the gateway's 401 ---------------------------------------------------------


def test_the_cursor_parameter_states_the_decoders_pattern() -> None:
    parameters = document("resumes")["paths"]["/api/v1/resumes"]["get"]["parameters"]
    cursor = next(item for item in parameters if item["name"] == "cursor")
    assert cursor["schema"]["pattern"] == f"^({CURSOR_PATTERN[1:-1]})?$"


def test_the_import_form_takes_the_file_part_only() -> None:
    content = document("import")["paths"]["/api/v1/resumes/import"]["post"]["requestBody"]["content"]
    form = content["multipart/form-data"]["schema"]
    assert form["required"] == ["file"] and form["additionalProperties"] is False


def test_with_auth_on_guarded_operations_document_the_gateways_401(monkeypatch: pytest.MonkeyPatch) -> None:
    from careercoach import container

    monkeypatch.setattr(container.current().settings, "auth_issuer", "https://issuer.example")
    doc = document("resumes")
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    read = doc["paths"]["/api/v1/resumes/{unique_key}"]["get"]
    assert read["security"] == [{"bearerAuth": []}]
    schema = read["responses"]["401"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["message"]
    assert "security" not in doc["paths"]["/api/v1/resumes/health"]["get"]
