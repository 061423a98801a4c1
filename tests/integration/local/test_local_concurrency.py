"""50 clients writing at once through the local HTTP gateway: every one gets its answer, none is reset.

The cause of the resets this guards against: socketserver listens with a backlog of 5, so a burst of
connections overflowed the kernel's accept queue and the surplus were reset before the gateway saw them
(local/loopback.py now listens with a backlog of 1024). Each client here also reuses its connection for a
second request, so keep-alive is exercised under the same load."""

from __future__ import annotations

import http.client
import json
import logging
import threading
from pathlib import Path

import pytest

from tests.integration.api.conftest import local_runtime

pytestmark = pytest.mark.integration

CLIENTS = 50
RESUME = json.loads(
    json.loads((Path(__file__).parents[3] / "events/resumes/create-rich.json").read_text())["body"]
)


def test_50_concurrent_put_and_patch_writers_are_all_answered(caplog: pytest.LogCaptureFixture) -> None:
    with local_runtime({"MONGODB_URI": "mongomock://localhost/concurrency"}) as runtime:
        assert runtime.http is not None
        port = runtime.http.port
        setup = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        setup.request("POST", "/api/v1/resumes", json.dumps(RESUME), {"content-type": "application/json"})
        created = setup.getresponse()
        assert created.status == 201
        key = json.loads(created.read())["unique_key"]
        setup.close()

        start = threading.Barrier(CLIENTS)
        statuses: list[int] = []
        failures: list[str] = []

        def writer(number: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                start.wait(timeout=60)
                put = {**RESUME, "summary": f"Writer {number} replaced the whole resume."}
                patch = {"summary": f"Writer {number} patched the summary."}
                requests = [
                    ("PUT", put, "application/json"),
                    ("PATCH", patch, "application/merge-patch+json"),
                ]
                if number % 2:
                    requests.reverse()
                for method, body, content_type in requests:  # two requests on one keep-alive connection
                    connection.request(
                        method, f"/api/v1/resumes/{key}", json.dumps(body), {"content-type": content_type}
                    )
                    response = connection.getresponse()
                    response.read()
                    statuses.append(response.status)
            except Exception as error:  # a reset, a refused connection, a timeout: all failures here
                failures.append(f"writer {number}: {error!r}")
            finally:
                connection.close()

        with caplog.at_level(logging.INFO, logger="local.http"):
            threads = [threading.Thread(target=writer, args=(number,)) for number in range(CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        assert failures == []
        assert statuses == [200] * (2 * CLIENTS)
        logged = [r.getMessage() for r in caplog.records if r.name == "local.http" and key in r.getMessage()]
        assert len(logged) == 2 * CLIENTS  # every request reached the gateway and was answered
