"""The offline extractor: resume text -> ResumeDraft, deterministic, no network.

It is the local default and the last fallback of the LLM structurer. It reads the redacted text (the same
text a provider would get), so both paths see exactly the same input. What it does:
- joins lines that a PDF (or a hard-wrapped text file) broke at the right margin back into one;
- splits the text into sections by their headings (sections.py);
- experience: an entry per header ("Company | Position | 2021.03 ~ 현재", "Company" then "Position,
  Mar 2021 - Present", "Position at Company", a Markdown/Word sub-heading), labelled lines ("기술 스택:",
  "Team size:", "Project:") as fields, bullets as achievements, other lines as the project description;
- projects and activities alike into personal_projects; awards and language tests into certifications;
- skills matched against the knowledge base, grouped by the document's own labels ("Languages: ...") or,
  unlabelled, by what the knowledge base says the skill is (language, framework, database, ...);
- total experience from the work experience date ranges, overlaps counted once.
Every line it cannot place is returned in `unplaced` (the report's warnings), never dropped."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from careercoach.importing.dates import DateRange, find_date, find_range, total_months
from careercoach.importing.draft import ResumeDraft
from careercoach.importing.sections import (
    Section,
    bullet_text,
    heading_of,
    is_bullet,
    markdown_level,
    strip_markdown_heading,
)
from careercoach.knowledge.loader import Knowledge, knowledge
from careercoach.knowledge.matching import alias_key
from careercoach.models.resume import Language

# Field bounds of the resume model (models/resume.py).
_LABEL, _SHORT, _ITEM, _PARAGRAPH, _SUMMARY, _SKILL = 200, 100, 500, 2000, 5000, 60
_MAX_ENTRIES, _MAX_ITEMS, _MAX_STACK, _MAX_SKILLS, _MAX_GROUPS = 30, 30, 50, 100, 20

_ROLE_WORDS = re.compile(
    r"개발자|엔지니어|리드|매니저|인턴|팀장|파트장|실장|본부장|이사|대표|연구원|디자이너|기획자|컨설턴트|아키텍트|"
    r"분석가|관리자|책임|선임|수석|주임|사원|대리|과장|차장|부장|담당|"
    r"\b(?:cto|ceo|cio|vp|sre|pm|po|engineer|developer|lead|manager|intern|architect|scientist|analyst|consultant|designer|researcher|"
    r"director|head|officer|specialist|administrator|programmer|founder|co-founder|owner|coordinator|"
    r"associate|principal|staff|contractor|freelancer|technician)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:\||｜|·|•|∙|\t| {3,}| — | – | - |, )\s*")
_AT = re.compile(r"^(?P<position>.+?)\s+(?:at|@)\s+(?P<company>.+)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?:[.!?。]|다|요|함|음|됨|임)\.?$")
_LABELLED = re.compile(r"^\s*(?P<label>[^:：]{1,24}?)\s*[:：]\s*(?P<value>\S.*)$")
_FIELD_LABELS: Final[dict[str, re.Pattern[str]]] = {
    name: re.compile(rf"^(?:{pattern})$", re.IGNORECASE)
    for name, pattern in {
        "tech": r"기술\s*스택|사용\s*기술|주요\s*기술|기술|스택|개발\s*환경|환경"
        r"|tech(?:nologies|nology)?(?:\s*stack)?|stack|tools?|skills?(?:\s*used)?|built with",
        "team": r"팀\s*규모|팀\s*구성|인원|규모|team(?:\s*size)?",
        "project": r"프로젝트(?:\s*명)?|project(?:\s*name)?",
        "description": r"설명|내용|개요|소개|description|about|담당\s*업무|주요\s*업무|업무|overview",
        "role": r"역할|담당|role|position|직책|직무|직급|title",
        "period": r"기간|period|duration|dates?|재직\s*기간",
        "achievements": r"(?:주요\s*)?성과|achievements?|results?|key\s*achievements|impact",
        "company": r"회사(?:\s*명)?|company|employer|소속|organi[sz]ation",
    }.items()
}
_TEAM_SIZE = re.compile(r"(\d{1,5})\s*(?:명|인|people|persons|members|engineers|devs)?", re.IGNORECASE)
_TEAM_IN_HEADER = re.compile(
    r"(?:팀\s*(?:원)?\s*(\d{1,5})\s*명|(\d{1,5})\s*인\s*팀|team\s*of\s*(\d{1,5}))", re.I
)
_INSTITUTION = re.compile(
    r"대학교|대학원|대학|학교|학원|부트캠프|아카데미|캠퍼스|\b(?:university|college|institute|school|academy|"
    r"bootcamp|polytechnic|kaist|postech|gist|unist|dgist|mit|caltech)\b",
    re.IGNORECASE,
)
_DEGREE = re.compile(
    r"^(?:전문\s*학사|학사|석사|박사|석박사\s*통합|수료|bachelor(?:'s)?(?:\s+of\s+\w+)?|master(?:'s)?(?:\s+of\s+\w+)?|"
    r"ph\.?\s?d\.?|b\.?\s?s\.?c?\.?|m\.?\s?s\.?c?\.?|b\.?\s?a\.?|m\.?\s?b\.?\s?a\.?|b\.?\s?eng\.?|m\.?\s?eng\.?|"
    r"associate(?:'s)?|diploma|doctorate)(?:\s+degree)?$",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"^(?:졸업\s*예정|졸업|재학\s*중|재학|휴학|수료|중퇴|편입|graduated|expected(?:\s+\d{4})?|in progress|"
    r"completed|dropped out|enrolled)$",
    re.IGNORECASE,
)
_CATEGORY_LABELS: Final = {
    "언어": "languages",
    "프로그래밍 언어": "programming_languages",
    "프레임워크": "frameworks",
    "라이브러리": "libraries",
    "데이터베이스": "databases",
    "db": "databases",
    "인프라": "infrastructure",
    "클라우드": "cloud",
    "도구": "tools",
    "툴": "tools",
    "협업 도구": "collaboration_tools",
    "기타": "others",
    "모바일": "mobile",
    "프론트엔드": "frontend",
    "백엔드": "backend",
    "데이터": "data",
    "보안": "security",
    "머신러닝": "ml",
    "ml": "ml",
    "ai": "ai",
    "devops": "devops",
    "데브옵스": "devops",
    "운영": "operations",
    "모니터링": "observability",
    "관측성": "observability",
    "테스트": "testing",
    "메시징": "messaging",
}
_KIND_GROUP: Final = {
    "language": "languages",
    "framework": "frameworks",
    "library": "frameworks",
    "database": "databases",
    "platform": "platforms",
    "tool": "tools",
    "practice": "practices",
}
_LABELLED_SECTIONS: Final = frozenset({"experience", "projects", "activities", "skills", "education"})
_LIST_SEPARATORS: Final = ",，、;|｜·•∙"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int, warnings: list[str], what: str) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    warnings.append(f"{what} was longer than {limit} characters and was shortened.")
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip()


def _labelled(line: str) -> tuple[str, str] | None:
    match = _LABELLED.match(bullet_text(line))
    if match is None:
        return None
    label = " ".join(match.group("label").split())
    for name, pattern in _FIELD_LABELS.items():
        if pattern.match(label):
            return name, match.group("value").strip()
    return None


def join_wrapped(lines: list[str]) -> list[str]:
    """Join lines broken at the right margin (PDF and hard-wrapped text): a line that fills the page's
    full width, followed by a line that starts nothing new, is one line. "Nothing new": not a bullet, a
    heading, a labelled field or a date line, and not a short line right above a date line (a company)."""
    widths = [_width(line) for line in lines]
    full = max(widths, default=0)
    if full < 50:
        return lines
    joined: list[str] = []
    for index, line in enumerate(lines):
        previous = joined[-1] if joined else ""
        following = lines[index + 1] if index + 1 < len(lines) else ""
        continues = (
            previous.strip()
            and line.strip()
            and _width(previous) >= 0.85 * full
            and heading_of(previous) is None
            and not is_bullet(line)
            and heading_of(line) is None
            and markdown_level(line) == 0
            and find_range(line) is None
            and _labelled(line) is None
            and not (_width(line) <= 40 and find_range(following) is not None)
        )
        if continues:
            joined[-1] = f"{previous.rstrip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


@dataclass
class _Segment:
    section: Section | None  # None: the header before the first heading
    lines: list[str] = field(default_factory=list)


def segments(lines: list[str]) -> list[_Segment]:
    found = [_Segment(None)]
    for line in lines:
        heading = heading_of(line)
        current = found[-1].section
        if heading is not None and heading.rest is not None and current in _LABELLED_SECTIONS:
            heading = None  # "기술 스택: ..." inside an entry, "Others: ..." among skills: fields
        if heading is None and markdown_level(line) == 1 and current is not None and not found[-1].lines:
            heading = None
        if heading is not None:
            found.append(_Segment(heading.section))
            if heading.rest:
                found[-1].lines.append(heading.rest)
        else:
            found[-1].lines.append(line)
    return found


def _parts(text: str) -> list[str]:
    return [part.strip(" |,") for part in _SEPARATORS.split(text) if part and part.strip(" |,")]


def _is_role(text: str) -> bool:
    return _ROLE_WORDS.search(text) is not None


def _looks_like_header(line: str) -> bool:
    text = strip_markdown_heading(line)
    return (
        markdown_level(line) > 0
        or find_range(text) is not None
        or ("|" in text and _width(text) <= 120)
        or (_width(text) <= 60 and not _SENTENCE_END.search(text))
    )


def _team_size(text: str) -> int | None:
    match = _TEAM_SIZE.search(text)
    if match is None:
        return None
    value = int(match.group(1))
    return value if 1 <= value <= 100_000 else None


@dataclass
class _Entry:
    header: list[str] = field(default_factory=list)
    dates: DateRange | None = None
    description: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    tech: list[str] = field(default_factory=list)

    @property
    def has_body(self) -> bool:
        return bool(self.bullets or self.description or self.tech or self.fields)

    @property
    def has_content(self) -> bool:
        return bool(self.bullets or self.description or self.tech)


def _entries(lines: list[str]) -> tuple[list[_Entry], list[str]]:
    """Group a section's lines into entries; lines before any entry header are returned as unplaced."""
    entries: list[_Entry] = []
    unplaced: list[str] = []
    current: _Entry | None = None
    blank_before = False
    for raw in lines:
        line = raw.strip()
        if not line:
            blank_before = True
            continue
        labelled = _labelled(line)
        dates = find_range(line) if not is_bullet(line) else None
        if (
            labelled is not None
            and labelled[0] in ("company", "project")
            and (current is None or current.has_content or labelled[0] in current.fields)
        ):
            current = _Entry()  # "회사명: ..." / "Project: ..." opening an entry of its own
            entries.append(current)
        if labelled is not None and current is not None:
            name, value = labelled
            if name == "tech":
                current.tech.extend(_split_skills(value))
            elif name == "achievements":
                current.bullets.append(value)
            elif name == "period" and current.dates is None:
                current.dates = find_range(value)
                current.fields.setdefault("period", value)
            else:
                current.fields.setdefault(name, value)
        elif is_bullet(line):
            if current is None:
                unplaced.append(bullet_text(line))
            else:
                current.bullets.append(bullet_text(line))
        elif dates is not None or markdown_level(line) > 0:
            text = strip_markdown_heading(line)
            attach = (
                current is not None
                and not current.has_body
                and current.dates is None
                and dates is not None
                and markdown_level(line) == 0
            )
            if not attach:
                current = _Entry()
                entries.append(current)
            assert current is not None
            if dates is not None:
                current.dates = dates
                text = (text[: dates.span[0]] + " " + text[dates.span[1] :]).strip(" |,·-–—()")
            if text:
                current.header.append(text)
        else:
            new_entry = current is None or (
                current.has_body
                and _looks_like_header(line)
                and (blank_before or bool(current.bullets) or bool(current.tech))
            )
            if new_entry:
                current = _Entry(header=[line])
                entries.append(current)
            elif (
                current is not None
                and not current.has_body
                and len(current.header) == 1
                and len(_parts(current.header[0])) == 1
                and _width(line) <= 60
            ):
                current.header.append(line)  # "Company" then "Position" on the next line
            elif current is not None:
                current.description.append(line)
        blank_before = False
    return entries, unplaced


