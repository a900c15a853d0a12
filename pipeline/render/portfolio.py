"""The MSP owner's view across all clients: a workbook and a short deck, one row per client.

The rows are ``pipeline.review.snapshot.portfolio_row`` of each client's history payload, so the driver builds
the portfolio from what the workers returned, with each client's figures as its review defined them.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..quarters import Quarter
from ..resources import builtin_template
from ..review.grades import AMBER, AREA_LABELS, GREEN, GRADE_METHOD, colour_for
from ..review.snapshot import AREAS
from ..wording import Wording
from .package import dated_zip, stamp_core_properties
from .sheets import DATE, INT, MONEY, PERCENT, POINTS, TEXT, Column, Workbook, text_height

REPO_TEMPLATE = builtin_template("qbr.pptx")
BUDGET_CATEGORIES = ("Hardware", "Projects", "Licensing", "Contracts")
RISK_INDEX_METHOD = ("Risk index = the sum of the client's three highest risk scores (likelihood x impact, "
                     "each 1-25), so 0-75; clients are ranked by it, then by critical and high findings.")
COLOURS = {"green": "2E7D32", "amber": "F2A900", "red": "C62828", "grey": "9E9E9E"}


# ---------------------------------------------------------------- rows
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


def _review_date(as_of: date | None, quarter: str) -> date:
    """The date the portfolio's files are stamped with: the run's review date, else its quarter's last day."""
    if as_of is not None:
        return as_of
    return Quarter.parse(quarter).end if quarter else date(2000, 1, 1)


# ---------------------------------------------------------------- workbook
PORTFOLIO_COLUMNS: tuple[tuple[str, Column], ...] = (  # (row key, column)
    ("client", Column("Client", TEXT, 30)), ("vcio", Column("vCIO", TEXT, 16)), ("tier", Column("Tier", TEXT, 10)),
    ("status", Column("Status", TEXT, 40)), ("risk_index", Column("Risk index", INT, 8)),
    ("top_risk", Column("Top risk", TEXT, 60)), ("critical", Column("Critical", INT, 8)),
    ("high", Column("High", INT, 7)), ("findings", Column("Findings", INT, 9)), ("devices", Column("Devices", INT, 9)),
    ("users", Column("Users", INT, 8)), ("overall_percent", Column("Overall", PERCENT, 9)),
    *((f"{a}_{suffix}", Column(f"{AREA_LABELS[a]}{' change' if suffix == 'delta' else ''}",
                               PERCENT if suffix == "percent" else POINTS, 11))
      for a in AREAS for suffix in ("percent", "delta")),
    ("data_gaps", Column("Not fully assessed", TEXT, 30)),
    ("eol_items", Column("End-of-support items", INT, 11)), ("eol_cost", Column("End-of-support cost", MONEY, 12)),
    ("warranty_items", Column("Warranty items", INT, 10)), ("warranty_expired", Column("Warranty expired", INT, 10)),
    ("renewals_next_quarter", Column("Renewals to the end of next quarter", INT, 11)),
    ("renewals_value", Column("Renewal value a year", MONEY, 12)),
    ("license_waste_items", Column("Licence waste items", INT, 10)),
    ("license_waste_annual", Column("Licence waste a year", MONEY, 12)),
    ("budget_next_90_days", Column("Next 90 days one-time", MONEY, 12)),
    ("budget_next_four", Column("Next 12 months", MONEY, 13)), ("savings_annual", Column("Savings a year", MONEY, 12)),
    ("new_findings", Column("New findings", INT, 9)), ("resolved_findings", Column("Resolved findings", INT, 9)),
    ("completed_initiatives", Column("Completed initiatives", INT, 11)),
)


