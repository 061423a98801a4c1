"""The project's own template.yaml runs under the local runtime: every function, layer and route resolves."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.apigw import RouteTable
from local.runtime import LocalRuntime
from local.template import load_template

PROJECT_TEMPLATE = Path(__file__).parents[3] / "template.yaml"

pytestmark = pytest.mark.skipif(not PROJECT_TEMPLATE.is_file(), reason="the project has no template.yaml yet")


def test_project_template_is_runnable_locally() -> None:
    template = load_template(PROJECT_TEMPLATE)
    assert template.functions
    for spec in template.functions.values():
        assert spec.module_path.is_file(), spec.module_path
        assert all(layer.is_dir() for layer in spec.layer_dirs), spec.layer_dirs
    RouteTable(template.http_routes)  # no duplicate route keys, greedy variables last


def test_project_stack_starts() -> None:
    with LocalRuntime(PROJECT_TEMPLATE) as runtime:
        assert runtime.http_url.startswith("http://127.0.0.1:")
        assert runtime.environment["AWS_ENDPOINT_URL"] == runtime.endpoint
