"""Prompts of a fanned-out generation: the plan call (when a model plans) and the item calls.

Every item call of one generation starts with the same text, in this order: the system instructions, the
resume (and job description), the kind's rules, the plan. Only the last line differs ("Write q3."). That
shared prefix is what the vendors' prompt caches reuse (OpenAI and Gemini automatically, Anthropic up to
the breakpoint the provider puts after it); the resume block is its first and largest part. Versioned apart
from the single-call prompts (`FANOUT_PROMPT_VERSION`, stored with each fanned-out result)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from careercoach.models.plans import LearningPlan, QuestionPlan
from careercoach.models.resume import Language, ResumeContent
from careercoach.prompts import templates as t
from careercoach.prompts.builder import PROMPT_VERSION, CatalogLine, _data_blocks, _neutralise, _profile

FANOUT_PROMPT_VERSION = f"{PROMPT_VERSION}+fanout.1"


@dataclass(frozen=True)
class PartPrompt:
    """The prompt of one call of a fanned-out generation. `prefix` leads the user turn and is identical for
    every item call of a generation (resume, rules, plan; the resume alone for the plan call); `prompt` is
    the call's own request. The system text is shared too."""

    system: str
    prefix: str
    prompt: str


QUESTION_PLAN: Final = {
    "en": """Plan exactly {count} interview questions a real interviewer would ask this candidate. Do not
write the questions yet: for each, give its category, difficulty, grounding and focus.
Rules:
- Each question probes a different resume item: grounding.source is that item's bracketed source and
  grounding.quote words copied exactly from that line (no paraphrase, no translation).
- Prefer concrete projects, achievements and numbers over generic skills.
- Use at least {min_categories} different categories among: technical, project_deep_dive, system_design,
  problem_solving, behavioral, collaboration.
- Difficulty for {seniority} ({years}): {difficulty_guide}.
- focus: one line in English saying what the question will probe in that item.
{job_description_rule}""",
    "ko": """이 지원자에게 실제 면접관이 물어볼 면접 질문 {count}개를 계획하세요. 질문 자체는 아직 쓰지
말고, 각각의 카테고리, 난이도, 근거(grounding), 초점(focus)만 정하세요.
규칙:
- 각 질문은 서로 다른 이력서 항목을 파고듭니다. grounding.source에는 그 줄의 대괄호 출처를,
  grounding.quote에는 그 줄에서 그대로 복사한 문구를 넣으세요(의역·번역 금지).
- 일반적인 기술보다 구체적인 프로젝트, 성과, 수치를 우선하세요.
- 다음 카테고리 중 최소 {min_categories}가지를 사용하세요: technical, project_deep_dive, system_design,
  problem_solving, behavioral, collaboration.
- {seniority}({years}) 수준의 난이도: {difficulty_guide}.
- focus: 그 항목에서 질문이 파고들 점을 한국어 한 줄로.
{job_description_rule}""",
}

QUESTION_ITEM_RULES: Final = {
    "en": """An interview of {count} questions is planned for this candidate ({seniority}, {years}); each
question is written separately, one per request, following the plan below.
Rules for the question you are asked to write:
- Ask about its planned resume item and focus; keep its category and difficulty. Do not drift into the
  items or focuses of the other planned questions.
- Ask how and why, trade-offs, failure cases and how results were measured.
- intent: what the interviewer evaluates. key_points: 2-6 points a strong answer covers. follow_ups: 1-4.
- Write the question, intent, key points and follow-ups in English.
<plan>
{plan}
</plan>""",
    "ko": """이 지원자({seniority}, {years})를 위한 면접 질문 {count}개가 아래 계획대로 정해져 있고, 질문은
요청마다 하나씩 따로 작성됩니다.
요청받은 질문의 규칙:
- 계획된 이력서 항목과 초점에 대해 묻고, 카테고리와 난이도를 지키세요. 다른 질문의 항목이나 초점으로 벗어나지
  마세요.
- 어떻게/왜, 트레이드오프, 실패 사례, 성과를 어떻게 측정했는지 물으세요.
- intent: 면접관이 평가하려는 것. key_points: 좋은 답변이 다뤄야 할 2-6개 요점. follow_ups: 1-4개.
- 질문, 의도, 요점, 꼬리 질문은 한국어로 작성하세요.
<plan>
{plan}
</plan>""",
}

QUESTION_ITEM_ASK: Final = {
    "en": "Write question {label} of the plan.{avoid}",
    "ko": "계획의 {label} 질문을 작성하세요.{avoid}",
}

AVOID: Final = {
    "en": " It must differ from this question already written: {text}",
    "ko": " 이미 작성된 다음 질문과 달라야 합니다: {text}",
}

LEARNING_PLAN: Final = {
    "en": """Plan a personalised learning path for this candidate ({seniority}, {years}). Do not write the
steps yet: give the analysis, a summary and the outline of the steps.
Rules:
- analysis.strengths: what the resume shows they do well, with evidence copied from the resume.
  analysis.gaps: what they need for the next level of their track{jd_clause}, and why it matters.
  Never list as a gap a skill the resume already lists.
- steps: 5 to 8, in order. Each: type (deepen_strength, close_gap, project, communication), focus (the
  strength, gap or theme it works on, one line), estimated_weeks (1-26), priority. Include at least one
  close_gap, one project and one communication step.
- Write the summary and the focuses in English.""",
    "ko": """이 지원자({seniority}, {years})를 위한 맞춤 학습 경로를 계획하세요. 단계 내용은 아직 쓰지
말고, 분석, 요약, 단계의 개요만 정하세요.
규칙:
- analysis.strengths: 이력서가 보여주는 강점과 이력서에서 그대로 인용한 근거.
  analysis.gaps: 다음 단계로 성장하기 위해{jd_clause} 부족한 점과 그것이 중요한 이유.
  이력서에 이미 있는 기술은 부족한 점으로 적지 마세요.
- steps: 순서대로 5-8개. 각각 type(deepen_strength, close_gap, project, communication), focus(다루는 강점,
  부족한 점 또는 주제를 한 줄로), estimated_weeks(1-26), priority. close_gap, project, communication 단계를
  각각 하나 이상 포함하세요.
- 요약과 focus는 한국어로 작성하세요.""",
}

