"""The MSP owner's view across all clients: one row per client, a workbook and a short deck.

``portfolio_row`` reads only a client's plain render context (pipeline/render/context.py), with the
grade deltas from its ``changes`` (filled from history), so the driver can build the rows from the
contexts the workers returned.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..findings.rollup import AREA_LABELS
from ..quarters import Quarter
from ..resources import builtin_template
from ..render.package import dated_zip, stamp_core_properties
from .records import AREAS, to_date, to_float

REPO_TEMPLATE = builtin_template("qbr.pptx")
BUDGET_CATEGORIES = ("Hardware", "Projects", "Licensing", "Contracts")
RISK_INDEX_METHOD = ("Risk index = the sum of the client's three highest risk scores (likelihood x impact, "
                     "each 1-25), so 0-75; clients are ranked by it, then by critical and high findings.")
COLOURS = {"green": "2E7D32", "amber": "F2A900", "red": "C62828", "grey": "9E9E9E"}


def _colour(percent: float | None) -> str:
    if percent is None:
        return "grey"
    return "green" if percent >= 80 else "amber" if percent >= 50 else "red"


# ---------------------------------------------------------------- rows
def portfolio_row(client_name: str, context: dict, changes: dict | None = None) -> dict:
    """Per-client figures for the portfolio, from the client's render context (plus ``changes`` when the
    context was built without them)."""
    changes = changes if changes is not None else (context.get("changes") or {})
    summary = context.get("summary") or {}
    findings = context.get("findings") or []
    risks = sorted(context.get("risks") or [], key=lambda r: -(r.get("score") or 0))
    budget = context.get("budget") or {}
    quarter = context.get("quarter") or ""
    as_of = to_date(context.get("as_of_iso")) or (Quarter.parse(quarter).end if quarter else date.today())
    next_quarter = Quarter.parse(quarter).next() if quarter else Quarter.of(as_of).next()

    grades = {g.get("area"): g for g in context.get("grades") or []}
    deltas = {g.get("area"): g.get("delta") for g in changes.get("grade_changes") or []}
    known = [to_float(grades[a].get("percent")) for a in AREAS if a in grades]
    known = [p for p in known if p is not None]

    def by_category(*names: str) -> list[dict]:
        return [f for f in findings if f.get("category") in names]

    eol = by_category("end_of_life")
    warranty = by_category("warranty")
    renewals = [f for f in by_category("renewal")
                if (d := to_date(f.get("due_date"))) is not None and next_quarter.start <= d <= next_quarter.end]
    licence = context.get("license_optimisation") or {}
    row: dict[str, Any] = {
        "client": client_name,
        "quarter": quarter,
        "vcio": (context.get("client") or {}).get("vcio", ""),
        "tier": (context.get("client") or {}).get("tier", ""),
        "currency_symbol": context.get("currency_symbol", "$"),
        "devices": int(summary.get("devices") or 0),
        "users": int(summary.get("users") or 0),
        "findings": int(summary.get("findings") or len(findings)),
        **{s: int(summary.get(s) or 0) for s in ("critical", "high", "medium", "low")},
        "risk_index": sum(int(r.get("score") or 0) for r in risks[:3]),
        "high_risks": sum(1 for r in risks if r.get("band") == "high"),
        "top_risk": risks[0].get("title", "") if risks else "",
        "overall_percent": round(sum(known) / len(known), 1) if known else None,
        "eol_items": len({f.get("subject") for f in eol}),
        "eol_cost": round(sum(to_float(f.get("estimated_cost")) or 0 for f in eol if f.get("cost_kind") != "recurring"), 2),
        "warranty_items": len({f.get("subject") for f in warranty}),
        "warranty_expired": len({f.get("subject") for f in warranty
                                 if (d := to_date(f.get("due_date"))) is not None and d < as_of}),
        "next_quarter": next_quarter.label,
        "renewals_next_quarter": len(renewals),
        "renewals_value": round(sum(to_float(f.get("estimated_cost")) or 0 for f in renewals), 2),
        "license_waste_items": int(licence.get("count") or 0),
        "license_waste_annual": round(to_float(licence.get("total_annual")) or 0.0, 2),
        "budget_quarters": list(budget.get("quarters") or []),
        "budget_by_category": {r.get("category"): [to_float(v) or 0.0 for v in r.get("amounts") or []]
                               for r in budget.get("rows") or []},
        "budget_totals": [to_float(v) or 0.0 for v in budget.get("totals") or []],
        "budget_next_four": round(to_float(budget.get("next_four_total")) or 0.0, 2),
        "savings_annual": round(to_float(budget.get("savings")) or 0.0, 2),
        "first_review": bool(changes.get("first_review", True)),
        "previous_quarter": changes.get("previous_quarter"),
        "new_findings": len(changes.get("new") or []),
        "resolved_findings": len(changes.get("resolved") or []),
        "completed_initiatives": len(changes.get("completed_initiatives") or []),
    }
    for area in AREAS:
        grade = grades.get(area) or {}
        percent = to_float(grade.get("percent"))
        row[f"{area}_percent"] = percent
        row[f"{area}_colour"] = grade.get("colour") or _colour(percent)
        row[f"{area}_delta"] = to_float(deltas.get(area))
    return row


def rank_by_risk(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (-r["risk_index"], -r["critical"], -r["high"], r["client"].casefold()))


def _budget_pipeline(rows: list[dict]) -> tuple[list[str], dict[str, list[float]]]:
    """Quarters (union, sorted) and the amount per budget category summed over all clients."""
    quarters = sorted({q for r in rows for q in r.get("budget_quarters", [])})
    index = {q: i for i, q in enumerate(quarters)}
    names = list(BUDGET_CATEGORIES) + sorted({c for r in rows for c in r.get("budget_by_category", {})}
                                             - set(BUDGET_CATEGORIES))
    sums = {c: [0.0] * len(quarters) for c in names}
    for r in rows:
        for category, amounts in r.get("budget_by_category", {}).items():
            for q, value in zip(r.get("budget_quarters", []), amounts):
                sums[category][index[q]] += value
    return quarters, {c: [round(v, 2) for v in values] for c, values in sums.items() if any(values)}


# ---------------------------------------------------------------- workbook
PORTFOLIO_COLUMNS: list[tuple[str, str, str]] = [  # (key, header, kind: text | int | money | percent | delta)
    ("client", "Client", "text"), ("vcio", "vCIO", "text"), ("tier", "Tier", "text"),
    ("risk_index", "Risk index", "int"), ("top_risk", "Top risk", "text"),
    ("critical", "Critical", "int"), ("high", "High", "int"), ("findings", "Findings", "int"),
    ("devices", "Devices", "int"), ("users", "Users", "int"),
    ("overall_percent", "Overall", "percent"),
    *[(f"{a}_{suffix}", f"{AREA_LABELS[a]}{' change' if suffix == 'delta' else ''}", kind)
      for a in AREAS for suffix, kind in (("percent", "percent"), ("delta", "delta"))],
    ("eol_items", "End-of-life items", "int"), ("eol_cost", "End-of-life replacement", "money"),
    ("warranty_items", "Warranty items", "int"), ("warranty_expired", "Warranty expired", "int"),
    ("renewals_next_quarter", "Renewals next quarter", "int"), ("renewals_value", "Renewal value / yr", "money"),
    ("license_waste_items", "License waste items", "int"), ("license_waste_annual", "License waste / yr", "money"),
    ("budget_next_four", "Budget next 4 quarters", "money"), ("savings_annual", "Savings / yr", "money"),
    ("new_findings", "New findings", "int"), ("resolved_findings", "Resolved findings", "int"),
    ("completed_initiatives", "Completed initiatives", "int"),
]


def _review_date(as_of: date | None, quarter: str) -> date:
    """The date the portfolio's files are stamped with: the run's review date, else its quarter's last day."""
    if as_of is not None:
        return as_of
    return Quarter.parse(quarter).end if quarter else date(2000, 1, 1)


