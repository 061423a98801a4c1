"""Answer vocabulary for the offline evaluator (data/terms.json): technical terms with their synonyms in
Korean and English, the words that mark the parts of a structured answer (situation, task, action, result;
cause, option, trade-off, measurement), first-person markers, non-answers, filler, stopwords, and the
Korean particles and endings stripped before a word is compared.

A separate file and loader beside the skills and templates: the evaluator reads only this and the skill
matcher (`knowledge().matcher`), so the generator's data can change shape without touching it."""

from __future__ import annotations

import functools
import json
from importlib import resources as importlib_resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Marker = Literal["situation", "task", "action", "result", "cause", "option", "tradeoff", "measurement"]
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ByLanguage(_Strict):
    en: list[Term] = Field(min_length=1)
    ko: list[Term] = Field(min_length=1)

    def get(self, language: str) -> list[str]:
        return self.ko if language == "ko" else self.en

    def both(self) -> list[str]:
        return [*self.en, *self.ko]


class Terms(_Strict):
    schema_: str | None = Field(default=None, alias="$schema", description="The JSON Schema of this file")
    synonyms: list[Annotated[list[Term], Field(min_length=2)]]
    stopwords: ByLanguage
    particles: list[Term]
    markers: dict[Marker, ByLanguage]
    first_person: ByLanguage
    non_answers: ByLanguage
    filler: ByLanguage


@functools.cache
def terms() -> Terms:
    """The validated answer vocabulary, loaded once per process (one Lambda execution environment)."""
    text = (
        importlib_resources.files("careercoach.knowledge").joinpath("data", "terms.json").read_text("utf-8")
    )
    loaded = Terms.model_validate(json.loads(text))
    missing = {"situation", "task", "action", "result", "cause", "option", "tradeoff", "measurement"} - set(
        loaded.markers
    )
    if missing:
        raise ValueError(f"terms.json: markers missing {sorted(missing)}")
    return loaded
