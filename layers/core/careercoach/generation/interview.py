"""The interview-questions kind: `count` grounded questions for one resume."""

from __future__ import annotations

from typing import Any

from careercoach.checks import normalise_questions, question_problems
from careercoach.exports.markdown import QUESTIONS_MARKDOWN
from careercoach.generation.interview_fanout import INTERVIEW_FANOUT
from careercoach.generation.spec import ApiNames, DocumentStorage, GenerationSpec, Job
from careercoach.models.generation import InterviewOptions, InterviewSet, QuestionDraft
from careercoach.prompts import Prompt, interview_prompt


def _count(job: Job) -> int:
    options = job.options
    assert isinstance(options, InterviewOptions)  # the service validated them with options_model
    return options.count


def _prompt(job: Job) -> Prompt:
    return interview_prompt(
        job.resume,
        count=_count(job),
        language=job.language,
        job_description=job.options.job_description,
    )


def _problems(draft: QuestionDraft, job: Job) -> list[str]:
    return question_problems(draft, job.resume, count=_count(job), language=job.language)


def _offline(job: Job) -> QuestionDraft:
    from careercoach.offline import OfflineGenerator

    return OfflineGenerator().questions(
        job.resume,
        count=_count(job),
        language=job.language,
        seed=job.options.seed,
        job_description=job.options.job_description,
    )


def _record_fields(draft: QuestionDraft, job: Job) -> dict[str, Any]:
    return {"questions": draft.questions, "coverage": draft.coverage}


INTERVIEW: GenerationSpec[QuestionDraft, InterviewSet] = GenerationSpec(
    kind="interview",
    label="interview",
    draft_model=QuestionDraft,
    record_model=InterviewSet,
    options_model=InterviewOptions,
    # A 10-question set in Korean is the largest answer asked for.
    max_output_tokens=6000,
    api=ApiNames(
        prefix="/api/v1/interview",
        resource="questions",
        title="Interview questions API",
        description="Personalised, in-depth interview questions grounded in a stored resume.",
    ),
    build_prompt=_prompt,
    normalise=lambda draft, job: normalise_questions(draft, job.resume),
    problems=_problems,
    offline=_offline,
    storage=DocumentStorage(
        collection="interviews",
        record_fields=_record_fields,
        items=lambda record: len(record.questions),
    ),
    exports=(QUESTIONS_MARKDOWN,),
    fanout=INTERVIEW_FANOUT,
)
