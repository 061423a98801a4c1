"""Import Lambda handlers in this process, one module per function, and call them with a Lambda context.

Every function's entry module is called `app`, so each is imported under its own module name from its file
path: two functions never share (or overwrite) a module object. The first call imports (the cold start);
later calls reuse the module, as a warm execution environment would.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from local.intrinsics import StackInfo
from local.template import FunctionSpec

Handler = Callable[[Any, Any], Any]
log = logging.getLogger("local.loader")


class FunctionNotFoundError(KeyError):
    """No function with that logical id in the template."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "function not found"


class LambdaContext:
    """The context the Python runtime passes to a handler; its deadline counts down in real time."""

    def __init__(
        self,
        function_name: str,
        function_arn: str,
        memory_size: int,
        timeout_seconds: int,
        log_stream_name: str,
        request_id: str | None = None,
    ) -> None:
        self.aws_request_id = request_id or str(uuid.uuid4())
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = function_arn
        # The real runtime reads this from AWS_LAMBDA_FUNCTION_MEMORY_SIZE, so it is a string there too.
        self.memory_limit_in_mb = str(memory_size)
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = log_stream_name
        self.identity: Any = None
        self.client_context: Any = None
        self.tenant_id: str | None = None
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return f"LambdaContext(function_name={self.function_name!r}, aws_request_id={self.aws_request_id!r})"


@dataclass
class _Loaded:
    handler: Handler
    log_stream_name: str


def module_name(logical_id: str, spec: FunctionSpec) -> str:
    module = re.sub(r"\W", "_", spec.handler.rpartition(".")[0])
    return f"local_fn_{logical_id}_{module}"


class FunctionLoader:
    def __init__(
        self, functions: Mapping[str, FunctionSpec], physical_names: Mapping[str, str], stack: StackInfo
    ):
        self._functions = dict(functions)
        self._names = dict(physical_names)
        self._stack = stack
        self._loaded: dict[str, _Loaded] = {}
        self._locks = {logical_id: threading.Lock() for logical_id in functions}
        # Lambda runs one event at a time in an execution environment, and handlers may keep per-environment
        # state at module level (Powertools' BatchProcessor does); one in-process copy serves one at a time.
        self._running = {logical_id: threading.Lock() for logical_id in functions}
        self._modules_before = set(sys.modules)
        self._path_added: list[str] = []
        self._path_lock = threading.Lock()

    @property
    def function_names(self) -> list[str]:
        return list(self._functions)

    def spec(self, logical_id: str) -> FunctionSpec:
        try:
            return self._functions[logical_id]
        except KeyError:
            known = ", ".join(sorted(self._functions)) or "none"
            raise FunctionNotFoundError(
                f"unknown function {logical_id!r}; the template has: {known}"
            ) from None

    def handler(self, logical_id: str) -> Handler:
        spec = self.spec(logical_id)
        with self._locks[logical_id]:  # one cold start per function even when requests arrive together
            if logical_id not in self._loaded:
                self._loaded[logical_id] = _Loaded(self._import(logical_id, spec), _log_stream_name())
            return self._loaded[logical_id].handler

    def new_context(self, logical_id: str, request_id: str | None = None) -> LambdaContext:
        spec = self.spec(logical_id)
        name = self._names.get(logical_id, logical_id)
        loaded = self._loaded.get(logical_id)
        stack = self._stack
        return LambdaContext(
            function_name=name,
            function_arn=f"arn:{stack.partition}:lambda:{stack.region}:{stack.account_id}:function:{name}",
            memory_size=spec.memory_size,
            timeout_seconds=spec.timeout,
            log_stream_name=loaded.log_stream_name if loaded else _log_stream_name(),
            request_id=request_id,
        )

    def invoke(self, logical_id: str, event: Any, request_id: str | None = None) -> Any:
        handler = self.handler(logical_id)
        context = self.new_context(logical_id, request_id)
        started = time.monotonic()
        try:
            with self._running[logical_id]:
                return handler(event, context)
        finally:
            # A thread cannot be stopped from outside, so the Timeout is not enforced; say when it would be.
            elapsed = time.monotonic() - started
            timeout = self._functions[logical_id].timeout
            if elapsed > timeout:
                log.warning(
                    "%s ran %.1f s, past its Timeout of %d s: Lambda would have stopped this invocation",
                    logical_id,
                    elapsed,
                    timeout,
                )

    def _import(self, logical_id: str, spec: FunctionSpec) -> Handler:
        self._add_to_path([spec.code_dir, *spec.layer_dirs])
        path = spec.module_path
        if not path.is_file():
            raise ImportError(f"{logical_id}: handler module {path} does not exist")
        name = module_name(logical_id, spec)
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or module_spec.loader is None:
            raise ImportError(f"{logical_id}: cannot import {path}")
        module: ModuleType = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)  # a failed init is retried on the next invoke, as Lambda does
            raise
        handler = getattr(module, spec.handler_attribute, None)
        if not callable(handler):
            raise ImportError(f"{logical_id}: {path} has no callable {spec.handler_attribute!r}")
        return handler

    def import_from_layers(self, name: str) -> ModuleType:
        """Import a module from the template's layers for the runtime's own use (the same code a function
        would get); the layer goes on sys.path as a function's would, and unload() takes it off again."""
        top = name.partition(".")[0]
        layers = dict.fromkeys(d for spec in self._functions.values() for d in spec.layer_dirs)
        found = [d for d in layers if (d / top).is_dir() or (d / f"{top}.py").is_file()]
        if not found:
            raise ImportError(f"no layer of the template provides {name!r}")
        self._add_to_path(found)
        return importlib.import_module(name)

    def _add_to_path(self, directories: list[Path]) -> None:
        with self._path_lock:
            # Lambda's order: function code (/var/task) first, then layers (/opt/python) in template order.
            for directory in reversed(directories):
                text = str(directory)
                if text not in sys.path:
                    sys.path.insert(0, text)
                    self._path_added.append(text)

    def unload(self) -> None:
        """Forget the modules this loader imported from function and layer code, and undo sys.path changes.

        The next runtime in the same process then starts cold, reading its own environment (endpoint, table
        names) instead of whatever the previous one cached at module level.
        """
        roots = tuple(
            str(d) + os.sep for spec in self._functions.values() for d in (spec.code_dir, *spec.layer_dirs)
        )
        for name in list(sys.modules):
            if name in self._modules_before:
                continue
            module = sys.modules.get(name)
            file = getattr(module, "__file__", None) or ""
            if name.startswith("local_fn_") or (file and file.startswith(roots)):
                sys.modules.pop(name, None)
        with self._path_lock:
            for text in self._path_added:
                if text in sys.path:
                    sys.path.remove(text)
            self._path_added.clear()
        self._loaded.clear()


def _log_stream_name() -> str:
    return f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
