"""IaC security scan of the SAM template with checkov, offline, with every accepted finding explained.

``make iac-scan`` runs ``python -m security.iac_scan`` from the application environment (.venv). It

1. translates ``template.yaml`` to plain CloudFormation with samtranslator (``security/sam_transform.py``,
   run by the tools environment's interpreter), so the IAM roles, stages and permissions SAM generates are
   scanned as well as what the template says;
2. runs checkov (its own environment, ``.venv-checkov``) once over the template, its translation and the
   deliberately insecure fixture and its translation, fully offline: ``--skip-download``, no API key, no
   update check, no configuration file from the repository or the home directory;
3. fails on any failed check of the template not acknowledged in ``security/iac-acknowledged.yaml``, on an
   acknowledgement without a real reason, and on a stale acknowledgement; and
4. fails unless checkov reports every problem planted in ``security/fixtures/bad-template.yaml``, so a
   broken scanner (no checks loaded, a file silently skipped) can never pass everything.

The functions below the "pure logic" line take parsed data and return data; ``tests/unit/security`` tests
them with synthetic checkov reports and does not need checkov installed.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

# What the self-test fixture must make checkov report: (scan kind, check id, logical id). "raw" is the
# fixture as written, "transformed" its SAM translation (where AdminFunctionRole exists).
FIXTURE_EXPECTED: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("raw", "CKV_CC_1", "ForeverTable"),
        ("raw", "CKV_CC_2", "PlaintextQueue"),
        ("raw", "CKV_AWS_27", "PlaintextQueue"),
        ("raw", "CKV_AWS_109", "AdminPolicy"),
        ("raw", "CKV_AWS_110", "AdminPolicy"),
        ("raw", "CKV_AWS_111", "AdminPolicy"),
        ("transformed", "CKV_CC_1", "ForeverTable"),
        ("transformed", "CKV_CC_2", "PlaintextQueue"),
        ("transformed", "CKV_AWS_62", "AdminFunctionRole"),
        ("transformed", "CKV_AWS_63", "AdminFunctionRole"),
        ("transformed", "CKV_AWS_110", "AdminFunctionRole"),
        ("transformed", "CKV_AWS_111", "AdminFunctionRole"),
    }
)

# Environment for checkov: drop anything that could configure it from outside (an API key turns on uploads
# and downloads), then switch off what still reaches the network without --skip-download's help.
CHECKOV_ENV_PREFIXES = ("BC_", "CKV_", "CHECKOV_", "PRISMA_")
CHECKOV_ENV = {
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",  # else every run asks pypi.org for a newer checkov
    "BC_SKIP_MAPPING": "TRUE",  # no guideline/ID mapping download (also implied by --skip-download)
    "LOG_LEVEL": "WARNING",
}
# Never hand cloud credentials to the scanners: neither needs them.
CREDENTIAL_VARIABLES = ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")

MIN_REASON_WORDS = 8
MIN_REASON_CHARS = 40
PLACEHOLDER_WORDS = re.compile(r"\b(todo|tbd|fixme|xxx|wip|lorem)\b", re.IGNORECASE)
CHECK_ID = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")
ACK_KEYS = frozenset({"check", "resources", "reason"})


class ScanError(Exception):
    """The scan itself could not run or its output cannot be trusted (not a finding)."""


# ---- pure logic ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One failed check on one resource."""

    check_id: str
    check_name: str
    resource: str  # checkov's "Type.LogicalId", e.g. "AWS::Serverless::Function.ResumesFunction"
    file: str  # as shown to people: repository-relative
    line: int
    guideline: str | None = None

    @property
    def logical_id(self) -> str:
        return self.resource.rpartition(".")[2]


@dataclass
class ScanResult:
    """What checkov found in one file."""

    name: str  # "template.yaml", "template.yaml (SAM-transformed)"
    file: str
    passed: int = 0
    failed: list[Finding] = field(default_factory=list)
    parsing_error: bool = False


@dataclass(frozen=True)
class Acknowledgement:
    check: str
    resources: tuple[str, ...]
    reason: str
    position: int  # 1-based position in the file, for messages


@dataclass
class ScanSummary:
    name: str
    passed: int
    failed: int
    acknowledged: int

    @property
    def unacknowledged(self) -> int:
        return self.failed - self.acknowledged


@dataclass
class Evaluation:
    summaries: list[ScanSummary]
    unacknowledged: list[tuple[str, Finding]]  # (scan name, finding)
    problems: list[str]  # acknowledgement file problems: invalid, stale

    @property
    def ok(self) -> bool:
        return not self.unacknowledged and not self.problems


