"""Import resumes exported from the original system's MongoDB `resumes` collection.

    mongoexport --uri="$ORIGINAL_MONGODB_URL" --collection=resumes --out=resumes.json
    MONGODB_URI=mongodb://... MONGODB_DATABASE=careercoach \\
        .venv/bin/python -m migration.import_resumes resumes.json --map keys.jsonl [--owner SUB] [--dry-run]

The target is the database the functions use, from the same settings they read (`MONGODB_URI`, or
`MONGODB_URI_SOURCE` naming a Secrets Manager secret or SSM parameter; `MONGODB_DATABASE`). Each document is
validated as a POST body is, gets a new random key, keeps its `created_at`/`updated_at`, and is stored under
`--owner` (default: the anonymous owner of a deployment without authentication). A second run of the same
export imports nothing twice (careercoach.resumes.ResumeImporter).

Standard output gets one JSON report: counts, and for each rejected document its line and field errors
(locations and messages only, never values). `--map FILE` writes one JSON line per imported document,
{"original_unique_key", "unique_key", "outcome"}, so references to the old `<name>_<n>` keys can be updated;
the old keys hold names, so that file is personal data: keep it as carefully as the export itself.
Exit status: 0 when every document was imported (or had been), 1 when any was rejected, 2 when the import
could not run (unreadable file, database unreachable); a run stopped midway can simply be run again.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "layers" / "core") not in sys.path:
    sys.path.insert(0, str(ROOT / "layers" / "core"))

from careercoach import container  # noqa: E402
from careercoach.auth import ANONYMOUS  # noqa: E402
from careercoach.errors import AppError  # noqa: E402
from careercoach.resumes import ImportResult, ResumeImporter  # noqa: E402
from careercoach.storage.resumes import MongoImportLedger, read_mongoexport  # noqa: E402


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m migration.import_resumes",
        description="Import resumes exported (mongoexport) from the original system's `resumes` collection.",
    )
    parser.add_argument("export", help="mongoexport output: JSON lines or --jsonArray; '-' reads stdin")
    parser.add_argument(
        "--owner",
        default=ANONYMOUS,
        help="the owner (a token's sub) the resumes are stored under; default: the anonymous owner",
    )
    parser.add_argument(
        "--map", type=Path, help="write {original_unique_key, unique_key, outcome} lines here"
    )
    parser.add_argument("--dry-run", action="store_true", help="validate every document, store nothing")
    return parser.parse_args(argv)


def _rejection(line: int, result: ImportResult | None) -> dict[str, Any]:
    if result is None:
        errors = [{"loc": ["line"], "msg": "not an Extended JSON object", "type": "json_invalid"}]
        return {"line": line, "errors": errors}
    return {"line": line, "source_id": result.source_id, "errors": list(result.errors)}


def run(
    lines: Sequence[str], importer: ResumeImporter, *, owner: str, dry_run: bool, mapping: TextIO | None
) -> tuple[dict[str, Any], bool]:
    """Import every document; the report, and whether all of them went in (or were in already)."""
    outcomes: Counter[str] = Counter()
    rejected: list[dict[str, Any]] = []
    blanks = 0
    for line, document in read_mongoexport(lines):
        if document is None:
            outcomes["rejected"] += 1
            rejected.append(_rejection(line, None))
            continue
        result = importer.run(document, owner=owner, dry_run=dry_run)
        outcomes[result.outcome] += 1
        blanks += result.blanks_dropped
        if result.outcome == "rejected":
            rejected.append(_rejection(line, result))
        elif mapping is not None and result.unique_key is not None:
            record = {
                "original_unique_key": result.original_key,
                "unique_key": result.unique_key,
                "outcome": result.outcome,
            }
            mapping.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = {
        "documents": sum(outcomes.values()),
        **{outcome: outcomes[outcome] for outcome in ("imported", "already_imported", "valid", "rejected")},
        "blank_strings_dropped": blanks,
        "dry_run": dry_run,
        "rejections": rejected,
    }
    return report, not rejected


def main(argv: Sequence[str] | None = None, *, database: Any = None, stdout: TextIO | None = None) -> int:
    """The command; `database` replaces the configured one (tests pass an in-memory one)."""
    arguments = _arguments(argv)
    out = stdout or sys.stdout
    if arguments.export == "-":
        lines = sys.stdin.readlines()
    else:
        try:
            lines = Path(arguments.export).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"cannot read {arguments.export}: {type(exc).__name__}", file=sys.stderr)
            return 2
    environment = container.current() if database is None else container.Container(database=database)
    importer = ResumeImporter(environment.resumes, MongoImportLedger(environment.database))
    mapping = arguments.map.open("w", encoding="utf-8") if arguments.map is not None else None
    try:
        report, complete = run(
            lines, importer, owner=arguments.owner, dry_run=arguments.dry_run, mapping=mapping
        )
    except AppError as error:  # the database is unreachable or not configured: nothing more can be done
        print(f"import stopped: {error.message}", file=sys.stderr)
        return 2
    finally:
        if mapping is not None:
            mapping.close()
    out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
