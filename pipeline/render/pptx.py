"""Render the editable QBR deck from the plain render context and templates/qbr.pptx.

Every slide comes from a layout of the template, looked up by NAME (``LAYOUT_*`` below); the
template has no slides and none are copied. Charts are native PowerPoint charts (their data
opens with "Edit Data"), tables are real tables sized from the template's placeholders.

Long tables are split over continuation slides by :func:`paginate_rows`, which estimates the
height of every row from its text, the column widths and the font size, so wrapped text still
fits; table text is never smaller than ``MIN_TABLE_PT``.

Charts share their style and their formula-safe workbooks with the roadmap (nativechart.py).
"""

from __future__ import annotations

import copy
import io
import math
from datetime import date
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape

from ..quarters import Quarter
from . import ooxml
from .charts import GRADE_COLOURS, SERIES_COLOURS, STATUS_COLOURS
from ..errors import TemplateError
from .limits import appendix_limit
from .nativechart import chart_data, chart_type, style_chart
from .package import dated_zip, midnight, refuse_doctype, review_time, stamp_core_properties
from .text import clean_text
from .textmetrics import text_em

# ----------------------------------------------------------------------------- layout names
LAYOUT_TITLE = "vcio Title"
LAYOUT_SECTION = "vcio Section"
LAYOUT_CONTENT = "vcio Title and Content"
LAYOUT_TABLE = "vcio Title and Table"
LAYOUT_CHART = "vcio Title and Chart"
LAYOUT_TWO = "vcio Two Content"
LAYOUT_THREE = "vcio Three Content"
LAYOUT_CLOSING = "vcio Closing"
REQUIRED_LAYOUTS = {
    LAYOUT_TITLE: (0, 1, 13), LAYOUT_SECTION: (0, 1), LAYOUT_CONTENT: (0, 1), LAYOUT_TABLE: (0, 1, 13),
    LAYOUT_CHART: (0, 1, 13), LAYOUT_TWO: (0, 1, 2), LAYOUT_THREE: (0, 1, 2, 3, 13), LAYOUT_CLOSING: (0, 1, 13),
}
TAKEAWAY_IDX = 13
LOGO_IDX = 14

