"""Schemathesis against every function's OpenAPI document, served by the local runtime on loopback.

One runtime for the module (as in tests/integration/api): each document is fetched through the local
gateway like any client would, and every operation in it is driven over real HTTP on 127.0.0.1 through
schemathesis' examples, coverage (boundary values, missing and wrongly typed fields, unexpected methods and
content types) and fuzzing phases, in positive and negative mode.

Bounded and reproducible: a fixed seed, MAX_EXAMPLES generated cases per operation on top of the
deterministic coverage cases, no example database, no shrinking (each failure already carries a curl line
that reproduces it). A run takes about 20 s on two cores.

Random keys only ever reach 404s, so a resume, an async task of each kind, a history cursor of each and two
practice sessions are created first, and about two generated cases in three are pointed at them
(`Seeds.apply`): that is what takes the fuzzer past the lookups into validation, storage, the quota and the
offline generator and evaluator.

`fuzz_headers` goes with every request, the document fetches and the seeding included: it is where a
bearer token goes once the runtime runs with the JWT authorizer. `fuzz_env` is the runtime's environment.

The figures (operations, cases, check results, failures) go to test-artifacts/fuzz/summary.json and to the
terminal summary, whatever -s says."""

from __future__ import annotations

import json
import os
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import Case, CheckFunction
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import CheckResult, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NotSet
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response

from local.runtime import LocalRuntime
from tests.integration.api.conftest import ROOT, ApiClient, body_of, local_runtime
from tests.support.documents import MEDIA_TYPES, Format, corpus_document

# The OpenAPI document of every function that serves one, by the name used in test ids and the summary.
DOCUMENTS: dict[str, str] = {
    "resumes": "/api/v1/resumes/openapi.json",
    "interview": "/api/v1/interview/openapi.json",
    "learning": "/api/v1/learning/openapi.json",
    "practice": "/api/v1/practice/openapi.json",
    "import": "/api/v1/resumes/import/openapi.json",
    "web": "/test/openapi.json",
}

# Fixed, so `make test` is reproducible; FUZZ_SEED=<n> (and FUZZ_MAX_EXAMPLES=<n>) explore further by hand.
SEED = int(os.environ.get("FUZZ_SEED", "20250611"))
# Generated (fuzzing phase) cases per operation; examples and coverage cases come on top.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "40"))
REQUEST_TIMEOUT_S = 30
SEEDED_EVERY = 3  # one generated case in SEEDED_EVERY keeps its random values; the others get real ones

# Methods the coverage phase sends where a path does not declare them (the functions answer 405 + Allow),
# TRACE and QUERY included: the local gateway routes every method, as API Gateway does.
UNEXPECTED_METHODS = ["get", "put", "post", "delete", "options", "patch", "trace", "query"]


@schemathesis.check
def error_detail_is_message(ctx: Any, response: Response, case: Case) -> bool | None:
    """Every error body the functions answer (the common one, with an error_code) carries `detail`, the same
    text as `message`, where the original system's clients read it."""
    if response.status_code < 400 or "json" not in (response.headers.get("content-type") or [""])[0]:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if isinstance(body, dict) and "error_code" in body and body.get("detail") != body.get("message"):
        raise AssertionError(f"detail {body.get('detail')!r} is not message {body.get('message')!r}")
    return None


# Every check schemathesis has, as its CLI's `--checks all` runs them (the built-in ones, which
# `load_all_checks` registers, and ours above): no 5xx; status, content type, headers and body as documented;
# input that breaks the schema refused with a 4xx and input that follows it accepted; a missing required
# header refused; an undocumented method answered 405 with `Allow`; routes that declare a bearer token refuse
# a request without one; `detail` beside `message` in every error body. The stateful checks among them
# (use_after_free, ensure_resource_availability, object_level_authorization) need a stateful run's history
# and pass by definition here (schemathesis skips them without one).
load_all_checks()
# (Class-based checks, none of them built in, are run by `validate_response` itself: only functions here.)
CHECKS: list[CheckFunction] = [check for check in REGISTERED_CHECKS.get_all() if not isinstance(check, type)]


# Resumes of the corpus in every format the import route reads.
IMPORT_STEMS = ("resume-ko-backend", "en-backend-3y", "en-backend-senior-go")


def _documents(fmt: Format) -> st.SearchStrategy[bytes]:
    """Bodies for the import route's media types: real resumes from the corpus. Whether a body is a readable
    document (a PDF's structure, a Word file's parts, enough text once Markdown is rendered) is beyond what
    JSON Schema can say, so the document states the media type and the route answers 422 with a reason for
    an unreadable one; schemathesis, which cannot make a PDF or a resume by itself, gets real ones, so its
    positive cases are what the document promises to take (201 or 200). The refusals (unreadable, scanned,
    encrypted, too little text, cut short) have their own tests (tests/integration/api/test_import_api.py).
    Registered for the media type, as schemathesis' guide to custom media types shows
    (https://schemathesis.readthedocs.io/en/stable/guides/custom-media-types/)."""
    return st.sampled_from([corpus_document(stem, fmt) for stem in IMPORT_STEMS])


