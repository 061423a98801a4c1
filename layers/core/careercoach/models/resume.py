"""The resume: two accepted input forms, one stored shape.

Input is either the rich form or the challenge's short form (`career_summary`, `job_roles`, `tech_skills`,
`years_experience`); both normalise into `ResumeContent`. The rich form is a superset of the original
system's `ResumeCreate` schema: every field of it (`contact.portfolio`, `personal_projects[].duration`,
`github_url`, `demo_url`, `architecture_highlights`, `certifications[].expiry_date`, `credential_url`,
`activities[]`...) is accepted, validated, stored and returned under its original name (docs/migrating.md
maps them). Unknown fields, those of neither form, are rejected (422) everywhere, so nothing a client sends
is silently dropped."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from careercoach.models.instant import Instant
from careercoach.models.numbers import OptionalInteger
from careercoach.models.text import SPACE_OR_CONTROL, VISIBLE

Language = Literal["ko", "en"]


# Every text field takes at most N characters as sent, at least one of them visible (a value of only
# zero-width or other invisible characters is as empty as ""), and is stored trimmed; the OpenAPI documents
# state exactly that (see models/text.py).
NAME_MAX_LENGTH = 100
Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX_LENGTH), VISIBLE]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200), VISIBLE]
Short = Annotated[str, StringConstraints(min_length=1, max_length=100), VISIBLE]
Skill = Annotated[str, StringConstraints(min_length=1, max_length=60), VISIBLE]
Item = Annotated[str, StringConstraints(min_length=1, max_length=500), VISIBLE]
Paragraph = Annotated[str, StringConstraints(min_length=1, max_length=2000), VISIBLE]
Summary = Annotated[str, StringConstraints(min_length=1, max_length=5000), VISIBLE]
# Links, e-mail and phone: a pattern that is the whole rule, with spaces (U+0020) allowed around the value,
# which is stored without them. Character classes are written out (no \s or \S: ECMA-262, Python and Rust,
# which clients, tests and pydantic use, each read those differently).
_NO_SPACE = f"[^{SPACE_OR_CONTROL}]"
_NO_SPACE_OR_AT = f"[^@{SPACE_OR_CONTROL}]"
_Unspaced = AfterValidator(lambda value: value.strip(" "))
Url = Annotated[str, StringConstraints(max_length=300, pattern=f"^ *https?://{_NO_SPACE}+ *$"), _Unspaced]
Email = Annotated[
    str, StringConstraints(max_length=254, pattern=f"^ *{_NO_SPACE_OR_AT}+@{_NO_SPACE_OR_AT}+ *$"), _Unspaced
]
Phone = Annotated[
    str,
    StringConstraints(max_length=40, pattern=r"^ *[0-9+(][0-9+()\-. ]{1,38}[0-9)] *$"),
    _Unspaced,
]
SkillCategory = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class _Strict(BaseModel):
    # strict: a value must already have the JSON type the OpenAPI document gives it; nothing is coerced
    # (true is not 1, "5" is not 5; 2.0 is 2, see models/numbers.py), so what the document calls invalid the
    # API rejects (422). Text is trimmed by its own type, after its length was checked as sent.
    model_config = ConfigDict(extra="forbid", strict=True)


class Contact(_Strict):
    """Personal contact data: returned to the owner, never sent to an LLM, never logged."""

    email: Email | None = None
    phone: Phone | None = None
    github: Url | None = None
    linkedin: Url | None = None
    website: Url | None = None
    blog: Url | None = None
    portfolio: Url | None = None


class WorkExperience(_Strict):
    company: Label
    position: Label | None = None
    duration: Short | None = None
    project_name: Label | None = None
    project_description: Paragraph | None = None
    tech_stack: list[Skill] = Field(default_factory=list, max_length=50)
    achievements: list[Item] = Field(default_factory=list, max_length=30)
    team_size: OptionalInteger = Field(default=None, ge=1, le=100_000)


class PersonalProject(_Strict):
    name: Label
    description: Paragraph | None = None
    role: Label | None = None
    period: Short | None = None
    duration: Short | None = Field(default=None, description="The original system's name for the period")
    tech_stack: list[Skill] = Field(default_factory=list, max_length=50)
    # Links to the project itself. Stored and returned, never sent to an LLM (a repository URL usually
    # carries its owner's account name; see careercoach.resume_items).
    github_url: Url | None = None
    demo_url: Url | None = None
    key_achievements: list[Item] = Field(default_factory=list, max_length=30)
    architecture_highlights: list[Item] = Field(default_factory=list, max_length=30)


class Certification(_Strict):
    name: Label
    issuer: Label | None = None
    issue_date: Short | None = None
    expiry_date: Short | None = None
    credential_url: Url | None = Field(default=None, description="Where the credential can be checked")


class Activity(_Strict):
    """Community, open source, study groups, talks: what the person did outside their jobs and projects."""

    type: Label = Field(description="e.g. community, open source, study group, conference")
    name: Label
    description: Paragraph | None = None
    period: Short | None = None
    achievements: list[Item] = Field(default_factory=list, max_length=30)
    url: Url | None = None


class Education(_Strict):
    institution: Label
    degree: Short | None = None
    major: Label | None = None
    period: Short | None = None
    status: Short | None = None


MAX_SKILL_CATEGORIES = 20
MAX_SKILLS_PER_CATEGORY = 100
# Category names are the only keys (`additionalProperties: false` beside the names' pattern): without it the
# document would call any key valid.
TechnicalSkills = Annotated[
    dict[SkillCategory, Annotated[list[Skill], Field(max_length=MAX_SKILLS_PER_CATEGORY)]],
    Field(max_length=MAX_SKILL_CATEGORIES, json_schema_extra={"additionalProperties": False}),
]
# The category the short form's `tech_skills` are stored in.
SHORT_FORM_SKILLS_CATEGORY = "others"


def merged_skills(existing: list[str], added: list[str]) -> list[str]:
    """`existing` followed by each of `added` not already there (first spelling wins)."""
    merged = list(existing)
    for skill in added:
        if skill not in merged:
            merged.append(skill)
    return merged


class ResumeContent(_Strict):
    """The one stored shape, whichever form the client sent."""

    name: Name | None = None
    contact: Contact | None = None
    summary: Summary
    total_experience_months: OptionalInteger = Field(default=None, ge=0, le=720)
    job_roles: list[Label] = Field(default_factory=list, max_length=10)
    work_experiences: list[WorkExperience] = Field(default_factory=list, max_length=30)
    personal_projects: list[PersonalProject] = Field(default_factory=list, max_length=30)
    technical_skills: TechnicalSkills = Field(default_factory=dict)
    certifications: list[Certification] = Field(default_factory=list, max_length=30)
    activities: list[Activity] = Field(default_factory=list, max_length=30)
    education: list[Education] = Field(default_factory=list, max_length=10)
    language: Language


def _one_of_two(first: str, second: str, json_type: str) -> JsonDict:
    """JSON Schema for "exactly one of `first` and `second` is given" (absent and null count as not given)."""
    return {
        "anyOf": [
            {"required": [given], "properties": {given: {"type": json_type}, other: {"type": "null"}}}
            for given, other in ((first, second), (second, first))
        ]
    }


def _short_form_skills_fit(*, tech_skills: JsonDict, room: bool) -> JsonDict:
    """JSON Schema for "when `tech_skills` (matching `tech_skills`) are given, they are the whole `others`
    category: `technical_skills` names no `others` (and, with `room`, leaves room for it)"."""
    categories: JsonDict = {"not": {"required": [SHORT_FORM_SKILLS_CATEGORY]}}
    if room:
        categories["maxProperties"] = MAX_SKILL_CATEGORIES - 1
    return {
        "anyOf": [
            {"not": {"required": ["tech_skills"], "properties": {"tech_skills": tech_skills}}},
            {"properties": {"technical_skills": categories}},
        ]
    }