# ----------------------------------------------------------------------------- table metrics
EMU_PER_PT = 12700
TABLE_PT = 14           # body tables
APPENDIX_PT = 11        # appendix tables
MIN_TABLE_PT = 10       # never smaller
LINE_SPACING = 1.25     # line height / font size (Calibri's own is 1.22; a little slack)
CELL_MARGIN_X = 64008   # 0.07 in, left and right
CELL_MARGIN_Y = 36576   # 0.04 in, top and bottom
MAX_CELL_LINES = 4      # longer cell text is shortened with an ellipsis
BODY_TABLE_PAGES = 2    # a table in the body of the deck spans at most this many slides
NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid": our fills and rules only
RULE = "C9D1DB"
FOOTER_COLOUR = "5B6B7F"
BAND = "F3F5F8"


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
    return max(estimate_lines(_cell_text(cell), width, font_pt, _cell_bold(cell, header))
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


# ----------------------------------------------------------------------------- table XML
def _cell_text(cell: Any) -> str:
    if isinstance(cell, dict):
        return str(cell.get("text", ""))
    return "" if cell is None else str(cell)


def _cell_bold(cell: Any, header: bool) -> bool:
    """As _cell_xml writes it: header cells bold unless told otherwise, body cells plain."""
    return bool(cell.get("bold", header)) if isinstance(cell, dict) else header


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _fill(colour: str | None) -> str:
    if not colour:
        return "<a:noFill/>"
    if colour in {"tx1", "tx2", "bg1", "bg2", "accent1", "accent2"}:
        return f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>'
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _cell_xml(cell: Any, font_pt: float, header: bool, band: bool, align: str) -> str:
    spec = cell if isinstance(cell, dict) else {"text": _cell_text(cell)}
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


# ----------------------------------------------------------------------------- the renderer
def _next_quarter(label: str) -> str:
    try:
        return Quarter.parse(str(label)).next().label
    except ValueError:
        return "next quarter"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


_PH_PATH = "*/{http://schemas.openxmlformats.org/presentationml/2006/main}nvPr/" \
           "{http://schemas.openxmlformats.org/presentationml/2006/main}ph"


def _number_parts_quickly(package) -> None:
    """Give this package a ``next_partname`` that remembers the names it handed out.

    python-pptx walks every part of the package to name each new one (a notes slide per slide, a chart
    and a workbook per chart): quadratic in the deck's size. Parts are only ever added while a deck is
    built, so the names in use are read once and then kept up to date.
    """
    from pptx.opc.packuri import PackURI
    used = {str(part.partname) for part in package.iter_parts()}

    def next_partname(tmpl: str) -> PackURI:
        n = 1
        while tmpl % n in used:
            n += 1
        name = tmpl % n
        used.add(name)
        return PackURI(name)

    package.next_partname = next_partname


class _Deck:
    def __init__(self, ctx: dict, template: Path):
        from pptx import Presentation
        from pptx.util import Pt

        self.Pt = Pt
        self.ctx = ctx
        refuse_doctype(Path(template), "deck")
        try:
            self.prs = Presentation(str(template))
        except Exception as exc:  # python-pptx raises several types for a bad package
            raise TemplateError(f"cannot open the deck template {template}: {exc}. Point documents.qbr_template "
                                f"at a .pptx file, or leave it empty to use the built-in template.") from exc
        self.layouts = {layout.name: layout for layout in self.prs.slide_layouts}
        self._boxes: dict[tuple[str, int], tuple[int, int, int, int]] = {}
        self._footers: dict[str, list] = {}
        self._blank_slides: dict[str, Any] = {}
        self._blank_notes = None
        _number_parts_quickly(self.prs.part.package)
        for name, indexes in REQUIRED_LAYOUTS.items():
            layout = self.layouts.get(name)
            if layout is None:
                raise TemplateError(
                    f"the deck template {template} has no slide layout named '{name}'. Open it in PowerPoint, "
                    f"View > Slide Master, and add (or rename) a layout to '{name}', or regenerate the built-in "
                    f"template with tools/make_templates.py. Layouts found: {', '.join(self.layouts) or 'none'}.")
            have = {ph.placeholder_format.idx for ph in layout.placeholders}
            missing = [i for i in indexes if i not in have]
            if missing:
                raise TemplateError(
                    f"the slide layout '{name}' in {template} lacks placeholder(s) idx {missing}: restore them in "
                    f"the Slide Master (see tools/make_templates.py for what each holds).")
        self.width, self.height = self.prs.slide_width, self.prs.slide_height
        msp = (ctx.get("msp") or {}).get("name") or ""
        client = ctx["client"]["name"]
        self.footer = "  \u00b7  ".join(p for p in (msp, client, f"{ctx['quarter']} business review") if p)

    def save(self, as_of: date | None = None) -> bytes:
        """The deck as .pptx bytes; dated ``as_of`` (core properties and zip entries, see package.py), the same
        deck gives the same bytes whenever it is built."""
        if as_of is not None:
            stamp_core_properties(self.prs.core_properties, midnight(as_of))
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return dated_zip(buffer.getvalue(), as_of) if as_of is not None else buffer.getvalue()

    # ---- slide plumbing
    def slide(self, layout_name: str, title: str, notes: str | None = None):
        slide = self._new_slide(layout_name)
        title_ph = self.ph(slide, 0)  # every vcio layout's title is placeholder 0 (REQUIRED_LAYOUTS)
        if title_ph is not None:
            title_ph.text = title
        self._footer(slide)
        if notes:
            self._notes(slide).notes_text_frame.text = clean_text(notes)
        return slide

    def _new_slide(self, layout_name: str):
        """``slides.add_slide(layout)``, with the layout's placeholders cloned once per deck and then copied.

        python-pptx clones them shape by shape for every slide (XPath lookups on the layout and the master);
        the result only depends on the layout.
        """
        layout = self.layouts[layout_name]
        slides = self.prs.slides
        rid, slide = slides.part.add_slide(layout)
        blank = self._blank_slides.get(layout_name)
        if blank is None:
            slide.shapes.clone_layout_placeholders(layout)
            self._blank_slides[layout_name] = copy.deepcopy(slide._element.cSld.spTree)
        else:
            tree = slide._element.cSld.spTree
            tree.getparent().replace(tree, copy.deepcopy(blank))
        slides._sldIdLst.add_sldId(rid)
        return slide

    def _notes(self, slide):
        """The slide's (new) notes page: the first is made by python-pptx from the notes master, the others
        are copies of it made before any text went in (they differ only in their relationships)."""
        if self._blank_notes is None:
            notes = slide.notes_slide
            self._blank_notes = copy.deepcopy(notes._element)
            return notes
        from pptx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from pptx.parts.slide import NotesSlidePart
        package = slide.part.package
        part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CONTENT_TYPE.PML_NOTES_SLIDE,
                              package, copy.deepcopy(self._blank_notes))
        part.relate_to(package.presentation_part.notes_master_part, RELATIONSHIP_TYPE.NOTES_MASTER)
        part.relate_to(slide.part, RELATIONSHIP_TYPE.SLIDE)
        slide.part.relate_to(part, RELATIONSHIP_TYPE.NOTES_SLIDE)
        return part.notes_slide

    def _footer(self, slide) -> None:
        """Copy the layout's footer and slide-number placeholders onto the slide (python-pptx doesn't)."""
        from pptx.enum.shapes import PP_PLACEHOLDER
        from pptx.oxml import parse_xml
        tree = slide.shapes._spTree
        layout = slide.slide_layout
        footers = self._footers.get(layout.name)
        if footers is None:
            footers = self._footers[layout.name] = [
                (ph.placeholder_format.type, ph._element) for ph in layout.placeholders
                if ph.placeholder_format.type in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)]
        for kind, layout_element in footers:
            el = copy.deepcopy(layout_element)
            el.nvSpPr.cNvPr.set("id", str(slide.shapes._next_shape_id))
            body = el.txBody
            for p in body.findall(f"{{{_A}}}p"):
                body.remove(p)
            # Explicit run formatting: LibreOffice does not inherit it for footer placeholders.
            rpr = (f'<a:rPr lang="en-US" sz="1000" dirty="0"><a:solidFill><a:srgbClr val="{FOOTER_COLOUR}"/>'
                   f'</a:solidFill><a:latin typeface="+mn-lt"/></a:rPr>')
            if kind == PP_PLACEHOLDER.FOOTER:
                p = (f'<a:p xmlns:a="{_A}"><a:pPr algn="l"/><a:r>{rpr}<a:t>{escape(clean_text(self.footer))}</a:t>'
                     f'</a:r></a:p>')
            else:
                p = (f'<a:p xmlns:a="{_A}"><a:pPr algn="r"/><a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" '
                     f'type="slidenum">{rpr}<a:t>{len(self.prs.slides._sldIdLst)}</a:t></a:fld></a:p>')
            ooxml.insert(body, parse_xml(p))
            ooxml.insert(tree, el)

    @staticmethod
    def ph(slide, idx: int):
        """The slide's placeholder ``idx``: one pass over the shape elements (python-pptx's own lookup runs
        several XPath queries per shape, thousands per deck)."""
        from pptx.shapes.shapetree import SlideShapeFactory
        tree = slide.shapes._spTree
        wanted = str(idx)
        for element in tree.iterchildren():
            ph = element.find(_PH_PATH)
            if ph is not None and ph.get("idx", "0") == wanted:
                return SlideShapeFactory(element, slide.shapes)
        return None

    @staticmethod
    def drop(shape) -> None:
        if shape is not None:
            shape._element.getparent().remove(shape._element)

    def text(self, slide, idx: int, lines: Sequence[str | tuple[str, int]]) -> None:
        """Fill a text placeholder: each line is a paragraph, (text, level) for indented ones."""
        ph = self.ph(slide, idx)
        if ph is None:
            return
        if not lines:
            self.drop(ph)
            return
        frame = ph.text_frame
        for n, line in enumerate(lines):
            text, level = (line, 0) if isinstance(line, str) else line
            para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            para.text = clean_text(str(text))
            para.level = level

    def takeaway(self, slide, text: str) -> None:
        self.text(slide, TAKEAWAY_IDX, [text] if text else [])

    def _box(self, ph) -> tuple[int, int, int, int]:
        """Where a placeholder sits: its own position if the slide moved it, else its layout's (looked up
        once per layout: python-pptx searches the layout again for each of left, top, width, height)."""
        xfrm = ph._element.xfrm
        if xfrm is not None and xfrm.off is not None and xfrm.ext is not None:
            return ph.left, ph.top, ph.width, ph.height
        layout = ph.part.slide_layout
        key = (layout.name, ph.placeholder_format.idx)
        box = self._boxes.get(key)
        if box is None:
            box = self._boxes[key] = (ph.left, ph.top, ph.width, ph.height)
        return box

    # ---- tables
    def table(self, slide, idx: int, header: Sequence[Any], rows: Sequence[Sequence[Any]], weights: Sequence[float],
              font_pt: float, align: Sequence[str] | None = None, min_row: int = 0):
        """Put a table where placeholder ``idx`` is; rows must already fit (see paginate)."""
        from pptx.oxml import parse_xml
        ph = self.ph(slide, idx)
        x, y, cx, cy = self._box(ph)
        widths = _widths(weights, cx)
        xml, height = table_xml(header, rows, widths, font_pt, align, min_row)
        if hasattr(ph, "insert_table"):
            frame = ph.insert_table(rows=1, cols=len(widths))
        else:
            frame = slide.shapes.add_table(1, len(widths), x, y, cx, cy)
            self.drop(ph)
        graphic_data = frame._element.graphic.graphicData
        graphic_data.remove(graphic_data[0])
        graphic_data.append(parse_xml(xml))
        frame.left, frame.top, frame.width, frame.height = x, y, sum(widths), min(height, cy)
        return frame

    def table_slides(self, layout: str, title: str, header: Sequence[str], rows: list[list[Any]],
                     weights: Sequence[float], notes: str, takeaway: str = "", font_pt: float = TABLE_PT,
                     align: Sequence[str] | None = None, max_pages: int | None = None, more_text: str = "",
                     max_lines: int = MAX_CELL_LINES, min_row: int = 0) -> int:
        """One table over as many slides as it needs ("(continued)" titles); returns rows shown."""
        layout_obj = self.layouts[layout]
        box = next(ph for ph in layout_obj.placeholders if ph.placeholder_format.idx == 1)
        widths = _widths(weights, box.width)
        rows = [[_fit_cell(cell, w, font_pt, max_lines) for cell, w in zip(row, widths)] for row in rows]
        pages = paginate_rows(rows, widths, box.height, font_pt, header)
        shown_pages = pages[:max_pages] if max_pages else pages
        shown = sum(len(p) for p in shown_pages)
        hidden = len(rows) - shown
        for n, page in enumerate(shown_pages):
            slide = self.slide(layout, title if n == 0 else f"{title} (continued)", notes)
            line = takeaway
            if hidden and n == len(shown_pages) - 1:
                line = (more_text or "{n} more rows: see the findings workbook for the full list.").format(n=hidden)
            self.takeaway(slide, line)
            self.table(slide, 1, header, page, weights, font_pt, align, min_row)
        return shown

    def one_line(self, title: str, line: str, notes: str, more: Sequence[str] = ()) -> None:
        """A slide with nothing to tabulate: say so in one line."""
        slide = self.slide(LAYOUT_CONTENT, title, notes)
        self.text(slide, 1, [line, *more])

    # ---- charts
    def chart(self, slide, idx: int, kind: str, title: str, categories: Sequence[str], series: dict[str, list[float]],
              **style: Any):
        """A native chart where placeholder ``idx`` is, in the house style (see nativechart.style_chart)."""
        created = review_time(self.ctx) if self.ctx.get("as_of_iso") else None
        data = chart_data(categories, series, style.get("number_format", "General"), created)
        ph = self.ph(slide, idx)
        if hasattr(ph, "insert_chart"):
            frame = ph.insert_chart(chart_type(kind), data)
        else:
            x, y, cx, cy = self._box(ph)
            frame = slide.shapes.add_chart(chart_type(kind), x, y, cx, cy, data)
            self.drop(ph)
        style_chart(frame.chart, kind, title, **style)
        return frame


