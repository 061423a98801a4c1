"""The offline extractor over the whole corpus, rendered to PDF, DOCX, text and Markdown: at least 90% of
company names and 80% of listed skills, every summary, and every email and phone in `contact`, per format
and language. The figures are printed (run with -s to see them; `make bench` prints them too)."""

from __future__ import annotations

import pytest

from tests.support.documents import FORMATS, Format
from tests.support.import_recovery import measure, table


@pytest.mark.parametrize("fmt", FORMATS)
def test_corpus_recovery(fmt: Format) -> None:
    tallies = measure([fmt])
    print(f"\nresume import recovery, offline extractor, {fmt}\n{table(tallies)}")
    for (_, language), tally in tallies.items():
        where = f"{fmt}/{language}: {tally.misses}"
        assert tally.company_share >= 0.9, where
        assert tally.skill_share >= 0.8, where
        assert tally.summaries == tally.resumes, where
        assert tally.emails == tally.resumes and tally.phones == tally.resumes, where
