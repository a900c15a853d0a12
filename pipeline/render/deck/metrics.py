"""Text fitting for deck tables: how wide text is, how many lines a cell takes, how rows paginate.

Widths are Calibri's (read from the metric-compatible Carlito, see textmetrics.py), so a table that fits its
slide in the LibreOffice preview fits in PowerPoint. Tables are never shrunk below ``MIN_TABLE_PT``: they run
over continuation slides instead.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..textmetrics import text_em

EMU_PER_PT = 12700
TABLE_PT = 14           # body tables
APPENDIX_PT = 11        # appendix tables
MIN_TABLE_PT = 10       # never smaller
LINE_SPACING = 1.25     # line height / font size (Calibri's own is 1.22; a little slack)
CELL_MARGIN_X = 64008   # 0.07 in, left and right
CELL_MARGIN_Y = 36576   # 0.04 in, top and bottom
MAX_CELL_LINES = 4      # longer cell text is shortened with an ellipsis
BODY_TABLE_PAGES = 2    # a table in the body of the deck spans at most this many slides


def text_width_emu(text: str, font_pt: float, bold: bool = False) -> int:
    """Width of ``text`` in Calibri at ``font_pt`` (textmetrics: Carlito's widths, the same as Calibri's)."""
    return int(text_em(text, bold) * font_pt * EMU_PER_PT)


def _wrap(text: str, width_emu: int, font_pt: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of one paragraph, as a text frame does it (words longer than a line are cut)."""
    space = text_width_emu(" ", font_pt, bold)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        w = text_width_emu(word, font_pt, bold)
        if line and used + space + w <= width_emu:
            line, used = f"{line} {word}", used + space + w
            continue
        if line:
            lines.append(line)
        while w > width_emu and len(word) > 1:  # cut a word wider than the cell
            cut = len(word)
            while cut > 1 and text_width_emu(word[:cut], font_pt, bold) > width_emu:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            w = text_width_emu(word, font_pt, bold)
        line, used = word, w
    lines.append(line)
    return lines


def estimate_lines(text: str, width_emu: int, font_pt: float, bold: bool = False) -> int:
    """Lines a cell's text takes in a column ``width_emu`` wide (cell margins included)."""
    usable = max(1, width_emu - 2 * CELL_MARGIN_X)
    return sum(len(_wrap(part, usable, font_pt, bold)) for part in str(text).split("\n"))


def fit_lines(text: str, width_emu: int, font_pt: float, max_lines: int = MAX_CELL_LINES, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis so it wraps to at most ``max_lines`` lines."""
    text = str(text)
    if estimate_lines(text, width_emu, font_pt, bold) <= max_lines:
        return text
    usable = max(1, width_emu - 2 * CELL_MARGIN_X)
    lines: list[str] = []
    for part in text.split("\n"):
        lines.extend(_wrap(part, usable, font_pt, bold))
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width_emu(last + " \u2026", font_pt, bold) > usable:
        last = last[:-1]
    kept[-1] = last.rstrip() + "\u2026"
    return "\n".join(kept)


def row_height(lines: int, font_pt: float) -> int:
    """Height in EMU of a table row whose tallest cell has ``lines`` lines."""
    return int(math.ceil(lines * font_pt * LINE_SPACING * EMU_PER_PT)) + 2 * CELL_MARGIN_Y


def row_lines(row: Sequence[Any], widths: Sequence[int], font_pt: float, header: bool = False) -> int:
    return max(estimate_lines(cell_text(cell), width, font_pt, cell_bold(cell, header))
               for cell, width in zip(row, widths))


def rows_per_slide(height_emu: int, font_pt: float, lines_per_row: int = 1) -> int:
    """How many body rows of ``lines_per_row`` lines fit under a one-line header in ``height_emu``.

    A row is ``lines x font size x LINE_SPACING`` plus the cell's top and bottom margins; the
    header row is one line. This is the capacity for unwrapped rows; :func:`paginate_rows`
    spends the same height row by row, so wrapped rows take more of it.
    """
    free = height_emu - row_height(1, font_pt)
    return max(1, free // row_height(lines_per_row, font_pt))


def paginate_rows(rows: Sequence[Sequence[Any]], widths: Sequence[int], height_emu: int, font_pt: float,
                  header: Sequence[Any] | None = None) -> list[list[Sequence[Any]]]:
    """Split table rows into pages that fit ``height_emu`` (the table placeholder's height).

    Every page repeats the header row. Each row costs :func:`row_height` of its estimated line
    count (text wrapped greedily in its column at ``font_pt``), so a page takes rows in order
    while they fit, and never fewer than one (cell text is kept short by :func:`fit_lines`).
    With rows of one line a page holds :func:`rows_per_slide` rows. The pages are then
    balanced: with the same number of pages, no page holds more than ceil(rows / pages) rows,
    so a 40-row table becomes 14 + 13 + 13 rather than 18 + 18 + 4.
    """
    if font_pt < MIN_TABLE_PT:
        raise ValueError(f"table text below {MIN_TABLE_PT} pt")
    head = row_height(row_lines(header, widths, font_pt, header=True), font_pt) if header else 0
    heights = [row_height(row_lines(row, widths, font_pt), font_pt) for row in rows]

    def greedy(max_rows: int | None) -> list[list[int]]:
        pages: list[list[int]] = []
        page: list[int] = []
        used = head
        for n, h in enumerate(heights):
            if page and (used + h > height_emu or (max_rows and len(page) >= max_rows)):
                pages.append(page)
                page, used = [], head
            page.append(n)
            used += h
        if page or not pages:
            pages.append(page)
        return pages

    pages = greedy(None)
    if len(pages) > 1:
        balanced = greedy(-(-len(rows) // len(pages)))
        if len(balanced) == len(pages):
            pages = balanced
    return [[rows[n] for n in page] for page in pages]


def cell_text(cell: Any) -> str:
    if isinstance(cell, dict):
        return str(cell.get("text", ""))
    return "" if cell is None else str(cell)


def cell_bold(cell: Any, header: bool) -> bool:
    """As tables.py writes it: header cells bold unless told otherwise, body cells plain."""
    return bool(cell.get("bold", header)) if isinstance(cell, dict) else header
