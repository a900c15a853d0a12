"""Acceptance: the CLI over the sample exports writes the contract's files with each client's real content."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from pipeline.runner.csvout import FINDINGS_COLUMNS

from .conftest import INPUTS

CATEGORIES = {"end_of_life", "hardware_age", "warranty", "disposal", "renewal", "license_waste", "security", "backup"}
SEVERITIES = {"critical", "high", "medium", "low"}


def read_findings(folder: Path) -> list[dict]:
    text = (folder / "findings.csv").read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == FINDINGS_COLUMNS
    return list(reader)


def client_entry(manifest: dict, name: str) -> dict:
    return next(c for c in manifest["clients"] if c["name"] == name)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pptx_text(path: Path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def test_run_succeeds_and_reports(sample_run):
    result, quarter_dir, manifest = sample_run
    assert result.returncode == 0, result.stderr[-3000:]
    assert manifest is not None
    assert "clients done" in result.stdout


def test_manifest_follows_the_contract(sample_run, expected):
    _, quarter_dir, manifest = sample_run
    for key in ("schema", "vcio_version", "quarter", "as_of", "started_at", "finished_at", "status", "inputs",
                "unrecognised_inputs", "clients"):
        assert key in manifest
    assert manifest["schema"] == 1 and manifest["quarter"] == "2026-Q4" and manifest["as_of"] == "2026-11-20"
    assert manifest["status"] == "ok"
    assert {c["name"] for c in manifest["clients"]} == set(expected)
    for entry in manifest["inputs"]:
        assert entry["rows"] == entry["accepted"] + entry["rejected"], entry["path"]
        assert not Path(entry["path"]).is_absolute()
    assert manifest["unrecognised_inputs"] == []
    for client in manifest["clients"]:
        assert client["status"] == "ok", client
        assert re.fullmatch(r"[a-z0-9-]+", client["slug"])
        assert set(client["files"]) >= {"roadmap", "qbr", "workbook", "findings"}
        for relative in client["files"].values():
            assert (quarter_dir / relative).is_file(), relative
        assert set(client["findings"]["by_category"]) <= CATEGORIES
        assert set(client["findings"]["by_severity"]) <= SEVERITIES
    names = {Path(c["files"]["roadmap"]).name for c in manifest["clients"]}
    assert "Harbor Point Dental - Roadmap - 2026-Q4.docx" in names


def test_every_row_is_accounted_for(sample_run):
    _, quarter_dir, manifest = sample_run
    rejects = list(csv.DictReader(io.StringIO((quarter_dir / "rejects.csv").read_text(encoding="utf-8-sig"))))
    assert len(rejects) == sum(f["rejected"] for f in manifest["inputs"])
    reasons = {(r["file"], r["line"]): r for r in rejects}
    bad = reasons[("psa/cw_configurations.csv", "29")]
    assert bad["column"] == "warrantyExpirationDate" and bad["value"] == "31/31/2020"
    assert "not a valid date" in bad["reason"]
    assert "identifies nothing" in reasons[("psa/cw_configurations.csv", "30")]["reason"]


def test_findings_csv_follows_the_contract(sample_run):
    _, quarter_dir, manifest = sample_run
    for client in manifest["clients"]:
        rows = read_findings(quarter_dir / client["slug"])
        assert len(rows) == sum(client["findings"]["by_severity"].values())
        ids = [r["finding_id"] for r in rows]
        assert len(ids) == len(set(ids)), "finding ids are unique within a client"
        for row in rows:
            assert row["client"] == client["name"]
            assert row["category"] in CATEGORIES and row["severity"] in SEVERITIES
            assert row["subject"] and row["title"] and row["recommendation"]
            if row["due_date"]:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["due_date"])
            if row["estimated_cost"]:
                float(row["estimated_cost"])
            for ref in row["source"].split(";"):
                path, line = ref.rsplit(":", 1)
                assert (INPUTS / path).is_file() and int(line) >= 2, ref


def test_source_references_point_at_the_record(sample_run):
    """A finding's source line is the physical line of the record in the export."""
    _, quarter_dir, _ = sample_run
    rows = read_findings(quarter_dir / "granite-ridge-manufacturing")
    erp = next(r for r in rows if r["subject"] == "GRM-ERP01" and r["category"] == "end_of_life")
    details = [ref for ref in erp["source"].split(";") if ref.startswith("rmm/DeviceDetailsExport.csv")]
    assert details
    path, line = details[0].rsplit(":", 1)
    lines = (INPUTS / path).read_text(encoding="utf-8-sig").splitlines()
    assert lines[int(line) - 1].startswith("GRM-ERP01,")


