"""The /test page's fixes (issue 17): errors beside the action that failed (scrolled into view), stale results
cleared, a 390 px screen without sideways scrolling, Korean words kept whole, Korean validation messages, and
the page's icon. The provider list from the health endpoints has its own module (a runtime with providers)."""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import expect

from local.runtime import LocalRuntime
from tests.e2e.conftest import (
    GENERATION_TIMEOUT_MS,
    PHONE_WIDTH,
    artifact,
    create_sample,
    error_box,
    expect_no_error,
    horizontal_overflow,
    in_viewport,
    open_page,
    screenshot,
)

# A realistic access token: a JWT is one unbroken line of several hundred characters.
LONG_TOKEN = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9." + "A" * 600 + ".sig"

# Hangul syllables that belong to one word but sit on different lines; `body` is where to look.
BROKEN_KOREAN_WORDS = """(root) => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || !parent.getClientRects().length || parent.closest("textarea, select, option")) continue;
    for (const match of node.data.matchAll(/[\\uac00-\\ud7a3]{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const lines = new Set(rects.map((r) => Math.round(r.bottom)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


def row_of(page: Any, button_testid: str) -> Any:
    return page.get_by_test_id(button_testid).locator("xpath=ancestor::div[contains(@class, 'row')][1]")


def assert_right_after(page: Any, button_testid: str, box: Any) -> None:
    """The error box is the element right after the button's row, in the same card, just below it."""
    row = row_of(page, button_testid)
    assert row.evaluate("(row, box) => row.nextElementSibling === box", box.element_handle())
    gap = box.evaluate(
        "(box, row) => box.getBoundingClientRect().top - row.getBoundingClientRect().bottom",
        row.element_handle(),
    )
    assert 0 <= gap <= 24, gap
    same_card = "(box, button) => box.closest('section') === button.closest('section')"
    assert box.evaluate(same_card, page.get_by_test_id(button_testid).element_handle())


def click_without_scrolling(page: Any, testid: str) -> None:
    """A click through the DOM: Playwright's own click would scroll the button into view first."""
    page.get_by_test_id(testid).evaluate("button => button.click()")


def test_error_beside_the_failed_action_scrolled_into_view_and_stale_result_cleared(
    page: Any, runtime: LocalRuntime
) -> None:
    page.set_viewport_size({"width": 1100, "height": 700})
    open_page(page, runtime)
    key = create_sample(page, "sample-short")
    page.get_by_test_id("opt-count").fill("3")
    page.get_by_test_id("run-sync").click()
    expect(page.get_by_test_id("question-card")).to_have_count(3, timeout=GENERATION_TIMEOUT_MS)
    expect(page.get_by_test_id("progress-value")).to_have_text("100")

    # The resume goes away behind the page's back; the user is reading the results at the bottom.
    deleted = page.request.delete(f"{runtime.http_url}/api/v1/resumes/{key}")
    assert deleted.status == 204
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    assert not in_viewport(page.get_by_test_id("run-sync"))
    click_without_scrolling(page, "run-sync")

    box = error_box(page, "generate")
    expect(box).to_be_visible()
    expect(box.get_by_test_id("error-message")).to_have_text("No resume exists with this key.")
    expect(box.get_by_test_id("error-code")).to_contain_text(
        "resume_not_found · HTTP status 404 · request id"
    )
    assert_right_after(page, "run-sync", box)
    assert in_viewport(box), "the page scrolls to the error"
    # The previous run's result and progress are gone: nothing on screen claims the failed run produced them.
    expect(page.get_by_test_id("question-card")).to_have_count(0)
    expect(page.get_by_test_id("no-result")).to_be_visible()
    expect(page.get_by_test_id("progress-value")).to_have_text("0")
    expect(page.locator(".error:not([hidden])")).to_have_count(1)
    screenshot(page, "error-beside-run-scrolled-into-view", full_page=False)

    # Another action: the earlier error goes, the new one appears beside its own button; the resume shown
    # before is stale as soon as another is asked for.
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.get_by_test_id("load-key").evaluate("input => { input.value = 'B'.repeat(22); }")
    click_without_scrolling(page, "load-button")
    load_box = error_box(page, "load")
    expect(load_box.get_by_test_id("error-code")).to_contain_text("resume_not_found")
    expect(box).to_be_hidden()
    expect(page.get_by_test_id("current-resume")).to_be_hidden()
    assert_right_after(page, "load-button", load_box)
    assert in_viewport(load_box)
    screenshot(page, "error-beside-load-scrolled-into-view", full_page=False)

    # A check made in the page itself shows the same way.
    click_without_scrolling(page, "run-async")
    expect(error_box(page, "generate").get_by_test_id("error-message")).to_have_text(
        "Create or load a resume first."
    )
    expect(load_box).to_be_hidden()
    assert in_viewport(error_box(page, "generate"))


