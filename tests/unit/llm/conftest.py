"""Unit tests of the LLM registry: no provider SDK is called here, only in-process providers."""

from tests.fakes.plugin import llm_env  # noqa: F401 - fixture, used by name
