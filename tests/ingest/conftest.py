"""Helpers for the ingest fixture tests: copy a fixture case into a temporary inputs folder
(with the shared roster unless the case brings its own) and ingest it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, IngestResult, ingest_folder

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = date(2026, 6, 1)
# One folder per case; every built-in profile has at least one.
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def copy_case(case: str, target: Path, roster: bool = True) -> Path:
    """Copy fixtures/<case> into target; add the shared roster unless the case has its own."""
    shutil.copytree(FIXTURES / case, target, dirs_exist_ok=True)
    if roster and not (FIXTURES / case / "clients.csv").exists():
        shutil.copy(FIXTURES / "clients.csv", target / "clients.csv")
    return target


def check_accounting(result: IngestResult) -> None:
    """Every row read is accepted or rejected, and every reject says where and why."""
    for report in result.files:
        assert report.rows == report.accepted + report.rejected, report
        mine = [r for r in result.rejects if r.file == report.path]
        assert len(mine) == report.rejected, (report.path, mine)
    known = {f.path for f in result.files}
    for reject in result.rejects:
        assert reject.file in known
        assert reject.line >= 2, reject
        assert reject.reason, reject
        if not reject.reason.startswith("the row has"):  # a shape problem concerns the whole row
            assert reject.column, reject
    entities = {}
    for report in result.files:
        entities[report.entity] = entities.get(report.entity, 0) + report.accepted
    for entity, records in result.records.items():
        assert len(records) == entities.get(entity, 0), entity
    for entity, records in result.references.items():
        assert len(records) == entities.get(entity, 0), entity


@pytest.fixture
def ingest_case(tmp_path):
    """ingest_case("pswarranty") -> IngestResult for that fixture folder, accounting checked."""

    def run(case: str, roster: bool = True, **options) -> IngestResult:
        inputs = copy_case(case, tmp_path / case, roster)
        result = ingest_folder(inputs, IngestOptions(as_of=options.pop("as_of", AS_OF), **options))
        check_accounting(result)
        return result

    return run
