"""The provider interface: built-in SDK providers and providers registered from outside both implement it."""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from llm_registry import pricing
from llm_registry.request import ProviderCall, ProviderReply

# For providers that get structured output through a tool call (Anthropic, Bedrock).
TOOL_DESCRIPTION = (
    "Record the complete answer. The input of this tool is the answer, conforming to its schema."
)


def tool_instruction(tool_name: str) -> str:
    """Appended to the instructions when the tool is offered without being forced."""
    return (
        f"Give your answer by calling the tool `{tool_name}` once, with the complete answer as its input. "
        "Do not answer in text."
    )


def schema_instruction(schema: Mapping[str, Any]) -> str:
    """Appended to the instructions when no vendor feature carries the schema (JSON mode, JSON in text)."""
    return (
        "Answer with a single JSON object, and nothing else (no Markdown, no commentary), that conforms to "
        "this JSON schema:\n" + json.dumps(schema, ensure_ascii=False)
    )


class Provider(ABC):
    """One configured provider and model.

    `generate` makes exactly one call (the registry owns retries, repair and fallback) and either returns a
    `ProviderReply` or raises `llm_registry.errors.ProviderError` with a kind. Any other exception is
    recorded as an internal error of the provider and the registry moves on.

    `in_process` providers answer without the network (an offline generator): the remaining time budget does
    not gate them, so they can still answer when no remote provider fits."""

    name: str = ""
    model: str = ""
    timeout_s: float = 20.0
    in_process: bool = False

    @abstractmethod
    def generate(self, call: ProviderCall) -> ProviderReply: ...

    def warm_up(self) -> None:  # noqa: B027 - optional hook, empty by default
        """Import the SDK and build the client ahead of the first call (e.g. during Lambda init)."""

    def cost_usd(
        self, input_tokens: int | None, output_tokens: int | None, cached_input_tokens: int | None = None
    ) -> float | None:
        """Estimated cost of one call; None for models without a known price."""
        return pricing.estimate_cost(self.name, self.model, input_tokens, output_tokens, cached_input_tokens)

    def redactions(self) -> tuple[str, ...]:
        """Secrets of this provider that must never appear in a logged or stored message."""
        return ()


class FunctionProvider(Provider):
    """Adapts a plain function into a provider, for in-process generators registered by the caller.

    The function receives the `ProviderCall` and returns the output model instance, a mapping, JSON text or
    a full `ProviderReply`. Its cost is zero: nothing is billed."""

    def __init__(
        self,
        name: str,
        function: Callable[[ProviderCall], ProviderReply | BaseModel | Mapping[str, Any] | str],
        *,
        model: str | None = None,
        in_process: bool = True,
        timeout_s: float = 20.0,
    ) -> None:
        self.name = name
        self.model = model or name
        self.in_process = in_process
        self.timeout_s = timeout_s
        self._function = function

    def generate(self, call: ProviderCall) -> ProviderReply:
        result = self._function(call)
        return result if isinstance(result, ProviderReply) else ProviderReply(content=result)

    def cost_usd(
        self, input_tokens: int | None, output_tokens: int | None, cached_input_tokens: int | None = None
    ) -> float | None:
        return 0.0 if self.in_process else None


class KeyedProvider(Provider):
    """A provider reached with an API key (and optionally a base URL) through one SDK client, built on
    first use and shared by every call in this execution environment. Subclasses say how to build it and
    their registry name (`default_name`; `name=` overrides it, e.g. for an OpenAI-compatible server)."""

    default_name: str

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 20.0,
        name: str | None = None,
    ) -> None:
        self.name = name or self.default_name
        self.model = model
        self.timeout_s = timeout_s
        self._api_key = api_key
        self._base_url = base_url
        self._client: Any = None
        self._lock = threading.Lock()

    @abstractmethod
    def _build_client(self) -> Any:
        """Import the SDK (lazily: only configured providers load theirs) and build its client, with the
        SDK's own retries off: the registry owns retries, with the caller's budget in view."""

    def _sdk_client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._build_client()
            return self._client

    def warm_up(self) -> None:
        self._sdk_client()

    def redactions(self) -> tuple[str, ...]:
        return (self._api_key,) if self._api_key else ()
