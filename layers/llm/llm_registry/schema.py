"""JSON schemas for the requested output model, in the forms the providers accept.

Pydantic emits `$defs` + `$ref`; some structured-output implementations only take a self-contained tree,
so references are inlined once per model (recursive models keep theirs). OpenAI's strict mode needs every
object closed (`additionalProperties: false`) with every property required: a field that has a default is
made required-but-nullable in the strict variant, and `restore()` drops those injected nulls again before
validation so that pydantic applies the default. Dropping a null the model should not have sent is safe:
the original schema never allowed it there. Keywords outside the strict subset are left out of that variant
only; the full model is still what the answer is validated against."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

JsonSchema = dict[str, Any]
Path = tuple[str, ...]  # property names, with "*" for array items

_NAME_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]")

# Keywords outside OpenAI's strict subset. Dropping them only loosens what the provider enforces while
# decoding: pydantic still validates the full model afterwards, and a violation earns the repair turn.
_STRICT_DROPPED = frozenset(
    {"default", "discriminator", "examples", "minLength", "maxLength", "minProperties", "maxProperties"}
    | {"uniqueItems", "contains", "minContains", "maxContains", "propertyNames", "patternProperties"}
)
_STRICT_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
)


class _NotStrictCompatible(Exception):
    pass


@dataclass(frozen=True)
class OutputSchema:
    name: str  # tool / schema name, safe for every provider: ^[a-zA-Z0-9_-]{1,64}$
    json_schema: JsonSchema  # self-contained (refs inlined) unless the model is recursive
    strict_schema: JsonSchema | None  # OpenAI strict variant; None when the model cannot be expressed so
    injected_null_paths: frozenset[Path]

    def restore(self, data: Any) -> Any:
        """Drop the nulls that only the strict variant allowed, so model defaults apply."""
        if not self.injected_null_paths:
            return data
        return _drop_nulls(data, (), self.injected_null_paths)


def _drop_nulls(data: Any, path: Path, paths: frozenset[Path]) -> Any:
    if isinstance(data, dict):
        return {
            key: _drop_nulls(value, (*path, key), paths)
            for key, value in data.items()
            if not (value is None and (*path, key) in paths)
        }
    if isinstance(data, list):
        return [_drop_nulls(item, (*path, "*"), paths) for item in data]
    return data


def _inline_refs(schema: JsonSchema) -> JsonSchema | None:
    """Return the schema with every local `$ref` replaced by its definition, or None if recursive."""
    definitions = schema.get("$defs", {})

    def resolve(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                key = ref.removeprefix("#/$defs/")
                if key in seen:
                    raise RecursionError(key)
                target = resolve(definitions[key], (*seen, key))
                siblings = {k: resolve(v, seen) for k, v in node.items() if k != "$ref"}
                return {**target, **siblings}
            return {k: resolve(v, seen) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [resolve(item, seen) for item in node]
        return node

    try:
        inlined = resolve(schema, ())
    except RecursionError:
        return None
    return inlined if isinstance(inlined, dict) else None


def _is_nullable(node: JsonSchema) -> bool:
    if node.get("type") == "null" or (isinstance(node.get("type"), list) and "null" in node["type"]):
        return True
    return any(isinstance(branch, dict) and _is_nullable(branch) for branch in node.get("anyOf", []))


def _strict(node: Any, path: Path, injected: set[Path]) -> Any:
    if isinstance(node, list):
        return [_strict(item, path, injected) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node or "prefixItems" in node or "not" in node or "if" in node:
        raise _NotStrictCompatible
    out: JsonSchema = {}
    for key, value in node.items():
        if key in _STRICT_DROPPED or (key == "format" and value not in _STRICT_FORMATS):
            continue
        if key == "oneOf":
            out["anyOf"] = _strict(value, path, injected)
        elif key in ("anyOf", "allOf"):
            out[key] = _strict(value, path, injected)
        elif key == "items":
            out["items"] = _strict(value, (*path, "*"), injected)
        elif key != "properties":
            out[key] = value
    if node.get("type") == "object" or "properties" in node:
        extra = node.get("additionalProperties", False)
        if extra is not False:
            raise _NotStrictCompatible  # free-form maps cannot be closed
        properties: dict[str, Any] = node.get("properties", {})
        required = set(node.get("required", []))
        closed: dict[str, Any] = {}
        for name, prop in properties.items():
            strict_prop = _strict(prop, (*path, name), injected)
            if name not in required and not _is_nullable(prop):
                strict_prop = {"anyOf": [strict_prop, {"type": "null"}]}
                injected.add((*path, name))
            closed[name] = strict_prop
        out["type"] = "object"
        out["properties"] = closed
        out["required"] = list(properties)
        out["additionalProperties"] = False
    return out


def _schema_name(model: type[BaseModel]) -> str:
    return _NAME_UNSAFE.sub("_", model.__name__)[:64] or "output"


@cache
def output_schema(model: type[BaseModel]) -> OutputSchema:
    """The schemas for one output model, computed once per model class (models are classes: hashable)."""
    raw = model.model_json_schema()
    inlined = _inline_refs(raw)
    injected: set[Path] = set()
    strict: JsonSchema | None
    try:
        strict = _strict(copy.deepcopy(inlined), (), injected) if inlined is not None else None
    except _NotStrictCompatible:
        strict, injected = None, set()
    return OutputSchema(
        name=_schema_name(model),
        json_schema=inlined if inlined is not None else raw,
        strict_schema=strict,
        injected_null_paths=frozenset(injected),
    )
