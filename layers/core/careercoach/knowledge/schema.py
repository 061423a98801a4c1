"""JSON Schemas of the knowledge-base data files, for editors: `python -m careercoach.knowledge.schema` writes
them to schema/ from the models that validate the files at load time, so the two cannot drift apart (a unit
test fails when a written schema is stale). Each data file points at its schema in "$schema"."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from careercoach.knowledge.models import ResourcesFile, RolesFile, SkillsFile, StepsFile, TemplatesFile
from careercoach.knowledge.terms import Terms

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
DATA_DIR = Path(__file__).resolve().parent / "data"
# Schema file -> the model it describes and the data files it applies to (glob).
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "skills.schema.json": (SkillsFile, "skills.json"),
    "templates.schema.json": (TemplatesFile, "templates_*.json"),
    "roles.schema.json": (RolesFile, "roles.json"),
    "resources.schema.json": (ResourcesFile, "resources.json"),
    "steps.schema.json": (StepsFile, "steps.json"),
    "terms.schema.json": (Terms, "terms.json"),
}


def schema(model: type[BaseModel], name: str) -> dict[str, Any]:
    body = model.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name, **body}


def rendered(model: type[BaseModel], name: str) -> str:
    return json.dumps(schema(model, name), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, (model, _) in SCHEMAS.items():
        (SCHEMA_DIR / name).write_text(rendered(model, name), encoding="utf-8")
        print(f"wrote {SCHEMA_DIR / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
