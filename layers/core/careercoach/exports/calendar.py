"""A learning path as an iCalendar file (RFC 5545): one all-day event per step, the steps one after another
from a start date, each lasting its `estimated_weeks`.

Made with the icalendar library (https://icalendar.readthedocs.io/en/stable/), imported when a calendar is
made, not when this module loads. All-day events are DATE values with an exclusive DTEND (RFC 5545
section 3.6.1, https://www.rfc-editor.org/rfc/rfc5545#section-3.6.1), so a 2-week step that starts on
Monday 2 June has DTSTART 20250602 and DTEND 20250616. Event UIDs are stable for a path and step, so
importing the same export twice updates the events instead of doubling them; DTSTAMP is when the path was
generated, so the same path and start give the same file. The events are TRANSPARENT: a plan should not
show its owner as busy for weeks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from careercoach.clock import as_utc
from careercoach.exports import Document, Export, QueryParameter, QueryValues, invalid_query, single_line
from careercoach.models.generation import LearningPath, LearningStep

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//careercoach//Learning path export//EN"
# A start in 2000-2999: plain dates that every calendar program shows, and room for the longest path. The
# pattern is the Gregorian calendar itself (30- and 31-day months, February 29 in leap years only: every 4th
# year but 2100, 2200, 2300, 2500, 2600, 2700 and 2900), so every value the OpenAPI document allows is a day.
_YEAR = "2[0-9]{3}"
_LEAP_YEAR = "2[0-9](0[48]|[2468][048]|[13579][26])|2[048]00"
_MONTH_DAY = (
    "(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"  # 31 days
    "|(0[469]|11)-(0[1-9]|[12][0-9]|30)"  # 30 days
    "|02-(0[1-9]|1[0-9]|2[0-8])"  # February, leap day aside
)
START_PATTERN = f"^({_YEAR}-({_MONTH_DAY})|({_LEAP_YEAR})-02-29)$"
START = QueryParameter(
    name="start",
    description="The first day of the first step, YYYY-MM-DD (2000-2999). Default: the Monday after today "
    "(UTC), so on a Monday the next week's.",
    pattern=START_PATTERN,
    example="2025-06-02",
)
# RFC 5545 PRIORITY: 1 is the highest, 5 medium, 9 the lowest.
PRIORITIES = {"high": 1, "medium": 5, "low": 9}

LABELS = {
    "en": {
        "calendar": "Learning path",
        "why": "Why",
        "actions": "Actions",
        "milestone": "Milestone",
        "resources": "Resources",
        "step": "Step {order} of {steps} · {weeks} week(s) · {priority} priority",
        "total": "{steps} steps over {weeks} weeks.",
        "degraded": "Written by the fallback provider {provider}: the first provider tried did not answer "
        "({reason}).",
        "priority_high": "high",
        "priority_medium": "medium",
        "priority_low": "low",
    },
    "ko": {
        "calendar": "학습 경로",
        "why": "이유",
        "actions": "할 일",
        "milestone": "완료 기준",
        "resources": "자료",
        "step": "{steps}단계 중 {order}단계 · {weeks}주 · 우선순위 {priority}",
        "total": "{steps}단계, 모두 {weeks}주.",
        "degraded": "대체 제공자 {provider}가 작성했습니다: "
        "처음 시도한 제공자가 답하지 못했습니다 ({reason}).",
        "priority_high": "높음",
        "priority_medium": "보통",
        "priority_low": "낮음",
    },
}


@dataclass(frozen=True)
class CalendarOptions:
    start: date


def next_monday(today: date) -> date:
    """The Monday after `today` (a week later when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def read_options(query: QueryValues, today: date) -> CalendarOptions:
    raw = query.get(START.name)
    if raw is None:
        return CalendarOptions(next_monday(today))
    try:
        return CalendarOptions(date.fromisoformat(raw))
    except ValueError:
        # The API checked the pattern, which allows only real days; this guards callers that did not.
        raise invalid_query(START.name, "Not a date in the calendar", "date_parsing") from None


@dataclass(frozen=True)
class Scheduled:
    step: LearningStep
    start: date
    end: date  # exclusive, as DTEND


def schedule(steps: Iterable[LearningStep], start: date) -> list[Scheduled]:
    """The steps in order, each starting the day the previous one ends."""
    scheduled: list[Scheduled] = []
    for step in sorted(steps, key=lambda s: s.order):
        end = start + timedelta(weeks=step.estimated_weeks)
        scheduled.append(Scheduled(step, start, end))
        start = end
    return scheduled


def _description(item: Scheduled, steps: int, labels: dict[str, str]) -> str:
    step = item.step
    lines = [
        labels["step"].format(
            order=step.order,
            steps=steps,
            weeks=step.estimated_weeks,
            priority=labels[f"priority_{step.priority}"],
        ),
        "",
        f"{labels['why']}: {single_line(step.why)}",
        "",
        f"{labels['actions']}:",
        *(f"- {single_line(action)}" for action in step.actions),
        "",
        f"{labels['milestone']}: {single_line(step.milestone)}",
    ]
    if step.resources:
        lines += ["", f"{labels['resources']}:"]
        lines += [f"- {single_line(r.title)} ({r.kind}): {r.url}" for r in step.resources]
    return "\n".join(lines)


def _calendar_description(path: LearningPath, labels: dict[str, str]) -> str:
    # One line: icalendar 7.3 refuses a line break in a calendar's DESCRIPTION (its X-WR-CALDESC copy is
    # written unescaped), while an event's DESCRIPTION takes them.
    lines = [single_line(path.summary), labels["total"].format(steps=len(path.steps), weeks=path.total_weeks)]
    if path.degraded:
        lines.append(labels["degraded"].format(provider=path.provider, reason=path.fallback_reason or "?"))
    return " ".join(lines)


def render(path: LearningPath, options: CalendarOptions) -> Document:
    import icalendar  # only this route pays for the import

    labels = LABELS.get(path.language, LABELS["en"])
    stamp = as_utc(path.created_at)
    events = [
        icalendar.Event.new(
            uid=f"{path.id}-step-{item.step.order}@careercoach",
            stamp=stamp,
            start=item.start,
            end=item.end,
            summary=f"{item.step.order}. {single_line(item.step.title)}",
            description=_description(item, len(path.steps), labels),
            priority=PRIORITIES[item.step.priority],
            transparency=icalendar.enums.TRANSP.TRANSPARENT,
        )
        for item in schedule(path.steps, options.start)
    ]
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        uid=f"{path.id}@careercoach",
        name=labels["calendar"],
        description=_calendar_description(path, labels),
        calscale="GREGORIAN",
        subcomponents=events,
    )
    return Document(
        body=calendar.to_ical().decode("utf-8"),
        filename=f"learning-path-{options.start.isoformat()}.ics",
    )


LEARNING_PATH_CALENDAR: Export[LearningPath, CalendarOptions] = Export(
    suffix=".ics",
    media_type=MEDIA_TYPE,
    summary="The latest learning path as an iCalendar file: one all-day event per step",
    description="An iCalendar (RFC 5545) file: one all-day event per step, one step after another from "
    "`start`, with the why, actions, milestone and resource links in each event's description",
    read_options=read_options,
    render=render,
    parameters=(START,),
)
