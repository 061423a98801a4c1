"""The IaC scan's own logic, on synthetic checkov reports: no checkov, samtranslator or network needed."""

from __future__ import annotations

import json
import stat
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from security import iac_scan, sam_transform
from security.iac_scan import Acknowledgement, Finding, ScanError, ScanResult

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = ROOT / "template.yaml"
TRANSFORMED = ROOT / ".aws-sam" / "iac-scan" / "template.transformed.json"
FIXTURE = ROOT / "security" / "fixtures" / "bad-template.yaml"
REASON = "Nothing here is reachable from the internet and the data expires within the hour anyway."


def check(check_id: str, resource: str, path: Path, line: int = 10, **extra: Any) -> dict[str, Any]:
    """One entry of checkov's passed_checks / failed_checks, as its JSON output has it."""
    return {
        "check_id": check_id,
        "check_name": f"Ensure {check_id} holds",
        "resource": resource,
        "file_path": "/" + path.name,
        "file_abs_path": str(path),
        "file_line_range": [line, line + 5],
        "guideline": None,
        **extra,
    }


def report(
    passed: list[dict[str, Any]] | None = None,
    failed: list[dict[str, Any]] | None = None,
    skipped: list[dict[str, Any]] | None = None,
    parsing_errors: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "check_type": "cloudformation",
        "results": {
            "passed_checks": passed or [],
            "failed_checks": failed or [],
            "skipped_checks": skipped or [],
            "parsing_errors": parsing_errors or [],
        },
        "summary": {"passed": len(passed or []), "failed": len(failed or []), "checkov_version": "3.3.30"},
    }


def finding(check_id: str, resource: str, file: str = "template.yaml", line: int = 10) -> Finding:
    return Finding(check_id, f"Ensure {check_id} holds", resource, file, line)


def ack(check_id: str, *resources: str, position: int = 1) -> Acknowledgement:
    return Acknowledgement(check_id, resources, REASON, position)


def scan(name: str, *failed: Finding, passed: int = 0) -> ScanResult:
    return ScanResult(name, "template.yaml", passed=passed, failed=list(failed))


# ---- reading checkov's report ----------------------------------------------------------------------------


def test_split_report_assigns_checks_to_their_files_and_counts_them() -> None:
    output = report(
        passed=[
            check("CKV_AWS_28", "AWS::DynamoDB::Table.TasksTable", TEMPLATE),
            check("CKV_AWS_28", "AWS::DynamoDB::Table.TasksTable", TRANSFORMED),
            check("CKV_AWS_26", "AWS::SNS::Topic.AlarmTopic", TRANSFORMED),
        ],
        failed=[check("CKV_AWS_117", "AWS::Serverless::Function.ResumesFunction", TEMPLATE, line=42)],
    )

    results = iac_scan.split_report(output, {"template": TEMPLATE, "transformed": TRANSFORMED}, root=ROOT)

    assert results["template"].passed == 1
    assert results["transformed"].passed == 2
    assert results["transformed"].failed == []
    [only] = results["template"].failed
    assert (only.check_id, only.logical_id, only.file, only.line) == (
        "CKV_AWS_117",
        "ResumesFunction",
        "template.yaml",
        42,
    )


def test_split_report_reads_a_list_of_reports_and_ignores_other_frameworks() -> None:
    other = {"check_type": "secrets", "results": {"failed_checks": [check("CKV_SECRET_2", "x", TEMPLATE)]}}
    output = [report(failed=[check("CKV_AWS_27", "AWS::SQS::Queue.TasksQueue", TEMPLATE)]), other]

    results = iac_scan.split_report(output, {"template": TEMPLATE}, root=ROOT)

    assert [f.check_id for f in results["template"].failed] == ["CKV_AWS_27"]


def test_split_report_tells_a_template_from_a_file_whose_name_ends_the_same() -> None:
    # "bad-template.yaml" ends with "template.yaml": only whole path components may match.
    output = report(
        failed=[{**check("CKV_CC_1", "AWS::DynamoDB::Table.ForeverTable", FIXTURE), "file_abs_path": ""}]
    )
    output["results"]["failed_checks"][0]["file_path"] = "/security/fixtures/bad-template.yaml"

    results = iac_scan.split_report(output, {"template": TEMPLATE, "fixture": FIXTURE}, root=ROOT)

    assert results["template"].failed == []
    assert [f.logical_id for f in results["fixture"].failed] == ["ForeverTable"]


