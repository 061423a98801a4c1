"""The offline extractor on layouts written by hand, unlike the corpus renderer's: English and Korean
section names and decorations, other entry headers, labelled fields, unlabelled skills, activities and
awards, and lines it cannot place."""

from __future__ import annotations

from datetime import date

from careercoach.importing.draft import ResumeDraft
from careercoach.importing.offline import OfflineExtractor, join_wrapped
from careercoach.importing.text import normalise

TODAY = date(2026, 12, 1)


def extract(text: str, language: str = "en", *, wrapped: bool = False) -> tuple[ResumeDraft, list[str]]:
    return OfflineExtractor().extract(normalise(text), language=language, today=TODAY, wrapped=wrapped)  # type: ignore[arg-type]


ENGLISH = """Backend Engineer
PROFESSIONAL SUMMARY
Backend engineer with 6 years in payments.
Likes boring technology.

PROFESSIONAL EXPERIENCE
Senior Software Engineer at Ledgerly
Mar 2021 – Present
Technologies: Go, PostgreSQL, Kafka
Team size: 12 engineers
- Cut settlement time from 2 hours to 9 minutes
- Led the move to event sourcing

Payfast — Software Engineer — Jan 2018 - Feb 2021
* Built the card tokenisation service

TECHNICAL SKILLS
Go, Python, PostgreSQL, Redis, Kubernetes, Terraform, Domain-driven design, Fancy In-house Tool

Open Source
kafka-lag-exporter | maintainer | 2020 - 2023
- 1,200 GitHub stars

Awards
Hackathon winner (Payfast, 2019)

Education
University of Toronto, B.Sc. Computer Science, 2013 - 2017

Interests
Climbing, chess
"""


def test_an_english_resume_with_other_conventions() -> None:
    draft, warnings = extract(ENGLISH)
    assert draft.job_roles == ["Backend Engineer"]
    assert draft.summary == "Backend engineer with 6 years in payments. Likes boring technology."
    first, second = draft.work_experiences
    assert (first.company, first.position, first.duration) == (
        "Ledgerly",
        "Senior Software Engineer",
        "Mar 2021 – Present",
    )
    assert first.tech_stack == ["Go", "PostgreSQL", "Kafka"] and first.team_size == 12
    assert first.achievements == [
        "Cut settlement time from 2 hours to 9 minutes",
        "Led the move to event sourcing",
    ]
    assert (second.company, second.position, second.duration) == (
        "Payfast",
        "Software Engineer",
        "Jan 2018 - Feb 2021",
    )
    assert second.achievements == ["Built the card tokenisation service"]
    # 2018.01 - 2026.12: ranges meet, so counted as one span of 108 months
    assert draft.total_experience_months == 108
    # unlabelled skills are grouped by what the knowledge base says they are; unknown ones go to "others"
    skills = draft.technical_skills
    assert skills["languages"] == ["Go", "Python"]
    assert set(skills["databases"]) == {"PostgreSQL", "Redis"}
    assert "Fancy In-house Tool" in skills["others"]
    assert "Kubernetes" in skills["platforms"] and "Terraform" in skills["tools"]
    # activities become personal projects; awards become certifications with their issuer and date
    project = draft.personal_projects[0]
    assert (project.name, project.role, project.period) == ("kafka-lag-exporter", "maintainer", "2020 - 2023")
    assert project.key_achievements == ["1,200 GitHub stars"]
    assert draft.certifications[0].model_dump(exclude_none=True) == {
        "name": "Hackathon winner",
        "issuer": "Payfast",
        "issue_date": "2019",
    }
    education = draft.education[0]
    assert (education.institution, education.degree, education.major, education.period) == (
        "University of Toronto",
        "B.Sc.",
        "Computer Science",
        "2013 - 2017",
    )
    # what fits nowhere is kept visible, never dropped
    assert draft.unplaced == ["Climbing, chess"]
    assert warnings == []


KOREAN = """■ 경력사항
회사명: 메가커머스
직책: 테크 리드
기간: 2019.01 ~ 현재
프로젝트: 결제 플랫폼 재구축
사용 기술: Kotlin / Spring Boot / Kafka
▪ 결제 API p99 1.5초에서 300ms로 개선
프로젝트: 정산 시스템
▪ 정산 배치 시간 40% 단축

[보유 기술]
언어: Kotlin, Java
인프라: Kubernetes, AWS(EC2, S3)

【 학력 】
한국대학교 컴퓨터공학과 학사 졸업 (2009.03 - 2013.02)

3. 자격증
정보처리기사 (한국산업인력공단, 2012.11)
"""


def test_a_korean_resume_with_labels_and_decorated_headings() -> None:
    draft, warnings = extract(KOREAN, "ko")
    first, second = draft.work_experiences
    assert (first.company, first.position, first.duration) == ("메가커머스", "테크 리드", "2019.01 ~ 현재")
    assert first.project_name == "결제 플랫폼 재구축" and first.tech_stack == [
        "Kotlin",
        "Spring Boot",
        "Kafka",
    ]
    assert first.achievements == ["결제 API p99 1.5초에서 300ms로 개선"]
    # a second project under the same job keeps its company
    assert (second.company, second.project_name, second.achievements) == (
        "메가커머스",
        "정산 시스템",
        ["정산 배치 시간 40% 단축"],
    )
    assert draft.technical_skills == {
        "languages": ["Kotlin", "Java"],
        "infrastructure": ["Kubernetes", "AWS", "EC2", "S3"],
    }
    education = draft.education[0]
    assert (education.institution, education.major, education.degree, education.status) == (
        "한국대학교",
        "컴퓨터공학과",
        "학사",
        "졸업",
    )
    assert draft.education[0].period == "2009.03 - 2013.02"
    assert draft.certifications[0].model_dump(exclude_none=True) == {
        "name": "정보처리기사",
        "issuer": "한국산업인력공단",
        "issue_date": "2012.11",
    }
    # no summary section and no text above the first heading: one is put together, and the report says so
    assert any("No summary was found" in warning for warning in warnings)


def test_text_above_the_first_heading_is_the_summary_when_there_is_no_summary_section() -> None:
    draft, warnings = extract(
        "3년차 백엔드 개발자, Spring Boot/MSA/Python 기반 커머스 서비스 개발, AWS EC2 운영 경험", "ko"
    )
    assert draft.summary.startswith("3년차 백엔드 개발자")
    assert draft.work_experiences == [] and any("no summary heading" in warning for warning in warnings)


def test_lines_broken_at_the_margin_are_joined_back() -> None:
    long = "• " + "가" * 40 + " 나다라 " + "마" * 10
    lines = [long, "이어지는 줄입니다", "• 다음 항목", "짧은 줄", "회사명", "2020.01 ~ 2021.01"]
    assert join_wrapped(lines) == [
        f"{long} 이어지는 줄입니다",
        "• 다음 항목",
        "짧은 줄",
        "회사명",
        "2020.01 ~ 2021.01",
    ]


def test_bounds_of_the_resume_model_are_kept_with_a_warning() -> None:
    text = "Summary\nShort.\nExperience\nAcme | Engineer | 2020 - 2021\n- " + "word " * 200
    draft, warnings = extract(text)
    assert len(draft.work_experiences[0].achievements[0]) <= 500
    assert any("shortened" in warning for warning in warnings)