def is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def pattern_matches(pattern: str, finding: Finding) -> bool:
    """Whether ``pattern`` names the finding's resource.

    A pattern is a logical id or a glob (``ResumesFunction``, ``*Function``); one with ``::`` is matched
    against checkov's ``Type.LogicalId`` instead (``AWS::Lambda::Function.*``).
    """
    subject = finding.resource if "::" in pattern else finding.logical_id
    return fnmatch.fnmatchcase(subject, pattern)


def reason_problem(reason: object) -> str | None:
    """Why a reason does not explain anything, or None when it reads like an explanation."""
    if not isinstance(reason, str) or not reason.strip():
        return "has no reason"
    text = " ".join(reason.split())
    if PLACEHOLDER_WORDS.search(text):
        return f"has a placeholder for a reason ({text!r})"
    if len(text) < MIN_REASON_CHARS or len(text.split()) < MIN_REASON_WORDS:
        return (
            f"has a reason too short to explain why ({text!r}); say why the finding does not apply or what "
            f"compensates for it, in at least {MIN_REASON_WORDS} words"
        )
    return None


def parse_acknowledgements(document: object) -> tuple[list[Acknowledgement], list[str]]:
    """The entries of the acknowledgement file, and what is wrong with it (an entry with problems is dropped).

    The file is a YAML list of entries such as
    ``{check: CKV_AWS_117, resources: [ResumesFunction, "*Function"], reason: ...}``.
    """
    if document is None:
        return [], []
    if not isinstance(document, list):
        return [], ["the file must be a YAML list of {check, resources, reason} entries"]
    entries: list[Acknowledgement] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for position, raw in enumerate(document, start=1):
        label = f"entry {position}"
        if not isinstance(raw, dict):
            problems.append(f"{label}: must be a mapping with check, resources and reason")
            continue
        check = raw.get("check")
        if isinstance(check, str):
            label = f"entry {position} ({check})"
        entry_problems = []
        unknown = sorted(str(key) for key in raw if key not in ACK_KEYS)
        if unknown:
            entry_problems.append(f"unknown key(s) {', '.join(unknown)} (allowed: check, resources, reason)")
        if not isinstance(check, str) or not CHECK_ID.match(check):
            entry_problems.append(f"check must be a check id such as CKV_AWS_117, not {check!r}")
        resources = raw.get("resources")
        if (
            not isinstance(resources, list)
            or not resources
            or not all(isinstance(item, str) and item.strip() for item in resources)
        ):
            entry_problems.append("resources must be a non-empty list of logical ids or globs")
        problem = reason_problem(raw.get("reason"))
        if problem:
            entry_problems.append(problem)
        if entry_problems:
            problems.extend(f"{label}: {message}" for message in entry_problems)
            continue
        entry = Acknowledgement(
            check=str(check),
            resources=tuple(str(item) for item in resources or ()),
            reason=" ".join(str(raw["reason"]).split()),
            position=position,
        )
        for pattern in entry.resources:
            earlier = seen.setdefault((entry.check, pattern), position)
            if earlier != position:
                problems.append(
                    f"{label}: {pattern!r} is already acknowledged for {check} by entry {earlier}"
                )
        entries.append(entry)
    return entries, problems


def evaluate(scans: Sequence[ScanResult], acknowledgements: Sequence[Acknowledgement]) -> Evaluation:
    """Split the failures into acknowledged and not, and find the stale acknowledgements.

    An entry that matched no failure in any scan is stale. So is a plain logical id in an entry that matched
    nothing; a glob may match nothing by itself (``"*Function"`` covers functions yet to come, and ones that
    exist only under a condition) as long as its entry matches something.
    """
    used: set[tuple[int, str]] = set()
    summaries: list[ScanSummary] = []
    unacknowledged: list[tuple[str, Finding]] = []
    for scan in scans:
        acknowledged = 0
        for finding in scan.failed:
            matched = False
            for entry in acknowledgements:
                if entry.check != finding.check_id:
                    continue
                for pattern in entry.resources:
                    if pattern_matches(pattern, finding):
                        used.add((entry.position, pattern))
                        matched = True
            if matched:
                acknowledged += 1
            else:
                unacknowledged.append((scan.name, finding))
        summaries.append(ScanSummary(scan.name, scan.passed, len(scan.failed), acknowledged))
    problems: list[str] = []
    for entry in acknowledgements:
        hits = {pattern for position, pattern in used if position == entry.position}
        label = f"entry {entry.position} ({entry.check})"
        if not hits:
            problems.append(
                f"{label}: stale, no failed check matches it any more; remove it "
                f"(resources: {', '.join(entry.resources)})"
            )
            continue
        for pattern in entry.resources:
            if pattern not in hits and not is_glob(pattern):
                problems.append(
                    f"{label}: stale resource {pattern!r}: no failed {entry.check} on it (fixed, renamed or "
                    "removed?); remove it from the entry"
                )
    return Evaluation(summaries, unacknowledged, problems)


