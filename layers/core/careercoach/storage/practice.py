"""Practice sessions in MongoDB (`practice_sessions`): one document per session, its turns and pending
answers inside it. Every document carries its owner and every query names one.

Every write is conditional on what it changes: an answer is added as pending only to an active session; a
turn replaces its pending answer in one update (so an evaluation stored twice, after a redelivery, is stored
once); finishing checks the document's `version`, which every write increments, so a session never finishes
on a state it did not see."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pymongo import ASCENDING, DESCENDING, ReturnDocument

from careercoach.models.practice import PendingAnswer, PracticeSession, SessionSummary, Turn
from careercoach.storage.mongo import database_errors
from careercoach.storage.pagination import encode_cursor, older_than


class PracticeSessionRepository(Protocol):
    def insert(self, session: PracticeSession, *, owner: str) -> None: ...

    def get(self, session_id: str, *, owner: str) -> PracticeSession | None: ...

    def list(
        self, unique_key: str, *, owner: str, limit: int, cursor: str | None
    ) -> tuple[list[PracticeSession], str | None]: ...

    def add_pending(self, session_id: str, pending: PendingAnswer, *, owner: str, now: datetime) -> bool: ...

    def remove_pending(self, session_id: str, turn_id: str, *, owner: str) -> None: ...

    def complete_turn(
        self, session_id: str, turn: Turn, *, owner: str, now: datetime
    ) -> PracticeSession | None: ...

    def remove_turn(self, session_id: str, turn_id: str, pending: PendingAnswer, *, owner: str) -> None: ...

    def by_turn(self, turn_id: str, *, owner: str) -> PracticeSession | None: ...

    def finish(
        self, session: PracticeSession, summary: SessionSummary, *, owner: str, now: datetime
    ) -> PracticeSession | None: ...

    def delete_for_resume(self, unique_key: str, *, owner: str) -> int: ...


def _to_document(session: PracticeSession, owner: str) -> dict[str, Any]:
    document = session.model_dump(mode="json")
    # BSON dates where queries sort on them.
    document["created_at"] = session.created_at
    document["updated_at"] = session.updated_at
    document["owner"] = owner
    return document


def _from_document(document: dict[str, Any]) -> PracticeSession:
    return PracticeSession.model_validate({k: v for k, v in document.items() if k not in ("_id", "owner")})


class MongoPracticeSessionRepository:
    def __init__(self, database: Any) -> None:
        self._collection = database["practice_sessions"]
        with database_errors():
            self._collection.create_index([("id", ASCENDING)], unique=True, name="id")
            self._collection.create_index(
                [
                    ("unique_key", ASCENDING),
                    ("owner", ASCENDING),
                    ("created_at", DESCENDING),
                    ("id", DESCENDING),
                ],
                name="by_resume",
            )
            self._collection.create_index([("turns.turn_id", ASCENDING)], name="by_turn", sparse=True)

    def insert(self, session: PracticeSession, *, owner: str) -> None:
        with database_errors():
            self._collection.insert_one(_to_document(session, owner))

    def get(self, session_id: str, *, owner: str) -> PracticeSession | None:
        with database_errors():
            document = self._collection.find_one({"id": session_id, "owner": owner})
        return _from_document(document) if document else None

    def list(
        self, unique_key: str, *, owner: str, limit: int, cursor: str | None
    ) -> tuple[list[PracticeSession], str | None]:
        query: dict[str, Any] = {"unique_key": unique_key, "owner": owner, **older_than(cursor, "id")}
        with database_errors():
            documents = list(
                self._collection.find(query)
                .sort([("created_at", DESCENDING), ("id", DESCENDING)])
                .limit(limit + 1)
            )
        sessions = [_from_document(d) for d in documents[:limit]]
        more = len(documents) > limit
        return sessions, encode_cursor(sessions[-1].created_at, sessions[-1].id) if more else None

    def add_pending(self, session_id: str, pending: PendingAnswer, *, owner: str, now: datetime) -> bool:
        """Keep an answer until its evaluation is stored; False when the session is not active (any more)."""
        with database_errors():
            result = self._collection.update_one(
                {"id": session_id, "owner": owner, "status": "active"},
                {
                    "$push": {"pending": pending.model_dump(mode="json")},
                    "$set": {"updated_at": now},
                    "$inc": {"version": 1},
                },
            )
        return bool(result.modified_count)

    def remove_pending(self, session_id: str, turn_id: str, *, owner: str) -> None:
        with database_errors():
            self._collection.update_one(
                {"id": session_id, "owner": owner, "pending.turn_id": turn_id},
                {"$pull": {"pending": {"turn_id": turn_id}}, "$inc": {"version": 1}},
            )

    def complete_turn(
        self, session_id: str, turn: Turn, *, owner: str, now: datetime
    ) -> PracticeSession | None:
        """Replace the pending answer `turn.turn_id` with its evaluated turn, in one update. The session
        afterwards; None when that answer is no longer pending and no turn with its id exists."""
        with database_errors():
            document = self._collection.find_one_and_update(
                {"id": session_id, "owner": owner, "pending.turn_id": turn.turn_id},
                {
                    "$pull": {"pending": {"turn_id": turn.turn_id}},
                    "$push": {"turns": turn.model_dump(mode="json")},
                    "$set": {"updated_at": now},
                    "$inc": {"version": 1},
                },
                return_document=ReturnDocument.AFTER,
            )
            if document is None:
                document = self._collection.find_one(
                    {"id": session_id, "owner": owner, "turns.turn_id": turn.turn_id}
                )
        return _from_document(document) if document else None

    def remove_turn(self, session_id: str, turn_id: str, pending: PendingAnswer, *, owner: str) -> None:
        """Undo `complete_turn`: the turn goes, its answer is pending again (a follow-up id clash)."""
        with database_errors():
            self._collection.update_one(
                {"id": session_id, "owner": owner, "turns.turn_id": turn_id},
                {
                    "$pull": {"turns": {"turn_id": turn_id}},
                    "$push": {"pending": pending.model_dump(mode="json")},
                    "$inc": {"version": 1},
                },
            )

    def by_turn(self, turn_id: str, *, owner: str) -> PracticeSession | None:
        """The session holding this turn (a turn id is its task's id: how a task finds its result)."""
        with database_errors():
            document = self._collection.find_one({"turns.turn_id": turn_id, "owner": owner})
        return _from_document(document) if document else None

    def finish(
        self, session: PracticeSession, summary: SessionSummary, *, owner: str, now: datetime
    ) -> PracticeSession | None:
        """Finish the session as read (`session.version`), dropping pending answers that have expired; None
        when it changed since (the caller reads it again)."""
        with database_errors():
            document = self._collection.find_one_and_update(
                {"id": session.id, "owner": owner, "status": "active", "version": session.version},
                {
                    "$set": {
                        "status": "finished",
                        "summary": summary.model_dump(mode="json"),
                        "pending": [],
                        "updated_at": now,
                        "finished_at": now.isoformat(),
                    },
                    "$inc": {"version": 1},
                },
                return_document=ReturnDocument.AFTER,
            )
        return _from_document(document) if document else None

    def delete_for_resume(self, unique_key: str, *, owner: str) -> int:
        with database_errors():
            return int(self._collection.delete_many({"unique_key": unique_key, "owner": owner}).deleted_count)
