"""Korean particles, English articles and plurals, sentence capitals: the rules the generator writes by."""

from __future__ import annotations

import pytest

from careercoach.offline.language import (
    article,
    capitalise_sentences,
    final_sound,
    fix_articles,
    josa,
    plural,
)
from careercoach.offline.render import tidy


@pytest.mark.parametrize(
    ("word", "object_particle", "direction"),
    [
        # Hangul: the last syllable decides; ㄹ takes 로.
        ("부하 테스트", "를", "로"),
        ("캐싱", "을", "으로"),
        ("파일", "을", "로"),
        # Latin words by their loanword reading.
        ("Git", "을", "으로"),  # 깃
        ("Slack", "을", "으로"),  # 슬랙
        ("Web", "을", "으로"),  # 웹
        ("Spring Boot", "를", "로"),  # 부트
        ("React", "를", "로"),  # 리액트
        ("Redis", "를", "로"),
        ("Python", "을", "으로"),  # 파이썬
        ("Kotlin", "을", "으로"),
        ("Helm", "을", "으로"),  # 헬름
        ("Spring", "을", "으로"),  # 스프링
        ("Google", "을", "로"),  # 구글: ㄹ
        ("Hadoop", "을", "으로"),  # 하둡 (listed reading)
        ("Kubernetes", "를", "로"),
        ("Jenkins", "를", "로"),
        # Acronyms letter by letter: L, M, N, R end in a consonant.
        ("SQL", "을", "로"),  # 에스큐엘
        ("LLM", "을", "으로"),  # 엘엘엠
        ("AWS", "를", "로"),  # 에이더블유에스
        ("API", "를", "로"),
        # Numbers alone in Sino-Korean; after letters in English; units by their Korean word.
        ("3", "을", "으로"),  # 삼
        ("2", "를", "로"),  # 이
        ("10", "을", "으로"),  # 십
        ("100", "을", "으로"),  # 백
        ("1,000", "을", "으로"),  # 천
        ("20000", "을", "으로"),  # 이만
        ("2.5", "를", "로"),  # 이 점 오
        ("7", "을", "로"),  # 칠: ㄹ
        ("EC2", "를", "로"),  # 이씨투
        ("k6", "를", "로"),  # 케이식스
        ("GPT-4", "를", "로"),  # 포
        ("420ms", "를", "로"),  # 밀리초
        ("80%", "를", "로"),  # 퍼센트
        ("5분", "을", "으로"),
        # Symbols and parentheses.
        ("C#", "을", "으로"),  # 씨샵
        ("C++", "를", "로"),  # 플러스
        ("데이터 흐름(소스, 적재)", "을", "으로"),  # the word before the parenthesis
        ("\u2018주문 전환\u2019", "을", "으로"),
    ],
)
def test_particles_follow_the_reading(word: str, object_particle: str, direction: str) -> None:
    assert josa(f"{word}을(를)") == f"{word}{object_particle}"
    assert josa(f"{word}(으)로") == f"{word}{direction}"


def test_every_marker_pair() -> None:
    assert josa("Git이(가) Redis이(가) Git은(는) Redis은(는) Git와(과) Redis와(과)") == (
        "Git이 Redis가 Git은 Redis는 Git과 Redis와"
    )
    assert josa(
        "\u2018role\u2019(이)라고 \u2018요약\u2019(이)라고 \u2018SQL\u2019(이)라는 Go(이)나 Git(이)며"
    ) == ("\u2018role\u2019이라고 \u2018요약\u2019이라고 \u2018SQL\u2019이라는 Go나 Git이며")


def test_unknown_endings_read_as_a_vowel() -> None:
    assert final_sound("") == ""
    assert final_sound("!!!") == ""


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("8-week", "an"),
        ("18-week", "an"),
        ("11-step", "an"),
        ("12-week", "a"),
        ("80-page", "an"),
        ("Android", "an"),
        ("iOS", "an"),
        ("event-driven", "an"),
        ("hour", "an"),
        ("unit", "a"),
        ("user", "a"),
        ("one-off", "a"),
        ("European", "a"),
        ("SQL", "an"),
        ("LLM-based", "an"),
        ("MLflow-managed", "an"),
        ("HTML/CSS", "an"),
        ("API", "an"),
        ("URL", "a"),
        ("UX", "a"),
        ("REST", "a"),  # said as a word
        ("README", "a"),
        ("JSON", "a"),
        ("OWASP", "an"),
        ("NoSQL", "a"),
        ("backend", "a"),
    ],
)
def test_articles_by_sound(word: str, expected: str) -> None:
    assert article(word) == expected


def test_articles_are_fixed_outside_the_candidates_words() -> None:
    text = "A 18-week plan in a Android app, about \u201ca old system\u201d and a \u201cAndroid rewrite\u201d"
    spans = [(text.index("\u201ca old"), text.index("system\u201d") + 7)]
    assert fix_articles(text, spans) == (
        "An 18-week plan in an Android app, about \u201ca old system\u201d and an \u201cAndroid rewrite\u201d"
    )


def test_plurals_and_sentence_capitals() -> None:
    assert plural(1, "week") == "1 week"
    assert plural(3, "week") == "3 weeks"
    assert plural(2, "person", "people") == "2 people"
    capitalised = capitalise_sentences("load testing matters. caching too? yes")
    assert capitalised == "Load testing matters. Caching too? Yes"


def test_tidy_removes_doubled_punctuation_and_names() -> None:
    doubled = "Your summary says \u201cI build APIs.\u201d. Then?."
    assert tidy(doubled, "en") == "Your summary says \u201cI build APIs.\u201d Then?"
    assert tidy("the REST API API contract", "en") == "The REST API contract"
    assert tidy("(latency, throughput, ...) stay", "en") == "(latency, throughput, ...) stay"
    assert tidy("\u2018요약입니다.\u2019.라고 Git을(를)", "ko") == "\u2018요약입니다.\u2019라고 Git을"
