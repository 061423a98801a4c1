"""Generated documents (one collection per generation kind, named by its spec): one repository class, one
document shape per collection. Inserts are idempotent by `id`, so a worker that saves twice after a
redelivery stores once.
Every document carries its owner (kept out of the API's view of it) and every read is scoped to one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from careercoach.models.generation import GenerationRecord, GenerationSummary, HistoryPage
from careercoach.storage.mongo import database_errors
from careercoach.storage.pagination import encode_cursor, older_than

RecordT = TypeVar("RecordT", bound=GenerationRecord)


class GenerationRepository(Protocol[RecordT]):
    def insert(self, record: RecordT, *, owner: str) -> RecordT: ...

    def get(self, record_id: str, *, owner: str) -> RecordT | None: ...

    def latest(self, unique_key: str, *, owner: str) -> RecordT | None: ...

    def history(self, unique_key: str, *, owner: str, limit: int, cursor: str | None) -> HistoryPage: ...

    def delete_for_resume(self, unique_key: str, *, owner: str) -> int: ...


class MongoGenerationRepository(Generic[RecordT]):
    def __init__(
        self, database: Any, model: type[RecordT], collection: str, *, items: Callable[[RecordT], int]
    ) -> None:
        self._model = model
        self._items = items
        self._collection = database[collection]
        with database_errors():
            self._collection.create_index([("id", ASCENDING)], unique=True, name="id")
            self._collection.create_index(
                [("unique_key", ASCENDING), ("created_at", DESCENDING), ("id", DESCENDING)], name="by_resume"
            )

    def _load(self, document: dict[str, Any]) -> RecordT:
        return self._model.model_validate({k: v for k, v in document.items() if k not in ("_id", "owner")})

    def insert(self, record: RecordT, *, owner: str) -> RecordT:
        """Store once. If a record with this id exists (a retried save), return the stored one."""
        document = record.model_dump(mode="json")
        document["created_at"] = record.created_at
        document["owner"] = owner
        with database_errors():
            try:
                self._collection.insert_one(document)
            except DuplicateKeyError:
                existing = self._collection.find_one({"id": record.id, "owner": owner})
                if existing is None:
                    raise
                return self._load(existing)
        return record

    def get(self, record_id: str, *, owner: str) -> RecordT | None:
        with database_errors():
            document = self._collection.find_one({"id": record_id, "owner": owner})
        return self._load(document) if document else None

    def latest(self, unique_key: str, *, owner: str) -> RecordT | None:
        with database_errors():
            document = self._collection.find_one(
                {"unique_key": unique_key, "owner": owner},
                sort=[("created_at", DESCENDING), ("id", DESCENDING)],
            )
        return self._load(document) if document else None

    def history(self, unique_key: str, *, owner: str, limit: int, cursor: str | None) -> HistoryPage:
        query: dict[str, Any] = {"unique_key": unique_key, "owner": owner, **older_than(cursor, "id")}
        with database_errors():
            documents = list(
                self._collection.find(query)
                .sort([("created_at", DESCENDING), ("id", DESCENDING)])
                .limit(limit + 1)
            )
        records = [self._load(document) for document in documents[:limit]]
        items = [self._summary(record) for record in records]
        more = len(documents) > limit
        return HistoryPage(
            items=items, next_cursor=encode_cursor(records[-1].created_at, records[-1].id) if more else None
        )

    def delete_for_resume(self, unique_key: str, *, owner: str) -> int:
        with database_errors():
            return int(self._collection.delete_many({"unique_key": unique_key, "owner": owner}).deleted_count)

    def _summary(self, record: RecordT) -> GenerationSummary:
        return GenerationSummary(
            id=record.id,
            kind=record.kind,
            language=record.language,
            provider=record.provider,
            model=record.model,
            prompt_version=record.prompt_version,
            items=self._items(record),
            created_at=record.created_at,
        )
