"""Dates and date ranges as resumes write them, and total experience from them.

Accepted: "2021.03", "2021. 3.", "2021-03", "2021/03", "2021년 3월", "2021.03.15", "Mar 2021", "March 2021",
"03/2021", "2021" alone; ranges joined by "~", "-", "–", "—", "to" or "부터 ... 까지", ending in a date or
"현재", "재직 중", "진행 중", "Present", "Current", "Now"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19[5-9]\d|20\d{2})"
_DATE = (
    rf"(?:{_YEAR}\s*(?:[./-]|년)\s*(?:1[0-2]|0?[1-9])(?:\s*월)?(?:\s*[./-]\s*(?:3[01]|[12]\d|0?[1-9])(?:\s*일)?)?\.?"
    rf"|{_MONTH_NAME}\.?,?\s+{_YEAR}"
    rf"|(?:1[0-2]|0?[1-9])\s*/\s*{_YEAR}"
    rf"|{_YEAR}(?:\s*년)?)"
)
_PRESENT = r"(?:현재|재직\s*중|재학\s*중|진행\s*중|근무\s*중|present|current(?:ly)?|now|today|ongoing)"
_RANGE = re.compile(
    rf"(?<![\d.])(?P<start>{_DATE})\s*(?:~|～|〜|-|–|—|to|부터|→)\s*(?P<end>{_DATE}|{_PRESENT})(?:\s*까지)?(?![\d])",
    re.IGNORECASE,
)
_SINGLE = re.compile(rf"(?<![\d.])(?P<date>{_DATE})(?![\d])", re.IGNORECASE)
_PARTS = re.compile(
    rf"(?P<y>{_YEAR})\s*(?:[./-]|년)\s*(?P<m>1[0-2]|0?[1-9])"
    rf"|(?P<mon>{_MONTH_NAME})\.?,?\s+(?P<y2>{_YEAR})"
    rf"|(?P<m3>1[0-2]|0?[1-9])\s*/\s*(?P<y3>{_YEAR})"
    rf"|(?P<y4>{_YEAR})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1


@dataclass(frozen=True, slots=True)
class DateRange:
    text: str  # verbatim, as written in the document
    start: Month
    end: Month | None  # None: ongoing ("현재", "Present")
    span: tuple[int, int]  # where it sits in the searched string


def parse_month(text: str, *, end: bool = False) -> Month | None:
    match = _PARTS.search(text)
    if match is None:
        return None
    if match.group("y"):
        return Month(int(match.group("y")), int(match.group("m")))
    if match.group("mon"):
        return Month(int(match.group("y2")), _MONTHS[match.group("mon").lower().rstrip(".")])
    if match.group("m3"):
        return Month(int(match.group("y3")), int(match.group("m3")))
    return Month(int(match.group("y4")), 12 if end else 1)


def find_range(text: str) -> DateRange | None:
    match = _RANGE.search(text)
    if match is None:
        return None
    start = parse_month(match.group("start"))
    end_text = match.group("end")
    ongoing = re.fullmatch(_PRESENT, end_text.strip(), re.IGNORECASE) is not None
    end = None if ongoing else parse_month(end_text, end=True)
    if start is None or (end is not None and end.index < start.index):
        return None
    return DateRange(match.group(0).strip(), start, end, match.span())


def find_date(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first single date in the text, verbatim, and where it is."""
    match = _SINGLE.search(text)
    return (match.group("date").strip(), match.span()) if match else None


def total_months(ranges: list[DateRange], today: date) -> int | None:
    """Months covered by the ranges (inclusive of both ends), overlaps counted once; None without ranges."""
    if not ranges:
        return None
    now = Month(today.year, today.month).index
    intervals = sorted((r.start.index, min(r.end.index if r.end else now, now)) for r in ranges)
    total = 0
    current_start, current_end = intervals[0]
    for start, end in intervals[1:]:
        if start <= current_end + 1:
            current_end = max(current_end, end)
        else:
            total += max(0, current_end - current_start + 1)
            current_start, current_end = start, end
    total += max(0, current_end - current_start + 1)
    return min(total, 720)
