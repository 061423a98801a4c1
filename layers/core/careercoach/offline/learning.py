"""A learning path without a model: strengths from the resume's evidence, gaps against the next level of the
candidate's track (and the job description), and 5-8 ordered steps built from step templates.

A gap is an expectation none of whose skills the resume shows (and that no phrase of the resume says is
met), so a listed skill is never reported as a gap. A replaced tool is never a strength. No two steps share a
template while another fits, nor the skill they teach, so steps differ in title, actions and milestone; a
step's exercise is in the step's own technology. Durations follow seniority. Resources come only from the
curated catalog. Resumes outside the engineering tracks get role-agnostic steps and a partial coverage."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from careercoach.knowledge.loader import Knowledge, placeholders
from careercoach.knowledge.models import SENIORITIES, Expectation, ProjectIdea, StepTemplate
from careercoach.models.generation import (
    Analysis,
    Coverage,
    Gap,
    LearningPathDraft,
    Priority,
    StepDraft,
    StepType,
    Strength,
)
from careercoach.models.resume import Language
from careercoach.offline.extract import Evidence, Profile, clip
from careercoach.offline.questions import coverage, running_name
from careercoach.offline.render import fill, jitter, presented, tidy

_LEVEL_NAME: dict[str, dict[str, str]] = {
    "ko": {"junior": "주니어", "mid": "미드레벨", "senior": "시니어"},
    "en": {"junior": "junior", "mid": "mid-level", "senior": "senior"},
}
# The level a plan aims for, as a noun phrase ("aiming for mid-level roles").
_TARGET: dict[str, dict[str, str]] = {
    "ko": {"junior": "주니어", "mid": "미드레벨", "senior": "시니어"},
    "en": {"junior": "junior roles", "mid": "mid-level roles", "senior": "senior roles"},
}
_SKIP_STRENGTH = frozenset({"soft", "cs_basics"})
_MAX_GAPS = 5
# Resources that fit any profession: no engineering skill among theirs.
_ANY_FIELD_SKILLS = frozenset({"communication", "technical_writing", "leadership"})
_NAMED_KINDS = frozenset({"language", "framework"})


@dataclass
class _Gap:
    area: str
    why: str
    skills: list[str]  # what to learn, canonical first
    practice: str
    priority: Priority
    jd_skill: str | None = None
    weeks: int = 3  # for a mid-level candidate


@dataclass
class _Strength:
    skill: str | None
    area: str
    evidence: Evidence | None
    quote: str


@dataclass
class _Plan:
    steps: list[StepDraft] = field(default_factory=list)
    used_resources: set[str] = field(default_factory=set)
    used_templates: Counter[str] = field(default_factory=Counter)
    used_skills: set[str] = field(default_factory=set)
    used_practices: set[str] = field(default_factory=set)


_EVIDENCE_ORDER = ("achievement", "project_description", "tech_stack", "summary", "skills")


def _context(p: Profile, e: Evidence) -> str | None:
    """The quote that shows the skill in use: the whole achievement, description or stack line, or the summary
    clause that names it. A listed skill has none (its name alone is all there is)."""
    if e.kind in ("achievement", "project_description"):
        return clip(e.text)
    if e.kind == "tech_stack":
        # The project the stack belongs to says what it was used for; the joined list itself is not one
        # text of the resume (each entry is).
        project = p.projects[e.project] if e.project is not None else None
        return project.description.text if project and project.description else clip(e.span)
    if e.kind == "summary":
        return next((c for c in p.summary_clauses if e.span in c), None)
    return None


def strengths(k: Knowledge, p: Profile, language: Language) -> list[_Strength]:
    found: list[_Strength] = []
    used_quotes: set[str] = set()
    ranked_skills = [s for s in p.skills if p.current(s) and k.skills[s].group not in _SKIP_STRENGTH]
    # One strength per skill family where the resume allows: "Terraform, Ansible" say less than
    # "Terraform, Kubernetes".
    first_of_group: dict[str, str] = {}
    for skill_id in ranked_skills:
        first_of_group.setdefault(k.skills[skill_id].group, skill_id)
    distinct = list(first_of_group.values())
    for skill_id in [*distinct, *(s for s in ranked_skills if s not in distinct)]:
        use = p.skills[skill_id]
        skill = k.skills[skill_id]
        if len(found) >= 3:
            break
        ranked = sorted(
            use.evidence,
            key=lambda e: (
                _EVIDENCE_ORDER.index(e.kind) if e.kind in _EVIDENCE_ORDER else len(_EVIDENCE_ORDER)
            ),
        )
        contexts = [(e, q) for e in ranked for q in (_context(p, e),) if q]
        options = contexts + [(e, clip(e.span)) for e in ranked if e.kind != "tech_stack" or e.span == e.text]
        options += [(e, clip(e.span)) for e in ranked if e.kind == "tech_stack"]
        if not options:
            continue
        # Each strength gets its own evidence where the resume allows: three skills citing one stack line
        # say less than a stack line, a summary clause and a listed skill.
        evidence, quote = next(((e, q) for e, q in options if q not in used_quotes), options[0])
        used_quotes.add(quote)
        area = f"{skill.name.get(language)} ({k.groups[skill.group].name.get(language)})"
        found.append(_Strength(skill_id, area, evidence, quote))
    measured = next((a for a in p.achievements if a.metric and clip(a.text) not in used_quotes), None)
    if measured is not None:
        area = "수치로 증명한 성과" if language == "ko" else "Results backed by numbers"
        found.append(_Strength(None, area, None, clip(measured.text)))
    if p.outside_field is not None:
        area = "구체적인 성과" if language == "ko" else "Concrete results"
        for a in p.achievements:
            if len(found) >= 3:
                break
            if clip(a.text) not in used_quotes and all(f.quote != clip(a.text) for f in found):
                found.append(_Strength(None, area, None, clip(a.text)))
    if not found:
        area = (
            k.field_name(p.outside_field, language)
            if p.outside_field
            else k.roles[p.track].name.get(language)
        )
        found.append(_Strength(None, area, None, p.track_clause or p.summary_clauses[0]))
    return found


def _expectation_gap(e: Expectation, language: Language, priority: Priority) -> _Gap:
    return _Gap(
        e.label.get(language),
        e.why.get(language),
        list(e.any_of),
        e.practice.get(language),
        priority,
        weeks=e.weeks,
    )


def _met(p: Profile, e: Expectation) -> bool:
    """The resume shows one of the expectation's skills, or says in words that it is met."""
    if any(p.has(s) for s in e.any_of):
        return True
    if not e.met_by:
        return False
    text = " ".join(item.text for item in p.items).casefold()
    return any(phrase.casefold() in text for phrase in e.met_by)


