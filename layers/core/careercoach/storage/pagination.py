"""Opaque keyset cursors for newest-first pages: (created_at, id) of the last item shown, base64url JSON.

Every paginated list reads its cursor through `decode_cursor`, which accepts exactly the cursors
`encode_cursor` makes: anything else (bad base64, JSON of another shape, a date out of range once moved to
UTC, a value written differently from how this API writes it) is refused with 400 `invalid_cursor`, never a
500 and never a silently different page."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from careercoach.clock import as_utc
from careercoach.errors import InvalidCursor


def encode_cursor(created_at: datetime, item_id: str) -> str:
    raw = json.dumps([as_utc(created_at).isoformat(), item_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            raise InvalidCursor()
        created_at, item_id = as_utc(datetime.fromisoformat(value[0])), value[1]
        item_id.encode()  # a lone surrogate ("\ud800" in the JSON) cannot go into a database query
        # Only a cursor this API could have written reads back: that rules out lenient base64 (stray
        # characters are skipped), other offsets, naive dates and every other spelling of the same value.
        if encode_cursor(created_at, item_id) != cursor:
            raise InvalidCursor()
    # OverflowError: a date at the edge of the range moved to UTC (0001-01-01T00:00:00+14:00);
    # RecursionError: deeply nested JSON; UnicodeDecodeError is a ValueError.
    except (binascii.Error, ValueError, TypeError, OverflowError, RecursionError):
        raise InvalidCursor() from None
    return created_at, item_id


def older_than(cursor: str | None, id_field: str) -> dict[str, object]:
    """Mongo filter for the items after `cursor` in (created_at, id) descending order; {} on page one."""
    if not cursor:
        return {}
    created_at, item_id = decode_cursor(cursor)
    return {
        "$or": [{"created_at": {"$lt": created_at}}, {"created_at": created_at, id_field: {"$lt": item_id}}]
    }
