"""The offline answer evaluator: no network, no key, deterministic, Korean and English.

It scores one answer to one question from what it can observe in the text:
- coverage of each key point: the point's terms (synonyms from the knowledge base in both languages, skills
  by their aliases, other content words by stem) found in the answer, with partial credit;
- evidence from the resume: facts of the item the question is grounded in and of its neighbours (the same
  experience or project): its numbers, skills and distinctive words;
- structure: situation, task, action and result for behavioural and collaboration questions; cause, options,
  trade-off and measurement for the others;
- specificity: numbers, named systems, first-person actions;
- non-answers: "I don't know" / "모르겠습니다", a restatement of the question, filler, or an answer about
  something else, which get a low score and the verdict weak or off_topic.

Score (0-100) = 40 x key-point coverage + on-question x (15 x evidence + 15 x structure + 15 x specificity +
15 x relevance), each of the last four on 0-4 as a share; on-question = min(1, 0.4 + max(coverage,
relevance)), so a well-told answer to another question stays weak. It cannot judge whether what is said
is correct, how good the reasoning is, or a point made in words its vocabulary does not know; its result
says so (`NOTE`)."""

from __future__ import annotations

from dataclasses import dataclass

from careercoach.knowledge.terms import Marker, terms
from careercoach.models.practice import (
    EvaluationDraft,
    EvidenceItem,
    FollowUpDraft,
    RubricEntry,
    SessionQuestion,
    Verdict,
)
from careercoach.models.resume import Language, ResumeContent
from careercoach.practice import phrases as ph
from careercoach.practice.text import Analysed, Concept, analyse, concepts, contains_phrase, coverage
from careercoach.resume_items import ResumeItem, resume_items

PEOPLE_CATEGORIES = frozenset({"behavioral", "collaboration"})
STAR: tuple[Marker, ...] = ("situation", "task", "action", "result")
REASONING: tuple[Marker, ...] = ("cause", "option", "tradeoff", "measurement")
WEIGHTS = {"coverage": 40, "evidence": 15, "structure": 15, "specificity": 15, "relevance": 15}
COVERED = 0.5  # share of a point's terms that makes it covered (all of them for a point of one or two terms)
ON_QUESTION_FLOOR = 0.4
NON_ANSWER_MAX_WORDS = 25  # an "I don't know" inside a long answer is a hedge, not a non-answer
SHORT_ANSWER_WORDS = 8
DONT_KNOW_CAP = 10
COPY_CAP = 10
OFF_TOPIC_CAP = 15
SHORT_CAP = 35
MAX_QUOTE = 400


@dataclass(frozen=True)
class Reading:
    """Everything the evaluator observed in one answer: what the score and the texts are built from."""

    point_shares: list[float]
    point_sizes: list[int]  # how many terms each key point is made of
    evidence_level: int
    used_items: list[ResumeItem]
    unused_items: list[ResumeItem]
    parts: list[Marker]
    missing_parts: list[Marker]
    specificity: int
    relevance: int
    question_terms_used: int
    first_person: bool
    numbers: list[str]
    kind: str  # "answer", "dont_know", "copy", "filler", "off_topic", "short"


def quote_of(item: ResumeItem) -> str:
    """The item's text, verbatim, cut at a word boundary to fit a quote (the check finds it in the resume)."""
    text = " ".join(item.text.split())
    if len(text) <= MAX_QUOTE:
        return text
    cut = text[:MAX_QUOTE]
    return cut[: cut.rfind(" ")].strip() if " " in cut else cut


def neighbours(resume: ResumeContent, source: str) -> list[ResumeItem]:
    """The grounded item first, then the items of the same experience or project; for an item outside any
    (the summary, skills), the summary and the achievements with numbers."""
    items = resume_items(resume)
    grounded = next((i for i in items if i.source == source), None)
    if grounded is None:
        grounded = next((i for i in items if source.startswith(i.source)), items[0])
    if grounded.group is not None:
        group = [i for i in items if i.group == grounded.group and i is not grounded]
    else:
        group = [i for i in items if i.kind == "achievement" and any(c.isdigit() for c in i.text)][:4]
    return [grounded, *group]


def _item_used(answer: Analysed, item: ResumeItem) -> tuple[bool, bool]:
    """(used, with a number): whether the answer draws on this item, and on one of its numbers."""
    read = analyse(item.text)
    numbers = {n for n in read.numbers if len(n) > 1 or not n.isdigit() or int(n) > 9}
    number_used = any(n in answer.numbers for n in numbers)
    skills = read.skills & answer.skills
    distinctive = {w for w in read.content if len(w) >= 3}
    shared = {w for w in distinctive if any(a.startswith(w) for a in answer.content)}
    used = number_used or len(shared) + len(skills) >= 2
    return used, number_used