def gaps(k: Knowledge, p: Profile, language: Language) -> list[_Gap]:
    found: list[_Gap] = []
    if p.outside_field is not None:
        # Interview readiness any profession needs; the knowledge base has nothing on the field itself.
        outside = [k.expectations[x] for x in k.outside_expectations]
        return [_expectation_gap(e, language, "high" if i == 0 else "medium") for i, e in enumerate(outside)]
    jd_missing = [s for s in p.jd_skills if not p.has(s)][:3]
    track_expectations = {e for level in k.roles[p.track].levels.values() for e in level.expects}
    for skill_id in jd_missing:
        name = k.skill_name(skill_id, language)
        # The expectation that explains why it matters: one of the candidate's track first, then the one most
        # about this skill (listed first, fewest alternatives).
        owners = [e for e in k.expectations.values() if skill_id in e.any_of]
        owner = min(
            owners,
            key=lambda e: (e.id not in track_expectations, e.any_of.index(skill_id), len(e.any_of)),
            default=None,
        )
        if language == "ko":
            why = f"채용 공고가 요구하는 {name} 경험이 이력서에 드러나지 않습니다."
            practice = f"{name}(으)로 작은 기능을 만들고 테스트와 README로 설계 이유를 설명하기"
        else:
            why = f"The job description asks for {name}, which the resume does not show yet."
            practice = f"Build a small feature with {name} and explain the design in tests and a README"
        weeks = 3
        if owner is not None:
            why = f"{why} {owner.why.get(language)}"
            # Learning a new language or framework to a working level takes longer than a small topic.
            weeks = max(owner.weeks, 3) if k.skills[skill_id].kind in _NAMED_KINDS else owner.weeks
            if _in_own_technology(k, owner.practice.get(language), skill_id):
                practice = owner.practice.get(language)
        found.append(_Gap(name, why, [skill_id], practice, "high", jd_skill=skill_id, weeks=weeks))
    role = k.roles[p.track]
    target = SENIORITIES.index(p.next_level)
    current = SENIORITIES.index(p.level)
    fundamentals: list[_Gap] = []  # expected below the next level: missing basics, most urgent
    upcoming: list[_Gap] = []  # what the next level adds
    for index, level in enumerate(SENIORITIES[: target + 1]):
        if index < current - 1:
            continue  # a senior's plan does not list junior basics: they are taken as known
        basic = index <= current and index < target
        for exp_id in role.levels[level].expects:
            e = k.expectations[exp_id]
            if e.only_at_level and index != current:
                continue
            if _met(p, e) or any(s in jd_missing for s in e.any_of):
                continue
            gap = _expectation_gap(e, language, "high" if basic else "medium")
            (fundamentals if basic else upcoming).append(gap)
    # Both kinds belong in a plan: at most three basics, then the next level, then any basics left.
    for gap in [*fundamentals[:3], *upcoming, *fundamentals[3:]]:
        if all(g.area != gap.area for g in found):
            found.append(gap)
    if len(found) == len(jd_missing):
        found += _stretch_gaps(k, p, language)
    return found[:_MAX_GAPS]


