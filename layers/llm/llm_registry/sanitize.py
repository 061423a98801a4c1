"""Make a vendor's error message safe to log and to store: no key, no prompt text, at most 300 characters.

Vendor messages are useful ("model `claude-opus-5-5` does not support forced tool use", "You exceeded your
current quota") but they can echo what was sent: a key in "Incorrect API key provided: sk-...", a fragment
of the prompt in "Invalid value for messages[1].content: '...'". So, in this order:
1. every secret the caller names (the configured key) is replaced, then anything shaped like a key or a
   bearer token (the vendors' documented key prefixes, and long unbroken token-like runs);
2. every run of three or more words that also appears in the request's text (system, prompt, repair turn)
   is replaced: what the vendor quotes back from the request never survives, whatever its quoting;
3. quoted strings longer than 40 characters are replaced: a vendor quoting back a value at that length is
   almost always quoting content;
4. whitespace is collapsed and the result is cut to 300 characters.
The result says "[redacted]" where something was taken out, so a reader knows the message was edited."""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_CHARS = 300
REDACTED = "[redacted]"

# Documented key shapes: OpenAI "sk-..." / "sk-proj-...", Anthropic "sk-ant-...", Google API keys "AIza...",
# AWS access key ids "AKIA..."/"ASIA...", and bearer tokens in echoed headers.
_KEY_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"),
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{12,}\b"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=\-]{8,}"),
    re.compile(r"(?i)\b(api[_-]?key|key|token|secret)(\s*[=:]\s*)[^\s,;&\"']{8,}"),
    # Long unbroken runs mixing letters and digits (tokens, signatures); plain words and ids are shorter.
    re.compile(r"\b(?=[A-Za-z0-9_\-+/=]*\d)(?=[A-Za-z0-9_\-+/=]*[A-Za-z])[A-Za-z0-9_\-+/=]{32,}"),
)
_QUOTED = re.compile(r"'[^']{41,}'|\"[^\"]{41,}\"|`[^`]{41,}`")
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_WINDOW = 3  # words
_MIN_WINDOW_CHARS = 12


def _redact_secrets(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    for pattern in _KEY_PATTERNS:
        if pattern.groups >= 2:
            text = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
        else:
            text = pattern.sub(REDACTED, text)
    return text


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def _redact_echoes(text: str, request_texts: Iterable[str]) -> str:
    """Replace every window of `_WINDOW` consecutive words that occurs in the request's text."""
    haystack = "\n".join(_normalise(part) for part in request_texts if part)
    if not haystack:
        return text
    words = list(_WORD.finditer(text))
    echoed = [False] * len(words)
    for start in range(len(words)):
        end = min(start + _WINDOW, len(words))
        if end - start < min(_WINDOW, len(words)):
            break
        window = " ".join(match.group(0) for match in words[start:end]).lower()
        # Strip quoting the vendor may have added around the echo.
        window = window.strip("'\"`()[]{}.,:;")
        if len(window) >= _MIN_WINDOW_CHARS and window in haystack:
            for index in range(start, end):
                echoed[index] = True
    # A single long word (an echoed value with no spaces) counts as well.
    for index, match in enumerate(words):
        word = match.group(0).strip("'\"`()[]{}.,:;").lower()
        if len(word) >= 24 and word in haystack:
            echoed[index] = True
    if not any(echoed):
        return text
    pieces: list[str] = []
    cursor = 0
    previous_redacted = False
    for index, match in enumerate(words):
        if echoed[index]:
            pieces.append(text[cursor : match.start()])
            if not previous_redacted:
                pieces.append(REDACTED)
            previous_redacted = True
        else:
            pieces.append(text[cursor : match.end()])
            previous_redacted = False
        cursor = match.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


def sanitize_error_message(
    message: object, *, secrets: Iterable[str] = (), request_texts: Iterable[str] = ()
) -> str | None:
    """The vendor's message made safe; None for no message (or nothing left after redaction)."""
    if message is None:
        return None
    text = str(message)
    if not text.strip():
        return None
    text = _redact_secrets(text, secrets)
    text = _redact_echoes(text, request_texts)
    text = _QUOTED.sub(REDACTED, text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rstrip() + "…"
    return text or None