def _parts(answer: Analysed, category: str, language: Language) -> tuple[list[Marker], list[Marker]]:
    """The structure's parts present and missing: STAR for people questions, reasoning for technical ones,
    and for a project deep dive whichever of the two the answer follows more (both are good shapes)."""
    markers = terms().markers
    shapes = [STAR] if category in PEOPLE_CATEGORIES else [REASONING]
    if category == "project_deep_dive":
        shapes = [REASONING, STAR]
    best: tuple[list[Marker], list[Marker]] | None = None
    for wanted in shapes:
        present = [p for p in wanted if contains_phrase(answer, markers[p].both())]
        if best is None or len(present) > len(best[0]):
            best = (present, [p for p in wanted if p not in present])
    assert best is not None
    return best


def _specificity(answer: Analysed, first_person: bool) -> int:
    level = min(2, len(answer.numbers))
    level += 1 if answer.skills else 0
    level += 1 if first_person else 0
    return min(4, level)


def _kind(answer: Analysed, question: SessionQuestion, relevance_share: float, evidence: int) -> str:
    vocabulary = terms()
    words = len(answer.content)
    if words <= NON_ANSWER_MAX_WORDS and contains_phrase(answer, vocabulary.non_answers.both()):
        return "dont_know"
    asked = analyse(question.question)
    asked_words = set(asked.content)
    if answer.content:
        new = [w for w in answer.content if not any(w.startswith(a) or a.startswith(w) for a in asked_words)]
        if len(new) <= 3 and len(set(answer.content)) >= 2:
            return "copy"
    filler = {w.casefold() for w in vocabulary.filler.both()}
    meaningful = [w for w in answer.content if w not in filler]
    if len(meaningful) < 3 or len(set(meaningful)) < max(2, len(meaningful) * 0.3):
        return "filler"
    if relevance_share == 0 and evidence == 0 and not answer.skills:
        return "off_topic"
    if len(meaningful) < SHORT_ANSWER_WORDS:
        return "short"
    return "answer"


def read_answer(
    question: SessionQuestion, answer_text: str, resume: ResumeContent, language: Language
) -> Reading:
    answer = analyse(answer_text)
    point_concepts = [concepts(point) for point in question.key_points]
    point_shares = [coverage(answer, wanted) if wanted else 0.0 for wanted in point_concepts]
    items = neighbours(resume, question.grounding.source)
    used: list[ResumeItem] = []
    with_number = False
    for item in items:
        is_used, number = _item_used(answer, item)
        if is_used:
            used.append(item)
            with_number = with_number or number
    unused = [i for i in items if i not in used]
    group_skills = set().union(*(analyse(i.text).skills for i in items))
    if used and with_number and len(used) >= 2:
        evidence = 4
    elif used and with_number:
        evidence = 3
    elif used:
        evidence = 2
    elif group_skills & answer.skills:
        evidence = 1
    else:
        evidence = 0
    asked: list[Concept] = concepts(f"{question.question} {question.intent}")
    asked_share = coverage(answer, asked) if asked else 0.0
    mean_points = sum(point_shares) / len(point_shares) if point_shares else 0.0
    relevance_share = max(min(1.0, asked_share * 1.5), mean_points)
    relevance = round(4 * relevance_share)
    first_person = contains_phrase(answer, terms().first_person.both())
    parts, missing_parts = _parts(answer, question.category, language)
    return Reading(
        point_shares=point_shares,
        point_sizes=[len(wanted) for wanted in point_concepts],
        evidence_level=evidence,
        used_items=used,
        unused_items=unused,
        parts=parts,
        missing_parts=missing_parts,
        specificity=_specificity(answer, first_person),
        relevance=relevance,
        question_terms_used=sum(1 for c in asked if answer.covers(c)),
        first_person=first_person,
        numbers=list(dict.fromkeys(answer.numbers)),
        kind=_kind(answer, question, relevance_share, evidence),
    )


def covered_indexes(reading: Reading) -> set[int]:
    return {
        index
        for index, (share, size) in enumerate(zip(reading.point_shares, reading.point_sizes, strict=True))
        if share >= (COVERED if size >= 3 else 1.0)
    }


