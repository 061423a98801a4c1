"""Date ranges as resumes write them, and total experience with overlaps counted once."""

from __future__ import annotations

from datetime import date

import pytest

from careercoach.importing.dates import Month, find_date, find_range, total_months


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("오픈마켓 | 2022.09 ~ 현재", (2022, 9), None),
        ("2013.03 ~ 2018.12", (2013, 3), (2018, 12)),
        ("Mar 2021 - Present", (2021, 3), None),
        ("Jan. 2019 – Dec 2020", (2019, 1), (2020, 12)),
        ("2020년 3월 ~ 2021년 2월", (2020, 3), (2021, 2)),
        ("2019-01 ~ 2022-08", (2019, 1), (2022, 8)),
        ("2016 - 2020", (2016, 1), (2020, 12)),
        ("03/2019 to 05/2021", (2019, 3), (2021, 5)),
        ("2022. 9. ~ 2023. 8.", (2022, 9), (2023, 8)),
        ("2018.03 ~ 재직 중", (2018, 3), None),
        ("September 2017 — Current", (2017, 9), None),
    ],
)
def test_ranges(text: str, start: tuple[int, int], end: tuple[int, int] | None) -> None:
    found = find_range(text)
    assert found is not None
    assert found.start == Month(*start)
    assert found.end == (Month(*end) if end else None)


@pytest.mark.parametrize("text", ["p99 1.5초에서 300ms로", "2021.11", "v2.1 - v3.0", "2020.05 ~ 2019.01"])
def test_not_ranges(text: str) -> None:
    assert find_range(text) is None


def test_single_dates() -> None:
    assert find_date("정보처리기사 | 한국산업인력공단 | 2021.11") == ("2021.11", (20, 27))
    assert find_date("AWS SAA (May 2022)") == ("May 2022", (9, 17))


def test_total_months_counts_both_ends_and_overlaps_once() -> None:
    ranges = [find_range(t) for t in ("2013.03 ~ 2018.12", "2018.06 ~ 2019.02", "2020.01 ~ 현재")]
    assert all(ranges)
    # 2013.03-2019.02 is 72 months; 2020.01-2026.11 (today) is 83
    assert total_months([r for r in ranges if r], date(2026, 11, 15)) == 72 + 83
    assert total_months([], date(2026, 11, 15)) is None
