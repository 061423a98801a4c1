"""Schemas of the curated knowledge base (data/*.json).

Every data file is validated by these models when the knowledge base loads; cross-file references (a
template's group, a resource's skills, a role's expectations) are checked by the loader."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from careercoach.models.generation import Category, Difficulty, ResourceKind, StepType

Area = Literal["backend", "frontend", "mobile", "data", "devops", "ai_ml", "security", "general"]
Track = Literal["backend", "frontend", "mobile", "data", "devops", "ai_ml", "security", "fullstack"]
Seniority = Literal["junior", "mid", "senior"]
SkillKind = Literal["language", "framework", "library", "database", "platform", "tool", "practice"]
# What a question is anchored on: which kind of resume item it quotes.
AnchorKind = Literal[
    "achievement",  # one achievement line
    "project",  # a work experience's project or a personal project, as a whole
    "stack",  # a skill used in a specific project (quoted from that project's tech_stack)
    "skill",  # a skill listed or mentioned outside any project
    "experience",  # a work experience header (company, position, team size)
    "summary",  # a span of the summary
    "role",  # a job_roles entry
    "certification",
    "education",
    "jd_bridge",  # a resume skill used as a bridge to a job-description skill the resume lacks
]
MetricKind = Literal[
    "latency", "throughput", "scale", "percent", "multiplier", "zero", "cost", "size", "count"
]

SENIORITIES: tuple[Seniority, ...] = ("junior", "mid", "senior")

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{1,80}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
Alias = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    ko: NonEmpty
    en: NonEmpty

    def get(self, language: str) -> str:
        return self.ko if language == "ko" else self.en


class Group(_Strict):
    """A family of skills that share question templates (e.g. `cache`: Redis, Memcached, caching)."""

    id: Id
    name: Localized
    area: Area


class Skill(_Strict):
    id: Id
    name: Localized
    # Matched case-insensitively everywhere (free text and list entries).
    aliases: list[Alias] = Field(default_factory=list)
    # Matched case-sensitively in free text ("Go", "React", "Lambda": ordinary words otherwise).
    exact_aliases: list[Alias] = Field(default_factory=list)
    # Matched only when they are a whole tech-stack / skills entry ("C", "R", "Express").
    list_aliases: list[Alias] = Field(default_factory=list)
    area: Area
    group: Id
    kind: SkillKind
    concepts: list[Id] = Field(min_length=1, max_length=8)
    related: list[Id] = Field(default_factory=list)


class Phrasing(_Strict):
    text: NonEmpty
    intent: NonEmpty
    key_points: list[NonEmpty] = Field(min_length=2, max_length=6)
    follow_ups: list[NonEmpty] = Field(min_length=1, max_length=4)


class QuestionTemplate(_Strict):
    id: Id
    group: Id | None = None  # None: applies to any anchor of the right kind
    anchors: list[AnchorKind] = Field(min_length=1)
    category: Category
    difficulty: Difficulty  # for a mid-level candidate; shifted by seniority
    levels: list[Seniority] = Field(default_factory=lambda: list(SENIORITIES), min_length=1)
    metric_kinds: list[MetricKind] = Field(default_factory=list)  # empty: any (or none)
    tracks: list[Track] = Field(default_factory=list)  # empty: any track
    skills: list[Id] = Field(default_factory=list)  # empty: any skill of the group; else only these
    # Role-agnostic: fits any profession, so it may be asked of resumes outside the engineering tracks.
    any_field: bool = False
    # The question asks to push these metrics further ("if it had to be far faster..."): it does not fit a
    # project whose resume already reports a before -> after result of that kind.
    improves: list[MetricKind] = Field(default_factory=list)
    ko: Phrasing
    en: Phrasing

    def phrasing(self, language: str) -> Phrasing:
        return self.ko if language == "ko" else self.en


class Expectation(_Strict):
    """Something a level of a track is expected to know; met when the resume shows any of `any_of`."""

    id: Id
    label: Localized
    why: Localized
    practice: Localized  # a concrete exercise that closes the gap
    any_of: list[Id] = Field(min_length=1)
    # Checked only for candidates at the level that lists it (coding-test basics matter for juniors, but
    # are not worth a gap in a senior's plan).
    only_at_level: bool = False
    # Phrases that show the expectation is met even without a listed skill ("training-serving skew" in a
    # resume that says it fixed one): a gap is never something the resume says was solved.
    met_by: list[Alias] = Field(default_factory=list)
    # Weeks a mid-level engineer needs to close the gap (juniors take one more); small topics take one.
    weeks: int = Field(default=3, ge=1, le=8)


class Level(_Strict):
    summary: Localized
    expects: list[Id] = Field(min_length=1)


class ProjectIdea(_Strict):
    id: Id
    title: Localized
    brief: Localized
    milestone: Localized
    skills: list[Id] = Field(min_length=1)
    levels: list[Seniority] = Field(default_factory=lambda: list(SENIORITIES), min_length=1)
    weeks: int = Field(default=4, ge=1, le=12)


class Role(_Strict):
    track: Track
    name: Localized
    keywords: list[Alias] = Field(min_length=1)  # how the track shows in roles, positions and summaries
    levels: dict[Seniority, Level]
    projects: list[ProjectIdea] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, value: dict[Seniority, Level]) -> dict[Seniority, Level]:
        missing = set(SENIORITIES) - set(value)
        if missing:
            raise ValueError(f"levels missing: {sorted(missing)}")
        return value


class Resource(_Strict):
    id: Id
    title: NonEmpty
    url: Annotated[str, StringConstraints(pattern=r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$")]
    kind: ResourceKind
    skills: list[Id] = Field(min_length=1)
    language: Literal["ko", "en"] = "en"


class StepPhrasing(_Strict):
    title: NonEmpty
    why: NonEmpty
    actions: list[NonEmpty] = Field(min_length=1, max_length=6)
    milestone: NonEmpty


class StepTemplate(_Strict):
    id: Id
    type: StepType
    levels: list[Seniority] = Field(default_factory=lambda: list(SENIORITIES), min_length=1)
    any_field: bool = False  # role-agnostic: usable for resumes outside the engineering tracks
    ko: StepPhrasing
    en: StepPhrasing

    def phrasing(self, language: str) -> StepPhrasing:
        return self.ko if language == "ko" else self.en


# File-level shapes. Each data file names its JSON Schema (schema/*.schema.json, generated from these models
# by `python -m careercoach.knowledge.schema`) in "$schema", so editors validate and complete it as typed.
class _File(_Strict):
    schema_: str | None = Field(default=None, alias="$schema", description="The JSON Schema of this file")


class SkillsFile(_File):
    groups: list[Group]
    concepts: dict[Id, Localized]
    skills: list[Skill]


class TemplatesFile(_File):
    templates: list[QuestionTemplate]


class OutsideField(_Strict):
    """A profession outside the engineering tracks (marketing, design...): recognised so the generator can
    say its coverage is partial and keep to role-agnostic questions and advice."""

    id: Id
    name: Localized
    keywords: list[Alias] = Field(min_length=1)


class RolesFile(_File):
    expectations: list[Expectation]
    roles: list[Role]
    outside_fields: list[OutsideField] = Field(default_factory=list)
    # What any professional is expected to show in an interview, for resumes outside the tracks.
    outside_expectations: list[Id] = Field(default_factory=list)
    outside_projects: list[ProjectIdea] = Field(default_factory=list)


class ResourcesFile(_File):
    resources: list[Resource]


class StepsFile(_File):
    steps: list[StepTemplate]