def test_an_inline_skip_counts_as_a_failure_to_acknowledge() -> None:
    skipped = check("CKV_AWS_117", "AWS::Serverless::Function.WebFunction", TEMPLATE)
    results = iac_scan.split_report(report(skipped=[skipped]), {"template": TEMPLATE}, root=ROOT)

    assert [f.logical_id for f in results["template"].failed] == ["WebFunction"]


def test_a_failure_in_a_file_not_asked_for_is_an_error() -> None:
    stray = check("CKV_AWS_27", "AWS::SQS::Queue.Q", ROOT / "elsewhere" / "other.yaml")
    with pytest.raises(ScanError, match="not asked to scan"):
        iac_scan.split_report(report(failed=[stray]), {"template": TEMPLATE}, root=ROOT)


def test_an_empty_or_unparsed_scan_is_not_trusted() -> None:
    bare_summary = {"passed": 0, "failed": 0, "resource_count": 0, "checkov_version": "3.3.30"}
    empty = iac_scan.split_report(bare_summary, {"template": TEMPLATE}, root=ROOT)
    unparsed = iac_scan.split_report(
        report(parsing_errors=[str(TEMPLATE)]), {"template": TEMPLATE}, root=ROOT
    )

    assert iac_scan.scan_problems(empty) == [
        "checkov evaluated no check in template.yaml: was it recognised as CloudFormation?"
    ]
    assert iac_scan.scan_problems(unparsed) == ["checkov could not parse template.yaml"]
    assert iac_scan.checkov_version(bare_summary) == "3.3.30"
    assert iac_scan.checkov_version(report()) == "3.3.30"


# ---- the acknowledgement file ----------------------------------------------------------------------------


def test_a_valid_entry_is_read_with_its_reason_on_one_line() -> None:
    document = yaml.safe_load(
        textwrap.dedent(
            """\
            - check: CKV_AWS_117
              resources: [ResumesFunction, "*Function"]
              reason: >-
                Nothing the functions use lives in a VPC,
                and a NAT gateway would cost more than it protects.
            """
        )
    )

    entries, problems = iac_scan.parse_acknowledgements(document)

    assert problems == []
    assert entries == [
        Acknowledgement(
            "CKV_AWS_117",
            ("ResumesFunction", "*Function"),
            "Nothing the functions use lives in a VPC, and a NAT gateway would cost more than it protects.",
            1,
        )
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"check": "CKV_AWS_117", "resources": ["*Function"]}, "has no reason"),
        ({"check": "CKV_AWS_117", "resources": ["*Function"], "reason": "   "}, "has no reason"),
        ({"check": "CKV_AWS_117", "resources": ["*Function"], "reason": "not needed"}, "too short"),
        (
            {"check": "CKV_AWS_117", "resources": ["*Function"], "reason": f"TODO: {REASON}"},
            "placeholder",
        ),
        ({"check": "CKV_AWS_117", "resources": ["*Function"], "reason": 42}, "has no reason"),
        ({"check": "ckv-aws-117", "resources": ["*Function"], "reason": REASON}, "check must be a check id"),
        ({"check": "CKV_AWS_117", "resources": "*Function", "reason": REASON}, "non-empty list"),
        ({"check": "CKV_AWS_117", "resources": [], "reason": REASON}, "non-empty list"),
        ({"check": "CKV_AWS_117", "resources": [""], "reason": REASON}, "non-empty list"),
        ({"check": "CKV_AWS_117", "resources": ["*"], "reasons": REASON}, "unknown key(s) reasons"),
    ],
)
def test_an_invalid_entry_is_a_problem_and_acknowledges_nothing(entry: dict[str, Any], expected: str) -> None:
    entries, problems = iac_scan.parse_acknowledgements([entry])

    assert entries == []
    assert len(problems) >= 1
    assert any(expected in problem for problem in problems), problems
    assert problems[0].startswith("entry 1")


