"""An interview question set as a Markdown document: each question with its intent, the resume item it
probes, the key points of a good answer and the follow-ups.

Every piece of text in a set comes from a resume or from a model that read one, so all of it is escaped
before it goes into Markdown: a quote such as `[prize](https://example.com)` or `<img src=x>` must show as
those characters, never become a link, an image or HTML. No maintained library escapes text for Markdown
(renderers parse it; none writes it), so this module does, with CommonMark's own rule: an ASCII punctuation
character after a backslash stands for itself (https://spec.commonmark.org/0.31.2/#backslash-escapes).
Escaped are the characters that open inline markup anywhere in a line (emphasis, code, links and images,
autolinks and raw HTML, entities, GFM strikethrough and tables, headings' closing `#`s, GitHub's `$` math),
the first character of the text when it is punctuation and an ordered-list marker (`1.`), which would open
a block inside a list item or quote, and the `:` of `://` and the `.` of `www.`, which GFM turns into links
(https://github.github.com/gfm/#autolinks-extension-). GitHub's renderer links bare e-mail addresses after
escapes are resolved, so a WORD JOINER (U+2060, no width) follows each `@` instead. Line breaks become
spaces, so nothing starts a block of its own. Everything else (periods, hyphens, parentheses, Korean text)
stays as written, so the file reads well as plain text too. tests/unit/core/test_exports.py renders escaped
text with GitHub's own renderer (cmark-gfm) and checks that exactly the text comes out."""

from __future__ import annotations

import re

from careercoach.clock import as_utc, iso
from careercoach.exports import Document, Export, no_options, single_line
from careercoach.models.generation import InterviewQuestion, InterviewSet

MEDIA_TYPE = "text/markdown; charset=utf-8"
_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]<>&~|$#"}
_ESCAPES[ord("@")] = "@\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9+.-]):(?=//)|(?<![a-z0-9])(www)\.")
_BLOCK_START = re.compile(r"^(?:[!-/:-@[-`{-~]|[0-9]{1,9}[.)])")

LABELS = {
    "en": {
        "title": "Interview questions",
        "generated": "{count} questions · generated {created_at} by {provider}{model}",
        "degraded": "Written by the fallback provider {provider}: the first provider tried did not answer "
        "({reason}).",
        "intent": "What it evaluates",
        "grounding": "From the resume",
        "key_points": "A good answer covers",
        "follow_ups": "Follow-up questions",
        "cat_technical": "Technical",
        "cat_project_deep_dive": "Project deep dive",
        "cat_system_design": "System design",
        "cat_problem_solving": "Problem solving",
        "cat_behavioral": "Behavioral",
        "cat_collaboration": "Collaboration",
        "diff_easy": "easy",
        "diff_medium": "medium",
        "diff_hard": "hard",
    },
    "ko": {
        "title": "면접 질문",
        "generated": "질문 {count}개 · {created_at}에 {provider}{model}로 생성",
        "degraded": "대체 제공자 {provider}가 작성했습니다: "
        "처음 시도한 제공자가 답하지 못했습니다 ({reason}).",
        "intent": "질문 의도",
        "grounding": "이력서 근거",
        "key_points": "답변 핵심",
        "follow_ups": "꼬리 질문",
        "cat_technical": "기술",
        "cat_project_deep_dive": "프로젝트 심층",
        "cat_system_design": "시스템 설계",
        "cat_problem_solving": "문제 해결",
        "cat_behavioral": "인성",
        "cat_collaboration": "협업",
        "diff_easy": "쉬움",
        "diff_medium": "보통",
        "diff_hard": "어려움",
    },
}


def _unlink(match: re.Match[str]) -> str:
    return f"{match.group(1)}\\." if match.group(1) else "\\:"


def escape(text: str) -> str:
    """`text` as Markdown that renders as exactly that text, on one line."""
    escaped = _AUTOLINK.sub(_unlink, single_line(text).translate(_ESCAPES))
    start = _BLOCK_START.match(escaped)
    if start is None or escaped.startswith("\\"):
        return escaped
    marker = start.group()
    return escaped[: len(marker) - 1] + "\\" + escaped[len(marker) - 1 :]


def _question(number: int, question: InterviewQuestion, labels: dict[str, str]) -> list[str]:
    badges = f"{labels['cat_' + question.category]} · {labels['diff_' + question.difficulty]}"
    return [
        f"## {number}. {escape(question.question)}",
        "",
        f"*{escape(badges)}*",
        "",
        f"**{labels['intent']}:** {escape(question.intent)}",
        "",
        f"**{labels['grounding']}** ({escape(question.grounding.source)}):",
        "",
        f"> {escape(question.grounding.quote)}",
        "",
        f"**{labels['key_points']}**",
        "",
        *(f"- {escape(point)}" for point in question.key_points),
        "",
        f"**{labels['follow_ups']}**",
        "",
        *(f"- {escape(follow_up)}" for follow_up in question.follow_ups),
        "",
    ]


def render(questions: InterviewSet, options: None) -> Document:
    labels = LABELS.get(questions.language, LABELS["en"])
    model = f" ({questions.model})" if questions.model else ""
    lines = [
        f"# {labels['title']}",
        "",
        escape(
            labels["generated"].format(
                count=len(questions.questions),
                created_at=iso(questions.created_at),
                provider=questions.provider,
                model=model,
            )
        ),
        "",
    ]
    if questions.degraded:
        reason = questions.fallback_reason or "?"
        lines += [f"> {escape(labels['degraded'].format(provider=questions.provider, reason=reason))}", ""]
    for number, question in enumerate(questions.questions, start=1):
        lines += _question(number, question, labels)
    return Document(
        body="\n".join(lines),
        filename=f"interview-questions-{as_utc(questions.created_at).date().isoformat()}.md",
    )


QUESTIONS_MARKDOWN: Export[InterviewSet, None] = Export(
    suffix=".md",
    media_type=MEDIA_TYPE,
    summary="The latest question set as a Markdown document",
    description="A Markdown (CommonMark) document: each question with what it evaluates, the resume item it "
    "probes, what a good answer covers and the follow-ups; text from the set is escaped, never markup",
    read_options=no_options,
    render=render,
)