schemathesis.openapi.media_type(MEDIA_TYPES["pdf"], _documents("pdf"))
schemathesis.openapi.media_type(MEDIA_TYPES["docx"], _documents("docx"))
schemathesis.openapi.media_type("text/plain", _documents("text"))
schemathesis.openapi.media_type("text/markdown", _documents("markdown"))

RESUME_SAMPLE = ROOT / "tests" / "corpus" / "en-backend-senior-go.json"
ARTIFACTS = ROOT / "test-artifacts" / "fuzz"
SUMMARY_KEY = pytest.StashKey[dict[str, Any]]()


def fuzz_config(headers: dict[str, str], base_url: str) -> SchemathesisConfig:
    """Built here, never discovered: a stray schemathesis.toml must not change what `make test` runs."""
    config: dict[str, Any] = {
        "seed": SEED,
        "base-url": base_url,
        "request-timeout": REQUEST_TIMEOUT_S,
        # Generation time varies with the machine; a slow CI runner must not fail a health check.
        "suppress-health-check": ["too_slow"],
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "no-shrink": True,
            "database": "none",
        },
        "phases": {
            # Each operation on its own: the stateful phase is not run by the pytest integration anyway.
            "stateful": {"enabled": False},
            "coverage": {"unexpected-methods": UNEXPECTED_METHODS},
        },
    }
    if headers:
        config["headers"] = dict(headers)
    return SchemathesisConfig.from_dict(config)


# ---- the figures ----------------------------------------------------------------------------------------


@dataclass
class OperationFigures:
    document: str
    cases: int = 0
    seeded: int = 0
    modes: Counter[str] = field(default_factory=Counter)
    phases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)


@dataclass
class FuzzStats:
    started: float = field(default_factory=time.monotonic)
    documents: dict[str, list[str]] = field(default_factory=dict)  # name -> operation labels
    operations: dict[str, OperationFigures] = field(default_factory=dict)
    checks: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[dict[str, Any]] = field(default_factory=list)

    def record_case(self, document: str, case: Case, *, seeded: bool) -> None:
        figures = self.operations.setdefault(case.operation.label, OperationFigures(document))
        figures.cases += 1
        figures.seeded += int(seeded)
        meta = case.meta
        if meta is not None:
            figures.modes[meta.generation.mode.value] += 1
            figures.phases[meta.phase.name.value] += 1

    def record_status(self, case: Case, status: int) -> None:
        self.operations[case.operation.label].statuses[status] += 1

    def record_checks(self, results: list[CheckResult]) -> None:
        for result in results:
            self.checks[result.name][result.status.value] += 1

    def record_failures(self, case: Case, group: FailureGroup, response: Response) -> None:
        for failure in group.exceptions:
            self.failures.append(
                {
                    "operation": case.operation.label,
                    "failure": failure.title,
                    "message": failure.message,
                    "status": response.status_code,
                    "response": response.content[:600].decode("utf-8", "replace"),
                    "reproduce": case.as_curl_command(),
                }
            )

    def summary(self) -> dict[str, Any]:
        figures = self.operations.values()
        modes: Counter[str] = Counter()
        phases: Counter[str] = Counter()
        for item in figures:
            modes.update(item.modes)
            phases.update(item.phases)
        return {
            "schemathesis": schemathesis.__version__,
            "seed": SEED,
            "max_examples_per_operation": MAX_EXAMPLES,
            "documents": {name: len(labels) for name, labels in sorted(self.documents.items())},
            "operations": sum(len(labels) for labels in self.documents.values()),
            "cases": sum(item.cases for item in figures),
            "cases_by_mode": dict(modes),
            "cases_by_phase": dict(phases),
            "cases_with_real_values": sum(item.seeded for item in figures),
            "check_runs": sum(sum(counts.values()) for counts in self.checks.values()),
            "checks": {name: dict(counts) for name, counts in sorted(self.checks.items())},
            "failures": len(self.failures),
            "failures_by_kind": dict(Counter(item["failure"] for item in self.failures)),
            "wall_time_s": round(time.monotonic() - self.started, 1),
            "per_operation": {
                label: {
                    "document": item.document,
                    "cases": item.cases,
                    "with_real_values": item.seeded,
                    "modes": dict(item.modes),
                    "statuses": {str(code): n for code, n in sorted(item.statuses.items())},
                }
                for label, item in sorted(self.operations.items())
            },
            "failure_details": self.failures,
        }