def test_the_file_must_be_a_list_of_mappings() -> None:
    assert iac_scan.parse_acknowledgements(None) == ([], [])
    assert iac_scan.parse_acknowledgements({"check": "CKV_AWS_117"})[1] == [
        "the file must be a YAML list of {check, resources, reason} entries"
    ]
    assert iac_scan.parse_acknowledgements(["CKV_AWS_117"])[1] == [
        "entry 1: must be a mapping with check, resources and reason"
    ]


def test_the_same_resource_acknowledged_twice_for_a_check_is_a_problem() -> None:
    document = [
        {"check": "CKV_AWS_27", "resources": ["TasksQueue"], "reason": REASON},
        {"check": "CKV_AWS_27", "resources": ["TasksQueue", "OtherQueue"], "reason": REASON},
        {"check": "CKV_AWS_28", "resources": ["TasksQueue"], "reason": REASON},
    ]

    entries, problems = iac_scan.parse_acknowledgements(document)

    assert len(entries) == 3
    assert problems == [
        "entry 2 (CKV_AWS_27): 'TasksQueue' is already acknowledged for CKV_AWS_27 by entry 1"
    ]


def test_an_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    broken = tmp_path / "ack.yaml"
    broken.write_text("- check: [unclosed\n", encoding="utf-8")

    entries, problems = iac_scan.load_acknowledgement_file(broken)

    assert entries == []
    assert problems[0].startswith("not valid YAML")


# ---- judging the findings --------------------------------------------------------------------------------


def test_acknowledged_and_unacknowledged_findings_are_told_apart() -> None:
    vpc = finding("CKV_AWS_117", "AWS::Serverless::Function.ResumesFunction")
    dlq = finding("CKV_AWS_116", "AWS::Serverless::Function.ResumesFunction")

    evaluation = iac_scan.evaluate([scan("template.yaml", vpc, dlq, passed=7)], [ack("CKV_AWS_117", "*")])

    assert evaluation.unacknowledged == [("template.yaml", dlq)]
    assert evaluation.problems == []
    assert not evaluation.ok
    [summary] = evaluation.summaries
    assert (summary.passed, summary.failed, summary.acknowledged, summary.unacknowledged) == (7, 2, 1, 1)


def test_an_acknowledgement_is_for_its_check_only() -> None:
    queue = finding("CKV_AWS_27", "AWS::SQS::Queue.TasksQueue")

    evaluation = iac_scan.evaluate(
        [scan("t", queue)], [ack("CKV_AWS_27", "TasksQueue"), ack("CKV_AWS_28", "*", position=2)]
    )

    assert evaluation.unacknowledged == []
    assert evaluation.problems == [
        "entry 2 (CKV_AWS_28): stale, no failed check matches it any more; remove it (resources: *)"
    ]


@pytest.mark.parametrize(
    ("pattern", "resource", "matches"),
    [
        ("*Function", "AWS::Serverless::Function.ResumesFunction", True),
        ("*Function", "AWS::Lambda::Function.WebSocketAuthorizerFunction", True),
        ("*Function", "AWS::IAM::Role.ResumesFunctionRole", False),
        ("ResumesFunction", "AWS::Lambda::Function.ResumesFunction", True),
        ("resumesfunction", "AWS::Lambda::Function.ResumesFunction", False),
        ("Tasks?Queue", "AWS::SQS::Queue.TasksDeadLetterQueue", False),
        ("Tasks*Queue", "AWS::SQS::Queue.TasksDeadLetterQueue", True),
        ("AWS::Lambda::Function.*", "AWS::Lambda::Function.WorkerFunction", True),
        ("AWS::Lambda::Function.*", "AWS::Serverless::Function.WorkerFunction", False),
    ],
)
def test_resource_patterns_are_logical_id_globs(pattern: str, resource: str, matches: bool) -> None:
    assert iac_scan.pattern_matches(pattern, finding("CKV_AWS_117", resource)) is matches


def test_a_stale_entry_fails() -> None:
    evaluation = iac_scan.evaluate([scan("template.yaml", passed=3)], [ack("CKV_AWS_95", "WebSocketStage")])

    assert evaluation.problems == [
        "entry 1 (CKV_AWS_95): stale, no failed check matches it any more; "
        "remove it (resources: WebSocketStage)"
    ]
    assert not evaluation.ok


