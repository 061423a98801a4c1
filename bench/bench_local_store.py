"""What keeping `make run`'s data costs: writes through plain mongomock (in memory) beside the same writes
through the journalled store (local/mongo_store.py), with and without fsync, and the replay at start."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import mongomock  # noqa: E402

from local.mongo_store import DurableClient, opened  # noqa: E402

WRITES = 500
RESUME = json.loads(json.loads((ROOT / "events/resumes/create-rich.json").read_text("utf-8"))["body"])


def _median_ms(write: Callable[[int], Any]) -> float:
    times = []
    for number in range(WRITES):
        started = time.perf_counter()
        write(number)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _writes(collection: Any) -> tuple[float, float]:
    insert = _median_ms(lambda n: collection.insert_one({**RESUME, "unique_key": f"k{n}"}))
    update = _median_ms(
        lambda n: collection.update_one({"unique_key": f"k{n}"}, {"$set": {"summary": f"{n}"}})
    )
    return insert, update


def main() -> None:
    size = len(json.dumps(RESUME, ensure_ascii=False).encode())
    print(f"{WRITES} inserts, then {WRITES} updates, of a {size:,}-byte resume; median ms per write")
    print(f"  {'store':28} {'insert':>8} {'update':>8}")
    insert, update = _writes(mongomock.MongoClient(tz_aware=True)["bench"]["resumes"])
    print(f"  {'mongomock, in memory':28} {insert:8.2f} {update:8.2f}")
    restarts = []
    for fsync in (False, True):
        with tempfile.TemporaryDirectory() as directory:
            with opened(Path(directory), fsync=fsync):
                insert, update = _writes(DurableClient()["bench"]["resumes"])
            label = "journalled + fsync (default)" if fsync else "journalled, no fsync"
            print(f"  {label:28} {insert:8.2f} {update:8.2f}")
            journal = Path(directory) / "mongodb.jsonl"
            megabytes = journal.stat().st_size / 1e6
            started = time.perf_counter()
            with opened(Path(directory), fsync=fsync) as store:
                loaded = store.loaded_documents
            restarts.append((loaded, megabytes, (time.perf_counter() - started) * 1000))
    loaded, megabytes, elapsed = restarts[-1]
    print(f"  restart: replay and compact {loaded} documents ({megabytes:.1f} MB journal): {elapsed:.0f} ms")


if __name__ == "__main__":
    main()