def _reports(output: object) -> list[dict[str, Any]]:
    """Checkov prints one report object, a list of them (one per framework), or a bare summary."""
    items = output if isinstance(output, list) else [output]
    return [item for item in items if isinstance(item, dict)]


def _same_file(reported: str, target: Path) -> bool:
    """Whether checkov's path is ``target``: absolute, or relative to where checkov ran (with a leading /)."""
    if not reported:
        return False
    path = Path(reported)
    if path.is_absolute() and path.exists():
        return path.resolve() == target.resolve()
    parts = Path(reported.lstrip("/")).parts
    return bool(parts) and target.resolve().parts[-len(parts) :] == parts


def split_report(output: object, targets: Mapping[str, Path], root: Path = ROOT) -> dict[str, ScanResult]:
    """Checkov's JSON report, per scanned file (keyed like ``targets``: scan name -> file).

    A check skipped inline (``Metadata: checkov: skip:`` in the template) counts as failed: the
    acknowledgement file is the one place where a finding is accepted, with its reason.
    """
    results = {name: ScanResult(name, _display_path(path, root)) for name, path in targets.items()}

    def owner(check: Mapping[str, Any]) -> str | None:
        for key in ("file_abs_path", "file_path"):
            reported = check.get(key)
            for name, path in targets.items():
                if isinstance(reported, str) and _same_file(reported, path):
                    return name
        return None

    for report in _reports(output):
        if report.get("check_type", "cloudformation") != "cloudformation":
            continue
        body = report.get("results")
        if not isinstance(body, dict):
            continue
        for check in body.get("passed_checks") or []:
            name = owner(check)
            if name is not None:
                results[name].passed += 1
        for check in [*(body.get("failed_checks") or []), *(body.get("skipped_checks") or [])]:
            name = owner(check)
            if name is None:
                raise ScanError(
                    f"checkov reported a file it was not asked to scan: {check.get('file_path')!r}"
                )
            line_range = check.get("file_line_range") or [0]
            results[name].failed.append(
                Finding(
                    check_id=str(check.get("check_id")),
                    check_name=str(check.get("check_name") or ""),
                    resource=str(check.get("resource") or ""),
                    file=results[name].file,
                    line=int(line_range[0]),
                    guideline=check.get("guideline") or None,
                )
            )
        for reported in body.get("parsing_errors") or []:
            for name, path in targets.items():
                if isinstance(reported, str) and _same_file(reported, path):
                    results[name].parsing_error = True
    return results


def scan_problems(results: Mapping[str, ScanResult]) -> list[str]:
    """Reasons not to trust a scan: the file did not parse, or checkov evaluated nothing in it."""
    problems = []
    for result in results.values():
        if result.parsing_error:
            problems.append(f"checkov could not parse {result.file}")
        elif result.passed + len(result.failed) == 0:
            problems.append(
                f"checkov evaluated no check in {result.file}: was it recognised as CloudFormation?"
            )
    return problems


def missing_fixture_findings(
    raw: ScanResult, transformed: ScanResult, expected: Iterable[tuple[str, str, str]] = FIXTURE_EXPECTED
) -> list[tuple[str, str, str]]:
    """The planted problems checkov did not report (empty when the scanner works)."""
    found = {("raw", f.check_id, f.logical_id) for f in raw.failed}
    found |= {("transformed", f.check_id, f.logical_id) for f in transformed.failed}
    return sorted(set(expected) - found)


def resource_lines(template_text: str) -> dict[str, int]:
    """Line of each logical id under Resources (two-space indented keys), for pointing back at the source."""
    lines: dict[str, int] = {}
    in_resources = False
    for number, line in enumerate(template_text.splitlines(), start=1):
        if re.match(r"^\S", line):
            in_resources = line.split("#", 1)[0].strip() == "Resources:"
            continue
        match = re.match(r"^  ([A-Za-z0-9]+):\s*(#.*)?$", line)
        if in_resources and match:
            lines[match.group(1)] = number
    return lines


def source_of(logical_id: str, source_lines: Mapping[str, int]) -> str | None:
    """The template resource a generated one comes from: itself, or the longest logical id it starts with.

    SAM names what it generates after the resource: ``ResumesFunctionRole``, ``HttpApiApiGatewayDefaultStage``
    """
    if logical_id in source_lines:
        return logical_id
    candidates = [name for name in source_lines if logical_id.startswith(name)]
    return max(candidates, key=len) if candidates else None


