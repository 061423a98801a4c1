"""Opaque keyset cursors for newest-first pages: (created_at, id) of the last item shown.

A cursor is `<created_at in microseconds since 1970-01-01 UTC>.<id>`, a form that one regular expression
(`CURSOR_PATTERN`) describes exactly: every string that matches it is a cursor this API could have written,
and reads back to a position in the list (a page, empty when nothing is older), so the OpenAPI documents can
state the rule whole and a client or fuzzer that follows the document is never refused. Anything else is
refused with 400 `invalid_cursor`, never a 500 and never a silently different page. Ids are the API's own
(resume keys from `secrets.token_urlsafe`, hex uuids), all within `[A-Za-z0-9_-]`; 16 digits of microseconds
reach 2286, well inside what a datetime holds, so no matching cursor can overflow. A cursor of the earlier
form (base64url JSON) is refused like any other: start again from the first page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from careercoach.clock import as_utc
from careercoach.errors import InvalidCursor

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# No leading zeros, so each position has one spelling.
CURSOR_PATTERN = r"^(0|[1-9][0-9]{0,15})\.[A-Za-z0-9_-]{1,64}$"
_CURSOR = re.compile(CURSOR_PATTERN.removeprefix("^").removesuffix("$"))
CURSOR_MAX_LENGTH = 16 + 1 + 64


def encode_cursor(created_at: datetime, item_id: str) -> str:
    micros = (as_utc(created_at) - EPOCH) // _MICROSECOND
    cursor = f"{micros}.{item_id}"
    if _CURSOR.fullmatch(cursor) is None:
        raise ValueError(f"no cursor for an item created at {created_at.isoformat()} with id {item_id!r}")
    return cursor


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    # fullmatch, never `$`, which also matches before a final newline.
    if _CURSOR.fullmatch(cursor) is None:
        raise InvalidCursor()
    micros, item_id = cursor.split(".", 1)
    return EPOCH + int(micros) * _MICROSECOND, item_id


def older_than(cursor: str | None, id_field: str) -> dict[str, object]:
    """Mongo filter for the items after `cursor` in (created_at, id) descending order; {} on page one (no
    cursor, or an empty one)."""
    if not cursor:
        return {}
    created_at, item_id = decode_cursor(cursor)
    return {
        "$or": [{"created_at": {"$lt": created_at}}, {"created_at": created_at, id_field: {"$lt": item_id}}]
    }
