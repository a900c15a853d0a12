"""The findings workbook: Findings, Risk register, Initiatives, Budget, Assets, Licenses.

Written with XlsxWriter (fast, streaming). Text always goes through ``write_string`` so a
value such as ``=HYPERLINK(...)`` is stored as text, and it is also given a leading
apostrophe so it stays harmless when copied into another sheet or exported to CSV.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any, Sequence

from .package import reproducible, review_time
from .text import clean, neutralise_formula

Column = tuple[str, str, str, int]  # (header, context key, kind: text|number|money|date|int, width)

FINDINGS: Sequence[Column] = (
    ("Finding ID", "finding_id", "text", 14), ("Category", "category_label", "text", 14),
    ("Severity", "severity", "text", 10), ("Title", "title", "text", 60), ("Subject", "subject", "text", 28),
    ("Due date", "due_date", "date", 12), ("Cost type", "cost_kind", "text", 11),
    ("Monthly cost", "monthly_cost", "money", 13), ("Cost (one-time or annual)", "estimated_cost", "money", 16),
    ("Recommendation", "recommendation", "text", 70), ("Source rows", "source", "text", 40),
)
RISKS: Sequence[Column] = (
    ("Risk ID", "risk_id", "text", 12), ("Risk", "title", "text", 40), ("Category", "category", "text", 14),
    ("Likelihood (1-5)", "likelihood", "int", 10), ("Impact (1-5)", "impact", "int", 10), ("Score", "score", "int", 8),
    ("Band", "band", "text", 9), ("Cost of inaction", "cost_of_inaction", "text", 60),
    ("Mitigating initiative", "mitigation", "text", 45), ("Affected", "subjects", "text", 50),
)
INITIATIVES: Sequence[Column] = (
    ("Rank", "rank", "int", 6), ("Initiative ID", "initiative_id", "text", 14), ("Initiative", "title", "text", 50),
    ("Phase", "phase", "text", 12), ("Target quarter", "target_quarter", "text", 12),
    ("One-time cost", "one_time_cost", "money", 14), ("Annual recurring (negative = saving)", "annual_recurring", "money", 18),
    ("Owner", "owner", "text", 18), ("Business goal", "goal", "text", 40), ("Success metric", "success_metric", "text", 50),
    ("Findings", "finding_count", "int", 9), ("Affected", "subjects", "text", 50),
)
ASSETS: Sequence[Column] = (
    ("Hostname", "hostname", "text", 22), ("Type", "type", "text", 10), ("Operating system", "os", "text", 30),
    ("Support", "support", "text", 20), ("End of support", "eol", "text", 14), ("Age (years)", "age", "text", 10),
    ("Warranty", "warranty", "text", 20), ("Warranty end", "warranty_end", "text", 14),
    ("Replacement due", "replacement_due", "text", 14), ("Serial", "serial", "text", 16), ("Model", "model", "text", 24),
    ("Last seen", "last_seen", "text", 14), ("Seen by", "sources", "text", 16),
)
LICENSES: Sequence[Column] = (
    ("Product", "product", "text", 45), ("Purchased", "purchased", "int", 11), ("Assigned", "assigned", "int", 10),
    ("Unassigned", "spare", "int", 11), ("Price per seat / month", "price_text", "text", 16),
)
MARGIN: Sequence[Column] = (
    ("Product", "product", "text", 45), ("Seats", "quantity", "int", 8), ("Client price / seat / month", "price", "money", 16),
    ("MSP cost / seat / month", "partner_cost", "money", 16), ("Margin / month", "margin_monthly", "money", 14),
    ("Margin %", "margin_percent", "number", 10),
)
USERS: Sequence[Column] = (
    ("User principal name", "upn", "text", 36), ("Name", "name", "text", 24), ("Licences", "licenses", "text", 60),
    ("Status", "status", "text", 10), ("Last activity", "last_activity", "text", 14),
)


def render_workbook(context: dict[str, Any]) -> bytes:
    import xlsxwriter

    context = clean(context)  # a new structure: no character XML cannot hold (or UTF-8 cannot encode) reaches a cell
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"created": review_time(context)})
    symbol = context.get("currency_symbol") or "$"
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#1F3A5F", "font_color": "#FFFFFF", "text_wrap": True,
                                   "valign": "top", "border": 1}),
        "text": book.add_format({"valign": "top", "text_wrap": False}),
        "money": book.add_format({"num_format": f'"{symbol}"#,##0.00', "valign": "top"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
        "int": book.add_format({"num_format": "0", "valign": "top"}),
        "number": book.add_format({"valign": "top"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
    }
    state = context["current_state"]
    _sheet(book, "Findings", FINDINGS, context["findings"], formats)
    _sheet(book, "Risk register", RISKS, context["risks"], formats)
    _sheet(book, "Initiatives", INITIATIVES, context["initiatives"], formats)
    _budget_sheet(book, context["budget"], formats)
    _sheet(book, "Assets", ASSETS, state["assets"], formats)
    _sheet(book, "Licenses", LICENSES, state["licenses"], formats)
    _sheet(book, "Users", USERS, state["users"], formats)
    if context.get("internal"):
        _sheet(book, "Margin (internal)", MARGIN, context["internal"]["subscriptions"], formats)
    book.close()
    return reproducible(buffer.getvalue(), context)


def _sheet(book, name: str, columns: Sequence[Column], rows: list[dict], formats: dict) -> None:
    sheet = book.add_worksheet(name)
    for col, (header, _key, _kind, width) in enumerate(columns):
        sheet.write_string(0, col, header, formats["header"])
        sheet.set_column(col, col, width)
    for r, row in enumerate(rows, start=1):
        for col, (_header, key, kind, _width) in enumerate(columns):
            _write(sheet, r, col, row.get(key), kind, formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def _write(sheet, row: int, col: int, value: Any, kind: str, formats: dict) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif kind in {"money", "int", "number"} and isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, formats[kind])
    elif kind == "date" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
        sheet.write_datetime(row, col, _to_datetime(value), formats["date"])
    else:
        sheet.write_string(row, col, neutralise_formula(str(value)), formats["text"])


def _to_datetime(iso: str):
    from datetime import datetime

    return datetime.combine(date.fromisoformat(iso), datetime.min.time())


def _budget_sheet(book, budget: dict, formats: dict) -> None:
    sheet = book.add_worksheet("Budget")
    headers = ["Category", *budget["quarters"], "Total"]
    sheet.write_string(0, 0, "Category", formats["header"])
    for col, label in enumerate(budget["quarters"], start=1):
        sheet.write_string(0, col, f"{label} ({budget['fiscal_labels'][col - 1]})", formats["header"])
    sheet.write_string(0, len(headers) - 1, "Total", formats["header"])
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, len(headers) - 1, 14)
    rows = budget["rows"] + [{"category": "Total", "amounts": budget["totals"], "total": round(sum(budget["totals"]), 2)}]
    for r, row in enumerate(rows, start=1):
        sheet.write_string(r, 0, neutralise_formula(row["category"]), formats["text"])
        for col, amount in enumerate(row["amounts"], start=1):
            sheet.write_number(r, col, amount, formats["money"])
        sheet.write_number(r, len(headers) - 1, row["total"], formats["money"])
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(rows), len(headers) - 1)
