"""The findings workbook: the client review as sheets to sort, filter and sum.

Summary and Scorecard carry the same figures as the deck (the review's summary, scorecard and budget); Roadmap
has one row per initiative with its spend per quarter, Initiatives every device, user or seat each initiative
covers, and the other sheets the findings, the estate and the decisions row by row. Every value is a typed cell
(see sheets.py): nothing here computes a figure, the review did.
"""

from __future__ import annotations

from ..review.coverage import TOOL_NAMES
from ..review.model import ANNUAL, NOT_ASSESSED, ONE_TIME, PARTLY, ClientReview
from ..review.phrases import CATEGORY_LABELS
from .sheets import (DATE, DECIMAL, INT, MONEY, PERCENT, POINTS, PRICE, SEVERITY_HIGHLIGHTS, TEXT, Column,
                     Workbook, text_height)

ASSESSMENT = {NOT_ASSESSED: "Not assessed", PARTLY: "Partly assessed"}
COST_KINDS = {ONE_TIME: "One-time", ANNUAL: "Annual"}
GRADES = {"green": "Green", "amber": "Amber", "red": "Red"}
ITEM_KINDS = {"device": "Device", "user": "User", "subscription": "Subscription", "contract": "Agreement"}
SUPPORT_COLOURS = {"Unsupported": "red", "Ends within 12 months": "amber"}
WARRANTY_COLOURS = {"Expired": "red", "Expires within 90 days": "amber"}
AFFECTED_NAMES = 25  # names listed in a risk's row; the Initiatives sheet lists every one

SHEET_GUIDE = (
    ("Scorecard", "Each area's grade, what it rests on and what was not checked; the data each rests on."),
    ("Risks", "The risk register, worst first, with the initiatives that mitigate each risk."),
    ("Roadmap", "One row per initiative: its cost, when it is spent (per quarter) and who owns it."),
    ("Initiatives", "Every device, user or subscription each initiative covers, with its quarter and cost: "
                    "these rows add up to the Roadmap and the Budget."),
    ("Budget", "The forecast per category and quarter: one-time work from the initiatives, recurring costs "
               "the client already pays."),
    ("Decisions needed", "What we need the client to decide now, with its cost or saving and deadline."),
    ("Decision record", "Decisions already taken (accepted, declined, deferred, done) and where they stand."),
    ("Findings", "Every finding with the initiative that covers it. Costs are each finding's own estimate: "
                 "a device with several findings is budgeted once, on the Initiatives sheet."),
    ("Devices", "Every device, with its operating system (and the tool that reported it), support, age and "
                "warranty."),
    ("Users", "Every Microsoft 365 user with licences, activity and MFA."),
    ("Licences", "Seats purchased and assigned per product."),
    ("Subscriptions", "Active subscriptions and their renewal dates."),
    ("Agreements", "Agreements with the MSP and other vendors."),
)


def render_workbook(review: ClientReview) -> bytes:
    """The client's findings workbook (.xlsx bytes)."""
    book = Workbook(review.wording, review.as_of)
    _summary(book, review)
    _scorecard(book, review)
    _risks(book, review)
    _roadmap(book, review)
    _initiatives(book, review)
    _budget(book, review)
    _decisions_needed(book, review)
    _decision_record(book, review)
    _findings(book, review)
    _devices(book, review)
    _users(book, review)
    _licences(book, review)
    _subscriptions(book, review)
    _agreements(book, review)
    if review.internal:
        _margin(book, review.internal)
    return book.close()


def _severity(value: str) -> str:
    return value.capitalize() if value else ""


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


