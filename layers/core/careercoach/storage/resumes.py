"""ResumeRepository: the interface the resume service talks to, and its MongoDB implementation. Every
document carries its owner (not part of the API's view of a resume) and every query names one, so no code
path can read, change or delete another owner's resume."""

from __future__ import annotations

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
