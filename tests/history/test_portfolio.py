"""The portfolio: per-client rows from render contexts, the workbook (read back with openpyxl) and the deck
(read back with python-pptx)."""

from __future__ import annotations

import io

import pytest

from pipeline.history import portfolio_deck, portfolio_row, portfolio_workbook

from .factories import budget, finding, grades


def _context(name: str, quarter: str, *, grade_list, risks_scores, findings, waste=0.0, changes=None) -> dict:
    return {
        "client": {"name": name, "vcio": "Dana", "tier": "Premium"},
        "quarter": quarter, "as_of_iso": "2026-11-20", "currency_symbol": "$",
        "summary": {"devices": 40, "users": 30, "findings": len(findings),
                    "critical": sum(f["severity"] == "critical" for f in findings),
                    "high": sum(f["severity"] == "high" for f in findings), "medium": 0, "low": 0},
        "grades": grade_list,
        "risks": [{"risk_id": f"R{i}", "title": f"{name} risk {s}", "score": s, "band": "high" if s >= 15 else "low"}
                  for i, s in enumerate(risks_scores)],
        "findings": findings,
        "budget": budget(quarter, hardware=5000.0),
        "license_optimisation": {"items": [], "total_annual": waste, "count": 2 if waste else 0},
        "coming_up": [],
        "changes": changes or {"first_review": True, "new": [], "open": [], "resolved": []},
    }


@pytest.fixture
def rows() -> list[dict]:
    acme = _context("Acme Dental", "2026-Q4", grade_list=grades(42.0, 85.0, 97.0, 25.0), risks_scores=[20, 16, 12, 4],
                    findings=[finding("PC-1", severity="critical", client="Acme Dental", cost=1200.0, cost_kind="one_time"),
                              finding("PC-2", client="Acme Dental", cost=1200.0, cost_kind="one_time"),
                              finding("SRV-1", "lifecycle.warranty", "high", due="2026-10-01"),
                              finding("M365 E3", "renewal.subscription", "medium", due="2027-02-01", cost=9000.0,
                                      cost_kind="recurring")],
                    waste=1440.0,
                    changes={"first_review": False, "previous_quarter": "2026-Q3", "new": [{}], "open": [],
                             "resolved": [{}, {}], "completed_initiatives": [{}],
                             "grade_changes": [{"area": "lifecycle", "delta": -6.0}, {"area": "security", "delta": 4.0},
                                               {"area": "licensing", "delta": 0.2}, {"area": "continuity", "delta": None}]})
    calm = _context("=Calm Co", "2026-Q4", grade_list=grades(90.0, 95.0, None, 80.0), risks_scores=[4],
                    findings=[finding("PC-9", "lifecycle.hardware_age", "low")])
    return [portfolio_row("=Calm Co", calm), portfolio_row("Acme Dental", acme)]


def test_portfolio_row_extracts_the_figures(rows):
    acme = rows[1]
    assert acme["risk_index"] == 48 and acme["high_risks"] == 2 and acme["top_risk"] == "Acme Dental risk 20"
    assert acme["critical"] == 1 and acme["high"] == 2
    assert (acme["lifecycle_percent"], acme["lifecycle_colour"], acme["lifecycle_delta"]) == (42.0, "red", -6.0)
    assert acme["security_delta"] == 4.0 and acme["continuity_delta"] is None
    assert acme["overall_percent"] == 62.2
    assert (acme["eol_items"], acme["eol_cost"]) == (2, 2400.0)
    assert (acme["warranty_items"], acme["warranty_expired"]) == (1, 1)
    assert (acme["next_quarter"], acme["renewals_next_quarter"], acme["renewals_value"]) == ("2027-Q1", 1, 9000.0)
    assert acme["license_waste_annual"] == 1440.0
    assert acme["budget_next_four"] == 6200.0 and acme["budget_quarters"][0] == "2027-Q1"
    assert (acme["new_findings"], acme["resolved_findings"], acme["completed_initiatives"]) == (1, 2, 1)
    calm = rows[0]
    assert calm["first_review"] is True and calm["licensing_percent"] is None and calm["licensing_colour"] == "grey"


