"""Settings from the developer's shell: `GENERATION_QUOTA_PER_HOUR=0 make run` takes effect.

As in `sam local` (its env_vars.py: "Priority (Highest to Lowest): Override Values ... Shell Environment
Values ... Default Values"), a variable a function declares takes its value from the shell when the shell
sets it, over the template's value, and an --env-vars file wins over both.
https://github.com/aws/aws-sam-cli/blob/develop/samcli/local/lambdafn/env_vars.py

Each declared variable is sorted by what its template value is made of:
- `!Ref SomeParameter`: the shell's value becomes that parameter's value (an explicit --parameter-overrides
  wins over it). Everything else that reads the parameter then agrees with the variable: conditions, the
  authorizers the local gateways emulate (AUTH_ISSUER is `!Ref AuthIssuer`), other variables built from it;
- built from a resource the runtime creates or serves (`!Ref TasksTable`, a `!Sub` of the WebSocket API):
  the runtime's own value stays, and the shell's is reported as ignored. A table or URL from the shell does
  not exist in moto; the handlers would only fail;
- anything else (a literal, a `!Sub` of parameters): the shell's value replaces the template's.
Variables the runtime itself sets (the AWS credentials, endpoint and region pointing at moto...) are never
taken from the shell.

Only `python -m local run|invoke` reads the shell. A LocalRuntime built in-process (the tests) does not
unless given `shell_environment`, so a variable that happens to be set where the tests run cannot change
what they test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from local.environment import EnvironmentConflictError
from local.template import Template, referenced_ids


@dataclass
class ShellSettings:
    parameters: dict[str, str] = field(default_factory=dict)  # parameter -> value, from its variable
    variables: dict[str, str] = field(default_factory=dict)  # variable -> value, replacing the template's
    from_shell: dict[str, str] = field(default_factory=dict)  # variable -> how it applies, for the banner
    ignored: list[str] = field(default_factory=list)  # declared variables the runtime keeps for itself

    def describe(self) -> list[str]:
        """Names only: a value may be a secret (a MONGODB_URI with a password, a key)."""
        lines = []
        if self.from_shell:
            applied = ", ".join(f"{name}{how}" for name, how in sorted(self.from_shell.items()))
            lines.append(f"From your shell: {applied}")
        if self.ignored:
            ignored = ", ".join(sorted(self.ignored))
            lines.append(f"Ignored from your shell (the local runtime sets these itself): {ignored}")
        return lines


def shell_settings(template: Template, shell: Mapping[str, str], owned: Iterable[str]) -> ShellSettings:
    owned = set(owned)
    parameters = set(template.parameters)
    kinds: dict[str, set[str]] = {}  # variable -> {"bound" | "direct" | "param:<name>"}
    for spec in template.functions.values():
        for name, raw in spec.environment.items():
            kinds.setdefault(name, set()).add(_kind(raw, parameters))
    settings = ShellSettings()
    sources: dict[str, str] = {}  # parameter -> the variable that set it
    for name in sorted(kinds):
        if name not in shell:
            continue
        kind = kinds[name]
        value = shell[name]
        if name in owned or "bound" in kind:
            settings.ignored.append(name)
        elif len(kind) == 1 and next(iter(kind)).startswith("param:"):
            parameter = next(iter(kind)).removeprefix("param:")
            if parameter in settings.parameters and settings.parameters[parameter] != value:
                raise EnvironmentConflictError(
                    f"{sources[parameter]} and {name} in your shell both set the template parameter "
                    f"{parameter}, to different values"
                )
            settings.parameters[parameter] = value
            sources[parameter] = name
            settings.from_shell[name] = f" (parameter {parameter})"
        else:
            settings.variables[name] = value
            settings.from_shell[name] = ""
    return settings


def _kind(raw: Any, parameters: set[str]) -> str:
    names = referenced_ids(raw)
    if names - parameters:
        return "bound"
    if isinstance(raw, dict) and set(raw) == {"Ref"} and raw["Ref"] in parameters:
        return f"param:{raw['Ref']}"
    return "direct"
