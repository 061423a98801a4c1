"""The sample resumes exist once, in samples/: the README's commands post them, the /test page loads them from
the WebFunction (which ships the same files), and the events and the offline generator's corpus carry the same
resumes. Each check here fails when a copy drifts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from careercoach.models.resume import ResumeInput
from local.runtime import LocalRuntime
from tests.e2e.conftest import ROOT, open_page, screenshot
from tests.e2e.test_web_handler import asset_event, invoke
from tests.support.lambda_support import load_event

SAMPLES = ROOT / "samples"
WEB = ROOT / "functions" / "web"
# Each sample, the event that creates it (events/resumes/) and the page's button that loads it.
CASES = [
    ("resume-ko-backend.json", "create-rich.json", "sample-rich-ko"),
    ("resume-en-frontend.json", "create-rich-en.json", "sample-rich-en"),
    ("resume-short-form.json", "create-short.json", "sample-short"),
]


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def test_the_samples_are_valid_resumes_in_both_forms() -> None:
    assert sorted(path.name for path in SAMPLES.glob("*.json")) == sorted(name for name, _, _ in CASES)
    for name, _, _ in CASES:
        ResumeInput.model_validate(sample(name))
    assert "career_summary" in sample("resume-short-form.json")  # the short form
    assert "work_experiences" in sample("resume-ko-backend.json")  # the rich form


@pytest.mark.parametrize(("name", "event", "_button"), CASES)
def test_events_carry_the_same_resume(name: str, event: str, _button: str) -> None:
    assert json.loads(load_event(f"resumes/{event}")["body"]) == sample(name)


@pytest.mark.parametrize(("name", "_event", "_button"), CASES)
def test_the_offline_corpus_holds_the_same_files(name: str, _event: str, _button: str) -> None:
    assert (ROOT / "tests" / "corpus" / name).read_bytes() == (SAMPLES / name).read_bytes()


@pytest.mark.parametrize(("name", "_event", "_button"), CASES)
def test_the_web_function_serves_the_files_themselves(name: str, _event: str, _button: str) -> None:
    response = invoke(asset_event(name))
    assert response["statusCode"] == 200
    assert {k.lower(): v for k, v in response["headers"].items()}["content-type"] == "application/json"
    assert response["body"] == (SAMPLES / name).read_text(encoding="utf-8")


def test_the_function_directory_links_to_the_samples() -> None:
    link = WEB / "samples"
    assert link.is_symlink() and os.readlink(link) == "../../samples"
    assert link.resolve() == SAMPLES.resolve()


def _build(scratch: Path, artifacts: Path) -> None:
    """What `sam build` runs for BuildMethod: makefile: the Makefile's build-<LogicalId> target with
    ARTIFACTS_DIR set (created beforehand), in `scratch` (aws-lambda-builders' CustomMakeWorkflow), naming the
    checkout's Makefile."""
    artifacts.mkdir()
    make = shutil.which("make")
    assert make is not None, "make is needed to build the functions"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [make, "--makefile", str(WEB / "Makefile"), "build-WebFunction"],
        cwd=scratch,
        env={**os.environ, "ARTIFACTS_DIR": str(artifacts)},
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("where", ["scratch copy", "in source"])
def test_the_build_ships_the_samples(where: str, tmp_path: Path) -> None:
    """sam build copies the function's directory to a scratch directory, following links (CopySourceAction
    without maintain_symlinks), then runs make there; --build-in-source runs make in the checkout."""
    artifacts = tmp_path / "artifacts"
    if where == "scratch copy":
        scratch = tmp_path / "scratch"
        shutil.copytree(WEB, scratch, symlinks=False)
        _build(scratch, artifacts)
    else:
        _build(WEB, artifacts)
    shipped = artifacts / "samples"
    assert not shipped.is_symlink()
    assert sorted(path.name for path in shipped.iterdir()) == sorted(name for name, _, _ in CASES)
    for name, _, _ in CASES:
        assert (shipped / name).read_bytes() == (SAMPLES / name).read_bytes()
    for path in (WEB / "static").iterdir():
        assert (artifacts / "static" / path.name).read_bytes() == path.read_bytes()
    assert (artifacts / "app.py").read_bytes() == (WEB / "app.py").read_bytes()
    assert not (artifacts / "Makefile").exists()


def test_each_sample_button_loads_the_repository_file(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    textarea = page.get_by_test_id("resume-json")
    for name, _, button in CASES:
        page.get_by_test_id(button).click()
        expect(textarea).not_to_have_value("")
        expect(page.get_by_test_id("event-log")).to_contain_text(name)
        assert json.loads(textarea.input_value()) == sample(name), name
    screenshot(page, "sample-short-form-loaded")