def portfolio_workbook(rows: list[dict], quarter: str = "", msp_name: str = "", as_of: date | None = None) -> bytes:
    """Portfolio.xlsx: sheets Portfolio (one row per client, ranked by risk), Budget (client x quarter),
    Budget pipeline (category x quarter) and About. Text cells via write_string; header frozen; filters.
    Dated ``as_of`` (the review date) throughout, so the same rows give the same bytes."""
    import xlsxwriter

    day = _review_date(as_of, quarter)
    ranked = rank_by_risk(rows)
    symbol = rows[0].get("currency_symbol", "$") if rows else "$"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"created": datetime.combine(day, time())})
    header = book.add_format({"bold": True, "bg_color": "#1B2A41", "font_color": "#FFFFFF", "text_wrap": True,
                              "valign": "top", "border": 1})
    money_fmt = book.add_format({"num_format": f'"{symbol}"#,##0'})
    percent_fmt = book.add_format({"num_format": '0"%"'})
    delta_fmt = book.add_format({"num_format": '+0;-0;0'})
    fills = {name: book.add_format({"bg_color": f"#{rgb}", "font_color": "#FFFFFF" if name != "amber" else "#000000"})
             for name, rgb in COLOURS.items()}
    formats = {"money": money_fmt, "percent": percent_fmt, "delta": delta_fmt, "int": None}

    sheet = book.add_worksheet("Portfolio")
    for col, (_key, title, kind) in enumerate(PORTFOLIO_COLUMNS):
        sheet.write_string(0, col, title, header)
        sheet.set_column(col, col, 28 if kind == "text" and col in (0, 4) else 12)
    for r, row in enumerate(ranked, start=1):
        for col, (key, _title, kind) in enumerate(PORTFOLIO_COLUMNS):
            _write(sheet, r, col, row.get(key), kind, formats)
    last = max(len(ranked), 1)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, last, len(PORTFOLIO_COLUMNS) - 1)
    sheet.set_row(0, 32)
    for col, (key, _title, kind) in enumerate(PORTFOLIO_COLUMNS):
        if kind == "percent" and ranked:
            sheet.conditional_format(1, col, len(ranked), col, {"type": "cell", "criteria": ">=", "value": 80,
                                                                 "format": fills["green"]})
            sheet.conditional_format(1, col, len(ranked), col, {"type": "cell", "criteria": "between", "minimum": 50,
                                                                 "maximum": 79.9999, "format": fills["amber"]})
            sheet.conditional_format(1, col, len(ranked), col, {"type": "cell", "criteria": "<", "value": 50,
                                                                 "format": fills["red"]})

    quarters = sorted({q for r in rows for q in r.get("budget_quarters", [])})
    budget = book.add_worksheet("Budget")
    budget.write_string(0, 0, "Client", header)
    for c, q in enumerate(quarters, start=1):
        budget.write_string(0, c, q, header)
    budget.write_string(0, len(quarters) + 1, "Total", header)
    budget.set_column(0, 0, 28)
    budget.set_column(1, len(quarters) + 1, 12)
    for r, row in enumerate(ranked, start=1):
        budget.write_string(r, 0, row["client"])
        amounts = dict(zip(row.get("budget_quarters", []), row.get("budget_totals", [])))
        for c, q in enumerate(quarters, start=1):
            budget.write_number(r, c, amounts.get(q, 0.0), money_fmt)
        budget.write_number(r, len(quarters) + 1, round(sum(amounts.values()), 2), money_fmt)
    budget.freeze_panes(1, 1)
    budget.autofilter(0, 0, last, len(quarters) + 1)

    labels, pipeline = _budget_pipeline(rows)
    pipe = book.add_worksheet("Budget pipeline")
    pipe.write_string(0, 0, "Category", header)
    for c, q in enumerate(labels, start=1):
        pipe.write_string(0, c, q, header)
    pipe.set_column(0, 0, 16)
    pipe.set_column(1, len(labels), 12)
    for r, (category, values) in enumerate(pipeline.items(), start=1):
        pipe.write_string(r, 0, category)
        for c, value in enumerate(values, start=1):
            pipe.write_number(r, c, value, money_fmt)
    total_row = len(pipeline) + 1
    pipe.write_string(total_row, 0, "Total", book.add_format({"bold": True}))
    for c in range(len(labels)):
        pipe.write_number(total_row, c + 1, round(sum(v[c] for v in pipeline.values()), 2), money_fmt)
    pipe.freeze_panes(1, 1)
    pipe.autofilter(0, 0, max(len(pipeline), 1), max(len(labels), 1))

    about = book.add_worksheet("About")
    about.set_column(0, 0, 22)
    about.set_column(1, 1, 100)
    for r, (name, value) in enumerate([("Portfolio", msp_name or ""), ("Quarter", quarter or ""),
                                        ("Clients", str(len(rows))), ("As of", day.isoformat()),
                                        ("Risk index", RISK_INDEX_METHOD),
                                        ("Grades", "Percent per area; green 80+, amber 50+, red below 50; "
                                                   "change = points since the previous review.")]):
        about.write_string(r, 0, name, header if r == 0 else None)
        about.write_string(r, 1, value)
    about.freeze_panes(1, 0)
    about.autofilter(0, 0, 5, 1)
    book.close()
    return dated_zip(buffer.getvalue(), day)