def _stretch_gaps(k: Knowledge, p: Profile, language: Language) -> list[_Gap]:
    """Someone who meets every expectation of their track still has an adjacent one to grow into."""
    for e in k.expectations.values():
        if e.id not in k.outside_expectations and not _met(p, e):
            return [_expectation_gap(e, language, "low")]
    area = (
        "면접에서 성과를 구조적으로 설명하기"
        if language == "ko"
        else "Explaining results in a structured way"
    )
    why = (
        "기술 역량은 충분히 드러나므로, 이를 짧고 설득력 있게 전달하는 능력이 다음 차이를 만듭니다."
        if language == "ko"
        else "The technical range is there; telling it briefly and convincingly is what makes the difference."
    )
    return [_Gap(area, why, ["communication"], why, "low")]


@functools.lru_cache(maxsize=1024)  # exercises are knowledge-base sentences: a fixed set
def _named(k: Knowledge, text: str) -> frozenset[str]:
    """The skills a sentence names."""
    return frozenset(m.skill_id for m in k.matcher.in_text(text))


def _in_own_technology(k: Knowledge, text: str, skill_id: str) -> bool:
    """False when a step teaching a language or framework has an exercise naming another one: a "learn Go"
    step is not practised by writing a Python script (nor "a Python or Go CLI")."""
    named = {s for s in _named(k, text) if k.skills[s].kind in _NAMED_KINDS}
    return not named or named <= {skill_id} or k.skills[skill_id].kind not in _NAMED_KINDS