def portfolio_workbook(rows: list[dict], quarter: str = "", msp_name: str = "", as_of: date | None = None,
                       wording: Wording | None = None) -> bytes:
    """Portfolio.xlsx: Portfolio (one row per client, ranked by risk), Budget (client x quarter), Budget pipeline
    (category x quarter) and About. Typed cells in Excel tables; an area not assessed is an empty cell. Dated
    ``as_of`` (the review date) throughout, so the same rows give the same bytes."""
    symbol = rows[0].get("currency_symbol", "$") if rows else "$"
    wording = wording or Wording(currency_symbol=symbol)
    day = _review_date(as_of, quarter)
    book = Workbook(wording, day)
    ranked = rank_by_risk(rows)
    _clients_sheet(book, ranked)
    _budget_sheet(book, ranked)
    _pipeline_sheet(book, rows)
    _about_sheet(book, rows, quarter, msp_name, day)
    return book.close()


def _clients_sheet(book: Workbook, ranked: list[dict]) -> None:
    sheet = book.sheet("Portfolio")
    keys = [key for key, _ in PORTFOLIO_COLUMNS]
    columns = [column for _, column in PORTFOLIO_COLUMNS]
    values = [[_value(row, key) for key in keys] for row in ranked]
    last = book.table(sheet, "Portfolio", columns, values, freeze_columns=1)
    for area in ("overall", *AREAS):  # the review's colour; grey (not assessed) is left empty, never coloured
        col = keys.index(f"{area}_percent")
        colours = [(row.get(f"{area}_colour") if area != "overall" else colour_for(row["overall_percent"]))
                   for row in ranked]
        book.colour(sheet, 1, col, [v[col] for v in values], [c if c != "grey" else None for c in colours],
                    PERCENT)
    book.highlight_numbers(sheet, 1, last, keys.index("critical"), ">", 0, "critical")
    book.highlight_numbers(sheet, 1, last, keys.index("high"), ">", 0, "red")
    for area in AREAS:
        col = keys.index(f"{area}_delta")
        book.highlight_numbers(sheet, 1, last, col, ">=", 1, "green")
        book.highlight_numbers(sheet, 1, last, col, "<=", -1, "red")


def _value(row: dict, key: str) -> Any:
    value = row.get(key)
    if key.endswith("_percent") and value is not None:
        return value / 100
    if key == "data_gaps":
        return "; ".join(value or ())
    return value


def _budget_sheet(book: Workbook, ranked: list[dict]) -> None:
    quarters = sorted({q for r in ranked for q in r.get("budget_quarters", [])})
    sheet = book.sheet("Budget")
    columns = (Column("Client", TEXT, 30), *(Column(q, MONEY, 11) for q in quarters), Column("Total", MONEY, 13))
    values = []
    for row in ranked:
        amounts = dict(zip(row.get("budget_quarters", []), row.get("budget_totals", [])))
        values.append((row["client"], *(amounts.get(q) or None for q in quarters), round(sum(amounts.values()), 2)))
    book.table(sheet, "ClientBudgets", columns, values, freeze_columns=1)


def _pipeline_sheet(book: Workbook, rows: list[dict]) -> None:
    labels, pipeline = _budget_pipeline(rows)
    sheet = book.sheet("Budget pipeline")
    columns = (Column("Category", TEXT, 16), *(Column(q, MONEY, 12) for q in labels), Column("Total", MONEY, 14))
    values = [(category, *(v or None for v in amounts), round(sum(amounts), 2)) for category, amounts in pipeline.items()]
    last = book.table(sheet, "BudgetPipeline", columns, values, freeze_columns=1, alone=False)
    total = last + 1
    sheet.write_string(total, 0, "Total", book.label)
    sums = [round(sum(v[c] for v in pipeline.values()), 2) for c in range(len(labels))]
    for col, amount in enumerate((*sums, round(sum(sums), 2)), start=1):
        book.write(sheet, total, col, amount, MONEY, book.bold_money)