def short_form_skills_problem(
    tech_skills: list[str] | None, categories: object
) -> PydanticCustomError | None:
    """Why `tech_skills` cannot go into `categories` (a request's `technical_skills`), or None. They become
    the `others` category, whole: next to an `others` of the client's own, which list is meant would be a
    guess (and a merge of the two could pass its size limit, which no JSON Schema can state), and they must
    leave room for the category."""
    if tech_skills is None or not isinstance(categories, dict):
        return None
    if SHORT_FORM_SKILLS_CATEGORY in categories:
        return PydanticCustomError(
            "tech_skills_with_others",
            "tech_skills are stored as technical_skills.{category}: give them there or as tech_skills, "
            "not both",
            {"category": SHORT_FORM_SKILLS_CATEGORY},
        )
    if len(categories) >= MAX_SKILL_CATEGORIES:
        return PydanticCustomError(
            "too_many_skill_categories",
            "tech_skills are stored as technical_skills.{category}, which would be category {count}; "
            "technical_skills allows at most {limit}",
            {
                "category": SHORT_FORM_SKILLS_CATEGORY,
                "count": len(categories) + 1,
                "limit": MAX_SKILL_CATEGORIES,
            },
        )
    return None


def _at_most_one_of(*fields: str) -> JsonDict:
    """JSON Schema for "at most one of `fields` is given" (absent and null count as not given)."""
    return {
        "anyOf": [
            {"properties": {other: {"type": "null"} for other in fields if other != kept}} for kept in fields
        ]
    }


