"""The MSP's cost (Pax8 partnerCost) never reaches a client document unless configuration asks for an internal view."""

import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from ..conftest import INPUTS, run_cli

NORTHWIND = "Northwind Logistics"


def all_text(path: Path) -> str:
    if path.suffix == ".docx":
        doc = Document(str(path))
        return "\n".join([p.text for p in doc.paragraphs] +
                         [c.text for t in doc.tables for r in t.rows for c in r.cells])
    if path.suffix == ".pptx":
        return "\n".join(s.text_frame.text for sl in Presentation(str(path)).slides for s in sl.shapes
                         if s.has_text_frame) + "\n".join(
            c.text for sl in Presentation(str(path)).slides for s in sl.shapes if s.has_table
            for r in s.table.rows for c in r.cells)
    book = load_workbook(path, read_only=True)
    return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


def run(out: Path, config: Path | None = None):
    args = ["run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", "2026-11-20", "--client", NORTHWIND,
            "--jobs", "1"]
    if config:
        args += ["--config", str(config)]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    return out / "2026-Q4", next(c for c in manifest["clients"] if c["name"] == NORTHWIND)


@pytest.mark.slow
def test_partner_cost_stays_internal(tmp_path):
    quarter_dir, entry = run(tmp_path / "client")
    for key in ("roadmap", "qbr", "workbook"):
        text = all_text(quarter_dir / entry["files"][key])
        assert "MSP cost" not in text and "Margin" not in text, key
    book = load_workbook(quarter_dir / entry["files"]["workbook"], read_only=True)
    assert "Margin (internal)" not in book.sheetnames

    config = tmp_path / "vcio.toml"
    config.write_text("[msp]\ninternal_view = true\n")
    quarter_dir, entry = run(tmp_path / "internal", config)
    book = load_workbook(quarter_dir / entry["files"]["workbook"], read_only=True)
    rows = list(book["Margin (internal)"].iter_rows(values_only=True))
    premium = next(r for r in rows if r[0] == "Microsoft 365 Business Premium")
    assert premium[1] == 260 and premium[2] > premium[3] > 0  # client price above the MSP's cost
    assert "Margin" not in all_text(quarter_dir / entry["files"]["qbr"])
