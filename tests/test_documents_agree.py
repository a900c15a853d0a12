"""One set of numbers: findings.csv, the workbook, the deck and the roadmap of every sample client add up to the
same one-time total (the budget's) and the same yearly licence savings."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from .conftest import EXPECTED

NAMES = sorted(k for k in EXPECTED if not k.startswith("_"))
MONEY = re.compile(r"^-?\$[\d,]+$")


def _amount(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def _entry(manifest: dict, name: str) -> dict:
    return next(c for c in manifest["clients"] if c["name"] == name)


def _findings_csv(folder: Path) -> tuple[float, float]:
    rows = list(csv.DictReader(io.StringIO((folder / "findings.csv").read_text(encoding="utf-8-sig"))))
    one_time = sum(float(r["estimated_cost"]) for r in rows if r["cost_kind"] == "one_time")
    savings = sum(float(r["estimated_cost"]) for r in rows if r["category"] == "license_waste" and r["estimated_cost"])
    return one_time, savings


def _workbook(path: Path) -> float:
    sheet = load_workbook(path, read_only=True, data_only=True)["Findings"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("One-time cost")
    return sum(row[column] or 0 for row in rows[1:] if isinstance(row[column], (int, float)))


def _deck_roadmap_slide(path: Path) -> float:
    """The Total column of the deck's quarter roadmap (one row per initiative)."""
    prs = Presentation(str(path))
    total = 0.0
    for slide in prs.slides:
        if slide.shapes.title is None or not slide.shapes.title.text.startswith("Roadmap"):
            continue
        for shape in slide.shapes:
            if shape.has_table:
                for row in list(shape.table.rows)[1:]:
                    text = row.cells[len(row.cells) - 1].text
                    total += _amount(text) if MONEY.match(text) else 0
    return total


@pytest.mark.parametrize("name", NAMES)
def test_every_document_shows_the_same_one_time_total(sample_run, name):
    _, quarter_dir, manifest = sample_run
    entry = _entry(manifest, name)
    folder = quarter_dir / entry["slug"]
    one_time, _savings = _findings_csv(folder)
    assert _workbook(quarter_dir / entry["files"]["workbook"]) == pytest.approx(one_time)
    assert _deck_roadmap_slide(quarter_dir / entry["files"]["qbr"]) == pytest.approx(one_time)


@pytest.mark.parametrize("name", NAMES)
def test_the_savings_are_the_same_in_findings_csv_and_the_deck(sample_run, name):
    _, quarter_dir, manifest = sample_run
    entry = _entry(manifest, name)
    _one_time, savings = _findings_csv(quarter_dir / entry["slug"])
    prs = Presentation(str(quarter_dir / entry["files"]["qbr"]))
    text = "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)
    if savings:
        assert f"${savings:,.0f}" in text
