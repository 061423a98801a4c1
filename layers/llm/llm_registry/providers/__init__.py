"""Provider implementations. Each SDK module is imported only when its provider builds a client."""

from llm_registry.providers.base import FunctionProvider, Provider

__all__ = ["FunctionProvider", "Provider"]
