"""The method appendix names each export in a client's words and counts only the client's own rows."""

from __future__ import annotations

import pytest

from pipeline.review.build import plain_tool_name
from tests.conftest import INPUTS, run_cli


@pytest.mark.parametrize("title, plain", [
    ("ConnectWise Manage (PSA) agreements, API field names flattened by an export script",
     "ConnectWise Manage agreements"),
    ("ConnectWise Manage (PSA) UI: Configurations list exported to CSV (display labels)",
     "ConnectWise Manage Configurations list"),
    ("Datto RMM scheduled report: Device Storage (DeviceStorageExport.csv), one row per drive",
     "Datto RMM scheduled report: Device Storage"),
    ("Autotask (Datto) PSA contracts (REST API Contracts, flattened by an export script)", "Autotask PSA contracts"),
    ("vcio business goals (goals.csv)", "Business goals"),
    ("vcio canonical device CSV (any tool)", "Device CSV"),
])
def test_export_titles_in_plain_words(title, plain):
    assert plain_tool_name(title) == plain


@pytest.mark.slow
def test_the_method_counts_the_clients_own_rows_of_a_shared_export(tmp_path):
    from pptx import Presentation

    out = tmp_path / "out"
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", "2026-11-20",
                     "--client", "Sunrise Pediatrics", "--jobs", "1")
    assert result.returncode == 0, result.stderr[-2000:]
    deck = next((out / "2026-Q4" / "sunrise-pediatrics").glob("*.pptx"))
    cells = [c.text for s in Presentation(deck).slides for sh in s.shapes if sh.has_table
             for r in sh.table.rows for c in r.cells]
    configurations = [c for c in cells if c.startswith("psa/cw_configurations.csv:")]
    shared_rows = sum(1 for line in (INPUTS / "psa" / "cw_configurations.csv").read_text().splitlines()[1:]
                      if "Sunrise" in line)
    assert configurations == [f"psa/cw_configurations.csv: {shared_rows} rows used"]
    assert shared_rows < 100  # the file holds every client's rows
    assert "ConnectWise Manage configurations" in cells
