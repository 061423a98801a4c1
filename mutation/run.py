"""`make mutation`: mutation testing of the modules whose guards matter most, with mutmut, per module.

Why a staging tree: mutmut 3 names each mutant after the file's path (stripping only a leading
`src/`), while the tests import these packages as `careercoach` and `llm_registry` from `layers/core` and
`layers/llm` (on sys.path by pytest's `pythonpath` setting). It then finds no test for any mutant and
stops ("tests import the source under a different module path"). So each module runs in
`.mutation/<name>/`, a copy of the tree with both packages at its root and a pyproject whose `pythonpath`
is ".": there the names agree and mutmut's fast fork-per-mutant runner works unchanged.

Each module runs alone with only its own test files (mutmut then runs, per mutant, only the tests that
reach the mutated function). Survivors are printed with their diff; those listed in EQUIVALENT (mutants no
test can kill, such as a DynamoDB keyword in another case) are shown apart, with the reason. The score is
killed / (mutants - documented equivalents); the run fails when a module is under TARGET.

    python -m mutation.run [--module quota] [--jobs 2] [--keep]"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
TARGET = 0.90


@dataclass(frozen=True)
class Mutant:
    name: str
    status: str
    lines: list[str]  # the mutated line(s)
    reason: str | None = None  # why it is equivalent, when it is


@dataclass(frozen=True)
class Diff:
    removed: list[str]
    added: list[str]


@dataclass(frozen=True)
class Result:
    module: str
    mutants: int
    killed: int
    equivalent: list[Mutant]
    survivors: list[Mutant]
    seconds: float

    @property
    def score(self) -> float:
        counted = self.mutants - len(self.equivalent)
        return self.killed / counted if counted else 1.0


@dataclass(frozen=True)
class Module:
    name: str
    source: str  # path in the staging tree
    tests: tuple[str, ...]  # globs, relative to the repository root


MODULES = (
    Module("quota", "careercoach/quota.py", ("tests/unit/core/test_quota*.py",)),
    Module("task_store", "careercoach/storage/tasks.py", ("tests/unit/core/test_task_store*.py",)),
    Module("auth", "careercoach/auth.py", ("tests/unit/core/test_auth*.py",)),
    Module("checks", "careercoach/checks.py", ("tests/unit/core/test_checks*.py",)),
    Module(
        "fallback",
        "llm_registry/fallback.py",
        (
            "tests/unit/llm/test_llm_registration_and_policy.py",
            "tests/unit/llm/test_llm_fallback*.py",
            "tests/unit/llm/test_llm_sanitize.py",
        ),
    ),
)

# Mutants no test can kill, with the reason. First a rule: in the DynamoDB modules, an expression string
# whose keywords alone changed case (`SET` -> `set`) is the same expression.
DYNAMODB_MODULES = ("quota", "task_store")
_DYNAMODB_KEYWORDS = {"SET", "ADD", "REMOVE", "DELETE", "AND", "OR", "NOT", "IN", "BETWEEN"}
DYNAMODB_CASE = (
    "DynamoDB reads expression keywords in any case (its reserved-word list 'isn't case-sensitive': "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html), and so does moto"
)
_NO_PREFERRED_SOURCE = (
    "evidence names no source: '' as the preferred source matches no item, nor do None or 'XXXX', so the "
    "first item holding the text is returned either way (and only compared with None)"
)
_ISO_Z = (
    "Python 3.11+ (3.11 locally, 3.13 on Lambda) reads a trailing 'Z' in fromisoformat itself, so replacing "
    "it by '+00:00' first, or not, gives the same datetime"
)
_ONLY_FOUND_OR_NOT = (
    "question_problems only asks whether some item holds the quote; which one (the preferred source decides "
    "among several) matters to normalise_questions, not here"
)
_HEADER_CASE = (
    "urllib.request.Request sends every header name capitalised whatever the case given ('All header keys "
    "are sent in camel case': https://docs.python.org/3/library/urllib.request.html#urllib.request.Request)"
)
_COST_RETRY = (
    "_cost retries any TypeError with the two-argument call, so a one-argument call there ends in the same "
    "estimate"
)
_FAIL_ONLY_DEADLINE = (
    "_fail is called only for a deadline skip, always with the attempt's purpose: its default purpose and "
    "its non-deadline branch are never used"
)
_LAST_FAILURE = (
    "last_failure is read only after a provider's turn ended without a result, and such a turn always ends "
    "with a failed attempt recorded, which sets it: its initial value and its value after an OK attempt are "
    "never read"
)
# Then single mutants: (module, text of the mutated line) -> why.
EQUIVALENT: dict[tuple[str, str], str] = {
    ("fallback", 'purpose: Purpose = "XXfirstXX"'): _FAIL_ONLY_DEADLINE,
    ("fallback", 'purpose: Purpose = "FIRST"'): _FAIL_ONLY_DEADLINE,
    ("fallback", "Outcome.SKIPPED if (kind is ErrorKind.DEADLINE) or True else"): _FAIL_ONLY_DEADLINE,
    ("fallback", "if provider.in_process:"): (
        "pricing.preload() only starts loading the price table in the background (an optimisation for remote "
        "calls); starting it for in-process providers instead changes no result, record or log"
    ),
    ("fallback", "return provider.cost_usd(tokens[1])"): _COST_RETRY,
    ("fallback", "return provider.cost_usd(tokens[0], )"): _COST_RETRY,
    ("fallback", 'self.last_failure: str | None = ""'): _LAST_FAILURE,
    ("fallback", "None if (attempt.outcome is Outcome.OK) and False else"): _LAST_FAILURE,
    (
        "fallback",
        "retried = repaired = None",
    ): "None and False are both false; the flags are only tested for truth",
    ("auth", 'headers={"accept": "application/json"}'): _HEADER_CASE,
    ("auth", 'headers={"ACCEPT": "application/json"}'): _HEADER_CASE,
    ("task_store", '.replace("XXZXX", "+00:00")'): _ISO_Z,
    ("task_store", '.replace("z", "+00:00")'): _ISO_Z,
    ("checks", "_item_holding(strength.evidence, items, None) is None"): _NO_PREFERRED_SOURCE,
    ("checks", '_item_holding(strength.evidence, items, "XXXX") is None'): _NO_PREFERRED_SOURCE,
    ("checks", "_item_holding(question.grounding.quote, items, None) is None"): _ONLY_FOUND_OR_NOT,
    ("checks", '_item_holding(question.grounding.quote, items, "XXXX") is None'): _ONLY_FOUND_OR_NOT,
}


# What the staging tree holds: both packages at its root, and what the tests load by path.
COPIED = {
    "layers/core/careercoach": "careercoach",
    "layers/llm/llm_registry": "llm_registry",
    "tests": "tests",
    "events": "events",
    "functions": "functions",
    "local": "local",
}
KILLED = {"killed", "timeout", "caught by type check"}


def _toml_value(value: object) -> str:
    if isinstance(value, str | list):
        return json.dumps(value)  # a JSON string or list of strings is valid TOML
    raise TypeError(value)


def stage(module: Module) -> Path:
    """A fresh copy of the tree for `module`, with a pyproject that puts both packages' root on sys.path."""
    target = WORK / module.name
    shutil.rmtree(target, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for source, name in COPIED.items():
        shutil.copytree(ROOT / source, target / name, ignore=ignore)
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    pytest_options["pythonpath"] = ["."]
    tests = sorted({str(p.relative_to(ROOT)) for glob in module.tests for p in ROOT.glob(glob)})
    if not tests:
        raise SystemExit(f"{module.name}: no test file matches {module.tests}")
    package = module.source.split("/")[0]
    mutmut_options = {
        "source_paths": [f"{package}/"],
        "only_mutate": [module.source],
        "also_copy": [name + "/" for name in COPIED.values() if name != package],
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider"],
    }
    lines = ["[tool.pytest.ini_options]"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in pytest_options.items()]
    lines += ["", "[tool.mutmut]"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in mutmut_options.items()]
    (target / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return target


def mutated_lines(stage_dir: Path, mutant: str) -> Diff:
    shown = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "mutmut", "show", mutant], cwd=stage_dir, capture_output=True, text=True
    ).stdout.splitlines()
    removed = [line[1:].strip() for line in shown if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in shown if line.startswith("+") and not line.startswith("+++")]
    return Diff(removed, added)