def _write(sheet, row: int, col: int, value: Any, kind: str, formats: dict) -> None:
    if kind == "text":
        sheet.write_string(row, col, "" if value is None else str(value))
    elif value is None:
        sheet.write_blank(row, col, None)
    else:
        fmt = formats.get(kind)
        if fmt is None:
            sheet.write_number(row, col, value)
        else:
            sheet.write_number(row, col, value, fmt)


# ---------------------------------------------------------------- deck
_WIDE = {"Client", "Top risk"}
_LAYOUT_NAMES = {
    "title": ("vcio Title", "Title Slide"),
    "table": ("vcio Title and Table", "Title Only", "Title and Content"),
    "chart": ("vcio Title and Chart", "Title Only", "Title and Content"),
}


def _money(value: float, symbol: str) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.0f}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _delta(value: float | None) -> str:
    if value is None:
        return "-"
    return "0" if round(value) == 0 else f"{value:+.0f}"


def _moved(value: float | None) -> int:
    """-1, 0 or +1: the direction of a grade change of at least one point (as shown, rounded)."""
    if value is None or round(value) == 0:
        return 0
    return 1 if value > 0 else -1


class _Deck:
    def __init__(self, template: Path | None, day: date):
        from pptx import Presentation

        self.day = day
        path = template if template is not None else (REPO_TEMPLATE if REPO_TEMPLATE.is_file() else None)
        self.prs = Presentation(str(path)) if path else Presentation()
        self._drop_existing_slides()
        by_name = {layout.name.casefold(): layout for layout in self.prs.slide_layouts}
        self.layouts = {}
        for role, names in _LAYOUT_NAMES.items():
            found = next((by_name[n.casefold()] for n in names if n.casefold() in by_name), None)
            self.layouts[role] = found or self.prs.slide_layouts[0 if role == "title" else
                                                                 min(5, len(self.prs.slide_layouts) - 1)]

    def _drop_existing_slides(self) -> None:
        ids = self.prs.slides._sldIdLst  # a template's sample slides are not part of the portfolio
        for slide_id in list(ids):
            self.prs.part.drop_rel(slide_id.rId)
            ids.remove(slide_id)

    def save(self) -> bytes:
        stamp_core_properties(self.prs.core_properties, datetime.combine(self.day, time()))
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return dated_zip(buffer.getvalue(), self.day)

    # -------------------------------------------------------- slides
    def title_slide(self, title: str, subtitle: str, prepared_by: str) -> None:
        slide = self.prs.slides.add_slide(self.layouts["title"])
        slide.shapes.title.text = title
        indexes = {ph.placeholder_format.idx for ph in slide.placeholders}
        if 13 not in indexes and prepared_by:  # e.g. the default template: one subtitle placeholder
            subtitle = f"{subtitle}\n{prepared_by}"
        for ph in list(slide.placeholders):
            idx = ph.placeholder_format.idx
            if idx == 0:
                continue
            if idx == 1:
                ph.text_frame.text = subtitle
            elif idx == 13 and ph.has_text_frame and prepared_by:
                ph.text_frame.text = prepared_by
            else:
                _remove(ph)

    def _content_slide(self, role: str, title: str, takeaway: str, notes: str):
        slide = self.prs.slides.add_slide(self.layouts[role])
        slide.shapes.title.text = title
        area = None
        for ph in list(slide.placeholders):
            idx = ph.placeholder_format.idx
            if idx == 0:
                continue
            kind = str(ph.placeholder_format.type)
            if idx == 13 and ph.has_text_frame and takeaway:
                ph.text_frame.text = takeaway
                takeaway = ""
                continue
            if area is None and any(k in kind for k in ("TABLE", "CHART", "OBJECT", "BODY")) and idx != 13:
                area = (ph.left, ph.top, ph.width, ph.height)
            _remove(ph)
        if area is None:
            from pptx.util import Emu

            title_shape = slide.shapes.title
            top = (title_shape.top + title_shape.height) if title_shape.top is not None else Emu(1371600)
            margin = Emu(457200)
            area = (margin, top + Emu(182880), self.prs.slide_width - 2 * margin,
                    self.prs.slide_height - top - Emu(182880) - margin)
        if takeaway:  # no takeaway placeholder: a line above the content
            from pptx.util import Emu, Pt

            left, top, width, height = area
            box = slide.shapes.add_textbox(left, top, width, Emu(365760))
            box.text_frame.word_wrap = True
            box.text_frame.text = takeaway
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
            area = (left, top + Emu(411480), width, height - Emu(411480))
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide, area

    def table_slide(self, title: str, header: list[str], body: list[list[str]], takeaway: str = "", notes: str = "",
                    fills: list[list[str | None]] | None = None, empty: str = "Nothing to report.",
                    weights: list[float] | None = None) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Emu, Pt

        slide, (left, top, width, height) = self._content_slide("table", title, takeaway, notes)
        if not body:
            box = slide.shapes.add_textbox(left, top, width, Emu(457200))
            box.text_frame.text = empty
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
            return
        row_height = Emu(320040)  # 0.35 in
        table_height = min(height, row_height * (len(body) + 1))
        shape = slide.shapes.add_table(len(body) + 1, len(header), left, top, width, table_height)
        table = shape.table
        weights = weights or [2.0 if c == 0 or header[c] in _WIDE else 1.0 for c in range(len(header))]
        for c, weight in enumerate(weights):
            table.columns[c].width = Emu(int(width * weight / sum(weights)))
        size = Pt(12 if len(body) <= 10 else 10)
        for c, text in enumerate(header):
            _cell(table.cell(0, c), text, size, bold=True)
        for r, cells in enumerate(body, start=1):
            for c, text in enumerate(cells):
                cell = table.cell(r, c)
                fill = fills[r - 1][c] if fills else None
                _cell(cell, text, size, colour="FFFFFF" if fill and fill != COLOURS["amber"] else None)
                if fill:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(fill)

    def chart_slide(self, title: str, categories: list[str], series: dict[str, list[float]], takeaway: str = "",
                    notes: str = "", symbol: str = "$") -> None:
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Emu, Pt

        from ..render.nativechart import chart_data, unsigned_axis_ids

        slide, (left, top, width, height) = self._content_slide("chart", title, takeaway, notes)
        if not categories or not series:
            box = slide.shapes.add_textbox(left, top, width, Emu(457200))
            box.text_frame.text = "No budget forecast yet."
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
            return
        data = chart_data(categories, series, f'"{symbol}"#,##0', datetime.combine(self.day, time()))
        chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, left, top, width, height, data).chart
        unsigned_axis_ids(chart._chartSpace)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.value_axis.tick_labels.number_format = f'"{symbol}"#,##0'
        chart.value_axis.tick_labels.number_format_is_linked = False
        chart.value_axis.has_major_gridlines = True
        chart.font.size = Pt(11)