def _pick(
    k: Knowledge,
    plan: _Plan,
    step_type: StepType,
    values: Mapping[str, str],
    p: Profile,
    seed: int,
    language: Language,
) -> StepTemplate:
    """The step template of this type whose placeholders the values can fill, varied by seed."""
    fitting: list[StepTemplate] = []
    outside = p.outside_field is not None
    for s in k.steps_by_type.get(step_type, ()):
        if p.level in s.levels and s.any_field == outside and _needed(s, language) <= values.keys():
            fitting.append(s)
    if not fitting:
        raise LookupError(f"no {step_type} step template fits")
    # A template not used yet in this plan first (steps must not read alike), then one citing the
    # candidate's own items, then the most specific, then vary by seed.
    return max(
        fitting,
        key=lambda s: (
            -plan.used_templates[s.id],
            bool(_needed(s, language) & {"achievement", "project"}),
            len(_needed(s, language)),
            jitter(seed, s.id, p.track),
        ),
    )


@functools.lru_cache(maxsize=256)  # step templates are a fixed set (hashable: frozen models, hashed once)
def _needed_texts(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(placeholders(x) for x in texts))


def _needed(s: StepTemplate, language: Language) -> frozenset[str]:
    ph = s.phrasing(language)
    return _needed_texts((ph.title, ph.why, *ph.actions, ph.milestone))


def _step(
    k: Knowledge,
    plan: _Plan,
    step_type: StepType,
    raw: dict[str, str],
    p: Profile,
    seed: int,
    language: Language,
    *,
    weeks: int,
    priority: Priority,
    resource_skills: list[str],
) -> None:
    template = _pick(k, plan, step_type, raw, p, seed, language)
    plan.used_templates[template.id] += 1
    values = presented(raw, language)
    ph = template.phrasing(language)
    catalog = k.resources_for(resource_skills, 12, language=language)
    if p.outside_field is not None:
        catalog = [r for r in catalog if set(r.skills) <= _ANY_FIELD_SKILLS]
    resources = [r.id for r in catalog]
    fresh = [r for r in resources if r not in plan.used_resources]
    chosen = (fresh or resources)[: 3 if step_type != "project" else 4]
    plan.used_resources.update(chosen)
    plan.steps.append(
        StepDraft(
            order=len(plan.steps) + 1,
            type=step_type,
            title=clip(fill(ph.title, values, language)),
            why=fill(ph.why, values, language),
            actions=[clip(fill(a, values, language)) for a in ph.actions],
            resource_ids=chosen,
            estimated_weeks=weeks,
            milestone=fill(ph.milestone, values, language),
            priority=priority,
        )
    )


def _concepts(k: Knowledge, skill_id: str, language: Language, seed: int) -> dict[str, str]:
    concepts = k.skills[skill_id].concepts
    start = int(jitter(seed, "concepts", skill_id, scale=len(concepts)))
    first = concepts[start]
    # Step texts name two concepts; a one-concept skill borrows one from a related skill.
    pool = [c for c in concepts if c != first] + [
        c for r in k.skills[skill_id].related for c in k.skills[r].concepts if c != first
    ]
    second = pool[0] if pool else None
    values = {"concept": k.concepts[first].get(language)}
    values["concept2"] = (
        k.concepts[second].get(language) if second else k.groups[k.skills[skill_id].group].name.get(language)
    )
    return values


def _idea(k: Knowledge, p: Profile, gap_skills: list[str], seed: int) -> ProjectIdea:
    """A portfolio project of the candidate's track sized for their level, closest to their gaps."""
    if p.outside_field is not None:
        return max(k.outside_projects, key=lambda i: jitter(seed, i.id))
    ideas = [i for i in k.roles[p.track].projects if p.level in i.levels] or list(k.roles[p.track].projects)
    wanted = set(gap_skills)
    return max(ideas, key=lambda i: (len(wanted & set(i.skills)), jitter(seed, i.id)))


def _gap_weeks(weeks: int, p: Profile) -> int:
    """A mid-level estimate moved by seniority: juniors need a week more, seniors a week less."""
    return max(1, weeks + {"junior": 1, "mid": 0, "senior": -1}[p.level])


def _gap_skill(k: Knowledge, g: _Gap, plan: _Plan, p: Profile) -> str:
    """The skill a gap step teaches: one its exercise names if there is one (the step and its exercise speak
    of the same thing), else the first of the gap's skills not yet taught in this plan."""
    fresh = [s for s in g.skills if s not in plan.used_skills and not p.has(s)]
    named = _named(k, g.practice)
    return next((s for s in fresh if s in named), next(iter(fresh), g.skills[0]))


