"""Section headings of resumes, in Korean and English ("경력", "Work Experience", "■ 기술 스택",
"## Projects", "[학력]", "1. 자격증", "Skills:"), and the kinds of line inside a section."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from careercoach.importing.text import BULLET

Section = Literal[
    "summary",
    "experience",
    "projects",
    "skills",
    "education",
    "certifications",
    "activities",
    "awards",
    "languages",
    "contact",
    "other",
]

_HEADINGS: Final[dict[Section, tuple[str, ...]]] = {
    "summary": (
        "요약",
        "자기소개",
        "소개",
        "프로필",
        "개요",
        "경력요약",
        "경력 요약",
        "커리어 요약",
        "핵심 역량",
        "about",
        "summary",
        "profile",
        "about me",
        "professional summary",
        "career summary",
        "objective",
        "introduction",
        "overview",
        "career objective",
        "executive summary",
    ),
    "experience": (
        "경력",
        "경력사항",
        "경력 사항",
        "업무 경력",
        "직무 경력",
        "근무 경력",
        "회사 경력",
        "실무 경력",
        "경력 기술서",
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career",
        "career history",
        "relevant experience",
    ),
    "projects": (
        "프로젝트",
        "개인 프로젝트",
        "사이드 프로젝트",
        "주요 프로젝트",
        "프로젝트 경험",
        "프로젝트 경력",
        "projects",
        "personal projects",
        "side projects",
        "selected projects",
        "key projects",
        "project experience",
    ),
    "skills": (
        "기술",
        "기술 스택",
        "보유 기술",
        "스킬",
        "기술 역량",
        "사용 기술",
        "skills",
        "technical skills",
        "tech stack",
        "technologies",
        "core skills",
        "skills and tools",
        "tools",
        "technical expertise",
        "core competencies",
    ),
    "education": ("학력", "학력 사항", "교육", "교육 이력", "education", "academic background"),
    "certifications": (
        "자격증",
        "자격",
        "자격 사항",
        "자격 및 면허",
        "certifications",
        "certificates",
        "certification",
        "licenses",
        "licenses and certifications",
        "licenses & certifications",
    ),
    "activities": (
        "활동",
        "대외활동",
        "대외 활동",
        "기타 활동",
        "오픈소스",
        "오픈소스 활동",
        "동아리",
        "봉사활동",
        "커뮤니티 활동",
        "activities",
        "extracurricular activities",
        "open source",
        "volunteering",
        "volunteer experience",
        "leadership",
        "community",
    ),
    "awards": (
        "수상",
        "수상 경력",
        "수상 내역",
        "awards",
        "honors",
        "honors and awards",
        "awards and honors",
    ),
    "languages": ("어학", "외국어", "어학 능력", "languages", "language skills", "language"),
    "contact": (
        "연락처",
        "인적사항",
        "인적 사항",
        "기본 정보",
        "기본정보",
        "contact",
        "contact information",
        "personal information",
        "personal details",
        "contact details",
    ),
    "other": (
        "기타",
        "additional information",
        "interests",
        "관심사",
        "취미",
        "hobbies",
        "publications",
        "논문",
        "발표",
        "talks",
        "references",
        "추천인",
        "병역",
        "병역 사항",
        "military service",
    ),
}


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", "", text.casefold())


_LOOKUP: Final[dict[str, Section]] = {
    _key(name): section for section, names in _HEADINGS.items() for name in names
}
_DECORATION = re.compile(
    r"^[\s#>*_=~\-–—■□●○◆◇▶▷►▪▫◼◻★☆※✔✓|:：\[\]【】「」『』()（）<>《》•·]+"
    r"|[\s*_=~\-–—■□●○◆◇▶▷►▪▫◼◻★☆※|:：\[\]【】「」『』()（）<>《》•·]+$"
)
_NUMBERING = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[가-하])[.)]\s*")
_PARENTHESISED = re.compile(r"\s*[(（][^)）]{0,30}[)）]\s*$")
_JOINER = re.compile(r"\s*(?:및|&|and|/|·|,)\s*")
MAX_HEADING_CHARS: Final = 40
_INLINE = re.compile(r"^\s*(?:#+\s*)?([^:：]{1,30}?)\s*[:：]\s*(\S.*)$")


@dataclass(frozen=True, slots=True)
class Heading:
    section: Section
    rest: str | None = None  # content after "Skills: ..." on the same line


def _section_of(candidate: str) -> Section | None:
    candidate = _DECORATION.sub("", candidate).strip()
    candidate = _NUMBERING.sub("", candidate).strip()
    candidate = _PARENTHESISED.sub("", candidate).strip()
    candidate = _DECORATION.sub("", candidate).strip()
    if not candidate or len(candidate) > MAX_HEADING_CHARS:
        return None
    found = _LOOKUP.get(_key(candidate))
    if found is not None:
        return found
    parts = [part for part in _JOINER.split(candidate) if part]
    if len(parts) > 1:
        return _LOOKUP.get(_key(parts[0]))
    return None


def heading_of(line: str) -> Heading | None:
    """The section a line opens, if it is a heading (alone, or followed by its content after a colon)."""
    if not line or len(line) > 80:
        return None
    section = _section_of(line)  # decorations ("■ 경력", which reads as a bullet) are stripped
    if section is not None:
        return Heading(section)
    if line.startswith(BULLET):
        return None
    inline = _INLINE.match(line)
    if inline:
        section = _section_of(inline.group(1))
        if section is not None:
            return Heading(section, inline.group(2).strip())
    return None


def is_bullet(line: str) -> bool:
    return line.startswith(BULLET)


def bullet_text(line: str) -> str:
    return line[len(BULLET) :].strip() if line.startswith(BULLET) else line.strip()


def markdown_level(line: str) -> int:
    match = re.match(r"^(#{1,6})\s", line)
    return len(match.group(1)) if match else 0


def strip_markdown_heading(line: str) -> str:
    return re.sub(r"^#{1,6}\s+", "", line).strip()
