"""One contract for every ResumeRepository implementation: mongomock always, a real MongoDB when
MONGODB_TEST_URI points at one (e.g. mongodb://127.0.0.1:27017)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from careercoach.clock import utc_now
from careercoach.keys import new_unique_key
from careercoach.models.resume import Resume
from careercoach.storage.resumes import DuplicateResumeKey, MongoResumeRepository

OWNER = "alice"

BACKENDS = ["mongomock"] + (["mongodb"] if os.environ.get("MONGODB_TEST_URI") else [])


@pytest.fixture(params=BACKENDS)
def repository(request: pytest.FixtureRequest) -> Iterator[MongoResumeRepository]:
    name = f"careercoach_contract_{uuid.uuid4().hex[:8]}"
    client: Any
    if request.param == "mongomock":
        import mongomock

        client = mongomock.MongoClient(tz_aware=True)
    else:
        from pymongo import MongoClient

        client = MongoClient(os.environ["MONGODB_TEST_URI"], tz_aware=True, serverSelectionTimeoutMS=3000)
    try:
        yield MongoResumeRepository(client[name])
    finally:
        client.drop_database(name)
        client.close()


def make_resume(**changes: Any) -> Resume:
    now = utc_now()
    fields: dict[str, Any] = {
        "unique_key": new_unique_key(),
        "summary": "Backend engineer, 3 years of Spring Boot and Kafka.",
        "language": "en",
        "technical_skills": {"frameworks": ["Spring Boot"]},
        "work_experiences": [{"company": "Acme", "achievements": ["p95 420ms -> 180ms"]}],
        "created_at": now,
        "updated_at": now,
    }
    fields.update(changes)
    return Resume.model_validate(fields)


def test_insert_then_get_round_trips_exactly(repository: MongoResumeRepository) -> None:
    resume = make_resume()
    repository.insert(resume, owner=OWNER)
    assert repository.get(resume.unique_key, owner=OWNER) == resume


def test_get_unknown_is_none(repository: MongoResumeRepository) -> None:
    assert repository.get(new_unique_key(), owner=OWNER) is None


def test_duplicate_key_is_refused(repository: MongoResumeRepository) -> None:
    resume = make_resume()
    repository.insert(resume, owner=OWNER)
    with pytest.raises(DuplicateResumeKey):
        repository.insert(make_resume(unique_key=resume.unique_key), owner=OWNER)


def test_replace_existing_and_missing(repository: MongoResumeRepository) -> None:
    resume = make_resume()
    repository.insert(resume, owner=OWNER)
    changed = resume.model_copy(update={"summary": "Changed", "updated_at": resume.updated_at + timedelta(1)})
    assert repository.replace(changed, owner=OWNER) is True
    assert repository.get(resume.unique_key, owner=OWNER) == changed
    assert repository.replace(make_resume(), owner=OWNER) is False


def test_delete_existing_and_missing(repository: MongoResumeRepository) -> None:
    resume = make_resume()
    repository.insert(resume, owner=OWNER)
    assert repository.delete(resume.unique_key, owner=OWNER) is True
    assert repository.get(resume.unique_key, owner=OWNER) is None
    assert repository.delete(resume.unique_key, owner=OWNER) is False


def test_documents_are_isolated_by_key(repository: MongoResumeRepository) -> None:
    first, second = make_resume(summary="first"), make_resume(summary="second")
    repository.insert(first, owner=OWNER)
    repository.insert(second, owner=OWNER)
    repository.delete(first.unique_key, owner=OWNER)
    assert repository.get(second.unique_key, owner=OWNER) == second


def test_unique_index_exists(repository: MongoResumeRepository) -> None:
    indexes = repository._collection.index_information()
    assert indexes["unique_key"]["unique"] is True
