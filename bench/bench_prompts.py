"""Prompt size in tokens (tiktoken, o200k_base) for each sample resume, with the whole resume included.

tiktoken fetches its tables over the network on first use; this machine reaches only package registries.
bpe-openai ships the same o200k_base table, so it is placed in tiktoken's cache directory under the name
tiktoken looks for, and tiktoken verifies its published hash before using it."""

from __future__ import annotations

import gzip
import hashlib
import inspect
import json
import os
import re
import sys
import tempfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/core"), str(ROOT / "layers/llm"), str(ROOT)]

from careercoach.models.resume import ResumeInput  # noqa: E402
from careercoach.prompts import interview_prompt, learning_prompt  # noqa: E402
from careercoach.resources import catalog  # noqa: E402

SAMPLES = ["create-rich.json", "create-rich-en.json", "create-short.json", "create-original.json"]
TARGET = 1500


def o200k() -> object:
    import tiktoken_ext.openai_public as public

    url_match = re.search(r'"(https://[^"]+/o200k_base\.tiktoken)"', inspect.getsource(public.o200k_base))
    if url_match is None:
        raise RuntimeError("tiktoken no longer names its o200k_base source the way this bench expects")
    cache = Path(tempfile.mkdtemp(prefix="tiktoken-cache-"))
    table = resources.files("bpe_openai.data").joinpath("o200k_base.tiktoken.gz").read_bytes()
    (cache / hashlib.sha1(url_match.group(1).encode()).hexdigest()).write_bytes(gzip.decompress(table))  # noqa: S324 - tiktoken's cache naming
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    import tiktoken

    return tiktoken.get_encoding("o200k_base")


def main() -> None:
    encoding = o200k()
    count = encoding.encode  # type: ignore[attr-defined]
    print(
        f"prompt tokens (o200k_base, system + user, whole resume included; target < {TARGET} for ko-backend)"
    )
    print(f"  {'sample':<24}{'resume':>8}{'interview':>11}{'learning':>10}")
    for name in SAMPLES:
        event = json.loads((ROOT / "events/resumes" / name).read_text(encoding="utf-8"))
        resume = ResumeInput.model_validate(json.loads(event["body"])).to_content()
        language = resume.language
        interview = interview_prompt(resume, count=5, language=language)
        lines = catalog().lines_for(resume, None)
        learning = learning_prompt(resume, language=language, catalog=lines)
        block = interview.user.split("</resume>")[0]
        sizes = [
            len(count(block)),
            len(count(interview.system + interview.user)),
            len(count(learning.system + learning.user)),
        ]
        print(f"  {name:<24}{sizes[0]:>8}{sizes[1]:>11}{sizes[2]:>10}")


if __name__ == "__main__":
    main()
