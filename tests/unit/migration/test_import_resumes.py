"""migration/import_resumes.py against mongomock: documents of the original `resumes` collection, written
as `mongoexport` writes them (Extended JSON lines or an array, relaxed or canonical), imported into the
database the functions use, then read back through the Resumes function itself."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from bson import json_util

from careercoach import container
from careercoach.auth import ANONYMOUS
from migration.import_resumes import main
from tests.support.lambda_support import (
    FakeLambdaContext,
    json_body,
    load_event,
    load_function,
    with_path_key,
)
from tests.support.original_system import (
    CREATED,
    EXPORTED_WITH_BLANKS,
    ORIGINAL_EXAMPLE_RESUME,
    ORIGINAL_MINIMAL_RESUME,
    differences,
    stored_document,
)

IDS = ("66a1f0c2e4b0a1b2c3d4e5f6", "66a1f0c2e4b0a1b2c3d4e5f7", "66a1f0c2e4b0a1b2c3d4e5f8")


def export(
    documents: list[dict[str, Any]], tmp_path: Path, *, mode: str = "relaxed", array: bool = False
) -> Path:
    """What `mongoexport [--jsonFormat=canonical] [--jsonArray]` writes for these documents."""
    options = json_util.CANONICAL_JSON_OPTIONS if mode == "canonical" else json_util.RELAXED_JSON_OPTIONS
    lines = [json_util.dumps(document, json_options=options, ensure_ascii=False) for document in documents]
    path = tmp_path / f"resumes-{mode}{'-array' if array else ''}.json"
    path.write_text("[" + ",".join(lines) + "]" if array else "\n".join(lines) + "\n", encoding="utf-8")
    return path


def originals() -> list[dict[str, Any]]:
    return [
        stored_document(ORIGINAL_EXAMPLE_RESUME, IDS[0], "한서버_1", CREATED),
        stored_document(ORIGINAL_MINIMAL_RESUME, IDS[1], "최소한_1", CREATED),
    ]


def run(*argv: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    status = main(list(argv), database=container.current().database, stdout=out)
    return status, json.loads(out.getvalue())


def read_back(unique_key: str) -> dict[str, Any]:
    """GET /api/v1/resumes/{unique_key} through the Resumes function (auth off: the anonymous owner)."""
    event = with_path_key(load_event("resumes/get.json"), unique_key)
    response = load_function("resumes").lambda_handler(
        event, FakeLambdaContext(function_name="ResumesFunction")
    )
    assert response["statusCode"] == 200, response
    body: dict[str, Any] = json_body(response)
    return body


def mapping(path: Path) -> dict[str, dict[str, Any]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {line["original_unique_key"]: line for line in lines}


@pytest.mark.parametrize(("mode", "array"), [("relaxed", False), ("canonical", False), ("relaxed", True)])
def test_an_export_is_imported_whole_with_new_keys_and_its_timestamps(
    tmp_path: Path, mode: str, array: bool
) -> None:
    keys = tmp_path / "keys.jsonl"
    status, report = run(str(export(originals(), tmp_path, mode=mode, array=array)), "--map", str(keys))
    assert status == 0, report
    assert (report["documents"], report["imported"], report["rejected"]) == (2, 2, 0)

    new = mapping(keys)
    assert set(new) == {"한서버_1", "최소한_1"}
    resume = read_back(new["한서버_1"]["unique_key"])
    # Every field under its original name, nulls included; the stored shape only adds empty fields.
    stored = {
        k: v for k, v in resume.items() if k not in ("unique_key", "created_at", "updated_at", "language")
    }
    assert differences(ORIGINAL_EXAMPLE_RESUME, stored) == []
    assert resume["unique_key"] != "한서버_1" and len(resume["unique_key"]) == 22
    assert resume["created_at"] == resume["updated_at"] == "2025-08-01T09:30:15.123Z"
    assert read_back(new["최소한_1"]["unique_key"])["activities"] == []


def test_a_second_run_imports_nothing_twice(tmp_path: Path) -> None:
    path = export(originals(), tmp_path)
    first_keys, second_keys = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert run(str(path), "--map", str(first_keys))[0] == 0
    status, report = run(str(path), "--map", str(second_keys))
    assert status == 0 and (report["imported"], report["already_imported"]) == (0, 2)
    assert {k: v["unique_key"] for k, v in mapping(first_keys).items()} == {
        k: v["unique_key"] for k, v in mapping(second_keys).items()
    }
    assert container.current().database["resumes"].count_documents({}) == 2


def test_a_resume_deleted_after_its_import_is_not_brought_back(tmp_path: Path) -> None:
    path = export(originals()[:1], tmp_path)
    keys = tmp_path / "keys.jsonl"
    run(str(path), "--map", str(keys))
    container.current().resumes.delete(mapping(keys)["한서버_1"]["unique_key"], owner=ANONYMOUS)
    status, report = run(str(path))
    assert status == 0 and report["already_imported"] == 1
    assert container.current().database["resumes"].count_documents({}) == 0


def test_an_import_interrupted_after_the_ledger_completes_on_the_next_run(tmp_path: Path) -> None:
    # The ledger holds the new key before the resume is written: a crash in between leaves a claimed,
    # uncompleted entry, and the next run stores the resume under that same key.
    database = container.current().database
    database["resume_imports"].insert_one(
        {"_id": f"id:{IDS[0]}", "unique_key": "A" * 22, "owner": ANONYMOUS, "completed": False}
    )
    status, report = run(str(export(originals()[:1], tmp_path)))
    assert status == 0 and report["imported"] == 1
    assert read_back("A" * 22)["name"] == "한서버"
    assert database["resume_imports"].find_one({"_id": f"id:{IDS[0]}"})["completed"] is True


def test_blank_strings_the_original_let_through_are_dropped_and_counted(tmp_path: Path) -> None:
    keys = tmp_path / "keys.jsonl"
    document = stored_document(EXPORTED_WITH_BLANKS, IDS[2], "한서버_2", CREATED)
    status, report = run(str(export([document], tmp_path)), "--map", str(keys))
    assert status == 0 and report["blank_strings_dropped"] == 3
    resume = read_back(mapping(keys)["한서버_2"]["unique_key"])
    assert resume["contact"]["portfolio"] is None and resume["contact"]["linkedin"] is None
    assert resume["personal_projects"][1]["demo_url"] is None


def test_bad_documents_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    broken = stored_document(ORIGINAL_EXAMPLE_RESUME, IDS[2], "한서버_3", CREATED)
    broken["personal_projects"][0]["stars"] = 12  # a field of neither form
    broken["activities"][0]["url"] = "not a url"
    broken["summary"] = "   "  # blank: dropped, so reported as missing
    path = export([originals()[0], broken], tmp_path)
    with path.open("a", encoding="utf-8") as file:
        file.write("{not json\n")
    status, report = run(str(path))
    assert status == 1
    assert (report["documents"], report["imported"], report["rejected"]) == (3, 1, 2)
    first, second = report["rejections"]
    assert first["line"] == 2 and first["source_id"] == f"id:{IDS[2]}"
    locations = {tuple(error["loc"]) for error in first["errors"]}
    assert ("document", "personal_projects", 0, "stars") in locations
    assert ("document", "activities", 0, "url") in locations
    assert second == {
        "line": 3,
        "errors": [{"loc": ["line"], "msg": "not an Extended JSON object", "type": "json_invalid"}],
    }
    # Field errors name places, never values: nothing of the resume is echoed.
    assert "not a url" not in json.dumps(report) and "한서버" not in json.dumps(report)
    assert container.current().database["resumes"].count_documents({}) == 1


def test_owner_and_dry_run(tmp_path: Path) -> None:
    path = export(originals(), tmp_path)
    status, report = run(str(path), "--dry-run")
    assert status == 0 and (report["valid"], report["imported"]) == (2, 0)
    database = container.current().database
    assert database["resumes"].count_documents({}) == 0
    assert database["resume_imports"].count_documents({}) == 0

    assert run(str(path), "--owner", "alice")[0] == 0
    assert {d["owner"] for d in database["resumes"].find({}, {"owner": 1})} == {"alice"}
    page = container.current().resumes.list(owner="alice", limit=10, cursor=None, name="한서버")
    assert [item.name for item in page.items] == ["한서버"]


def test_a_document_without_an_id_is_recognised_by_a_hash_of_its_key(tmp_path: Path) -> None:
    document = copy.deepcopy(originals()[0])
    del document["_id"]
    path = export([document], tmp_path)
    run(str(path))
    (entry,) = container.current().database["resume_imports"].find({})
    assert entry["_id"].startswith("key-sha256:") and "한서버" not in entry["_id"]
    assert run(str(path))[1]["already_imported"] == 1


def test_an_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    assert main([str(tmp_path / "missing.json")], database=container.current().database) == 2
