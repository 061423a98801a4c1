"""Opaque resume keys: 128 random bits, URL-safe, never derived from anything in the resume."""

from __future__ import annotations

import re
import secrets

_KEY_BYTES = 16  # 128 bits
_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")


def new_unique_key() -> str:
    return secrets.token_urlsafe(_KEY_BYTES)


def is_valid_key(value: str) -> bool:
    return bool(_KEY_PATTERN.fullmatch(value))