# ---------------------------------------------------------------- summary and scorecard
def _summary(book: Workbook, review: ClientReview) -> None:
    w, summary, budget = review.wording, review.summary, review.budget
    sheet = book.sheet("Summary")
    book.fit_width(sheet, sum(SUMMARY_WIDTHS))
    sheet.hide_gridlines(2)
    for col, width in enumerate(SUMMARY_WIDTHS):
        sheet.set_column(col, col, width)
    book.write(sheet, 0, 0, f"{review.client.name}: findings workbook, {review.quarter}", TEXT, book.title)
    row = 2
    for label, value, kind in (("Review date", review.as_of, DATE), ("Prepared by", review.msp.name, TEXT),
                               ("vCIO", review.client.vcio, TEXT)):
        if value:
            sheet.write_string(row, 0, label, book.label)
            book.write(sheet, row, 1, value, kind)
            row += 1

    row = _heading(book, sheet, row + 1, "Where you stand")
    row = _paragraph(book, sheet, row, summary.status, book.lead)
    for line in summary.headline:
        row = _paragraph(book, sheet, row, line)

    row = _heading(book, sheet, row + 1, "Key figures")
    devices_given = any(c.kind == "devices" and c.provided for c in review.coverage)
    users_given = any(c.kind == "users" and c.provided for c in review.coverage)
    quarters = budget.quarters
    first, fourth, last = (quarters[0], quarters[min(3, len(quarters) - 1)], quarters[-1]) if quarters else ("",) * 3
    severities = dict(summary.by_severity)
    figures = [
        ("Devices", summary.devices if devices_given else None, INT,
         "" if devices_given else "No device inventory was provided"),
        ("Servers", summary.servers if devices_given else None, INT, ""),
        ("Users", summary.users if users_given else None, INT,
         "" if users_given else "No Microsoft 365 user list was provided"),
        ("Licensed users", summary.licensed_users if users_given else None, INT, ""),
        ("Findings", summary.findings, INT, ""),
        *((f"{_severity(s)} findings", severities.get(s, 0), INT, "") for s in ("critical", "high", "medium", "low")),
        ("Next 90 days: one-time", budget.next_90_days_one_time, MONEY, f"{first}: the initiatives' work"),
        ("Next 90 days: in all", budget.next_90_days_total, MONEY, f"{first}: one-time and recurring"),
        ("Next 12 months: one-time", budget.next_four_one_time, MONEY, f"{first} to {fourth}"),
        ("Next 12 months: recurring", budget.next_four_recurring, MONEY,
         w.spell(f"{first} to {fourth}: the licences and agreements the client already pays")),
        ("Next 12 months: in all", budget.next_four_total, MONEY, f"{first} to {fourth}"),
        (f"Next {len(quarters)} quarters: in all", budget.horizon_total, MONEY, f"{first} to {last}"),
        (w.spell("Licence savings a year"), budget.annual_savings, MONEY, "Beside the forecast, not deducted from it"),
        ("Decisions needed", len(review.decisions_needed), INT, "See the Decisions needed sheet"),
    ]
    for label, value, kind, note in figures:
        sheet.write_string(row, 0, label, book.label)
        book.write(sheet, row, 1, value, kind)
        book.write(sheet, row, 2, note, TEXT, book.note)
        row += 1

    if summary.top_risks:
        row = _heading(book, sheet, row + 1, "Top risks")
        for number, text in enumerate(summary.top_risks, start=1):
            row = _paragraph(book, sheet, row, f"{number}. {text}")

    row = _heading(book, sheet, row + 1, "Sheets in this workbook")
    guide = [(w.spell(name), w.spell(text)) for name, text in SHEET_GUIDE]
    if review.internal:
        guide.append(("Margin (internal)", "The MSP's cost and margin per subscription: remove this sheet before "
                                           "the workbook goes to the client."))
    for name, text in guide:
        sheet.write_string(row, 0, name, book.label)
        sheet.merge_range(row, 1, row, 2, "", book.wrapped)
        book.write(sheet, row, 1, text, TEXT, book.wrapped)
        sheet.set_row(row, text_height(text, sum(SUMMARY_WIDTHS[1:])))
        row += 1


SUMMARY_WIDTHS = (30, 14, 70)


def _heading(book: Workbook, sheet, row: int, text: str) -> int:
    sheet.write_string(row, 0, text, book.heading)
    return row + 1


def _paragraph(book: Workbook, sheet, row: int, text: str, fmt=None) -> int:
    """A sentence across the summary's width, wrapped, on a row high enough for it."""
    sheet.merge_range(row, 0, row, len(SUMMARY_WIDTHS) - 1, "", fmt or book.wrapped)
    book.write(sheet, row, 0, text, TEXT, fmt or book.wrapped)
    sheet.set_row(row, text_height(text, sum(SUMMARY_WIDTHS)))
    return row + 1


