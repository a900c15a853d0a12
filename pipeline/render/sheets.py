"""Typed cells for the workbooks vcio writes (the client's findings workbook and the MSP's portfolio).

Dates are date cells, amounts and counts are numbers, and an unknown value is an empty cell: a workbook is for
sorting, filtering and summing, so nothing numeric is ever written as text and no placeholder ("-", "n/a")
fills a blank. Each list is an Excel table (filter buttons, banded rows, a name to use in formulas) with a
frozen header row. Severities are coloured by conditional formatting, so the colour follows a severity a reader
edits; colours the review decided (a grade, a support status) are the cell's own format.

Text goes through ``write_string`` with characters XML cannot hold removed and, when it starts like a formula
(``=``, ``+``, ``-``, ``@``, tab, CR), a leading apostrophe: it is stored as text and stays harmless when copied
into another sheet or exported to CSV. No cell holds a formula.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Sequence

from ..wording import Wording
from .package import dated_zip, midnight
from .text import clean_text, neutralise_formula

TEXT, INT, DECIMAL, MONEY, PRICE, DATE, PERCENT, POINTS = (
    "text", "int", "decimal", "money", "price", "date", "percent", "points")
_EXCEL_EPOCH = date(1899, 12, 30)
PRINTABLE_WIDTH = 220  # characters across a landscape page at about 60% scale

# Excel's own highlight styles: a light fill with dark text of the same hue, readable on screen and in print.
HIGHLIGHTS = {
    "critical": {"bg_color": "#C0392B", "font_color": "#FFFFFF", "bold": True},
    "red": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "amber": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "green": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "grey": {"bg_color": "#EDEDED", "font_color": "#595959", "italic": True},
}
SEVERITY_HIGHLIGHTS = {"Critical": "critical", "High": "red", "Medium": "amber"}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: float = 12


def excel_date_format(wording: Wording) -> str:
    """The language's date format (or the configured strftime format) as an Excel number format."""
    if not wording.date_format:
        return "d mmm yyyy" if wording.language == "en-GB" else "mmm d, yyyy"
    codes = {"Y": "yyyy", "y": "yy", "m": "mm", "d": "dd", "e": "d", "-d": "d", "-m": "m", "b": "mmm",
             "h": "mmm", "B": "mmmm", "a": "ddd", "A": "dddd", "%": "%"}
    out = []
    for literal, directive in re.findall(r"([^%]*)(%-?.|$)", wording.date_format):
        out.append("".join(ch if ch in " ,./-:" else f"\\{ch}" for ch in literal))
        if directive:
            code = codes.get(directive[1:])
            if code is None:  # a time or week directive: a date cell cannot follow it, ISO reads everywhere
                return "yyyy-mm-dd"
            out.append(code)
    return "".join(out)


def _money_format(symbol: str, decimals: int) -> str:
    symbol = symbol.replace('"', "")  # the symbol is quoted inside the format
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'"{symbol}"{number};-"{symbol}"{number}'


