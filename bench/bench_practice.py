"""Practice: the offline evaluator's time per answer, and the LLM evaluation prompt's size in tokens
(tiktoken, o200k_base), side by side with the generation prompts of the same resumes.

Answers per corpus resume and language: one that covers every key point with the resume's facts, one that
covers none, and "I don't know", for each of the offline generator's five questions."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/core"), str(ROOT / "layers/llm"), str(ROOT)]

from bench_prompts import o200k  # noqa: E402

from careercoach.models.practice import SessionQuestion  # noqa: E402
from careercoach.models.resume import ResumeContent, ResumeInput  # noqa: E402
from careercoach.practice.offline import evaluate_answer, neighbours  # noqa: E402
from careercoach.practice.redact import redact_answer  # noqa: E402
from careercoach.prompts import interview_prompt  # noqa: E402
from careercoach.prompts.evaluation import evaluation_prompt  # noqa: E402
from tests.unit.practice.test_offline_evaluator import (  # noqa: E402
    CORPUS,
    DONT_KNOW,
    NO_COVERAGE,
    covering_answer,
    questions,
)


def main() -> None:
    encoding = o200k()
    timings: list[float] = []
    prompt_tokens: list[int] = []
    interview_tokens: list[int] = []
    started = time.perf_counter()
    evaluate_answer(*_first(), "ko")  # knowledge base and vocabulary load: a cold start's cost
    cold_ms = (time.perf_counter() - started) * 1000
    for path in CORPUS:
        resume = ResumeInput.model_validate(json.loads(path.read_text(encoding="utf-8"))).to_content()
        for language in ("ko", "en"):
            prompt = interview_prompt(resume, count=5, language=language)
            interview_tokens.append(len(encoding.encode(prompt.system + prompt.user)))
            for question in questions(resume, language):
                good = covering_answer(question, resume, language)
                for answer in (good, NO_COVERAGE[language], DONT_KNOW[language][0]):
                    began = time.perf_counter()
                    evaluate_answer(question, answer, resume, language)
                    timings.append((time.perf_counter() - began) * 1000)
                items = neighbours(resume, question.grounding.source)
                llm = evaluation_prompt(question, items, redact_answer(good, resume), language=language)
                prompt_tokens.append(len(encoding.encode(llm.system + llm.user)))
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"offline evaluation: {len(timings)} answers over {len(CORPUS)} resumes x 2 languages x 5 questions"
    )
    print(f"  first call (loads the vocabulary and knowledge base): {cold_ms:.0f} ms")
    print(
        f"  per answer: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms,"
        f" max {timings[-1]:.1f} ms"
    )
    print("LLM evaluation prompt (system + user, a full answer), o200k_base tokens:")
    print(
        f"  median {statistics.median(prompt_tokens):.0f}, min {min(prompt_tokens)}, max {max(prompt_tokens)}"
        f"  | the interview prompt of the same resumes: median {statistics.median(interview_tokens):.0f}"
    )


def _first() -> tuple[SessionQuestion, str, ResumeContent]:
    resume = ResumeInput.model_validate(json.loads(CORPUS[0].read_text(encoding="utf-8"))).to_content()
    question = questions(resume, "ko")[0]
    return question, covering_answer(question, resume, "ko"), resume


if __name__ == "__main__":
    main()
