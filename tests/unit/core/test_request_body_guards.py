"""Regressions found by the schemathesis run (tests/integration/fuzz): request bodies that crashed a handler
(500) or were accepted although the OpenAPI document calls them invalid. Each is checked through a real
function's handler (ResumesFunction) and, where the route shape matters, through a minimal app built with
the same `careercoach.api.app.create_http_app`."""

from __future__ import annotations

import base64
import copy
import json
from typing import Annotated, Any

import jsonschema_rs
import pytest
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, ValidationError

from careercoach.api import app as http
from careercoach.models.generation import InterviewOptions
from careercoach.models.resume import Resume, ResumeInput
from tests.support.lambda_support import FakeLambdaContext, json_body, load_event, load_function

SHORT = {"career_summary": "Backend developer, three years of Go and PostgreSQL.", "years_experience": 3}


def create_event(body: str | None, content_type: str | None = "application/json") -> dict[str, Any]:
    event = load_event("resumes/create-short.json")
    event["body"] = body
    if content_type is None:
        del event["headers"]["content-type"]
    else:
        event["headers"]["content-type"] = content_type
    return event


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = load_function("resumes").lambda_handler(
        event, FakeLambdaContext(function_name="ResumesFunction")
    )
    return response


def error_code(response: dict[str, Any]) -> str:
    code: str = json_body(response)["error_code"]
    return code


# ---- a minimal app: a required body, an optional body, a free-form object --------------------------------


class Options(BaseModel):
    count: int = 1


app = http.create_http_app(prefix="/t", title="t", description="t")


@app.post("/t/required")
def required(data: Annotated[Options, Body()]) -> dict[str, Any]:
    return {"count": data.count}


@app.post("/t/optional")
def optional(data: Annotated[Options | None, Body()] = None) -> dict[str, Any]:
    return {"count": None if data is None else data.count}


