"""A Docker-free stand-in for `sam local`: the real handlers run in-process against moto on loopback."""

from local.runtime import LocalRuntime

__all__ = ["LocalRuntime"]