def test_end_of_life_findings_match_the_sample_stories(sample_run, expected):
    _, quarter_dir, manifest = sample_run
    for name, facts in expected.items():
        rows = read_findings(quarter_dir / client_entry(manifest, name)["slug"])
        eol = {r["subject"].upper(): r for r in rows if r["category"] == "end_of_life"}
        disposal = {r["subject"].upper() for r in rows if r["category"] == "disposal"}
        replaced = {r["subject"].upper() for r in rows if r["category"] == "hardware_age"}
        retired = set(facts["inactive_psa_hostnames"])
        for host in facts["servers_past_eol"]:
            assert eol[host]["severity"] == "critical", (name, host)
        for host in facts["windows_client_past_eol_hostnames"]:
            if host in retired:  # out of service: confirm its disposal, never budget its replacement
                assert host in disposal and host not in eol, (name, host)
            elif host not in eol:  # one remedy per device: the replacement due next quarter supersedes the update
                assert host in replaced, (name, host)
            else:
                assert host in eol and eol[host]["severity"] == "high", (name, host)
        for host in facts["servers_eol_within_12_months"]:
            assert host in eol and eol[host]["severity"] in {"medium", "low"}, (name, host)


def test_license_findings_match_the_sample_stories(sample_run, expected):
    _, quarter_dir, manifest = sample_run
    for name, facts in expected.items():
        rows = read_findings(quarter_dir / client_entry(manifest, name)["slug"])
        blocked = {r["subject"] for r in rows if r["title"].startswith("Blocked account")}
        assert blocked == set(facts["blocked_users_with_licenses"]), name
        inactive = {r["subject"] for r in rows if "inactive" in r["title"]}
        assert inactive == set(facts["inactive_90d_licensed_upns"]) - blocked, name
        spare = {r["subject"]: r for r in rows if "not assigned to anyone" in r["title"]}
        for product, seats in facts["unassigned_seats"].items():
            if seats > 0:
                assert spare[product]["title"].startswith(f"{seats} of "), (name, product)
            else:
                assert product not in spare


def test_renewal_next_quarter_says_to_right_size(sample_run, expected):
    _, quarter_dir, _ = sample_run
    rows = read_findings(quarter_dir / "northwind-logistics")
    renewal = next(r for r in rows if r["category"] == "renewal" and r["subject"] == "Microsoft 365 Business Premium")
    assert renewal["due_date"] == "2027-02-28"
    assert "Right-size" in renewal["recommendation"]
    assert "58 seats can be dropped at renewal for certain (56 unassigned, 2 on blocked accounts)" in \
        renewal["recommendation"]
    assert "up to 65 if the 7 inactive users' licences are removed too" in renewal["recommendation"]


def test_documents_reopen_with_client_specific_content(sample_run, expected):
    _, quarter_dir, manifest = sample_run
    for name, facts in expected.items():
        entry = client_entry(manifest, name)
        roadmap = docx_text(quarter_dir / entry["files"]["roadmap"])
        deck = pptx_text(quarter_dir / entry["files"]["qbr"])
        assert name in roadmap and name in deck
        for host in facts["servers_past_eol"]:
            assert host in roadmap and host in deck, (name, host)
        book = load_workbook(quarter_dir / entry["files"]["workbook"], read_only=True)
        assert {"Summary", "Scorecard", "Findings", "Risks", "Initiatives", "Budget", "Devices", "Licenses"} <= \
            set(book.sheetnames)
        findings_rows = list(book["Findings"].iter_rows(min_row=2, values_only=True))
        assert len(findings_rows) == sum(entry["findings"]["by_severity"].values())
        assets = list(book["Devices"].iter_rows(min_row=2, values_only=True))
        assert len(assets) == facts["device_count"], name


def test_deck_has_native_charts_and_tables(sample_run):
    _, quarter_dir, manifest = sample_run
    entry = client_entry(manifest, "Granite Ridge Manufacturing")
    deck = Presentation(str(quarter_dir / entry["files"]["qbr"]))
    charts = [s for slide in deck.slides for s in slide.shapes if s.has_chart]
    tables = [s for slide in deck.slides for s in slide.shapes if s.has_table]
    assert charts and tables


def test_roadmap_has_native_word_charts(sample_run):
    _, quarter_dir, manifest = sample_run
    entry = client_entry(manifest, "Granite Ridge Manufacturing")
    doc = Document(str(quarter_dir / entry["files"]["roadmap"]))
    chart_uri = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    refs = list(doc.element.body.iter(f"{{{chart_uri}}}chart"))
    assert len(refs) == 1  # the budget by quarter (the quarter roadmap is a table, the estate at a glance too)
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    parts = [doc.part.rels[ref.get(rel_id)].target_part for ref in refs]
    assert all(p.content_type.endswith("drawingml.chart+xml") and p.rels for p in parts)


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (optional check)")
def test_libreoffice_converts_the_documents(sample_run, tmp_path):
    _, quarter_dir, manifest = sample_run
    entry = client_entry(manifest, "Sunrise Pediatrics")
    binary = shutil.which("libreoffice") or shutil.which("soffice")
    for key in ("roadmap", "qbr"):
        source = quarter_dir / entry["files"][key]
        # A profile of its own: another LibreOffice running on the machine must not make the conversion fail.
        profile = (tmp_path / "profile").as_uri()
        result = subprocess.run([binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                                 "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=240)
        assert result.returncode == 0, result.stderr
        pdf = tmp_path / (source.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 10_000
