"""Interview questions without a model: templates from the knowledge base, anchored on resume items.

Every resume item that can carry a question becomes an anchor (an achievement, a project, a skill used in a
project, the summary...). Each template that fits an anchor becomes a scored candidate: concrete anchors
(achievements with numbers, projects) and specific templates (a cache question for a cache achievement)
score highest. A greedy pick then takes the best candidates while penalising repeats of a category, an
anchor, a skill or a project, so the set covers the resume instead of circling one item."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from careercoach.knowledge.loader import Knowledge, placeholders
from careercoach.knowledge.models import AnchorKind, Phrasing, QuestionTemplate, Seniority
from careercoach.models.generation import Coverage, Difficulty, Grounding, InterviewQuestion, QuestionDraft
from careercoach.models.resume import Language
from careercoach.offline.extract import Profile, clip
from careercoach.offline.language import josa
from careercoach.offline.metrics import Metric
from careercoach.offline.reading import migrations
from careercoach.offline.render import QUOTED, fill, jitter, presented, tidy
from careercoach.resume_items import normalise_text

# Generic templates ("explain {concept} in {skill}") read badly for soft skills and CS basics.
_NO_GENERIC = frozenset({"soft", "cs_basics"})
_DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
_PEOPLE = ("behavioral", "collaboration")


@dataclass(frozen=True)
class Anchor:
    kind: AnchorKind
    source: str
    quote: str  # verbatim, <= 400 characters
    weight: float
    values: Mapping[str, str] = field(default_factory=dict)
    skills: tuple[str, ...] = ()  # skills this anchor can bind to {skill}
    metric: Metric | None = None
    project: int | None = None


@dataclass(frozen=True)
class Candidate:
    template: QuestionTemplate
    anchor: Anchor
    skill: str | None
    values: Mapping[str, str]  # presented, ready to fill
    question: str
    score: float


def calibrate(base: Difficulty, level: Seniority, category: str, *, staff: bool = False) -> Difficulty:
    """Difficulty follows seniority. Juniors get no hard questions (new graduates mostly easy ones, by the
    scoring in `candidates`); mid-level keeps each template's own; seniors get no easy ones and every
    technical question goes hard, their people questions too when they are staff."""
    index = _DIFFICULTIES.index(base)
    if level == "junior":
        index = min(index, 1)
    elif level == "senior":
        index = max(index, 1)
        if category not in _PEOPLE or staff:
            index = 2
    return _DIFFICULTIES[index]


def _years(p: Profile) -> dict[str, str]:
    return {"years": f"{round(p.years, 1):g}"} if p.years is not None else {}


def _project_values(p: Profile, index: int) -> dict[str, str]:
    project = p.projects[index]
    values = {"project": project.name}
    if project.company:
        values["company"] = project.company
    if project.position:
        values["position"] = project.position
    if project.team_size and project.team_size > 1:
        values["team_size"] = str(project.team_size)
    return values


def anchors(k: Knowledge, p: Profile) -> list[Anchor]:
    found: list[Anchor] = []
    for a in p.achievements:
        values = {**_project_values(p, a.project), "achievement": a.text}
        migration = next(iter(migrations(k.matcher, a.text)), None)
        if migration is not None:
            # A question about the replaced tool is only ever about the migration: these bind it.
            values["old_skill"] = migration.old[0]
            if migration.new:
                values["new_skill"] = migration.new[0]
        if a.metric is not None:
            values["metric"] = a.metric.text
            if a.metric.before and a.metric.after:
                values |= {"before": a.metric.before, "after": a.metric.after}
        weight = 10.0 if a.metric else 8.5 if a.skills else 7.5
        found.append(
            Anchor("achievement", a.source, clip(a.text), weight, values, a.skills, a.metric, a.project)
        )
    for project in p.projects:
        named = not project.personal and p.resume.work_experiences[project.index].project_name
        stack = tuple(s for s, _ in project.stack if s not in p.replaced)
        if project.personal or named or project.description:
            ordered = tuple(sorted(stack, key=lambda s: k.skills[s].kind == "practice"))
            values = _project_values(p, project.index)
            techs = [s for s in ordered if k.skills[s].kind != "practice"]
            if len(techs) > 1:
                values["skill2"] = techs[1]
            weight = 6.5 if project.personal else 7.0
            found.append(
                Anchor(
                    "project",
                    project.source,
                    clip(project.name),
                    weight,
                    values,
                    ordered,
                    project=project.index,
                )
            )
        for skill_id, evidence in project.stack:
            if skill_id in p.replaced:
                continue  # history: asked about only through the migration
            others = [s for s in stack if s != skill_id and k.skills[s].kind != "practice"]
            values = _project_values(p, project.index)
            if others:
                values["skill2"] = others[0]  # replaced by a display name when bound
            weight = 5.0 + min(p.skills[skill_id].weight, 8.0) * 0.25
            found.append(
                Anchor(
                    "stack",
                    evidence.source,
                    clip(evidence.span),
                    weight,
                    values,
                    (skill_id,),
                    None,
                    project.index,
                )
            )
        if not project.personal:
            # The company as written: a verbatim field, never the header composed from several.
            company = p.resume.work_experiences[project.index].company
            found.append(
                Anchor("experience", project.source, clip(company), 4.5, _project_values(p, project.index))
            )
    for skill_id, use in p.skills.items():
        if any(e.kind == "tech_stack" for e in use.evidence) or skill_id in p.replaced:
            continue  # stack anchors already cover it, in the context of a project; or it is history
        best = use.best()
        if best is not None:
            weight = 4.0 + min(use.weight, 6.0) * 0.3
            found.append(Anchor("skill", best.source, clip(best.span), weight, {}, (skill_id,)))
    for i, clause in enumerate(p.summary_clauses[:4]):
        found.append(Anchor("summary", "summary", clause, 3.0 - 0.2 * i, {"quote": clause, **_years(p)}))
    for i, role in enumerate(p.resume.job_roles):
        found.append(Anchor("role", f"job_roles[{i}]", clip(role), 2.5, {"quote": role, "role": role}))
    for i, cert in enumerate(p.resume.certifications):
        found.append(
            Anchor("certification", f"certifications[{i}]", clip(cert.name), 3.0, {"quote": cert.name})
        )
    for i, school in enumerate(p.resume.education):
        label = school.major or school.degree or school.institution
        weight = 3.0 if p.level == "junior" else 1.0
        found.append(Anchor("education", f"education[{i}]", clip(label), weight, {"quote": label}))
    found += _jd_anchors(k, p)
    if p.outside_field is not None:
        # Outside the engineering tracks: nothing to bind to a technology, and no engineering questions.
        found = [a for a in found if a.kind not in ("stack", "skill", "jd_bridge")]
    return found


def _bridge(k: Knowledge, p: Profile, jd_skill: str) -> str | None:
    """The resume skill closest to a job-description skill the candidate lacks."""
    target = k.skills[jd_skill]
    ranked = [
        (s.group == target.group, jd_skill in s.related or sid in target.related, s.area == target.area, sid)
        for sid in p.skills
        if sid not in p.replaced
        for s in (k.skills[sid],)
        if s.group not in _NO_GENERIC
    ]
    ranked = [r for r in ranked if r[0] or r[1] or r[2]]
    if not ranked:
        return None
    ranked.sort(key=lambda r: (not r[0], not r[1], not r[2], -p.skills[r[3]].weight))
    return ranked[0][3]


def _jd_anchors(k: Knowledge, p: Profile) -> list[Anchor]:
    found: list[Anchor] = []
    missing = [s for s in p.jd_skills if not p.has(s) and k.skills[s].group not in _NO_GENERIC][:3]
    for jd_skill in missing:
        values = {"jd_skill": jd_skill}  # replaced by a display name when bound
        bridge = _bridge(k, p, jd_skill)
        if bridge is not None:
            evidence = p.skills[bridge].best()
            if evidence is not None:
                bridged = dict(values)
                if evidence.project is not None:
                    bridged["project"] = p.projects[evidence.project].name
                found.append(
                    Anchor(
                        "jd_bridge", evidence.source, clip(evidence.span), 7.5, bridged, (bridge,), None, None
                    )
                )
        clause = p.track_clause or p.summary_clauses[0]
        found.append(Anchor("jd_bridge", "summary", clause, 6.0, {**values, "quote": clause}))
    return found


def _fits(t: QuestionTemplate, a: Anchor, p: Profile) -> bool:
    if p.level not in t.levels or (t.tracks and p.track not in t.tracks):
        return False
    if p.outside_field is not None and not t.any_field:
        return False
    if t.improves and set(t.improves) & p.achieved(a.project):
        return False  # the resume already reports this result: ask how it was done, not to do it again
    return not t.metric_kinds or (a.metric is not None and a.metric.kind in t.metric_kinds)


def _skill_for(k: Knowledge, t: QuestionTemplate, a: Anchor, names_skill: bool) -> tuple[bool, str | None]:
    """(fits, skill): whether the template fits the anchor's skills, and the skill bound to {skill}.

    A family template fits when the anchor shows a skill of its family. Practices (caching, microservices...)
    count for fitting, but fill a family template's {skill} slot only where the template lists them: "a
    cache stampede with Redis" reads well, "with Caching" does not."""
    if t.group is None:
        usable = [s for s in a.skills if k.skills[s].group not in _NO_GENERIC]
        return True, (usable[0] if usable else None)
    matching = [s for s in a.skills if k.skills[s].group == t.group and (not t.skills or s in t.skills)]
    if not names_skill:
        return bool(matching), (matching[0] if matching else None)
    nameable = [s for s in matching if k.skills[s].kind != "practice" or s in t.skills]
    return bool(nameable), (nameable[0] if nameable else None)


