"""Turn a provider's answer into the output model, or into a list of problems to feed back.

No "repair" of the text happens here beyond one unambiguous case: an answer wrapped whole in a Markdown
code fence, which no valid JSON document can start with. Everything else is either valid or reported back
to the model, which fixes its own answer; guessing at broken JSON is how content gets corrupted."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from llm_registry.attempts import ErrorKind
from llm_registry.request import ProviderReply
from llm_registry.schema import OutputSchema

T = TypeVar("T", bound=BaseModel)

_MAX_PROBLEMS = 30
_MAX_PROBLEM_CHARS = 300


@dataclass(frozen=True)
class Validated(Generic[T]):
    value: T | None
    kind: ErrorKind | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)


def _strip_fence(text: str) -> str:
    if text.startswith("```") and text.endswith("```") and "\n" in text:
        return text[text.index("\n") + 1 : -3].strip()
    return text


def _short(text: str) -> str:
    return text if len(text) <= _MAX_PROBLEM_CHARS else text[: _MAX_PROBLEM_CHARS - 1] + "…"


def _schema_problems(exc: ValidationError) -> tuple[str, ...]:
    # Location and rule only: pydantic's `input` would copy model output into our problem list.
    problems = []
    for error in exc.errors(include_url=False, include_input=False)[:_MAX_PROBLEMS]:
        location = ".".join(str(part) for part in error["loc"]) or "(root)"
        problems.append(_short(f"{location}: {error['msg']}"))
    return tuple(problems)


def validate_reply(
    reply: ProviderReply,
    output_model: type[T],
    schema: OutputSchema,
    check: Callable[[T], Sequence[str]] | None,
) -> Validated[T]:
    content = reply.content
    data: Any
    if isinstance(content, output_model):
        data = content
    elif isinstance(content, BaseModel):
        data = content.model_dump(mode="json")
    elif isinstance(content, Mapping):
        data = schema.restore(dict(content))
    else:
        text = _strip_fence(content.strip())
        if not text:
            return Validated(None, ErrorKind.EMPTY, ("the answer was empty",))
        try:
            data = schema.restore(json.loads(text))
        except json.JSONDecodeError as exc:
            # json's message names only a position, never the document.
            return Validated(
                None, ErrorKind.UNPARSEABLE, (f"the answer is not valid JSON ({exc.msg} at {exc.pos})",)
            )

    if isinstance(data, output_model):
        value = data
    else:
        try:
            value = output_model.model_validate(data)
        except ValidationError as exc:
            return Validated(None, ErrorKind.SCHEMA_INVALID, _schema_problems(exc))

    if check is not None:
        problems = tuple(_short(str(problem)) for problem in check(value) if str(problem).strip())
        if problems:
            return Validated(None, ErrorKind.CHECK_FAILED, problems[:_MAX_PROBLEMS])
    return Validated(value)
