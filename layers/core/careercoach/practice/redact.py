"""Contact data out of an answer before it goes to an AI provider.

An answer may hold the candidate's own email, phone number, profile links or name ("you can reach me at
..."). Contact data never leaves the system, so before an answer is put into a prompt, what matches the
resume's contact fields and name is replaced, and so is anything shaped like an email address, a phone
number (Korean and international forms) or a link to a personal profile. The stored answer is the owner's
and stays as written; only the copy in the prompt is redacted."""

from __future__ import annotations

import re

from careercoach.models.resume import ResumeContent

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# +82 10-1234-5678, 010 1234 5678, 02-123-4567, (555) 123-4567, +1 555 123 4567: digits in groups with
# separators, 9 digits or more in all (years, amounts and durations have fewer, or no such grouping).
# Korean glues particles to numbers ("010-1234-5678입니다"): only digits (and a decimal point) bound one.
PHONE = re.compile(
    r"(?<![\d.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{3,4}){1,2}(?![\d])"
)
# Unseparated: Korean mobile numbers (010...) and international ones written with their +.
PHONE_RUN = re.compile(r"(?<![\d.])(?:01[016789]\d{7,8}|\+\d{10,14})(?!\d)")
PROFILE = re.compile(
    r"(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|linkedin\.com|twitter\.com|x\.com|facebook\.com|"
    r"instagram\.com|velog\.io|tistory\.com|medium\.com/@|notion\.site|blog\.naver\.com)[^\s)\]>\"']*",
    re.IGNORECASE,
)
MARKS = {"email": "[email]", "phone": "[phone]", "link": "[link]", "name": "[name]"}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def redact_answer(answer: str, resume: ResumeContent) -> str:
    text = answer
    contact = resume.contact
    if contact is not None:
        for field in ("github", "linkedin", "website", "blog"):
            value = getattr(contact, field)
            if value:
                bare = re.sub(r"^https?://(www\.)?", "", value).rstrip("/")
                text = re.sub(
                    rf"(?:https?://)?(?:www\.)?{re.escape(bare)}/?", MARKS["link"], text, flags=re.I
                )
        if contact.email:
            text = re.sub(re.escape(contact.email), MARKS["email"], text, flags=re.IGNORECASE)
    text = EMAIL.sub(MARKS["email"], text)
    text = PROFILE.sub(MARKS["link"], text)
    own_phone = _digits(contact.phone) if contact is not None and contact.phone else ""

    def phone(match: re.Match[str]) -> str:
        digits = _digits(match.group(0))
        if len(digits) >= 9 or (own_phone and digits.endswith(own_phone[-8:])):
            return MARKS["phone"]
        return match.group(0)

    text = PHONE.sub(phone, text)
    text = PHONE_RUN.sub(MARKS["phone"], text)
    if resume.name:
        for part in {resume.name, *(p for p in resume.name.split() if len(p) >= 2)}:
            text = re.sub(re.escape(part), MARKS["name"], text)
    return text