# Placeholders each phrasing needs, by identity: asked for every (anchor, template) pair of every request.
_NEEDS: dict[int, tuple[Phrasing, frozenset[str]]] = {}


def _needs(phrasing: Phrasing) -> frozenset[str]:
    cached = _NEEDS.get(id(phrasing))
    if cached is not None and cached[0] is phrasing:
        return cached[1]
    texts = (phrasing.text, phrasing.intent, *phrasing.key_points, *phrasing.follow_ups)
    needed = frozenset().union(*(placeholders(x) for x in texts))
    _NEEDS[id(phrasing)] = (phrasing, needed)
    return needed


def candidates(
    k: Knowledge, p: Profile, language: Language, seed: int, anchor_list: list[Anchor]
) -> list[Candidate]:
    found: list[Candidate] = []
    names = {"track": k.roles[p.track].name.get(language)}
    if p.outside_field is not None:
        names = {}
    for a in anchor_list:
        for t in k.templates_by_anchor.get(a.kind, ()):
            if not _fits(t, a, p):
                continue
            phrasing = t.phrasing(language)
            needed = _needs(phrasing)
            fits, skill = _skill_for(k, t, a, "skill" in needed)
            if not fits:
                continue
            raw = {**names, **a.values}
            for key in ("skill2", "jd_skill", "old_skill", "new_skill"):
                if key in raw:
                    raw[key] = k.skill_name(raw[key], language)
            if skill is not None:
                raw["skill"] = running_name(k, skill, language)
                concepts = k.skills[skill].concepts
                start = int(jitter(seed, a.source, skill, scale=len(concepts)))
                raw["concept"] = k.concepts[concepts[start]].get(language)
                if len(concepts) > 1:
                    raw["concept2"] = k.concepts[concepts[(start + 1) % len(concepts)]].get(language)
            if not needed <= raw.keys():
                continue
            values = presented(raw, language)
            score = a.weight + jitter(seed, t.id, a.source, a.quote, scale=3.0)
            score += 3.5 if t.group else 0.0
            score += 1.0 if placeholders(phrasing.text) & QUOTED else 0.0  # the question cites the resume
            score += 1.5 if t.metric_kinds else 0.0
            score += 1.0 if t.skills else 0.0
            score += 1.5 if t.tracks and a.quote == p.track_clause else 0.0
            score += 3.0 if skill is not None and skill in p.jd_skills else 0.0
            score += 6.0 if "old_skill" in needed else 0.0  # a migration is the story worth asking about
            if t.difficulty == "hard":
                score += {"junior": -1.0, "mid": 0.0, "senior": 1.0}[p.level]
            elif t.difficulty == "easy":
                score += {"junior": 0.8, "mid": 0.0, "senior": -1.0}[p.level] + (
                    1.2 if p.new_graduate else 0.0
                )
            # Tidied (particles, articles) only once chosen: most candidates never are.
            found.append(Candidate(t, a, skill, values, phrasing.text.format_map(values), score))
    return found


