"""A resume flattened into addressable items, in reading order.

One flattening serves three purposes: the compact resume in prompts (each line labelled with its source), the
grounding check (a quote must come from the item it names), and the offline generator (which quotes items).
Contact data is not an item: it never leaves the system.

Nor is any URL, not even a project's own links (`github_url`, `demo_url`), a credential's `credential_url`
or an activity's `url`: a repository or profile URL usually carries the person's account name, a demo or
credential URL often a personal domain or an id tied to them, and a model cannot open a link anyway, so
they would add identifying data and no material for a question. They are stored and returned, never
quoted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from careercoach.models.resume import ResumeContent

ItemKind = Literal[
    "summary",
    "role",
    "experience",
    "project_description",
    "achievement",
    "tech_stack",
    "project",
    "skills",
    "certification",
    "activity",
    "education",
]


@dataclass(frozen=True, slots=True)
class ResumeItem:
    source: str  # e.g. "work_experiences[0].achievements[1]"
    kind: ItemKind
    text: str
    group: str | None = None  # the experience or project the item belongs to, by name


def _join(*parts: str | None, sep: str = " / ") -> str:
    return sep.join(p for p in parts if p)


def resume_items(resume: ResumeContent) -> list[ResumeItem]:
    items = [ResumeItem("summary", "summary", resume.summary)]
    items += [ResumeItem(f"job_roles[{i}]", "role", role) for i, role in enumerate(resume.job_roles)]
    for i, job in enumerate(resume.work_experiences):
        base = f"work_experiences[{i}]"
        group = job.project_name or job.company
        header = _join(job.company, job.position, job.duration, job.project_name)
        if job.team_size:
            header = f"{header} (team {job.team_size})"
        items.append(ResumeItem(base, "experience", header, group))
        if job.project_description:
            items.append(
                ResumeItem(
                    f"{base}.project_description", "project_description", job.project_description, group
                )
            )
        if job.tech_stack:
            items.append(ResumeItem(f"{base}.tech_stack", "tech_stack", ", ".join(job.tech_stack), group))
        items += [
            ResumeItem(f"{base}.achievements[{j}]", "achievement", text, group)
            for j, text in enumerate(job.achievements)
        ]
    for i, project in enumerate(resume.personal_projects):
        base = f"personal_projects[{i}]"
        header = _join(project.name, project.role, project.period, project.duration)
        items.append(ResumeItem(base, "project", header, project.name))
        if project.description:
            items.append(
                ResumeItem(f"{base}.description", "project_description", project.description, project.name)
            )
        if project.tech_stack:
            items.append(
                ResumeItem(f"{base}.tech_stack", "tech_stack", ", ".join(project.tech_stack), project.name)
            )
        items += [
            ResumeItem(f"{base}.key_achievements[{j}]", "achievement", text, project.name)
            for j, text in enumerate(project.key_achievements)
        ]
        # Architecture highlights are what the project achieved in its design: achievements to quote.
        items += [
            ResumeItem(f"{base}.architecture_highlights[{j}]", "achievement", text, project.name)
            for j, text in enumerate(project.architecture_highlights)
        ]
    for category, skills in resume.technical_skills.items():
        if skills:
            items.append(ResumeItem(f"technical_skills.{category}", "skills", ", ".join(skills)))
    for i, cert in enumerate(resume.certifications):
        dates = cert.issue_date
        if cert.expiry_date:  # "2025.07 ~ 2028.07", or "~ 2028.07" (valid until) without an issue date
            dates = f"{cert.issue_date or ''} ~ {cert.expiry_date}".strip()
        text = _join(cert.name, cert.issuer, dates)
        items.append(ResumeItem(f"certifications[{i}]", "certification", text))
    for i, activity in enumerate(resume.activities):
        base = f"activities[{i}]"
        header = _join(activity.type, activity.name, activity.period)
        items.append(ResumeItem(base, "activity", header, activity.name))
        if activity.description:
            items.append(ResumeItem(f"{base}.description", "activity", activity.description, activity.name))
        items += [
            ResumeItem(f"{base}.achievements[{j}]", "activity", text, activity.name)
            for j, text in enumerate(activity.achievements)
        ]
    for i, school in enumerate(resume.education):
        text = _join(school.institution, school.degree, school.major, school.period, school.status)
        items.append(ResumeItem(f"education[{i}]", "education", text))
    return items


def normalise_text(text: str) -> str:
    """Whitespace-collapsed, case-folded: how quotes are compared with the resume."""
    return " ".join(text.split()).casefold()
