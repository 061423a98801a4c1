"""Small language rules the offline generator writes by, and the quality report checks against.

Korean particles (조사) depend on whether the word before them ends in a final consonant (받침): 을/를, 이/가,
은/는, 과/와, 이라고/라고, and 으로/로 (where ㄹ takes 로). For Hangul the last syllable says it. For the
rest we use the Korean reading of the word, where one is well defined:

- Numbers written alone are read in Sino-Korean ("3" 삼, "10" 십, "1,000" 천, "2.5" 이 점 오): the last
  non-zero digit, or the power of ten the number ends on (십, 백, 천, 만...), decides.
- A number right after Latin letters is part of a name and read in English ("EC2" 이씨투, "k6" 케이식스,
  "S3" 에스쓰리): its last digit's English name decides.
- A unit after a number is read as its Korean word ("ms" 밀리초, "%" 퍼센트, "GB" 기가바이트, "x" 배).
- An acronym (two or more capitals, "SQL", "AWS", "LLM") is read letter by letter: L 엘, M 엠, N 엔, R 알 end
  in a consonant, the other letters do not.
- Other Latin words are read the way loanwords are transcribed (국립국어원 외래어 표기법): a final m, n,
  ng, l (and "-le", "-me", "-ne") is a final consonant; a final p, t, k (ck) after one short vowel becomes
  ㅂ, ㅅ, ㄱ ("Git" 깃, "Slack" 슬랙, "Web" 웹), and after a long vowel or a cluster it becomes a syllable of
  its own ("Boot" 부트, "React" 리액트, "Next" 넥스트); anything else ends in a vowel. Words the rule reads
  wrong are listed in `_READINGS`.
- A parenthesis is skipped: the particle after it belongs to the word before it ("흐름(소스, 적재)을").

No maintained Python library covers this: the Korean josa packages on PyPI handle Hangul only (and most are
unmaintained), and none reads Latin tech words or numbers, which is most of what the generator fills in.

English: "a"/"an" by the sound of the next word (acronyms by their letter names, numbers by how they are
said: "an 8-week", "an 18-week", "a 12-week"), and plural nouns after counts."""

from __future__ import annotations

import re

# Neutral markers templates write after a value whose last sound is unknown until it is filled in.
_MARKERS: dict[str, tuple[str, str]] = {  # marker -> (after a final consonant, after a vowel)
    "을(를)": ("을", "를"),
    "를(을)": ("을", "를"),
    "이(가)": ("이", "가"),
    "가(이)": ("이", "가"),
    "은(는)": ("은", "는"),
    "는(은)": ("은", "는"),
    "와(과)": ("과", "와"),
    "과(와)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)라는": ("이라는", "라는"),
    "(이)라고": ("이라고", "라고"),
    "(이)나": ("이나", "나"),
    "(이)며": ("이며", "며"),
}
MARKER = re.compile("|".join(re.escape(m) for m in sorted(_MARKERS, key=len, reverse=True)))

# Sino-Korean readings: the final consonant of each digit (일 이 삼 사 오 육 칠 팔 구; 영 for zero) and of the
# powers of ten a number can end on (십 백 천 만 억 조).
_SINO_DIGIT = {
    "0": "ㅇ",
    "1": "ㄹ",
    "2": "",
    "3": "ㅁ",
    "4": "",
    "5": "",
    "6": "ㄱ",
    "7": "ㄹ",
    "8": "ㄹ",
    "9": "",
}
# English digit names as said in Korean (원 투 쓰리 포 파이브 식스 세븐 에잇 나인 제로).
_ENGLISH_DIGIT = {
    "0": "",
    "1": "ㄴ",
    "2": "",
    "3": "",
    "4": "",
    "5": "",
    "6": "",
    "7": "ㄴ",
    "8": "ㅅ",
    "9": "ㄴ",
}
# Letter names: only 엘 (L), 엠 (M), 엔 (N) and 알 (R) end in a consonant.
_LETTER = {"L": "ㄹ", "M": "ㅁ", "N": "ㄴ", "R": "ㄹ"}
# Units written after a number, by their Korean word.
_UNITS = {
    "ms": "",  # 밀리초
    "s": "",  # 초
    "sec": "",
    "secs": "",
    "m": "ㄴ",  # 분
    "min": "ㄴ",
    "mins": "ㄴ",
    "h": "ㄴ",  # 시간
    "hr": "ㄴ",
    "hrs": "ㄴ",
    "x": "",  # 배
    "k": "ㄴ",  # 천
    "kb": "",  # 킬로바이트
    "mb": "",
    "gb": "",
    "tb": "",
    "tps": "",  # 티피에스
    "qps": "",
    "rps": "",
}
_SYMBOLS = {"%": "", "+": "", "#": "ㅂ", "&": ""}  # 퍼센트, 플러스, 샵, 앤드
# Latin words the transcription rule reads wrong, by their usual Korean reading's final consonant.
_READINGS = {
    "hub": "",  # 허브
    "web": "ㅂ",  # 웹
    "lab": "ㅂ",  # 랩
    "job": "ㅂ",  # 잡
    "jobs": "",  # 잡스
    "club": "ㅂ",  # 클럽
    "book": "ㄱ",  # 북
    "hook": "ㄱ",  # 훅
    "facebook": "ㄱ",
    "notebook": "ㄱ",
    "jupyter": "",
    "kotlin": "ㄴ",
    "python": "ㄴ",  # 파이썬
    "vite": "",  # 비트
    "native": "",  # 네이티브
    "compose": "",  # 컴포즈
    "apache": "",  # 아파치
    "cache": "",  # 캐시
    "nginx": "",  # 엔진엑스
    "datadog": "ㄱ",  # 데이터독
    "hadoop": "ㅂ",  # 하둡
    "metasploit": "ㅅ",  # 메타스플로잇
    "snyk": "ㄱ",  # 스닉
    "django": "",
    "unity": "",
    "figma": "",
    "excel": "ㄹ",
    "google": "ㄹ",
    "ops": "",  # 옵스
    "devops": "",
    "mlops": "",
    "sre": "",
    "ci": "",
    "cd": "",
    "k8s": "",  # 케이에이츠
}
_UNIT_AT_END = re.compile(r"(\d)\s?([A-Za-z]{1,4})$")
_NUMBER_AT_END = re.compile(r"([A-Za-z]-?)?(\d[\d,]*(?:\.\d+)?)$")
_WORD_AT_END = re.compile(r"[A-Za-z]+$")
_NUMBER_START = re.compile(r"[\d,.]+")
_WORD_START = re.compile(r"[A-Za-z]+")
_CAPITALS = re.compile(r"[A-Z]{2,}")
_CLOSERS = "\u2019\u201d'\")]}」』 .,!?…"
_HANGUL_BASE = 0xAC00
_VOWELS = "aeiou"


