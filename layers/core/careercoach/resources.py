"""The resource catalog as generation uses it: a relevant subset for a prompt, and id -> link resolution.
The knowledge base's curated catalog is the only source of links, whichever provider wrote the path."""

from __future__ import annotations

from functools import cache

from careercoach.knowledge.loader import knowledge
from careercoach.models.generation import Resource
from careercoach.models.resume import ResumeContent
from careercoach.prompts.builder import CatalogLine

# Enough choice for 5-8 steps without bloating the prompt.
PROMPT_CATALOG_SIZE = 18
# Always offered, whatever the resume: every path has a communication step, most a design step.
_GENERAL_TOPICS = ("communication", "technical_writing", "leadership", "system_design")


def _resume_skills(resume: ResumeContent, job_description: str | None) -> list[str]:
    kb = knowledge()
    names = [s for skills in resume.technical_skills.values() for s in skills]
    names += [s for job in resume.work_experiences for s in job.tech_stack]
    names += [s for project in resume.personal_projects for s in project.tech_stack]
    mentioned = [m.skill_id for m in kb.matcher.in_text(job_description)] if job_description else []
    # Job-description skills first: they are where the gaps are.
    ordered = [*mentioned, *names, *_GENERAL_TOPICS]
    return list(dict.fromkeys(ordered))


class KnowledgeCatalog:
    def lines_for(self, resume: ResumeContent, job_description: str | None) -> list[CatalogLine]:
        entries = knowledge().resources_for(
            _resume_skills(resume, job_description), PROMPT_CATALOG_SIZE, language=resume.language
        )
        return [CatalogLine(id=e.id, title=e.title, kind=e.kind) for e in entries]

    def resolve(self, resource_id: str) -> Resource | None:
        entry = knowledge().catalog_entry(resource_id)
        if entry is None:
            return None
        return Resource(id=entry.id, title=entry.title, url=entry.url, kind=entry.kind)


@cache
def catalog() -> KnowledgeCatalog:
    return KnowledgeCatalog()
