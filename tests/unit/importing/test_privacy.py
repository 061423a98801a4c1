"""Personal data found locally, kept in `name` and `contact`, and replaced by placeholders in the text a
provider may see."""

from __future__ import annotations

import pytest

from careercoach.importing.privacy import PLACEHOLDER, find_contact_data, find_name, redact


@pytest.mark.parametrize(
    "phone",
    [
        "010-1234-5678",
        "010 1234 5678",
        "010.1234.5678",
        "01012345678",
        "+82 10-1234-5678",
        "+82-10-1234-5678",
        "(02) 123-4567",
        "02-3456-7890",
        "031-987-6543",
        "+1 (415) 555-0142",
        "+44 20 7946 0958",
        "+49 30 12345678",
    ],
)
def test_phone_numbers_in_korean_and_international_formats(phone: str) -> None:
    found = find_contact_data(f"연락처: {phone} 으로 연락 주세요", english=False)
    assert [(f.kind, f.value) for f in found] == [("phone", phone)]


def test_us_numbers_without_a_country_code_in_english_text() -> None:
    found = find_contact_data("Phone (415) 555-0142", english=True)
    assert [(f.kind, f.value) for f in found] == [("phone", "(415) 555-0142")]


@pytest.mark.parametrize(
    "text",
    [
        "2019.01 ~ 2022.08 메가커머스",
        "초당 12,000건 결제 요청, p99 1.5초에서 300ms로",
        "사업자등록번호 123-45-67890",
        "ISBN 978-3-16-148410-0, v1.2.3, 2021-03-15",
        "Reduced latency from 2.4s to 900ms for 1,200,000 users in 2020",
        "Built 20190122 release pipeline",
    ],
)
def test_numbers_that_are_not_phones_stay(text: str) -> None:
    assert find_contact_data(text, english=True) == []


def test_emails_and_profile_links_are_classified_into_contact() -> None:
    text = (
        "김개발\n"
        "kim.dev+jobs@mail.example.co.kr · 010-1234-5678\n"
        "github.com/kimdev · https://www.linkedin.com/in/kim-dev · https://velog.io/@kimdev\n"
        "포트폴리오: https://kimdev.me/works\n"
        "경력\n"
        "오픈마켓 | 백엔드 개발자 | 2022.09 ~ 현재\n"
        "• Kafka 도입 (https://kafka.apache.org 문서 참고)\n"
    )
    redacted = redact(text, english=False)
    assert redacted.name == "김개발"
    assert redacted.contact is not None
    assert redacted.contact.model_dump(exclude_none=True) == {
        "email": "kim.dev+jobs@mail.example.co.kr",
        "phone": "010-1234-5678",
        "github": "https://github.com/kimdev",
        "linkedin": "https://www.linkedin.com/in/kim-dev",
        "blog": "https://velog.io/@kimdev",
        "website": "https://kimdev.me/works",
    }
    # contact-only lines are gone; a library's homepage in an achievement is not personal and stays
    assert redacted.text.split("\n") == [
        "경력",
        "오픈마켓 | 백엔드 개발자 | 2022.09 ~ 현재",
        "• Kafka 도입 (https://kafka.apache.org 문서 참고)",
    ]
    assert redacted.counts == {"emails": 1, "phones": 1, "links": 4, "name": 1, "dropped_lines": 4}


def test_inline_personal_data_becomes_placeholders_and_the_name_goes_everywhere() -> None:
    text = (
        "Alex Morgan\nSummary\nAlex Morgan builds web apps; reach alex@example.org or see "
        "github.com/alexm/dotfiles. Again: alex@example.org\n"
    )
    redacted = redact(text, english=True)
    assert redacted.name == "Alex Morgan"
    body = redacted.text
    assert "Alex" not in body and "alex@example.org" not in body and "github.com" not in body
    assert body.count("[EMAIL_1]") == 2 and "[NAME] builds" in body and "[LINK_1]" in body


def test_korean_name_with_a_particle_is_replaced() -> None:
    redacted = redact("김개발\n요약\n김개발이 만든 도구와 김개발의 블로그", english=False)
    assert redacted.text == "요약\n[NAME]이 만든 도구와 [NAME]의 블로그"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("# 박프론트\n요약\n...", "박프론트"),
        ("이력서 - 김개발\n요약", "김개발"),
        ("Resume\n성명: 이신입\n요약", "이신입"),
        ("LUCAS FERREIRA | ML Engineer\nSummary", "LUCAS FERREIRA"),
        ("Daniel Okafor\nSummary", "Daniel Okafor"),
        (
            "김하이브리드\nBackend engineer · 백엔드 개발자\n요약",
            "김하이브리드",
        ),  # ends in 리드, still a name
        ("Backend Engineer\nSummary\nI build things", None),
        ("백엔드 개발자\n요약", None),
        ("요약\n데이터 분석 업무를 2년간 했고 SQL과 파이썬을 주로 씁니다.", None),
    ],
)
def test_the_name_line(text: str, name: str | None) -> None:
    assert find_name(text) == name


def test_personal_information_lines_and_sections_are_dropped() -> None:
    text = (
        "요약\n백엔드 개발자입니다.\n생년월일: 1995.01.01\n주소: 서울시 강남구 테헤란로 1\n"
        "인적사항\n병역: 군필\n취미: 등산\n경력\n메가커머스 | 테크 리드 | 2019.01 ~ 현재"
    )
    redacted = redact(text, english=False)
    assert redacted.text == "요약\n백엔드 개발자입니다.\n경력\n메가커머스 | 테크 리드 | 2019.01 ~ 현재"
    assert redacted.counts["dropped_lines"] == 5


def test_extra_values_are_warned_about_not_kept() -> None:
    redacted = redact("a@example.com\nb@example.com\n요약\n백엔드 개발자", english=False)
    assert redacted.contact is not None and redacted.contact.email == "a@example.com"
    assert any("1 more email" in warning for warning in redacted.warnings)
    assert not PLACEHOLDER.search(redacted.text)