def checkov_environment(base: Mapping[str, str], home: Path) -> dict[str, str]:
    """Checkov's environment: ours, nothing that configures checkov from outside, and a private HOME
    (checkov reads ``~/.checkov.yaml``, which could carry an API key or skipped checks)."""
    environment = {
        key: value
        for key, value in base.items()
        if not key.startswith(CHECKOV_ENV_PREFIXES) and key not in CREDENTIAL_VARIABLES
    }
    environment.update(CHECKOV_ENV)
    environment["HOME"] = str(home)
    environment["XDG_CACHE_HOME"] = str(home / "cache")
    environment["XDG_CONFIG_HOME"] = str(home / "config")
    return environment


def format_report(
    evaluation: Evaluation,
    *,
    acknowledged_file: str,
    self_test: str,
    source_lines: Mapping[str, int] | None = None,
    source_file: str = "template.yaml",
) -> str:
    width = max((len(summary.name) for summary in evaluation.summaries), default=0)
    out = []
    for summary in evaluation.summaries:
        out.append(
            f"  {summary.name:<{width}}  passed {summary.passed:>3}  failed {summary.failed:>3}  "
            f"acknowledged {summary.acknowledged:>3}  unacknowledged {summary.unacknowledged:>3}"
        )
    out.append(f"  {self_test}")
    if evaluation.unacknowledged:
        out.append(
            f"Unacknowledged findings (fix them, or acknowledge them with a reason in {acknowledged_file}):"
        )
        # The same finding usually shows in the template and in its translation: list it once.
        grouped: dict[tuple[str, str], list[Finding]] = {}
        for _scan_name, finding in evaluation.unacknowledged:
            grouped.setdefault((finding.check_id, finding.logical_id), []).append(finding)
        for findings in grouped.values():
            first = findings[0]
            where = [f"{finding.file}:{finding.line}" for finding in findings]
            origin = source_of(first.logical_id, source_lines or {})
            if source_lines and origin and not any(finding.file == source_file for finding in findings):
                where.append(f"from {origin} at {source_file}:{source_lines[origin]}")
            out.append(f"  {first.check_id}  {first.resource}  {'; '.join(where)}")
            out.append(f"      {first.check_name}" + (f" [{first.guideline}]" if first.guideline else ""))
    if evaluation.problems:
        out.append(f"Problems in {acknowledged_file}:")
        out.extend(f"  {problem}" for problem in evaluation.problems)
    return "\n".join(out)


def self_test_line(missing: Sequence[tuple[str, str, str]], fixture: str) -> str:
    if not missing:
        return f"self-test: checkov reported all {len(FIXTURE_EXPECTED)} problems planted in {fixture}"
    listed = ", ".join(f"{check} on {resource} ({kind})" for kind, check, resource in missing)
    return (
        f"self-test FAILED: checkov did not report {len(missing)} problem(s) planted in {fixture}: {listed}"
    )


def checkov_version(output: object) -> str:
    for report in _reports(output):
        summary = report.get("summary", report)
        if isinstance(summary, dict) and summary.get("checkov_version"):
            return str(summary["checkov_version"])
    return "?"


# ---- running the tools -----------------------------------------------------------------------------------


def _display_path(path: Path, root: Path = ROOT) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _tool_environment(base: Mapping[str, str]) -> dict[str, str]:
    environment = {key: value for key, value in base.items() if key not in CREDENTIAL_VARIABLES}
    environment.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return environment


def transform_templates(python: Path, pairs: Sequence[tuple[Path, Path]], timeout: float) -> None:
    if not python.exists():
        raise ScanError(f"{python} not found: run `make iac-scan` (it installs .venv-tools)")
    command = [
        str(python),
        str(ROOT / "security" / "sam_transform.py"),
        *(f"{src}={dst}" for src, dst in pairs),
    ]
    completed = subprocess.run(  # noqa: S603 - fixed interpreter and arguments, no shell
        command, cwd=ROOT, env=_tool_environment(os.environ), capture_output=True, text=True, timeout=timeout
    )
    if completed.returncode != 0:
        raise ScanError(f"SAM transform failed:\n{completed.stderr.strip() or completed.stdout.strip()}")