def _sino_final(number: str) -> str:
    digits = number.replace(",", "")
    if "." in digits:
        whole, fraction = digits.split(".", 1)
        fraction = fraction.rstrip("0")
        if fraction:
            return _SINO_DIGIT[fraction[-1]]  # "2.5" 이 점 오
        digits = whole
    digits = digits.lstrip("0") or "0"
    zeros = len(digits) - len(digits.rstrip("0"))
    if digits == "0" or zeros == 0:
        return _SINO_DIGIT[digits[-1]]
    if zeros < 4:
        return {1: "ㅂ", 2: "ㄱ", 3: "ㄴ"}[zeros]  # 십, 백, 천
    return "ㄴ" if zeros < 8 else "ㄱ" if zeros < 12 else ""  # 만, 억, 조


def _word_final(word: str) -> str:
    lower = word.lower()
    if lower in _READINGS:
        return _READINGS[lower]
    if (len(word) >= 2 and word.isupper()) or len(word) == 1:  # an acronym or a single letter: letter names
        return _LETTER.get(word[-1].upper(), "")
    if lower.endswith("ng"):
        return "ㅇ"
    if lower.endswith(("le", "ll")) or lower[-1] == "l":
        return "ㄹ"
    if lower[-1] == "m" or lower.endswith("me"):
        return "ㅁ"
    if lower[-1] == "n" or lower.endswith("ne"):
        return "ㄴ"
    if lower.endswith("ck"):
        return "ㄱ"
    last = lower[-1]
    if last in "ptk" and len(lower) >= 2 and lower[-2] in _VOWELS:
        # One short vowel before the stop (not "oo", "ee", "ea"...): Git 깃, Chat 챗, Slack 슬랙, Setup 셋업.
        if len(lower) >= 3 and lower[-3] in _VOWELS:
            return "ㄱ" if lower.endswith("ook") else ""  # Boot 부트, Sheet 시트; but Hook 훅
        return {"p": "ㅂ", "t": "ㅅ", "k": "ㄱ"}[last]
    return ""


def final_sound(before: str) -> str:
    """The final consonant of the text before a particle: "" for a vowel (and for endings we cannot read)."""
    text = before.rstrip(_CLOSERS)
    # A particle after a parenthesis belongs to the word before it: "데이터 흐름(소스, 적재)을".
    while before.rstrip(" ").endswith(")") and "(" in before:
        inner_start = before.rstrip(" ")[:-1].rfind("(")
        if inner_start <= 0:
            break
        before = before[:inner_start]
        text = before.rstrip(_CLOSERS)
    if not text:
        return ""
    last = text[-1]
    if last in _SYMBOLS:
        return _SYMBOLS[last]
    if "\uac00" <= last <= "\ud7a3":
        index = (ord(last) - _HANGUL_BASE) % 28
        return "" if index == 0 else "ㄹ" if index == 8 else "ㄱ"  # only "none" and ㄹ matter to particles
    unit = _UNIT_AT_END.search(text)
    if unit and unit.group(2).lower() in _UNITS:
        return _UNITS[unit.group(2).lower()]
    number = _NUMBER_AT_END.search(text)
    if number:
        if number.group(1):  # part of a name: "EC2", "k6", "GPT-4"
            return _ENGLISH_DIGIT[number.group(2)[-1]]
        return _sino_final(number.group(2))
    word = _WORD_AT_END.search(text)
    return _word_final(word.group()) if word else ""


