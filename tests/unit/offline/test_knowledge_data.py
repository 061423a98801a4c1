"""The shipped knowledge base: schema, references, both languages, catalog hygiene."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources as importlib_resources
from typing import Any

import pytest

from careercoach.knowledge import catalog_entry, knowledge, resources_for
from careercoach.knowledge import schema as knowledge_schema
from careercoach.knowledge.loader import (
    QUESTION_PLACEHOLDERS,
    STEP_PLACEHOLDERS,
    Knowledge,
    KnowledgeError,
    build,
    placeholders,
    problems,
)
from careercoach.knowledge.models import (
    SENIORITIES,
    ResourcesFile,
    RolesFile,
    SkillsFile,
    StepsFile,
    TemplatesFile,
)
from careercoach.models.generation import CATEGORIES

DATA = importlib_resources.files("careercoach.knowledge").joinpath("data")
TRACKS = ("backend", "frontend", "mobile", "data", "devops", "ai_ml", "security", "fullstack")


def _raw(name: str) -> Any:
    return json.loads(DATA.joinpath(name).read_text("utf-8"))


@pytest.fixture(scope="module")
def k() -> Knowledge:
    return knowledge()


def test_loads_once_and_is_consistent(k: Knowledge) -> None:
    assert knowledge() is k  # cached per execution environment
    assert problems(k) == []


def test_data_files_are_json_inside_the_package() -> None:
    names = {p.name for p in DATA.iterdir()}
    assert {"skills.json", "roles.json", "resources.json", "steps.json"} <= names
    assert any(n.startswith("templates_") for n in names)
    assert not any(n.endswith((".yaml", ".yml")) for n in names)  # the Lambda layer has no YAML parser


def test_no_duplicate_ids_in_any_file() -> None:
    skills = _raw("skills.json")
    roles = _raw("roles.json")
    templates = [
        t for p in DATA.iterdir() if p.name.startswith("templates_") for t in _raw(p.name)["templates"]
    ]
    for label, ids in {
        "skill": [s["id"] for s in skills["skills"]],
        "group": [g["id"] for g in skills["groups"]],
        "template": [t["id"] for t in templates],
        "expectation": [e["id"] for e in roles["expectations"]],
        "role": [r["track"] for r in roles["roles"]],
        "resource": [r["id"] for r in _raw("resources.json")["resources"]],
        "step": [s["id"] for s in _raw("steps.json")["steps"]],
    }.items():
        duplicated = [i for i, n in Counter(ids).items() if n > 1]
        assert not duplicated, f"duplicate {label} ids: {duplicated}"


def test_taxonomy_size_and_coverage(k: Knowledge) -> None:
    technologies = [s for s in k.skills.values() if s.kind != "practice"]
    assert len(technologies) >= 80
    areas = Counter(s.area for s in technologies)
    for area in ("backend", "frontend", "mobile", "data", "devops", "ai_ml", "security"):
        assert areas[area] >= 5, area
    with_aliases = [s for s in k.skills.values() if s.aliases or s.exact_aliases or s.list_aliases]
    assert len(with_aliases) >= 0.9 * len(k.skills)
    korean_aliases = sum(
        1 for s in k.skills.values() for a in s.aliases if any("가" <= ch <= "힣" for ch in a)
    )
    assert korean_aliases >= 60


def test_every_group_has_templates_and_categories_are_all_used(k: Knowledge) -> None:
    grouped = {t.group for t in k.templates}
    assert set(k.groups) <= grouped
    assert set(CATEGORIES) == {t.category for t in k.templates}
    assert len(k.templates) >= 150


def test_templates_complete_in_both_languages_with_known_placeholders(k: Knowledge) -> None:
    for t in k.templates:
        for language in ("ko", "en"):
            p = t.phrasing(language)
            assert p.text and p.intent and 2 <= len(p.key_points) <= 6 and 1 <= len(p.follow_ups) <= 4
            for text in (p.text, p.intent, *p.key_points, *p.follow_ups):
                assert placeholders(text) <= QUESTION_PLACEHOLDERS, (t.id, text)
        assert placeholders(t.ko.text) == placeholders(t.en.text), t.id
        assert any("가" <= ch <= "힣" for ch in t.ko.text), t.id
        assert not any("가" <= ch <= "힣" for ch in t.en.text + t.en.intent), t.id


def test_steps_complete_in_both_languages(k: Knowledge) -> None:
    assert {s.type for s in k.steps} == {"deepen_strength", "close_gap", "project", "communication"}
    for s in k.steps:
        for language in ("ko", "en"):
            p = s.phrasing(language)
            for text in (p.title, p.why, *p.actions, p.milestone):
                assert placeholders(text) <= STEP_PLACEHOLDERS, (s.id, text)


def test_roles_cover_every_track_and_level_in_both_languages(k: Knowledge) -> None:
    assert set(k.roles) == set(TRACKS)
    for role in k.roles.values():
        assert role.name.ko and role.name.en
        assert set(role.levels) == set(SENIORITIES)
        for level in role.levels.values():
            assert level.summary.ko and level.summary.en
            assert all(e in k.expectations for e in level.expects)
        assert role.projects
    for e in k.expectations.values():
        assert e.label.ko and e.label.en and e.why.ko and e.why.en and e.practice.ko and e.practice.en


def test_gap_labels_name_only_their_own_skills(k: Knowledge) -> None:
    # Otherwise a gap could name a skill the candidate already lists.
    for e in k.expectations.values():
        for language in ("ko", "en"):
            named = {m.skill_id for m in k.matcher.in_text(e.label.get(language))}
            assert named <= set(e.any_of), (e.id, named)


def test_catalog_entries_are_https_official_and_reference_known_skills(k: Knowledge) -> None:
    assert len(k.resources) >= 100
    for r in k.resources.values():
        assert r.url.startswith("https://"), r.id
        assert all(s in k.skills for s in r.skills), r.id
    assert len({r.url for r in k.resources.values()}) == len(k.resources)
    assert any(r.language == "ko" for r in k.resources.values())


def test_every_expectation_can_point_to_a_resource(k: Knowledge) -> None:
    for e in k.expectations.values():
        assert resources_for(e.any_of, 3), e.id


def test_catalog_lookup_api() -> None:
    entry = catalog_entry("redis.docs")
    assert entry is not None and entry.url == "https://redis.io/docs/"
    assert catalog_entry("no.such-resource") is None
    by_name = [r.id for r in resources_for(["스프링부트", "Redis"], 4)]
    assert by_name[0] == "spring.boot" and "redis.docs" in by_name and len(by_name) <= 4
    assert resources_for(["unknown-skill"], 3) == []
    korean_first = resources_for(["react"], 2, language="ko")
    assert korean_first[0].language == "ko"


def test_broken_references_are_reported() -> None:
    skills = SkillsFile.model_validate(_raw("skills.json"))
    templates = [
        TemplatesFile.model_validate(_raw(p.name)) for p in DATA.iterdir() if p.name.startswith("templates_")
    ]
    roles = RolesFile.model_validate(_raw("roles.json"))
    steps = StepsFile.model_validate(_raw("steps.json"))
    bad = _raw("resources.json")
    bad["resources"].append(
        {"id": "bad.one", "title": "x", "url": "https://example.org/", "kind": "docs", "skills": ["nope"]}
    )
    with pytest.raises(KnowledgeError, match="unknown skill nope"):
        build(skills, templates, roles, ResourcesFile.model_validate(bad), steps)
    bad_template = _raw("templates_general.json")
    bad_template["templates"][0]["ko"]["text"] += " {mystery}"
    with pytest.raises(KnowledgeError, match="mystery"):
        build(
            skills,
            [TemplatesFile.model_validate(bad_template)],
            roles,
            ResourcesFile.model_validate(_raw("resources.json")),
            steps,
        )


def test_schema_rejects_plain_http_and_bad_ids() -> None:
    with pytest.raises(ValueError):
        ResourcesFile.model_validate(
            {
                "resources": [
                    {"id": "x.y", "title": "t", "url": "http://example.org", "kind": "docs", "skills": ["go"]}
                ]
            }
        )
    with pytest.raises(ValueError):
        ResourcesFile.model_validate(
            {
                "resources": [
                    {
                        "id": "Bad Id",
                        "title": "t",
                        "url": "https://example.org",
                        "kind": "docs",
                        "skills": ["go"],
                    }
                ]
            }
        )


def test_json_schemas_for_editors_are_current() -> None:
    # Stale when a model changed without `python -m careercoach.knowledge.schema`.
    for name, (model, _) in knowledge_schema.SCHEMAS.items():
        written = (knowledge_schema.SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert written == knowledge_schema.rendered(model, name), f"{name} is stale: regenerate it"


def test_every_data_file_names_its_schema() -> None:
    named: set[str] = set()
    for name, (_, pattern) in knowledge_schema.SCHEMAS.items():
        for path in knowledge_schema.DATA_DIR.glob(pattern):
            assert json.loads(path.read_text(encoding="utf-8"))["$schema"] == f"../schema/{name}", path.name
            named.add(path.name)
    assert named == {p.name for p in knowledge_schema.DATA_DIR.glob("*.json")}


def test_new_fields_are_used_by_the_data(k: Knowledge) -> None:
    assert any(t.any_field for t in k.templates) and any(t.improves for t in k.templates)
    assert any(s.any_field for s in k.steps)
    assert {f.id for f in k.fields} >= {"marketing", "design", "sales", "finance"}
    assert all(x in k.expectations for x in k.outside_expectations) and k.outside_projects
    assert any(e.met_by for e in k.expectations.values())
    assert k.expectations["be_git"].weeks < k.expectations["be_distributed"].weeks
    for role in k.roles.values():
        # Portfolio projects sized for each level: a new graduate never gets only the senior ones.
        assert any("junior" in idea.levels for idea in role.projects), role.track
        assert any("senior" in idea.levels for idea in role.projects), role.track
