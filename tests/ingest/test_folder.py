"""Folder-level behaviour: what is read and what is ignored, unrecognised and unreadable
files, per-file format overrides, stale-data warnings, and the accounting of a whole
folder holding every fixture at once."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ProfileError, discover, ingest_folder

from .conftest import AS_OF, CASES, FIXTURES, check_accounting, copy_case


def put(root: Path, relative: str, data: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.lstrip("\n").encode("utf-8"))
    return path


def ingest(root: Path, **options):
    result = ingest_folder(root, IngestOptions(as_of=options.pop("as_of", AS_OF), **options))
    check_accounting(result)
    return result


def roster(root: Path) -> None:
    put(root, "clients.csv", (FIXTURES / "clients.csv").read_bytes())


DATTO = "Device Hostname,Site Name,Operating System,Security,Last Seen\n"


def test_configuration_and_documentation_files_are_ignored_by_design(tmp_path):
    roster(tmp_path)
    put(tmp_path, "rmm/DeviceDetailsExport.csv", DATTO + "A-1,Acme Dental,Windows 11,Defender: running,2026-05-30 10:00:00 CAT\n")
    for name in ["README.md", "readme.txt", "README.TXT", "notes.txt", "vcio.toml", "inputs.pdf", "rmm/README.md",
                 ".hidden.csv", ".git/config.csv", "profiles/mine.toml", "profiles/examples.csv",
                 "config/settings.csv", "lifecycle/windows.json", "__pycache__/x.csv", "m365/.DS_Store"]:
        put(tmp_path, name, "this,is,not\ndata,at,all\n")
    put(tmp_path, "profiles/mine.toml", 'name = "mine"\nentity = "device"\nrequired = ["Zork"]\n[columns]\nhostname = "Zork"\n')
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == ["clients.csv", "rmm/DeviceDetailsExport.csv"]
    result = ingest(tmp_path)
    assert [f.path for f in result.files] == ["clients.csv", "rmm/DeviceDetailsExport.csv"]
    assert result.unrecognised == []


def test_unrecognised_files_name_the_closest_format_and_its_missing_columns(tmp_path):
    roster(tmp_path)
    put(tmp_path, "rmm/DeviceDetailsExport.csv", "Device Hostname,Site Name,Operating System,Last Seen\nA-1,Acme Dental,W11,\n")
    put(tmp_path, "pax8/subs.csv", "companyName,productName,quantity\nACME DENTAL,M365 BP,3\n")
    put(tmp_path, "misc/inventory.csv", "Asset,Owner,Room\nlamp,Ann,3\n")
    result = ingest(tmp_path)
    got = {u.path: (u.closest_format, u.missing_columns, u.error) for u in result.unrecognised}
    assert got == {
        "rmm/DeviceDetailsExport.csv": ("datto_rmm_device_details", ["Security"], None),
        "pax8/subs.csv": ("pax8_subscriptions", ["billingTerm", "partnerCost"], None),
        # nothing in common with any profile: naming one would mislead
        "misc/inventory.csv": (None, [], None),
    }
    assert [f.path for f in result.files] == ["clients.csv"]


def _damaged_workbook(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Serial", "Warranty Product name", "EndDate", "Warranty Status"])
    workbook.active.append(["GLJD9R6", "ProSupport", "2024-06-12", "Expired"])
    good = path.with_suffix(".tmp")
    workbook.save(good)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # truncated XML: only found when the rows are read
            target.writestr(name, data)
    good.unlink()


def test_unreadable_files_are_unrecognised_with_the_reason(tmp_path):
    roster(tmp_path)
    put(tmp_path, "empty.csv", b"")
    put(tmp_path, "blank.csv", b"\r\n  \r\n\t\r\n")
    put(tmp_path, "binary.csv", b"PK\x03\x04\x00\x00binary")
    put(tmp_path, "notaworkbook.xlsx", b"this is a csv renamed to .xlsx\n")
    _damaged_workbook(tmp_path / "damaged.xlsx")
    result = ingest(tmp_path)
    errors = {u.path: u.error for u in result.unrecognised}
    assert set(errors) == {"empty.csv", "blank.csv", "binary.csv", "notaworkbook.xlsx", "damaged.xlsx"}
    assert "empty" in errors["empty.csv"] and "empty" in errors["blank.csv"]
    assert "binary" in errors["binary.csv"]  # UTF-16 without a byte order mark is read: test_input_promises.py
    assert "workbook cannot be opened" in errors["notaworkbook.xlsx"]
    assert "cannot be read" in errors["damaged.xlsx"]
    assert all(u.closest_format is None for u in result.unrecognised)


def test_a_header_only_file_is_recognised_with_no_rows(tmp_path):
    roster(tmp_path)
    put(tmp_path, "decisions.csv", "client,item_id,decision,decided_on,decided_by,note,revisit_quarter\n\n\n")
    result = ingest(tmp_path)
    report = next(f for f in result.files if f.path == "decisions.csv")
    assert (report.format, report.rows, report.accepted, report.rejected) == ("vcio_decisions", 0, 0, 0)


def test_a_format_override_picks_the_profile_for_matching_files_only(tmp_path):
    roster(tmp_path)
    # Both Datto profiles fit this header; detection prefers Device Details.
    header = "Device Hostname,Site Name,Operating System,Security,Patch Status,Patches Installed\n"
    body = "A-1,Acme Dental,Windows 11,Defender: running,Reboot Required,12\n"
    put(tmp_path, "rmm/combined.csv", header + body)
    put(tmp_path, "rmm/other/combined.csv", header + body)
    detected = ingest(tmp_path)
    assert {f.path: f.format for f in detected.files if f.path != "clients.csv"} == {
        "rmm/combined.csv": "datto_rmm_device_details", "rmm/other/combined.csv": "datto_rmm_device_details"}

    forced = ingest(tmp_path, format_overrides={"rmm/combined.csv": "datto_rmm_patch_summary"})
    formats = {f.path: f.format for f in forced.files if f.path != "clients.csv"}
    assert formats == {"rmm/combined.csv": "datto_rmm_patch_summary", "rmm/other/combined.csv": "datto_rmm_device_details"}
    patched = [r for r in forced.records["device"] if r["_src"].startswith("rmm/combined.csv")]
    assert [(r["patch_status"], r["patches_installed"], r["client"]) for r in patched] == [("reboot_required", 12, "Acme Dental")]


def test_a_format_override_reads_a_file_no_profile_recognises(tmp_path):
    roster(tmp_path)
    put(tmp_path, "custom/export-1.csv", "client,hostname,os\nAcme Dental,A-1,Windows 11\n")
    assert ingest(tmp_path).unrecognised[0].path == "custom/export-1.csv"
    result = ingest(tmp_path, format_overrides={"custom/export-*.csv": "vcio_devices"})
    assert result.unrecognised == []
    [record] = result.records["device"]
    assert (record["client"], record["hostname"], record["os"]) == ("Acme Dental", "A-1", "Windows 11")


def test_a_format_override_naming_no_profile_is_an_error(tmp_path):
    roster(tmp_path)
    put(tmp_path, "custom/x.csv", "a,b\n1,2\n")
    with pytest.raises(ProfileError) as info:
        ingest(tmp_path, format_overrides={"custom/*.csv": "no_such_profile"})
    assert "no_such_profile" in str(info.value) and "custom/*.csv" in str(info.value)


def test_a_forced_format_that_does_not_fit_rejects_rows_with_reasons(tmp_path):
    roster(tmp_path)
    put(tmp_path, "custom/x.csv", "a,b\n1,2\n3,4\n")
    result = ingest(tmp_path, format_overrides={"custom/x.csv": "vcio_devices"})
    report = next(f for f in result.files if f.path == "custom/x.csv")
    assert (report.rows, report.accepted, report.rejected) == (2, 0, 2)
    assert {r.reason for r in result.rejects} == {"no hostname or serial: the row identifies nothing"}


@pytest.mark.parametrize("days_old, stale_days, stale", [
    (30, 30, False),  # exactly on the limit: still fresh
    (31, 30, True),
    (45, 60, False),
    (0, 30, False),
])
def test_stale_data_warning(tmp_path, days_old, stale_days, stale):
    roster(tmp_path)
    newest = AS_OF - timedelta(days=days_old)
    older = newest - timedelta(days=10)
    put(tmp_path, "rmm/DeviceDetailsExport.csv", DATTO
        + f"A-1,Acme Dental,Windows 11,Defender: running,{older.isoformat()} 10:00:00 CAT\n"
        + f"A-2,Acme Dental,Windows 11,Defender: running,{newest.isoformat()} 23:59:59 CAT\n"
        + "A-3,Acme Dental,Windows 11,Defender: running,\n")
    result = ingest(tmp_path, stale_days=stale_days)
    report = next(f for f in result.files if f.path == "rmm/DeviceDetailsExport.csv")
    assert report.newest_date == newest.isoformat()
    expected = (f"stale data: this file was observed on {newest.isoformat()} (newest timestamp), more than "
                f"{stale_days} days before {AS_OF.isoformat()}")
    assert (expected in report.warnings) is stale
    assert report.stale is stale
    assert (report.observed_on, report.observed_from) == (newest.isoformat(), "newest timestamp")
    assert not any(w.startswith("stale") for w in report.warnings) or stale


def test_the_report_refresh_date_is_the_observation_date_not_the_newest_activity(tmp_path):
    roster(tmp_path)
    put(tmp_path, "m365/acmedental.com/ActiveUserDetail.csv",
        "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Exchange Last Activity Date,Assigned Products\n"
        "2026-11-20,ann@acmedental.com,Ann,False,2026-11-17,MICROSOFT 365 BUSINESS PREMIUM\n")
    report = next(f for f in ingest(tmp_path).files if f.path.endswith("ActiveUserDetail.csv"))
    assert (report.observed_on, report.observed_from) == ("2026-11-20", "report date")


def test_a_file_dated_only_by_its_modification_time_is_never_called_stale(tmp_path):
    roster(tmp_path)
    path = put(tmp_path, "warranty/pswarranty.csv",
               "Serial,Warranty Product name,StartDate,EndDate,Warranty Status,Client\nX1,ProSupport,2010-01-01,"
               "2013-01-01,Expired,Acme Dental\n")
    old = datetime(2020, 3, 4, 12, 0).timestamp()
    os.utime(path, (old, old))
    report = next(f for f in ingest(tmp_path, as_of=date(2030, 1, 1)).files if f.path == "warranty/pswarranty.csv")
    assert (report.observed_on, report.observed_from) == ("2020-03-04", "file modified")
    assert not report.stale and not any(w.startswith("stale") for w in report.warnings)


def test_files_without_a_freshness_date_get_no_stale_warning(tmp_path):
    roster(tmp_path)
    put(tmp_path, "warranty/pswarranty.csv",
        "Serial,Warranty Product name,StartDate,EndDate,Warranty Status,Client\nX1,ProSupport,2010-01-01,2013-01-01,Expired,Acme Dental\n")
    result = ingest(tmp_path, as_of=date(2030, 1, 1))
    report = next(f for f in result.files if f.path == "warranty/pswarranty.csv")
    assert report.newest_date is None and report.warnings == []


def test_duplicate_headers_and_unbalanced_quotes_are_warned_about(tmp_path):
    roster(tmp_path)
    put(tmp_path, "other/devices.csv", 'client,hostname,device_type,os,os\nAcme Dental,A-1,desktop,Windows 11,Linux\n'
                                        'Acme Dental,"A-2,desktop,Windows 11,W\nAcme Dental,A-3,desktop,W,W\n')
    result = ingest(tmp_path)
    report = next(f for f in result.files if f.path == "other/devices.csv")
    assert any(w.startswith("duplicate column headers ['os']") for w in report.warnings)
    assert any(w.startswith("unbalanced quotes") for w in report.warnings)
    first = next(r for r in result.records["device"] if r["hostname"] == "A-1")
    assert first["os"] == "Windows 11"  # the first of two equal headers is used


def test_a_whole_folder_of_every_fixture_accounts_for_every_row(tmp_path):
    inputs = tmp_path / "inputs"
    for case in CASES:
        if case != "vcio_clients":  # it brings its own roster
            copy_case(case, inputs)
    result = ingest(inputs)
    assert result.unrecognised == []
    assert len(result.files) == len(discover(inputs))
    assert result.rows_read == sum(f.accepted + f.rejected for f in result.files) == len(result.rejects) + sum(
        f.accepted for f in result.files)
    assert result.clients == ["Acme Dental", "Cedar & Finch LLP", "Granite Ridge Manufacturing"]
    # every accepted record names a roster client, and its source line
    for entity, records in result.records.items():
        for record in records:
            assert record["_src"].rsplit(":", 1)[1].isdigit()
            if entity != "client":
                assert record["client"] in result.clients, record