def run_checkov(
    checkov: Path, files: Sequence[Path], checks_dir: Path, work_dir: Path, timeout: float
) -> Any:
    """Checkov over ``files`` with our checks; returns its parsed JSON report (also kept in ``work_dir``).

    It runs in ``work_dir`` with a private HOME, so no ``.checkov.yaml`` from the repository or the home
    directory applies; ``--soft-fail`` because failures are judged here, so any other exit is an error.
    """
    if not checkov.exists():
        raise ScanError(f"{checkov} not found: run `make iac-scan` (it installs .venv-checkov)")
    home = work_dir / "home"
    home.mkdir(parents=True, exist_ok=True)
    command = [
        str(checkov),
        "--framework",
        "cloudformation",
        "--skip-download",
        "--external-checks-dir",
        str(checks_dir.resolve()),
        "--output",
        "json",
        "--compact",
        "--soft-fail",
        "--file",
        *(str(path.resolve()) for path in files),
    ]
    try:
        completed = subprocess.run(  # noqa: S603 - fixed executable and arguments, no shell
            command,
            cwd=work_dir,
            env=checkov_environment(os.environ, home),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise ScanError(f"checkov did not finish within {timeout:.0f} s") from error
    (work_dir / "checkov-report.json").write_text(completed.stdout, encoding="utf-8")
    if completed.returncode != 0:
        raise ScanError(f"checkov exited with {completed.returncode}:\n{completed.stderr.strip()[-4000:]}")
    if "Cannot load external check" in completed.stderr:
        raise ScanError(f"checkov could not load a custom check:\n{completed.stderr.strip()[-4000:]}")
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError as error:
        raise ScanError(f"checkov's output is not JSON ({error}):\n{completed.stdout[:2000]}") from error


def load_acknowledgement_file(path: Path) -> tuple[list[Acknowledgement], list[str]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], []
    except yaml.YAMLError as error:
        return [], [f"not valid YAML: {error}"]
    return parse_acknowledgements(document)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", type=Path, default=ROOT / "template.yaml")
    parser.add_argument("--acknowledged", type=Path, default=ROOT / "security" / "iac-acknowledged.yaml")
    parser.add_argument("--fixture", type=Path, default=ROOT / "security" / "fixtures" / "bad-template.yaml")
    parser.add_argument("--checks-dir", type=Path, default=ROOT / "security" / "checkov_checks")
    parser.add_argument("--work-dir", type=Path, default=ROOT / ".aws-sam" / "iac-scan")
    parser.add_argument("--checkov", type=Path, default=ROOT / ".venv-checkov" / "bin" / "checkov")
    parser.add_argument("--sam-python", type=Path, default=ROOT / ".venv-tools" / "bin" / "python")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed to each tool run")
    args = parser.parse_args(argv)

    started = time.monotonic()
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    template: Path = args.template.resolve()
    fixture: Path = args.fixture.resolve()
    targets = {
        "template": template,
        "transformed": work_dir / "template.transformed.json",
        "fixture": fixture,
        "fixture-transformed": work_dir / "fixture.transformed.json",
    }
    template_name = _display_path(template)
    names = {
        "template": template_name,
        "transformed": f"{template_name} (SAM-transformed)",
    }
    try:
        transform_templates(
            args.sam_python,
            [(template, targets["transformed"]), (fixture, targets["fixture-transformed"])],
            args.timeout,
        )
        output = run_checkov(args.checkov, list(targets.values()), args.checks_dir, work_dir, args.timeout)
        results = split_report(output, targets)
    except (ScanError, subprocess.TimeoutExpired, OSError) as error:
        print(f"iac-scan: ERROR: {error}", file=sys.stderr)
        return 2

    for key, name in names.items():
        results[key].name = name
    acknowledgements, file_problems = load_acknowledgement_file(args.acknowledged)
    evaluation = evaluate([results["template"], results["transformed"]], acknowledgements)
    evaluation.problems[:0] = file_problems
    missing = missing_fixture_findings(results["fixture"], results["fixture-transformed"])
    trust_problems = scan_problems(results)

    print(
        f"iac-scan: checkov {checkov_version(output)}, offline; {template_name} and its SAM translation "
        f"({_display_path(targets['transformed'])})"
    )
    print(
        format_report(
            evaluation,
            acknowledged_file=_display_path(args.acknowledged),
            self_test=self_test_line(missing, _display_path(fixture)),
            source_lines=resource_lines(template.read_text(encoding="utf-8")),
            source_file=template_name,
        )
    )
    for problem in trust_problems:
        print(f"  ERROR: {problem}")
    ok = evaluation.ok and not missing and not trust_problems
    print(
        f"iac-scan: {'passed' if ok else 'FAILED'}: "
        f"{len(evaluation.unacknowledged)} unacknowledged finding(s), "
        f"{len(evaluation.problems)} acknowledgement problem(s), self-test {'FAILED' if missing else 'ok'} "
        f"({time.monotonic() - started:.1f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