def _keywords_lowercased(old: str, new: str) -> bool:
    """`new` is `old` with only DynamoDB expression keywords (`SET`, `AND`, ...) lowercased."""
    before, after = re.split(r"(\W+)", old), re.split(r"(\W+)", new)
    changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
    return (
        len(before) == len(after)
        and bool(changed)
        and all(a in _DYNAMODB_KEYWORDS and b == a.lower() for a, b in changed)
    )


def _equivalence(module: Module, diff: Diff) -> str | None:
    pairs = list(zip(diff.removed, diff.added, strict=False))
    same_shape = bool(diff.added) and len(diff.added) == len(diff.removed)
    if module.name in DYNAMODB_MODULES and same_shape and all(_keywords_lowercased(o, n) for o, n in pairs):
        return DYNAMODB_CASE
    for (name, text), why in EQUIVALENT.items():
        if name == module.name and any(text in line for line in diff.added):
            return why
    return None


def run(module: Module, jobs: int) -> Result:
    from mutmut.stats import status_by_exit_code

    stage_dir = stage(module)
    started = time.monotonic()
    log = stage_dir / "mutmut.log"
    with log.open("w") as out:
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)],
            cwd=stage_dir,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Fewer property-test examples per mutant run (the auth fuzz tests read it); the full count
            # runs in `make test`.
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HYPOTHESIS_MAX_EXAMPLES": "60"},
            check=False,
        )
    meta = stage_dir / "mutants" / f"{module.source}.meta"
    if not meta.exists():
        print(log.read_text()[-3000:])
        raise SystemExit(f"{module.name}: mutmut produced no results (log above, full log in {log})")
    exit_codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    statuses = {name: status_by_exit_code[code] for name, code in exit_codes.items()}
    survivors: list[Mutant] = []
    equivalent: list[Mutant] = []
    for name, status in sorted(statuses.items()):
        if status in KILLED:
            continue
        diff = mutated_lines(stage_dir, name)
        reason = _equivalence(module, diff)
        (equivalent if reason else survivors).append(Mutant(name, status, diff.added, reason))
    killed = sum(status in KILLED for status in statuses.values())
    return Result(module.name, len(statuses), killed, equivalent, survivors, time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--module", action="append", choices=[m.name for m in MODULES])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", action="store_true", help="keep .mutation/ for `mutmut browse` there")
    args = parser.parse_args()
    chosen = [m for m in MODULES if not args.module or m.name in args.module]
    results: list[Result] = []
    for module in chosen:
        print(f"== {module.name}: {module.source}", flush=True)
        result = run(module, args.jobs)
        results.append(result)
        for mutant in result.equivalent:
            print(
                f"   equivalent  {mutant.name}: {' | '.join(mutant.lines)}\n               ({mutant.reason})"
            )
        for mutant in result.survivors:
            print(f"   {mutant.status:<11} {mutant.name}: {' | '.join(mutant.lines)}", flush=True)
    print(f"\n{'module':<12}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'survived':>10}{'score':>8}{'time':>8}")
    for r in results:
        print(
            f"{r.module:<12}{r.mutants:>8}{r.killed:>8}{len(r.equivalent):>8}{len(r.survivors):>10}"
            f"{r.score:>8.1%}{r.seconds:>7.0f}s"
        )
    print(f"\ntarget: {TARGET:.0%} per module (score = killed / (mutants - documented equivalents))")
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    return 1 if any(r.score < TARGET for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