def _widths(weights: Sequence[float], total: int) -> list[int]:
    s = float(sum(weights))
    widths = [int(total * w / s) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _fit_cell(cell: Any, width: int, font_pt: float, max_lines: int = MAX_CELL_LINES) -> Any:
    if isinstance(cell, dict):
        return {**cell, "text": fit_lines(_cell_text(cell), width, font_pt, max_lines, bold=_cell_bold(cell, False))}
    return fit_lines(_cell_text(cell), width, font_pt, max_lines)


GRADE_TEXT = {"green": "Green", "amber": "Amber", "red": "Red", "grey": "Not assessed"}
BAND_COLOURS = {"high": GRADE_COLOURS["red"], "medium": GRADE_COLOURS["amber"], "low": GRADE_COLOURS["green"]}


def _graded(text: str, colour: str) -> dict:
    fill = GRADE_COLOURS.get(colour, GRADE_COLOURS["grey"])
    dark_text = colour in {"amber", "grey"}
    return {"text": text, "fill": fill, "color": "1F2933" if dark_text else "FFFFFF", "bold": True, "align": "ctr"}


def _money(value: float | None, ctx: dict) -> str:
    """Only for numbers the context has no text for (sums of already-formatted items)."""
    symbol = ctx.get("currency_symbol")
    if symbol is None:
        symbol = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3"}.get(ctx.get("currency", "USD"), "")
    return f"{symbol}{value:,.0f}" if value is not None else "-"


# ----------------------------------------------------------------------------- slides
def render_deck(context: dict, template: Path) -> bytes:
    """The QBR deck for one client as .pptx bytes, every slide built from the template's layouts."""
    ctx = context
    deck = _Deck(ctx, Path(template))
    client, quarter = ctx["client"], ctx["quarter"]
    msp = ctx.get("msp") or {}
    summary = ctx["summary"]
    appendix_rows = appendix_limit(ctx, "deck_appendix_rows", 40)

    # 1 title
    slide = deck.slide(LAYOUT_TITLE, "Quarterly business review",
                       f"Welcome. This review covers {client['name']}'s IT against its business goals for {quarter}: "
                       f"where things stand, what changed, the top risks, and the decisions we need today. "
                       f"All figures come from the exports of {ctx['as_of']}.")
    deck.text(slide, 1, [f"{client['name']}  \u00b7  {quarter}"])
    deck.text(slide, TAKEAWAY_IDX, [f"Prepared by {client['vcio']}" + (f", {msp['name']}" if msp.get("name") else ""),
                                    f"Data as of {ctx['as_of']}"])
    _logo(deck, slide, msp.get("logo") or "")

    # 2 agenda
    slide = deck.slide(LAYOUT_CONTENT, "Agenda",
                       "Set expectations: we start from the business, not from patch statistics, and end with the "
                       "decisions we need. Detail is in the appendix and in the findings workbook.")
    deck.text(slide, 1, ["Where the business is heading", "Scorecard and what changed since last quarter",
                         "Current state of devices and support", "Top risks and what is coming up",
                         "Licence savings, proposed initiatives and budget", "Decisions needed today"])

    _business_direction(deck, ctx)
    _scorecard(deck, ctx)
    _changes(deck, ctx)
    _grade_trend(deck, ctx)
    _current_state(deck, ctx)
    _risks(deck, ctx)
    _coming_up(deck, ctx)
    _licences(deck, ctx)
    _next_90_days(deck, ctx)
    _budget(deck, ctx)
    _decisions(deck, ctx)
    _decisions_record(deck, ctx)

    # appendix
    slide = deck.slide(LAYOUT_SECTION, "Appendix",
                       "Reference material: use only if the client asks for detail.")
    deck.text(slide, 1, ["Findings, devices and licences behind the numbers"])
    _appendix(deck, ctx, appendix_rows)

    # closing
    slide = deck.slide(LAYOUT_CLOSING, "Questions and next steps",
                       f"Close by confirming the decisions and the owners, and book the {_next_quarter(quarter)} "
                       f"review. The Word roadmap and the findings workbook go to the client after this meeting.")
    deck.text(slide, 1, ["Confirm the decisions and owners agreed today",
                         "We send the updated roadmap and the findings workbook",
                         f"Next review: {_next_quarter(quarter)}"])
    contact = [client["vcio"] + (f", {msp['name']}" if msp.get("name") else "")]
    if msp.get("contact"):
        contact.append(msp["contact"])
    deck.text(slide, TAKEAWAY_IDX, contact)
    _logo(deck, slide, msp.get("logo") or "")
    _ = summary

    return deck.save(review_time(ctx).date())


def _logo(deck: _Deck, slide, path: str) -> None:
    ph = deck.ph(slide, LOGO_IDX)
    if ph is None:
        return
    file = Path(path) if path else None
    if not file or not file.is_file():
        deck.drop(ph)
        return
    x, y, cx, cy = deck._box(ph)
    try:
        picture = slide.shapes.add_picture(str(file), x, y)
    except Exception:  # an unreadable image is not worth failing the deck for
        deck.drop(ph)
        return
    scale = min(cx / picture.width, cy / picture.height, 1.0)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
    picture.left = x + cx - picture.width  # right-aligned in the logo box
    picture.top = y + (cy - picture.height) // 2
    deck.drop(ph)


def _business_direction(deck: _Deck, ctx: dict) -> None:
    title = "Business direction"
    goals = ctx.get("goals") or []
    unaligned = ctx.get("unaligned_initiatives") or []
    notes = ("Start with the client's goals for the next 12-36 months and show that every proposal serves one. "
             "Ask whether the goals still hold. Source: the goals recorded for this client in the roster/goals file; "
             "initiatives come from this quarter's findings.")
    if not goals:
        deck.one_line(title, "No business goals are on record yet: agree three to five at this meeting.", notes,
                      [("Ask: what must IT enable in the next 12-36 months (growth, compliance, remote work, cost)?", 1),
                       (f"Until then, {_plural(len(ctx.get('initiatives') or []), 'initiative')} are ranked by risk alone.", 1)])
        return
    rows = []
    for goal in goals:
        serving = goal.get("initiatives") or []
        lines = [f"{i['title']} ({i['target_quarter']})" for i in serving[:3]]
        if len(serving) > 3:
            lines.append(f"and {len(serving) - 3} more")
        meta = " \u00b7 ".join(p for p in (goal.get("priority", "-"), goal.get("target_date", "-")) if p and p != "-")
        rows.append([goal["goal"], meta or "-", "\n".join(lines) or "No initiative yet"])
    takeaway = f"{_plural(len(goals), 'goal')} on record"
    if unaligned:
        takeaway += f"; {_plural(len(unaligned), 'initiative')} without a stated goal to confirm with the client"
    deck.table_slides(LAYOUT_TABLE, title, ["Business goal", "Priority \u00b7 target", "Initiatives serving it"], rows,
                      [4, 2, 6], notes, takeaway, max_pages=BODY_TABLE_PAGES,
                      more_text="{n} more goals: see the roadmap.")


def _scorecard(deck: _Deck, ctx: dict) -> None:
    grades = ctx.get("grades") or []
    notes = ("Walk the four areas from worst to best and connect each amber or red grade to a risk later in the deck. "
             "Source: findings from the RMM, PSA and licence exports; method: "
             + ((ctx.get("method") or {}).get("grades") or "see the roadmap appendix."))
    slide = deck.slide(LAYOUT_TWO, "Scorecard", notes)
    rows = []
    for g in grades:
        grade = GRADE_TEXT.get(g.get("colour"), "-")
        if g.get("percent") is not None:
            grade = f"{grade} {g['percent_text']}"
        rows.append([g["label"], _graded(grade, g.get("colour", "grey")), g["score_text"],
                     f"{g['affected']} of {g['assessed']}" if g.get("assessed") else "-"])
    if rows:
        deck.table(slide, 1, ["Area", "Grade", "Score", "Affected"], rows, [2.6, 2.8, 1.4, 2.0], TABLE_PT + 2,
                   ["l", "ctr", "ctr", "r"], min_row=int(0.55 * 914400))
    else:
        deck.text(slide, 1, ["No area could be graded from the data provided."])
    deck.text(slide, 2, ctx.get("headline") or ["No findings this quarter."])


def _change_rows(changes: dict) -> list[list[str]]:
    rows = []
    for key, label in (("new", "New"), ("resolved", "Resolved"), ("open", "Still open")):
        for item in changes.get(key) or []:
            if isinstance(item, dict):
                rows.append([label, item.get("title") or item.get("what") or "-", item.get("subject") or "-",
                             item.get("severity") or "-"])
            else:
                rows.append([label, str(item), "-", "-"])
    return rows


def _changes(deck: _Deck, ctx: dict) -> None:
    changes = ctx.get("changes") or {"first_review": True}
    title = "What changed since last quarter"
    summary = changes.get("summary") or ""
    if changes.get("first_review"):
        deck.one_line(title, "First review: this quarter sets the baseline.",
                      "There is no earlier review to compare with. Everything found today is the baseline; from the "
                      "next review this slide lists what is new, resolved and still open, and what happened to each "
                      "decision. Source: the vcio history store.",
                      [(summary, 1)] if summary else [])
        return
    rows = _change_rows(changes)
    counts = {k: len(changes.get(k) or []) for k in ("new", "resolved", "open")}
    notes = (f"{counts['new']} new, {counts['resolved']} resolved and {counts['open']} still open since the last "
             f"review. Celebrate what was resolved, then explain what is new. Source: the vcio history store "
             f"(findings compared by id with the previous run).")
    if not rows:
        deck.one_line(title, summary or "Nothing changed since the last review.", notes)
        return
    deck.table_slides(LAYOUT_TABLE, title, ["Status", "Item", "Subject", "Severity"], rows, [1.4, 5.4, 3.0, 1.4],
                      notes, summary, max_pages=BODY_TABLE_PAGES,
                      more_text="{n} more changes: see the findings workbook.")


def _grade_trend(deck: _Deck, ctx: dict) -> None:
    """Grades over up to eight quarters, as a native line chart (only once there are two quarters)."""
    trend = (ctx.get("changes") or {}).get("grade_trend") or []
    if len(trend) < 2:
        return
    areas = [(g["area"], g["label"]) for g in ctx.get("grades") or []]
    quarters = [t["quarter"] for t in trend]
    series = {label: [t.get(area) if t.get(area) is not None else 0 for t in trend] for area, label in areas}
    changes = (ctx.get("changes") or {}).get("grade_changes") or []
    moved = [f"{c['label']} {c['delta']:+.0f} pts" for c in changes if c.get("delta")]
    notes = ("Grades per area over the last quarters (percent, green 80+, amber 50+). Explain each move: a drop "
             "usually means new findings (devices aging out, renewals), a rise means resolved work. Source: the "
             "vcio history store; right-click the chart and choose Edit Data for the numbers.")
    slide = deck.slide(LAYOUT_CHART, "Scorecard trend", notes)
    deck.takeaway(slide, "Since last quarter: " + (", ".join(moved) if moved else "no grade changed"))
    deck.chart(slide, 1, "line", "Grade by quarter (%)", quarters, series, legend=True, number_format="0")


def _decisions_record(deck: _Deck, ctx: dict) -> None:
    """What the client decided earlier: declined items stay visible with their risk of inaction."""
    record = ctx.get("decisions") or {}
    rows = []
    for key, label in (("declined", "Declined"), ("deferred", "Deferred"), ("accepted", "Accepted"), ("done", "Done")):
        for item in record.get(key) or []:
            when = item.get("decided_on") or "-"
            who = item.get("decided_by") or "-"
            detail = item.get("risk_of_inaction") if key == "declined" else (
                f"revisit {item.get('revisit_quarter')}" if key == "deferred" and item.get("revisit_quarter")
                else item.get("status") or "")
            rows.append([label, item.get("title") or item.get("item_id", "-"), f"{when}, {who}", detail or "-"])
    if not rows:
        return
    notes = ("The record of earlier decisions. Declined recommendations stay on the roadmap with the risk the "
             "client accepted by declining; deferred ones come back in the quarter agreed. Source: decisions.csv "
             "and the vcio history store.")
    deck.table_slides(LAYOUT_TABLE, "Decisions record", ["Decision", "Item", "Decided", "Risk of inaction / status"],
                      rows, [1.3, 4.2, 2.2, 4.6], notes, "Earlier decisions and where they stand",
                      max_pages=BODY_TABLE_PAGES)


def _current_state(deck: _Deck, ctx: dict) -> None:
    state = ctx.get("current_state") or {}
    summary = ctx["summary"]
    title = "Current state"
    notes = (f"{summary['devices']} devices ({summary['servers']} servers) and {summary['users']} users. Point at the "
             "red bars first: each one is a risk later in the deck. "
             "Sources: support status from the operating system and the lifecycle catalog "
             f"(snapshot {(ctx.get('method') or {}).get('catalog_snapshot') or 'see appendix'}); device age from "
             "purchase or install dates in the PSA; warranty from the PSA or warranty lookups. "
             "Right-click a chart and choose Edit Data to see the numbers.")
    panels = [("Support status", state.get("support_status") or []), ("Device age", state.get("age_buckets") or []),
              ("Warranty", state.get("warranty_status") or [])]
    if not any(items for _, items in panels):
        deck.one_line(title, "No device data was provided for this review.", notes)
        return
    slide = deck.slide(LAYOUT_THREE, title, notes)
    support = {i["label"]: i["count"] for i in state.get("support_status") or []}
    warranty = {i["label"]: i["count"] for i in state.get("warranty_status") or []}
    bits = [f"{summary['devices']} devices"]
    if support.get("Unsupported"):
        bits.append(f"{support['Unsupported']} unsupported")
    if warranty.get("Expired"):
        bits.append(f"{warranty['Expired']} out of warranty")
    deck.takeaway(slide, ", ".join(bits))
    for idx, (name, items) in enumerate(panels, start=1):
        if not items:
            deck.text(slide, idx, [f"{name}: not reported"])
            continue
        labels = [i["label"] for i in items]
        deck.chart(slide, idx, "bar", name, labels, {"Devices": [i["count"] for i in items]},
                   point_colours=[STATUS_COLOURS.get(label, SERIES_COLOURS[0]) for label in labels])


def _risks(deck: _Deck, ctx: dict) -> None:
    risks = ctx.get("top_risks") or []
    every = ctx.get("risks") or []
    title = "Top risks"
    notes = ("For each risk: what could happen, what it would cost the business, and the initiative that removes it. "
             "Score = likelihood x impact (1-25). " + ((ctx.get("method") or {}).get("risks") or "")
             + " The full register is in the roadmap.")
    if not risks:
        deck.one_line(title, "No significant risks were found in this quarter's data.", notes)
        return
    rows = [[r["title"], _graded(f"{r['score']} {r['band']}", {"high": "red", "medium": "amber"}.get(r["band"], "green")),
             r["cost_of_inaction"], r["mitigation"]] for r in risks]
    takeaway = f"The top {len(risks)} of {_plural(len(every), 'risk')} on the register"
    deck.table_slides(LAYOUT_TABLE, title, ["Risk", "Score", "Cost of inaction", "Mitigation"], rows,
                      [3.0, 1.3, 5.0, 3.2], notes, takeaway, align=["l", "ctr", "l", "l"], max_pages=BODY_TABLE_PAGES)


def _coming_up(deck: _Deck, ctx: dict) -> None:
    items = ctx.get("coming_up") or []
    title = "Coming up in the next two quarters"
    notes = ("Renewals, end-of-support and warranty dates between today and the end of the next two quarters, so "
             "nothing surprises the client. Source: subscription and agreement end dates (PSA, distributor), the "
             "lifecycle catalog and warranty data.")
    if not items:
        deck.one_line(title, "Nothing renews, loses support or leaves warranty in the next two quarters.", notes)
        return
    rows = [[i["date"], i["what"], i["kind"], i["value_text"]] for i in items]
    deck.table_slides(LAYOUT_TABLE, title, ["Date", "What", "Type", "Value"], rows, [1.5, 6.0, 1.8, 1.6], notes,
                      f"{_plural(len(items), 'dated item')} before the end of the next two quarters",
                      align=["l", "l", "l", "r"], max_pages=BODY_TABLE_PAGES,
                      more_text="{n} more dated items: see the findings workbook.")


def _licences(deck: _Deck, ctx: dict) -> None:
    lic = ctx.get("license_optimisation") or {}
    items = lic.get("items") or []
    title = "License optimisation"
    notes = ("Seats bought but unused, and licences on blocked or inactive accounts. Annual commitments (NCE) can "
             "only be reduced at renewal, so act before the renewal date. Source: Microsoft 365 user and activity "
             "exports and the distributor's subscriptions.")
    if not items:
        deck.one_line(title, "No unused or idle licences were found: nothing to reclaim this quarter.", notes)
        return
    rows = [[i["title"], i["subject"], i["monthly_text"], i["annual_text"]] for i in items]
    deck.table_slides(LAYOUT_TABLE, title, ["Item", "Licence or user", "Monthly", "Annual"], rows, [5.0, 4.0, 1.4, 1.4],
                      notes, f"Potential saving: {lic.get('total_annual_text', '-')} a year across "
                             f"{_plural(lic.get('count', len(items)), 'item')}",
                      align=["l", "l", "r", "r"], max_pages=BODY_TABLE_PAGES,
                      more_text="{n} more items: see the findings workbook.")


def _next_90_days(deck: _Deck, ctx: dict) -> None:
    items = ctx.get("next_90_days") or []
    title = "Proposed initiatives for the next 90 days"
    notes = ("Two or three projects, each tied to a goal and a risk. Costs are planning estimates from the MSP's "
             "price list; quotes follow for accepted initiatives. Source: initiatives ranked by severity and date.")
    if not items:
        deck.one_line(title, "No new initiatives are needed in the next 90 days.", notes)
        return
    total = sum(i.get("one_time_cost") or 0 for i in items)
    rows = [[i["title"], i["target_quarter"], i["one_time_text"], i["recurring_text"], i["owner"], i["goal"]]
            for i in items]
    deck.table_slides(LAYOUT_TABLE, title, ["Initiative", "Target", "One-time", "Recurring", "Owner", "Serves goal"],
                      rows, [4.2, 1.2, 1.3, 1.7, 1.7, 3.0], notes,
                      f"{_plural(len(items), 'proposal')}, {_money(total, ctx)} one-time in total",
                      align=["l", "l", "r", "r", "l", "l"], max_pages=BODY_TABLE_PAGES)


def _budget(deck: _Deck, ctx: dict) -> None:
    budget = ctx.get("budget") or {}
    rows = budget.get("rows") or []
    title = "Budget forecast"
    fiscal = ", ".join(f"{y['label']} {y['total_text']}" for y in budget.get("fiscal_years") or [])
    notes = (f"Quarterly forecast by category: one-time hardware and projects plus recurring licensing and "
             f"agreements, so renewals hold no surprises. Next four quarters: {budget.get('next_four_total_text', '-')}. "
             f"By fiscal year: {fiscal or '-'}. Source: the initiatives' estimated costs, active subscriptions and "
             f"agreements. Right-click the chart and choose Edit Data for the numbers.")
    if not rows:
        deck.one_line(title, "No costs are forecast for the next quarters.", notes)
        return
    slide = deck.slide(LAYOUT_CHART, title, notes)
    line = (f"Next four quarters: {budget['next_four_total_text']}  \u00b7  one-time {budget['one_time_total_text']}, "
            f"recurring {budget['recurring_total_text']} over {len(budget['quarters'])} quarters")
    if budget.get("savings"):
        line += f"  \u00b7  possible savings {budget['savings_text']}/yr"
    deck.takeaway(slide, line)
    labels = budget.get("quarters") or []
    fiscal_labels = budget.get("fiscal_labels") or []
    if fiscal_labels and fiscal_labels != labels and (ctx["client"].get("fiscal_year_start") or 1) != 1:
        labels = fiscal_labels
    symbol = _money(0, ctx)[:-1]
    deck.chart(slide, 1, "stacked", f"Forecast by quarter ({ctx.get('currency', '')})".replace(" ()", ""), labels,
               {r["category"]: r["amounts"] for r in rows}, legend=True,
               number_format=f'"{symbol}"#,##0' if symbol else "#,##0")


def _decisions(deck: _Deck, ctx: dict) -> None:
    items = ctx.get("decisions_needed") or []
    title = "Decisions needed"
    notes = ("Ask for a decision on each proposal: accept, defer or decline. A declined recommendation stays on the "
             "roadmap with its risk statement and comes back at the next review.")
    if not items:
        deck.one_line(title, "No decisions are needed this quarter.", notes)
        return
    rows = [[str(n), i["title"], _money(i.get("one_time_cost"), ctx) if i.get("one_time_cost") else "-", i["owner"],
             "Accept / defer / decline"] for n, i in enumerate(items, start=1)]
    deck.table_slides(LAYOUT_TABLE, title, ["#", "Proposal", "One-time cost", "Owner", "Decision"], rows,
                      [0.5, 5.5, 1.6, 1.9, 2.4], notes, "Please accept, defer or decline each proposal",
                      align=["r", "l", "r", "l", "l"], max_pages=BODY_TABLE_PAGES)


def _appendix(deck: _Deck, ctx: dict, limit: int) -> None:
    findings = ctx.get("findings") or []
    state = ctx.get("current_state") or {}
    assets = state.get("assets") or []
    licences = state.get("licenses") or []

    def note(shown: int, total: int, what: str) -> str:
        if total > shown:
            return f"Showing {shown} of {total} {what}, most important first; the full list is in the findings workbook."
        return f"All {total} {what}; also in the findings workbook."

    src = "Source: the findings workbook produced with this deck (one row per finding, device and licence)."
    if findings:
        rows = [[f["severity"].capitalize(), f["title"], f["subject"], f["due_text"], f["cost_text"]]
                for f in findings[:limit]]
        deck.table_slides(LAYOUT_TABLE, "Appendix: findings", ["Severity", "Finding", "Subject", "Due", "Cost"], rows,
                          [1.2, 5.4, 2.8, 1.4, 1.3], "Every finding behind the scorecard and risks. " + src,
                          note(len(rows), len(findings), "findings"), APPENDIX_PT, ["l", "l", "l", "l", "r"])
    else:
        deck.one_line("Appendix: findings", "No findings this quarter.", src)
    if assets:
        rows = [[a["hostname"], a["type"], a["os"], a["support"], a["age"], a["warranty_end"], a["replacement_due"]]
                for a in assets[:limit]]
        deck.table_slides(LAYOUT_TABLE, "Appendix: devices",
                          ["Device", "Type", "Operating system", "Support", "Age (y)", "Warranty end", "Replace by"],
                          rows, [2.4, 1.1, 2.6, 2.0, 0.9, 1.5, 1.5],
                          "Devices merged from the PSA and RMM, least supported first. " + src,
                          note(len(rows), len(assets), "devices"), APPENDIX_PT, ["l", "l", "l", "l", "r", "l", "l"])
    else:
        deck.one_line("Appendix: devices", "No devices were reported.", src)
    if licences:
        rows = [[str(x["product"]), str(x["purchased"]), str(x["assigned"]), str(x["spare"]), x["price_text"]]
                for x in licences[:limit]]
        deck.table_slides(LAYOUT_TABLE, "Appendix: licences", ["Product", "Purchased", "Assigned", "Spare", "Price"],
                          rows, [5.0, 1.5, 1.5, 1.2, 1.4],
                          "Seats purchased (distributor) against seats assigned (Microsoft 365). " + src,
                          note(len(rows), len(licences), "licence products"), APPENDIX_PT, ["l", "r", "r", "r", "r"])
    else:
        deck.one_line("Appendix: licences", "No licence data was provided.", src)
