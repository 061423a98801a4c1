"""Seniority from the resume, one rule for the prompts and the offline generator alike: stated months
first, then a years figure in the summary ("3년차", "5 years"); a senior title with five or more years
outranks the plain year count, and with no figure at all a senior title still counts."""

from __future__ import annotations

import re
from typing import Literal

from careercoach.models.resume import ResumeContent

Seniority = Literal["junior", "mid", "senior"]

_YEARS_IN_TEXT = re.compile(r"(\d{1,2}(?:\.\d)?)\s*(?:\+\s*)?(?:년\s*차|년|years?|yrs?)", re.IGNORECASE)
SENIOR_HINT = re.compile(
    r"시니어|리드|수석|팀장|테크\s*리드|\b(?:senior|lead|principal|staff|head of|architect)\b", re.I
)
JUNIOR_HINT = re.compile(
    r"주니어|신입|인턴|졸업\s*예정|부트캠프"
    r"|\b(?:junior|intern|internship|new\s*grad|graduate|entry[- ]level|bootcamp)\b",
    re.I,
)


def experience_years(resume: ResumeContent) -> float | None:
    if resume.total_experience_months is not None:
        return resume.total_experience_months / 12
    match = _YEARS_IN_TEXT.search(resume.summary)
    return float(match.group(1)) if match else None


def _titles(resume: ResumeContent) -> str:
    return " ".join([*resume.job_roles, *(w.position or "" for w in resume.work_experiences), resume.summary])


def seniority(resume: ResumeContent) -> Seniority:
    years = experience_years(resume)
    titles = _titles(resume)
    if years is None:
        return "senior" if SENIOR_HINT.search(titles) else "junior"
    if years < 3:
        return "junior"
    if years >= 7:
        return "senior"
    if years >= 5 and SENIOR_HINT.search(titles) and not JUNIOR_HINT.search(titles):
        return "senior"
    return "mid"
