"""Hypothesis strategies for request bodies: resumes (both forms, and PATCH bodies) and generation options.

They aim at the edges where conversion after validation could fail: lists and category counts at their
limits, skills shared between `technical_skills.others` and `tech_skills`, strings at their length limits
with whitespace and invisible characters around visible text. Most drawn bodies are valid (so the code after
validation runs); `spoiled` ones change one field to a value at or past an edge, or of a wrong JSON type."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

_VISIBLE = ["a", "Z", "7", "가", "<", "é"]
# Whitespace (including NBSP and the ideographic space) and invisible characters.
_BLANK = [" ", "\t", "\n", "\u00a0", "\u3000", "\u200b", "\u00ad", "\ufeff", "\u2060", "\u3164"]
_SKILL_POOL = [f"skill{i}" for i in range(130)]


def _repeat(unit: st.SearchStrategy[str], sizes: st.SearchStrategy[int]) -> st.SearchStrategy[str]:
    """A short random unit repeated to the drawn length (long strings stay cheap to draw)."""
    return st.tuples(unit, sizes).map(lambda drawn: (drawn[0] * drawn[1])[: drawn[1]])


def text(max_size: int) -> st.SearchStrategy[str]:
    """Valid text up to `max_size`, often exactly at it, with blanks inside and around."""
    unit = st.tuples(
        st.text(alphabet=st.sampled_from(_BLANK), max_size=2),
        st.text(alphabet=st.sampled_from(_VISIBLE + _BLANK), min_size=1, max_size=3).filter(
            lambda u: any(c in _VISIBLE for c in u)
        ),
    ).map("".join)
    return st.one_of(
        st.text(alphabet=st.sampled_from(_VISIBLE), min_size=1, max_size=8),
        _repeat(unit, st.sampled_from([max_size - 1, max_size])).filter(
            lambda t: any(c in _VISIBLE for c in t)
        ),
    )


def bad_text(max_size: int) -> st.SearchStrategy[str]:
    """Empty, blank or one character over the limit."""
    return st.one_of(
        st.text(alphabet=st.sampled_from(_BLANK), max_size=4),
        _repeat(st.sampled_from(_VISIBLE), st.just(max_size + 1)),
    )


def skill_lists(limit: int, *, over: bool = False) -> st.SearchStrategy[list[str]]:
    """Slices of one pool, so lists reach their limit cheaply and overlap each other."""
    sizes = st.sampled_from([limit + 1] if over else [0, 1, 2, limit - 1, limit])
    return st.tuples(st.integers(0, 29), sizes).map(lambda d: _SKILL_POOL[d[0] : d[0] + d[1]])


wrong_type: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.just([])
)


def technical_skills() -> st.SearchStrategy[dict[str, list[str]]]:
    category = st.sampled_from(["others", "languages", "cloud", "databases"])
    few = st.dictionaries(category, skill_lists(100) | st.lists(text(60), max_size=2), max_size=3)
    # 18..20 categories of one skill each, with or without an `others` (empty, short or full).
    many = st.tuples(st.integers(18, 20), st.sampled_from([None, 0, 1, 99, 100])).map(
        lambda d: (
            {f"c{i}": ["skill0"] for i in range(d[0] - (d[1] is not None))}
            | ({} if d[1] is None else {"others": _SKILL_POOL[: d[1]]})
        )
    )
    return st.one_of(few, many)


def work_experience() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"company": text(200)},
        optional={
            "position": text(200),
            "duration": text(100),
            "project_description": text(2000),
            "tech_stack": skill_lists(50),
            "achievements": st.lists(text(500), max_size=3),
            "team_size": st.sampled_from([1, 7, 100_000]),
        },
    )


_OPTIONAL: dict[str, st.SearchStrategy[Any]] = {
    "name": text(100),
    "contact": st.fixed_dictionaries(
        {}, optional={"email": st.just("a@b.example"), "github": st.just("https://x.example/a")}
    ),
    "job_roles": st.lists(text(200), max_size=10),
    "work_experiences": st.lists(work_experience(), max_size=2),
    "personal_projects": st.lists(
        st.fixed_dictionaries({"name": text(200)}, optional={"tech_stack": skill_lists(50)}), max_size=2
    ),
    "technical_skills": technical_skills(),
    "tech_skills": skill_lists(100) | st.lists(text(60), max_size=3),
    "certifications": st.lists(st.fixed_dictionaries({"name": text(200)}), max_size=2),
    "education": st.lists(st.fixed_dictionaries({"institution": text(200)}), max_size=2),
    "language": st.sampled_from(["ko", "en"]),
}

# One field at (or past) an edge, or of the wrong type.
_SPOILERS: dict[str, st.SearchStrategy[Any]] = {
    "name": bad_text(100) | wrong_type,
    "summary": bad_text(5000),
    "career_summary": bad_text(5000),
    "total_experience_months": st.sampled_from([-1, 721, 1.5, "12", True]),
    "years_experience": st.sampled_from([-0.01, 60.01, "3", True, None]),
    "job_roles": st.lists(text(200), min_size=11, max_size=11)
    | st.lists(bad_text(200), min_size=1, max_size=1),
    "technical_skills": st.one_of(
        st.just({f"c{i}": ["x"] for i in range(21)}),
        skill_lists(100, over=True).map(lambda skills: {"others": skills}),
        st.just({"Bad-Name": ["x"]}),
        st.just({"others": "Go"}),
    ),
    "tech_skills": skill_lists(100, over=True) | st.lists(bad_text(60), min_size=1, max_size=1),
    "language": st.sampled_from(["fr", None, 1]),
    "unknown_field": st.just(1),
}


@st.composite
def resume_bodies(draw: st.DrawFn, *, spoil: bool | None = None) -> dict[str, Any]:
    """POST / PUT bodies: the rich form, the short form, or a mix; `spoiled` (one bad field) when `spoil`
    is True, never when False, either when None."""
    body: dict[str, Any] = draw(st.fixed_dictionaries({}, optional=_OPTIONAL))
    summary_field = draw(st.sampled_from(["summary", "career_summary"]))
    body[summary_field] = draw(text(5000))
    experience = draw(st.sampled_from([None, "total_experience_months", "years_experience"]))
    if experience == "total_experience_months":
        body[experience] = draw(st.sampled_from([0, 1, 36, 720]))
    elif experience == "years_experience":
        body[experience] = draw(st.sampled_from([0, 0.04, 0.5, 1, 3, 59.99, 60]) | st.floats(0, 60))
    if spoil if spoil is not None else draw(st.integers(0, 3)) == 0:
        field = draw(st.sampled_from(sorted(_SPOILERS)))
        body[field] = draw(_SPOILERS[field])
    return body


def patch_bodies() -> st.SearchStrategy[dict[str, Any]]:
    """PATCH bodies: some resume fields (rich or short form), null to remove one, or a wrong type."""
    return resume_bodies().flatmap(
        lambda body: st.dictionaries(
            st.sampled_from(sorted(body)),
            st.none() | wrong_type | st.sampled_from(sorted(body)).map(body.__getitem__),
            max_size=3,
        )
    )


_OPTION_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "count": st.integers(1, 10),
    "language": st.sampled_from(["ko", "en", None]),
    "provider": st.sampled_from(["auto", "offline"]),
    "job_description": text(10_000) | st.sampled_from(["Go, Kubernetes, PostgreSQL", "", " ", "\u200b"]),
    "seed": st.integers(0, 1_000_000),
}
_OPTION_SPOILERS: dict[str, st.SearchStrategy[Any]] = {
    "count": st.sampled_from([0, 11, 5.0, True, "5"]),
    "language": st.sampled_from(["jp", 1]),
    "provider": st.sampled_from(["openai", "x", "Bad", ""]),
    "job_description": bad_text(10_000) | wrong_type,
    "seed": st.sampled_from([-1, 1_000_001, 1.5, False]),
}


@st.composite
def generation_option_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """Generation options, mostly valid; one in four has one field at or past an edge, or of a wrong type."""
    body: dict[str, Any] = draw(st.fixed_dictionaries({}, optional=_OPTION_VALUES))
    if draw(st.integers(0, 3)) == 0:
        field = draw(st.sampled_from(sorted(_OPTION_SPOILERS)))
        body[field] = draw(_OPTION_SPOILERS[field])
    return body
