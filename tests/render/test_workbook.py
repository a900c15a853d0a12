"""The findings workbook of every sample client, reopened with openpyxl: typed cells (dates are dates, money and
ages are numbers, blanks are empty), the deck's figures on Summary and Scorecard, every covered item on the
Initiatives sheet, every finding with its initiative, Excel tables with filters, and the language's names."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from pipeline.render.workbook import render_workbook
from pipeline.wording import Wording
from tests.review.conftest import sample_reviews

NAMES = sorted(sample_reviews())
LIST_SHEETS = ("Risks", "Roadmap", "Initiatives", "Decisions needed", "Decision record", "Findings", "Devices",
               "Users", "Licenses", "Subscriptions", "Agreements")
TEXT_THAT_SHOULD_BE_A_NUMBER = re.compile(r"^[-+]?[$£€]?[\d,]+(\.\d+)?%?$")
TEXT_THAT_SHOULD_BE_A_DATE = re.compile(r"^([A-Z][a-z]{2} \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]{2} \d{4}|\d{4}-\d{2}-\d{2})$")


@pytest.fixture(scope="module")
def books() -> dict:
    return {name: load_workbook(io.BytesIO(render_workbook(review))) for name, review in sample_reviews().items()}


def table(book, sheet: str) -> list[dict]:
    """The rows of a sheet's table as {header: value}."""
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:] if any(v is not None for v in row)]


def column(book, sheet: str, header: str) -> list:
    return [row[header] for row in table(book, sheet)]


def day(value: date | None) -> datetime | None:
    return datetime.combine(value, datetime.min.time()) if value else None


@pytest.mark.parametrize("name", NAMES)
def test_no_placeholder_and_no_number_or_date_written_as_text(books, name):
    for sheet in books[name].worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate} {cell.value!r}"
                assert cell.value not in ("-", "'-", "n/a", ""), where
                if isinstance(cell.value, str):
                    assert not TEXT_THAT_SHOULD_BE_A_NUMBER.match(cell.value), where
                    assert not TEXT_THAT_SHOULD_BE_A_DATE.match(cell.value), where


@pytest.mark.parametrize("name", NAMES)
def test_dates_are_date_cells_and_ages_are_numbers(books, name):
    review = sample_reviews()[name]
    devices = table(books[name], "Devices")
    assert len(devices) == len(review.current_state.devices)
    for row, device in zip(devices, review.current_state.devices):
        assert row["Hostname"] == device.hostname
        assert row["End of support"] == day(device.end_of_support)
        assert row["Warranty end"] == day(device.warranty_end)
        assert row["Last seen"] == day(device.last_seen)
        assert row["Replacement due"] == day(device.replacement_due)
        assert row["Age (years)"] == device.age_years
        assert row["OS reported by"] == {"rmm": "RMM", "psa": "PSA", "": None}.get(device.os_source, device.os_source)
    assert not devices or any(row["OS reported by"] == "RMM" for row in devices), \
        "the model says which export gave each operating system"
    for row, user in zip(table(books[name], "Users"), review.current_state.users):
        assert row["User principal name"] == user.upn and row["Last activity"] == day(user.last_activity)
    for row, licence in zip(table(books[name], "Licenses"), review.current_state.licences):
        assert row["Product"] == licence.product
        assert row["Price per seat a month"] == licence.monthly_price and row["Renews on"] == day(licence.renews_on)
    dated = [c for row in books[name]["Devices"].iter_rows(min_row=2) for c in row if isinstance(c.value, datetime)]
    assert dated and all(c.is_date and c.number_format == "mmm d, yyyy" for c in dated)


@pytest.mark.parametrize("name", NAMES)
def test_summary_has_the_decks_figures(books, name):
    review = sample_reviews()[name]
    budget, summary = review.budget, review.summary
    sheet = books[name]["Summary"]
    rows = list(sheet.iter_rows(values_only=True))
    start = rows.index(("Key figures", None, None)) + 1
    block = rows[start:start + rows[start:].index((None, None, None))]
    figures = {row[0]: row[1] for row in rows[:start] + block if row[0] and row[1] is not None}
    assert figures["Next 90 days: one-time"] == budget.next_90_days_one_time
    assert figures["Next 90 days: in all"] == budget.next_90_days_total
    assert figures["Next 12 months: one-time"] == budget.next_four_one_time
    assert figures["Next 12 months: recurring"] == budget.next_four_recurring
    assert figures["Next 12 months: in all"] == budget.next_four_total
    assert figures[f"Next {len(budget.quarters)} quarters: in all"] == budget.horizon_total
    assert figures["License savings a year"] == budget.annual_savings
    assert figures["Decisions needed"] == len(review.decisions_needed)
    assert figures["Findings"] == summary.findings == len(review.findings)
    assert figures["Devices"] == summary.devices and figures["Review date"] == day(review.as_of)
    text = [row[0] for row in rows if isinstance(row[0], str)]
    assert summary.status in text and all(line in text for line in summary.headline)
    assert all(f"{n}. {risk}" in text for n, risk in enumerate(summary.top_risks, start=1))


