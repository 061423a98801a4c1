from __future__ import annotations

import json

from llm_registry import ErrorKind, ProviderReply, output_schema
from llm_registry.validation import validate_reply
from tests.fakes.sample_output import INVALID_PLAN, VALID_PLAN, Plan

SCHEMA = output_schema(Plan)


def test_json_text_mapping_and_model_instances_are_all_accepted() -> None:
    expected = Plan.model_validate(VALID_PLAN)
    for content in (json.dumps(VALID_PLAN), VALID_PLAN, expected, expected.model_copy()):
        assert validate_reply(ProviderReply(content=content), Plan, SCHEMA, None).value == expected


def test_an_answer_wrapped_whole_in_a_code_fence_is_read() -> None:
    fenced = "```json\n" + json.dumps(VALID_PLAN) + "\n```"
    assert validate_reply(ProviderReply(content=fenced), Plan, SCHEMA, None).value is not None


def test_text_that_is_not_json_is_unparseable_with_a_position_only() -> None:
    verdict = validate_reply(ProviderReply(content='{"summary": "secret resume line'), Plan, SCHEMA, None)
    assert verdict.kind is ErrorKind.UNPARSEABLE
    [problem] = verdict.problems
    assert problem.startswith("the answer is not valid JSON")
    assert "secret resume line" not in problem


def test_schema_problems_name_locations_and_rules_but_not_values() -> None:
    answer = {**INVALID_PLAN, "summary": 12345}
    verdict = validate_reply(ProviderReply(content=answer), Plan, SCHEMA, None)
    assert verdict.kind is ErrorKind.SCHEMA_INVALID
    assert set(verdict.problems) == {
        "summary: Input should be a valid string",
        "items.0.title: Field required",
        "items.0.weeks: Input should be greater than or equal to 1",
    }
    assert "12345" not in str(verdict.problems)


def test_check_problems_make_a_valid_shape_invalid() -> None:
    def check(plan: Plan) -> list[str]:
        return [f"item {i} is too short" for i, item in enumerate(plan.items) if item.weeks < 4]

    verdict = validate_reply(ProviderReply(content=VALID_PLAN), Plan, SCHEMA, check)
    assert verdict.kind is ErrorKind.CHECK_FAILED
    assert verdict.problems == ("item 0 is too short",)
    assert validate_reply(ProviderReply(content=VALID_PLAN), Plan, SCHEMA, lambda plan: []).value is not None


def test_blank_text_is_empty() -> None:
    assert validate_reply(ProviderReply(content="  \n"), Plan, SCHEMA, None).kind is ErrorKind.EMPTY