def select(pool: list[Candidate], count: int) -> list[Candidate]:
    chosen: list[Candidate] = []
    categories: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    skills: Counter[str] = Counter()
    projects: Counter[int] = Counter()
    texts: set[str] = set()
    templates: set[str] = set()
    # At least three categories for five or more questions; for fewer, one category per question if possible.
    target = 3 if count >= 5 else count
    people = 0 if count < 5 else 1 if count < 8 else 2

    def effective(c: Candidate) -> float:
        penalty = 3.0 * categories[c.template.category] + 6.0 * sources[c.anchor.source]
        penalty += 2.5 * skills[c.skill] if c.skill else 0.0
        penalty += 1.0 * projects[c.anchor.project] if c.anchor.project is not None else 0.0
        return c.score - penalty

    for slot in range(count):
        open_pool = [
            c for c in pool if c.template.id not in templates and normalise_text(c.question) not in texts
        ]
        if not open_pool:
            break
        if target - len(categories) >= count - slot:
            fresh = [c for c in open_pool if c.template.category not in categories]
            open_pool = fresh or open_pool
        elif people - sum(categories[c] for c in _PEOPLE) >= count - slot:
            # Interviews also probe how someone works with others: keep room for that.
            social = [c for c in open_pool if c.template.category in _PEOPLE]
            open_pool = social or open_pool
        best = max(open_pool, key=lambda c: (effective(c), c.template.id, c.anchor.source, c.anchor.quote))
        chosen.append(best)
        categories[best.template.category] += 1
        sources[best.anchor.source] += 1
        if best.skill:
            skills[best.skill] += 1
        if best.anchor.project is not None:
            projects[best.anchor.project] += 1
        texts.add(normalise_text(best.question))
        templates.add(best.template.id)
    return chosen


