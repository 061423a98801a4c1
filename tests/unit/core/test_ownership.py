"""Owner scoping in the resume and generation services (mongomock): another owner's resume, interview set or
learning path is indistinguishable from a missing one, and each owner lists only their own resumes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from careercoach import container
from careercoach.errors import GenerationNotFound, InvalidCursor, ResumeNotFound
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.learning import LEARNING_PATH
from careercoach.models.generation import InterviewOptions, LearningPathOptions
from careercoach.models.resume import ResumeInput
from careercoach.resumes import ResumeService
from careercoach.storage.resumes import MongoResumeRepository

SAMPLE = Path(__file__).resolve().parents[3] / "events" / "resumes" / "create-rich-en.json"


def resume_input(name: str = "Jamie Park") -> ResumeInput:
    raw = json.loads(json.loads(SAMPLE.read_text(encoding="utf-8"))["body"])
    raw["name"] = name
    return ResumeInput.model_validate(raw)


def test_every_resume_operation_of_another_owner_is_not_found() -> None:
    service = container.current().resumes
    key = service.create(resume_input(), owner="alice").unique_key
    with pytest.raises(ResumeNotFound):
        service.get(key, owner="bob")
    with pytest.raises(ResumeNotFound):
        service.replace(key, resume_input("Mallory"), owner="bob")
    with pytest.raises(ResumeNotFound):
        service.patch(key, {"name": "Mallory"}, owner="bob")
    with pytest.raises(ResumeNotFound):
        service.delete(key, owner="bob")
    with pytest.raises(ResumeNotFound):  # the anonymous owner (auth off) is an owner like any other
        service.get(key, owner="")
    assert service.get(key, owner="alice").name == "Jamie Park"  # untouched by all of the above


def test_generated_documents_follow_their_resume_owner() -> None:
    key = container.current().resumes.create(resume_input(), owner="alice").unique_key
    generation = container.current().generation  # the offline generator answers (no keys configured)
    made = generation.generate(INTERVIEW, key, InterviewOptions(count=3), owner="alice")
    with pytest.raises(ResumeNotFound):
        generation.generate(INTERVIEW, key, InterviewOptions(count=3), owner="bob")
    with pytest.raises(ResumeNotFound):
        generation.latest(INTERVIEW, key, owner="bob")
    with pytest.raises(ResumeNotFound):
        generation.history(INTERVIEW, key, owner="bob", limit=5, cursor=None)
    with pytest.raises(ResumeNotFound):
        generation.generate(LEARNING_PATH, key, LearningPathOptions(), owner="bob")
    # Below the service, the repository itself filters by owner too.
    repository = container.current().repositories["interview"]
    assert repository.get(made.id, owner="alice") == made
    assert repository.get(made.id, owner="bob") is None
    assert repository.latest(key, owner="bob") is None
    assert repository.history(key, owner="bob", limit=5, cursor=None).items == []
    # The owner is stored with the document and stripped from what is read back (models forbid extras).
    assert repository._collection.find_one({"id": made.id})["owner"] == "alice"
    with pytest.raises(GenerationNotFound):
        generation.latest(LEARNING_PATH, key, owner="alice")


def test_the_admission_check_runs_after_the_resume_is_found_and_before_generating() -> None:
    key = container.current().resumes.create(resume_input(), owner="alice").unique_key
    calls: list[str] = []
    generation = container.current().generation
    generation.generate(
        INTERVIEW, key, InterviewOptions(count=1), owner="alice", admit=lambda: calls.append("alice")
    )
    with pytest.raises(ResumeNotFound):
        generation.generate(
            INTERVIEW, key, InterviewOptions(count=1), owner="bob", admit=lambda: calls.append("bob")
        )
    assert calls == ["alice"]


def test_deleting_a_resume_deletes_only_its_owners_documents() -> None:
    service = container.current().resumes
    key = service.create(resume_input(), owner="alice").unique_key
    container.current().generation.generate(INTERVIEW, key, InterviewOptions(count=1), owner="alice")
    service.delete(key, owner="alice")
    assert container.current().repositories["interview"].latest(key, owner="alice") is None


def test_each_owner_lists_only_their_own_resumes_newest_first_in_pages() -> None:
    base = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    ticks = iter(range(100))
    service = ResumeService(
        MongoResumeRepository(container.current().database),
        clock=lambda: base + timedelta(minutes=next(ticks) // 2),  # pairs share a timestamp: ties by key
    )
    mine = [service.create(resume_input(f"Resume {n}"), owner="alice").unique_key for n in range(5)]
    service.create(resume_input("Someone else"), owner="bob")

    keys: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = service.list(owner="alice", limit=2, cursor=cursor)
        keys += [item.unique_key for item in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(keys) == sorted(mine) and len(keys) == 5 and pages == 3
    created = [service.get(key, owner="alice").created_at for key in keys]
    assert created == sorted(created, reverse=True)
    assert [item.name for item in service.list(owner="bob", limit=10, cursor=None).items] == ["Someone else"]
    assert service.list(owner="carol", limit=10, cursor=None).items == []
    with pytest.raises(InvalidCursor):
        service.list(owner="alice", limit=2, cursor="not a cursor")