def test_portfolio_workbook_reads_back(rows):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(portfolio_workbook(rows, "2026-Q4", "Example MSP")))
    assert book.sheetnames == ["Portfolio", "Budget", "Budget pipeline", "About"]
    sheet = book["Portfolio"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Client", "vCIO", "Tier", "Risk index", "Top risk"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    values = {h: sheet.cell(row=2, column=i + 1).value for i, h in enumerate(header)}
    assert values["Client"] == "Acme Dental"  # ranked by risk
    assert values["Risk index"] == 48 and values["Lifecycle"] == 42 and values["Lifecycle change"] == -6
    assert values["Renewal value / yr"] == 9000 and values["License waste / yr"] == 1440
    calm = {h: sheet.cell(row=3, column=i + 1).value for i, h in enumerate(header)}
    assert calm["Client"] == "=Calm Co" and sheet.cell(row=3, column=1).data_type == "s"  # text, not a formula
    assert calm["Licensing"] is None
    pipeline = book["Budget pipeline"]
    assert [c.value for c in pipeline[1]][:3] == ["Category", "2027-Q1", "2027-Q2"]
    assert [c.value for c in pipeline[2]][:2] == ["Hardware", 10000]
    assert book["Budget"].cell(row=2, column=1).value == "Acme Dental"
    assert book["About"]["B1"].value == "Example MSP"


def _titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def test_portfolio_deck_reads_back(rows):
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    prs = Presentation(io.BytesIO(portfolio_deck(rows, "2026-Q4", "Example MSP")))
    assert _titles(prs) == ["Client portfolio review", "Clients ranked by risk", "Grades",
                            "End-of-life and warranty exposure", "Renewals next quarter (2027-Q1)", "License waste",
                            "Budget pipeline by quarter", "Grade changes since last quarter"]
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 1 and charts[0].chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert [s.name for s in charts[0].plots[0].series] == ["Hardware", "Licensing"]
    assert list(charts[0].plots[0].categories)[:2] == ["2027-Q1", "2027-Q2"]
    ranked = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    assert ranked.cell(1, 1).text == "Acme Dental" and ranked.cell(1, 2).text == "48"
    grades_table = next(sh.table for sh in prs.slides[2].shapes if sh.has_table)
    assert grades_table.cell(1, 0).text == "Acme Dental" and grades_table.cell(1, 1).text == "42%"
    assert str(grades_table.cell(1, 1).fill.fore_color.rgb) == "C62828"  # red
    renewals = next(sh.table for sh in prs.slides[4].shapes if sh.has_table)
    assert renewals.cell(1, 2).text == "$9,000"
    changes = next(sh.table for sh in prs.slides[7].shapes if sh.has_table)
    assert [changes.cell(1, c).text for c in range(5)] == ["Acme Dental", "-6", "+4", "0", "-"]
    assert prs.slides[0].placeholders[1].text == "2026-Q4 - 2 clients"


def test_portfolio_deck_on_the_default_template(rows, tmp_path):
    from pptx import Presentation

    plain = tmp_path / "plain.pptx"
    Presentation().save(plain)
    prs = Presentation(io.BytesIO(portfolio_deck(rows, "2026-Q4", "Example MSP", template=plain)))
    assert len(prs.slides) == 8 and _titles(prs)[1] == "Clients ranked by risk"
    assert prs.slides[1].slide_layout.name == "Title Only"
    assert any(sh.has_chart for sh in prs.slides[6].shapes)


def test_empty_portfolio_still_renders():
    from openpyxl import load_workbook
    from pptx import Presentation

    prs = Presentation(io.BytesIO(portfolio_deck([], "2026-Q4", "Example MSP")))
    assert len(prs.slides) == 8
    assert load_workbook(io.BytesIO(portfolio_workbook([], "2026-Q4"))).sheetnames[0] == "Portfolio"
