"""The same inputs, settings and --as-of give byte-identical documents, whatever the clock or the time zone."""

from __future__ import annotations

import time
import zipfile
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from .conftest import INPUTS, SAMPLE_AS_OF, run_cli


def _documents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.suffix in {".docx", ".pptx", ".xlsx"}}


@pytest.mark.slow
def test_a_second_run_elsewhere_in_time_writes_the_same_bytes(sample_run, tmp_path):
    """A second process, in a time zone 14 hours from UTC (or 11 behind, if this one is already ahead) and
    necessarily later: every zip entry date and document property the libraries would take from the clock
    differs unless vcio dates the documents itself."""
    _, first_dir, _ = sample_run
    zone = "XYZ+11" if time.localtime().tm_gmtoff >= 12 * 3600 else "XYZ-14"  # POSIX: no time zone data needed
    second = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path), "--as-of", SAMPLE_AS_OF.isoformat(),
                     "--all", "--jobs", "2", env={"TZ": zone})
    assert second.returncode == 0, second.stderr[-2000:]
    first, again = _documents(first_dir), _documents(tmp_path / "2026-Q4")
    assert len(first) == 3 * 6 + 2
    assert sorted(again) == sorted(first)
    assert [name for name in first if first[name] != again[name]] == []


def test_documents_are_dated_with_the_review_date(sample_run):
    _, quarter_dir, _ = sample_run
    review = datetime(2026, 11, 20)
    for path in sorted(quarter_dir.rglob("*")):
        if path.suffix not in {".docx", ".pptx", ".xlsx"}:
            continue
        with zipfile.ZipFile(path) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2026, 11, 20, 0, 0, 0)}, path.name
        if path.suffix == ".xlsx":
            properties = load_workbook(path, read_only=True).properties
            assert properties.created == review, path.name
            continue
        properties = (Document(str(path)) if path.suffix == ".docx" else Presentation(str(path))).core_properties
        assert properties.created.replace(tzinfo=None) == review, path.name
        assert properties.modified.replace(tzinfo=None) == review, path.name
        assert properties.revision == 1 and properties.last_printed is None, path.name
