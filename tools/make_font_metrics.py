"""Generate pipeline/data/carlito_widths.json: the advance width of every character vcio may measure.

    .venv/bin/python tools/make_font_metrics.py [--fonts /usr/share/fonts/truetype/crosextra]

The deck's tables are paginated by estimating how text wraps in PowerPoint (pipeline/render/textmetrics.py),
whose default theme font is Calibri. Carlito (Debian: fonts-crosextra-carlito, SIL Open Font License) is
metric-compatible with Calibri: the same advance width for every character, so widths read from Carlito are
the widths PowerPoint lays Calibri out with. Only the widths are kept (in font units, regular and bold), not
the font. The file is committed; re-run this script only to cover more characters.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipeline" / "data" / "carlito_widths.json"
# Latin (with the extended blocks), Greek and Cyrillic, general punctuation, currency and letterlike
# symbols, arrows and the mathematical operators a table cell may hold.
RANGES = [(0x20, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F),
          (0x2190, 0x21FF), (0x2200, 0x22FF)]


def widths(path: Path) -> tuple[int, dict[int, int]]:
    from fontTools.ttLib import TTFont
    font = TTFont(str(path))
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    out = {}
    for low, high in RANGES:
        for code in range(low, high + 1):
            glyph = cmap.get(code)
            if glyph is not None:
                out[code] = metrics[glyph][0]
    return font["head"].unitsPerEm, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fonts", type=Path, default=Path("/usr/share/fonts/truetype/crosextra"))
    args = parser.parse_args(argv)
    units, regular = widths(args.fonts / "Carlito-Regular.ttf")
    bold_units, bold = widths(args.fonts / "Carlito-Bold.ttf")
    assert units == bold_units, "regular and bold use different units per em"
    table = {chr(code): [regular[code], bold.get(code, regular[code])] for code in sorted(regular)}
    OUT.write_text(json.dumps({
        "font": "Carlito (metric-compatible with Calibri), from fonts-crosextra-carlito",
        "units_per_em": units,
        "widths": table,  # character -> [regular, bold] advance width in font units
    }, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(table)} characters)")


if __name__ == "__main__":
    main()