def _split_header(entry: _Entry) -> dict[str, Any]:
    parts: list[str] = []
    for line in entry.header:
        at = _AT.match(line)
        if at and _is_role(at.group("position")):
            parts.extend([at.group("position"), at.group("company")])
        else:
            parts.extend(_parts(line))
    result: dict[str, Any] = {}
    rest: list[str] = []
    for part in parts:
        team = _TEAM_IN_HEADER.search(part)
        if team:
            result.setdefault("team_size", int(next(g for g in team.groups() if g)))
            if not _TEAM_IN_HEADER.sub("", part).strip(" ()[],"):
                continue
        if "position" not in result and _is_role(part) and (rest or len(parts) > 1):
            result["position"] = part
        else:
            rest.append(part)
    if rest:
        result["company"] = rest[0]
    if len(rest) > 1:
        if "position" not in result:
            result["position"] = rest[1]
            rest = rest[:1] + rest[2:]
        if len(rest) > 1:
            result["extra"] = rest[1:]
    return result


_MAJOR_WORD = re.compile(r"(?:학과|학부|전공|과)$")


def _pieces(part: str) -> list[str]:
    """An education part split into its words' roles: "B.Sc. Computer Science" -> degree, major;
    "한국대학교 컴퓨터공학과 학사 졸업" -> institution, major, degree, status."""
    words = part.split()
    if len(words) < 2:
        return [part]
    pieces: list[str] = []
    current: list[str] = []
    for index, word in enumerate(words):
        pair = " ".join(words[index : index + 2])
        korean_role = re.search(r"[가-힣]", word) and (_MAJOR_WORD.search(word) or _INSTITUTION.search(word))
        if _DEGREE.match(word) or _STATUS.match(word) or _STATUS.match(pair) or korean_role:
            if current:
                pieces.append(" ".join(current))
            pieces.append(word)
            current = []
        else:
            current.append(word)
    if current:
        pieces.append(" ".join(current))
    merged: list[str] = []
    for piece in pieces:  # "졸업" + "예정" read back as one status
        if merged and _STATUS.match(f"{merged[-1]} {piece}"):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _split_skills(text: str) -> list[str]:
    """Skill names in a list ("Java, Spring Boot / JPA", "AWS (EC2, S3)"); parentheses kept together."""
    items: list[str] = []
    depth, current = 0, ""
    for ch in text:
        if ch in "([（":
            depth += 1
        elif ch in ")]）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in _LIST_SEPARATORS:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    result: list[str] = []
    for item in items:
        for piece in re.split(r"\s+(?:and|및)\s+", item.strip()):
            piece = piece.strip(" .")
            if not piece:
                continue
            inner = re.match(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)$", piece)
            if inner:
                result.append(inner.group("outer").strip())
                result.extend(p.strip() for p in re.split(r"[,/，]", inner.group("inner")) if p.strip())
            elif "/" in piece and knowledge().skill_id(piece) is None:
                result.extend(p.strip() for p in piece.split("/") if p.strip())
            else:
                result.append(piece)
    return result