class Workbook:
    """An in-memory XlsxWriter workbook with the formats every vcio sheet uses."""

    def __init__(self, wording: Wording, created: date):
        """``created``: the review date, the workbook's creation date and the date of its zip entries."""
        import xlsxwriter

        self.wording = wording
        self.created = created
        self._buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self._buffer, {"in_memory": True, "strings_to_formulas": False,
                                                       "strings_to_urls": False, "strings_to_numbers": False})
        self.book.set_properties({"created": midnight(created)})
        add = self.book.add_format
        top = {"valign": "top"}
        self.formats = {
            TEXT: add(top), INT: add({**top, "num_format": "#,##0"}), DECIMAL: add({**top, "num_format": "0.0"}),
            MONEY: add({**top, "num_format": _money_format(wording.currency_symbol, 0)}),
            PRICE: add({**top, "num_format": _money_format(wording.currency_symbol, 2)}),
            DATE: add({**top, "num_format": excel_date_format(wording), "align": "left"}),
            PERCENT: add({**top, "num_format": "0%"}),
            POINTS: add({**top, "num_format": '+0" pts";-0" pts";0" pts"'}),
        }
        self.left = {kind: add({"valign": "top", "align": "left", "num_format": fmt.num_format})
                     for kind, fmt in self.formats.items() if kind != TEXT}
        self.title = add({"bold": True, "font_size": 14})
        self.heading = add({"bold": True, "font_size": 12, "font_color": "#1F3A5F"})
        self.label = add({"bold": True, "valign": "top"})
        self.wrapped = add({"text_wrap": True, "valign": "top"})
        self.note = add({"font_color": "#595959", "indent": 1, "valign": "top"})
        self.lead = add({"bold": True, "text_wrap": True, "valign": "top"})
        # Also the table style's header, written into the cells: LibreOffice does not draw table styles.
        self.header = add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#1F3A5F",
                           "font_color": "#FFFFFF", "border": 1, "border_color": "#FFFFFF"})
        self.bold_money = add({"bold": True, "top": 1, "num_format": _money_format(wording.currency_symbol, 0)})
        self.highlights = {name: add(spec) for name, spec in HIGHLIGHTS.items()}
        self._safe: dict[str, str] = {}
        self._styles: dict[tuple[str, str], Any] = {}

    def sheet(self, name: str):
        """A worksheet that prints landscape on the language's paper."""
        sheet = self.book.add_worksheet(spelled(self.wording, name))
        sheet.set_landscape()
        sheet.set_paper(9 if self.wording.language == "en-GB" else 1)  # A4, US Letter
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        return sheet

    @staticmethod
    def fit_width(sheet, width: float) -> None:
        """Print the columns (``width`` characters in all) on as few page widths as keep the text readable."""
        sheet.fit_to_pages(-(-int(width) // PRINTABLE_WIDTH), 0)

    def close(self) -> bytes:
        """The workbook's bytes, every zip entry dated ``created``: the same review gives the same file."""
        self.book.close()
        return dated_zip(self._buffer.getvalue(), self.created)

    # ---------------------------------------------------------------- cells
    def write(self, sheet, row: int, col: int, value: Any, kind: str = TEXT, fmt=None) -> None:
        """One typed cell; None or "" leaves the cell empty."""
        if value is None or value == "":
            return
        if kind == TEXT or isinstance(value, str):
            sheet.write_string(row, col, safe_text(value), fmt or self.formats[TEXT])
        elif kind == DATE:
            sheet.write_number(row, col, (value - _EXCEL_EPOCH).days, fmt or self.formats[DATE])
        else:
            sheet.write_number(row, col, value, fmt or self.formats[kind])

    def table(self, sheet, name: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *,
              first_row: int = 0, freeze: bool = True, freeze_columns: int = 0, alone: bool = True) -> int:
        """An Excel table of ``rows`` (values in column order) from ``first_row``; returns its last row.
        ``freeze`` freezes its header (and ``freeze_columns``) and sets the sheet's printing; ``alone`` says
        nothing else is on the sheet.

        Headers follow the language's spelling. An empty list still gets its table (Excel requires one data
        row: it stays empty), so the filter buttons and the headers are there when a reader adds rows.
        """
        # The per-cell path is the workbook's cost (a 300-device client has ~18,000 cells): the worksheet's
        # undecorated writers (write_string/write_number only add A1-notation parsing on top of them), and
        # each distinct text made safe once.
        put_text, put_number = sheet._write_string, sheet._write_number
        safe = self._safe
        formats = [self.formats[c.kind] for c in columns]
        dates = [c.kind == DATE for c in columns]
        texts = [c.kind == TEXT for c in columns]
        row = first_row
        for row, values in enumerate(rows, start=first_row + 1):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if texts[col] or isinstance(value, str):
                    text = safe.get(value)
                    if text is None:
                        text = safe[value] = safe_text(value)
                    put_text(row, col, text, formats[col])
                elif dates[col]:
                    put_number(row, col, (value - _EXCEL_EPOCH).days, formats[col])
                else:
                    put_number(row, col, value, formats[col])
        last = max(row, first_row + 1)
        if sheet.add_table(first_row, 0, last, len(columns) - 1, {
                "name": name, "style": "Table Style Light 9",
                "columns": [{"header": spelled(self.wording, c.header), "header_format": self.header}
                            for c in columns]}):
            raise ValueError(f"table {name!r} was refused (see the warning above): a header or the name is invalid")
        sheet.set_row(first_row, max(text_height(spelled(self.wording, c.header), c.width, 0.9) for c in columns) + 2)
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width)
        if freeze:
            sheet.freeze_panes(first_row + 1, freeze_columns)
            sheet.repeat_rows(first_row)
            self.fit_width(sheet, sum(c.width for c in columns))
            if alone:  # long text in the last column must not spill onto pages of its own
                sheet.print_area(0, 0, last, len(columns) - 1)
        return last

    def highlight(self, sheet, first_row: int, last_row: int, col: int, styles: dict[str, str]) -> None:
        """Colour the cells of one column whose text is one of ``styles`` (text -> highlight name)."""
        if last_row < first_row:
            return
        for text, style in styles.items():
            sheet.conditional_format(first_row, col, last_row, col, {
                "type": "cell", "criteria": "==", "value": f'"{text}"', "format": self.highlights[style]})

    def highlight_numbers(self, sheet, first_row: int, last_row: int, col: int, criteria: str, value: float,
                          style: str) -> None:
        """Colour the numbers of one column that meet ``criteria`` (">", "<=", ...) against ``value``."""
        if last_row >= first_row:
            sheet.conditional_format(first_row, col, last_row, col, {
                "type": "cell", "criteria": criteria, "value": value, "format": self.highlights[style]})

    def colour(self, sheet, first_row: int, col: int, values: Sequence[Any], colours: Sequence[str | None],
               kind: str = TEXT) -> None:
        """Fill the cells of one column (written from ``first_row``) whose colour the review decided: a grade,
        a support status. ``colours`` names a highlight per row, or None to leave the cell as it is."""
        for row, (value, colour) in enumerate(zip(values, colours), start=first_row):
            if colour and value is not None and value != "":
                self.write(sheet, row, col, value, kind, self._styled(kind, colour))

    def _styled(self, kind: str, colour: str):
        key = (kind, colour)
        if key not in self._styles:
            number = {} if kind == TEXT else {"num_format": self.formats[kind].num_format}
            self._styles[key] = self.book.add_format({"valign": "top", **number, **HIGHLIGHTS[colour]})
        return self._styles[key]


def text_height(text: str, width: float, per_char: float = 1.1) -> float:
    """Row height (points) for ``text`` wrapped in a cell ``width`` characters wide (``per_char`` characters of
    text fit in one unit of width: fewer for bold): neither Excel nor LibreOffice fits a row to wrapped text a
    program wrote, nor any merged cell."""
    room, lines, used = max(int(width * per_char), 1), 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
        lines += (used - 1) // room if used > room else 0
        used = used % room if used > room else used
    return 15.0 * lines


@functools.lru_cache(maxsize=1024)
def spelled(wording: Wording, text: str) -> str:
    """A header or sheet name in the language's spelling (the same few hundred for every client)."""
    return wording.spell(text)


def safe_text(value: Any) -> str:
    """Text as a cell holds it: no character XML cannot hold, never runnable as a formula."""
    return neutralise_formula(clean_text(str(value)))
