"""Prompt size in tokens (tiktoken, o200k_base) for each sample resume, with the whole resume included.

The encoding is loaded offline by `tests.fakes.tokens` (see there)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/core"), str(ROOT / "layers/llm"), str(ROOT)]

from careercoach.models.resume import ResumeInput  # noqa: E402
from careercoach.prompts import interview_prompt, learning_prompt  # noqa: E402
from careercoach.resources import catalog  # noqa: E402
from tests.fakes.tokens import o200k  # noqa: E402

SAMPLES = ["create-rich.json", "create-rich-en.json", "create-short.json", "create-original.json"]
TARGET = 1500


def main() -> None:
    encoding = o200k()
    count = encoding.encode
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