def test_a_named_resource_that_no_longer_fails_is_stale_but_an_idle_glob_is_not() -> None:
    # "*LogGroup" covers new log groups; "OldQueue" names one that is gone, so it must go too.
    queue = finding("CKV_AWS_27", "AWS::SQS::Queue.TasksQueue")
    acks = [ack("CKV_AWS_27", "TasksQueue", "OldQueue", "*DeadLetterQueue")]

    evaluation = iac_scan.evaluate([scan("template.yaml", queue)], acks)

    assert evaluation.unacknowledged == []
    assert evaluation.problems == [
        "entry 1 (CKV_AWS_27): stale resource 'OldQueue': no failed CKV_AWS_27 on it (fixed, renamed or "
        "removed?); remove it from the entry"
    ]


def test_an_entry_used_only_by_the_transformed_scan_is_not_stale() -> None:
    role = finding("CKV_AWS_111", "AWS::IAM::Role.WorkerFunctionRole", file=".aws-sam/x.json")
    scans = [scan("template.yaml", passed=5), scan("template.yaml (SAM-transformed)", role, passed=9)]

    evaluation = iac_scan.evaluate(scans, [ack("CKV_AWS_111", "WorkerFunctionRole")])

    assert evaluation.ok
    assert [(s.name, s.passed, s.failed, s.acknowledged) for s in evaluation.summaries] == [
        ("template.yaml", 5, 0, 0),
        ("template.yaml (SAM-transformed)", 9, 1, 1),
    ]


def test_the_summary_counts_every_scan_and_lists_each_unacknowledged_finding_once() -> None:
    raw = finding("CKV_AWS_119", "AWS::DynamoDB::Table.QuotasTable", line=553)
    translated = finding("CKV_AWS_119", "AWS::DynamoDB::Table.QuotasTable", file="t.json", line=438)
    role = finding("CKV_AWS_111", "AWS::IAM::Role.WorkerFunctionRole", file="t.json", line=900)
    acked = finding("CKV_AWS_117", "AWS::Serverless::Function.WorkerFunction")
    scans = [scan("template.yaml", raw, acked, passed=60), scan("transformed", translated, role, passed=140)]
    evaluation = iac_scan.evaluate(
        scans, [ack("CKV_AWS_117", "*Function"), ack("CKV_AWS_95", "X", position=2)]
    )

    text = iac_scan.format_report(
        evaluation,
        acknowledged_file="security/iac-acknowledged.yaml",
        self_test="self-test: ok",
        source_lines={"QuotasTable": 553, "WorkerFunction": 640},
    )

    lines = text.splitlines()
    assert lines[0] == "  template.yaml  passed  60  failed   2  acknowledged   1  unacknowledged   1"
    assert lines[1] == "  transformed    passed 140  failed   2  acknowledged   0  unacknowledged   2"
    assert lines[2] == "  self-test: ok"
    assert "  CKV_AWS_119  AWS::DynamoDB::Table.QuotasTable  template.yaml:553; t.json:438" in lines
    assert (
        "  CKV_AWS_111  AWS::IAM::Role.WorkerFunctionRole  t.json:900; "
        "from WorkerFunction at template.yaml:640" in lines
    )
    assert "      Ensure CKV_AWS_119 holds" in lines
    assert sum("CKV_AWS_119" in line for line in lines) == 2  # the finding line and its title, once
    assert "Problems in security/iac-acknowledged.yaml:" in lines
    assert lines[-1].startswith("  entry 2 (CKV_AWS_95): stale")


# ---- the self-test ---------------------------------------------------------------------------------------


def test_the_self_test_passes_only_when_every_planted_problem_is_reported() -> None:
    raw = scan("raw", *(finding(c, f"T.{r}") for kind, c, r in iac_scan.FIXTURE_EXPECTED if kind == "raw"))
    translated = scan(
        "transformed",
        *(finding(c, f"T.{r}") for kind, c, r in iac_scan.FIXTURE_EXPECTED if kind == "transformed"),
    )

    assert iac_scan.missing_fixture_findings(raw, translated) == []
    assert iac_scan.self_test_line([], "bad.yaml").startswith("self-test: checkov reported all")

    raw.failed = [f for f in raw.failed if not f.check_id.startswith("CKV_CC_")]  # custom checks not loaded
    missing = iac_scan.missing_fixture_findings(raw, translated)
    assert missing == [("raw", "CKV_CC_1", "ForeverTable"), ("raw", "CKV_CC_2", "PlaintextQueue")]
    assert "CKV_CC_1 on ForeverTable (raw)" in iac_scan.self_test_line(missing, "bad.yaml")
    assert iac_scan.missing_fixture_findings(scan("raw"), scan("transformed")) == sorted(
        iac_scan.FIXTURE_EXPECTED
    )


