"""Acceptance: two consecutive quarterly runs through the CLI on modified sample inputs.

Q4 2026 runs on the samples; before Q1 2027 the Harbor Point file server is replaced (its rows leave the
exports), the vCIO records decisions from the Q4 template, and time moves on. The test checks the exact
new/open/resolved sets, decisions carried forward, and the portfolio figures.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from ..conftest import INPUTS, run_cli

CLIENTS = ("Harbor Point Dental", "Cedar & Finch LLP")


def findings(quarter_dir: Path, slug: str) -> dict[str, dict]:
    text = (quarter_dir / slug / "findings.csv").read_text(encoding="utf-8-sig")
    return {row["finding_id"]: row for row in csv.DictReader(io.StringIO(text))}


def run(inputs: Path, out: Path, as_of: str):
    # The second quarter reuses the first quarter's exports: stale on purpose here (freshness has its own tests).
    args = ["run", "--inputs", str(inputs), "--out", str(out), "--as-of", as_of, "--jobs", "1", "--allow-stale"]
    for name in CLIENTS:
        args += ["--client", name]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def drop_rows(path: Path, needle: str) -> int:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    encoding = "utf-8-sig" if bom else "utf-8"
    lines = raw.decode(encoding).splitlines(keepends=True)
    kept = [line for line in lines if needle.lower() not in line.lower()]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "".join(kept).encode("utf-8"))
    return len(lines) - len(kept)


@pytest.fixture(scope="module")
def two_quarters(tmp_path_factory):
    root = tmp_path_factory.mktemp("two_quarters")
    inputs, out = root / "inputs", root / "out"
    shutil.copytree(INPUTS, inputs)
    run(inputs, out, "2026-11-20")
    q4 = out / "2026-Q4"

    # Between the reviews: the file server is replaced and leaves every export.
    removed = sum(drop_rows(inputs / p, "HPD-FS01") for p in ("psa/cw_configurations.csv", "rmm/DeviceDetailsExport.csv",
                                                              "rmm/DevicePatchSummaryExport.csv", "rmm/DeviceStorageExport.csv"))
    assert removed >= 3
    # The vCIO fills in the Q4 decisions template after the meeting.
    template = list(csv.DictReader(io.StringIO(
        (q4 / "harbor-point-dental" / "decisions_template.csv").read_text(encoding="utf-8-sig"))))
    by_title = {row["note"]: row for row in template}
    declined = next(row for title, row in by_title.items() if title.startswith("Replace") and "aging" in title)
    deferred = next(row for title, row in by_title.items() if title.startswith("Extend warranty"))
    accepted = next(row for title, row in by_title.items() if "off Windows Server 2016" in title)
    with (inputs / "decisions.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Harbor Point Dental", declined["item_id"], "declined", "2026-11-24", "Dr. Reyes",
                         "Budget frozen until the Annex opens", ""])
        writer.writerow(["Harbor Point Dental", deferred["item_id"], "deferred", "2026-11-24", "Dr. Reyes", "", "2027-Q3"])
        writer.writerow(["Harbor Point Dental", accepted["item_id"], "accepted", "2026-11-24", "Dr. Reyes", "", ""])
    run(inputs, out, "2027-02-20")
    q1 = out / "2027-Q1"
    return {"inputs": inputs, "out": out, "q4": q4, "q1": q1, "declined": declined, "deferred": deferred,
            "accepted": accepted}


def test_diff_gives_the_exact_new_open_resolved_sets(two_quarters):
    q4 = findings(two_quarters["q4"], "harbor-point-dental")
    q1 = findings(two_quarters["q1"], "harbor-point-dental")
    result = run_cli("diff", "Harbor Point Dental", "--from", "2026-Q4", "--to", "2027-Q1",
                     "--out", str(two_quarters["out"]), "--json")
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    ids = {state: {item["finding_id"] for item in diff[state]} for state in ("new", "open", "resolved")}
    assert ids["new"] == set(q1) - set(q4)
    assert ids["open"] == set(q1) & set(q4)
    assert ids["resolved"] == set(q4) - set(q1)
    server_findings = {fid for fid, row in q4.items() if row["subject"].upper() == "HPD-FS01"}
    assert server_findings and server_findings <= ids["resolved"]
    assert all(item["quarters_open"] == 2 for item in diff["open"])


def test_changes_reach_the_deck_and_roadmap(two_quarters):
    q1 = two_quarters["q1"]
    manifest = json.loads((q1 / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Harbor Point Dental")
    deck = Presentation(str(q1 / entry["files"]["qbr"]))
    text = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "first review" not in text.lower()
    assert "resolved" in text.lower()
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert any(chart.chart_type is not None and len(list(chart.plots[0].categories)) == 2 for chart in charts
               if "Line" in str(chart.chart_type) or "LINE" in str(chart.chart_type)), "grade trend over 2 quarters"
    roadmap = Document(str(q1 / entry["files"]["roadmap"]))
    body = "\n".join(p.text for p in roadmap.paragraphs) + "\n".join(
        cell.text for table in roadmap.tables for row in table.rows for cell in row.cells)
    assert "HPD-FS01" in body  # listed among the resolved items


def test_decisions_are_carried_forward_with_the_risk_of_inaction(two_quarters):
    q1 = two_quarters["q1"]
    manifest = json.loads((q1 / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Harbor Point Dental")
    roadmap = Document(str(q1 / entry["files"]["roadmap"]))
    cells = [cell.text for table in roadmap.tables for row in table.rows for cell in row.cells]
    body = "\n".join(p.text for p in roadmap.paragraphs) + "\n" + "\n".join(cells)
    assert "Dr. Reyes" in body and "Budget frozen until the Annex opens" in body
    assert "2027-Q3" in body  # the deferred item's new quarter
    # Next quarter, decisions.csv no longer lists the declined item: the history still does.
    inputs, out = two_quarters["inputs"], two_quarters["out"]
    (inputs / "decisions.csv").write_text("client,item_id,decision,decided_on,decided_by,note,revisit_quarter\n")
    run(inputs, out, "2027-05-20")
    manifest = json.loads((out / "2027-Q2" / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Harbor Point Dental")
    roadmap = Document(str(out / "2027-Q2" / entry["files"]["roadmap"]))
    text = "\n".join(cell.text for table in roadmap.tables for row in table.rows for cell in row.cells)
    assert "Dr. Reyes" in text and "declined" in text.lower()


def test_portfolio_figures_match_the_clients(two_quarters):
    q1 = two_quarters["q1"]
    book = load_workbook(q1 / "portfolio.xlsx", read_only=True)
    rows = list(book["Portfolio"].iter_rows(values_only=True))
    data = {row[0]: dict(zip(rows[0], row)) for row in rows[1:] if row and row[0]}
    assert set(data) == set(CLIENTS)
    for name, slug in (("Harbor Point Dental", "harbor-point-dental"), ("Cedar & Finch LLP", "cedar-finch-llp")):
        current = findings(q1, slug)
        previous = findings(two_quarters["q4"], slug)
        assert data[name]["Findings"] == len(current)
        assert data[name]["Critical"] == sum(1 for r in current.values() if r["severity"] == "critical")
        assert data[name]["New findings"] == len(set(current) - set(previous))
        assert data[name]["Resolved findings"] == len(set(previous) - set(current))
    waste = sum(float(r["estimated_cost"] or 0) for r in findings(q1, "cedar-finch-llp").values()
                if r["category"] == "license_waste")
    assert data["Cedar & Finch LLP"]["License waste a year"] == pytest.approx(waste, abs=1)
    assert (q1 / "portfolio.pptx").is_file()
    assert "Harbor Point Dental" in "\n".join(
        cell.text for slide in Presentation(str(q1 / "portfolio.pptx")).slides for shape in slide.shapes
        if shape.has_table for row in shape.table.rows for cell in row.cells)


def test_decided_items_are_not_asked_again(two_quarters):
    q1 = two_quarters["q1"]
    manifest = json.loads((q1 / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Harbor Point Dental")
    # This quarter's titles of the decided initiatives (titles change with counts; ids do not), as recorded.
    from pipeline.history import HistoryStore

    store = HistoryStore.open(None, two_quarters["out"])
    try:
        title_by_id = {key: record["title"] for key, record in
                       store.snapshot("Harbor Point Dental", "2027-Q1").initiatives.items()}
    finally:
        store.close()
    decided = [title_by_id[two_quarters[k]["item_id"]] for k in ("declined", "deferred", "accepted")
               if two_quarters[k]["item_id"] in title_by_id]
    assert decided, "the decided initiatives are still on the roadmap"
    deck = Presentation(str(q1 / entry["files"]["qbr"]))
    needed = next(slide for slide in deck.slides if slide.shapes.title and slide.shapes.title.text == "Decisions needed today")
    text = "\n".join(cell.text for shape in needed.shapes if shape.has_table for row in shape.table.rows
                     for cell in row.cells) + "\n".join(s.text_frame.text for s in needed.shapes if s.has_text_frame)
    for title in decided:
        assert title not in text, title