def _remove(placeholder) -> None:
    element = placeholder.element
    element.getparent().remove(element)


def _cell(cell, text: str, size, bold: bool = False, colour: str | None = None) -> None:
    from pptx.dml.color import RGBColor

    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = size
            run.font.bold = bold or None
            if colour:
                run.font.color.rgb = RGBColor.from_string(colour)


def portfolio_deck(rows: list[dict], quarter: str, msp_name: str, template: Path | str | None = None,
                   max_rows: int = 12, as_of: date | None = None) -> bytes:
    """A short deck for the MSP owner: title, clients ranked by risk, grades, end-of-life and warranty
    exposure, renewals next quarter, license waste, the budget pipeline (native stacked column chart)
    and grade changes since last quarter. Tables show the top ``max_rows``; the workbook has them all."""
    deck = _Deck(Path(template) if template else None, _review_date(as_of, quarter))
    symbol = rows[0].get("currency_symbol", "$") if rows else "$"
    ranked = rank_by_risk(rows)
    n = len(rows)

    def more(shown: int, total: int) -> str:
        return f" Showing {shown} of {total}; the portfolio workbook lists all." if total > shown else ""

    deck.title_slide("Client portfolio review", f"{quarter} - {n} client{'s' if n != 1 else ''}", msp_name or "")

    top = ranked[:max_rows]
    critical = sum(1 for r in rows if r["critical"])
    deck.table_slide(
        "Clients ranked by risk", ["#", "Client", "Risk index", "Critical", "High", "Top risk"],
        [[str(i), r["client"], str(r["risk_index"]), str(r["critical"]), str(r["high"]), r["top_risk"] or "-"]
         for i, r in enumerate(top, start=1)],
        takeaway=(f"{critical} of {n} clients have a critical finding; highest risk: {ranked[0]['client']}."
                  if ranked else "No clients in this run.") + more(len(top), n),
        notes=RISK_INDEX_METHOD, empty="No clients in this run.", weights=[0.4, 2.4, 1, 1, 1, 3])

    graded = sorted(rows, key=lambda r: (r["overall_percent"] if r["overall_percent"] is not None else 101,
                                         r["client"].casefold()))[:max_rows]
    reds = sum(1 for r in rows for a in AREAS if r.get(f"{a}_colour") == "red")
    deck.table_slide(
        "Grades", ["Client", *(AREA_LABELS[a] for a in AREAS), "Overall"],
        [[r["client"], *(_percent(r[f"{a}_percent"]) for a in AREAS), _percent(r["overall_percent"])] for r in graded],
        fills=[[None, *(COLOURS.get(r.get(f"{a}_colour") or _colour(r[f"{a}_percent"])) for a in AREAS),
                COLOURS[_colour(r["overall_percent"])]] for r in graded],
        takeaway=f"{reds} red area grade{'s' if reds != 1 else ''} across the portfolio; weakest clients first."
                 + more(len(graded), n),
        notes="Green 80%+, amber 50%+, red below 50%. Grades per area as in each client's QBR.",
        empty="No clients in this run.")

    exposed = sorted((r for r in rows if r["eol_items"] or r["warranty_items"]),
                     key=lambda r: (-r["eol_cost"], -r["eol_items"], -r["warranty_items"], r["client"].casefold()))
    eol_total = sum(r["eol_cost"] for r in rows)
    deck.table_slide(
        "End-of-life and warranty exposure",
        ["Client", "End-of-life items", "Replacement cost", "Warranty items", "Warranty expired"],
        [[r["client"], str(r["eol_items"]), _money(r["eol_cost"], symbol), str(r["warranty_items"]),
          str(r["warranty_expired"])] for r in exposed[:max_rows]],
        takeaway=f"{sum(r['eol_items'] for r in rows)} end-of-life items ({_money(eol_total, symbol)} to replace) "
                 f"and {sum(r['warranty_items'] for r in rows)} warranty items across {len(exposed)} clients."
                 + more(min(len(exposed), max_rows), len(exposed)),
        empty="No end-of-life or warranty exposure.")

    next_label = rows[0]["next_quarter"] if rows else (Quarter.parse(quarter).next().label if quarter else "")
    renewing = sorted((r for r in rows if r["renewals_next_quarter"]),
                      key=lambda r: (-r["renewals_value"], r["client"].casefold()))
    value = sum(r["renewals_value"] for r in renewing)
    deck.table_slide(
        f"Renewals next quarter ({next_label})", ["Client", "Renewals", "Annual value"],
        [[r["client"], str(r["renewals_next_quarter"]), _money(r["renewals_value"], symbol)]
         for r in renewing[:max_rows]],
        takeaway=f"{sum(r['renewals_next_quarter'] for r in renewing)} renewals worth {_money(value, symbol)} a year "
                 f"at {len(renewing)} clients." + more(min(len(renewing), max_rows), len(renewing)),
        empty=f"No renewals in {next_label}.")

    wasting = sorted((r for r in rows if r["license_waste_annual"] > 0),
                     key=lambda r: (-r["license_waste_annual"], r["client"].casefold()))
    waste = sum(r["license_waste_annual"] for r in wasting)
    deck.table_slide(
        "License waste", ["Client", "Items", "Annual waste", "Monthly"],
        [[r["client"], str(r["license_waste_items"]), _money(r["license_waste_annual"], symbol),
          _money(r["license_waste_annual"] / 12, symbol)] for r in wasting[:max_rows]],
        takeaway=f"{_money(waste, symbol)} a year in unused or misassigned licences at {len(wasting)} clients."
                 + more(min(len(wasting), max_rows), len(wasting)),
        empty="No license waste found.")

    labels, pipeline = _budget_pipeline(rows)
    next_four = sum(r["budget_next_four"] for r in rows)
    deck.chart_slide("Budget pipeline by quarter", labels, pipeline,
                     takeaway=f"{_money(next_four, symbol)} forecast over the next four quarters across all clients.",
                     notes="Sum of every client's budget forecast: one-time hardware and projects, recurring "
                           "licensing and contracts.", symbol=symbol)

    moved = [r for r in rows if any(_moved(r.get(f"{a}_delta")) for a in AREAS)]
    moved.sort(key=lambda r: (min(r.get(f"{a}_delta") or 0 for a in AREAS), r["client"].casefold()))
    reviewed = [r for r in rows if not r["first_review"]]
    previous = next((r["previous_quarter"] for r in reviewed if r["previous_quarter"]), None)
    deck.table_slide(
        "Grade changes since last quarter", ["Client", *(AREA_LABELS[a] for a in AREAS), "New", "Resolved"],
        [[r["client"], *(_delta(r.get(f"{a}_delta")) for a in AREAS), str(r["new_findings"]),
          str(r["resolved_findings"])] for r in moved[:max_rows]],
        fills=[[None, *({1: COLOURS["green"], -1: COLOURS["red"], 0: None}[_moved(r.get(f"{a}_delta"))]
                        for a in AREAS), None, None] for r in moved[:max_rows]],
        takeaway=(f"{len(moved)} of {len(reviewed)} reviewed clients changed grade since {previous}; largest drops first."
                  if reviewed else "") + more(min(len(moved), max_rows), len(moved)),
        empty=("First portfolio review: grade changes appear from next quarter." if not reviewed
               else "No grade changed since last quarter."))
    return deck.save()