def test_every_resource_the_self_test_expects_is_planted_in_the_fixture() -> None:
    resources = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["Resources"]
    # SAM names a function's generated role after it.
    planted = set(resources) | {
        f"{name}Role" for name, r in resources.items() if r["Type"].endswith("Function")
    }

    assert {resource for _, _, resource in iac_scan.FIXTURE_EXPECTED} <= planted


# ---- the real acknowledgement file and template ----------------------------------------------------------


def test_the_project_acknowledgement_file_is_valid() -> None:
    entries, problems = iac_scan.load_acknowledgement_file(ROOT / "security" / "iac-acknowledged.yaml")

    assert problems == []
    assert entries
    # Fixed, not acknowledged: the WebSocket stage's access log.
    assert "CKV_AWS_95" not in {entry.check for entry in entries}


def test_resource_lines_point_at_the_logical_ids_under_resources() -> None:
    text = textwrap.dedent(
        """\
        Parameters:
          Stage:  # not a resource
            Type: String
        Resources:
          HttpApi:
            Type: AWS::Serverless::HttpApi
          ResumesFunction:  # the resumes API
            Type: AWS::Serverless::Function
        Outputs:
          ApiUrl:
            Value: x
        """
    )

    lines = iac_scan.resource_lines(text)

    assert lines == {"HttpApi": 5, "ResumesFunction": 7}
    assert iac_scan.source_of("ResumesFunction", lines) == "ResumesFunction"
    assert iac_scan.source_of("ResumesFunctionRole", lines) == "ResumesFunction"
    assert iac_scan.source_of("HttpApiApiGatewayDefaultStage", lines) == "HttpApi"
    assert iac_scan.source_of("Unrelated", lines) is None


# ---- running checkov -------------------------------------------------------------------------------------