def _scorecard(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Scorecard")
    columns = (Column("Area", TEXT, 32), Column("Assessment", TEXT, 16), Column("Score", PERCENT, 9),
               Column("Grade", TEXT, 9), Column("Items graded", INT, 13), Column("With findings", INT, 13),
               Column("Counted in", TEXT, 26), Column("Not checked", TEXT, 60),
               Column("Change since last review", POINTS, 14))
    rows = [(g.label, ASSESSMENT.get(g.status, "Assessed"),
             g.percent / 100 if g.percent is not None else None, GRADES.get(g.colour, "") if g.graded else "",
             g.assessed if g.graded else None, g.affected if g.graded else None, g.unit, "; ".join(g.missing),
             g.delta) for g in review.scorecard]
    last = book.table(sheet, "Scorecard", columns, rows, alone=False)
    colours = [g.colour if g.graded else None for g in review.scorecard]  # never a colour without a grade
    book.colour(sheet, 1, 2, [r[2] for r in rows], colours, PERCENT)
    book.colour(sheet, 1, 3, [r[3] for r in rows], colours)
    book.colour(sheet, 1, 1, [r[1] for r in rows], ["grey" if not g.graded else None for g in review.scorecard])

    row = last + 2
    sheet.write_string(row, 0, "Data coverage", book.heading)
    sheet.write_string(row + 1, 1, "Provided", book.label)
    sheet.write_string(row + 1, 2, "Detail", book.label)
    for row, source in enumerate(review.coverage, start=row + 2):  # the details run on into the empty cells
        book.write(sheet, row, 0, source.label, TEXT, book.label)
        book.write(sheet, row, 1, _yes(source.provided), TEXT, None if source.provided else book.highlights["grey"])
        book.write(sheet, row, 2, source.detail)
    end = row
    sheet.write_string(end + 2, 0, "How the grades are calculated", book.heading)
    sheet.merge_range(end + 3, 0, end + 3, 7, "", book.wrapped)
    book.write(sheet, end + 3, 0, review.method.grades, TEXT, book.wrapped)
    sheet.set_row(end + 3, 90)


# ---------------------------------------------------------------- plan and money
def _risks(book: Workbook, review: ClientReview) -> None:
    w = review.wording
    sheet = book.sheet("Risks")
    columns = (Column("Risk ID", TEXT, 12), Column("Risk", TEXT, 75), Column("Severity", TEXT, 10),
               Column("Category", TEXT, 15), Column("Likelihood (1-5)", INT, 12), Column("Impact (1-5)", INT, 10),
               Column("Score", INT, 8), Column("Band", TEXT, 8), Column("First date", DATE, 13),
               Column("Findings", INT, 10), Column("Cost of inaction", TEXT, 60),
               Column("Mitigating initiatives", TEXT, 60), Column("Initiative IDs", TEXT, 28),
               Column("Affected", TEXT, 60))
    rows = ((r.risk_id, r.title, _severity(r.severity), w.spell(CATEGORY_LABELS.get(r.category, r.category)),
             r.likelihood, r.impact, r.score, r.band.capitalize(), r.since, r.finding_count, r.cost_of_inaction,
             "; ".join(r.mitigations), ", ".join(r.initiative_ids), w.names(list(r.subjects), AFFECTED_NAMES))
            for r in review.risks)
    last = book.table(sheet, "Risks", columns, rows, freeze_columns=2)
    book.highlight(sheet, 1, last, 2, SEVERITY_HIGHLIGHTS)


def _roadmap(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Roadmap")
    quarters = review.budget.quarters
    columns = (Column("Rank", INT, 6), Column("Initiative ID", TEXT, 13), Column("Initiative", TEXT, 50),
               Column("Severity", TEXT, 10), Column("Phase", TEXT, 12), Column("One-time cost", MONEY, 13),
               Column("Annual cost", MONEY, 12), Column("Annual saving", MONEY, 12),
               *(Column(q, MONEY, 11) for q in quarters), Column("Deadline", DATE, 13), Column("Owner", TEXT, 18),
               Column("Business goal", TEXT, 40), Column("Success metric", TEXT, 60), Column("Items", INT, 8),
               Column("Findings", INT, 9), Column("Summary", TEXT, 80))
    rows = ((i.rank, i.initiative_id, i.title, _severity(i.severity), i.phase, i.one_time_cost,
             max(i.annual_recurring, 0.0) or None, i.annual_saving or None,
             *(i.spend_in(q) or None for q in quarters), i.deadline, i.owner, i.goal, i.success_metric,
             len(i.items), len(i.finding_ids), i.summary) for i in review.initiatives)
    last = book.table(sheet, "Roadmap", columns, rows, freeze_columns=3)
    book.highlight(sheet, 1, last, 3, SEVERITY_HIGHLIGHTS)


def _initiatives(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Initiatives")
    columns = (Column("Rank", INT, 6), Column("Initiative ID", TEXT, 13), Column("Initiative", TEXT, 45),
               Column("Covers", TEXT, 36), Column("Kind", TEXT, 12), Column("Severity", TEXT, 10),
               Column("What we found", TEXT, 70), Column("What we do", TEXT, 70), Column("Quarter", TEXT, 9),
               Column("One-time cost", MONEY, 13), Column("Annual cost", MONEY, 12),
               Column("Annual saving", MONEY, 12), Column("Finding IDs", TEXT, 28))
    rows = ((i.rank, i.initiative_id, i.title, item.subject, ITEM_KINDS.get(item.kind, item.kind.capitalize()),
             _severity(item.severity), item.detail, item.action, item.quarter, item.one_time or None,
             max(item.annual, 0.0) or None, -item.annual if item.annual < 0 else None, ", ".join(item.finding_ids))
            for i in review.initiatives for item in i.items)
    last = book.table(sheet, "Initiatives", columns, rows, freeze_columns=4)
    book.highlight(sheet, 1, last, 5, SEVERITY_HIGHLIGHTS)


def _budget(book: Workbook, review: ClientReview) -> None:
    budget = review.budget
    sheet = book.sheet("Budget")
    quarters = budget.quarters
    calendar = list(budget.fiscal_labels) == [f"FY{q[:4]} Q{q[-1]}" for q in quarters]
    top = 0 if calendar else 1
    if not calendar:  # the client's fiscal quarters above the calendar ones
        sheet.write_string(0, 1, "Fiscal quarter", book.label)
        for col, label in enumerate(budget.fiscal_labels, start=2):
            book.write(sheet, 0, col, label, TEXT, book.label)
    columns = (Column("Category", TEXT, 14), Column("Kind", TEXT, 11), *(Column(q, MONEY, 11) for q in quarters),
               Column("Total", MONEY, 13))
    rows = ((line.category, "Recurring" if line.recurring else "One-time", *(a or None for a in line.amounts),
             line.total) for line in budget.lines)
    last = book.table(sheet, "Budget", columns, rows, first_row=top, freeze_columns=2, alone=False)
    totals = (("One-time", budget.one_time, budget.one_time_total),
              ("Recurring", budget.recurring, budget.recurring_total),
              ("Total", budget.totals, budget.horizon_total))
    for row, (label, amounts, total) in enumerate(totals, start=last + 1):
        sheet.write_string(row, 0, label, book.label)
        for col, amount in enumerate((*amounts, total), start=2):
            book.write(sheet, row, col, amount, MONEY, book.bold_money if label == "Total" else None)

    row = last + len(totals) + 2
    sheet.write_string(row, 0, "By fiscal year", book.heading)
    for row, (label, amount) in enumerate(budget.fiscal_years, start=row + 1):
        book.write(sheet, row, 0, label, TEXT, book.label)
        book.write(sheet, row, 2, amount, MONEY)
    note = row + 2
    sheet.merge_range(note, 0, note, min(9, len(columns) - 1), "", book.wrapped)
    book.write(sheet, note, 0, review.wording.spell(review.method.money), TEXT, book.wrapped)
    sheet.set_row(note, 75)


def _decisions_needed(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Decisions needed")
    columns = (Column("Initiative ID", TEXT, 13), Column("Decision needed", TEXT, 55), Column("Severity", TEXT, 10),
               Column("Why now", TEXT, 45), Column("Cost next 90 days", MONEY, 13), Column("One-time cost", MONEY, 13),
               Column("Annual saving", MONEY, 12), Column("Deadline", DATE, 13), Column("Owner", TEXT, 18),
               Column("Renews at a year", MONEY, 13))
    rows = ((d.initiative_id, d.title, _severity(d.severity), d.why, d.cost_next_quarter, d.cost_total,
             d.annual_saving or None, d.deadline, d.owner, d.annual_value or None) for d in review.decisions_needed)
    last = book.table(sheet, "DecisionsNeeded", columns, rows, freeze_columns=2)
    book.highlight(sheet, 1, last, 2, SEVERITY_HIGHLIGHTS)


def _decision_record(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Decision record")
    columns = (Column("Item ID", TEXT, 13), Column("Recommendation", TEXT, 55), Column("Decision", TEXT, 10),
               Column("Decided on", DATE, 13), Column("Decided by", TEXT, 18), Column("Revisit in", TEXT, 10),
               Column("Due for review", TEXT, 9), Column("Where it stands", TEXT, 45),
               Column("Risk of inaction", TEXT, 60), Column("Note", TEXT, 45))
    rows = ((d.item_id, d.title, d.decision.capitalize(), d.decided_on, d.decided_by, d.revisit_quarter,
             "Yes" if d.due_for_review else "", d.status, d.risk_of_inaction, d.note) for d in review.decisions)
    book.table(sheet, "DecisionRecord", columns, rows, freeze_columns=2)
    book.colour(sheet, 1, 2, [d.decision.capitalize() for d in review.decisions],
                ["amber" if d.decision == "declined" else None for d in review.decisions])


# ---------------------------------------------------------------- rows
def _findings(book: Workbook, review: ClientReview) -> None:
    w = review.wording
    titles = {i.initiative_id: i.title for i in review.initiatives}
    categories = {key: w.spell(label) for key, label in CATEGORY_LABELS.items()}
    sheet = book.sheet("Findings")
    columns = (Column("Finding ID", TEXT, 13), Column("Initiative ID", TEXT, 13), Column("Initiative", TEXT, 40),
               Column("Category", TEXT, 15), Column("Severity", TEXT, 10), Column("Title", TEXT, 70),
               Column("Subject", TEXT, 28), Column("Due date", DATE, 13), Column("Budgeted in", TEXT, 11),
               Column("Cost kind", TEXT, 10), Column("One-time cost", MONEY, 13), Column("Monthly cost", PRICE, 12),
               Column("Annual cost", MONEY, 12), Column("Recommendation", TEXT, 80), Column("Source rows", TEXT, 40))
    rows = []
    for f in review.findings:
        kind, cost = f.cost_kind, f.budgeted
        rows.append((f.finding_id, f.initiative_id, titles.get(f.initiative_id, ""),
                     categories.get(f.category, f.category), _severity(f.severity), f.title, f.subject, f.due_date,
                     f.quarter if kind == ONE_TIME else "", COST_KINDS.get(kind, ""),
                     cost if kind == ONE_TIME else None, f.monthly_budgeted if kind == ANNUAL else None,
                     cost if kind == ANNUAL else None, f.recommendation, ";".join(f.sources)))
    last = book.table(sheet, "Findings", columns, rows, freeze_columns=1)
    book.highlight(sheet, 1, last, 4, SEVERITY_HIGHLIGHTS)


def _devices(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Devices")
    columns = (Column("Hostname", TEXT, 22), Column("Type", TEXT, 10), Column("Operating system", TEXT, 30),
               Column("OS reported by", TEXT, 11), Column("Support", TEXT, 22),
               Column("End of support", DATE, 14), Column("In service since", DATE, 14),
               Column("Age (years)", DECIMAL, 10), Column("Warranty", TEXT, 21), Column("Warranty end", DATE, 14),
               Column("Replacement due", DATE, 14), Column("Serial", TEXT, 16), Column("Model", TEXT, 24),
               Column("Last seen", DATE, 14), Column("Seen by", TEXT, 26), Column("Initiative", TEXT, 45))
    devices = review.current_state.devices
    rows = ((d.hostname, d.device_type.capitalize(), d.os, _tools(d.os_source), d.support,
             d.end_of_support, d.in_service_since, d.age_years, d.warranty, d.warranty_end, d.replacement_due,
             d.serial, d.model, d.last_seen, _tools(d.sources), d.initiative) for d in devices)
    book.table(sheet, "Devices", columns, rows, freeze_columns=1)
    book.colour(sheet, 1, 4, [d.support for d in devices], [SUPPORT_COLOURS.get(d.support) for d in devices])
    book.colour(sheet, 1, 8, [d.warranty for d in devices], [WARRANTY_COLOURS.get(d.warranty) for d in devices])


def _tools(kinds: str) -> str:
    """ "psa, rmm" -> "PSA, RMM": the tools' names as the reader knows them."""
    return ", ".join(TOOL_NAMES.get(kind, kind) for kind in kinds.split(", ") if kind)


def _users(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Users")
    columns = (Column("User principal name", TEXT, 38), Column("Name", TEXT, 24), Column("Licences", TEXT, 50),
               Column("Status", TEXT, 10), Column("Last activity", DATE, 14), Column("Activity reported", TEXT, 10),
               Column("MFA", TEXT, 15))
    rows = ((u.upn, u.name, u.licences, u.status.capitalize(), u.last_activity, _yes(u.activity_known),
             u.mfa.capitalize()) for u in review.current_state.users)
    users = review.current_state.users
    book.table(sheet, "Users", columns, rows, freeze_columns=1)
    book.colour(sheet, 1, 6, [u.mfa.capitalize() for u in users], ["red" if u.mfa == "not registered" else None
                                                                    for u in users])


def _licences(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Licences")
    columns = (Column("Product", TEXT, 45), Column("Purchased", INT, 11), Column("Assigned", INT, 10),
               Column("Unassigned", INT, 11), Column("Price per seat a month", PRICE, 14), Column("Renews on", DATE, 14))
    rows = ((r.product, r.purchased, r.assigned, r.spare, r.monthly_price, r.renews_on)
            for r in review.current_state.licences)
    licences = review.current_state.licences
    book.table(sheet, book.wording.spell("Licences"), columns, rows)
    book.colour(sheet, 1, 3, [r.spare for r in licences], ["amber" if r.spare else None for r in licences], INT)


def _subscriptions(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Subscriptions")
    columns = (Column("Product", TEXT, 45), Column("Seats", INT, 8), Column("Term", TEXT, 10),
               Column("Renews on", DATE, 14), Column("Monthly value", PRICE, 14))
    rows = ((s.product, s.quantity, s.term.capitalize(), s.renews_on, s.monthly_value)
            for s in review.current_state.subscriptions)
    book.table(sheet, "Subscriptions", columns, rows)


def _agreements(book: Workbook, review: ClientReview) -> None:
    sheet = book.sheet("Agreements")
    columns = (Column("Agreement", TEXT, 45), Column("Type", TEXT, 18), Column("Start", DATE, 14),
               Column("End", DATE, 14), Column("Open-ended", TEXT, 11), Column("Monthly value", PRICE, 14))
    rows = ((c.name, c.type, c.start, c.end, "Yes" if c.no_end else "", c.monthly_value)
            for c in review.current_state.contracts)
    book.table(sheet, "Agreements", columns, rows)


def _margin(book: Workbook, internal: dict) -> None:
    sheet = book.sheet("Margin (internal)")
    columns = (Column("Product", TEXT, 45), Column("Seats", INT, 8), Column("Client price a seat a month", PRICE, 16),
               Column("MSP cost a seat a month", PRICE, 16), Column("Margin a month", PRICE, 14),
               Column("Margin %", PERCENT, 10))
    rows = ((s["product"], s["quantity"], s["price"], s["partner_cost"], s["margin_monthly"],
             s["margin_percent"] / 100 if s["margin_percent"] is not None else None)
            for s in internal.get("subscriptions") or [])
    book.table(sheet, "Margin", columns, rows)
