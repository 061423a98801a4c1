"""Cold-start cost per function: import plus first invocation in a fresh interpreter, median of several runs,
beside a bare Powertools hello-world handler measured the same way in the same run.

With BENCH_COLD_AGAINST=<git ref> (a commit, a branch), the same functions of that revision are measured in
the same run, interleaved run by run with this tree's, and printed side by side: a before/after comparison
that the machine's load affects equally (a function the revision does not have is left out).

Where resume import runs is measured too: ImportFunction answering its health check and its first document
(a PDF sent as `curl -F` sends it, a dry run: the first document loads the PDF library, the multipart
parser, the LLM registry and the knowledge base), beside a Resumes function that would also host the import
route (written for this run only), on a CRUD request and on the same first document."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_COLD_RUNS", "7"))
AGAINST = os.environ.get("BENCH_COLD_AGAINST", "")

# One (function directory, event) per function: the event its cold start is measured with.
FUNCTIONS = {
    "ResumesFunction": ("functions/resumes", "events/resumes/health.json"),
    "InterviewFunction": ("functions/interview", "events/interview/health.json"),
    "LearningFunction": ("functions/learning", "events/learning/health.json"),
    "PracticeFunction": ("functions/practice", "events/practice/health.json"),
    "WebFunction": ("functions/web", "events/web/get-test-page.json"),
    "ImportFunction": ("functions/import", "events/import/health.json"),
    "ImportFunction 1st PDF": ("functions/import", "events/import/multipart-dry-run.json"),
}
FIRST_PDF = "events/import/multipart-dry-run.json"

# The alternative to ImportFunction: the Resumes function with the import route included (never deployed).
_RESUMES_WITH_IMPORT = textwrap.dedent(
    """
    from careercoach.api.app import create_http_app, lambda_handler_for
    from careercoach.api.importing import import_router
    from careercoach.api.resumes import DESCRIPTION, PREFIX, TITLE, resumes_router

    app = create_http_app(
        prefix=PREFIX, title=TITLE, description=DESCRIPTION, routers=[import_router(), resumes_router()]
    )
    lambda_handler = lambda_handler_for(app)
    """
)

_PROBE = textwrap.dedent(
    """
    import importlib.util, json, sys, time
    started = time.perf_counter()
    spec = importlib.util.spec_from_file_location("handler_under_test", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    imported = time.perf_counter()

    class Context:
        function_name = "bench"; memory_limit_in_mb = 512; aws_request_id = "bench"
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
        def get_remaining_time_in_millis(self):
            return 10_000

    event = json.loads(open(sys.argv[2], encoding="utf-8").read())
    response = module.lambda_handler(event, Context())
    done = time.perf_counter()
    assert response["statusCode"] == 200, response
    print(json.dumps({"import_ms": (imported - started) * 1000, "total_ms": (done - started) * 1000}))
    """
)

_HELLO = textwrap.dedent(
    '''
    """A bare Powertools handler: the floor every function's cold start is compared with."""
    from aws_lambda_powertools import Logger, Metrics, Tracer
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
    from aws_lambda_powertools.logging import correlation_paths

    logger, tracer, metrics = Logger(), Tracer(), Metrics()
    app = APIGatewayHttpResolver(enable_validation=True)

    @app.get("/api/v1/resumes/health")
    def hello() -> dict:
        return {"hello": "world"}

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @metrics.log_metrics
    @tracer.capture_lambda_handler
    def lambda_handler(event, context):
        return app.resolve(event, context)
    '''
)


def _env(code_dir: Path, root: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(
                [str(root / "layers/core"), str(root / "layers/llm"), str(code_dir)]
            ),
            "MONGODB_URI": "mongomock://localhost/bench",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "Bench",
            "POWERTOOLS_SERVICE_NAME": "bench",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    return env


def _probe(handler: Path, event: Path, root: Path = ROOT) -> tuple[float, float]:
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _PROBE, str(handler), str(event)],
        env=_env(handler.parent, root),
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return figures["import_ms"], figures["total_ms"]


def _measure(handler: Path, event: Path) -> tuple[float, float]:
    runs = [_probe(handler, event) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _compare(code_dir: str, event_file: str, before: Path) -> tuple[float, float]:
    """Median totals of this tree and of `before`, measured alternately in one loop."""
    now, then = [], []
    for _ in range(RUNS):
        now.append(_probe(ROOT / code_dir / "app.py", ROOT / event_file)[1])
        then.append(_probe(before / code_dir / "app.py", before / event_file, before)[1])
    return statistics.median(then), statistics.median(now)


def run(tmp: Path) -> list[str]:
    hello = tmp / "hello" / "app.py"
    hello.parent.mkdir(parents=True, exist_ok=True)
    hello.write_text(_HELLO, encoding="utf-8")
    event = ROOT / "events/resumes/health.json"
    _, baseline = _measure(hello, event)
    lines = [
        f"cold start = import + first invocation, fresh interpreter, median of {RUNS} runs",
        f"  {'function':<22}{'import ms':>11}{'total ms':>11}{'x hello':>9}",
        f"  {'powertools hello':<22}{'':>11}{baseline:>11.1f}{1.0:>9.2f}",
    ]
    for name, (code_dir, event_file) in FUNCTIONS.items():
        imported, total = _measure(ROOT / code_dir / "app.py", ROOT / event_file)
        lines.append(f"  {name:<22}{imported:>11.1f}{total:>11.1f}{total / baseline:>9.2f}")
    lines += _where_import_runs(tmp)
    if AGAINST:
        lines += _against(tmp)
    return lines


def _where_import_runs(tmp: Path) -> list[str]:
    combined = tmp / "resumes_with_import" / "app.py"
    combined.parent.mkdir(parents=True, exist_ok=True)
    combined.write_text(_RESUMES_WITH_IMPORT, encoding="utf-8")
    cases = {
        "ResumesFunction, health": (ROOT / "functions/resumes/app.py", ROOT / "events/resumes/health.json"),
        "Resumes+import, health": (combined, ROOT / "events/resumes/health.json"),
        "ImportFunction, 1st PDF": (ROOT / "functions/import/app.py", ROOT / FIRST_PDF),
        "Resumes+import, 1st PDF": (combined, ROOT / FIRST_PDF),
    }
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(RUNS):  # interleaved, so the machine's load falls on all alike
        for name, (handler, event) in cases.items():
            runs[name].append(_probe(handler, event)[1])
    lines = [
        f"where import runs (total ms, median of {RUNS}, runs interleaved; Resumes+import = the Resumes "
        "function with the import route, not deployed)",
    ]
    lines += [f"  {name:<26}{statistics.median(values):>9.1f}" for name, values in runs.items()]
    return lines


def _against(tmp: Path) -> list[str]:
    before = tmp / "before"
    git = shutil.which("git") or "git"
    subprocess.run(
        [git, "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(before), AGAINST], check=True
    )
    try:
        lines = [
            f"cold start against {AGAINST} (total ms, median of {RUNS}, runs interleaved)",
            f"  {'function':<22}{'before':>11}{'after':>11}{'after/before':>14}",
        ]
        for name, (code_dir, event_file) in FUNCTIONS.items():
            if not (before / code_dir / "app.py").is_file() or not (before / event_file).is_file():
                lines.append(f"  {name:<22}{'(new)':>11}")
                continue
            then, now = _compare(code_dir, event_file, before)
            lines.append(f"  {name:<22}{then:>11.1f}{now:>11.1f}{now / then:>14.2f}")
        return lines
    finally:
        subprocess.run([git, "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=False)