@pytest.mark.parametrize("name", NAMES)
def test_scorecard_says_not_assessed_and_never_colours_it(books, name):
    review = sample_reviews()[name]
    sheet = books[name]["Scorecard"]
    rows = {row["Area"]: row for row in table(books[name], "Scorecard")[:len(review.scorecard)]}
    for n, grade in enumerate(review.scorecard, start=2):
        row = rows[grade.label]
        assert row["Not checked"] == ("; ".join(grade.missing) or None)
        score = sheet.cell(row=n, column=3)
        if grade.graded:
            assert row["Assessment"] == ("Partly assessed" if grade.status == "partly" else "Assessed")
            assert row["Score"] == pytest.approx(grade.percent / 100) and score.number_format == "0%"
            assert row["Grade"] == grade.colour.capitalize()
            assert (row["Items graded"], row["With findings"]) == (grade.assessed, grade.affected)
        else:
            assert row["Assessment"] == "Not assessed"
            assert row["Score"] is None and row["Grade"] is None and score.fill.fill_type is None
            assert sheet.cell(row=n, column=4).fill.fill_type is None
    assert any(g.status != "assessed" for g in review.scorecard), "every sample lacks some data"
    coverage = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[1] in ("Yes", "No")}
    assert coverage == {c.label: "Yes" if c.provided else "No" for c in review.coverage}


@pytest.mark.parametrize("name", NAMES)
def test_every_covered_item_is_on_the_initiatives_sheet(books, name):
    review = sample_reviews()[name]
    rows = table(books[name], "Initiatives")
    expected = [(i.initiative_id, item.subject, item.quarter, item.one_time or None)
                for i in review.initiatives for item in i.items]
    assert [(r["Initiative ID"], r["Covers"], r["Quarter"], r["One-time cost"]) for r in rows] == expected
    assert sum(r["One-time cost"] or 0 for r in rows) == pytest.approx(review.budget.one_time_total)
    savings = sum(r["Annual saving"] or 0 for r in rows)
    assert savings == pytest.approx(review.budget.annual_savings)
    roadmap = table(books[name], "Roadmap")
    assert [r["Initiative ID"] for r in roadmap] == [i.initiative_id for i in review.initiatives]
    for row, initiative in zip(roadmap, review.initiatives):
        assert row["One-time cost"] == initiative.one_time_cost and row["Items"] == len(initiative.items)
        spent = {q: row[q] for q in review.budget.quarters if row[q] is not None}
        assert spent == {q: a for q, a in initiative.schedule if a}


@pytest.mark.parametrize("name", NAMES)
def test_findings_sheet_has_every_finding_with_its_initiative_and_cost_kind(books, name):
    review = sample_reviews()[name]
    rows = table(books[name], "Findings")
    assert len(rows) == len(review.findings)
    titles = {i.initiative_id: i.title for i in review.initiatives}
    for row, finding in zip(rows, review.findings):
        assert row["Finding ID"] == finding.finding_id
        assert row["Initiative ID"] == (finding.initiative_id or None)
        assert row["Initiative"] == titles.get(finding.initiative_id)
        assert row["Due date"] == day(finding.due_date)
        kind = {"one_time": "One-time", "annual": "Annual", "": None}[finding.cost_kind]
        assert row["Cost kind"] == kind
        assert row["One-time cost"] == (finding.estimated_cost if kind == "One-time" else None)
        assert row["Annual cost"] == (finding.estimated_cost if kind == "Annual" else None)
        assert row["Monthly cost"] == (finding.monthly_cost if kind == "Annual" else None)
    assert any(r["Initiative ID"] for r in rows) and any(r["Cost kind"] == "Annual" for r in rows) or name in {
        "Sunrise Pediatrics", "Bluebird Creative Studio"}


@pytest.mark.parametrize("name", NAMES)
def test_budget_sheet_is_the_review_budget(books, name):
    review = sample_reviews()[name]
    budget = review.budget
    sheet = books[name]["Budget"]
    rows = list(sheet.iter_rows(values_only=True))
    top = next(n for n, row in enumerate(rows) if row[0] == "Category")
    header = rows[top]
    lines = {row[0]: dict(zip(header, row)) for row in rows[top + 1:top + 1 + len(budget.lines)]}
    for line in budget.lines:
        assert [lines[line.category][q] or 0 for q in budget.quarters] == list(line.amounts)
        assert lines[line.category]["Total"] == line.total
    totals = {row[0]: row for row in rows[top + 1 + len(budget.lines):] if row[0] in ("One-time", "Recurring", "Total")}
    assert list(totals["Total"][2:2 + len(budget.quarters)]) == list(budget.totals)
    assert totals["Total"][2 + len(budget.quarters)] == budget.horizon_total
    assert totals["One-time"][2 + len(budget.quarters)] == budget.one_time_total


