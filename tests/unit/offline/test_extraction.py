"""Reading the resume: skill mentions, metrics, Korean particles, track and seniority."""

from __future__ import annotations

import pytest

from careercoach.knowledge import knowledge
from careercoach.models.resume import ResumeInput
from careercoach.offline import OfflineGenerator
from careercoach.offline.metrics import find_metric
from careercoach.offline.render import josa


def _ids(text: str) -> list[str]:
    return [m.skill_id for m in knowledge().matcher.in_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Google Cloud and Go services; go to market fast", ["gcp", "go"]),  # not Go inside Google
        ("스프링부트로 개발했고 자바스크립트와 자바를 씁니다", ["spring_boot", "javascript", "java"]),
        ("Redis 캐싱으로 응답 단축", ["redis", "caching"]),
        ("Saga 패턴으로 분산 트랜잭션 정합성 확보", ["distributed_transactions", "distributed_transactions"]),
        ("Node.js, CI/CD, OAuth 2.0, 스프링 부트를 사용", ["nodejs", "ci_cd", "oauth", "spring_boot"]),
        ("Docker Compose and Jetpack Compose", ["docker", "jetpack_compose"]),
        ("we react quickly; built with React Native", ["react_native"]),  # lowercase "react" is a verb
        ("C++ and C# services", ["cpp", "csharp"]),
        ("몽고DB와 Kafka를 운영", ["mongodb", "kafka"]),
        ("Spring, Boot", ["spring_boot"]),  # a comma is not part of a name
    ],
)
def test_skill_mentions_in_free_text(text: str, expected: list[str]) -> None:
    assert _ids(text) == expected


def test_list_entries_match_whole_names_in_any_spelling() -> None:
    matcher = knowledge().matcher
    for entry in ("springboot", "Spring-Boot", "스프링 부트", "SPRING BOOT"):
        assert matcher.key_owner(entry) == "spring_boot"
    assert matcher.key_owner("Go") == "go"
    assert matcher.key_owner("Express") == "express"  # list-only alias
    assert _ids("Express delivery") == []
    assert [m.skill_id for m in matcher.in_entry("AWS EC2")] == ["aws"]


@pytest.mark.parametrize(
    ("text", "kind", "span", "before", "after"),
    [
        (
            "상품 조회 API p95 응답시간 420ms에서 180ms로 단축",
            "latency",
            "420ms에서 180ms로",
            "420ms",
            "180ms",
        ),
        ("Cut build time from 12 to 3 minutes", "latency", "from 12 to 3 minutes", "12", "3 minutes"),
        ("배포 시간 30분 → 5분", "latency", "30분 → 5분", "30분", "5분"),
        ("production UI incidents down 40%", "percent", "down 40%", None, None),
        ("결제 이벤트 유실 0건 달성", "zero", "0건", None, None),
        ("처리량 3배 향상", "multiplier", "3배", None, None),
        ("동시 접속 1,000명 부하 테스트 통과", "scale", "1,000명", None, None),
        ("Handled 5,000 TPS at peak", "throughput", "5,000 TPS", None, None),
        ("cut bundle size by a third", "percent", "by a third", None, None),
    ],
)
def test_metrics(text: str, kind: str, span: str, before: str | None, after: str | None) -> None:
    metric = find_metric(text)
    assert metric is not None
    assert (metric.kind, metric.text, metric.before, metric.after) == (kind, span, before, after)
    assert metric.text in text


@pytest.mark.parametrize(
    "text", ["Made the design system meet WCAG 2.1 AA", "Java 17 migration", "p99 improved"]
)
def test_no_metric_in_versions_or_percentile_names(text: str) -> None:
    assert find_metric(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Redis을(를)", "Redis를"),
        ("Python을(를)", "Python을"),
        ("PostgreSQL와(과)", "PostgreSQL과"),
        ("SQL(으)로", "SQL로"),
        ("Helm(으)로", "Helm으로"),
        ("AWS을(를)", "AWS를"),
        ("LLM이(가)", "LLM이"),
        ("\u2018주문 전환\u2019을(를)", "\u2018주문 전환\u2019을"),
        ("부하 테스트을(를)", "부하 테스트를"),
        ("Spring Boot (JVM 백엔드)와(과)", "Spring Boot (JVM 백엔드)와"),
    ],
)
def test_korean_particles_follow_the_final_sound(text: str, expected: str) -> None:
    assert josa(text) == expected


@pytest.mark.parametrize(
    ("resume", "track", "level"),
    [
        ({"career_summary": "3년차 백엔드 개발자", "tech_skills": ["Spring Boot"]}, "backend", "mid"),
        ({"career_summary": "Senior iOS engineer", "tech_skills": ["Swift"]}, "mobile", "senior"),
        ({"career_summary": "신입 프론트엔드 개발자", "tech_skills": ["React"]}, "frontend", "junior"),
        ({"career_summary": "Data engineer, 6 years", "tech_skills": ["Airflow", "Spark"]}, "data", "mid"),
        (
            {
                "career_summary": "Full-stack developer",
                "tech_skills": ["React", "Node.js"],
                "years_experience": 8,
            },
            "fullstack",
            "senior",
        ),
        (
            {"career_summary": "Developer", "tech_skills": ["Terraform", "Kubernetes", "Prometheus"]},
            "devops",
            "junior",
        ),
        ({"career_summary": "보안관제와 모의해킹 5년", "tech_skills": ["Splunk"]}, "security", "mid"),
        (
            {"career_summary": "Builds LLM features", "tech_skills": ["PyTorch", "RAG", "LangChain"]},
            "ai_ml",
            "junior",
        ),
    ],
)
def test_track_and_seniority(resume: dict[str, object], track: str, level: str) -> None:
    profile = OfflineGenerator().profile(ResumeInput.model_validate(resume).to_content())
    assert (profile.track, profile.level) == (track, level)


def test_senior_title_with_five_years_counts_as_senior() -> None:
    content = ResumeInput.model_validate(
        {
            "summary": "Frontend engineer",
            "total_experience_months": 62,
            "work_experiences": [{"company": "Acme", "position": "Senior Frontend Engineer"}],
        }
    ).to_content()
    profile = OfflineGenerator().profile(content)
    assert profile.level == "senior" and profile.next_level == "senior"