class ResumeInput(_Strict):
    """What POST and PUT accept: the rich form, the short form, or a mix that does not contradict itself."""

    # The rules `_one_summary_one_experience` enforces, stated in the OpenAPI document as well, so clients
    # (and generated test data) see that a summary is required and the two experience fields exclude each
    # other; without them the document calls `{}` a valid resume.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                _one_of_two("summary", "career_summary", "string"),
                _at_most_one_of("total_experience_months", "years_experience"),
                _short_form_skills_fit(tech_skills={"minItems": 1}, room=True),
            ]
        }
    )

    # Rich (seed) form
    name: Name | None = None
    contact: Contact | None = None
    summary: Summary | None = None
    total_experience_months: OptionalInteger = Field(default=None, ge=0, le=720)
    work_experiences: list[WorkExperience] = Field(default_factory=list, max_length=30)
    personal_projects: list[PersonalProject] = Field(default_factory=list, max_length=30)
    technical_skills: TechnicalSkills = Field(default_factory=dict)
    certifications: list[Certification] = Field(default_factory=list, max_length=30)
    activities: list[Activity] = Field(default_factory=list, max_length=30)
    education: list[Education] = Field(default_factory=list, max_length=10)
    language: Language | None = Field(default=None, description="Resume language; detected when absent.")
    # Short (challenge) form
    career_summary: Summary | None = None
    job_roles: list[Label] = Field(default_factory=list, max_length=10)
    tech_skills: list[Skill] = Field(default_factory=list, max_length=100)
    years_experience: float | None = Field(default=None, ge=0, le=60)

    @model_validator(mode="after")
    def _one_summary_one_experience(self) -> ResumeInput:
        if self.summary is None and self.career_summary is None:
            raise ValueError("a summary is required: give `summary` or `career_summary`")
        if self.summary is not None and self.career_summary is not None:
            raise ValueError("give either `summary` or `career_summary`, not both")
        if self.total_experience_months is not None and self.years_experience is not None:
            raise ValueError("give either `total_experience_months` or `years_experience`, not both")
        return self

    @field_validator("tech_skills")
    @classmethod
    def _tech_skills_fit_technical_skills(cls, tech_skills: list[str], info: ValidationInfo) -> list[str]:
        """Checked here, where the error can name the field the client sent (`technical_skills` is absent
        from `info.data` when it failed validation itself)."""
        problem = short_form_skills_problem(tech_skills or None, info.data.get("technical_skills"))
        if problem is not None:
            raise problem
        return tech_skills

    @model_validator(mode="after")
    def _converts_to_the_stored_shape(self) -> ResumeInput:
        """Whatever this model accepts converts: the stored shape is validated here, as part of the request,
        so no conversion can fail after validation has passed (a 500 with nothing for the client to fix)."""
        try:
            self._build_content()
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
            )
            raise PydanticCustomError(
                "stored_shape_invalid",
                "the resume does not fit its stored form: {problems}",
                {"problems": problems},
            ) from None
        return self

    def to_content(self) -> ResumeContent:
        """The stored shape. Validation has already built it once (see above), so this cannot fail."""
        return self._build_content()

    def _build_content(self) -> ResumeContent:
        summary = self.summary if self.summary is not None else self.career_summary
        assert summary is not None  # guaranteed by the validator
        months = self.total_experience_months
        if months is None and self.years_experience is not None:
            months = round(self.years_experience * 12)
        skills = {category: list(values) for category, values in self.technical_skills.items()}
        if self.tech_skills:
            category = SHORT_FORM_SKILLS_CATEGORY
            skills[category] = merged_skills(skills.get(category, []), self.tech_skills)
        return ResumeContent(
            name=self.name,
            contact=self.contact,
            summary=summary,
            total_experience_months=months,
            job_roles=self.job_roles,
            work_experiences=self.work_experiences,
            personal_projects=self.personal_projects,
            technical_skills=skills,
            certifications=self.certifications,
            activities=self.activities,
            education=self.education,
            language=self.language or detect_language(summary),
        )


