"""`python -m local run | invoke`: `sam local start-api` and `sam local invoke` without Docker.

`run` serves the HTTP API (--port, LOCAL_HTTP_PORT, 3000) and, when the template has a WebSocket API, the
WebSocket API and its @connections endpoint (--ws-port, LOCAL_WS_PORT, 3001), all on 127.0.0.1. `run --auth`
also starts a local development issuer (--auth-port, LOCAL_AUTH_PORT, 3002) that the template's authorizers
trust, and prints a token to call the API with.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from local.dev_issuer import DEV_SUBJECT, DevIssuer
from local.environment import EnvironmentConflictError
from local.intrinsics import IntrinsicError
from local.loader import FunctionNotFoundError
from local.mongo_store import StoreCorruptError, StoreLockedError
from local.mongo_store import reset as reset_store
from local.runtime import LocalRuntime, http_gateway_component, websocket_gateway_component
from local.signals import StopSignals, StopWatchdog
from local.template import TemplateError

STARTUP_ERRORS = (
    TemplateError,
    IntrinsicError,
    EnvironmentConflictError,
    StoreLockedError,
    StoreCorruptError,
    OSError,
)
DEV_TOKEN_LIFETIME_S = 12 * 3600  # the token `run --auth` prints
# A normal stop takes about a second; this bounds one stuck on a handler that is still running.
DEFAULT_STOP_TIMEOUT_S = 8.0
DEFAULT_DATA_DIR = os.environ.get("LOCAL_DATA_DIR", ".local-data")


class UsageError(Exception):
    """Bad command-line input: reported in one line, exit status 2."""


# The browser page that drives the whole flow, when the template serves one.
TEST_PAGE = "/test"


def _parameter_overrides(items: Sequence[str]) -> dict[str, str]:
    """SAM accepts `Key=Value` and `ParameterKey=Key,ParameterValue=Value`; so do we."""
    overrides: dict[str, str] = {}
    for item in items:
        for token in item.split():
            if token.startswith("ParameterKey="):
                key_part, _, value_part = token.partition(",ParameterValue=")
                overrides[key_part.removeprefix("ParameterKey=")] = value_part
            elif "=" in token:
                key, _, value = token.partition("=")
                overrides[key] = value
            else:
                raise UsageError(f"--parameter-overrides: expected Key=Value, got {token!r}")
    return overrides


def _read_json(path: str, what: str, stdin: TextIO) -> Any:
    try:
        text = stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror or error}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{what} {path} is not valid JSON: {error}") from error


def _env_vars(path: str | None, stdin: TextIO) -> dict[str, Any] | None:
    if path is None:
        return None
    document = _read_json(path, "env-vars file", stdin)
    if not isinstance(document, dict) or not all(isinstance(v, dict) for v in document.values()):
        raise UsageError(f'{path}: expected {{"FunctionLogicalId": {{...}}, "Parameters": {{...}}}}')
    return document


def _runtime(args: argparse.Namespace, port: int, stdin: TextIO, **options: Any) -> LocalRuntime:
    return LocalRuntime(
        template_path=args.template,
        http_port=port,
        parameter_overrides=_parameter_overrides(args.parameter_overrides or []),
        env_vars=_env_vars(args.env_vars, stdin),
        shell_environment=os.environ,  # a variable set in the shell wins over the template's value
        **options,
    )


def run(args: argparse.Namespace) -> int:
    # Installed before anything starts, so a signal during start-up also stops the run (once started).
    stop = StopSignals().install()
    try:
        runtime = _runtime(
            args,
            args.port,
            sys.stdin,
            ws_port=args.ws_port,
            sqs_retry_delay_seconds=args.sqs_retry_delay,
            auth=args.auth,
            auth_port=args.auth_port,
            data_dir=args.data_dir or None,
            fresh_data=args.fresh,
        )
        try:
            runtime.start()
            _print_banner(runtime)
            while not stop.wait():
                pass
        finally:
            # Bounded: a component that does not let go within --stop-timeout ends the process anyway.
            watchdog = StopWatchdog(args.stop_timeout, lambda: runtime.stopping, stop).start()
            runtime.stop()
            watchdog.finished()
    finally:
        stop.restore(ignore=True)
    print("Stopped.", file=sys.stderr, flush=True)
    return 0


def _print_banner(runtime: LocalRuntime) -> None:
    print(f"HTTP API:   {runtime.http_url}", flush=True)
    if any(route.path == TEST_PAGE and route.method in ("GET", "ANY") for route in runtime.routes):
        print(f"Test page:  {runtime.http_url}{TEST_PAGE}", flush=True)
    for url in runtime.docs_urls:
        print(f"Swagger UI: {url}", flush=True)
    if runtime.websocket is not None:
        print(f"WebSocket:  {runtime.websocket_url}", flush=True)
        print(f"@connections: {runtime.management_endpoint}", flush=True)
    print(f"AWS (moto): {runtime.endpoint}", flush=True)
    print(f"MongoDB:    {_describe_data(runtime)}", flush=True)
    for line in runtime.shell.describe():
        print(line, flush=True)
    _print_auth(runtime)
    print("Press Ctrl-C to stop.", flush=True)


def _describe_data(runtime: LocalRuntime) -> str:
    store = runtime.mongo_store
    if store is not None:
        return (
            f"mongomock, kept in {store.directory}/ across restarts ({store.loaded_documents} documents "
            "loaded; `make run FRESH=1` or `make reset` starts empty)"
        )
    if runtime.environment.get("MONGODB_URI", "").startswith("mongomock://"):
        return "mongomock, in memory (lost when the run stops)"
    return "the server MONGODB_URI names"


def reset(args: argparse.Namespace) -> int:
    directory = Path(args.data_dir)
    if reset_store(directory):
        print(f"Deleted the local data in {directory}/.", file=sys.stderr)
    else:
        print(f"No local data in {directory}/.", file=sys.stderr)
    return 0


def _print_auth(runtime: LocalRuntime) -> None:
    issuer = runtime.auth_issuer
    if issuer is None:
        print("Auth:       off (`make run AUTH=1` or `--auth` turns it on)", flush=True)
        return
    if runtime.dev_issuer is None:
        print(
            f"Auth:       on, tokens from {issuer} (no development tokens: the issuer was given)", flush=True
        )
        return
    print(dev_token_instructions(runtime, runtime.dev_issuer), flush=True)


def dev_token_instructions(runtime: LocalRuntime, issuer: DevIssuer) -> str:
    """What `run --auth` prints: the issuer, a development token and how to use it and mint others."""
    token = issuer.token(DEV_SUBJECT, expires_in=DEV_TOKEN_LIFETIME_S)
    hours = DEV_TOKEN_LIFETIME_S // 3600
    lines = [
        f"Auth:       on, local development issuer {issuer.issuer} (audience {issuer.audience})",
        f"Development token for sub {DEV_SUBJECT}, valid {hours} h (a restart makes a new signing key):",
        f"  export TOKEN={token}",
        f'  curl -H "Authorization: Bearer $TOKEN" {runtime.http_url}/api/v1/resumes',
    ]
    if runtime.websocket is not None:
        lines.append(f"  WebSocket: {runtime.websocket_url}?token=$TOKEN")
    lines += [
        "Another user's token (development only: anyone on this machine can mint them; nothing else trusts",
        f"them): curl -s '{issuer.token_url}?sub=alice'",
    ]
    return "\n".join(lines)


def invoke(args: argparse.Namespace) -> int:
    # Handlers (Powertools Logger) print logs to stdout; only the response may go there. Point fd 1 at
    # stderr for everything, and keep a private handle on the real stdout for the result.
    sys.stdout.flush()
    result_stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    event = _read_json(args.event, "event file", sys.stdin) if args.event else {}
    # Like `sam local invoke`: no queue polling. The gateways listen on free ports so that API URLs resolve
    # and a function posting to @connections gets a GoneException rather than a connection error.
    components = [http_gateway_component, websocket_gateway_component]
    with _runtime(args, 0, sys.stdin, components=components) as runtime:
        runtime.loader.spec(args.function)  # unknown function: fail before anything else
        for line in runtime.shell.describe():
            print(line, file=sys.stderr, flush=True)
        try:
            result = runtime.invoke(args.function, event)
            output, status = json.dumps(result), 0
        except Exception as error:
            traceback.print_exc()
            output = json.dumps(
                {
                    "errorMessage": str(error),
                    "errorType": type(error).__name__,
                    "stackTrace": traceback.format_tb(error.__traceback__),
                }
            )
            status = 1
    sys.stdout.flush()
    result_stream.write(output + "\n")
    result_stream.flush()
    return status


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--template", "-t", default="template.yaml", help="SAM template (template.yaml)")
        sub.add_argument(
            "--parameter-overrides", nargs="+", metavar="Key=Value", help="template parameter values"
        )
        sub.add_argument("--env-vars", "-n", help='JSON: {"FunctionLogicalId": {...}, "Parameters": {...}}')

    run_parser = commands.add_parser(
        "run", help="serve the HTTP and WebSocket APIs on 127.0.0.1 until Ctrl-C/SIGTERM"
    )
    common(run_parser)
    run_parser.add_argument(
        "--port", "-p", type=int, default=int(os.environ.get("LOCAL_HTTP_PORT", "3000")), help="HTTP port"
    )
    run_parser.add_argument(
        "--ws-port",
        type=int,
        default=int(os.environ.get("LOCAL_WS_PORT", "3001")),
        help="WebSocket API and @connections port",
    )
    run_parser.add_argument(
        "--sqs-retry-delay",
        type=int,
        metavar="SECONDS",
        help="retry failed SQS messages after this long instead of the queue's VisibilityTimeout",
    )
    run_parser.add_argument(
        "--auth",
        action="store_true",
        help="switch authentication on with a local development issuer (unless AuthIssuer is given)",
    )
    run_parser.add_argument(
        "--auth-port",
        type=int,
        default=int(os.environ.get("LOCAL_AUTH_PORT", "3002")),
        help="the development issuer's port (with --auth)",
    )
    run_parser.add_argument(
        "--stop-timeout",
        type=float,
        default=DEFAULT_STOP_TIMEOUT_S,
        metavar="SECONDS",
        help=f"after Ctrl-C/SIGTERM, exit anyway once stopping takes this long ({DEFAULT_STOP_TIMEOUT_S:g})",
    )
    run_parser.add_argument(
        "--data-dir",
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help=f"where mongomock's data is kept across restarts ({DEFAULT_DATA_DIR}; '' keeps it in memory)",
    )
    run_parser.add_argument("--fresh", action="store_true", help="delete the kept data first: start empty")
    run_parser.set_defaults(handler=run)

    reset_parser = commands.add_parser("reset", help="delete the data `run` keeps (not while a run uses it)")
    reset_parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR, metavar="DIR")
    reset_parser.set_defaults(handler=reset)

    invoke_parser = commands.add_parser(
        "invoke", help="invoke one function with an event, print its response"
    )
    common(invoke_parser)
    invoke_parser.add_argument("function", metavar="FUNCTION", help="the function's logical id")
    invoke_parser.add_argument("--event", "-e", help="event JSON file ('-' reads stdin); default {}")
    invoke_parser.set_defaults(handler=invoke)
    return root


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("local")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _configure_logging()
    try:
        return int(args.handler(args))
    except (UsageError, FunctionNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except STARTUP_ERRORS as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
