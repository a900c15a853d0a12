"""Deck tables as DrawingML XML, written in one string per table (python-pptx's cell API costs ~0.2 ms a cell).

Elements go in schema order (a:tc: txBody, tcPr; a:tcPr: lnL, lnR, lnT, lnB, then the fill).
"""

from __future__ import annotations

from typing import Any, Sequence
from xml.sax.saxutils import escape

from ..text import clean_text
from .metrics import CELL_MARGIN_X, CELL_MARGIN_Y, cell_text, row_height, row_lines

NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid": our fills and rules only
RULE = "C9D1DB"
BAND = "F3F5F8"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _fill(colour: str | None) -> str:
    if not colour:
        return "<a:noFill/>"
    if colour in {"tx1", "tx2", "bg1", "bg2", "accent1", "accent2"}:
        return f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>'
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _cell_xml(cell: Any, font_pt: float, header: bool, band: bool, align: str) -> str:
    spec = cell if isinstance(cell, dict) else {"text": cell_text(cell)}
    text = clean_text(str(spec.get("text", "")))
    bold = spec.get("bold", header)
    colour = spec.get("color") or ("bg1" if header else "tx1")
    fill = spec.get("fill") or ("tx2" if header else BAND if band else None)
    align = spec.get("align", align)
    rpr = (f'<a:rPr lang="en-US" sz="{int(font_pt * 100)}" b="{1 if bold else 0}" dirty="0">{_fill(colour)}'
           f'</a:rPr>')
    paragraphs = "".join(
        f'<a:p><a:pPr algn="{align}"/>' + (f'<a:r>{rpr}<a:t>{escape(line)}</a:t></a:r>' if line else "")
        + f'<a:endParaRPr lang="en-US" sz="{int(font_pt * 100)}" dirty="0"/></a:p>'
        for line in text.split("\n"))
    rule = f'<a:ln w="6350"><a:solidFill><a:srgbClr val="{RULE}"/></a:solidFill></a:ln>'
    none = '<a:ln w="0"><a:noFill/></a:ln>'
    borders = (none.replace("a:ln ", "a:lnL ").replace("</a:ln>", "</a:lnL>")
               + none.replace("a:ln ", "a:lnR ").replace("</a:ln>", "</a:lnR>")
               + none.replace("a:ln ", "a:lnT ").replace("</a:ln>", "</a:lnT>")
               + rule.replace("a:ln ", "a:lnB ").replace("</a:ln>", "</a:lnB>"))
    return (f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</a:txBody>'
            f'<a:tcPr marL="{CELL_MARGIN_X}" marR="{CELL_MARGIN_X}" marT="{CELL_MARGIN_Y}" marB="{CELL_MARGIN_Y}" '
            f'anchor="ctr">{borders}{_fill(fill)}</a:tcPr></a:tc>')


def table_xml(header: Sequence[Any], rows: Sequence[Sequence[Any]], widths: Sequence[int], font_pt: float,
              align: Sequence[str] | None = None, min_row: int = 0) -> tuple[str, int]:
    """``<a:tbl>`` XML for a header and rows, with each row's estimated height; returns (xml, height)."""
    align = list(align or ["l"] * len(widths))
    parts = [f'<a:tbl xmlns:a="{_A}"><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{NO_STYLE_TABLE}'
             f'</a:tableStyleId></a:tblPr><a:tblGrid>']
    parts += [f'<a:gridCol w="{w}"/>' for w in widths]
    parts.append("</a:tblGrid>")
    total = 0
    for r, row in enumerate([header, *rows]):
        h = max(row_height(row_lines(row, widths, font_pt, header=r == 0), font_pt), min_row if r else 0)
        total += h
        parts.append(f'<a:tr h="{h}">')
        parts += [_cell_xml(cell, font_pt, r == 0, r > 0 and r % 2 == 0, align[c]) for c, cell in enumerate(row)]
        parts.append("</a:tr>")
    parts.append("</a:tbl>")
    return "".join(parts), total