def score_of(reading: Reading) -> int:
    shares = reading.point_shares
    mean_points = sum(shares) / len(shares) if shares else 0.0
    # A well-told answer to another question is still not an answer to this one: evidence, structure and
    # specifics count in full only as far as the answer is on the question.
    on_question = min(1.0, ON_QUESTION_FLOOR + max(mean_points, reading.relevance / 4))
    score = WEIGHTS["coverage"] * mean_points + on_question * (
        WEIGHTS["evidence"] * reading.evidence_level / 4
        + WEIGHTS["structure"] * len(reading.parts) / 4
        + WEIGHTS["specificity"] * reading.specificity / 4
        + WEIGHTS["relevance"] * reading.relevance / 4
    )
    caps = {"dont_know": DONT_KNOW_CAP, "copy": COPY_CAP, "filler": OFF_TOPIC_CAP, "off_topic": OFF_TOPIC_CAP}
    cap = caps.get(reading.kind, SHORT_CAP if reading.kind == "short" else 100)
    return max(0, min(cap, round(score)))


def verdict_of(reading: Reading, score: int) -> Verdict:
    if reading.kind in ("copy", "filler", "off_topic"):
        return "off_topic"
    if reading.kind == "dont_know":
        return "weak"
    return "strong" if score >= 75 else "adequate" if score >= 50 else "weak"


def _rubric(question: SessionQuestion, reading: Reading, language: Language) -> list[RubricEntry]:
    covered = len(covered_indexes(reading))
    shares = reading.point_shares
    mean_points = sum(shares) / len(shares) if shares else 0.0
    non_answer = reading.kind in ("dont_know", "copy", "filler", "off_topic")
    depth = 0 if non_answer else min(4, round(2.5 * mean_points + 1.5 * reading.specificity / 4))
    part_names = ", ".join(ph.PARTS[p][language] for p in reading.parts) or ph.RUBRIC["none"][language]
    people = question.category in PEOPLE_CATEGORIES
    entries = [
        RubricEntry(
            criterion="relevance",
            score=0 if non_answer else reading.relevance,
            comment=ph.say(ph.RUBRIC, "relevance", language, matched=reading.question_terms_used),
        ),
        RubricEntry(
            criterion="depth",
            score=depth,
            comment=ph.say(
                ph.RUBRIC, "depth", language, covered=covered, total=len(shares), spec=reading.specificity
            ),
        ),
        RubricEntry(
            criterion="evidence",
            score=0 if non_answer else reading.evidence_level,
            comment=ph.say(ph.RUBRIC, "evidence", language, used=len(reading.used_items)),
        ),
        RubricEntry(
            criterion="structure",
            score=0 if non_answer else len(reading.parts),
            comment=ph.say(
                ph.RUBRIC,
                "structure_star"
                if set(reading.parts + reading.missing_parts) <= set(STAR)
                else "structure_tech",
                language,
                parts=part_names,
            ),
        ),
    ]
    if not people:
        entries.append(
            RubricEntry(
                criterion="accuracy",
                score=0 if non_answer else min(4, round(4 * mean_points)),
                comment=ph.RUBRIC["accuracy"][language],
            )
        )
    return entries


def _anchor(question: SessionQuestion, resume: ResumeContent, language: Language) -> str:
    item = neighbours(resume, question.grounding.source)[0]
    if item.group:
        return item.group
    return ph.FOLLOW_UP["anchor"][language]


def _follow_up(
    question: SessionQuestion,
    reading: Reading,
    missing: list[str],
    resume: ResumeContent,
    language: Language,
) -> FollowUpDraft | None:
    if question.follows is not None:
        return None  # follow-ups go one level deep
    if missing:
        point = missing[0]  # key points come in order of importance
        wanted = concepts(point)
        best: tuple[float, str] | None = None
        for candidate in question.follow_ups:
            share = coverage(analyse(candidate), wanted) if wanted else 0.0
            if share > 0 and (best is None or share > best[0]):
                best = (share, candidate)
        text = (
            best[1]
            if best is not None and reading.kind == "answer"
            else ph.say(
                ph.FOLLOW_UP,
                "missing",
                language,
                point=point.rstrip(".").rstrip(),
                anchor=_anchor(question, resume, language),
            )
        )
        return FollowUpDraft(
            question=text[:1000],
            why=ph.say(ph.FOLLOW_UP, "why_missing", language, point=point)[:1000],
            key_points=[point[:400]],
        )
    if reading.numbers and "measurement" not in reading.parts:
        number = max(reading.numbers, key=len)
        return FollowUpDraft(
            question=ph.say(ph.FOLLOW_UP, "claim", language, number=number),
            why=ph.say(ph.FOLLOW_UP, "why_claim", language, number=number),
            key_points=[ph.FOLLOW_UP["claim_point_1"][language], ph.FOLLOW_UP["claim_point_2"][language]],
        )
    if question.follow_ups:
        return FollowUpDraft(
            question=question.follow_ups[0][:1000],
            why=ph.FOLLOW_UP["why_deeper"][language],
            key_points=[point[:400] for point in question.key_points[:3]],
        )
    return None


