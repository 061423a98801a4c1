from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from llm_registry import output_schema
from tests.fakes.sample_output import Plan


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_objects(item))
    return found


def test_refs_are_inlined_into_one_self_contained_schema() -> None:
    schema = output_schema(Plan).json_schema
    assert "$defs" not in schema and "$ref" not in str(schema)
    assert schema["properties"]["items"]["items"]["properties"]["weeks"] == {
        "maximum": 52,
        "minimum": 1,
        "title": "Weeks",
        "type": "integer",
    }


def test_strict_variant_closes_every_object_and_requires_every_property() -> None:
    strict = output_schema(Plan).strict_schema
    assert strict is not None
    for obj in _objects(strict):
        assert obj["additionalProperties"] is False
        assert set(obj["required"]) == set(obj["properties"])
    assert strict["properties"]["note"] == {"anyOf": [{"title": "Note", "type": "string"}, {"type": "null"}]}
    assert "default" not in str(strict)


def test_strict_variant_leaves_out_keywords_outside_the_strict_subset_but_validation_keeps_them() -> None:
    schema = output_schema(Plan)
    title = schema.json_schema["properties"]["items"]["items"]["properties"]["title"]
    assert title["minLength"] == 1  # the plain schema, sent to the other providers, keeps it
    assert schema.strict_schema is not None
    strict_title = schema.strict_schema["properties"]["items"]["items"]["properties"]["title"]
    assert "minLength" not in strict_title
    assert schema.strict_schema["properties"]["items"]["minItems"] == 1  # supported: kept


def test_restore_drops_only_the_nulls_the_strict_variant_introduced() -> None:
    schema = output_schema(Plan)
    answer = {"summary": "s", "items": [{"title": "t", "weeks": 1}], "note": None}
    assert schema.restore(answer) == {"summary": "s", "items": [{"title": "t", "weeks": 1}]}
    assert Plan.model_validate(schema.restore(answer)).note == "none"
    # A null where the original schema never allowed one stays, and fails validation as it should.
    assert schema.restore({"summary": None})["summary"] is None


class Step(BaseModel):
    kind: Literal["read", "build"]
    hours: float | None = None  # nullable already: nothing to inject
    tags: list[str] = Field(default_factory=list)


class Path(BaseModel):
    steps: list[Step]


def test_nested_optional_fields_are_restored_inside_lists() -> None:
    schema = output_schema(Path)
    assert schema.injected_null_paths == frozenset({("steps", "*", "tags")})
    answer = {"steps": [{"kind": "read", "hours": None, "tags": None}]}
    assert Path.model_validate(schema.restore(answer)) == Path(steps=[Step(kind="read")])


class WithFreeMap(BaseModel):
    scores: dict[str, int]


class Tree(BaseModel):
    label: str
    children: list[Tree] = Field(default_factory=list)


def test_models_strict_mode_cannot_express_get_no_strict_variant() -> None:
    assert output_schema(WithFreeMap).strict_schema is None
    tree = output_schema(Tree)
    assert tree.strict_schema is None
    assert "$defs" in tree.json_schema  # recursive: references kept


class Weird_Name(BaseModel):  # an underscore is allowed in tool names and kept
    x: int


def test_schema_name_is_safe_for_every_provider() -> None:
    assert output_schema(Plan).name == "Plan"
    assert output_schema(Weird_Name).name == "Weird_Name"
