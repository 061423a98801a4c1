"""ResumeRepository: the interface the resume service talks to, and its MongoDB implementation. Every
document carries its owner (not part of the API's view of a resume) and every query names one, so no code
path can read, change or delete another owner's resume."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from careercoach.models.resume import Resume
from careercoach.models.resume_list import ResumePage, ResumeSummary
from careercoach.storage.mongo import database_errors
from careercoach.storage.pagination import encode_cursor, older_than


class DuplicateResumeKey(Exception):
    """The generated key already exists (astronomically unlikely with 128 random bits); the caller retries."""


class ResumeRepository(Protocol):
    def insert(self, resume: Resume, *, owner: str) -> None: ...

    def get(self, unique_key: str, *, owner: str) -> Resume | None: ...

    def replace(self, resume: Resume, *, owner: str) -> bool: ...

    def delete(self, unique_key: str, *, owner: str) -> bool: ...

    def exists(self, unique_key: str, *, owner: str) -> bool: ...

    def list(self, *, owner: str, limit: int, cursor: str | None, name: str | None = None) -> ResumePage:
        """The owner's resumes, newest first; only those whose name is exactly `name` when it is given."""
        ...


def _to_document(resume: Resume, owner: str) -> dict[str, Any]:
    # Keep datetimes as BSON dates rather than ISO strings so they sort and index properly.
    document = resume.model_dump(mode="python")
    document["created_at"] = resume.created_at
    document["updated_at"] = resume.updated_at
    document["owner"] = owner
    return document


def _from_document(document: dict[str, Any]) -> Resume:
    document = {k: v for k, v in document.items() if k not in ("_id", "owner")}
    return Resume.model_validate(document)


class MongoResumeRepository:
    """Resumes in the `resumes` collection, unique index on `unique_key`.

    Build one per execution environment (see careercoach.dependencies): the index is ensured on
    construction, which is idempotent but a round trip."""

    def __init__(self, database: Any) -> None:
        self._collection = database["resumes"]
        with database_errors():
            self._collection.create_index([("unique_key", ASCENDING)], unique=True, name="unique_key")
            self._collection.create_index(
                [("owner", ASCENDING), ("created_at", DESCENDING), ("unique_key", DESCENDING)],
                name="by_owner",
            )
            self._collection.create_index(
                [
                    ("owner", ASCENDING),
                    ("name", ASCENDING),
                    ("created_at", DESCENDING),
                    ("unique_key", DESCENDING),
                ],
                name="by_owner_name",
            )

    def insert(self, resume: Resume, *, owner: str) -> None:
        with database_errors():
            try:
                self._collection.insert_one(_to_document(resume, owner))
            except DuplicateKeyError as exc:
                raise DuplicateResumeKey(resume.unique_key) from exc

    def get(self, unique_key: str, *, owner: str) -> Resume | None:
        with database_errors():
            document = self._collection.find_one({"unique_key": unique_key, "owner": owner})
        return _from_document(document) if document else None

    def exists(self, unique_key: str, *, owner: str) -> bool:
        with database_errors():
            found = self._collection.find_one({"unique_key": unique_key, "owner": owner}, {"_id": 1})
        return found is not None

    def replace(self, resume: Resume, *, owner: str) -> bool:
        with database_errors():
            result = self._collection.replace_one(
                {"unique_key": resume.unique_key, "owner": owner}, _to_document(resume, owner)
            )
        return bool(result.matched_count)

    def delete(self, unique_key: str, *, owner: str) -> bool:
        with database_errors():
            result = self._collection.delete_one({"unique_key": unique_key, "owner": owner})
        return bool(result.deleted_count)

    def list(self, *, owner: str, limit: int, cursor: str | None, name: str | None = None) -> ResumePage:
        query: dict[str, Any] = {"owner": owner, **older_than(cursor, "unique_key")}
        if name is not None:
            query["name"] = name
        projection = {"_id": 0, "unique_key": 1, "name": 1, "language": 1, "created_at": 1, "updated_at": 1}
        with database_errors():
            documents = list(
                self._collection.find(query, projection)
                .sort([("created_at", DESCENDING), ("unique_key", DESCENDING)])
                .limit(limit + 1)
            )
        items = [ResumeSummary.model_validate(document) for document in documents[:limit]]
        more = len(documents) > limit
        last = items[-1] if items else None
        return ResumePage(
            items=items,
            next_cursor=encode_cursor(last.created_at, last.unique_key) if more and last else None,
        )


# ---- importing the original system's resumes ------------------------------------------------------------


@dataclass(frozen=True)
class ImportEntry:
    unique_key: str  # the key the imported resume has (or gets) here
    owner: str
    completed: bool  # the resume was stored (a later run leaves it alone, even if it was deleted since)


class ImportLedger(Protocol):
    def claim(self, source_id: str, *, unique_key: str, owner: str, at: datetime) -> ImportEntry:
        """The entry for `source_id`: the one an earlier run recorded, else a new one with these values."""
        ...

    def complete(self, source_id: str) -> None: ...


class MongoImportLedger:
    """The `resume_imports` collection: one document per imported original resume, keyed by the original
    document's id (or a hash, never the name): {_id, unique_key, owner, imported_at, completed}. It holds
    no resume content."""

    def __init__(self, database: Any) -> None:
        self._collection = database["resume_imports"]

    def claim(self, source_id: str, *, unique_key: str, owner: str, at: datetime) -> ImportEntry:
        entry = {"_id": source_id, "unique_key": unique_key, "owner": owner, "imported_at": at}
        with database_errors():
            # A duplicate is an entry recorded by an earlier run: its key and owner stand.
            with contextlib.suppress(DuplicateKeyError):
                self._collection.insert_one({**entry, "completed": False})
            found = self._collection.find_one({"_id": source_id}) or {}
        return ImportEntry(str(found["unique_key"]), str(found["owner"]), bool(found.get("completed")))

    def complete(self, source_id: str) -> None:
        with database_errors():
            self._collection.update_one({"_id": source_id}, {"$set": {"completed": True}})


def read_mongoexport(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Documents from `mongoexport` output: one Extended JSON document per line (its default), or one JSON
    array (`--jsonArray`), relaxed or canonical (https://www.mongodb.com/docs/database-tools/mongoexport/).
    Yields (line number, document), or (line number, None) for a line that is not an Extended JSON object;
    ObjectIds, dates and numbers come back as Python values (bson.json_util), dates in UTC."""
    from bson import json_util
    from bson.codec_options import DatetimeConversion

    options = json_util.JSONOptions(tz_aware=True, datetime_conversion=DatetimeConversion.DATETIME_AUTO)
    text = list(lines)
    if "".join(text).lstrip().startswith("["):
        try:
            documents = json_util.loads("".join(text), json_options=options)
        except ValueError:
            yield 1, None
            return
        for index, document in enumerate(documents if isinstance(documents, list) else [None], start=1):
            yield index, document if isinstance(document, dict) else None
        return
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            document = json_util.loads(line, json_options=options)
        except ValueError:
            yield number, None
            continue
        yield number, document if isinstance(document, dict) else None
