"""The spec table: every generation kind the service knows, by its `kind` name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from careercoach.generation.evaluation import EVALUATION
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.learning import LEARNING_PATH
from careercoach.generation.spec import GenerationSpec

SPECS: Mapping[str, GenerationSpec[Any, Any]] = {
    spec.kind: spec for spec in (INTERVIEW, LEARNING_PATH, EVALUATION)
}


def spec_for(kind: str) -> GenerationSpec[Any, Any]:
    """The spec of a stored kind (tasks and records name theirs); KeyError for a kind nobody declared."""
    return SPECS[kind]
