"""Reading the resume right: migrations, results already achieved, seniority, fields outside the tracks."""

from __future__ import annotations

import pytest

from careercoach.knowledge import knowledge
from careercoach.models.generation import LearningPathDraft, QuestionDraft
from careercoach.models.resume import ResumeContent, ResumeInput
from careercoach.offline import OfflineGenerator
from careercoach.offline.reading import about_migration, migrations, replaced_skills


def _old_new(text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(m.old, m.new) for m in migrations(knowledge().matcher, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Led the move from Jenkins to GitOps with Argo CD", [(("jenkins",), ("argocd",))]),
        ("배포 파이프라인을 Jenkins에서 Argo CD 기반 GitOps로 전환", [(("jenkins",), ("argocd",))]),
        ("주문 이벤트 브로커를 RabbitMQ에서 Kafka로 교체", [(("rabbitmq",), ("kafka",))]),
        ("MySQL을 PostgreSQL로 교체", [(("mysql",), ("postgresql",))]),
        ("Replaced RabbitMQ with Kafka for order events", [(("rabbitmq",), ("kafka",))]),
        ("Migrated 40 Jenkins jobs to GitHub Actions", [(("jenkins",), ("github_actions",))]),
        ("Jenkins → GitHub Actions 마이그레이션", [(("jenkins",), ("github_actions",))]),
        ("Moved off MongoDB after the outage", [(("mongodb",), ())]),
        ("Deprecated Jenkins once every team was on Argo CD", [(("jenkins",), ())]),
        # Not migrations: figures, a version upgrade, architecture without a tool, a move without an origin.
        ("Cut build time from 12 to 3 minutes", []),
        ("Upgraded from Java 8 to Java 17", []),
        ("Deprecated the Python 2 workers", []),
        ("Led the move from a monolith to event-driven services on Kubernetes", []),
        ("30개 마이크로서비스를 EKS로 이전하고 GitOps 배포 체계 구축", []),
    ],
)
def test_migrations(text: str, expected: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> None:
    assert _old_new(text) == expected


def test_a_sentence_about_a_replaced_tool_is_about_the_migration_only_when_it_says_so() -> None:
    matcher = knowledge().matcher
    migration = replaced_skills(matcher, ["Led the move from Jenkins to GitOps with Argo CD"])["jenkins"]
    assert about_migration("Why did you move off Jenkins?", migration, matcher)
    assert about_migration("Jenkins와 Argo CD를 함께 운영한 기간은?", migration, matcher)
    assert not about_migration("In the pipeline you built with Jenkins, what stages ran?", migration, matcher)


def _texts(draft: QuestionDraft | LearningPathDraft) -> list[str]:
    if isinstance(draft, QuestionDraft):
        return [t for q in draft.questions for t in (q.question, q.intent, *q.key_points, *q.follow_ups)]
    texts = [draft.summary, *(s.area for s in draft.analysis.strengths)]
    return texts + [t for s in draft.steps for t in (s.title, s.why, s.milestone, *s.actions)]


@pytest.mark.parametrize("name", ["en-devops-gitops-migration", "ko-backend-migration"])
def test_a_replaced_tool_is_asked_about_only_as_a_migration(
    name: str, generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    resume = corpus[name]
    profile = generator.profile(resume)
    assert "jenkins" in profile.replaced
    assert profile.has("jenkins") and not profile.current("jenkins")  # still listed, never a gap
    matcher = generator.knowledge.matcher
    for language in ("ko", "en"):
        questions = generator.questions(resume, count=10, language=language)
        for q in questions.questions:
            whole = " ".join([q.question, q.intent, *q.key_points, *q.follow_ups])
            if any(m.skill_id == "jenkins" for m in matcher.in_text(q.question)):
                assert about_migration(whole, profile.replaced["jenkins"], matcher), q.question
        path = generator.learning_path(resume, language=language)
        assert not any("Jenkins" in s.area for s in path.analysis.strengths)
        assert not any("Jenkins" in s.title for s in path.steps if s.type == "deepen_strength")
    # The migration itself is the story: one question asks why and how the team moved.
    first = generator.questions(resume, count=5, language="en").questions
    assert any("Jenkins" in q.question and ("move" in q.question or "leave" in q.question) for q in first)


def test_a_result_already_achieved_is_not_asked_for_again(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    for name in ("en-data-engineer-mid", "en-ml-achieved-results", "en-devops-gitops-migration"):
        for seed in range(4):
            for language in ("ko", "en"):
                draft = generator.questions(corpus[name], count=10, language=language, seed=seed)
                for q in draft.questions:
                    asked = q.question
                    assert "far faster" not in asked and "훨씬 빠르게" not in asked, (name, asked)


def test_a_gap_is_never_something_the_resume_says_was_solved(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    resume = corpus["en-ml-achieved-results"]
    label = knowledge().expectations["ml_data"].label.en
    for seed in range(3):
        gaps = [g.area for g in generator.learning_path(resume, language="en", seed=seed).analysis.gaps]
        assert label not in gaps


def test_difficulty_follows_seniority(generator: OfflineGenerator, corpus: dict[str, ResumeContent]) -> None:
    for name in ("en-staff-platform", "ko-staff-backend-9y", "en-principal-long", "ko-devops-senior"):
        difficulties = [q.difficulty for q in generator.questions(corpus[name], count=10).questions]
        assert difficulties.count("hard") >= 7 and "easy" not in difficulties, (name, difficulties)
    for name in ("ko-backend-newgrad", "ko-frontend-newgrad", "en-ml-newgrad"):
        difficulties = [q.difficulty for q in generator.questions(corpus[name], count=10).questions]
        assert "hard" not in difficulties and difficulties.count("easy") >= 3, (name, difficulties)


def test_portfolio_projects_and_durations_follow_seniority(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    newgrad = generator.learning_path(corpus["ko-backend-newgrad"], language="en")
    three_years = generator.learning_path(corpus["en-backend-3y"], language="en")
    first, second = (next(s for s in d.steps if s.type == "project") for d in (newgrad, three_years))
    assert first.title != second.title
    assert "Kafka" not in " ".join([first.title, *first.actions])
    assert first.estimated_weeks <= second.estimated_weeks
    git = [s for s in newgrad.steps if "Git" in s.title]
    assert all(s.estimated_weeks <= 2 for s in git)


def test_no_two_steps_alike_and_actions_in_the_steps_own_technology(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    jd = "We build services in Go and Rust on Kubernetes."
    for name, resume in corpus.items():
        for language in ("ko", "en"):
            path = generator.learning_path(resume, language=language, job_description=jd)
            titles = [s.title for s in path.steps]
            assert len(set(titles)) == len(titles), (name, titles)
            actions = [a for s in path.steps for a in s.actions]
            assert len(set(actions)) == len(actions), (name, actions)
            milestones = [s.milestone for s in path.steps]
            assert len(set(milestones)) == len(milestones), (name, milestones)
            for step in path.steps:
                if step.type == "close_gap" and "Go" in step.title.split():
                    assert "Python" not in " ".join(step.actions), step


@pytest.mark.parametrize("name", ["en-marketing-manager", "ko-designer", "en-sales-sparse"])
def test_outside_the_tracks_the_output_is_honest(
    name: str, generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    resume = corpus[name]
    k = generator.knowledge
    for language in ("ko", "en"):
        questions = generator.questions(resume, count=10, language=language)
        path = generator.learning_path(resume, language=language)
        for draft in (questions, path):
            assert draft.coverage is not None and draft.coverage.level == "partial"
            assert draft.coverage.reason
        assert {q.category for q in questions.questions} <= {
            "behavioral",
            "collaboration",
            "problem_solving",
            "project_deep_dive",
        }
        named = {m.skill_id for t in _texts(questions) + _texts(path) for m in k.matcher.in_text(t)}
        assert not {s for s in named if k.skills[s].kind != "practice"}, named  # no stack advice
        for text in _texts(questions) + _texts(path):
            assert "developer" not in text and "개발자" not in text, text
            assert "technical disagreement" not in text, text


def test_engineering_resumes_have_full_coverage(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    for name in ("resume-ko-backend", "en-sparse-summary", "ko-sparse-summary", "ko-mixed-language"):
        assert generator.questions(corpus[name], count=5).coverage is None
        assert generator.learning_path(corpus[name]).coverage is None


def test_a_marketing_word_in_an_engineers_resume_is_not_outside(generator: OfflineGenerator) -> None:
    resume = ResumeInput.model_validate(
        {"career_summary": "Marketing site developer building with Next.js", "tech_skills": ["Next.js"]}
    ).to_content()
    assert generator.profile(resume).outside_field is None


def test_grounding_quotes_are_fields_of_the_resume_never_composed_labels(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    for name, resume in corpus.items():
        headers = {f"work_experiences[{i}]": job for i, job in enumerate(resume.work_experiences)}
        for seed in range(2):
            for q in generator.questions(resume, count=10, seed=seed).questions:
                job = headers.get(q.grounding.source)
                if job is not None:
                    fields = [job.company, job.position, job.duration, job.project_name]
                    assert any(f and q.grounding.quote in f for f in fields), (name, q.grounding)
