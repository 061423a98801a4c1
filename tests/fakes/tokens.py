"""Token counts with OpenAI's o200k_base encoding (tiktoken), without the network.

tiktoken fetches its tables over the network on first use; this project's machines reach only package
registries. bpe-openai ships the same o200k_base table, so it is placed in tiktoken's cache directory under
the name tiktoken looks for, and tiktoken verifies its published hash before using it. Used by the fake
providers' simulated-speed mode (delays and usage computed from real token counts) and by the benchmarks."""

from __future__ import annotations

import gzip
import hashlib
import inspect
import os
import re
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_encoding: Any = None


def o200k() -> Any:
    """The o200k_base encoding (loaded once per process)."""
    global _encoding
    with _lock:
        if _encoding is None:
            import tiktoken_ext.openai_public as public

            source = inspect.getsource(public.o200k_base)
            url_match = re.search(r'"(https://[^"]+/o200k_base\.tiktoken)"', source)
            if url_match is None:
                raise RuntimeError(
                    "tiktoken no longer names its o200k_base source the way this module expects"
                )
            cache = Path(tempfile.mkdtemp(prefix="tiktoken-cache-"))
            table = resources.files("bpe_openai.data").joinpath("o200k_base.tiktoken.gz").read_bytes()
            name = hashlib.sha1(url_match.group(1).encode()).hexdigest()  # noqa: S324 - tiktoken's cache naming
            (cache / name).write_bytes(gzip.decompress(table))
            os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
            import tiktoken

            _encoding = tiktoken.get_encoding("o200k_base")
        return _encoding


def encode(text: str) -> list[int]:
    tokens: list[int] = o200k().encode(text, disallowed_special=())
    return tokens


def count(text: str) -> int:
    return len(encode(text))
