"""Loads the knowledge base once per execution environment and indexes it.

Data ships as JSON inside the package (the Lambda layer has no YAML parser). Loading validates every file
with the schemas in models.py, then the references between files; a broken data file fails loudly at the
first use (and in the unit tests), never with a half-working generator."""

from __future__ import annotations

import functools
import json
import re
import string
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from typing import Any

from careercoach.knowledge.matching import SkillMatcher, alias_key
from careercoach.knowledge.models import (
    AnchorKind,
    Expectation,
    Group,
    Localized,
    OutsideField,
    ProjectIdea,
    QuestionTemplate,
    Resource,
    ResourcesFile,
    Role,
    RolesFile,
    Skill,
    SkillsFile,
    StepsFile,
    StepTemplate,
    TemplatesFile,
    Track,
)
from careercoach.models.generation import StepType

# Placeholders a question template may use; offline/render.py binds them from the resume.
QUESTION_PLACEHOLDERS = frozenset(
    {
        "achievement",
        "project",
        "company",
        "position",
        "skill",
        "skill2",
        "concept",
        "concept2",
        "metric",
        "before",
        "after",
        "team_size",
        "role",
        "track",
        "years",
        "jd_skill",
        "quote",
        "old_skill",
        "new_skill",
    }
)
STEP_PLACEHOLDERS = frozenset(
    {
        "skill",
        "concept",
        "concept2",
        "achievement",
        "project",
        "gap",
        "practice",
        "track",
        "level",
        "next_level",
        "idea",
        "idea_brief",
        "idea_milestone",
        "skills",
        "jd_skill",
        "why_gap",
    }
)


class KnowledgeError(ValueError):
    """The shipped data files are inconsistent."""


@functools.cache  # template texts are a fixed set; generation asks about each one many times
def placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


@dataclass(frozen=True, eq=False)  # identity hash: functools.cache keys derived indexes on it
class Knowledge:
    groups: Mapping[str, Group]
    concepts: Mapping[str, Localized]
    skills: Mapping[str, Skill]
    templates: tuple[QuestionTemplate, ...]
    expectations: Mapping[str, Expectation]
    roles: Mapping[Track, Role]
    resources: Mapping[str, Resource]
    steps: tuple[StepTemplate, ...]
    matcher: SkillMatcher = field(repr=False)
    templates_by_anchor: Mapping[AnchorKind, tuple[QuestionTemplate, ...]] = field(repr=False)
    steps_by_type: Mapping[StepType, tuple[StepTemplate, ...]] = field(repr=False)
    resources_by_skill: Mapping[str, tuple[Resource, ...]] = field(repr=False)
    # Professions outside the engineering tracks, and what the generator offers them.
    fields: tuple[OutsideField, ...] = ()
    outside_expectations: tuple[str, ...] = ()
    outside_projects: tuple[ProjectIdea, ...] = ()

    def field_name(self, field_id: str, language: str) -> str:
        """The name of a profession outside the engineering tracks ("마케팅", "marketing")."""
        return next(f.name.get(language) for f in self.fields if f.id == field_id)

    @functools.cached_property
    def outside_fields(self) -> tuple[re.Pattern[str], ...]:
        """One pattern per outside profession, matching its keywords as words (any case)."""
        return tuple(
            re.compile(
                "|".join(
                    re.escape(w) if re.match(r"[\uac00-\ud7a3]", w) else rf"\b{re.escape(w)}\b"
                    for w in sorted(f.keywords, key=len, reverse=True)
                ),
                re.IGNORECASE,
            )
            for f in self.fields
        )

    def skill_id(self, name: str) -> str | None:
        """The skill id for an id, a display name or any alias ("스프링부트" -> "spring_boot")."""
        if name in self.skills:
            return name
        return self.matcher.key_owner(name)

    def skill_name(self, skill_id: str, language: str) -> str:
        return self.skills[skill_id].name.get(language)

    def catalog_entry(self, resource_id: str) -> Resource | None:
        return self.resources.get(resource_id)

    def resources_for(
        self, skills: Iterable[str], limit: int = 12, *, language: str | None = None
    ) -> list[Resource]:
        """Catalog entries for the given skills (ids or names), most specific first, without duplicates.

        Per skill: entries in the requested language first, then entries for fewer skills (a page about
        Redis before a book about all of data systems). Skills are visited round-robin so the first skills
        do not crowd out the rest."""
        queues: list[list[Resource]] = []
        for name in skills:
            skill_id = self.skill_id(name)
            if skill_id is None:
                continue
            entries = sorted(
                self.resources_by_skill.get(skill_id, ()),
                key=lambda r: (language is not None and r.language != language, len(r.skills), r.id),
            )
            queues.append(entries)
        chosen: list[Resource] = []
        seen: set[str] = set()
        depth = 0
        while len(chosen) < limit and any(depth < len(q) for q in queues):
            for queue in queues:
                if depth < len(queue) and queue[depth].id not in seen and len(chosen) < limit:
                    seen.add(queue[depth].id)
                    chosen.append(queue[depth])
            depth += 1
        return chosen