def _texts(
    question: SessionQuestion, reading: Reading, covered: list[str], missing: list[str], language: Language
) -> tuple[list[str], list[str], list[str]]:
    strengths: list[str] = []
    improvements: list[str] = []
    strengths += [ph.say(ph.STRENGTH, "covered", language, point=p)[:400] for p in covered[:2]]
    if reading.used_items:
        strengths.append(
            ph.say(ph.STRENGTH, "evidence", language, quote=quote_of(reading.used_items[0])[:200])
        )
    if reading.numbers:
        strengths.append(ph.say(ph.STRENGTH, "numbers", language, numbers=", ".join(reading.numbers[:3])))
    if reading.first_person:
        strengths.append(ph.STRENGTH["first_person"][language])
    if len(reading.parts) >= 3:
        strengths.append(
            ph.say(
                ph.STRENGTH,
                "structure",
                language,
                parts=", ".join(ph.PARTS[p][language] for p in reading.parts),
            )
        )
    if reading.kind == "dont_know":
        improvements.append(ph.IMPROVEMENT["non_answer"][language])
    elif reading.kind == "copy":
        improvements.append(ph.IMPROVEMENT["copy"][language])
    elif reading.kind in ("filler", "off_topic"):
        improvements.append(ph.say(ph.IMPROVEMENT, "off_topic", language, topic=question.intent[:300]))
    improvements += [ph.say(ph.IMPROVEMENT, "missing", language, point=p)[:400] for p in missing[:2]]
    if not reading.used_items and reading.unused_items:
        improvements.append(
            ph.say(ph.IMPROVEMENT, "evidence", language, quote=quote_of(reading.unused_items[0])[:200])
        )
    if not reading.numbers:
        improvements.append(ph.IMPROVEMENT["numbers"][language])
    if not reading.first_person and question.category in PEOPLE_CATEGORIES:
        improvements.append(ph.IMPROVEMENT["first_person"][language])
    if reading.missing_parts:
        names = ", ".join(ph.PARTS[p][language] for p in reading.missing_parts)
        improvements.append(ph.say(ph.IMPROVEMENT, "structure", language, parts=names))
    outline = [ph.say(ph.OUTLINE, "context", language, quote=question.grounding.quote[:300])]
    outline += [ph.say(ph.OUTLINE, "point", language, point=p)[:400] for p in question.key_points[:5]]
    metric = next(
        (
            i
            for i in [*reading.used_items, *reading.unused_items]
            if i.kind == "achievement" and any(c.isdigit() for c in i.text)
        ),
        None,
    )
    if metric is not None:
        outline.append(ph.say(ph.OUTLINE, "result_metric", language, quote=quote_of(metric)[:300]))
    outline.append(ph.OUTLINE["star" if question.category in PEOPLE_CATEGORIES else "tech"][language])
    return strengths[:5], improvements[:5], outline[:8]


def evaluate_answer(
    question: SessionQuestion, answer_text: str, resume: ResumeContent, language: Language
) -> EvaluationDraft:
    """The offline evaluation of one answer, in `language`, with the follow-up an interviewer would ask."""
    reading = read_answer(question, answer_text, resume, language)
    score = score_of(reading)
    non_answer = reading.kind in ("dont_know", "copy", "filler", "off_topic")
    indexes = set() if non_answer else covered_indexes(reading)
    covered = [point for index, point in enumerate(question.key_points) if index in indexes]
    missing = [p for p in question.key_points if p not in covered]
    evidence = [EvidenceItem(source=i.source, quote=quote_of(i), used=True) for i in reading.used_items[:3]]
    evidence += [
        EvidenceItem(source=i.source, quote=quote_of(i), used=False) for i in reading.unused_items[:2]
    ]
    strengths, improvements, outline = _texts(question, reading, covered, missing, language)
    return EvaluationDraft(
        score=score,
        verdict=verdict_of(reading, score),
        rubric=_rubric(question, reading, language),
        covered_points=covered,
        missing_points=missing,
        resume_evidence=evidence[:5],
        strengths=strengths,
        improvements=improvements,
        model_answer_outline=outline if len(outline) >= 2 else [*outline, ph.OUTLINE["tech"][language]],
        follow_up=_follow_up(question, reading, missing, resume, language),
    )