class OfflineExtractor:
    """Deterministic structuring of redacted resume text; `today` makes "현재" countable."""

    def __init__(self, *, kb: Knowledge | None = None) -> None:
        self._kb = kb

    @property
    def kb(self) -> Knowledge:
        return self._kb if self._kb is not None else knowledge()

    def extract(
        self, text: str, *, language: Language, today: date, wrapped: bool
    ) -> tuple[ResumeDraft, list[str]]:
        """The draft, and warnings about what had to be shortened or guessed (unplaced lines are in the
        draft's `unplaced`)."""
        warnings: list[str] = []
        unplaced: list[str] = []
        lines = text.split("\n")
        if wrapped:
            lines = join_wrapped(lines)
        draft: dict[str, Any] = {
            "language": language,
            "job_roles": [],
            "work_experiences": [],
            "personal_projects": [],
            "technical_skills": {},
            "certifications": [],
            "education": [],
        }
        summary_lines: list[str] = []
        header_prose: list[str] = []
        ranges: list[DateRange] = []
        for segment in segments(lines):
            content = [line for line in segment.lines if line.strip()]
            if segment.section is None:
                self._header(content, draft, header_prose)
            elif segment.section == "summary":
                summary_lines.extend(bullet_text(line) for line in content)
            elif segment.section == "experience":
                ranges += self._experience(segment.lines, draft, unplaced, warnings)
            elif segment.section in ("projects", "activities"):
                self._projects(segment.lines, draft, unplaced, warnings)
            elif segment.section == "skills":
                self._skills(content, draft, unplaced)
            elif segment.section == "education":
                self._education(content, draft, unplaced, warnings)
            elif segment.section in ("certifications", "awards", "languages"):
                self._certifications(content, draft, unplaced, warnings)
            else:  # other sections: kept visible as unplaced lines
                unplaced.extend(bullet_text(line) for line in content)
        summary = " ".join(summary_lines)
        if summary and header_prose:
            unplaced.extend(header_prose)
        elif header_prose:
            summary = " ".join(header_prose)
            warnings.append("The summary is the text at the top of the document (it had no summary heading).")
        if not summary:
            summary = self._fallback_summary(draft, lines)
            warnings.append(
                "No summary was found; one was put together from the first lines of the document."
            )
        draft["summary"] = _clip(summary, _SUMMARY, warnings, "The summary")
        draft["total_experience_months"] = total_months(ranges, today)
        if len(draft["technical_skills"]) > _MAX_GROUPS:
            warnings.append(f"More than {_MAX_GROUPS} skill groups; the rest were left out.")
            draft["technical_skills"] = dict(list(draft["technical_skills"].items())[:_MAX_GROUPS])
        lines_left = [_clip(line, _ITEM, warnings, "An unplaced line") for line in unplaced if line.strip()]
        if len(lines_left) > 50:
            warnings.append(f"{len(lines_left) - 50} more lines could not be placed.")
        draft["unplaced"] = lines_left[:50]
        return ResumeDraft.model_validate(draft), warnings

    # ---- sections ---------------------------------------------------------------------------------------

    def _header(self, lines: list[str], draft: dict[str, Any], prose: list[str]) -> None:
        for line in lines:
            text = strip_markdown_heading(bullet_text(line))
            parts = _parts(text)
            if (
                parts
                and _width(text) <= 80
                and all(_is_role(p) for p in parts)
                and not _SENTENCE_END.search(text)
            ):
                for part in parts:
                    if len(draft["job_roles"]) < 10 and part not in draft["job_roles"]:
                        draft["job_roles"].append(part[:_LABEL])
            else:
                prose.append(text)

    def _experience(
        self, lines: list[str], draft: dict[str, Any], unplaced: list[str], warnings: list[str]
    ) -> list[DateRange]:
        entries, loose = _entries(lines)
        unplaced.extend(loose)
        ranges = []
        previous: dict[str, Any] = {}
        for entry in entries:
            header = _split_header(entry)
            company = header.get("company") or entry.fields.get("company")
            position = header.get("position") or entry.fields.get("role")
            if not company and "project" in entry.fields and previous.get("company"):
                # a second project under the same job ("프로젝트: ..." after the first one's bullets)
                company, position = previous["company"], position or previous.get("position")
                entry.dates = entry.dates or previous.get("dates")
            previous = {"company": company, "position": position, "dates": entry.dates}
            if not company:
                unplaced.extend([*entry.header, *entry.description, *entry.bullets])
                continue
            if entry.dates is not None:
                ranges.append(entry.dates)
            project = entry.fields.get("project") or (header.get("extra") or [None])[0]
            description = " ".join([*entry.description, entry.fields.get("description", "")]).strip()
            team = _team_size(entry.fields["team"]) if "team" in entry.fields else header.get("team_size")
            experience = {
                "company": _clip(company, _LABEL, warnings, "A company name"),
                "position": _clip(position, _LABEL, warnings, "A position") if position else None,
                "duration": _clip(entry.dates.text, _SHORT, warnings, "A period") if entry.dates else None,
                "project_name": _clip(project, _LABEL, warnings, "A project name") if project else None,
                "project_description": _clip(description, _PARAGRAPH, warnings, "A project description")
                if description
                else None,
                "tech_stack": self._stack(entry.tech, warnings),
                "achievements": self._items(entry.bullets, warnings, "achievements"),
                "team_size": team,
            }
            if len(draft["work_experiences"]) < _MAX_ENTRIES:
                draft["work_experiences"].append({k: v for k, v in experience.items() if v not in (None, [])})
            else:
                warnings.append(f"More than {_MAX_ENTRIES} work experiences: the rest were left out.")
                unplaced.append(company)
        return ranges

    def _projects(
        self, lines: list[str], draft: dict[str, Any], unplaced: list[str], warnings: list[str]
    ) -> None:
        entries, loose = _entries(lines)
        unplaced.extend(loose)
        for entry in entries:
            header = _split_header(entry)
            name = entry.fields.get("project") or header.get("company")
            if not name:
                unplaced.extend([*entry.header, *entry.description, *entry.bullets])
                continue
            role = entry.fields.get("role") or header.get("position")
            extra = header.get("extra") or []
            description = " ".join([*entry.description, entry.fields.get("description", "")]).strip()
            if not role and extra:
                role, extra = extra[0], extra[1:]
            if extra:
                description = " ".join([*extra, description]).strip()
            project = {
                "name": _clip(name, _LABEL, warnings, "A project name"),
                "description": _clip(description, _PARAGRAPH, warnings, "A project description")
                if description
                else None,
                "role": _clip(role, _LABEL, warnings, "A project role") if role else None,
                "period": _clip(entry.dates.text, _SHORT, warnings, "A period") if entry.dates else None,
                "tech_stack": self._stack(entry.tech, warnings),
                "key_achievements": self._items(entry.bullets, warnings, "key achievements"),
            }
            if len(draft["personal_projects"]) < _MAX_ENTRIES:
                draft["personal_projects"].append({k: v for k, v in project.items() if v not in (None, [])})
            else:
                warnings.append(f"More than {_MAX_ENTRIES} projects: the rest were left out.")
                unplaced.append(name)

    def _stack(self, items: list[str], warnings: list[str]) -> list[str]:
        stack: list[str] = []
        keys: set[str] = set()
        for item in items:
            key = alias_key(item)
            if key and key not in keys and len(item) <= _SKILL:
                keys.add(key)
                stack.append(item)
        if len(stack) > _MAX_STACK:
            warnings.append(f"A tech stack listed more than {_MAX_STACK} items; the rest were left out.")
        return stack[:_MAX_STACK]

    def _items(self, bullets: list[str], warnings: list[str], what: str) -> list[str]:
        items = [_clip(b, _ITEM, warnings, f"One of the {what}") for b in bullets if b.strip()]
        if len(items) > _MAX_ITEMS:
            warnings.append(f"More than {_MAX_ITEMS} {what} in one entry; the rest were left out.")
        return items[:_MAX_ITEMS]

    def _skills(self, lines: list[str], draft: dict[str, Any], unplaced: list[str]) -> None:
        groups: dict[str, list[str]] = draft["technical_skills"]
        for line in lines:
            text = bullet_text(line)
            label, values = None, text
            match = _LABELLED.match(text)
            if match:
                label, values = match.group("label"), match.group("value")
            elif " | " in text:
                first, _, rest = text.partition(" | ")
                if self._category(first) is not None and not self._known(first):
                    label, values = first, rest
            items = [item for item in _split_skills(values) if item]
            if not items or all(len(item) > 40 and " " in item and not self._known(item) for item in items):
                unplaced.append(text)
                continue
            fixed = self._category(label) if label else None
            for item in items:
                if len(item) > _SKILL:
                    unplaced.append(item)
                    continue
                group = fixed or self._group_of(item)
                bucket = groups.setdefault(group, [])
                if alias_key(item) not in {alias_key(x) for x in bucket} and len(bucket) < _MAX_SKILLS:
                    bucket.append(item)

    def _known(self, item: str) -> bool:
        return self.kb.skill_id(item) is not None

    def _group_of(self, item: str) -> str:
        skill_id = self.kb.skill_id(item)
        if skill_id is None:
            mentions = self.kb.matcher.in_entry(item)
            skill_id = mentions[0].skill_id if len(mentions) == 1 else None
        if skill_id is None:
            return "others"
        return _KIND_GROUP.get(self.kb.skills[skill_id].kind, "others")

    @staticmethod
    def _category(label: str) -> str | None:
        label = " ".join(label.split()).strip()
        if not label:
            return None
        mapped = _CATEGORY_LABELS.get(label.casefold())
        if mapped:
            return mapped
        slug = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")
        if slug and slug[0].isalpha() and re.fullmatch(r"[a-z0-9_]+", slug):
            return slug[:50]
        return None

    def _education(
        self, lines: list[str], draft: dict[str, Any], unplaced: list[str], warnings: list[str]
    ) -> None:
        current: dict[str, Any] | None = None
        for line in lines:
            text = bullet_text(strip_markdown_heading(line))
            dates = find_range(text)
            single = find_date(text) if dates is None else None
            period = dates.text if dates else (single[0] if single else None)
            span = dates.span if dates else (single[1] if single else None)
            rest = (text[: span[0]] + " | " + text[span[1] :]) if span else text
            parts = [
                piece
                for part in _parts(rest.replace("(", " | ").replace(")", " | "))
                for piece in _pieces(part)
            ]
            institution = next((p for p in parts if _INSTITUTION.search(p)), None)
            if institution is None and (current is None and parts and not is_bullet(line)):
                institution = parts[0]
            if institution is not None and len(draft["education"]) < 10:
                current = {"institution": _clip(institution, _LABEL, warnings, "An institution")}
                draft["education"].append(current)
                parts = [p for p in parts if p != institution]
            elif current is None:
                unplaced.append(text)
                continue
            assert current is not None
            if period and "period" not in current:
                current["period"] = _clip(period, _SHORT, warnings, "A period")
            leftovers = []
            for part in parts:
                if _DEGREE.match(part) and "degree" not in current:
                    current["degree"] = _clip(part, _SHORT, warnings, "A degree")
                elif _STATUS.match(part) and "status" not in current:
                    current["status"] = _clip(part, _SHORT, warnings, "A status")
                elif "major" not in current and not _INSTITUTION.search(part):
                    current["major"] = _clip(part, _LABEL, warnings, "A major")
                else:
                    leftovers.append(part)
            if leftovers:
                unplaced.append(" | ".join(leftovers))

    def _certifications(
        self, lines: list[str], draft: dict[str, Any], unplaced: list[str], warnings: list[str]
    ) -> None:
        for line in lines:
            text = bullet_text(strip_markdown_heading(line))
            found = find_date(text)
            issue_date = None
            if found:
                issue_date, (start, end) = found
                text = (text[:start] + " " + text[end:]).strip()
            inside = re.findall(r"[(（]([^()（）]*)[)）]", text)
            outside = re.sub(r"\s*[(（][^()（）]*[)）]\s*", " ", text)
            parts = [
                p.strip(" ,-–—") for p in re.split(r"\s*(?:\||｜|,|/| · )\s*", outside) if p.strip(" ,-–—")
            ]
            issuers = [p.strip(" ,") for chunk in inside for p in chunk.split(",") if p.strip(" ,")]
            if not parts:
                unplaced.append(bullet_text(line))
                continue
            entry: dict[str, Any] = {"name": _clip(parts[0], _LABEL, warnings, "A certification")}
            issuer = parts[1] if len(parts) > 1 else (issuers[0] if issuers else None)
            if issuer:
                entry["issuer"] = _clip(issuer, _LABEL, warnings, "An issuer")
            if issue_date:
                entry["issue_date"] = _clip(issue_date, _SHORT, warnings, "A date")
            if len(draft["certifications"]) < _MAX_ENTRIES:
                draft["certifications"].append(entry)
            else:
                unplaced.append(bullet_text(line))

    @staticmethod
    def _fallback_summary(draft: dict[str, Any], lines: list[str]) -> str:
        content = [
            strip_markdown_heading(bullet_text(line))
            for line in lines
            if line.strip() and heading_of(line) is None
        ]
        if content:
            return " ".join(content[:3])
        roles = draft["job_roles"]
        return ", ".join(roles) if roles else "-"
