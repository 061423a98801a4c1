"""The process environment the handlers run with.

In-process, all functions share one `os.environ`, so the local runtime uses the union of every function's
variables. That only works if no two functions give one variable different values: such a template is
refused at start-up rather than letting one function silently read another's setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from local.aws import FAKE_CREDENTIALS
from local.intrinsics import Resolver, to_env_value
from local.template import Template

DEFAULT_MONGODB_URI = "mongomock://localhost/careercoach"


class EnvironmentConflictError(ValueError):
    """Two functions set the same environment variable to different values."""


def function_environments(
    template: Template, resolver: Resolver, env_vars: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, dict[str, str]]:
    """Each function's resolved variables; `env_vars` is SAM's --env-vars document
    (`{"Parameters": {...for all...}, "<FunctionLogicalId>": {...}}`)."""
    env_vars = env_vars or {}
    shared = {key: str(value) for key, value in (env_vars.get("Parameters") or {}).items()}
    environments: dict[str, dict[str, str]] = {}
    for logical_id, spec in template.functions.items():
        resolved = resolver.resolve(spec.environment)
        values = {key: to_env_value(value) for key, value in resolved.items()}
        values.update(shared)
        values.update({key: str(value) for key, value in (env_vars.get(logical_id) or {}).items()})
        environments[logical_id] = values
    return environments


def merge_environments(environments: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    owner: dict[str, str] = {}
    conflicts: list[str] = []
    for logical_id, values in environments.items():
        for key, value in values.items():
            if key in merged and merged[key] != value:
                conflicts.append(f"{key}: {owner[key]}={merged[key]!r} but {logical_id}={value!r}")
            else:
                merged.setdefault(key, value)
                owner.setdefault(key, logical_id)
    if conflicts:
        raise EnvironmentConflictError(
            "functions disagree on environment variables, which the local runtime shares between them "
            "(move per-function differences out of Environment.Variables):\n  " + "\n  ".join(conflicts)
        )
    return merged


def local_variables(endpoint: str, region: str, current: Mapping[str, str]) -> dict[str, str]:
    """What makes the handlers talk to moto and the local stand-ins instead of AWS."""
    values = {
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint,  # boto3 sends every service to moto
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "AWS_SAM_LOCAL": "true",
    }
    values["MONGODB_URI"] = current.get("MONGODB_URI") or DEFAULT_MONGODB_URI
    return values


class EnvironmentPatch:
    """Applies variables to os.environ and puts back exactly what was there before."""

    def __init__(self) -> None:
        self._saved: dict[str, str] | None = None

    def apply(self, values: Mapping[str, str]) -> None:
        if self._saved is None:
            self._saved = dict(os.environ)
        os.environ.update(values)

    def restore(self) -> None:
        if self._saved is not None:
            os.environ.clear()
            os.environ.update(self._saved)
            self._saved = None