def write_summary(summary: dict[str, Any], directory: Path = ARTIFACTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "summary.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    summary = config.stash.get(SUMMARY_KEY, None)
    if summary is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("schemathesis fuzz")
    documents = ", ".join(f"{name} ({count})" for name, count in summary["documents"].items())
    write(f"{summary['operations']} operations in {documents}; {summary['wall_time_s']} s")
    write(
        f"{summary['cases']} cases: {summary['cases_by_mode']}, by phase {summary['cases_by_phase']}, "
        f"{summary['cases_with_real_values']} with a real resume/task/cursor"
    )
    write(f"{summary['check_runs']} check runs:")
    for name, counts in summary["checks"].items():
        write(f"  {name}: {counts}")
    write(f"failures: {summary['failures']} {summary['failures_by_kind'] or ''}  ({summary['path']})")


# ---- real values ------------------------------------------------------------------------------------------


@dataclass
class Seeds:
    """Real values for generated cases to use: a resume, an async task and a history cursor of each kind,
    the page's assets."""

    api: ApiClient
    headers: list[tuple[str, str]]
    resume_key: str
    task_ids: dict[str, str]  # by document: interview, learning, practice
    cursors: dict[str, str]  # by document
    session_ids: list[str] = field(default_factory=list)  # practice sessions of the resume

    def apply(self, document: str, case: Case) -> bool:
        """Point about two cases in three at real values. Which ones depends only on what was generated, so
        a case replays identically. Assigning the containers (rather than editing them in place) makes
        schemathesis re-derive whether the case is still negative, so negative_data_rejection stays fair.
        A DELETE gets a resume of its own, so the shared one outlives the run."""
        # Not repr(case): it shows the headers, and a bearer token differs from run to run.
        body = None if isinstance(case.body, NotSet) else case.body
        choice = zlib.crc32(repr((case.method, case.path_parameters, case.query, body)).encode())
        if choice % SEEDED_EVERY == 0:
            return False
        known: dict[str, list[str]] = {
            "unique_key": [self.resume_key],
            "task_id": [self.task_ids[document]] if document in self.task_ids else [],
            "asset": ["app.js", "app.css"],
            "session_id": self.session_ids,
        }
        params = {
            name: values[choice % len(values)] for name in case.path_parameters if (values := known.get(name))
        }
        if case.method.upper() == "DELETE" and "unique_key" in params:
            params["unique_key"] = create_resume(self.api, self.headers)
        if params:
            case.path_parameters = {**case.path_parameters, **params}
        cursor = self.cursors.get(document)
        if cursor is not None and "cursor" in case.query:
            case.query = {**case.query, "cursor": cursor}
            return True
        return bool(params)


def create_resume(api: ApiClient, headers: list[tuple[str, str]]) -> str:
    sample = json.loads(RESUME_SAMPLE.read_text(encoding="utf-8"))
    reply = api.json("POST", "/api/v1/resumes", sample, headers)
    assert reply.status == 201, reply.body
    key: str = body_of(reply)["unique_key"]
    return key


def submit_task(api: ApiClient, headers: list[tuple[str, str]], path: str, body: Any = None) -> str:
    reply = api.json("POST", path, body if body is not None else {}, headers)
    assert reply.status == 202, reply.body
    task_id: str = body_of(reply)["task_id"]
    return task_id


def practice_seeds(api: ApiClient, headers: list[tuple[str, str]], key: str) -> tuple[list[str], str, str]:
    """Two sessions of the resume (it has question sets by now), an async answer's task, and the cursor of a
    one-item page of its sessions."""
    sessions = []
    for _ in range(2):
        reply = api.json("POST", f"/api/v1/practice/{key}/sessions", {}, headers)
        assert reply.status == 201, reply.body
        sessions.append(body_of(reply)["session_id"])
    answer = {"question_id": "q1", "answer": "I measured p95 latency before and after adding the cache."}
    task_id = submit_task(
        api, headers, f"/api/v1/practice/async/{key}/sessions/{sessions[0]}/answers", answer
    )
    reply = api.request("GET", f"/api/v1/practice/{key}/sessions?limit=1", None, headers)
    assert reply.status == 200, reply.body
    return sessions, task_id, body_of(reply)["next_cursor"]


def older_page_cursor(api: ApiClient, headers: list[tuple[str, str]], path: str) -> str:
    """Generate twice, then read the first page of one: its next_cursor points at the older result."""
    for _ in range(2):
        reply = api.json("POST", path, {}, headers)
        assert reply.status == 201, reply.body
    reply = api.request("GET", f"{path}/history?limit=1", None, headers)
    assert reply.status == 200, reply.body
    cursor: str = body_of(reply)["next_cursor"]
    return cursor


# ---- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_env() -> dict[str, str]:
    """The runtime's environment. No provider keys, so generation runs the built-in offline generator. The
    hourly generation quota counts every request (its code runs) but is set too high to trip: the fuzzer
    sends a few hundred generation requests as one caller."""
    return {"MONGODB_URI": "mongomock://localhost/fuzz", "GENERATION_QUOTA_PER_HOUR": "100000"}


@pytest.fixture(scope="module")
def fuzz_runtime(fuzz_env: dict[str, str]) -> Iterator[LocalRuntime]:
    """Auth on, as a deployment would run: the JWT authorizer guards the data routes (and GET
    /api/v1/resumes lists rather than answering 403)."""
    with local_runtime(fuzz_env, auth=True) as started:
        yield started


@pytest.fixture(scope="module")
def fuzz_headers(fuzz_runtime: LocalRuntime) -> dict[str, str]:
    """Sent with every request: a development token for one caller."""
    issuer = fuzz_runtime.dev_issuer
    assert issuer is not None
    return {"Authorization": f"Bearer {issuer.token('fuzzer')}"}


@pytest.fixture(scope="module")
def fuzz_seeds(fuzz_runtime: LocalRuntime, fuzz_headers: dict[str, str]) -> Seeds:
    api = ApiClient(fuzz_runtime.http_url)
    headers = list(fuzz_headers.items())
    key = create_resume(api, headers)
    cursors = {
        "interview": older_page_cursor(api, headers, f"/api/v1/interview/{key}/questions"),
        "learning": older_page_cursor(api, headers, f"/api/v1/learning/{key}/learning-path"),
    }
    sessions, practice_task, cursors["practice"] = practice_seeds(api, headers, key)
    return Seeds(
        api=api,
        headers=headers,
        resume_key=key,
        task_ids={
            "interview": submit_task(api, headers, f"/api/v1/interview/async/{key}/questions"),
            "learning": submit_task(api, headers, f"/api/v1/learning/async/{key}/learning-path"),
            "practice": practice_task,
        },
        cursors=cursors,
        session_ids=sessions,
    )


@pytest.fixture(scope="module")
def fuzz_stats(request: pytest.FixtureRequest) -> Iterator[FuzzStats]:
    stats = FuzzStats()
    yield stats
    summary = stats.summary()
    summary["path"] = str(write_summary(summary).relative_to(ROOT))
    request.config.stash[SUMMARY_KEY] = summary


@pytest.fixture(scope="module", params=list(DOCUMENTS))
def fuzz_document(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def fuzz_schema(
    fuzz_document: str, fuzz_runtime: LocalRuntime, fuzz_headers: dict[str, str], fuzz_stats: FuzzStats
) -> schemathesis.BaseSchema:
    """One function's OpenAPI document, fetched through the local gateway."""
    schema = schemathesis.openapi.from_url(
        fuzz_runtime.http_url + DOCUMENTS[fuzz_document],
        config=fuzz_config(fuzz_headers, fuzz_runtime.http_url),
        headers=fuzz_headers,
        timeout=REQUEST_TIMEOUT_S,
    )

    def after_validate(context: Any, case: Case, response: Any, results: list[CheckResult]) -> None:
        fuzz_stats.record_checks(results)

    schema.hooks.register_hook_with_name(after_validate, "after_validate")
    # An operation the document defines badly comes back as an error; the test reports those itself.
    fuzz_stats.documents[fuzz_document] = [
        result.ok().label for result in schema.get_all_operations() if isinstance(result, Ok)
    ]
    return schema


@dataclass
class FuzzRun:
    """What each generated case goes through: real values, the request over loopback, the checks."""

    document: str
    seeds: Seeds
    stats: FuzzStats
    # The headers every request carries (the bearer token), told to the checks as the CLI tells them its
    # `--header`s: ignored_auth then knows the token is a real one and probes the operation without it and
    # with a wrong one (each must be 401), rather than taking it for a generated value.
    headers: dict[str, str]

    def __call__(self, case: Case) -> None:
        __tracebackhide__ = True
        seeded = self.seeds.apply(self.document, case)
        self.stats.record_case(self.document, case, seeded=seeded)
        response = case.call(timeout=REQUEST_TIMEOUT_S)
        self.stats.record_status(case, response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=self.headers)
        except FailureGroup as group:
            self.stats.record_failures(case, group, response)
            raise


@pytest.fixture(scope="module")
def fuzz_run(
    fuzz_document: str, fuzz_seeds: Seeds, fuzz_stats: FuzzStats, fuzz_headers: dict[str, str]
) -> FuzzRun:
    return FuzzRun(fuzz_document, fuzz_seeds, fuzz_stats, dict(fuzz_headers))


@pytest.fixture(autouse=True)
def _schemathesis_node_id(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32.5 reads and rewrites `Function._nodeid`, which pytest 9.2 no longer has (node ids
    live in `_id`); give each item here the attribute it expects. Harmless once schemathesis catches up."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
