"""The process environment the handlers run with.

In-process, all functions share one `os.environ`, so the local runtime uses the union of every function's
variables. That only works if no two functions give one variable different values: such a template is
refused at start-up rather than letting one function silently read another's setting.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from local.aws import FAKE_CREDENTIALS
from local.intrinsics import Resolver, to_env_value
from local.template import Template

DEFAULT_MONGODB_URI = "mongomock://localhost/careercoach"


class EnvironmentConflictError(ValueError):
    """Two functions set the same environment variable to different values."""


def function_environments(
    template: Template,
    resolver: Resolver,
    env_vars: Mapping[str, Mapping[str, Any]] | None = None,
    shell_variables: Mapping[str, str] | None = None,
) -> dict[str, dict[str, str]]:
    """Each function's resolved variables. Lowest to highest: the template's values, `shell_variables` (for
    the names each function declares), then `env_vars`, SAM's --env-vars document
    (`{"Parameters": {...for all...}, "<FunctionLogicalId>": {...}}`)."""
    env_vars = env_vars or {}
    shell_variables = shell_variables or {}
    shared = {key: str(value) for key, value in (env_vars.get("Parameters") or {}).items()}
    environments: dict[str, dict[str, str]] = {}
    for logical_id, spec in template.functions.items():
        resolved = resolver.resolve(spec.environment)
        values = {key: to_env_value(value) for key, value in resolved.items()}
        values.update({key: value for key, value in shell_variables.items() if key in values})
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


def local_variables(endpoint: str, region: str) -> dict[str, str]:
    """What makes the handlers talk to moto and the local stand-ins instead of AWS. The runtime owns these:
    no shell, --env-vars file or template value replaces them (a real credential or endpoint here would
    send the handlers to AWS itself)."""
    return {
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint,  # boto3 sends every service to moto
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        # A profile's `services` section (service-specific endpoint_url) overrides AWS_ENDPOINT_URL, and a
        # profile can carry credentials: no profile, config or credentials file is read.
        # https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "AWS_SAM_LOCAL": "true",
    }


# Shell variables that would undo local_variables(): removed from the handlers' environment.
_PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
_SERVICE_ENDPOINT_PREFIX = "AWS_ENDPOINT_URL_"


def unwanted_variables(current: Mapping[str, str]) -> list[str]:
    """Profiles, and service-specific endpoints (`AWS_ENDPOINT_URL_DYNAMODB`...) that point anywhere but
    loopback: they win over AWS_ENDPOINT_URL. One pointing at loopback is a fake the developer runs on
    purpose (the tests point AWS_ENDPOINT_URL_BEDROCK_RUNTIME at one) and stays."""
    names = [name for name in _PROFILE_VARIABLES if name in current]
    for name, value in current.items():
        if name.startswith(_SERVICE_ENDPOINT_PREFIX) and not _is_loopback_url(value):
            names.append(name)
    return names


def _is_loopback_url(value: str) -> bool:
    host = urlsplit(value).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mongodb_uri(configured: str | None) -> str:
    """The template declares MONGODB_URI empty (AWS reads MONGODB_URI_SOURCE); empty here means mongomock."""
    return configured or DEFAULT_MONGODB_URI


class EnvironmentPatch:
    """Applies variables to os.environ and puts back exactly what was there before."""

    def __init__(self) -> None:
        self._saved: dict[str, str] | None = None

    def apply(self, values: Mapping[str, str], remove: Iterable[str] = ()) -> None:
        if self._saved is None:
            self._saved = dict(os.environ)
        for name in remove:
            os.environ.pop(name, None)
        os.environ.update(values)

    def restore(self) -> None:
        if self._saved is not None:
            os.environ.clear()
            os.environ.update(self._saved)
            self._saved = None