def test_checkov_runs_with_no_platform_settings_credentials_or_home_config(tmp_path: Path) -> None:
    base = {
        "PATH": "/usr/bin",
        "BC_API_KEY": "secret-key",
        "PRISMA_API_URL": "https://example.invalid",
        "CKV_FRAMEWORK": "all",
        "CHECKOV_CHECK_FAIL_LEVEL": "LOW",
        "AWS_ACCESS_KEY_ID": "AKIA",
        "AWS_SECRET_ACCESS_KEY": "shh",
        "AWS_PROFILE": "prod",
        "HOME": "/root",
    }

    environment = iac_scan.checkov_environment(base, tmp_path)

    assert environment == {
        "PATH": "/usr/bin",
        "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
        "BC_SKIP_MAPPING": "TRUE",
        "LOG_LEVEL": "WARNING",
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


def _executable(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def fake_tools(tmp_path: Path) -> dict[str, Path]:
    """Stand-ins for .venv-tools' python (writes empty translations) and checkov (prints a canned report)."""
    python = _executable(
        tmp_path / "python",
        'shift\nfor pair in "$@"; do echo \'{"Resources": {}}\' > "${pair#*=}"; done\n',
    )
    canned = tmp_path / "report.json"
    checkov = _executable(tmp_path / "checkov", f'cat "{canned}"\n')
    return {"python": python, "checkov": checkov, "report": canned, "work": tmp_path / "work"}


def _run_main(tools: dict[str, Path], acknowledged: Path, failed: list[dict[str, Any]]) -> int:
    work = tools["work"]
    transformed = work / "template.transformed.json"
    fixture_transformed = work / "fixture.transformed.json"
    planted = [
        check(c, f"T.{r}", FIXTURE if kind == "raw" else fixture_transformed)
        for kind, c, r in iac_scan.FIXTURE_EXPECTED
    ]
    passed = [check("CKV_AWS_28", "T.TasksTable", TEMPLATE), check("CKV_AWS_28", "T.TasksTable", transformed)]
    tools["report"].write_text(
        json.dumps(report(passed=passed, failed=[*failed, *planted])), encoding="utf-8"
    )
    return iac_scan.main(
        [
            "--acknowledged",
            str(acknowledged),
            "--work-dir",
            str(work),
            "--checkov",
            str(tools["checkov"]),
            "--sam-python",
            str(tools["python"]),
        ]
    )


def test_main_passes_when_every_finding_is_acknowledged(
    fake_tools: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acknowledged = tmp_path / "ack.yaml"
    acknowledged.write_text(
        yaml.safe_dump([{"check": "CKV_AWS_117", "resources": ["*Function"], "reason": REASON}]),
        encoding="utf-8",
    )
    failed = [check("CKV_AWS_117", "AWS::Serverless::Function.WebFunction", TEMPLATE)]

    assert _run_main(fake_tools, acknowledged, failed) == 0
    out = capsys.readouterr().out
    assert "template.yaml  " in out
    assert "iac-scan: passed: 0 unacknowledged finding(s), 0 acknowledgement problem(s), self-test ok" in out
    assert (fake_tools["work"] / "checkov-report.json").exists()


def test_main_fails_on_an_unacknowledged_finding(
    fake_tools: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = [check("CKV_AWS_117", "AWS::Serverless::Function.WebFunction", TEMPLATE)]

    assert _run_main(fake_tools, tmp_path / "absent.yaml", failed) == 1
    out = capsys.readouterr().out
    assert "CKV_AWS_117  AWS::Serverless::Function.WebFunction  template.yaml:10" in out
    assert "iac-scan: FAILED: 1 unacknowledged finding(s)" in out


def test_main_reports_a_tool_failure_as_an_error(
    fake_tools: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _executable(fake_tools["checkov"], "echo 'Traceback: boom' >&2\nexit 3\n")

    assert _run_main(fake_tools, tmp_path / "absent.yaml", []) == 2
    assert "checkov exited with 3" in capsys.readouterr().err


# ---- the SAM transform's preparation (samtranslator itself lives in .venv-tools) -------------------------


def test_local_code_paths_become_placeholder_s3_uris_and_the_rest_is_kept() -> None:
    template: dict[str, Any] = {
        "Globals": {"Function": {"Runtime": "python3.13"}},
        "Resources": {
            "Local": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "functions/web/"}},
            "InS3": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "s3://b/k.zip"}},
            "AsObject": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"CodeUri": {"Bucket": "b", "Key": "k"}},
            },
            "Inline": {"Type": "AWS::Serverless::Function", "Properties": {"InlineCode": "def h(e, c): ..."}},
            "Image": {"Type": "AWS::Serverless::Function", "Properties": {"PackageType": "Image"}},
            "Layer": {"Type": "AWS::Serverless::LayerVersion", "Properties": {"ContentUri": "layers/core/"}},
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"CodeUri": "not/a/sam/property"}},
        },
    }

    resources = sam_transform.replace_local_uris(template)["Resources"]

    assert resources["Local"]["Properties"]["CodeUri"] == "s3://iac-scan-placeholder/functions/web"
    assert resources["InS3"]["Properties"]["CodeUri"] == "s3://b/k.zip"
    assert resources["AsObject"]["Properties"]["CodeUri"] == {"Bucket": "b", "Key": "k"}
    assert "CodeUri" not in resources["Inline"]["Properties"]
    assert "CodeUri" not in resources["Image"]["Properties"]
    assert resources["Layer"]["Properties"]["ContentUri"] == "s3://iac-scan-placeholder/layers/core"
    assert resources["Table"]["Properties"]["CodeUri"] == "not/a/sam/property"


def test_a_global_local_code_path_is_replaced_too() -> None:
    template: dict[str, Any] = {
        "Globals": {"Function": {"CodeUri": "src/"}},
        "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.h"}}},
    }

    sam_transform.replace_local_uris(template)

    assert template["Globals"]["Function"]["CodeUri"] == "s3://iac-scan-placeholder/src"
    assert template["Resources"]["Fn"]["Properties"]["CodeUri"] == "s3://iac-scan-placeholder/src"
