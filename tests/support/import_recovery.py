"""How much of each corpus resume the import recovers, per format and language: the figures the import
test asserts and `make bench` prints.

For every corpus resume rendered to each format, the document goes through the real import path (body,
extraction, redaction, the offline extractor, finishing) and is compared with the resume it was made from:
company names, listed skills (every technical_skills entry and tech stack, compared by the knowledge base's
spacing- and case-insensitive key), the summary (whitespace-insensitive), and the email and phone in
`contact`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from careercoach.importing.body import read_upload
from careercoach.importing.draft import finish
from careercoach.importing.extract import extract
from careercoach.importing.offline import OfflineExtractor
from careercoach.importing.privacy import redact
from careercoach.importing.service import document_language
from careercoach.knowledge.matching import alias_key
from careercoach.models.resume import ResumeContent, ResumeInput
from tests.support.documents import FORMATS, MEDIA_TYPES, Format, corpus, corpus_document

TODAY = datetime(2026, 12, 1, tzinfo=UTC).date()


@dataclass
class Tally:
    resumes: int = 0
    companies: int = 0
    companies_found: int = 0
    skills: int = 0
    skills_found: int = 0
    summaries: int = 0
    emails: int = 0
    phones: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, found: int, total: int) -> float:
        return found / total if total else 1.0

    @property
    def company_share(self) -> float:
        return self.share(self.companies_found, self.companies)

    @property
    def skill_share(self) -> float:
        return self.share(self.skills_found, self.skills)


def _skills(resume: ResumeContent | ResumeInput) -> set[str]:
    listed = {alias_key(s) for values in resume.technical_skills.values() for s in values}
    listed |= {alias_key(s) for w in resume.work_experiences for s in w.tech_stack}
    listed |= {alias_key(s) for p in resume.personal_projects for s in p.tech_stack}
    return listed


def import_offline(data: bytes, fmt: Format) -> ResumeInput:
    """The import path with the offline extractor called directly (no registry, no database)."""
    document = extract(read_upload(data, MEDIA_TYPES[fmt]))
    language = document_language(document.text)
    redacted = redact(document.text, english=language == "en")
    draft, _ = OfflineExtractor().extract(
        redacted.text, language=language, today=TODAY, wrapped=document.wrapped
    )
    draft, _ = finish(draft, TODAY)
    return draft.to_input(name=redacted.name, contact=redacted.contact)


def measure(formats: Iterable[Format] = FORMATS) -> dict[tuple[Format, str], Tally]:
    tallies: dict[tuple[Format, str], Tally] = {}
    for fmt in formats:
        for item in corpus():
            expected = item.content
            tally = tallies.setdefault((fmt, expected.language), Tally())
            got = import_offline(corpus_document(item.stem, fmt), fmt)
            tally.resumes += 1
            companies = {alias_key(w.company) for w in got.work_experiences}
            for w in expected.work_experiences:
                tally.companies += 1
                if alias_key(w.company) in companies:
                    tally.companies_found += 1
                else:
                    tally.misses.append(f"{item.stem}: company {w.company!r}")
            wanted, found = _skills(expected), _skills(got)
            tally.skills += len(wanted)
            tally.skills_found += len(wanted & found)
            tally.misses += [f"{item.stem}: skill {s!r}" for s in sorted(wanted - found)]
            summary = got.summary or got.career_summary or ""
            if " ".join(summary.split()) == " ".join(expected.summary.split()):
                tally.summaries += 1
            else:
                tally.misses.append(f"{item.stem}: summary")
            assert expected.contact is not None
            contact = got.contact
            if contact is not None and contact.email == expected.contact.email:
                tally.emails += 1
            else:
                tally.misses.append(f"{item.stem}: email")
            if contact is not None and contact.phone == expected.contact.phone:
                tally.phones += 1
            else:
                tally.misses.append(f"{item.stem}: phone")
    return tallies


def table(tallies: dict[tuple[Format, str], Tally]) -> str:
    lines = [
        f"  {'format':<9}{'lang':<5}{'resumes':>8}{'companies':>14}{'skills':>16}"
        f"{'summary':>9}{'email':>7}{'phone':>7}"
    ]
    for (fmt, language), t in sorted(tallies.items()):
        companies = f"{t.companies_found}/{t.companies} {t.company_share:4.0%}"
        skills = f"{t.skills_found}/{t.skills} {t.skill_share:4.0%}"
        lines.append(
            f"  {fmt:<9}{language:<5}{t.resumes:>8}{companies:>14}{skills:>16}"
            f"{f'{t.summaries}/{t.resumes}':>9}{f'{t.emails}/{t.resumes}':>7}{f'{t.phones}/{t.resumes}':>7}"
        )
    return "\n".join(lines)
