"""Numbers in achievements: "420ms에서 180ms로", "from 12 to 3 minutes", "down 40%", "3배", "0건".

A detected metric lets a question ask how the number was measured, in the candidate's own figures. Spans
are verbatim substrings of the achievement, so they can be shown (quoted) inside the question text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from careercoach.knowledge.models import MetricKind

_NUM = r"(?<![A-Za-z\d.,])\d[\d,]*(?:\.\d+)?"
_LATENCY = r"(?:ms|밀리초|초|secs?|seconds?|s|분|mins?|minutes?|시간|hours?|hrs?|h)"
_THROUGHPUT = r"(?:TPS|QPS|RPS|tps|qps|rps|req/s|requests/s|건/초)"
_SIZE = r"(?:KB|MB|GB|TB|kB|KiB|MiB|GiB)"
_COST = r"(?:만\s*원|억\s*원?|원|달러|USD|dollars?)"
_SCALE = r"(?:만\s*명|명|users?|customers?|DAU|MAU)"
_COUNT = r"(?:건|회|개|events?|orders?|requests?|messages?|transactions?|deploys?|deployments?)"
_UNIT = rf"(?:%|{_THROUGHPUT}|{_SIZE}|{_COST}|{_SCALE}|{_COUNT}|{_LATENCY}|x|배)"
_VALUE = rf"{_NUM}\s*{_UNIT}?(?![A-Za-z])"

# Most informative first: a before/after pair says more than a lone percentage.
_PATTERNS: tuple[tuple[MetricKind | Literal["before_after"], re.Pattern[str]], ...] = (
    ("before_after", re.compile(rf"(?P<before>{_VALUE})\s*에서\s*(?P<after>{_VALUE})\s*(?:으로|로)")),
    ("before_after", re.compile(rf"from\s+(?P<before>{_VALUE})\s+to\s+(?P<after>{_VALUE})", re.IGNORECASE)),
    ("before_after", re.compile(rf"(?P<before>{_VALUE})\s*(?:→|->|=>|⇒|➝|~>)\s*(?P<after>{_VALUE})")),
    ("zero", re.compile(r"(?<![\d.,])0\s*(?:건|회|명|개)")),
    (
        "zero",
        re.compile(
            r"\b(?:zero|0)\s+"
            r"(?:incidents?|errors?|defects?|outages?|downtime|data loss|loss|bugs?|failures?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "percent",
        re.compile(
            rf"(?:\b(?:up|down|by|increased|decreased|reduced|cut|improved)\s+)?{_NUM}\s*(?:%|퍼센트|percent)"
            r"(?:\s*(?:감소|증가|향상|개선|단축|절감|상승|하락))?",
            re.IGNORECASE,
        ),
    ),
    ("percent", re.compile(r"\bby\s+(?:a\s+third|half|two[\s-]thirds|a\s+quarter)\b|절반", re.IGNORECASE)),
    ("multiplier", re.compile(rf"{_NUM}\s*(?:x|X|배)(?![A-Za-z])")),
    ("throughput", re.compile(rf"{_NUM}\s*{_THROUGHPUT}")),
    (
        "throughput",
        re.compile(
            rf"초당\s*{_NUM}\s*(?:건|회|개|명)?|{_NUM}\s*(?:건|회|requests?|req|events?|messages?)\s*"
            r"(?:/\s*(?:초|s|sec)\b|per\s+second)",
            re.IGNORECASE,
        ),
    ),
    ("latency", re.compile(rf"{_NUM}\s*{_LATENCY}(?![A-Za-z])")),
    ("cost", re.compile(rf"\$\s?{_NUM}\s*[kKmMbB]?|{_NUM}\s*{_COST}")),
    ("size", re.compile(rf"{_NUM}\s*{_SIZE}")),
    ("scale", re.compile(rf"{_NUM}\s*{_SCALE}(?![A-Za-z])|(?:DAU|MAU)\s*{_NUM}")),
    ("count", re.compile(rf"{_NUM}\s*{_COUNT}(?![A-Za-z])")),
)

_UNIT_KIND: tuple[tuple[MetricKind, re.Pattern[str]], ...] = (
    ("percent", re.compile(r"%")),
    ("throughput", re.compile(_THROUGHPUT)),
    ("size", re.compile(_SIZE)),
    ("cost", re.compile(_COST)),
    ("scale", re.compile(_SCALE)),
    ("count", re.compile(rf"\d\s*{_COUNT}")),
    ("multiplier", re.compile(r"\d\s*(?:x|배)$")),
    ("latency", re.compile(rf"\d\s*{_LATENCY}$")),
)


@dataclass(frozen=True, slots=True)
class Metric:
    kind: MetricKind
    text: str  # verbatim span
    before: str | None = None
    after: str | None = None


def _kind_of(value: str) -> MetricKind:
    for kind, pattern in _UNIT_KIND:
        if pattern.search(value):
            return kind
    return "count"


def _value(span: str) -> float:
    number = re.search(r"\d[\d,]*(?:\.\d+)?", span)
    return float(number.group().replace(",", "")) if number else 0.0


def find_metric(text: str) -> Metric | None:
    for name, pattern in _PATTERNS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        # "연 2회 점검으로 취약점 35건 발견": the largest count is the result; smaller ones are frequencies.
        match = max(matches, key=lambda m: _value(m.group())) if name in ("count", "scale") else matches[0]
        if name == "before_after":
            before, after = match.group("before").strip(), match.group("after").strip()
            # The unit is often written once ("from 12 to 3 minutes"): classify by whichever side has it.
            kind = _kind_of(after) if _kind_of(after) != "count" else _kind_of(before)
            return Metric(kind, match.group().strip(), before, after)
        return Metric(name, match.group().strip())
    return None