def _about_sheet(book: Workbook, rows: list[dict], quarter: str, msp_name: str, day: date) -> None:
    sheet = book.sheet("About")
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)
    grades = (f"Percent per area as in each client's review: green from {GREEN:g}%, amber from {AMBER:g}%, red "
              "below; an area a client's data did not cover is empty (not assessed), never a colour. Change = "
              "points since the previous review. Overall = the mean of the areas graded.")
    items = (("MSP", msp_name or "", TEXT), ("Quarter", quarter, TEXT), ("Clients", len(rows), INT),
             ("As of", day, DATE), ("Risk index", RISK_INDEX_METHOD, TEXT), ("Grades", grades, TEXT),
             ("How areas are graded", GRADE_METHOD, TEXT),
             ("Money", "Next 90 days: one-time work in the next quarter. Next 12 months: one-time and recurring over "
                       "the next four quarters. Savings: licences that can be dropped, a year.", TEXT))
    for row, (label, value, kind) in enumerate(items):
        sheet.write_string(row, 0, label, book.label)
        book.write(sheet, row, 1, value, kind, book.wrapped if kind == TEXT else book.left[kind])
        if kind == TEXT:
            sheet.set_row(row, text_height(value, 100))
    book.fit_width(sheet, 122)


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

        from .nativechart import chart_data, unsigned_axis_ids

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
    exposure, renewals from today to the end of next quarter, license waste, the budget pipeline (native stacked column chart)
    and grade changes since last quarter. Tables show the top ``max_rows``; the workbook has them all."""
    deck = _Deck(Path(template) if template else None, _review_date(as_of, quarter))
    symbol = rows[0].get("currency_symbol", "$") if rows else "$"
    words = Wording(currency_symbol=symbol)
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
        takeaway=(f"{critical} of {n} clients {'has' if critical == 1 else 'have'} a critical finding; highest risk: "
                  f"{ranked[0]['client']}."
                  if ranked else "No clients in this run.") + more(len(top), n),
        notes=RISK_INDEX_METHOD, empty="No clients in this run.", weights=[0.4, 2.4, 1, 1, 1, 3])

    graded = sorted(rows, key=lambda r: (r["overall_percent"] if r["overall_percent"] is not None else 101,
                                         r["client"].casefold()))[:max_rows]
    reds = sum(1 for r in rows for a in AREAS if r.get(f"{a}_colour") == "red")
    deck.table_slide(
        "Grades", ["Client", *(AREA_LABELS[a] for a in AREAS), "Overall"],
        [[r["client"], *(_percent(r[f"{a}_percent"]) for a in AREAS), _percent(r["overall_percent"])] for r in graded],
        fills=[[None, *(COLOURS.get(r.get(f"{a}_colour") or colour_for(r[f"{a}_percent"])) for a in AREAS),
                COLOURS[colour_for(r["overall_percent"])]] for r in graded],
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
        f"Renewals to the end of {next_label}", ["Client", "Renewals", "Annual value"],
        [[r["client"], str(r["renewals_next_quarter"]), _money(r["renewals_value"], symbol)]
         for r in renewing[:max_rows]],
        takeaway=f"{words.count(sum(r['renewals_next_quarter'] for r in renewing), 'renewal')} worth "
                 f"{_money(value, symbol)} a year at {words.count(len(renewing), 'client')}, from today to the end of "
                 f"{next_label}." + more(min(len(renewing), max_rows), len(renewing)),
        empty=f"No renewals from today to the end of {next_label}.")

    wasting = sorted((r for r in rows if r["license_waste_annual"] > 0),
                     key=lambda r: (-r["license_waste_annual"], r["client"].casefold()))
    waste = sum(r["license_waste_annual"] for r in wasting)
    deck.table_slide(
        "License waste", ["Client", "Items", "Annual waste", "Monthly"],
        [[r["client"], str(r["license_waste_items"]), _money(r["license_waste_annual"], symbol),
          _money(r["license_waste_annual"] / 12, symbol)] for r in wasting[:max_rows]],
        takeaway=words.spell(f"{_money(waste, symbol)} a year in unused or misassigned licences at "
                             f"{words.count(len(wasting), 'client')}.")
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
