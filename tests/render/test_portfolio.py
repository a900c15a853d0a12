"""The portfolio: per-client rows from each client's review payload (pipeline/review/snapshot.py), the workbook
(read back with openpyxl) and the deck (read back with python-pptx)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from pipeline.render.portfolio import portfolio_deck, portfolio_workbook
from pipeline.review.snapshot import portfolio_row
from tests.review.conftest import sample_reviews

QUARTERS = ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]


def _finding(subject: str, category: str, severity: str = "high", *, due: str = "", cost: float | None = None,
             cost_kind: str = "") -> dict:
    return {"finding_id": f"F-{subject}", "category": category, "severity": severity, "subject": subject,
            "title": f"{category} on {subject}", "due_date": due, "estimated_cost": cost, "cost_kind": cost_kind,
            "initiative_id": ""}


def _grades(*percents: float | None, status: tuple[str, ...] = ()) -> list[dict]:
    grades = []
    for n, (area, percent) in enumerate(zip(("lifecycle", "security", "licensing", "continuity"), percents)):
        state = status[n] if n < len(status) else ("not_assessed" if percent is None else "assessed")
        colour = "grey" if percent is None else "green" if percent >= 80 else "amber" if percent >= 50 else "red"
        grades.append({"area": area, "label": area.capitalize(), "percent": percent, "colour": colour,
                       "status": state, "delta": None})
    return grades


def _payload(name: str, *, grades: list[dict], scores: list[int], findings: list[dict], waste: float = 0.0,
             changes: dict | None = None, hardware: float = 5000.0) -> dict:
    rows = [{"category": "Hardware", "amounts": [hardware, 0.0, 0.0, 0.0]},
            {"category": "Licensing", "amounts": [300.0] * 4}]
    totals = [round(sum(r["amounts"][i] for r in rows), 2) for i in range(4)]
    return {
        "client": {"name": name, "vcio": "Dana", "tier": "Premium"}, "quarter": "2026-Q4",
        "as_of_iso": "2026-11-20", "currency_symbol": "$",
        "summary": {"devices": 40, "users": 30, "findings": len(findings), "status": f"{name} status",
                    **{s: sum(f["severity"] == s for f in findings) for s in ("critical", "high", "medium", "low")}},
        "findings": findings, "grades": grades,
        "risks": [{"risk_id": f"R{i}", "title": f"{name} risk {s}", "score": s, "band": "high" if s >= 15 else "low"}
                  for i, s in enumerate(scores)],
        "budget": {"quarters": QUARTERS, "rows": rows, "totals": totals, "next_90_days_one_time": hardware,
                   "next_90_days_total": totals[0], "next_four_total": round(sum(totals), 2),
                   "potential_annual_savings": waste},
        "license_optimisation": {"count": 2 if waste else 0, "total_annual": waste},
        "changes": changes or {"first_review": True, "new": [], "open": [], "resolved": []},
    }


@pytest.fixture
def rows() -> list[dict]:
    acme_grades = _grades(42.0, 85.0, 97.0, 25.0)
    for grade, delta in zip(acme_grades, (-6.0, 4.0, 0.2, None)):
        grade["delta"] = delta
    acme = _payload("Acme Dental", grades=acme_grades, scores=[20, 16, 12, 4], waste=1440.0,
                    findings=[_finding("PC-1", "end_of_life", "critical", cost=1200.0, cost_kind="one_time"),
                              _finding("PC-2", "end_of_life", cost=1200.0, cost_kind="one_time"),
                              _finding("SRV-1", "warranty", due="2026-10-01"),
                              _finding("M365 E3", "renewal", "medium", due="2027-02-01", cost=9000.0,
                                       cost_kind="recurring"),
                              # this quarter, six weeks away: the most urgent renewal of all
                              _finding("Managed services", "renewal", "medium", due="2026-12-31", cost=3000.0,
                                       cost_kind="recurring"),
                              _finding("Old backup", "renewal", "low", due="2026-11-01", cost=500.0,
                                       cost_kind="recurring")],
                    changes={"first_review": False, "previous_quarter": "2026-Q3", "new": [{}], "open": [],
                             "resolved": [{}, {}], "completed_initiatives": [{}]})
    calm = _payload("=Calm Co", grades=_grades(90.0, 95.0, None, 80.0, status=("assessed", "partly")), scores=[4],
                    findings=[_finding("PC-9", "hardware_age", "low")], hardware=0.0)
    return [portfolio_row("=Calm Co", calm), portfolio_row("Acme Dental", acme)]


def test_portfolio_row_reads_the_review_payload(rows):
    calm, acme = rows
    assert acme["risk_index"] == 48 and acme["high_risks"] == 2 and acme["top_risk"] == "Acme Dental risk 20"
    assert acme["critical"] == 1 and acme["high"] == 2 and acme["status"] == "Acme Dental status"
    assert (acme["lifecycle_percent"], acme["lifecycle_colour"], acme["lifecycle_delta"]) == (42.0, "red", -6.0)
    assert acme["security_delta"] == 4.0 and acme["continuity_delta"] is None
    assert acme["overall_percent"] == 62.2
    assert (acme["eol_items"], acme["eol_cost"]) == (2, 2400.0)
    assert (acme["warranty_items"], acme["warranty_expired"]) == (1, 1)
    # from the review date (Nov 20, 2026) to the end of next quarter; an end already past is not a renewal ahead
    assert (acme["next_quarter"], acme["renewals_next_quarter"], acme["renewals_value"]) == ("2027-Q1", 2, 12000.0)
    assert acme["license_waste_annual"] == 1440.0 and acme["savings_annual"] == 1440.0
    assert acme["budget_next_90_days"] == 5000.0 and acme["budget_next_four"] == 6200.0
    assert (acme["new_findings"], acme["resolved_findings"], acme["completed_initiatives"]) == (1, 2, 1)


def test_an_area_not_assessed_has_no_percent_and_no_colour(rows):
    calm = rows[0]
    assert calm["licensing_percent"] is None and calm["licensing_colour"] == "grey"
    assert calm["overall_percent"] == pytest.approx((90 + 95 + 80) / 3, abs=0.05), "the mean of the graded areas"
    assert calm["data_gaps"] == ["Security partly assessed", "Licensing not assessed"]
    assert calm["first_review"] is True
    assert (calm["new_findings"], calm["resolved_findings"]) == (None, None), "nothing is new on a first review"


def _sheet(data: bytes, name: str) -> tuple[list[str], list[dict]]:
    sheet = load_workbook(io.BytesIO(data))[name]
    values = list(sheet.iter_rows(values_only=True))
    return list(values[0]), [dict(zip(values[0], row)) for row in values[1:]]


def test_portfolio_workbook_reads_back(rows):
    data = portfolio_workbook(rows, "2026-Q4", "Example MSP")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Portfolio", "Budget", "Budget pipeline", "About"]
    sheet = book["Portfolio"]
    assert sheet.freeze_panes == "B2" and list(sheet.tables) == ["Portfolio"]
    assert sheet.tables["Portfolio"].ref == "A1:AI3" and sheet.tables["Portfolio"].autoFilter is not None
    header, table = _sheet(data, "Portfolio")
    assert header[:6] == ["Client", "vCIO", "Tier", "Status", "Risk index", "Top risk"]
    acme, calm = table
    assert acme["Client"] == "Acme Dental", "ranked by risk"
    assert acme["Risk index"] == 48 and acme["Lifecycle"] == pytest.approx(0.42) and acme["Lifecycle change"] == -6
    assert acme["Renewal value a year"] == 12000 and acme["License waste a year"] == 1440
    assert acme["Next 90 days one-time"] == 5000 and acme["Next 12 months"] == 6200
    assert calm["Client"] == "'=Calm Co" and sheet.cell(row=3, column=1).data_type == "s"  # text, never a formula
    assert calm["Licensing"] is None and calm["Not fully assessed"] == "Security partly assessed; Licensing not assessed"
    assert calm["New findings"] is None
    pipeline_header, pipeline = _sheet(data, "Budget pipeline")
    assert pipeline_header[:3] == ["Category", "2027-Q1", "2027-Q2"]
    assert [pipeline[0]["Category"], pipeline[0]["2027-Q1"]] == ["Hardware", 5000]
    assert book["Budget"].cell(row=2, column=1).value == "Acme Dental"
    assert book["About"]["B1"].value == "Example MSP"
    assert book["About"]["B4"].value == datetime(2026, 12, 31), "the quarter's last day without a review date"


def test_portfolio_percent_cells_are_coloured_only_when_graded(rows):
    sheet = load_workbook(io.BytesIO(portfolio_workbook(rows, "2026-Q4")))["Portfolio"]
    header = [c.value for c in sheet[1]]
    lifecycle, licensing = header.index("Lifecycle") + 1, header.index("Licensing") + 1
    assert sheet.cell(row=2, column=lifecycle).fill.fgColor.rgb == "FFFFC7CE"  # Acme: 42%, red
    calm_licensing = sheet.cell(row=3, column=licensing)
    assert calm_licensing.value is None and calm_licensing.fill.fill_type is None
    assert sheet.cell(row=2, column=lifecycle).number_format == "0%"
    ranges = [str(r.sqref) for r in sheet.conditional_formatting]
    critical = header.index("Critical") + 1
    assert f"{sheet.cell(row=2, column=critical).column_letter}2:{sheet.cell(row=2, column=critical).column_letter}3" \
        in ranges


def test_portfolio_from_the_sample_reviews():
    payloads = {name: review.history for name, review in sample_reviews().items()}
    rows = [portfolio_row(name, payload) for name, payload in payloads.items()]
    data = portfolio_workbook(rows, "2026-Q4", "Example MSP")
    _header, table = _sheet(data, "Portfolio")
    assert [r["Client"] for r in table] == [r["client"] for r in sorted(rows, key=lambda r: -r["risk_index"])]
    for entry in table:
        review = sample_reviews()[entry["Client"]]
        assert entry["Next 90 days one-time"] == review.budget.next_90_days_one_time
        assert entry["Next 12 months"] == review.budget.next_four_total
        assert entry["Savings a year"] == review.budget.annual_savings
        assert entry["Findings"] == len(review.findings) and entry["Status"] == review.summary.status
        for grade in review.scorecard:
            if grade.graded:
                assert entry[grade.label] == pytest.approx(grade.percent / 100), (entry["Client"], grade.area)
            else:
                assert entry[grade.label] is None, (entry["Client"], grade.area)
                assert grade.label in entry["Not fully assessed"]
        assert entry["New findings"] is None, "every sample review is a first review"
    budget_header, budgets = _sheet(data, "Budget")
    for entry in budgets:
        review = sample_reviews()[entry["Client"]]
        assert [entry[q] or 0 for q in review.budget.quarters] == pytest.approx(list(review.budget.totals))
        assert entry["Total"] == pytest.approx(review.budget.horizon_total)


def _titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def test_portfolio_deck_reads_back(rows):
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    prs = Presentation(io.BytesIO(portfolio_deck(rows, "2026-Q4", "Example MSP")))
    assert _titles(prs) == ["Client portfolio review", "Clients ranked by risk", "Grades",
                            "End-of-life and warranty exposure", "Renewals to the end of 2027-Q1", "License waste",
                            "Budget pipeline by quarter", "Grade changes since last quarter"]
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 1 and charts[0].chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert [s.name for s in charts[0].plots[0].series] == ["Hardware", "Licensing"]
    assert list(charts[0].plots[0].categories)[:2] == ["2027-Q1", "2027-Q2"]
    ranked = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    assert ranked.cell(1, 1).text == "Acme Dental" and ranked.cell(1, 2).text == "48"
    grades_table = next(sh.table for sh in prs.slides[2].shapes if sh.has_table)
    assert grades_table.cell(1, 0).text == "Acme Dental" and grades_table.cell(1, 1).text == "42%"  # weakest first
    assert str(grades_table.cell(1, 1).fill.fore_color.rgb) == "C62828"  # red
    assert grades_table.cell(2, 0).text == "=Calm Co" and grades_table.cell(2, 3).text == "n/a"
    assert str(grades_table.cell(2, 3).fill.fore_color.rgb) == "9E9E9E", "not assessed: grey, never a grade colour"
    renewals = next(sh.table for sh in prs.slides[4].shapes if sh.has_table)
    assert renewals.cell(1, 2).text == "$12,000"
    texts = lambda slide: " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)  # noqa: E731
    assert "2 renewals worth $12,000 a year at 1 client, from today to the end of 2027-Q1." in texts(prs.slides[4])
    assert "1 of 2 clients has a critical finding" in texts(prs.slides[1])
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
    from pptx import Presentation

    prs = Presentation(io.BytesIO(portfolio_deck([], "2026-Q4", "Example MSP")))
    assert len(prs.slides) == 8
    assert load_workbook(io.BytesIO(portfolio_workbook([], "2026-Q4"))).sheetnames[0] == "Portfolio"