STEP_ITEM_RULES: Final = {
    "en": """A learning path of {count} steps is planned for this candidate ({seniority}, {years}); each step
is written separately, one per request, following the plan below.
Rules for the step you are asked to write:
- Work on its planned focus, with its type; do not repeat what the other planned steps cover.
- title: short. why: why it matters for this candidate. actions: concrete, 1-6. milestone: a verifiable
  outcome that shows the step is done.
- resource_ids: up to 4 ids, only from the catalog below; never invent links.
- Write everything in English.
<catalog>
{catalog}
</catalog>
<plan>
{plan}
</plan>""",
    "ko": """이 지원자({seniority}, {years})를 위한 {count}단계 학습 경로가 아래 계획대로 정해져 있고, 단계는
요청마다 하나씩 따로 작성됩니다.
요청받은 단계의 규칙:
- 계획된 focus와 type을 다루고, 다른 단계가 다루는 내용을 반복하지 마세요.
- title: 짧게. why: 이 지원자에게 중요한 이유. actions: 구체적인 실행 항목 1-6개. milestone: 단계를 마쳤음을
  보여 주는 검증 가능한 결과.
- resource_ids: 아래 카탈로그의 id만 최대 4개 사용하세요. 링크를 지어내지 마세요.
- 모두 한국어로 작성하세요.
<catalog>
{catalog}
</catalog>
<plan>
{plan}
</plan>""",
}

STEP_ITEM_ASK: Final = {
    "en": "Write step {label} of the plan.",
    "ko": "계획의 {label}단계를 작성하세요.",
}


def question_plan_prompt(
    resume: ResumeContent, *, count: int, language: Language, job_description: str | None
) -> PartPrompt:
    level, level_label, years_label = _profile(resume, language)
    instructions = QUESTION_PLAN[language].format(
        count=count,
        min_categories=min(3, count),
        seniority=level_label,
        years=years_label,
        difficulty_guide=t.DIFFICULTY_GUIDE[level][language],
        job_description_rule=t.JOB_DESCRIPTION_RULE[language] if job_description else "",
    )
    return PartPrompt(
        system=t.SYSTEM[language], prefix=_data_blocks(resume, job_description), prompt=instructions.rstrip()
    )


def _question_plan_lines(plan: QuestionPlan) -> str:
    return "\n".join(
        f"q{n} | {q.category} | {q.difficulty} | [{q.grounding.source}] {_neutralise(q.grounding.quote)} | "
        f"{_neutralise(q.focus)}"
        for n, q in enumerate(plan.questions, start=1)
    )


def question_item_prefix(
    resume: ResumeContent, plan: QuestionPlan, *, language: Language, job_description: str | None
) -> str:
    _, level_label, years_label = _profile(resume, language)
    rules = QUESTION_ITEM_RULES[language].format(
        count=len(plan.questions), seniority=level_label, years=years_label, plan=_question_plan_lines(plan)
    )
    jd_rule = t.JOB_DESCRIPTION_RULE[language] if job_description else ""
    return f"{_data_blocks(resume, job_description)}\n\n{rules}" + (f"\n{jd_rule}" if jd_rule else "")


def question_item_ask(index: int, *, language: Language, avoid: str | None = None) -> str:
    note = AVOID[language].format(text=_neutralise(avoid)) if avoid else ""
    return QUESTION_ITEM_ASK[language].format(label=f"q{index + 1}", avoid=note)


def learning_plan_prompt(
    resume: ResumeContent, *, language: Language, job_description: str | None
) -> PartPrompt:
    _, level_label, years_label = _profile(resume, language)
    instructions = LEARNING_PLAN[language].format(
        seniority=level_label, years=years_label, jd_clause=t.JD_CLAUSE[language] if job_description else ""
    )
    return PartPrompt(
        system=t.SYSTEM[language], prefix=_data_blocks(resume, job_description), prompt=instructions
    )


def _learning_plan_lines(plan: LearningPlan) -> str:
    lines = [f"summary: {_neutralise(plan.summary)}"]
    lines += [f"strength: {_neutralise(s.area)}" for s in plan.analysis.strengths]
    lines += [f"gap: {_neutralise(g.area)} ({_neutralise(g.why)})" for g in plan.analysis.gaps]
    lines += [
        f"step {n} | {step.type} | {step.estimated_weeks} weeks | {step.priority} | {_neutralise(step.focus)}"
        for n, step in enumerate(plan.steps, start=1)
    ]
    return "\n".join(lines)


def step_item_prefix(
    resume: ResumeContent,
    plan: LearningPlan,
    *,
    language: Language,
    catalog: Sequence[CatalogLine],
    job_description: str | None,
) -> str:
    _, level_label, years_label = _profile(resume, language)
    catalog_text = "\n".join(f"{line.id} | {line.kind} | {_neutralise(line.title)}" for line in catalog)
    rules = STEP_ITEM_RULES[language].format(
        count=len(plan.steps),
        seniority=level_label,
        years=years_label,
        catalog=catalog_text,
        plan=_learning_plan_lines(plan),
    )
    return f"{_data_blocks(resume, job_description)}\n\n{rules}"


def step_item_ask(index: int, *, language: Language) -> str:
    return STEP_ITEM_ASK[language].format(label=index + 1)
