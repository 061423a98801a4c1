"""InterviewFunction and LearningFunction with the events/ samples and no API key anywhere: the offline
generator answers, grounded in each sample resume, in its language, through the same checks as any model."""

from __future__ import annotations

import json
from typing import Any

import pytest

from careercoach.models.resume import Resume
from careercoach.resume_items import normalise_text, resume_items
from tests.support.lambda_support import (
    invoke_function,
    json_body,
    load_event,
)

SAMPLES = ("create-rich.json", "create-rich-en.json", "create-short.json")


invoke = invoke_function


def create(sample: str) -> dict[str, Any]:
    response = invoke("resumes", load_event(f"resumes/{sample}"))
    assert response["statusCode"] == 201
    body: dict[str, Any] = json_body(response)
    return body


def at_key(event: dict[str, Any], key: str) -> dict[str, Any]:
    old = event["pathParameters"]["unique_key"]
    event["pathParameters"]["unique_key"] = key
    event["rawPath"] = event["requestContext"]["http"]["path"] = event["rawPath"].replace(old, key)
    return event


def quoted_from(resume: dict[str, Any], source: str, quote: str) -> bool:
    items = {item.source: item.text for item in resume_items(Resume.model_validate(resume).content())}
    return normalise_text(quote) in normalise_text(items[source])


@pytest.mark.parametrize("sample", SAMPLES)
def test_offline_questions_for_every_sample(sample: str) -> None:
    resume = create(sample)
    event = at_key(load_event("interview/generate.json"), resume["unique_key"])
    event["body"] = json.dumps({"count": 5})  # the resume's own language
    response = invoke("interview", event)
    assert response["statusCode"] == 201, response["body"][:400]
    stored = json_body(response)
    assert stored["provider"] == "offline" and stored["language"] == resume["language"]
    assert len(stored["questions"]) == 5 and len({q["category"] for q in stored["questions"]}) >= 3
    for question in stored["questions"]:
        assert quoted_from(resume, question["grounding"]["source"], question["grounding"]["quote"])
    latest = invoke("interview", at_key(load_event("interview/latest.json"), resume["unique_key"]))
    assert json_body(latest) == stored


@pytest.mark.parametrize("sample", SAMPLES)
def test_offline_learning_path_for_every_sample(sample: str) -> None:
    resume = create(sample)
    response = invoke("learning", at_key(load_event("learning/generate.json"), resume["unique_key"]))
    assert response["statusCode"] == 201, response["body"][:400]
    path = json_body(response)
    assert 5 <= len(path["steps"]) <= 8
    assert path["total_weeks"] == sum(step["estimated_weeks"] for step in path["steps"])
    assert {step["type"] for step in path["steps"]} >= {"close_gap", "project", "communication"}
    links = [r["url"] for step in path["steps"] for r in step["resources"]]
    assert links and all(url.startswith("https://") for url in links)


def test_english_with_a_job_description() -> None:
    resume = create("create-rich.json")  # a Korean resume, English output asked for
    event = at_key(load_event("learning/generate-en-with-job-description.json"), resume["unique_key"])
    path = json_body(invoke("learning", event))
    assert path["language"] == "en" and path["options"]["job_description"]
    gaps = " ".join(g["area"] for g in path["analysis"]["gaps"]).lower()
    assert "kubernetes" in gaps or "go" in gaps


@pytest.mark.parametrize("function", ["interview", "learning"])
def test_invalid_options_are_422_with_each_field(function: str) -> None:
    resume = create("create-short.json")
    event = at_key(load_event(f"{function}/generate-invalid-options.json"), resume["unique_key"])
    response = invoke(function, event)
    assert response["statusCode"] == 422
    locations = {tuple(d["loc"])[:2] for d in json_body(response)["details"]}
    assert ("body", "language") in locations and ("body", "job_description") in locations


@pytest.mark.parametrize("function", ["interview", "learning"])
def test_health_lists_the_offline_provider(function: str) -> None:
    body = json_body(invoke(function, load_event(f"{function}/health.json")))
    assert body["status"] == "ok" and body["providers"] == ["offline"]


def test_history_event() -> None:
    resume = create("create-rich-en.json")
    for _ in range(2):
        invoke("interview", at_key(load_event("interview/generate.json"), resume["unique_key"]))
    page = json_body(invoke("interview", at_key(load_event("interview/history.json"), resume["unique_key"])))
    assert len(page["items"]) == 2 and page["next_cursor"] is None
