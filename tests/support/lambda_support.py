"""Load handlers and sample events the way Lambda would, without the local runtime."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class FakeLambdaContext:
    """The attributes Powertools reads from a real LambdaContext."""

    function_name: str = "TestFunction"
    memory_limit_in_mb: int = 512
    timeout_s: float = 10.0
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    @property
    def function_version(self) -> str:
        return "$LATEST"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "test"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_s - (time.monotonic() - self._started)) * 1000))


def load_function(name: str) -> ModuleType:
    """Import functions/<name>/app.py under a unique module name (every function's module is `app`)."""
    module_name = f"careercoach_test_fn_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = ROOT / "functions" / name / "app.py"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


# functions/<directory> -> its logical id in template.yaml (the function name Powertools logs).
FUNCTION_NAMES = {
    "resumes": "ResumesFunction",
    "import": "ImportFunction",
    "interview": "InterviewFunction",
    "learning": "LearningFunction",
    "practice": "PracticeFunction",
    "web": "WebFunction",
}


def invoke_function(function: str, event: dict[str, Any], *, timeout_s: float = 28) -> dict[str, Any]:
    """Call functions/<function>/app.py's handler with `event`, as Lambda would (a generation-sized timeout
    by default)."""
    context = FakeLambdaContext(function_name=FUNCTION_NAMES[function], timeout_s=timeout_s)
    response: dict[str, Any] = load_function(function).lambda_handler(event, context)
    return response


def load_event(relative: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / relative).read_text(encoding="utf-8"))
    return copy.deepcopy(event)


def with_path_key(event: dict[str, Any], unique_key: str) -> dict[str, Any]:
    """Point an events/ sample at a key that exists in this test's database."""
    event = copy.deepcopy(event)
    old = event["pathParameters"]["unique_key"]
    event["pathParameters"]["unique_key"] = unique_key
    event["rawPath"] = event["rawPath"].replace(old, unique_key)
    event["requestContext"]["http"]["path"] = event["rawPath"]
    return event


def json_body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None
