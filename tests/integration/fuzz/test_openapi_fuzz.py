"""Every operation of every function's OpenAPI document, fuzzed over loopback HTTP (see conftest.py)."""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis import Case

from tests.integration.fuzz.conftest import CHECKS, DOCUMENTS, FuzzRun, FuzzStats

schema = schemathesis.pytest.from_fixture("fuzz_schema")


@schema.parametrize()
def test_operation_conforms(case: Case, fuzz_run: FuzzRun) -> None:
    fuzz_run(case)


def test_every_operation_was_fuzzed(fuzz_stats: FuzzStats) -> None:
    """After the documents above (pytest runs a module's tests in order): every operation they define got
    cases, every check ran, and no failure was recorded. Skipped when only some documents were selected."""
    if set(fuzz_stats.documents) != set(DOCUMENTS):
        pytest.skip("runs after the whole fuzz module only")
    labels = [label for operations in fuzz_stats.documents.values() for label in operations]
    assert labels, "the documents define no operations"
    starved = [label for label in labels if label not in fuzz_stats.operations]
    assert not starved, f"operations that got no cases: {starved}"
    assert {check.__name__ for check in CHECKS} <= set(fuzz_stats.checks)
    if fuzz_stats.failures:
        pytest.fail(
            f"{len(fuzz_stats.failures)} failures (test-artifacts/fuzz/summary.json):\n\n"
            + "\n\n".join(
                f"{item['operation']}: {item['failure']}\n{item['message']}\n{item['reproduce']}"
                for item in fuzz_stats.failures
            ),
            pytrace=False,
        )