def test_each_action_has_its_error_box_beside_its_button(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    page.get_by_test_id("resume-json").fill("{not json")
    page.get_by_test_id("create-resume").click()
    expect(error_box(page, "create-json").get_by_test_id("error-message")).to_contain_text(
        "The resume JSON is not valid JSON"
    )
    assert_right_after(page, "create-resume", error_box(page, "create-json"))

    page.locator("details.form > summary").click()
    page.get_by_test_id("create-from-form").click()
    form_box = error_box(page, "create-form")
    expect(form_box.get_by_test_id("error-message")).to_have_text("A summary is required.")
    assert form_box.evaluate(
        "(box, button) => button.nextElementSibling === box",
        page.get_by_test_id("create-from-form").element_handle(),
    )
    expect(error_box(page, "create-json")).to_be_hidden()

    page.get_by_test_id("list-resumes").click()  # authentication off: a note in the list's place, no error
    expect(page.get_by_test_id("resumes-note")).to_be_visible()
    expect_no_error(page)
    screenshot(page, "error-beside-create-from-form")


def test_phone_width_has_no_sideways_scrolling(phone: Any, runtime: LocalRuntime) -> None:
    page = phone
    open_page(page, runtime)
    assert page.evaluate("() => window.innerWidth") == PHONE_WIDTH
    assert horizontal_overflow(page) <= 0
    page.get_by_test_id("access-token").fill(LONG_TOKEN)
    expect(page.get_by_test_id("token-state")).to_have_text("토큰 설정됨: Authorization: Bearer로 보냅니다")
    assert horizontal_overflow(page) <= 0, "the token field fits the screen"
    page.get_by_test_id("forget-token").click()

    create_sample(page, "sample-rich-ko")
    page.get_by_test_id("run-sync").click()
    expect(page.get_by_test_id("question-card")).to_have_count(5, timeout=GENERATION_TIMEOUT_MS)
    for card in page.get_by_test_id("question-details").all():
        card.locator("summary").click()
    assert horizontal_overflow(page) <= 0, "questions fit the screen"
    screenshot(page, "phone-390-questions")

    page.get_by_test_id("kind-learning").check()
    page.get_by_test_id("opt-jd").fill(
        "Go, Kubernetes, PostgreSQL, https://careers.example.com/jobs/12345678901234567890"
    )
    page.get_by_test_id("run-async").click()
    expect(page.get_by_test_id("step").first).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    assert horizontal_overflow(page) <= 0, "the learning path and the event log fit the screen"
    screenshot(page, "phone-390-learning-path")

    page.get_by_test_id("resume-json").fill(
        json.dumps({"summary": "백엔드 개발자", "hobby": "체스"}, ensure_ascii=False)
    )
    page.get_by_test_id("create-resume").click()
    expect(error_box(page, "create-json")).to_be_visible()
    assert horizontal_overflow(page) <= 0, "an error with details fits the screen"
    screenshot(page, "phone-390-error", full_page=False)


def test_korean_words_are_kept_whole(phone: Any, runtime: LocalRuntime) -> None:
    page = phone
    open_page(page, runtime)
    assert page.evaluate("() => getComputedStyle(document.body).wordBreak") == "keep-all"
    create_sample(page, "sample-rich-ko")
    page.get_by_test_id("kind-learning").check()
    page.get_by_test_id("run-sync").click()
    expect(page.get_by_test_id("step").first).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    main = page.locator("main")
    assert main.evaluate(BROKEN_KOREAN_WORDS) == []
    screenshot(page, "phone-390-korean-words-whole")

    # The check has teeth: with the browser's default line breaking, Korean words do break at this width.
    page.evaluate("() => { document.body.style.wordBreak = 'normal'; }")
    assert main.evaluate(BROKEN_KOREAN_WORDS) != []
    page.evaluate("() => { document.body.style.wordBreak = ''; }")
    assert main.evaluate(BROKEN_KOREAN_WORDS) == []


def test_validation_messages_in_the_korean_ui(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime, "?lang=ko")
    assert page.locator("body").get_attribute("data-i18n-missing") == "", "every UI string exists in both"

    # 422 from the API: the message and each field's problem in Korean, the field named as in the JSON.
    body = {
        "summary": "백엔드 개발자",
        "hobby": "체스",
        "name": "가" * 101,
        "work_experiences": [{"team_size": 0}],
    }
    page.get_by_test_id("resume-json").fill(json.dumps(body, ensure_ascii=False))
    page.get_by_test_id("create-resume").click()
    box = error_box(page, "create-json")
    expect(box.get_by_test_id("error-message")).to_have_text("요청에 올바르지 않은 항목이 있습니다.")
    expect(box.get_by_test_id("error-code")).to_contain_text("validation_error · HTTP 상태 422 · 요청 ID")
    details = box.get_by_test_id("error-details").locator("li")
    texts = details.all_text_contents()
    assert "hobby: 허용되지 않는 항목입니다 (알 수 없는 필드)." in texts, texts
    assert "name: 최대 100자까지 입력할 수 있습니다." in texts, texts
    assert "work_experiences[0].company: 필수 항목입니다." in texts, texts
    assert "work_experiences[0].team_size: 1 이상이어야 합니다." in texts, texts
    assert not any(re.search(r"[A-Z][a-z]+ (should|inputs|required)", text) for text in texts), texts
    screenshot(page, "korean-validation-422")

    # The same error in English: the API's own words.
    page.get_by_test_id("ui-lang").select_option("en")
    expect(box.get_by_test_id("error-message")).to_have_text("The request has invalid fields.")
    expect(box.get_by_test_id("error-details")).to_contain_text("hobby: Extra inputs are not permitted")
    page.get_by_test_id("ui-lang").select_option("ko")
    expect(box.get_by_test_id("error-message")).to_have_text("요청에 올바르지 않은 항목이 있습니다.")

    # The API's own rule (both forms of the summary), in Korean.
    both = {"summary": "백엔드 개발자", "career_summary": "백엔드 개발자"}
    page.get_by_test_id("resume-json").fill(json.dumps(both, ensure_ascii=False))
    page.get_by_test_id("create-resume").click()
    expect(box.get_by_test_id("error-details")).to_have_text("summary와 career_summary 중 하나만 입력하세요.")

    # Checks made in the page before sending.
    page.locator("details.form > summary").click()
    page.get_by_test_id("create-from-form").click()
    expect(error_box(page, "create-form").get_by_test_id("error-message")).to_have_text("요약은 필수입니다.")
    page.get_by_test_id("form-summary").fill("5년차 백엔드 개발자")
    page.get_by_test_id("form-years").fill("99")
    page.get_by_test_id("create-from-form").click()
    expect(error_box(page, "create-form").get_by_test_id("error-message")).to_have_text(
        "경력은 0에서 60 사이의 숫자여야 합니다."
    )
    page.get_by_test_id("form-years").fill("5")
    page.get_by_test_id("create-from-form").click()
    expect(page.get_by_test_id("resume-language")).to_have_text("ko")
    page.get_by_test_id("opt-count").fill("11")
    page.get_by_test_id("run-sync").click()
    generate = error_box(page, "generate")
    expect(generate.get_by_test_id("error-message")).to_have_text(
        "질문 수는 1에서 10 사이의 정수여야 합니다."
    )
    page.get_by_test_id("load-key").fill("")
    page.get_by_test_id("load-button").click()
    expect(error_box(page, "load").get_by_test_id("error-message")).to_have_text(
        "불러올 이력서의 키를 입력하세요."
    )
    page.get_by_test_id("load-key").fill("C" * 22)
    page.get_by_test_id("load-button").click()
    expect(error_box(page, "load").get_by_test_id("error-message")).to_have_text("이 키의 이력서가 없습니다.")
    screenshot(page, "korean-validation-client-checks")


def test_the_page_declares_an_icon_the_csp_allows(page: Any, runtime: LocalRuntime) -> None:
    """A declared icon: browsers ask for it instead of guessing /favicon.ico. It is relative (a stage prefix
    works) and served from the page's own origin, which the page's img-src 'self' allows (img-src governs
    icons: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/img-src)."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    open_page(page, runtime)
    icon = page.locator('link[rel="icon"]')
    expect(icon).to_have_count(1)
    assert icon.get_attribute("href") == "test/icon.svg" and icon.get_attribute("type") == "image/svg+xml"
    response = page.request.get(f"{runtime.http_url}/test/icon.svg")
    assert response.status == 200 and response.headers["content-type"] == "image/svg+xml"

    # Chromium loads and decodes it under the page's own Content-Security-Policy, at the sizes a tab, a
    # bookmark and a home screen use.
    sizes = page.evaluate(
        """async (href) => {
          const strip = document.createElement("div");
          strip.dataset.testid = "icon-strip";
          strip.style.cssText = "display:flex;gap:12px;align-items:end;padding:12px;background:#fff";
          const sizes = [];
          for (const px of [16, 32, 48, 96]) {
            const img = new Image(px, px);
            img.src = href;
            await img.decode();
            sizes.push(img.naturalWidth);
            strip.appendChild(img);
          }
          document.querySelector("header").appendChild(strip);
          return sizes;
        }""",
        icon.evaluate("link => link.href"),
    )
    assert all(size > 0 for size in sizes), sizes
    assert violations == [], violations
    page.get_by_test_id("icon-strip").screenshot(path=str(artifact("icon")))
