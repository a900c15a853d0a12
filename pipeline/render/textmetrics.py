"""How wide text is in Calibri, the deck template's theme font, as PowerPoint lays it out.

The widths come from Carlito, metric-compatible with Calibri (every character has the same advance
width), read once at build time by tools/make_font_metrics.py into pipeline/data/carlito_widths.json. So a
table the deck paginates to fit its slide fits in PowerPoint with Calibri as in LibreOffice with Carlito.
Kerning, which PowerPoint may apply, only narrows text: the estimate errs on the wide side.
"""

from __future__ import annotations

import functools
import json

from ..resources import data_path

WIDTHS = data_path("carlito_widths.json")
UNKNOWN_EM = 1.0  # a character Carlito lacks (CJK, emoji): Office substitutes another font; count a full em


@functools.cache
def _table() -> dict[str, tuple[float, float]]:
    data = json.loads(WIDTHS.read_text(encoding="utf-8"))
    units = data["units_per_em"]
    return {char: (regular / units, bold / units) for char, (regular, bold) in data["widths"].items()}


def char_em(char: str, bold: bool = False) -> float:
    """Advance width of one character in em (font size = 1)."""
    widths = _table().get(char)
    if widths is None:
        return UNKNOWN_EM
    return widths[1] if bold else widths[0]


@functools.lru_cache(maxsize=65536)
def text_em(text: str, bold: bool = False) -> float:
    """Width of a word or phrase in em; tables repeat the same words (hostnames, statuses) on every row."""
    table = _table()
    column = 1 if bold else 0
    return sum(table[c][column] if c in table else UNKNOWN_EM for c in text)