def _read(name: str) -> Any:
    return json.loads(
        importlib_resources.files("careercoach.knowledge").joinpath("data", name).read_text("utf-8")
    )


def _template_files() -> list[str]:
    data = importlib_resources.files("careercoach.knowledge").joinpath("data")
    return sorted(
        p.name for p in data.iterdir() if p.name.startswith("templates_") and p.name.endswith(".json")
    )


def _duplicates(ids: Iterable[str]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for value in ids:
        counts[value] += 1
    return sorted(k for k, n in counts.items() if n > 1)


def problems(k: Knowledge) -> list[str]:
    """Every cross-reference problem in the data; empty when the knowledge base is consistent."""
    found: list[str] = []
    found += [f"duplicate template id {d}" for d in _duplicates(t.id for t in k.templates)]
    found += [f"duplicate step id {d}" for d in _duplicates(s.id for s in k.steps)]
    aliases: dict[str, str] = {}
    for skill in k.skills.values():
        if skill.group not in k.groups:
            found.append(f"skill {skill.id}: unknown group {skill.group}")
        found += [f"skill {skill.id}: unknown concept {c}" for c in skill.concepts if c not in k.concepts]
        found += [f"skill {skill.id}: unknown related {r}" for r in skill.related if r not in k.skills]
        for alias in {
            skill.name.en,
            skill.name.ko,
            *skill.aliases,
            *skill.exact_aliases,
            *skill.list_aliases,
        }:
            owner = aliases.setdefault(alias_key(alias), skill.id)
            if owner != skill.id:
                found.append(f"alias {alias!r} names both {owner} and {skill.id}")
    for t in k.templates:
        if t.group is not None and t.group not in k.groups:
            found.append(f"template {t.id}: unknown group {t.group}")
        found += [f"template {t.id}: unknown skill {s}" for s in t.skills if s not in k.skills]
        for language in ("ko", "en"):
            p = t.phrasing(language)
            for text in (p.text, p.intent, *p.key_points, *p.follow_ups):
                unknown = placeholders(text) - QUESTION_PLACEHOLDERS
                if unknown:
                    found.append(f"template {t.id} ({language}): unknown placeholders {sorted(unknown)}")
        if placeholders(t.ko.text) != placeholders(t.en.text):
            found.append(f"template {t.id}: ko and en texts use different placeholders")
    for s in k.steps:
        for language in ("ko", "en"):
            sp = s.phrasing(language)
            for text in (sp.title, sp.why, *sp.actions, sp.milestone):
                unknown = placeholders(text) - STEP_PLACEHOLDERS
                if unknown:
                    found.append(f"step {s.id} ({language}): unknown placeholders {sorted(unknown)}")
    for e in k.expectations.values():
        found += [f"expectation {e.id}: unknown skill {s}" for s in e.any_of if s not in k.skills]
        # A gap's label must not name a skill outside any_of: the resume could list that one.
        for language in ("ko", "en"):
            named = {m.skill_id for m in k.matcher.in_text(e.label.get(language))}
            found += [
                f"expectation {e.id}: label names {s}, not in any_of" for s in sorted(named - set(e.any_of))
            ]
    found += [
        f"outside expectation {x} is unknown" for x in k.outside_expectations if x not in k.expectations
    ]
    for idea in k.outside_projects:
        found += [f"project {idea.id}: unknown skill {s}" for s in idea.skills if s not in k.skills]
    for role in k.roles.values():
        for level_name, level in role.levels.items():
            found += [
                f"role {role.track}/{level_name}: unknown expectation {x}"
                for x in level.expects
                if x not in k.expectations
            ]
        for idea in role.projects:
            found += [f"project {idea.id}: unknown skill {s}" for s in idea.skills if s not in k.skills]
    for r in k.resources.values():
        found += [f"resource {r.id}: unknown skill {s}" for s in r.skills if s not in k.skills]
    return found


def build(
    skills_file: SkillsFile,
    templates_files: Iterable[TemplatesFile],
    roles_file: RolesFile,
    resources_file: ResourcesFile,
    steps_file: StepsFile,
) -> Knowledge:
    templates = tuple(t for f in templates_files for t in f.templates)
    by_anchor: dict[AnchorKind, list[QuestionTemplate]] = defaultdict(list)
    for t in templates:
        for anchor in t.anchors:
            by_anchor[anchor].append(t)
    by_type: dict[StepType, list[StepTemplate]] = defaultdict(list)
    for s in steps_file.steps:
        by_type[s.type].append(s)
    by_skill: dict[str, list[Resource]] = defaultdict(list)
    for r in resources_file.resources:
        for skill in r.skills:
            by_skill[skill].append(r)
    duplicated = (
        [f"group {d}" for d in _duplicates(g.id for g in skills_file.groups)]
        + [f"skill {d}" for d in _duplicates(s.id for s in skills_file.skills)]
        + [f"expectation {d}" for d in _duplicates(e.id for e in roles_file.expectations)]
        + [f"role {d}" for d in _duplicates(r.track for r in roles_file.roles)]
        + [f"resource {d}" for d in _duplicates(r.id for r in resources_file.resources)]
        + [f"resource url {d}" for d in _duplicates(r.url for r in resources_file.resources)]
    )
    if duplicated:
        raise KnowledgeError("duplicate ids: " + ", ".join(duplicated))
    k = Knowledge(
        groups={g.id: g for g in skills_file.groups},
        concepts=dict(skills_file.concepts),
        skills={s.id: s for s in skills_file.skills},
        templates=templates,
        expectations={e.id: e for e in roles_file.expectations},
        roles={r.track: r for r in roles_file.roles},
        resources={r.id: r for r in resources_file.resources},
        steps=tuple(steps_file.steps),
        matcher=SkillMatcher(skills_file.skills),
        templates_by_anchor={a: tuple(v) for a, v in by_anchor.items()},
        steps_by_type={t: tuple(v) for t, v in by_type.items()},
        resources_by_skill={s: tuple(v) for s, v in by_skill.items()},
        fields=tuple(roles_file.outside_fields),
        outside_expectations=tuple(roles_file.outside_expectations),
        outside_projects=tuple(roles_file.outside_projects),
    )
    issues = problems(k)
    if issues:
        raise KnowledgeError("; ".join(issues))
    return k


@functools.cache
def knowledge() -> Knowledge:
    """The validated knowledge base, loaded once per process (one Lambda execution environment)."""
    return build(
        SkillsFile.model_validate(_read("skills.json")),
        [TemplatesFile.model_validate(_read(name)) for name in _template_files()],
        RolesFile.model_validate(_read("roles.json")),
        ResourcesFile.model_validate(_read("resources.json")),
        StepsFile.model_validate(_read("steps.json")),
    )


def catalog_entry(resource_id: str) -> Resource | None:
    """The catalog entry with this id, or None: how the core resolves a provider's resource ids."""
    return knowledge().catalog_entry(resource_id)


def resources_for(skills: Iterable[str], limit: int = 12, *, language: str | None = None) -> list[Resource]:
    """A relevant subset of the catalog for a prompt: entries for these skills (ids or names)."""
    return knowledge().resources_for(skills, limit, language=language)