@app.patch("/t/free")
def free(data: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    return {"keys": sorted(data)}


def call(
    path: str, body: str | None, content_type: str | None = "application/json", *, method: str = "POST"
) -> dict[str, Any]:
    event = copy.deepcopy(load_event("resumes/create-short.json"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {path}"
    event["body"] = body
    if content_type is None:
        del event["headers"]["content-type"]
    else:
        event["headers"]["content-type"] = content_type
    result: dict[str, Any] = http.resolve(app, event, FakeLambdaContext())  # type: ignore[arg-type]
    return result


# ---- 500s -------------------------------------------------------------------------------------------------


def test_multipart_without_a_boundary_is_415_not_500() -> None:
    response = invoke(create_event(json.dumps(SHORT), "multipart/form-data"))
    assert response["statusCode"] == 415
    assert error_code(response) == "unsupported_media_type"


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/xml"]
)
def test_a_body_that_is_not_json_is_415(content_type: str) -> None:
    response = invoke(create_event("career_summary=x", content_type))
    assert response["statusCode"] == 415


def test_a_body_that_is_not_utf8_is_400_not_500() -> None:
    # API Gateway passes a body that is not valid UTF-8 on base64-encoded.
    event = create_event(base64.b64encode(b",\x11\xff \xfe\xfew\xe0").decode())
    event["isBase64Encoded"] = True
    response = invoke(event)
    assert response["statusCode"] == 400
    assert error_code(response) == "malformed_json"


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_400_not_500(depth: int) -> None:
    # 100 000 levels made json.loads raise RecursionError; 40 is within the stack but past any real body.
    response = invoke(create_event("[" * depth + "]" * depth))
    assert response["statusCode"] == 400
    assert error_code(response) == "bad_request"


def test_realistic_nesting_is_accepted() -> None:
    sample = json.loads(load_event("resumes/create-rich.json")["body"])
    assert invoke(create_event(json.dumps(sample)))["statusCode"] == 201


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_cannot_hold_are_400(number: str) -> None:
    response = invoke(create_event(f'{{"career_summary": "x", "years_experience": {number}}}'))
    assert response["statusCode"] == 400
    assert error_code(response) == "malformed_json"


# ---- invalid input that was accepted ----------------------------------------------------------------------


def test_a_json_array_is_not_unwrapped_to_its_first_element() -> None:
    # Powertools took `[x, ...]` for a model body as x: this stored a resume.
    response = invoke(create_event(json.dumps([SHORT])))
    assert response["statusCode"] == 422
    assert json_body(response)["details"] == [
        {"loc": ["body"], "msg": "The body must be a JSON object", "type": "object_type"}
    ]


@pytest.mark.parametrize("body", ["[null, null]", '[{"count": 3}]', "[]", '"text"', "7", "true"])
@pytest.mark.parametrize("path", ["/t/required", "/t/optional"])
def test_only_an_object_is_a_body(path: str, body: str) -> None:
    response = call(path, body)
    assert response["statusCode"] == 422, response


def test_an_array_is_not_a_merge_patch() -> None:
    assert call("/t/free", '[{"a": 1}]', method="PATCH")["statusCode"] == 422


def test_null_or_no_body_still_means_no_options() -> None:
    for body in (None, "", "null"):
        response = call("/t/optional", body)
        assert response["statusCode"] == 200, response
        assert json_body(response) == {"count": None}


def test_an_empty_body_needs_no_content_type() -> None:
    assert call("/t/optional", "", "text/plain")["statusCode"] == 200


@pytest.mark.parametrize(
    "content_type",
    [None, "application/json", "application/json; charset=utf-8", "application/merge-patch+json"],
)
def test_json_media_types_are_read(content_type: str | None) -> None:
    response = call("/t/required", '{"count": 4}', content_type)
    assert response["statusCode"] == 200, response
    assert json_body(response) == {"count": 4}


def test_malformed_json_is_still_400() -> None:
    response = call("/t/required", '{"count": ')
    assert response["statusCode"] == 400
    assert error_code(response) == "malformed_json"


# ---- no type coercion: what the document calls invalid is refused -----------------------------------------


@pytest.mark.parametrize(
    "options", [{"seed": False}, {"seed": "3"}, {"count": True}, {"count": "5"}, {"count": 5.5}]
)
def test_generation_options_take_json_types_as_documented(options: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        InterviewOptions.model_validate(options)


def test_generation_options_read_back_from_json() -> None:
    options = InterviewOptions(count=3, seed=7, language="en")
    assert InterviewOptions.model_validate(json.loads(options.model_dump_json())) == options


@pytest.mark.parametrize(
    "change",
    [
        {"total_experience_months": "36"},
        {"total_experience_months": True},
        {"years_experience": True},
        {"work_experiences": [{"company": "A", "team_size": True}]},
        {"work_experiences": [{"company": "A", "team_size": 4.5}]},
        {"job_roles": "Backend engineer"},
    ],
)
def test_resume_input_takes_json_types_as_documented(change: dict[str, Any]) -> None:
    base = {"summary": "Backend developer."} if "years_experience" not in change else {"career_summary": "x"}
    with pytest.raises(ValidationError):
        ResumeInput.model_validate({**base, **change})


def test_resume_input_accepts_an_integer_where_a_number_is_documented() -> None:
    assert ResumeInput.model_validate({"career_summary": "x", "years_experience": 3}).years_experience == 3


def test_a_stored_resume_still_reads_back_from_its_json() -> None:
    created = json_body(invoke(create_event(json.dumps(SHORT))))
    assert Resume.model_validate(created).model_dump(mode="json") == created


# ---- the document states the cross-field rules the validator enforces -------------------------------------


@pytest.mark.parametrize(
    "resume",
    [
        {},
        {"summary": "x"},
        {"career_summary": "x"},
        {"summary": "x", "career_summary": "y"},
        {"summary": "x", "career_summary": None},
        {"summary": None, "career_summary": "y"},
        {"summary": "x", "years_experience": 1, "total_experience_months": 12},
        {"summary": "x", "years_experience": 1, "total_experience_months": None},
        {"summary": "x", "total_experience_months": 12},
    ],
)
def test_resume_input_schema_agrees_with_its_validator(resume: dict[str, Any]) -> None:
    # Without the rules in the document, `{}` was a valid resume there and a 422 here. jsonschema_rs is
    # what schemathesis checks documents with.
    validator = jsonschema_rs.Draft202012Validator(ResumeInput.model_json_schema())
    try:
        ResumeInput.model_validate(resume)
        accepted = True
    except ValidationError:
        accepted = False
    assert validator.is_valid(resume) == accepted
