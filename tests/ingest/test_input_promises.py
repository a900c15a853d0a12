"""Inputs that used to be read wrongly and silently: links out of the inputs folder, UTF-16 without a byte
order mark, a roster that contradicts itself, a workbook whose rows repeat one row number."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest_folder
from tests.conftest import run_cli

AS_OF = date(2026, 11, 20)
ROSTER = "name,aliases,domains\nSunrise Pediatrics,SUNRISE PEDS,sunrisepeds.com\n"
HEADER = "client,hostname,device_type,os,serial\n"


def _hosts(result) -> set[str]:
    return {r["hostname"] for r in result.records.get("device", [])}


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    """(inputs with a roster and one device file, a folder beside it that is not an input)."""
    inputs, outside = tmp_path / "inputs", tmp_path / "elsewhere"
    inputs.mkdir()
    outside.mkdir()
    (inputs / "clients.csv").write_text(ROSTER)
    (inputs / "devices.csv").write_text(HEADER + "Sunrise Pediatrics,SP-INSIDE,desktop,Windows 11 Pro,S1\n")
    (outside / "devices.csv").write_text(HEADER + "Sunrise Pediatrics,SP-OUTSIDE,desktop,Windows 11 Pro,S2\n")
    (outside / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (outside / "rmm").mkdir()
    (outside / "rmm" / "more.csv").write_text(HEADER + "Sunrise Pediatrics,SP-FOLDER,desktop,Windows 11 Pro,S3\n")
    os.symlink(outside / "devices.csv", inputs / "linked.csv")
    os.symlink(outside / "passwd.txt", inputs / "passwd.txt")
    os.symlink(outside / "rmm", inputs / "rmm")
    os.symlink(inputs / "devices.csv", inputs / "same-folder-link.csv")  # inside: read as before
    return inputs, outside


def test_links_leading_out_of_the_inputs_folder_are_skipped_with_a_reason(folders):
    inputs, outside = folders
    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF))
    assert _hosts(result) == {"SP-INSIDE"}
    skipped = {u.path: u.error for u in result.unrecognised}
    assert set(skipped) == {"linked.csv", "passwd.txt", "rmm"}
    for path, error in skipped.items():
        assert "symbolic link" in error and "outside --inputs" in error and str(outside) in error, path
        assert "follow_symlinks_outside" in error
    assert "a folder" in skipped["rmm"] and "a file" in skipped["linked.csv"]
    assert "root:x" not in repr(result.records) + repr(result.rejects)


def test_links_out_of_the_inputs_folder_are_read_when_the_setting_allows(folders):
    inputs, _outside = folders
    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF, follow_symlinks_outside=True))
    assert _hosts(result) == {"SP-INSIDE", "SP-OUTSIDE", "SP-FOLDER"}
    assert [u.path for u in result.unrecognised] == ["passwd.txt"]  # read, and no known format


def test_vcio_validate_and_the_manifest_report_a_skipped_link(folders, tmp_path):
    inputs, _outside = folders
    result = run_cli("validate", "--inputs", str(inputs), "--as-of", AS_OF.isoformat())
    assert result.returncode == 1, result.stdout + result.stderr
    assert "linked.csv" in result.stdout and "symbolic link" in result.stdout


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, encoding):
    (tmp_path / "clients.csv").write_text(ROSTER)
    text = HEADER + "Sunrise Pediatrics,SP-Ü16,desktop,Windows 11 Pro,U1\r\nSUNRISE PEDS,SP-U17,laptop,macOS 14,U2\r\n"
    (tmp_path / "devices.csv").write_bytes(text.encode(encoding))
    result = ingest_folder(tmp_path, IngestOptions(as_of=AS_OF))
    assert result.unrecognised == []
    assert _hosts(result) == {"SP-Ü16", "SP-U17"}
    report = next(f for f in result.files if f.path == "devices.csv")
    assert report.encoding == encoding and report.accepted == 2 and report.rejected == 0


def test_binary_junk_with_nul_bytes_is_still_binary(tmp_path):
    (tmp_path / "clients.csv").write_text(ROSTER)
    (tmp_path / "junk.csv").write_bytes(bytes(range(256)) * 20)
    result = ingest_folder(tmp_path, IngestOptions(as_of=AS_OF))
    assert [(u.path, "binary" in (u.error or "")) for u in result.unrecognised] == [("junk.csv", True)]


def _workbook_with_one_row_number(rows: list[list[str]]) -> bytes:
    """Every data row written with row number 2 (r="2"), as some exporters do."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<row r="[3-9]"', b'<row r="2"', data)
                data = re.sub(rb'r="([A-Z]+)[3-9]"', rb'r="\g<1>2"', data)
            zout.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_whose_rows_repeat_one_row_number_loses_no_row_and_says_so(tmp_path):
    (tmp_path / "clients.csv").write_text(ROSTER)
    rows = [HEADER.strip().split(",")] + [["Sunrise Pediatrics", f"SP-X{i}", "desktop", "Windows 11 Pro", f"X{i}"]
                                          for i in range(1, 5)]
    (tmp_path / "devices.xlsx").write_bytes(_workbook_with_one_row_number(rows))
    result = ingest_folder(tmp_path, IngestOptions(as_of=AS_OF))
    assert _hosts(result) == {"SP-X1", "SP-X2", "SP-X3", "SP-X4"}
    report = next(f for f in result.files if f.path == "devices.xlsx")
    assert report.rows == 4 and report.accepted == 4
    assert any(w.startswith("3 rows of the sheet repeat a row number") and "row 2" in w for w in report.warnings)


