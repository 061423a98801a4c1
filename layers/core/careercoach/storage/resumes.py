"""ResumeRepository: the interface the resume service talks to, and its MongoDB implementation."""

from __future__ import annotations

from typing import Any, Protocol

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from careercoach.models.resume import Resume
from careercoach.storage.mongo import database_errors


class DuplicateResumeKey(Exception):
    """The generated key already exists (astronomically unlikely with 128 random bits); the caller retries."""


class ResumeRepository(Protocol):
    def insert(self, resume: Resume) -> None: ...

    def get(self, unique_key: str) -> Resume | None: ...

    def replace(self, resume: Resume) -> bool: ...

    def delete(self, unique_key: str) -> bool: ...


def _to_document(resume: Resume) -> dict[str, Any]:
    # Keep datetimes as BSON dates rather than ISO strings so they sort and index properly.
    document = resume.model_dump(mode="python")
    document["created_at"] = resume.created_at
    document["updated_at"] = resume.updated_at
    return document


def _from_document(document: dict[str, Any]) -> Resume:
    document = {k: v for k, v in document.items() if k != "_id"}
    return Resume.model_validate(document)


class MongoResumeRepository:
    """Resumes in the `resumes` collection, unique index on `unique_key`.

    Build one per execution environment (see careercoach.dependencies): the index is ensured on
    construction, which is idempotent but a round trip."""

    def __init__(self, database: Any) -> None:
        self._collection = database["resumes"]
        with database_errors():
            self._collection.create_index([("unique_key", ASCENDING)], unique=True, name="unique_key")

    def insert(self, resume: Resume) -> None:
        with database_errors():
            try:
                self._collection.insert_one(_to_document(resume))
            except DuplicateKeyError as exc:
                raise DuplicateResumeKey(resume.unique_key) from exc

    def get(self, unique_key: str) -> Resume | None:
        with database_errors():
            document = self._collection.find_one({"unique_key": unique_key})
        return _from_document(document) if document else None

    def replace(self, resume: Resume) -> bool:
        with database_errors():
            result = self._collection.replace_one({"unique_key": resume.unique_key}, _to_document(resume))
        return bool(result.matched_count)

    def delete(self, unique_key: str) -> bool:
        with database_errors():
            result = self._collection.delete_one({"unique_key": unique_key})
        return bool(result.deleted_count)