def draft_questions(
    k: Knowledge, p: Profile, *, count: int, language: Language, seed: int = 0
) -> QuestionDraft:
    if not 1 <= count <= 10:
        raise ValueError("count must be between 1 and 10")
    picked = select(candidates(k, p, language, seed, anchors(k, p)), count)
    if len(picked) < count:
        raise LookupError(f"only {len(picked)} distinct questions fit this resume, not {count}")
    questions = []
    for i, c in enumerate(picked, start=1):
        phrasing = c.template.phrasing(language)
        questions.append(
            InterviewQuestion(
                id=f"q{i}",
                category=c.template.category,
                difficulty=calibrate(c.template.difficulty, p.level, c.template.category, staff=p.staff),
                question=tidy(c.question, language),
                intent=fill(phrasing.intent, c.values, language),
                grounding=Grounding(source=c.anchor.source, quote=c.anchor.quote),
                key_points=[fill(x, c.values, language) for x in phrasing.key_points],
                follow_ups=[fill(x, c.values, language) for x in phrasing.follow_ups],
            )
        )
    return QuestionDraft(questions=questions, coverage=coverage(k, p, language))


def running_name(k: Knowledge, skill_id: str, language: Language) -> str:
    """A skill's name as it reads inside an English sentence: a practice is a common noun ("load testing",
    "caching"); names and acronyms keep their capitals. A sentence that starts with it is capitalised
    again when the text is tidied."""
    name = k.skill_name(skill_id, language)
    if (
        language == "en"
        and k.skills[skill_id].kind == "practice"
        and name[:1].isupper()
        and name[1:2].islower()
    ):
        return name[0].lower() + name[1:]
    return name


def coverage(k: Knowledge, p: Profile, language: Language) -> Coverage | None:
    """Partial for resumes outside the engineering tracks, with the reason in the output language."""
    if p.outside_field is None:
        return None
    field = k.field_name(p.outside_field, language)
    if language == "ko":
        reason = (
            f"오프라인 생성기의 지식 베이스는 소프트웨어 엔지니어링 직군을 다루며, {field} 분야는 포함하지 "
            "않습니다. 그래서 이력서에 근거한 행동·협업 질문과 직무와 무관하게 쓸 수 있는 조언만 제공합니다."
        )
    else:
        reason = (
            f"The offline generator's knowledge base covers software engineering tracks, not {field}: the "
            "result keeps to behavioural, role-agnostic questions and advice grounded in the resume."
        )
    return Coverage(level="partial", reason=josa(reason))