def draft_learning_path(k: Knowledge, p: Profile, *, language: Language, seed: int = 0) -> LearningPathDraft:
    found_strengths = strengths(k, p, language)
    found_gaps = gaps(k, p, language)
    base = {
        "track": k.roles[p.track].name.get(language),
        "level": _LEVEL_NAME[language][p.level],
        "next_level": _LEVEL_NAME[language][p.next_level],
    }
    main_project = next((pr.name for pr in p.projects if not pr.personal), None) or next(
        (pr.name for pr in p.projects), None
    )
    plan = _Plan()
    if p.outside_field is not None:
        return _outside_path(k, p, found_strengths, found_gaps, base, plan, language, seed)
    jd_gaps = [g for g in found_gaps if g.jd_skill]
    role_gaps = [g for g in found_gaps if not g.jd_skill]
    junior = p.level == "junior"

    def gap_step(g: _Gap) -> None:
        skill = _gap_skill(k, g, plan, p)
        plan.used_skills.add(skill)
        practice = g.practice
        if not _in_own_technology(k, practice, skill) or practice in plan.used_practices:
            # Another technology's exercise, or one a step already has (two job-description languages
            # explained by the same expectation): the step's own exercise instead.
            practice = _own_practice(k, skill, language)
        plan.used_practices.add(practice)
        raw = {**base, "why_gap": g.why, "practice": practice}
        if k.skills[skill].group != "soft":
            # Writing and leadership have no concepts to build a lab for or to study in official docs:
            # without them only the template made for such gaps fits.
            raw |= _concepts(k, skill, language, seed)
        raw["skill"] = running_name(k, skill, language)
        if g.jd_skill:
            raw["jd_skill"] = k.skill_name(g.jd_skill, language)  # and no "gap": the JD template fits
        else:
            raw["gap"] = _mid_sentence(k, g.area) if language == "en" else g.area
        if not g.jd_skill and main_project and k.skills[skill].group not in _SKIP_STRENGTH:
            raw["project"] = main_project  # "apply it to your project" fits technologies, not coding tests
        weeks = _gap_weeks(g.weeks, p)
        _step(
            k,
            plan,
            "close_gap",
            raw,
            p,
            seed,
            language,
            weeks=weeks,
            priority=g.priority,
            resource_skills=[skill, *(s for s in g.skills[:3] if s != skill)],
        )

    def deepen_step(s: _Strength) -> None:
        assert s.skill is not None
        plan.used_skills.add(s.skill)
        raw = {**base, **_concepts(k, s.skill, language, seed), "skill": running_name(k, s.skill, language)}
        if s.evidence is not None and s.evidence.kind == "achievement":
            raw["achievement"] = s.evidence.text
        if s.evidence is not None and s.evidence.project is not None:
            raw["project"] = p.projects[s.evidence.project].name
        # The skill's own documentation first; a related skill's only when the catalog has little for it.
        own = len(k.resources_by_skill.get(s.skill, ()))
        related = [r for r in k.skills[s.skill].related if own < 2]
        _step(
            k,
            plan,
            "deepen_strength",
            raw,
            p,
            seed,
            language,
            weeks=2,
            priority="medium" if jd_gaps else "high",
            resource_skills=[s.skill, *related[:1]],
        )

    skill_strengths = [s for s in found_strengths if s.skill is not None]
    for g in jd_gaps[:2]:
        gap_step(g)
    if skill_strengths:
        deepen_step(skill_strengths[0])
    # At most four gap steps: a plan is not a list of everything missing, and each gets its own template.
    for g in role_gaps[: min(4, 5 - len(plan.steps))]:
        gap_step(g)
    if len(plan.steps) < 3 and len(skill_strengths) > 1:
        deepen_step(skill_strengths[1])
    idea = _idea(k, p, [s for g in found_gaps for s in g.skills], seed)
    idea_raw = {
        **base,
        "idea": idea.title.get(language),
        "idea_brief": idea.brief.get(language),
        "idea_milestone": idea.milestone.get(language),
        "skills": _listed([running_name(k, s, language) for s in idea.skills], language),
    }
    _step(
        k,
        plan,
        "project",
        idea_raw,
        p,
        seed,
        language,
        weeks=max(2, idea.weeks - (1 if p.level == "senior" else 0)),
        priority="medium",
        resource_skills=idea.skills,
    )
    comm_raw = dict(base)
    measured = next((a for a in p.achievements if a.metric), None) or next(iter(p.achievements), None)
    if measured is not None:
        comm_raw["achievement"] = measured.text
    if main_project:
        comm_raw["project"] = main_project
    comm_skills = ["communication", "technical_writing", *(["leadership"] if p.level == "senior" else [])]
    _step(
        k,
        plan,
        "communication",
        comm_raw,
        p,
        seed,
        language,
        weeks=2 if junior else 1,
        priority="high" if junior else "medium",
        resource_skills=comm_skills,
    )
    while len(plan.steps) < 5:
        # Thin resumes: another strength to deepen if there is one, else a second communication exercise.
        extra = next(
            (s for s in skill_strengths[1:] if s.skill and not _deepened(plan, k, s.skill, language)), None
        )
        if extra is not None:
            deepen_step(extra)
        else:
            _step(
                k,
                plan,
                "communication",
                dict(base),
                p,
                seed + 1,
                language,
                weeks=1,
                priority="low",
                resource_skills=["communication", "algorithms"],
            )
    return _draft(k, p, found_strengths, found_gaps, plan, language, None)


