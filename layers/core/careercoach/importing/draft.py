"""What structuring produces: the resume input's rich form, field for field, minus what never reaches a
provider.

`ResumeDraft` is the output schema of the LLM structurer and what the offline extractor returns. It is built
from the same nested models and bounds as `ResumeInput` (WorkExperience, PersonalProject, Certification,
Education, the bounded strings and lists), so anything valid here is a valid resume. Left out: `name` and
`contact` (found locally, never shown to a provider, added back by `to_input`) and the short-form aliases
(`career_summary`, `tech_skills`, `years_experience`), which would only give the model two ways to say one
thing. Added: `unplaced`, the lines of the document that fit no field, which become the import report's
warnings rather than vanishing."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from careercoach.importing.dates import find_range, total_months
from careercoach.importing.privacy import PLACEHOLDER
from careercoach.models.resume import (
    Certification,
    Contact,
    Education,
    Item,
    Label,
    Language,
    Name,
    PersonalProject,
    ResumeInput,
    Summary,
    TechnicalSkills,
    WorkExperience,
)


class ResumeDraft(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    summary: Summary = Field(description="The candidate's own summary or profile paragraph, copied verbatim.")
    job_roles: list[Label] = Field(default_factory=list, max_length=10)
    total_experience_months: int | None = Field(default=None, ge=0, le=720)
    work_experiences: list[WorkExperience] = Field(default_factory=list, max_length=30)
    personal_projects: list[PersonalProject] = Field(default_factory=list, max_length=30)
    technical_skills: TechnicalSkills = Field(default_factory=dict)
    certifications: list[Certification] = Field(default_factory=list, max_length=30)
    education: list[Education] = Field(default_factory=list, max_length=10)
    language: Language
    unplaced: list[Item] = Field(
        default_factory=list,
        max_length=50,
        description="Lines of the document that fit none of the fields above, copied verbatim.",
    )

    def to_input(self, *, name: Name | None, contact: Contact | None) -> ResumeInput:
        return ResumeInput.model_validate(
            {
                **self.model_dump(exclude={"unplaced"}, exclude_none=True),
                "name": name,
                "contact": contact.model_dump(exclude_none=True) if contact is not None else None,
            }
        )


_REQUIRED = {"work_experiences": "company", "personal_projects": "name", "certifications": "name"}


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        cleaned = " ".join(PLACEHOLDER.sub(" ", value).split()).strip(" |,;:-")
        return cleaned or None
    if isinstance(value, dict):
        return {k: v for k, v in ((k, _scrub(v)) for k, v in value.items()) if v not in (None, [], {})}
    if isinstance(value, list):
        return [v for v in (_scrub(item) for item in value) if v not in (None, [], {})]
    return value


def finish(draft: ResumeDraft, today: date) -> tuple[ResumeDraft, list[str]]:
    """Placeholders out of every field (an entry that held nothing else goes, with a warning) and the total
    experience from the work experience dates."""
    warnings: list[str] = []
    data = _scrub(draft.model_dump(exclude_none=True))
    for key, required in _REQUIRED.items():
        kept = [entry for entry in data.get(key, []) if required in entry]
        if len(kept) < len(data.get(key, [])):
            warnings.append(f"An entry of {key} held only personal data and was left out.")
        data[key] = kept
    data["education"] = [entry for entry in data.get("education", []) if "institution" in entry]
    if "summary" not in data:
        data["summary"] = "-"
        warnings.append("The summary held only personal data; write one before saving.")
    ranges = [find_range(w.get("duration", "")) for w in data.get("work_experiences", [])]
    data["total_experience_months"] = total_months([r for r in ranges if r is not None], today)
    data["language"] = draft.language
    return ResumeDraft.model_validate(data), warnings
