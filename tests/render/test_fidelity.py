"""What LibreOffice forgives and Office does not: fonts Office has, and text measured as PowerPoint measures it."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.render import textmetrics
from pipeline.render.deck.metrics import estimate_lines, text_width_emu

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CARLITO = Path("/usr/share/fonts/truetype/crosextra")
# Fonts every Office installation (Windows and Mac, Microsoft 365) has.
OFFICE_FONTS = {"Calibri", "Cambria", "Arial", "Times New Roman", "Courier New", "Symbol", "Wingdings"}


def _font_names(template: Path) -> dict[str, set[str]]:
    """Latin font names used in a template's styles, masters, layouts, themes and numbering (not the theme's
    per-script fallbacks, which name the fonts Office itself substitutes for other scripts)."""
    names: dict[str, set[str]] = {}
    with zipfile.ZipFile(template) as archive:
        for part in archive.namelist():
            if not part.endswith(".xml") or "fontTable" in part:
                continue
            xml = archive.read(part).decode("utf-8")
            found = set(re.findall(r'<a:latin typeface="([^"]*)"', xml))
            found |= set(re.findall(r'w:(?:ascii|hAnsi)="([^"]*)"', xml))
            found = {name for name in found if name and not name.startswith("+")}
            if found:
                names[part] = found
    return names


@pytest.mark.parametrize("template", ["roadmap.docx", "qbr.pptx"])
def test_templates_name_only_fonts_office_has(template):
    names = _font_names(TEMPLATES / template)
    assert names, "the check found no font names at all"
    assert {part: found - OFFICE_FONTS for part, found in names.items() if found - OFFICE_FONTS} == {}
    theme = next(part for part in names if "theme" in part)
    assert names[theme] == {"Calibri"}


def test_widths_are_calibris():
    """Carlito's (= Calibri's) advance widths, 2048 units per em: literal values from the font."""
    assert textmetrics.char_em("i") == pytest.approx(470 / 2048)
    assert textmetrics.char_em("M") == pytest.approx(1751 / 2048)
    assert textmetrics.char_em("0") == pytest.approx(1038 / 2048)
    assert textmetrics.char_em("A", bold=True) > textmetrics.char_em("A")
    assert textmetrics.char_em("\u4e2d") == textmetrics.UNKNOWN_EM  # no CJK in Calibri: a full em, erring wide
    assert text_width_emu("Windows 11", 14) == int(textmetrics.text_em("Windows 11") * 14 * 12700)


def test_narrow_and_wide_letters_wrap_where_calibri_wraps():
    """A one-inch cell holds 61.9 pt of text (cell margins 0.07 in each side): at 10 pt that is 26 letters i
    (0.229 em each) or 7 letters m (0.799 em); the old estimate (0.32 em and 0.9 em) allowed 19 and 6."""
    inch = 914400
    assert [estimate_lines("i" * n, inch, 10) for n in (26, 27)] == [1, 2]
    assert [estimate_lines("m" * n, inch, 10) for n in (7, 8)] == [1, 2]
    assert estimate_lines("i" * 26, inch, 10, bold=True) == 2  # bold i is 0.246 em


@pytest.mark.skipif(not (CARLITO / "Carlito-Regular.ttf").is_file(), reason="fonts-crosextra-carlito not installed")
def test_width_table_matches_the_installed_carlito():
    """The committed table is what tools/make_font_metrics.py reads from the font today."""
    from fontTools.ttLib import TTFont

    table = json.loads(textmetrics.WIDTHS.read_text(encoding="utf-8"))
    for column, name in enumerate(("Carlito-Regular.ttf", "Carlito-Bold.ttf")):
        font = TTFont(str(CARLITO / name))
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        assert font["head"].unitsPerEm == table["units_per_em"]
        for char, widths in table["widths"].items():
            if ord(char) in cmap:
                assert widths[column] == metrics[cmap[ord(char)]][0], (name, char)
