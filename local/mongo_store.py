"""mongomock whose data survives a restart of `make run`: a write-through journal under `.local-data/`.

Why mongomock plus a journal rather than an embedded database: the handlers, the tests and the repository
contract suite all run on mongomock already, so `make run` keeps exactly the query semantics the tests check,
and nothing needs installing. The embedded stores that speak a pymongo-like API were measured against what
the repositories use and fall short (see the README's "Local data").

How: the core builds its client for `mongomock://` URIs from `MONGOMOCK_CLIENT_FACTORY` when that names a
replacement for `mongomock.MongoClient` (careercoach.storage.mongo); the runtime names `DurableClient` here.
It is mongomock underneath, wrapped so that every write through the pymongo API appends what it changed to
`mongodb.jsonl` before the call returns, so before the handler answers:
- one line per write operation (every document it changed, as stored, or its deletion; a dropped collection;
  the indexes after an index change), so a line is applied whole or not at all;
- documents in MongoDB Extended JSON (relaxed), so dates, ObjectIds and binary values come back as they were;
- each line is flushed to the operating system before the write returns, and fsync'ed by default.
At start the journal is replayed into a fresh mongomock and rewritten compactly (a new file, fsync'ed, then
renamed over the old one). A process that dies mid-write leaves at most a torn last line, the one write that
was never acknowledged; it is dropped on the next start, with a warning.

Writes through the wrapper are serialised (one lock per store): the documents a write changed are read back
under that lock, so the journal's order is the order the writes took effect. Reads are not serialised.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import mongomock
import mongomock.helpers
from bson import json_util
from bson.json_util import JSONMode, JSONOptions

log = logging.getLogger("local.mongo")

JOURNAL_NAME = "mongodb.jsonl"
LOCK_NAME = "mongodb.lock"
# Where the core finds the replacement for mongomock.MongoClient (careercoach.storage.mongo reads it).
CLIENT_FACTORY_VARIABLE = "MONGOMOCK_CLIENT_FACTORY"
CLIENT_FACTORY = f"{__name__}:DurableClient"

_WRITE_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED)
_READ_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True)

# The pymongo Collection methods that write, by how the wrapper finds what they changed.
_FILTER_WRITES = frozenset(
    {
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "find_one_and_delete",
        "find_one_and_replace",
        "find_one_and_update",
    }
)
_UPSERTING = frozenset(
    {"update_one", "update_many", "replace_one", "find_one_and_replace", "find_one_and_update"}
)
_INSERTS = frozenset({"insert_one", "insert_many"})
_INDEX_WRITES = frozenset({"create_index", "create_indexes", "drop_index", "drop_indexes"})
# Anything else that can write (bulk writes, drop/rename, legacy mongomock methods): the whole database is
# journalled after it. Rare, and always right.
_OTHER_WRITES = frozenset(
    {"bulk_write", "drop", "rename", "insert", "save", "update", "remove", "find_and_modify"}
)
_DATABASE_WRITES = frozenset({"drop_collection", "create_collection", "rename_collection"})
_READ_COMMANDS = frozenset(
    {"ping", "hello", "ismaster", "buildinfo", "serverstatus", "dbstats", "collstats", "listcollections"}
)


class StoreLockedError(RuntimeError):
    """Another process (another `make run`) holds the data directory."""


class StoreCorruptError(RuntimeError):
    """A journal line other than the last cannot be read: the file was edited or damaged."""


# --- the store ----------------------------------------------------------------------------------------
class DurableStore:
    """The data directory of one run: holds its lock, replays the journal at open, appends every write."""

    def __init__(self, directory: Path, fsync: bool = True) -> None:
        self.directory = directory
        self.fsync = fsync
        self.lock = threading.RLock()
        self.client: Any = None
        self._file: Any = None
        self._lock_file: Any = None
        self.loaded_documents = 0
        self.dropped_tail = False

    @property
    def journal_path(self) -> Path:
        return self.directory / JOURNAL_NAME

    def open(self, fresh: bool = False) -> DurableStore:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock_file = _acquire_lock(self.directory / LOCK_NAME)
        try:
            if fresh:
                self.journal_path.unlink(missing_ok=True)
            state, self.dropped_tail = _read_journal(self.journal_path)
            self.client = mongomock.MongoClient(tz_aware=True)
            self.loaded_documents = _restore(self.client, state)
            _rewrite(self.journal_path, _compact(state), self.fsync)
            self._file = open(self.journal_path, "a", encoding="utf-8")  # noqa: SIM115 - open until close()
        except BaseException:
            self.close()
            raise
        if self.dropped_tail:
            log.warning("%s ended in a torn line (a write cut short); it was dropped", self.journal_path)
        return self

    def close(self) -> None:
        with self.lock:
            if self._file is not None:
                self._file.close()
                self._file = None
            if self._lock_file is not None:
                self._lock_file.close()  # releases the flock
                self._lock_file = None

    def append(self, operations: list[dict[str, Any]]) -> None:
        """One write operation's changes, as one line: durable (flushed, fsync'ed) when this returns."""
        if not operations:
            return
        if self._file is None:
            raise RuntimeError("the local MongoDB store is closed")
        self._file.write(_line(operations))
        self._file.flush()
        if self.fsync:
            os.fsync(self._file.fileno())


def reset(directory: Path) -> bool:
    """Delete the stored data (refused while a run holds the directory). True if there was any."""
    if not directory.is_dir():
        return False
    with _acquire_lock(directory / LOCK_NAME):
        journal = directory / JOURNAL_NAME
        existed = journal.exists()
        journal.unlink(missing_ok=True)
    return existed


def _acquire_lock(path: Path) -> Any:
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until the store closes
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise StoreLockedError(
            f"{path.parent} is in use by {holder} (another `make run`?); stop it first, or give this run "
            "its own --data-dir"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


# --- the journal ----------------------------------------------------------------------------------------
# Replayed state: database -> collection -> {"docs": {id key: document}, "indexes": [...] | None}
State = dict[str, dict[str, dict[str, Any]]]


def _line(operations: list[dict[str, Any]]) -> str:
    document = {"ops": operations}
    return (
        json_util.dumps(document, json_options=_WRITE_OPTIONS, separators=(",", ":"), ensure_ascii=False)
        + "\n"
    )


def _id_key(document_id: Any) -> str:
    return json_util.dumps(document_id, json_options=_WRITE_OPTIONS, sort_keys=True)


def _read_journal(path: Path) -> tuple[State, bool]:
    state: State = {}
    if not path.exists():
        return state, False
    with open(path, encoding="utf-8") as journal:
        lines = journal.read().split("\n")
    # A complete journal ends with "\n", so its last element is "". Anything else there is a torn line.
    torn = lines.pop() != ""
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        try:
            entry = json_util.loads(line, json_options=_READ_OPTIONS)
        except ValueError as error:
            if number == len(lines) and not torn:
                # The last line is unreadable although it ended: a write cut short between its bytes.
                torn = True
                break
            raise StoreCorruptError(f"{path}:{number} is not a journal line ({error})") from error
        for operation in entry["ops"]:
            _apply(state, operation)
    return state, torn


def _apply(state: State, operation: Mapping[str, Any]) -> None:
    database = state.setdefault(operation["db"], {})
    if operation.get("dropdb"):
        database.clear()
        return
    name = operation["c"]
    if operation.get("drop"):
        database.pop(name, None)
        return
    collection = database.setdefault(name, {"docs": {}, "indexes": None})
    if "put" in operation:
        document = operation["put"]
        collection["docs"][_id_key(document["_id"])] = document
    elif "del" in operation:
        collection["docs"].pop(_id_key(operation["del"]), None)
    elif "indexes" in operation:
        collection["indexes"] = operation["indexes"]


def _restore(client: Any, state: State) -> int:
    count = 0
    for database_name, collections in state.items():
        for name, collection in collections.items():
            raw = client[database_name][name]
            documents = list(collection["docs"].values())
            if documents:
                raw.insert_many(documents)
                count += len(documents)
            for index in collection["indexes"] or []:
                options = {k: v for k, v in index.items() if k not in ("key", "v", "ns")}
                raw.create_index([tuple(part) for part in index["key"]], **options)
            if not documents and collection["indexes"] is None:
                client[database_name].create_collection(name)
    return count


def _compact(state: State) -> Iterator[list[dict[str, Any]]]:
    for database_name, collections in state.items():
        for name, collection in collections.items():
            if collection["indexes"] is not None:
                yield [{"db": database_name, "c": name, "indexes": collection["indexes"]}]
            for document in collection["docs"].values():
                yield [{"db": database_name, "c": name, "put": document}]


def _rewrite(path: Path, entries: Iterable[list[dict[str, Any]]], fsync: bool) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        for operations in entries:
            out.write(_line(operations))
        out.flush()
        if fsync:
            os.fsync(out.fileno())
    os.replace(temporary, path)
    if fsync:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# --- the pymongo surface ---------------------------------------------------------------------------------
_active: DurableStore | None = None


def activate(store: DurableStore | None) -> None:
    """The store `DurableClient()` serves (the runtime sets it while it runs)."""
    global _active
    _active = store


class DurableClient:
    """Stands in for `mongomock.MongoClient(...)`: the active store's client, journalling every write.
    Constructor arguments are accepted and ignored: the store's client was built with tz_aware=True, as the
    core builds its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _active is None or _active.client is None:
            raise RuntimeError("no local MongoDB store is open (the local runtime opens it)")
        self._store = _active
        self._raw = _active.client

    def __getitem__(self, name: str) -> DurableDatabase:
        return DurableDatabase(self._store, self._raw[name])

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._raw, name)
        if isinstance(value, mongomock.Database):
            return DurableDatabase(self._store, value)
        if name in ("get_database", "get_default_database"):
            return lambda *a, **k: DurableDatabase(self._store, value(*a, **k))
        if name == "drop_database":
            return self._drop_database
        return value

    def _drop_database(self, name_or_database: Any, *args: Any, **kwargs: Any) -> None:
        name = name_or_database if isinstance(name_or_database, str) else name_or_database.name
        with self._store.lock:
            self._raw.drop_database(name, *args, **kwargs)
            self._store.append([{"db": name, "dropdb": True}])

    def close(self) -> None:
        """The store outlives a client: the runtime closes it when it stops."""