def _without_defaults(schema: JsonDict) -> None:
    """In a merge patch an absent field means "unchanged": no field has a default to document."""
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for field in properties.values():
            if isinstance(field, dict):
                field.pop("default", None)


def _patch_schema(schema: JsonDict) -> None:
    """The rules of `ResumePatch._no_contradiction` and `_tech_skills_are_all_of_others`, in the document."""
    _without_defaults(schema)
    schema["allOf"] = [
        {"not": {"required": ["summary", "career_summary"]}},
        _at_most_one_of("total_experience_months", "years_experience"),
        _short_form_skills_fit(tech_skills={"type": "array"}, room=False),
    ]


class ResumePatch(_Strict):
    """What PATCH accepts: a JSON Merge Patch (RFC 7386) of the resume, in either form. A field that is absent
    stays as it is; `null` removes it (an optional field, or one item of `contact` or `technical_skills`);
    objects (`contact`, `technical_skills`) merge key by key; anything else replaces the stored value whole.
    Each value follows the rules of POST. What depends on the stored resume is checked after merging and is a
    409 `resume_patch_conflict` (more than 20 skill categories once merged)."""

    model_config = ConfigDict(json_schema_extra=_patch_schema)

    name: Name | None = None
    contact: Contact | None = Field(default=None, description="Merged field by field; null removes a field")
    summary: Summary = Field(default=None, description="Cannot be removed, only replaced")  # type: ignore[assignment]
    career_summary: Summary = Field(  # type: ignore[assignment]
        default=None, description="The short form's name for summary; replaces it"
    )
    total_experience_months: OptionalInteger = Field(default=None, ge=0, le=720)
    years_experience: float | None = Field(
        default=None, ge=0, le=60, description="Stored as total_experience_months (years x 12, rounded)"
    )
    job_roles: list[Label] | None = Field(default=None, max_length=10)
    work_experiences: list[WorkExperience] | None = Field(default=None, max_length=30)
    personal_projects: list[PersonalProject] | None = Field(default=None, max_length=30)
    technical_skills: (
        dict[SkillCategory, Annotated[list[Skill], Field(max_length=MAX_SKILLS_PER_CATEGORY)] | None] | None
    ) = Field(
        default=None,
        json_schema_extra={"additionalProperties": False},
        description="Merged category by category; null removes a category. At most 20 categories once merged "
        "with the stored ones (409 otherwise)",
    )
    tech_skills: list[Skill] | None = Field(
        default=None, max_length=100, description="Replace technical_skills.others (null removes it)"
    )
    certifications: list[Certification] | None = Field(default=None, max_length=30)
    activities: list[Activity] | None = Field(default=None, max_length=30)
    education: list[Education] | None = Field(default=None, max_length=10)
    language: Language | None = Field(default=None, description="null: detected again from the summary")

    @model_validator(mode="after")
    def _no_contradiction(self) -> ResumePatch:
        sent = self.model_fields_set
        if {"summary", "career_summary"} <= sent:
            raise ValueError("give either `summary` or `career_summary`, not both")
        if self.total_experience_months is not None and self.years_experience is not None:
            raise ValueError("give either `total_experience_months` or `years_experience`, not both")
        return self

    @field_validator("tech_skills")
    @classmethod
    def _tech_skills_are_all_of_others(
        cls, tech_skills: list[str] | None, info: ValidationInfo
    ) -> list[str] | None:
        problem = short_form_skills_problem(tech_skills, info.data.get("technical_skills"))
        # Whether the merged categories fit depends on the stored resume (a 409): only the contradiction here.
        if problem is not None and problem.type == "tech_skills_with_others":
            raise problem
        return tech_skills

    def changes(self) -> dict[str, Any]:
        """The patch as JSON, with exactly the fields sent (null included) and their values normalised."""
        return self.model_dump(mode="json", exclude_unset=True)


# Short-form keys as they map onto the stored shape; used to normalise PATCH bodies before merging.
SHORT_FORM_KEYS = ("career_summary", "job_roles", "tech_skills", "years_experience")


def detect_language(text: str) -> Language:
    return "ko" if _HANGUL.search(text) else "en"


class Resume(ResumeContent):
    """A stored resume, as the API returns it."""

    # Also read back from JSON (clients, tests), where the timestamps are ISO strings.
    model_config = ConfigDict(strict=False)

    unique_key: str
    created_at: Instant
    updated_at: Instant

    def content(self) -> ResumeContent:
        return ResumeContent.model_validate(
            self.model_dump(exclude={"unique_key", "created_at", "updated_at"})
        )
