"""The durable mongomock store: every write through the pymongo API is in the journal when the call returns,
a reopened store holds exactly what the old one held (documents, ids, dates, indexes), a torn last line is
dropped and anything else unreadable is refused, and one directory serves one process at a time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId
from pymongo import ASCENDING, DeleteOne, InsertOne, ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError

from local import mongo_store
from local.mongo_store import (
    DurableClient,
    StoreCorruptError,
    StoreLockedError,
    opened,
    reset,
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _dump(client: Any) -> dict[str, Any]:
    return {
        f"{database}.{name}": sorted(
            (repr(document) for document in client[database][name].find({})),
        )
        for database in client.list_database_names()
        for name in client[database].list_collection_names()
    }


@pytest.fixture
def store(data: Path) -> Iterator[mongo_store.DurableStore]:
    with opened(data) as started:
        yield started


def _write_everything(client: Any) -> None:
    db = client["app"]
    resumes = db["resumes"]
    resumes.create_index([("key", ASCENDING)], unique=True, name="key")
    when = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    resumes.insert_one({"key": "a", "n": 1, "at": when, "oid": ObjectId()})
    resumes.insert_many([{"key": "b", "n": 2}, {"key": "c", "n": 3}, {"key": "d", "n": 4}])
    resumes.update_one({"key": "a"}, {"$set": {"n": 10}, "$push": {"tags": "x"}})
    resumes.update_many({"n": {"$lt": 4}}, {"$inc": {"n": 100}})
    resumes.replace_one({"key": "b"}, {"key": "b", "replaced": True})
    resumes.delete_one({"key": "c"})
    resumes.update_one({"key": "e"}, {"$set": {"n": 5}}, upsert=True)
    resumes.find_one_and_update(
        {"key": "f"}, {"$set": {"n": 6}}, upsert=True, return_document=ReturnDocument.BEFORE
    )
    resumes.find_one_and_delete({"key": "d"})
    db["sessions"].bulk_write(
        [InsertOne({"_id": "s1", "turns": []}), InsertOne({"_id": "s2"}), DeleteOne({"_id": "s2"})]
    )
    db["sessions"].update_one({"_id": "s1"}, {"$push": {"turns": {"answer": "x"}}})
    db["scratch"].insert_one({"_id": 1})
    db.drop_collection("scratch")


def test_a_reopened_store_holds_exactly_what_was_written(data: Path) -> None:
    with opened(data):
        client = DurableClient(tz_aware=True)
        _write_everything(client)
        before = _dump(client)
        at = client["app"]["resumes"].find_one({"key": "a"})["at"]
    with opened(data) as reopened:
        client = DurableClient(tz_aware=True)
        assert _dump(client) == before
        assert (
            client["app"]["resumes"].find_one({"key": "a"})["at"]
            == at
            == datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
        )
        assert "scratch" not in client["app"].list_collection_names()
        assert reopened.loaded_documents == sum(len(documents) for documents in before.values())
        with pytest.raises(DuplicateKeyError):  # the unique index came back
            client["app"]["resumes"].insert_one({"key": "a"})


def test_a_failed_write_leaves_the_journal_matching_what_took_effect(data: Path) -> None:
    with opened(data):
        resumes = DurableClient()["app"]["resumes"]
        resumes.create_index([("key", ASCENDING)], unique=True)
        with pytest.raises(BulkWriteError):
            resumes.insert_many([{"key": "a"}, {"key": "b"}, {"key": "a"}, {"key": "c"}])
        with pytest.raises(DuplicateKeyError):
            resumes.update_one({"key": "b"}, {"$set": {"key": "a"}})
        before = _dump(DurableClient())
    with opened(data):
        assert _dump(DurableClient()) == before


def test_every_write_is_in_the_file_when_the_call_returns(store: mongo_store.DurableStore) -> None:
    DurableClient()["app"]["resumes"].insert_one({"_id": "x", "name": "김개발"})
    text = store.journal_path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert '"김개발"' in text  # readable: one JSON document per line


def test_a_torn_last_line_is_dropped_and_anything_else_unreadable_is_refused(data: Path) -> None:
    with opened(data) as store:
        DurableClient()["app"]["c"].insert_one({"_id": 1})
        DurableClient()["app"]["c"].insert_one({"_id": 2})
        journal = store.journal_path
    whole = journal.read_bytes()
    journal.write_bytes(whole[:-10])  # the process died in the middle of the last write
    with opened(data) as reopened:
        assert reopened.dropped_tail
        assert [d["_id"] for d in DurableClient()["app"]["c"].find({})] == [1]
    lines = whole.split(b"\n")
    journal.write_bytes(b"\n".join([lines[0], b"{not json", *lines[1:]]))
    with pytest.raises(StoreCorruptError, match=":2 is not a journal line"):
        opened(data).__enter__()


def test_fresh_starts_empty_and_reset_deletes(data: Path) -> None:
    with opened(data):
        DurableClient()["app"]["c"].insert_one({"_id": 1})
    with opened(data, fresh=True):
        assert DurableClient()["app"]["c"].count_documents({}) == 0
        DurableClient()["app"]["c"].insert_one({"_id": 2})
    assert reset(data) is True
    with opened(data):
        assert DurableClient()["app"]["c"].count_documents({}) == 0
    assert reset(data) is True  # the journal of the empty run
    assert not (data / mongo_store.JOURNAL_NAME).exists()


def test_one_directory_serves_one_process_at_a_time(store: mongo_store.DurableStore, data: Path) -> None:
    with pytest.raises(StoreLockedError, match=f"pid {os.getpid()}"):
        mongo_store.DurableStore(data).open()
    with pytest.raises(StoreLockedError):
        reset(data)


def test_without_an_open_store_there_is_no_client() -> None:
    with pytest.raises(RuntimeError, match="no local MongoDB store is open"):
        DurableClient()


def test_the_core_builds_its_mongomock_client_through_the_named_replacement(
    store: mongo_store.DurableStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from careercoach.settings import Settings
    from careercoach.storage import mongo

    settings = Settings(mongodb_uri="mongomock://localhost/app", mongodb_database="app")
    monkeypatch.setenv(mongo_store.CLIENT_FACTORY_VARIABLE, mongo_store.CLIENT_FACTORY)
    client = mongo.connect(settings)
    assert isinstance(client, DurableClient)
    client["app"]["things"].insert_one({"_id": "kept"})
    mongo.ping(client["app"])
    mongo.close(client)  # the store outlives a client
    assert '"kept"' in store.journal_path.read_text(encoding="utf-8")
    monkeypatch.delenv(mongo_store.CLIENT_FACTORY_VARIABLE)
    assert not isinstance(mongo.connect(settings), DurableClient)  # plain mongomock without the variable