def particle(marker: str, before: str) -> str:
    """The form of a neutral marker ("을(를)", "(으)로"...) that follows `before`."""
    consonant, vowel = _MARKERS[marker]
    final = final_sound(before)
    if marker == "(으)로" and final == "ㄹ":
        return vowel  # ㄹ takes 로: "파일로", "SQL로"
    return consonant if final else vowel


def josa(text: str) -> str:
    """Replaces every neutral marker by the particle the word before it takes."""
    return MARKER.sub(lambda m: particle(m.group(), text[: m.start()]), text)


# Particles as they appear in finished text, for the quality report's lint: the longest forms first.
PARTICLES: dict[str, tuple[str, str]] = {
    "이라고": ("이라고", "라고"),
    "라고": ("이라고", "라고"),
    "이라는": ("이라는", "라는"),
    "라는": ("이라는", "라는"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "은": ("은", "는"),
    "는": ("은", "는"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "이": ("이", "가"),
    "가": ("이", "가"),
}


def expected_particle(found: str, before: str) -> str:
    consonant, vowel = PARTICLES[found]
    final = final_sound(before)
    if consonant == "으로" and final == "ㄹ":
        return vowel
    return consonant if final else vowel


# ---- English -------------------------------------------------------------------------------------------

# Letters whose English names start with a vowel sound: "an SQL", "an LLM", "an HTTP", "an MVP".
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
# Words spelt with a vowel but said with a consonant ("a unit", "a one-off", "a European"), and the reverse.
_CONSONANT_SOUND = re.compile(r"^(?:uni|use|usa|usu|uti|ubiq|eu|ewe|one|once)", re.I)
_VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir)", re.I)
# Capitalised abbreviations said as words, not letter by letter: "a REST API", "a JSON file", "an OWASP list".
_SAID_AS_WORDS = frozenset(
    {
        "REST",
        "JSON",
        "YAML",
        "CRUD",
        "SIEM",
        "SOAP",
        "RAM",
        "WASM",
        "GIF",
        "JPEG",
        "NASA",
        "CORS",
        "OWASP",
        "SaaS",
        "README",
    }
)


def _number_starts_with_vowel(number: str) -> bool:
    digits = number.replace(",", "").split(".", 1)[0]
    # eight, eighty, eight hundred...; eleven, eighteen (thousand, million)
    return (
        digits.startswith("8")
        or digits in ("11", "18")
        or (len(digits) in (5, 8) and digits[:2] in ("11", "18"))
    )


def article(word: str) -> str:
    """ "a" or "an" for the word that follows it."""
    word = word.lstrip("\u201c\u2018\"'(")
    if not word:
        return "a"
    if word[0].isdigit():
        return "an" if _number_starts_with_vowel(_NUMBER_START.match(word).group()) else "a"  # type: ignore[union-attr]
    head = _WORD_START.match(word)
    if head is None:
        return "a"
    token = head.group()
    capitals = _CAPITALS.match(token)
    if capitals and token not in _SAID_AS_WORDS and capitals.group() not in _SAID_AS_WORDS:
        # An acronym ("LLM", "HTML/CSS", "MLflow"), said letter by letter.
        return "an" if token[0] in _VOWEL_LETTERS else "a"
    if _VOWEL_SOUND.match(token):
        return "an"
    if token[0].lower() in _VOWELS:
        return "a" if _CONSONANT_SOUND.match(token) else "an"
    return "a"


_ARTICLE = re.compile(r"\b(a|an|A|An)(\s+)(?=[\u201c\u2018\"']?[A-Za-z0-9])")


def fix_articles(text: str, protected: list[tuple[int, int]] | None = None) -> str:
    """Sets every "a"/"an" by the word after it, except inside `protected` spans (the candidate's words)."""

    def pick(match: re.Match[str]) -> str:
        if protected and any(start <= match.start() < end for start, end in protected):
            return match.group()
        chosen = article(text[match.end() :])
        if match.group(1)[0] == "A":
            chosen = chosen.capitalize()
        return chosen + match.group(2)

    return _ARTICLE.sub(pick, text)


_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def capitalise_sentences(text: str, protected: list[tuple[int, int]] | None = None) -> str:
    """An English sentence starts with a capital, whatever value a template put first."""

    def up(match: re.Match[str]) -> str:
        if protected and any(start <= match.start(2) < end for start, end in protected):
            return match.group()
        return match.group(1) + match.group(2).upper()

    return _SENTENCE_START.sub(up, text)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 week", "3 weeks"."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"
