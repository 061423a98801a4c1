"""`make quality` inside `make test`: the report over the whole corpus has no finding of the kinds that fail a
build, and the report itself catches each kind of mistake it claims to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from careercoach.models.generation import LearningPathDraft, QuestionDraft
from careercoach.models.resume import Language, ResumeContent
from careercoach.offline import OfflineGenerator
from tools import quality

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def rows() -> list[quality.Row]:
    return quality.run(CORPUS)


def test_the_corpus_report_has_no_failing_finding(rows: list[quality.Row]) -> None:
    assert len(rows) == 2 * len(list(CORPUS.glob("*.json")))
    assert not quality.failing(rows), quality.render(rows, details=60)


def test_every_quote_is_verbatim_and_the_report_counts_them(rows: list[quality.Row]) -> None:
    assert all(r.quotes >= 30 and r.quotes_ok == r.quotes for r in rows)


def test_outside_the_tracks_the_report_sees_partial_coverage(rows: list[quality.Row]) -> None:
    partial = {r.resume for r in rows if r.coverage == "partial"}
    assert partial == {"en-marketing-manager", "ko-designer", "en-sales-sparse"}


def test_the_cli_reads_any_folder_and_prints_a_row_per_resume_and_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("ko-designer.json", "en-flutter-short.json"):
        (tmp_path / name).write_text((CORPUS / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert quality.main([str(tmp_path), "--details", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith(("ko-designer ", "en-flutter-short ")) for line in lines) == 4
    assert lines[-1].startswith("TOTAL 4 runs") and "100.0% verbatim" in lines[-1]


@pytest.mark.parametrize(
    ("text", "language", "problem"),
    [
        ("Git를 배웁니다", "ko", "particle 를 should be 을"),
        ("SQL으로 조회", "ko", "particle 으로 should be 로"),
        ("\u2018결정\u2019를 확인", "ko", "particle 를 should be 을"),
        ("캐싱를 적용", "ko", "particle 를 after 싱"),
        ("A 18-week plan", "en", "article A should be an"),
        ("in a Android app", "en", "article a should be an"),
        ("aiming at mid-level level", "en", "doubled word"),
        ("Your summary says \u201cI build APIs.\u201d.", "en", "doubled punctuation"),
        ("It takes 1 weeks", "en", "plural"),
        ("{skill}을(를) 적용", "ko", "unfilled marker"),
    ],
)
def test_lint_catches(text: str, language: Language, problem: str) -> None:
    assert any(problem in found for found in quality.lint(text, language)), quality.lint(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Git을 배우고 Redis를 씁니다", "ko"),
        ("An 18-week plan for an SQL-heavy team, a REST API and a README", "en"),
        ("(latency, throughput, ...) and SELECT ... FOR UPDATE", "en"),
        ("In \u201ca Android app\u201d the candidate's own words are not judged", "en"),
    ],
)
def test_lint_passes_correct_text(text: str, language: Language) -> None:
    assert quality.lint(text, language) == []


class _Careless(OfflineGenerator):
    """The real generator with the mistakes the issue names put back in."""

    def questions(self, resume: ResumeContent, **options: Any) -> QuestionDraft:
        draft = super().questions(resume, **options)
        first = draft.questions[0]
        first.grounding.source = "work_experiences[0]"
        first.grounding.quote = "Paybridge / Platform Engineer"  # a composed label, not one field
        first.question = "In the pipeline you built with Jenkins, what stages ran?"
        draft.questions[1].question = "Git를 어떻게 쓰셨나요?"
        return draft

    def learning_path(self, resume: ResumeContent, **options: Any) -> LearningPathDraft:
        draft = super().learning_path(resume, **options)
        draft.analysis.gaps[0].area = "Kubernetes"  # listed on the resume
        draft.steps[1].title = draft.steps[0].title
        return draft


def test_the_report_catches_each_failing_kind() -> None:
    resume = quality.load(CORPUS / "en-devops-gitops-migration.json")
    row = quality.assess("careless", resume, "ko", _Careless())
    kinds = {f.kind for f in row.findings}
    assert {"quote", "old", "lint", "gap", "alike"} <= kinds, quality.render([row])
    assert row.quotes_ok < row.quotes
