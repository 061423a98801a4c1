"""Load run: 300 async submissions at once against the local runtime, offline generator, real HTTP and
the SQS poller over moto. Checks that all succeed, none is lost and none is stored twice; prints throughput
and the median and p95 time from submit to completed (seen by polling)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/core"), str(ROOT / "layers/llm"), str(ROOT)]

from local.runtime import LocalRuntime  # noqa: E402
from tests.integration.local.support import Client  # noqa: E402

SUBMISSIONS = int(os.environ.get("BENCH_ASYNC_SUBMISSIONS", "300"))
CLIENT_THREADS = 32


def _json(client: Client, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    headers = [("content-type", "application/json")] if data is not None else None
    reply = client.request(method, path, data, headers)
    return reply.status, json.loads(reply.body) if reply.body else None


def main() -> None:
    env = {
        "MONGODB_URI": "mongomock://localhost/bench_async",
        "LLM_PROVIDERS": "offline",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        # One client submitting hundreds at once is what the hourly quota exists to stop; measure the
        # pipeline, not the quota.
        "GENERATION_QUOTA_PER_HOUR": "0",
    }
    resume = json.loads(json.loads((ROOT / "events/resumes/create-rich.json").read_text("utf-8"))["body"])
    with LocalRuntime(ROOT / "template.yaml", env_overrides=env, sqs_retry_delay_seconds=1) as runtime:
        # Imported once the runtime has set the functions' environment, as Lambda would have.
        from careercoach import container

        client = Client(runtime.http_url)
        status, created = _json(client, "POST", "/api/v1/resumes", resume)
        assert status == 201, created
        key = created["unique_key"]
        submitted: dict[str, float] = {}
        lock = threading.Lock()

        def submit(n: int) -> str:
            started = time.monotonic()
            path = f"/api/v1/{'interview' if n % 2 else 'learning'}/async/{key}/"
            path += "questions" if n % 2 else "learning-path"
            code, body = _json(client, "POST", path, {"seed": n})
            assert code == 202, body
            with lock:
                submitted[body["task_id"]] = started
            return str(body["progress_url"])

        began = time.monotonic()
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            urls = list(pool.map(submit, range(SUBMISSIONS)))
        submit_s = time.monotonic() - began

        done: dict[str, float] = {}
        statuses: dict[str, str] = {}
        deadline = time.monotonic() + 300
        pending = dict(zip([u.split("/tasks/")[1].split("/")[0] for u in urls], urls, strict=True))
        while pending and time.monotonic() < deadline:
            for task_id, url in list(pending.items()):
                _, snapshot = _json(client, "GET", url)
                if snapshot["status"] in ("succeeded", "failed"):
                    done[task_id] = time.monotonic()
                    statuses[task_id] = snapshot["status"]
                    del pending[task_id]
            time.sleep(0.05)
        total_s = time.monotonic() - began

        task_ids = list(submitted)
        stored = sum(
            repo._collection.count_documents({"id": {"$in": task_ids}})
            for repo in (
                container.current().repositories["interview"],
                container.current().repositories["learning_path"],
            )
        )
    latencies = sorted(done[t] - submitted[t] for t in done)
    succeeded = sum(1 for s in statuses.values() if s == "succeeded")
    print(f"{SUBMISSIONS} async submissions (half questions, half learning paths), offline generator")
    print(
        f"  submitted in {submit_s:.2f} s ({CLIENT_THREADS} client threads); all settled in {total_s:.2f} s"
    )
    print(
        f"  succeeded {succeeded}, failed {len(statuses) - succeeded}, lost {len(pending)}, "
        f"documents stored {stored} (duplicates {stored - succeeded})"
    )
    print(f"  throughput {len(done) / total_s:.1f} tasks/s")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        print(
            f"  submit -> completed: median {statistics.median(latencies) * 1000:.0f} ms,"
            f" p95 {p95 * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