CONFLICTS = {
    "the same client twice": ("name,aliases,domains\nSunrise Pediatrics,,sunrisepeds.com\nBluebird,,bluebird.com\n"
                              "sunrise pediatrics,,\n",
                              "client 'sunrise pediatrics' is listed twice: clients.csv:2 and clients.csv:4"),
    "one alias on two clients": ("name,aliases,domains\nSunrise Pediatrics,SP;Sunrise,sunrisepeds.com\n"
                                 "Sunrise Dental,Sunrise,sunrisedental.com\n",
                                 "name or alias 'Sunrise' belongs to two clients: 'Sunrise Pediatrics' "
                                 "(clients.csv:2) and 'Sunrise Dental' (clients.csv:3)"),
    "an alias that is another client's name": ("name,aliases,domains\nSunrise Pediatrics,,\nBluebird,Sunrise Pediatrics,\n",
                                               "name or alias 'Sunrise Pediatrics' belongs to two clients: 'Sunrise "
                                               "Pediatrics' (clients.csv:2) and 'Bluebird' (clients.csv:3)"),
    "one domain on two clients": ("name,aliases,domains\nSunrise Pediatrics,,sunrisepeds.com\n"
                                  "Bluebird,,bluebird.com;SunrisePeds.com\n",
                                  "domain 'SunrisePeds.com' belongs to two clients: 'Sunrise Pediatrics' "
                                  "(clients.csv:2) and 'Bluebird' (clients.csv:3)"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CONFLICTS))
def test_a_roster_that_contradicts_itself_is_an_error_naming_both_rows(tmp_path, case):
    roster, message = CONFLICTS[case]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "clients.csv").write_text(roster)
    (inputs / "devices.csv").write_text(HEADER + "Sunrise Pediatrics,SP-1,desktop,Windows 11 Pro,S1\n")
    assert ingest_folder(inputs, IngestOptions(as_of=AS_OF)).roster_errors == [message]
    validate = run_cli("validate", "--inputs", str(inputs), "--as-of", AS_OF.isoformat())
    assert validate.returncode == 2 and message in validate.stderr, validate.stdout + validate.stderr
    run = run_cli("run", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--as-of", AS_OF.isoformat(),
                  "--all", "--jobs", "1")
    assert run.returncode == 2 and message in run.stderr, run.stderr
    assert not list((tmp_path / "out").rglob("*.docx"))
