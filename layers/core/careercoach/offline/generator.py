"""The offline generator: interview questions and learning paths from the curated knowledge base.

No network, no key, deterministic for a given resume and options (`seed` varies the choice). It is the
local default and the last fallback when every AI provider is down; the core wraps `OfflineGenerator` as
the LLM-registry provider named `offline`, which receives the resume and options rather than a prompt."""

from __future__ import annotations

from careercoach.knowledge.loader import Knowledge, knowledge
from careercoach.models.generation import LearningPathDraft, QuestionDraft
from careercoach.models.resume import Language, ResumeContent
from careercoach.offline.extract import Profile, build_profile
from careercoach.offline.learning import draft_learning_path
from careercoach.offline.questions import draft_questions


class OfflineGenerator:
    name = "offline"

    def __init__(self, knowledge_base: Knowledge | None = None) -> None:
        self._knowledge = knowledge_base

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge if self._knowledge is not None else knowledge()

    def profile(self, resume: ResumeContent, job_description: str | None = None) -> Profile:
        """What the generator reads from the resume (skills, track, seniority...): useful for explanations."""
        return build_profile(self.knowledge, resume, job_description)

    def questions(
        self,
        resume: ResumeContent,
        *,
        count: int = 5,
        language: Language | None = None,
        seed: int = 0,
        job_description: str | None = None,
    ) -> QuestionDraft:
        return draft_questions(
            self.knowledge,
            self.profile(resume, job_description),
            count=count,
            language=language or resume.language,
            seed=seed,
        )

    def learning_path(
        self,
        resume: ResumeContent,
        *,
        language: Language | None = None,
        seed: int = 0,
        job_description: str | None = None,
    ) -> LearningPathDraft:
        return draft_learning_path(
            self.knowledge,
            self.profile(resume, job_description),
            language=language or resume.language,
            seed=seed,
        )


def generate_questions(
    resume: ResumeContent,
    *,
    count: int = 5,
    language: Language | None = None,
    seed: int = 0,
    job_description: str | None = None,
) -> QuestionDraft:
    """Exactly `count` (1-10) grounded questions; `language` defaults to the resume's."""
    return OfflineGenerator().questions(
        resume, count=count, language=language, seed=seed, job_description=job_description
    )


def generate_learning_path(
    resume: ResumeContent,
    *,
    language: Language | None = None,
    seed: int = 0,
    job_description: str | None = None,
) -> LearningPathDraft:
    """Strengths, gaps against the next level (and the job description), 5-8 steps with catalog resources."""
    return OfflineGenerator().learning_path(
        resume, language=language, seed=seed, job_description=job_description
    )
