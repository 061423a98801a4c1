"""Personal data out of the text before any provider sees it.

Found locally and kept only in the resume's `name` and `contact` fields:
- email addresses;
- phone numbers in Korean and international formats, found with phonenumbers (Google's libphonenumber
  metadata) at its VALID leniency, so dates ("2019.01 ~ 2022.08"), business numbers and metrics are not
  taken for phones; Korean numbers are looked for everywhere, US ones too in English text;
- personal profile links: GitHub, LinkedIn, blogs and portfolio pages, plus any link in the header or on a
  line labelled as a portfolio, website or blog (links elsewhere, such as a library's homepage in an
  achievement, are not personal data and stay);
- the name line: the first lines before any section heading, or a line labelled "이름"/"성명"/"Name".

In the text a provider may receive, each is replaced by a placeholder (`[EMAIL_1]`, `[PHONE_1]`, `[LINK_1]`,
`[NAME]`); lines that held nothing else are dropped, and so are lines that state a birth date or an address
and the whole of a "personal information" / "인적사항" section. Whatever a provider answers, placeholders are
scrubbed from the result (see structure.py), so no personal value ever travels through one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, Literal

from careercoach.importing.sections import heading_of, strip_markdown_heading
from careercoach.models.resume import Contact

Kind = Literal["email", "phone", "link"]
PLACEHOLDER: Final = re.compile(r"\[(?:EMAIL|PHONE|LINK)_\d{1,3}\]|\[NAME\]")

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b"
)
_PERSONAL_HOSTS = (
    r"github\.com|gitlab\.com|bitbucket\.org|linkedin\.com|velog\.io|tistory\.com|medium\.com|brunch\.co\.kr|"
    r"blog\.naver\.com|github\.io|notion\.site|notion\.so|oopy\.io|vercel\.app|netlify\.app|dev\.to|"
    r"hashnode\.dev|behance\.net|dribbble\.com|wordpress\.com|blogspot\.com|substack\.com|about\.me|"
    r"stackoverflow\.com/users|kaggle\.com|huggingface\.co|leetcode\.com|solved\.ac|programmers\.co\.kr"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]{}\"'|,]+"
    rf"|(?<![\w@./-])(?:[\w-]+\.)*(?:{_PERSONAL_HOSTS})(?:/[^\s<>()\[\]{{}}\"'|,]*)?",
    re.IGNORECASE,
)
_PERSONAL_URL = re.compile(rf"(?:^|[/.@])(?:{_PERSONAL_HOSTS})(?:[/:?#]|$)", re.IGNORECASE)
_BLOG_URL = re.compile(
    r"velog\.io|tistory\.com|medium\.com|brunch\.co\.kr|blog\.naver\.com|wordpress\.com|blogspot\.com|"
    r"substack\.com|dev\.to|hashnode\.dev|/blog\b|\bblog\.",
    re.IGNORECASE,
)
_LINK_LABEL = re.compile(
    r"포트폴리오|블로그|홈페이지|웹사이트|깃허브|링크드인|링크"
    r"|portfolio|website|homepage|web site|blog|github|linkedin|personal site",
    re.IGNORECASE,
)
# Labels that may stand beside contact data on a contact line ("Email: ...", "휴대폰 ...", "GitHub |").
_CONTACT_LABELS = re.compile(
    r"e-?mail|이메일|메일|phone|mobile|tel\.?|telephone|cell|전화(?:번호)?|휴대(?:폰|전화)|핸드폰|연락처|contact|"
    r"github|git|linkedin|blog|블로그|portfolio|포트폴리오|website|web|homepage|홈페이지|깃허브|링크드인|링크|links?|"
    r"[📧📞📱☎✉🔗🌐]",
    re.IGNORECASE,
)
_LINE_LEFTOVER = re.compile(r"[\s|/·•,;:：\-–—()\[\]<>#*_]+")
_PERSONAL_LINE = re.compile(
    r"^\s*(?:생년월일|생일|나이|주소|거주지|현 ?주소|성별|date of birth|birth ?date|birthday|d\.o\.b\.?|"
    r"address|home address|gender|age)\s*[:：]",
    re.IGNORECASE,
)
_NAME_LABEL = re.compile(r"^\s*(?:이름|성명|name|full name)\s*[:：]\s*(.+)$", re.IGNORECASE)
_KOREAN_NAME = re.compile(r"^[가-힣]{2,6}$|^[가-힣](?: [가-힣]){1,3}$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'’.\-]{0,30}(?: [A-Z][A-Za-z'’.\-]{0,30}){1,3}$")
_NOT_A_NAME = re.compile(
    r"(?:개발자|엔지니어|디자이너|기획자|연구원|매니저|이력서|경력서|소개서|연락처|포트폴리오)$"
    r"|^(?:백엔드|프론트엔드|프론트|풀스택|데이터|데브옵스|인프라|보안|모바일|신입|경력|주니어|시니어|자기소개|팀장"
    r"|리드|테크리드)$"
    r"|\b(?:resume|résumé|curriculum|vitae|cv|engineer|developer|designer|manager|"
    r"scientist|analyst|architect|consultant|lead|senior|junior|intern|summary|profile|portfolio|contact|"
    r"experience|skills|education|projects?|backend|frontend|full[- ]?stack|software|data|machine|learning|"
    r"mobile|devops|security|product|staff|principal|head|director|officer|specialist|administrator)\b",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:\||·|•|/|,|\t| {2,}|—|–| - )\s*")
_RESUME_WORD = re.compile(
    r"^(?:이력서|resume|résumé|cv)\s*[-:|]?\s*|\s*[-:|]?\s*(?:이력서|resume|résumé|cv)$", re.I
)
_HEADER_LINES: Final = 8


@dataclass(frozen=True, slots=True)
class Found:
    kind: Kind
    start: int
    end: int
    value: str


@dataclass
class Redacted:
    """The text for providers and what was taken out of it. `counts` holds numbers only (safe to report)."""

    text: str
    name: str | None = None
    contact: Contact | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _phones(text: str, regions: tuple[str, ...]) -> list[tuple[int, int, str]]:
    import phonenumbers

    found: list[tuple[int, int, str]] = []
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if not any(match.start < end and start < match.end for start, end, _ in found):
                found.append((match.start, match.end, match.raw_string))
    return sorted(found)


def _header_end(lines: list[str]) -> int:
    """Index of the first section heading, or of the first line after the short header block."""
    for index, line in enumerate(lines):
        if heading_of(line) is not None:
            return index
    return min(len(lines), _HEADER_LINES)


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def find_contact_data(text: str, *, english: bool) -> list[Found]:
    lines = text.split("\n")
    header_chars = sum(len(line) + 1 for line in lines[: _header_end(lines)])
    found: list[Found] = []
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)

    def line_of(offset: int) -> str:
        for index in range(len(lines)):
            if line_starts[index] <= offset < line_starts[index + 1]:
                return lines[index]
        return ""

    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        start, end = match.start(), match.start() + len(url)
        personal = (
            _PERSONAL_URL.search(url) is not None
            or start < header_chars
            or _LINK_LABEL.search(_URL.sub(" ", line_of(start))) is not None
        )
        if personal and "@" not in url.split("/", 1)[0]:
            found.append(Found("link", start, end, url))
    masked = _masked(text, [(f.start, f.end) for f in found])
    for match in _EMAIL.finditer(masked):
        found.append(Found("email", match.start(), match.end(), text[match.start() : match.end()]))
    masked = _masked(text, [(f.start, f.end) for f in found])
    for start, end, raw in _phones(masked, ("KR", "US") if english else ("KR",)):
        found.append(Found("phone", start, end, raw))
    return sorted(found, key=lambda f: f.start)


def _name_candidate(line: str) -> str | None:
    labelled = _NAME_LABEL.match(line)
    candidate = labelled.group(1) if labelled else line
    candidate = strip_markdown_heading(candidate)
    candidate = PLACEHOLDER.sub(" ", candidate)
    parts = (_RESUME_WORD.sub("", part.strip()).strip() for part in _NAME_SPLIT.split(candidate))
    first = next((part for part in parts if part), "")
    plausible = first and len(first) <= 40 and not _NOT_A_NAME.search(first)
    if plausible and (_KOREAN_NAME.match(first) or _LATIN_NAME.match(first)):
        return first
    return None


def find_name(text: str) -> str | None:
    lines = text.split("\n")
    for line in lines[: _header_end(lines)][:_HEADER_LINES]:
        name = _name_candidate(line) if line.strip() else None
        if name:
            return name
    for line in lines:  # a labelled name anywhere ("성명: 김개발" in a personal-information section)
        if _NAME_LABEL.match(line):
            name = _name_candidate(line)
            if name:
                return name
    return None


def _url(value: str) -> str:
    return value if re.match(r"^https?://", value, re.IGNORECASE) else f"https://{value}"


def _contact(found: list[Found], warnings: list[str]) -> Contact | None:
    slots: dict[str, str] = {}
    extra: dict[str, int] = {}
    seen: set[str] = set()
    for item in found:
        key = item.value.casefold()
        if key in seen:
            continue
        seen.add(key)
        if item.kind == "email":
            slot = "email"
            value = item.value
        elif item.kind == "phone":
            slot = "phone"
            value = " ".join(item.value.split())
            if not re.fullmatch(r"[0-9+()\-.\s]{3,40}", value):
                import phonenumbers

                value = phonenumbers.format_number(
                    phonenumbers.parse(value, "KR"), phonenumbers.PhoneNumberFormat.INTERNATIONAL
                )
        else:
            value = _url(item.value)
            lowered = value.casefold()
            if "github.com" in lowered:
                slot = "github"
            elif "linkedin.com" in lowered:
                slot = "linkedin"
            elif _BLOG_URL.search(lowered):
                slot = "blog"
            else:
                slot = "website"
            if len(value) > 300:
                extra[slot] = extra.get(slot, 0) + 1
                continue
        if slot in slots:
            extra[slot] = extra.get(slot, 0) + 1
        else:
            slots[slot] = value
    for slot, count in sorted(extra.items()):
        warnings.append(
            f"{count} more {slot} value(s) found in the document; `contact` keeps one of each, the others "
            "were left out (they are personal data, kept out of the text as well)."
        )
    return Contact.model_validate(slots) if slots else None


def redact(text: str, *, english: bool) -> Redacted:
    """Find contact data and the name, and return the text with placeholders and contact-only lines gone."""
    found = find_contact_data(text, english=english)
    warnings: list[str] = []
    contact = _contact(found, warnings)
    placeholders: dict[tuple[Kind, str], str] = {}
    counters: dict[Kind, int] = {"email": 0, "phone": 0, "link": 0}
    pieces: list[str] = []
    cursor = 0
    for item in found:
        key = (item.kind, item.value.casefold())
        if key not in placeholders:
            counters[item.kind] += 1
            placeholders[key] = f"[{item.kind.upper()}_{counters[item.kind]}]"
        pieces.append(text[cursor : item.start])
        pieces.append(placeholders[key])
        cursor = item.end
    pieces.append(text[cursor:])
    replaced = "".join(pieces)

    name = find_name(replaced)
    if name is not None:
        if re.search(r"[가-힣]", name):  # a Korean name may carry a particle: "김개발이", "김개발의"
            pattern, flags = rf"(?<![\w]){re.escape(name)}", 0
        else:
            pattern, flags = rf"(?<![\w]){re.escape(name)}(?![\w])", re.IGNORECASE
        replaced = re.sub(pattern, "[NAME]", replaced, flags=flags)

    kept: list[str] = []
    dropped = 0
    personal_section = False
    for line in replaced.split("\n"):
        heading = heading_of(line)
        if heading is not None and heading.rest is None:
            personal_section = heading.section == "contact"
            if personal_section:
                dropped += 1
                continue
        if personal_section and line.strip():
            dropped += 1
            continue
        if _PERSONAL_LINE.match(line):
            dropped += 1
            continue
        if PLACEHOLDER.search(line):
            rest = _LINE_LEFTOVER.sub("", _CONTACT_LABELS.sub("", PLACEHOLDER.sub("", line)))
            if not rest:
                dropped += 1
                continue
        kept.append(line)
    counts = {
        "emails": counters["email"],
        "phones": counters["phone"],
        "links": counters["link"],
        "name": 1 if name else 0,
        "dropped_lines": dropped,
    }
    return Redacted(
        text="\n".join(kept).strip(), name=name, contact=contact, counts=counts, warnings=warnings
    )
