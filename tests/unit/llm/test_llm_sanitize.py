"""Vendor error messages made safe to log and store."""

from __future__ import annotations

from llm_registry.sanitize import MAX_CHARS, REDACTED, sanitize_error_message


def test_plain_vendor_messages_pass_unchanged() -> None:
    message = "model: claude-opus-9-9 not found"
    assert sanitize_error_message(message) == message


def test_the_configured_key_and_key_shaped_strings_are_redacted() -> None:
    text = (
        "Incorrect API key provided: my-very-own-key. Also sk-proj-abcdef123456, "
        "AIzaSyA1234567890abcdefghijkl, AKIAABCDEFGHIJKLMNOP, "
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc, "
        "api_key=zz1234567890zz"
    )
    cleaned = sanitize_error_message(text, secrets=["my-very-own-key"]) or ""
    for leaked in ("my-very-own-key", "sk-proj", "AIzaSy", "AKIAABCD", "eyJhbG", "zz1234567890zz"):
        assert leaked not in cleaned
    assert cleaned.startswith(f"Incorrect API key provided: {REDACTED}.")
    assert "api_key=" in cleaned  # the field name stays: it says what was wrong


def test_text_echoed_from_the_request_is_redacted_whatever_its_quoting() -> None:
    prompt = "Worked on the checkout service at Contoso, reducing p99 latency from 420ms to 180ms."
    message = 'Invalid request: "reducing p99 latency from 420ms" is not allowed here'
    cleaned = sanitize_error_message(message, request_texts=[prompt]) or ""
    assert "Contoso" not in cleaned and "420ms" not in cleaned
    assert cleaned == f"Invalid request: {REDACTED} is not allowed here"


def test_long_quoted_values_are_redacted_even_when_not_from_the_request() -> None:
    cleaned = sanitize_error_message(
        "bad value 'this is a very long quoted value from somewhere else entirely'"
    )
    assert cleaned == f"bad value {REDACTED}"


def test_messages_are_cut_to_the_limit_and_empty_ones_are_none() -> None:
    cleaned = sanitize_error_message("word " * 500) or ""
    assert len(cleaned) <= MAX_CHARS and cleaned.endswith("…")
    assert sanitize_error_message("   ") is None
    assert sanitize_error_message(None) is None