@pytest.mark.parametrize("name", NAMES)
def test_decisions_needed_carry_their_money(books, name):
    review = sample_reviews()[name]
    rows = table(books[name], "Decisions needed")
    assert [r["Initiative ID"] for r in rows] == [d.initiative_id for d in review.decisions_needed]
    for row, decision in zip(rows, review.decisions_needed):
        assert row["Cost next 90 days"] == decision.cost_next_quarter and row["One-time cost"] == decision.cost_total
        assert row["Deadline"] == day(decision.deadline)


def test_lists_are_excel_tables_with_filters_and_frozen_headers(books):
    book = books["Northwind Logistics"]
    for name in ("Scorecard", "Budget", *LIST_SHEETS):
        sheet = book[name]
        assert len(sheet.tables) == 1, name
        (ref_table,) = sheet.tables.values()
        assert ref_table.autoFilter is not None and ref_table.ref.startswith("A"), name
        assert sheet.freeze_panes is not None, name
    assert book["Findings"].freeze_panes == "B2"
    assert book["Findings"].tables["Findings"].ref == f"A1:O{len(sample_reviews()['Northwind Logistics'].findings) + 1}"


def test_severity_colours_come_from_conditional_formatting(books):
    sheet = books["Granite Ridge Manufacturing"]["Findings"]
    rules = {str(r.sqref): [rule.formula for rule in r.rules] for r in sheet.conditional_formatting}
    severity = f"E2:E{sheet.max_row}"
    assert rules[severity] == [['"Critical"'], ['"High"'], ['"Medium"']]
    assert "Critical" in column(books["Granite Ridge Manufacturing"], "Findings", "Severity")


def test_currency_dates_and_sheet_names_follow_the_language():
    review = sample_reviews()["Harbor Point Dental"]
    british = replace(review, wording=Wording("en-GB", "£"))
    book = load_workbook(io.BytesIO(render_workbook(british)))
    assert "Licences" in book.sheetnames and "Licenses" not in book.sheetnames
    assert [c.value for c in book["Users"][1]][2] == "Licences"
    price = next(c for c in book["Licences"]["E"][1:] if c.value is not None)
    assert price.number_format == '"£"#,##0.00;-"£"#,##0.00'
    dated = next(c for c in book["Devices"]["F"][1:] if c.value is not None)
    assert dated.number_format == "d mmm yyyy" and dated.is_date
    custom = replace(review, wording=Wording("en-US", "$", "%d/%m/%Y"))
    dated = next(c for c in load_workbook(io.BytesIO(render_workbook(custom)))["Devices"]["F"][1:] if c.value)
    assert dated.number_format == "dd/mm/yyyy"


def test_the_margin_sheet_only_with_the_internal_view():
    review = sample_reviews()["Northwind Logistics"]
    assert review.internal is None
    assert not any("Margin" in name for name in load_workbook(io.BytesIO(render_workbook(review))).sheetnames)
    internal = replace(review, internal={"subscriptions": [
        {"product": "Microsoft 365 Business Premium", "quantity": 260, "price": 22.0, "partner_cost": 18.7,
         "margin_monthly": 858.0, "margin_percent": 15.0},
        {"product": "Exchange Online (Plan 1)", "quantity": 60, "price": 4.0, "partner_cost": None,
         "margin_monthly": None, "margin_percent": None}]})
    book = load_workbook(io.BytesIO(render_workbook(internal)))
    assert book.sheetnames[-1] == "Margin (internal)"
    rows = table(book, "Margin (internal)")
    assert rows[0] == {"Product": "Microsoft 365 Business Premium", "Seats": 260, "Client price a seat a month": 22.0,
                       "MSP cost a seat a month": 18.7, "Margin a month": 858.0, "Margin %": 0.15}
    assert rows[1]["MSP cost a seat a month"] is None and rows[1]["Margin %"] is None


def test_the_workbook_is_dated_with_the_review_date():
    review = sample_reviews()["Sunrise Pediatrics"]
    book = load_workbook(io.BytesIO(render_workbook(review)))
    assert book.properties.created == datetime(2026, 11, 20)


def test_a_review_without_devices_or_users_still_renders_every_sheet():
    review = sample_reviews()["Sunrise Pediatrics"]
    empty = replace(review, current_state=replace(review.current_state, devices=(), users=(), licences=()),
                    findings=(), initiatives=(), risks=(), decisions_needed=())
    book = load_workbook(io.BytesIO(render_workbook(empty)))
    assert book.sheetnames[:3] == ["Summary", "Scorecard", "Risks"]
    assert table(book, "Devices") == [] and book["Devices"].tables["Devices"].ref == "A1:P2"