class _Wrapper:
    """A mongomock Database or Collection whose writes go through the store; `x[name]` is a collection."""

    def __init__(self, store: DurableStore, raw: Any) -> None:
        self._store = store
        self._raw = raw

    def __getitem__(self, name: str) -> DurableCollection:
        return DurableCollection(self._store, self._raw[name])


class DurableDatabase(_Wrapper):
    def __getattr__(self, name: str) -> Any:
        value = getattr(self._raw, name)
        if isinstance(value, mongomock.Collection):
            return DurableCollection(self._store, value)
        if name in ("get_collection", "with_options"):
            return _wrapping(value, lambda result: _wrap(self._store, result))
        if name in _DATABASE_WRITES:
            return self._writing(value)
        if name == "command":
            return self._command
        return value

    def _command(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        name = command if isinstance(command, str) else next(iter(command), "")
        if str(name).lower() in _READ_COMMANDS:
            return self._raw.command(command, *args, **kwargs)
        return self._writing(self._raw.command)(command, *args, **kwargs)

    def _writing(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            with self._store.lock:
                try:
                    return _wrap(self._store, method(*args, **kwargs))
                finally:
                    self._store.append(_database_snapshot(self._raw))

        return call


class DurableCollection(_Wrapper):
    def __getattr__(self, name: str) -> Any:
        value = getattr(self._raw, name)
        if name in _FILTER_WRITES:
            return lambda *a, **k: self._filter_write(name, value, a, k)
        if name in _INSERTS:
            return lambda *a, **k: self._insert(name, value, a, k)
        if name in _INDEX_WRITES:
            return lambda *a, **k: self._index_write(value, a, k)
        if name in _OTHER_WRITES or (name == "aggregate"):
            return lambda *a, **k: self._other_write(name, value, a, k)
        if name == "database":
            return DurableDatabase(self._store, value)
        if isinstance(value, mongomock.Collection):
            return DurableCollection(self._store, value)
        if name == "with_options":
            return _wrapping(value, lambda result: _wrap(self._store, result))
        return value

    # Each write runs under the store's lock, reads back what it changed and journals that before returning.
    # Should the write itself fail part-way (a duplicate key in insert_many...), the whole collection is
    # journalled instead, so the journal matches whatever did take effect.
    def _filter_write(self, name: str, method: Callable[..., Any], args: tuple[Any, ...], kwargs: Any) -> Any:
        spec = args[0] if args else kwargs.get("filter", {})
        upsert = name in _UPSERTING and bool(kwargs.get("upsert") or (len(args) > 2 and args[2] is True))
        # update_one, delete_one... change the first match in storage order; find_one_and_* with a sort
        # may change any match; the *_many methods change them all.
        first_only = not name.endswith("_many") and not kwargs.get("sort")
        with self._store.lock:
            touched = _matching_ids(self._raw, spec, first_only)
            before = self._ids() if upsert else {}
            try:
                result = method(*args, **kwargs)
            except BaseException:
                self._store.append(_collection_snapshot(self._raw))
                raise
            if upsert:  # the upserted document's id is not always in the result (find_one_and_*)
                touched += [value for key, value in self._ids().items() if key not in before]
            self._store.append([self._state_of(document_id) for document_id in touched])
            return result

    def _insert(self, name: str, method: Callable[..., Any], args: tuple[Any, ...], kwargs: Any) -> Any:
        with self._store.lock:
            try:
                result = method(*args, **kwargs)
            except BaseException:
                self._store.append(_collection_snapshot(self._raw))
                raise
            ids = [result.inserted_id] if name == "insert_one" else list(result.inserted_ids)
            self._store.append([self._state_of(document_id) for document_id in ids])
            return result

    def _index_write(self, method: Callable[..., Any], args: tuple[Any, ...], kwargs: Any) -> Any:
        with self._store.lock:
            try:
                return method(*args, **kwargs)
            finally:
                self._store.append([self._indexes()])

    def _other_write(self, name: str, method: Callable[..., Any], args: tuple[Any, ...], kwargs: Any) -> Any:
        if name == "aggregate" and not _writes_out(args[0] if args else kwargs.get("pipeline", [])):
            return method(*args, **kwargs)
        database = self._raw.database
        with self._store.lock:
            try:
                return _wrap(self._store, method(*args, **kwargs))
            finally:
                self._store.append(_database_snapshot(database))

    def _ids(self) -> dict[str, Any]:
        return {_id_key(document["_id"]): document["_id"] for document in self._raw._store.documents}

    def _state_of(self, document_id: Any) -> dict[str, Any]:
        where = {"db": self._raw.database.name, "c": self._raw.name}
        document = _stored(self._raw, document_id)
        return {**where, "put": document} if document is not None else {**where, "del": document_id}

    def _indexes(self) -> dict[str, Any]:
        return {"db": self._raw.database.name, "c": self._raw.name, "indexes": _index_specs(self._raw)}


# Two mongomock internals (mongomock is pinned in requirements/dev.txt, and the tests of this module fail if
# these change): a collection's stored documents by id, and its filter iteration in storage order, the order
# in which update_one, delete_one... take their first match. Through the public API, find() deep-copies every
# match and find_one() scans the whole collection, which made each journalled update cost 20 times the
# update itself.
def _matching_ids(raw: Any, spec: Any, first_only: bool) -> list[Any]:
    spec = mongomock.helpers.patch_datetime_awareness_in_document(spec if spec is not None else {})
    if not isinstance(spec, Mapping):
        spec = {"_id": spec}
    matches = (document["_id"] for document in raw._iter_documents(spec))
    if first_only:
        first = next(matches, _NONE)
        return [] if first is _NONE else [first]
    return list(matches)


def _stored(raw: Any, document_id: Any) -> Any:
    key = mongomock.helpers.hashdict(document_id) if isinstance(document_id, dict) else document_id
    store = raw._store
    return store[key] if key in store else None  # noqa: SIM401 - a CollectionStore has no get()


_NONE = object()


def _index_specs(raw: Any) -> list[dict[str, Any]]:
    specs = []
    for name, info in raw.index_information().items():
        if name == "_id_":
            continue
        spec = {key: value for key, value in info.items() if key not in ("v", "ns")}
        spec["key"] = [list(part) for part in info["key"]]
        spec["name"] = name
        specs.append(spec)
    return specs


def _collection_snapshot(raw: Any) -> list[dict[str, Any]]:
    where = {"db": raw.database.name, "c": raw.name}
    operations: list[dict[str, Any]] = [{**where, "drop": True}, {**where, "indexes": _index_specs(raw)}]
    operations += [{**where, "put": document} for document in raw.find({})]
    return operations


def _database_snapshot(raw: Any) -> list[dict[str, Any]]:
    operations: list[dict[str, Any]] = [{"db": raw.name, "dropdb": True}]
    for name in raw.list_collection_names():
        operations += _collection_snapshot(raw[name])
    return operations


def _writes_out(pipeline: Any) -> bool:
    return any(isinstance(stage, Mapping) and ("$out" in stage or "$merge" in stage) for stage in pipeline)


def _wrap(store: DurableStore, value: Any) -> Any:
    if isinstance(value, mongomock.Collection):
        return DurableCollection(store, value)
    if isinstance(value, mongomock.Database):
        return DurableDatabase(store, value)
    return value


def _wrapping(method: Callable[..., Any], wrap: Callable[[Any], Any]) -> Callable[..., Any]:
    return lambda *args, **kwargs: wrap(method(*args, **kwargs))


@contextlib.contextmanager
def opened(directory: Path, fresh: bool = False, fsync: bool = True) -> Iterator[DurableStore]:
    """Open the store, make it the active one, and close it on the way out."""
    store = DurableStore(directory, fsync=fsync).open(fresh=fresh)
    activate(store)
    try:
        yield store
    finally:
        activate(None)
        store.close()
