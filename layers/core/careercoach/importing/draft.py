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

from pydantic import BaseModel, ConfigDict, Field

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
