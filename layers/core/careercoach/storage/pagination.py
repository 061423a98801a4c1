"""Opaque keyset cursors for newest-first pages: (created_at, id) of the last item shown, base64url JSON."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from careercoach.clock import as_utc
from careercoach.errors import ValidationFailed


def encode_cursor(created_at: datetime, item_id: str) -> str:
    raw = json.dumps([as_utc(created_at).isoformat(), item_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, item_id = json.loads(raw)
        return as_utc(datetime.fromisoformat(created_at)), str(item_id)
    except (binascii.Error, ValueError, TypeError) as exc:
        loc = ["query", "cursor"]
        raise ValidationFailed(
            details=[{"loc": loc, "msg": "invalid cursor", "type": "value_error"}]
        ) from exc


def older_than(cursor: str | None, id_field: str) -> dict[str, object]:
    """Mongo filter for the items after `cursor` in (created_at, id) descending order; {} on page one."""
    if not cursor:
        return {}
    created_at, item_id = decode_cursor(cursor)
    return {
        "$or": [{"created_at": {"$lt": created_at}}, {"created_at": created_at, id_field: {"$lt": item_id}}]
    }