def _draft(
    k: Knowledge,
    p: Profile,
    found_strengths: list[_Strength],
    found_gaps: list[_Gap],
    plan: _Plan,
    language: Language,
    cover: Coverage | None,
) -> LearningPathDraft:
    total = sum(s.estimated_weeks for s in plan.steps)
    return LearningPathDraft(
        analysis=Analysis(
            strengths=[Strength(area=s.area, evidence=s.quote) for s in found_strengths],
            gaps=[Gap(area=g.area, why=g.why) for g in found_gaps],
        ),
        summary=_summary(k, p, found_strengths, found_gaps, total, language),
        steps=plan.steps,
        total_weeks=total,
        coverage=cover,
    )


def _own_practice(k: Knowledge, skill_id: str, language: Language) -> str:
    name = k.skill_name(skill_id, language)
    if language == "ko":
        return f"{name}(으)로 작은 기능을 직접 만들고, 테스트와 README로 설계 이유를 설명하기"
    return f"Build a small feature with {name} yourself and explain the design in tests and a README"


def _outside_path(
    k: Knowledge,
    p: Profile,
    found_strengths: list[_Strength],
    found_gaps: list[_Gap],
    base: dict[str, str],
    plan: _Plan,
    language: Language,
    seed: int,
) -> LearningPathDraft:
    """Role-agnostic steps for a resume outside the engineering tracks: telling its own results well,
    interview readiness, a case-study portfolio piece and mock interviews. No stack advice."""
    comm = ["communication"]
    measured = next((a for a in p.achievements if a.metric), None) or next(iter(p.achievements), None)
    if measured is not None:
        raw = {**base, "achievement": measured.text}
        _step(
            k, plan, "deepen_strength", raw, p, seed, language, weeks=2, priority="high", resource_skills=comm
        )
    for g in found_gaps[:2]:  # two role-agnostic gap templates: a third step would repeat one
        area = _mid_sentence(k, g.area) if language == "en" else g.area
        raw = {**base, "gap": area, "why_gap": g.why, "practice": g.practice}
        weeks = _gap_weeks(g.weeks, p)
        _step(
            k,
            plan,
            "close_gap",
            raw,
            p,
            seed,
            language,
            weeks=weeks,
            priority=g.priority,
            resource_skills=comm,
        )
    idea = _idea(k, p, [], seed)
    raw = {
        **base,
        "idea": idea.title.get(language),
        "idea_brief": idea.brief.get(language),
        "idea_milestone": idea.milestone.get(language),
    }
    _step(
        k, plan, "project", raw, p, seed, language, weeks=idea.weeks, priority="medium", resource_skills=comm
    )
    while len(plan.steps) < 5:
        _step(
            k,
            plan,
            "communication",
            dict(base),
            p,
            seed,
            language,
            weeks=1,
            priority="medium",
            resource_skills=comm,
        )
    return _draft(k, p, found_strengths, found_gaps, plan, language, coverage(k, p, language))


