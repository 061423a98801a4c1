"""Evaluate CloudFormation intrinsic functions against the local stack.

Resources register what `Ref` and `Fn::GetAtt` return for them as they are created (physical names, ARNs,
URLs), so the resolver is filled in dependency order and everything after it sees real local values.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class IntrinsicError(ValueError):
    """A template expression that cannot be evaluated locally (unknown reference, bad shape...)."""


class _NoValue:
    """`AWS::NoValue`: the property or list item it stands for is dropped."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()


@dataclass(frozen=True)
class StackInfo:
    """The pseudo parameters (`AWS::Region`...) of the local stack."""

    stack_name: str = "careercoach-local"
    region: str = "us-east-1"
    account_id: str = "123456789012"
    partition: str = "aws"
    url_suffix: str = "amazonaws.com"

    @property
    def stack_id(self) -> str:
        return (
            f"arn:{self.partition}:cloudformation:{self.region}:{self.account_id}:stack/{self.stack_name}/"
            "00000000-0000-0000-0000-000000000000"
        )

    def pseudo(self, name: str) -> Any:
        values: dict[str, Any] = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": self.stack_id,
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": self.url_suffix,
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }
        if name not in values:
            raise IntrinsicError(f"unknown pseudo parameter {name}")
        return values[name]


_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")

# A fallback answers Ref/GetAtt for resources nobody registered (IAM roles, alarms...): (logical id, attr).
Fallback = Callable[[str, str | None], Any]


class Resolver:
    def __init__(
        self,
        stack: StackInfo,
        parameters: Mapping[str, Any],
        conditions: Mapping[str, Any] | None = None,
        mappings: Mapping[str, Any] | None = None,
        fallback: Fallback | None = None,
    ) -> None:
        self.stack = stack
        self.parameters = dict(parameters)
        self._conditions_raw = dict(conditions or {})
        self._condition_values: dict[str, bool] = {}
        self._mappings = dict(mappings or {})
        self._refs: dict[str, Any] = {}
        self._attrs: dict[tuple[str, str], Any] = {}
        self._fallback = fallback

    # --- registration -------------------------------------------------------------------------------
    def register(self, logical_id: str, ref: Any, attributes: Mapping[str, Any] | None = None) -> None:
        self._refs[logical_id] = ref
        for name, value in (attributes or {}).items():
            self._attrs[(logical_id, name)] = value

    def set_fallback(self, fallback: Fallback) -> None:
        self._fallback = fallback

    def ref(self, name: str) -> Any:
        if name.startswith("AWS::"):
            return self.stack.pseudo(name)
        if name in self.parameters:
            return self.parameters[name]
        if name in self._refs:
            return self._refs[name]
        if self._fallback is not None:
            return self._fallback(name, None)
        raise IntrinsicError(f"Ref to unknown parameter or resource {name!r}")

    def get_att(self, logical_id: str, attribute: str) -> Any:
        if (logical_id, attribute) in self._attrs:
            return self._attrs[(logical_id, attribute)]
        if self._fallback is not None:
            return self._fallback(logical_id, attribute)
        raise IntrinsicError(f"Fn::GetAtt {logical_id}.{attribute} is not known locally")

    # --- conditions ---------------------------------------------------------------------------------
    def condition(self, name: str) -> bool:
        if name not in self._condition_values:
            if name not in self._conditions_raw:
                raise IntrinsicError(f"unknown condition {name!r}")
            self._condition_values[name] = bool(self.resolve(self._conditions_raw[name]))
        return self._condition_values[name]

    # --- evaluation ---------------------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, argument), *_ = value.items()
            if key == "Ref":
                return self.ref(self.resolve(argument))
            if key == "Condition" and isinstance(argument, str):
                return self.condition(argument)
            if key.startswith("Fn::"):
                return self._function(key[4:], argument)
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not NO_VALUE}

    def _function(self, name: str, argument: Any) -> Any:
        handler = getattr(self, f"_fn_{name.lower()}", None)
        if handler is None:
            raise IntrinsicError(f"Fn::{name} is not supported by the local runtime")
        return handler(argument)

    def _fn_getatt(self, argument: Any) -> Any:
        logical_id, attribute = self.resolve(argument)
        return self.get_att(logical_id, attribute)

    def _fn_sub(self, argument: Any) -> str:
        if isinstance(argument, list):
            template, variables = argument[0], self.resolve(argument[1])
        else:
            template, variables = argument, {}

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):  # `${!Literal}` is CloudFormation's escape for a literal `${Literal}`
                return "${" + name[1:] + "}"
            if name in variables:
                value = variables[name]
            elif "." in name and not name.startswith("AWS::"):
                logical_id, _, attribute = name.partition(".")
                value = self.get_att(logical_id, attribute)
            else:
                value = self.ref(name)
            return _to_string(value)

        return _SUB_VARIABLE.sub(substitute, template)

    def _fn_if(self, argument: Any) -> Any:
        name, when_true, when_false = argument
        return self.resolve(when_true if self.condition(name) else when_false)

    def _fn_equals(self, argument: Any) -> bool:
        left, right = self.resolve(argument)
        return _to_string(left) == _to_string(right)

    def _fn_not(self, argument: Any) -> bool:
        (operand,) = self.resolve(argument)
        return not operand

    def _fn_and(self, argument: Any) -> bool:
        return all(self.resolve(argument))

    def _fn_or(self, argument: Any) -> bool:
        return any(self.resolve(argument))

    def _fn_join(self, argument: Any) -> str:
        delimiter, items = self.resolve(argument)
        return str(delimiter).join(_to_string(item) for item in items)

    def _fn_select(self, argument: Any) -> Any:
        index, items = self.resolve(argument)
        return items[int(index)]

    def _fn_split(self, argument: Any) -> list[str]:
        delimiter, text = self.resolve(argument)
        return str(text).split(delimiter)

    def _fn_findinmap(self, argument: Any) -> Any:
        map_name, top_key, second_key = self.resolve(argument)[:3]
        try:
            return self._mappings[map_name][top_key][second_key]
        except KeyError as error:
            raise IntrinsicError(f"Fn::FindInMap: no {map_name}/{top_key}/{second_key}") from error

    def _fn_getazs(self, argument: Any) -> list[str]:
        region = self.resolve(argument) or self.stack.region
        return [f"{region}a", f"{region}b", f"{region}c"]

    def _fn_base64(self, argument: Any) -> str:
        return base64.b64encode(_to_string(self.resolve(argument)).encode()).decode()

    def _fn_tojsonstring(self, argument: Any) -> str:
        return json.dumps(self.resolve(argument), separators=(",", ":"))

    def _fn_length(self, argument: Any) -> int:
        return len(self.resolve(argument))


def _to_string(value: Any) -> str:
    """CloudFormation's rendering of a value inside a string: booleans lower-case, lists comma-joined."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_to_string(item) for item in value)
    return str(value)


def to_env_value(value: Any) -> str:
    """Lambda environment variables are strings; CloudFormation converts numbers and booleans."""
    if isinstance(value, dict):
        raise IntrinsicError(f"environment variable value resolved to a mapping: {value!r}")
    return _to_string(value)
