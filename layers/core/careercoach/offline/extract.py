"""What the offline generator knows about a candidate: skills with the resume items that show them, projects,
achievements with their metrics, track and seniority.

Every piece of evidence keeps the source of its resume item (as `resume_items` names it) and a verbatim
span of that item's text, so anything built from it can be grounded and quoted."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from careercoach.knowledge.loader import Knowledge
from careercoach.knowledge.models import Seniority, Track
from careercoach.models.resume import ResumeContent
from careercoach.offline.metrics import Metric, find_metric
from careercoach.offline.reading import Migration, replaced_skills
from careercoach.resume_items import ItemKind, ResumeItem, resume_items
from careercoach.seniority import experience_years, seniority

QUOTE_LIMIT = 380  # grounding quotes are at most 400 characters (models.generation.Line)

# Evidence strength by where a skill shows up: used in an achievement beats merely being listed.
_WEIGHT: dict[ItemKind, float] = {
    "achievement": 3.0,
    "tech_stack": 2.0,
    "project_description": 1.5,
    "skills": 1.0,
    "summary": 1.0,
    "experience": 0.5,
    "project": 0.5,
    "role": 0.5,
    "certification": 0.5,
    "activity": 1.0,
    "education": 0.2,
}
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?。])\s+|[;\n]+|,\s+|\s+/\s+")
_NEXT: dict[Seniority, Seniority] = {"junior": "mid", "mid": "senior", "senior": "senior"}
_AREA_TRACK: dict[str, Track] = {
    "backend": "backend",
    "frontend": "frontend",
    "mobile": "mobile",
    "data": "data",
    "devops": "devops",
    "ai_ml": "ai_ml",
    "security": "security",
}


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A verbatim prefix of `text` no longer than `limit`, cut at a space when possible."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].strip()


@dataclass(frozen=True, slots=True)
class Evidence:
    source: str
    kind: ItemKind
    text: str  # the whole item text
    span: str  # the verbatim part that shows the skill (or the clipped item for whole-item evidence)
    project: int | None = None  # index into Profile.projects


@dataclass
class SkillUse:
    skill_id: str
    evidence: list[Evidence] = field(default_factory=list)
    weight: float = 0.0

    def best(self, *kinds: ItemKind) -> Evidence | None:
        ranked = sorted(self.evidence, key=lambda e: -_WEIGHT[e.kind])
        return next((e for e in ranked if not kinds or e.kind in kinds), None)


@dataclass(frozen=True, slots=True)
class Achievement:
    source: str
    text: str
    metric: Metric | None
    skills: tuple[str, ...]  # skills named in the achievement itself, technologies first
    project: int


@dataclass
class Project:
    index: int
    name: str
    source: str  # the header item
    header: str
    personal: bool
    company: str | None = None
    position: str | None = None
    team_size: int | None = None
    description: Evidence | None = None
    stack: list[tuple[str, Evidence]] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)


@dataclass
class Profile:
    resume: ResumeContent
    items: list[ResumeItem]
    years: float | None
    level: Seniority
    next_level: Seniority
    track: Track
    track_explicit: bool  # the track is named in roles/positions/summary, not only inferred from skills
    skills: dict[str, SkillUse]  # strongest first
    projects: list[Project]
    summary_clauses: list[str]
    track_clause: str | None
    jd_skills: list[str]
    # Tools the resume says were replaced ("from Jenkins to Argo CD"): history, not current skills. They still
    # count as on the resume (never a gap), but are never a strength, a deepen step or a question's subject.
    replaced: dict[str, Migration] = field(default_factory=dict)
    staff: bool = False  # nine or more years, or a staff/principal title: the hardest questions
    new_graduate: bool = False  # under a year of experience: the easiest questions
    # Set when the resume is outside the engineering tracks the knowledge base covers (marketing, design...):
    # the id of that field in the knowledge base; the generator keeps to role-agnostic questions and advice.
    outside_field: str | None = None

    @property
    def achievements(self) -> list[Achievement]:
        return [a for p in self.projects for a in p.achievements]

    def has(self, skill_id: str) -> bool:
        return skill_id in self.skills

    def current(self, skill_id: str) -> bool:
        """On the resume and not replaced by something else."""
        return skill_id in self.skills and skill_id not in self.replaced

    def achieved(self, project: int | None) -> set[str]:
        """Metric kinds a project already improved (before -> after): never asked for again."""
        if project is None:
            return {a.metric.kind for a in self.achievements if a.metric and a.metric.before}
        return {a.metric.kind for a in self.projects[project].achievements if a.metric and a.metric.before}


@functools.cache
def _track_patterns(k: Knowledge) -> dict[Track, re.Pattern[str]]:
    patterns: dict[Track, re.Pattern[str]] = {}
    for track, role in k.roles.items():
        words = sorted(role.keywords, key=len, reverse=True)
        body = "|".join(
            re.escape(w)
            if re.match(r"[\uac00-\ud7a3]", w)
            else rf"(?<![A-Za-z0-9]){re.escape(w)}(?![A-Za-z0-9])"
            for w in words
        )
        patterns[track] = re.compile(body, re.IGNORECASE)
    return patterns


def _clauses(summary: str) -> list[str]:
    parts = [p.strip(" ,;") for p in _CLAUSE_SPLIT.split(summary)]
    parts = [p for p in parts if len(p) >= 6]
    return [clip(p, 200) for p in parts] or [clip(summary, 200)]


class _Collector:
    def __init__(self, k: Knowledge) -> None:
        self.k = k
        self.skills: dict[str, SkillUse] = {}

    def add(self, skill_id: str, evidence: Evidence) -> None:
        use = self.skills.setdefault(skill_id, SkillUse(skill_id))
        if any(e.source == evidence.source for e in use.evidence):
            return  # one item counts once, however often it names the skill
        use.evidence.append(evidence)
        use.weight += _WEIGHT[evidence.kind]

    def text(self, item: ResumeItem, project: int | None = None) -> list[str]:
        found: list[str] = []
        for mention in self.k.matcher.in_text(item.text):
            self.add(mention.skill_id, Evidence(item.source, item.kind, item.text, mention.text, project))
            if mention.skill_id not in found:
                found.append(mention.skill_id)
        return found

    def entries(
        self, source: str, kind: ItemKind, text: str, entries: list[str], project: int | None
    ) -> list[tuple[str, Evidence]]:
        found: list[tuple[str, Evidence]] = []
        for entry in entries:
            for mention in self.k.matcher.in_entry(entry):
                evidence = Evidence(source, kind, text, mention.text, project)
                self.add(mention.skill_id, evidence)
                if all(s != mention.skill_id for s, _ in found):
                    found.append((mention.skill_id, evidence))
        return found


def _technologies_first(
    k: Knowledge, skill_ids: list[str], replaced: Mapping[str, Migration]
) -> tuple[str, ...]:
    """Skills an achievement shows, technologies first; a replaced tool is not one of them (the achievement
    may be its replacement: "moved from Jenkins to Argo CD" shows Argo CD)."""
    current = [s for s in skill_ids if s not in replaced]
    return tuple(sorted(current, key=lambda s: k.skills[s].kind == "practice"))


def _projects(
    resume: ResumeContent, items: dict[str, ResumeItem], c: _Collector, replaced: Mapping[str, Migration]
) -> list[Project]:
    projects: list[Project] = []
    for i, job in enumerate(resume.work_experiences):
        base = f"work_experiences[{i}]"
        p = Project(
            len(projects),
            job.project_name or job.company,
            base,
            items[base].text,
            False,
            job.company,
            job.position,
            job.team_size,
        )
        projects.append(p)
        c.text(items[base], p.index)
        if job.project_description:
            item = items[f"{base}.project_description"]
            c.text(item, p.index)
            p.description = Evidence(item.source, item.kind, item.text, clip(item.text), p.index)
        if job.tech_stack:
            item = items[f"{base}.tech_stack"]
            p.stack = c.entries(item.source, "tech_stack", item.text, job.tech_stack, p.index)
        for j, _ in enumerate(job.achievements):
            item = items[f"{base}.achievements[{j}]"]
            named = c.text(item, p.index)
            p.achievements.append(
                Achievement(
                    item.source,
                    item.text,
                    find_metric(item.text),
                    _technologies_first(c.k, named, replaced),
                    p.index,
                )
            )
    for i, own in enumerate(resume.personal_projects):
        base = f"personal_projects[{i}]"
        p = Project(len(projects), own.name, base, items[base].text, True, position=own.role)
        projects.append(p)
        c.text(items[base], p.index)  # the name says what it is: "접근성 점검 크롬 확장"
        if own.description:
            item = items[f"{base}.description"]
            c.text(item, p.index)
            p.description = Evidence(item.source, item.kind, item.text, clip(item.text), p.index)
        if own.tech_stack:
            item = items[f"{base}.tech_stack"]
            p.stack = c.entries(item.source, "tech_stack", item.text, own.tech_stack, p.index)
        # Key achievements, then architecture highlights: every achievement item resume_items gives it.
        own_items = [i for i in items.values() if i.source.startswith(f"{base}.")]
        for item in [i for i in own_items if i.kind == "achievement"]:
            named = c.text(item, p.index)
            p.achievements.append(
                Achievement(
                    item.source,
                    item.text,
                    find_metric(item.text),
                    _technologies_first(c.k, named, replaced),
                    p.index,
                )
            )
    return projects


def _track(k: Knowledge, resume: ResumeContent, skills: dict[str, SkillUse]) -> tuple[Track, bool]:
    patterns = _track_patterns(k)
    scores: dict[Track, float] = dict.fromkeys(k.roles, 0.0)
    explicit: set[Track] = set()
    texts = [
        (5.0, " ".join(resume.job_roles)),
        (4.0, " ".join(w.position or "" for w in resume.work_experiences)),
        (3.0, resume.summary),
    ]
    for weight, text in texts:
        for track, pattern in patterns.items():
            if text and pattern.search(text):
                scores[track] += weight
                explicit.add(track)
    for use in skills.values():
        area_track = _AREA_TRACK.get(k.skills[use.skill_id].area)
        if area_track is not None:
            scores[area_track] += 0.5 * use.weight
    if "fullstack" in explicit:
        return "fullstack", True
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top, top_score = ranked[0]
    if top_score == 0:
        return "fullstack", False  # nothing to go on: the broadest web track
    front, back = scores["frontend"], scores["backend"]
    if (
        top in ("frontend", "backend")
        and min(front, back) >= 0.6 * max(front, back)
        and min(front, back) >= 3
    ):
        return "fullstack", False
    return top, top in explicit


def build_profile(k: Knowledge, resume: ResumeContent, job_description: str | None = None) -> Profile:
    items = resume_items(resume)
    by_source = {item.source: item for item in items}
    c = _Collector(k)
    replaced = replaced_skills(k.matcher, (item.text for item in items))
    projects = _projects(resume, by_source, c, replaced)
    for item in items:
        if item.kind in ("summary", "role", "certification", "activity", "education"):
            c.text(item)
    for category, entries in resume.technical_skills.items():
        source = f"technical_skills.{category}"
        if entries:
            c.entries(source, "skills", by_source[source].text, entries, None)
    # Stable sort: equal weights keep reading order, so the skill named first in the resume leads.
    skills = dict(sorted(c.skills.items(), key=lambda kv: -kv[1].weight))
    years = experience_years(resume)
    level = seniority(resume)
    track, explicit = _track(k, resume, skills)
    clauses = _clauses(resume.summary)
    track_pattern = _track_patterns(k)[track]
    track_clause = next((cl for cl in clauses if track_pattern.search(cl)), None)
    jd_skills: list[str] = []
    if job_description:
        for mention in k.matcher.in_text(job_description):
            if mention.skill_id not in jd_skills:
                jd_skills.append(mention.skill_id)
    return Profile(
        resume=resume,
        items=items,
        years=years,
        level=level,
        next_level=_NEXT[level],
        track=track,
        track_explicit=explicit,
        skills=skills,
        projects=projects,
        summary_clauses=clauses,
        track_clause=track_clause,
        jd_skills=jd_skills,
        replaced=replaced,
        staff=(years or 0) >= 9 or bool(_STAFF.search(_titles(resume))),
        new_graduate=(years is not None and years < 1) or bool(_NEW_GRADUATE.search(_titles(resume))),
        outside_field=_outside_field(k, resume, skills),
    )


_STAFF = re.compile(r"\b(?:staff|principal|distinguished)\b|수석|테크\s*리드|\btech\s*lead\b", re.I)
_NEW_GRADUATE = re.compile(
    r"신입|졸업\s*예정|new\s*grad|recent\s+graduate|graduat(?:e|ing)\s+(?:in|this)|entry[- ]level", re.I
)
# How a resume says it is an engineer's, whatever its skills.
_ENGINEERING_ROLE = re.compile(
    r"\b(?:developer|engineer|programmer|devops|sre|data scientist|architect)\b"
    r"|개발자|엔지니어|프로그래머|개발",
    re.I,
)


def _titles(resume: ResumeContent) -> str:
    return " ".join([*resume.job_roles, *(w.position or "" for w in resume.work_experiences), resume.summary])


def _outside_field(k: Knowledge, resume: ResumeContent, skills: Mapping[str, SkillUse]) -> str | None:
    """The knowledge base's id of the field a resume outside the engineering tracks names, or None.

    Outside means: no technology at all among its skills, no engineering role in its titles, and a field the
    knowledge base knows to be outside (marketing, design, sales, finance...) named in its titles."""
    if any(k.skills[s].kind != "practice" and k.skills[s].group not in ("soft", "cs_basics") for s in skills):
        return None
    titles = _titles(resume)
    if _ENGINEERING_ROLE.search(titles):
        return None
    for known, field_words in zip(k.fields, k.outside_fields, strict=True):
        if field_words.search(titles):
            return known.id
    return None