def _deepened(plan: _Plan, k: Knowledge, skill_id: str, language: Language) -> bool:
    name = running_name(k, skill_id, language)
    return any(s.type == "deepen_strength" and name in s.title for s in plan.steps)


def _listed(items: list[str], language: Language) -> str:
    """ "a, b and c" in English; Korean lists read fine with commas alone."""
    if language == "ko" or len(items) < 2:
        return ", ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _mid_sentence(k: Knowledge, label: str) -> str:
    """A label as it reads inside an English sentence: "Load testing" -> "load testing", but names and
    acronyms ("Kubernetes operations", "CI/CD pipelines") keep their capitals."""
    if len(label) < 2 or not label[0].isupper() or not label[1].islower():
        return label
    if any(m.start == 0 and k.skills[m.skill_id].kind != "practice" for m in k.matcher.in_text(label)):
        return label
    return label[0].lower() + label[1:]


def _summary(
    k: Knowledge,
    p: Profile,
    found_strengths: list[_Strength],
    found_gaps: list[_Gap],
    total: int,
    language: Language,
) -> str:
    track = k.roles[p.track].name.get(language)
    level, target = _LEVEL_NAME[language][p.level], _TARGET[language][p.next_level]
    strong = ", ".join(s.area for s in found_strengths[:3])
    weak = ", ".join(g.area for g in found_gaps[:3])
    grows = p.level != p.next_level
    if p.outside_field is not None:
        field_name = k.field_name(p.outside_field, language)
        if language == "ko":
            text = (
                f"{field_name} 분야 경력의 성과를 면접에서 설득력 있게 전하기 위한 {total}주 계획입니다. "
                f"{weak}을(를) 보완합니다. 이 분야의 전문 지식은 지식 베이스에 없어, "
                "직무와 무관하게 쓸 수 있는 조언만 담았습니다."
            )
        else:
            weak = _listed([_mid_sentence(k, g.area) for g in found_gaps[:3]], language)
            text = (
                f"A {total}-week plan to present the results of a career in {field_name} convincingly at "
                f"interview, working on {weak}. The knowledge base has nothing on the field itself, so the "
                "advice is role-agnostic."
            )
        return tidy(text, language)
    if language == "ko":
        goal = f"{target} 수준을 목표로 하는" if grows else "역할 범위를 넓히는"
        text = (
            f"{level} {track}(으)로서 {goal} {total}주 계획입니다. "
            f"강점인 {strong}을(를) 원리까지 설명할 수 있게 다지고, {weak}을(를) 보완합니다."
        )
        if p.jd_skills:
            text += " 채용 공고의 요구 기술을 우선순위에 반영했습니다."
        return tidy(text, language)
    strong = _listed([s.area for s in found_strengths[:3]], language)
    weak = _listed([_mid_sentence(k, g.area) for g in found_gaps[:3]], language)
    goal = f"aiming for {target}" if grows else "widening their scope"
    text = (
        f"A {total}-week plan for a {level} {track}, {goal}: build on {strong} "
        f"until you can explain the principles, and close the gaps in {weak}."
    )
    if p.jd_skills:
        text += " Skills named in the job description come first."
    return tidy(text, language)
