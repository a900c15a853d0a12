"""One deck builder for the QBR deck and the portfolio deck: slides from the template's layouts by name,
tables paginated by measured text, native charts, footers, speaker notes, logos.

python-pptx's own per-slide work is the largest part of a deck's cost (bench/RESULTS.md), so layouts'
placeholders are cloned once per deck, notes pages copied from the first, and part names handed out from a set.
"""

from __future__ import annotations

import copy
import io
from datetime import date
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape

from ...errors import TemplateError
from .. import ooxml
from ..nativechart import chart_data, chart_type, style_chart
from ..package import dated_zip, midnight, refuse_doctype, stamp_core_properties
from ..text import clean_text
from .contract import (LAYOUT_CHART, LAYOUT_CLOSING, LAYOUT_CONTENT, LAYOUT_SECTION, LAYOUT_TABLE, LAYOUT_THREE,
                       LAYOUT_TITLE, LAYOUT_TWO, LOGO_IDX, REQUIRED_LAYOUTS, TAKEAWAY_IDX)
from .metrics import (APPENDIX_PT, BODY_TABLE_PAGES, MIN_TABLE_PT, TABLE_PT, cell_bold, cell_text, fit_lines,
                      paginate_rows)
from .tables import table_xml

__all__ = ["Deck", "APPENDIX_PT", "BODY_TABLE_PAGES", "TABLE_PT", "TAKEAWAY_IDX", "LOGO_IDX", "LAYOUT_CHART",
           "LAYOUT_CLOSING", "LAYOUT_CONTENT", "LAYOUT_SECTION", "LAYOUT_TABLE", "LAYOUT_THREE", "LAYOUT_TITLE",
           "LAYOUT_TWO"]

NO_TRUNCATION = 10_000  # lines a cell may wrap to: client text is never cut, tables paginate instead
EMPHASIS_FADE = 0.35  # later quarters drawn this much lighter, still their own hue (not the next category's grey)
FOOTER_COLOUR = "5B6B7F"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


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


class Deck:
    """A deck being built from a template's layouts; `footer` is the text of every slide's footer."""

    def __init__(self, template: Path, footer: str, as_of: date | None = None):
        from pptx import Presentation
        from pptx.util import Pt

        self.Pt = Pt
        self.as_of = as_of
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
        self.footer = footer

    def save(self, as_of: date | None = None) -> bytes:
        as_of = as_of or self.as_of
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
        widths = column_widths(weights, cx)
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
                     max_lines: int = NO_TRUNCATION, min_row: int = 0) -> int:
        """One table over as many slides as it needs ("(continued)" titles); returns rows shown."""
        layout_obj = self.layouts[layout]
        box = next(ph for ph in layout_obj.placeholders if ph.placeholder_format.idx == 1)
        widths = column_widths(weights, box.width)
        # A table that just misses one slide is set up to two points smaller rather than split into two
        # half-empty slides; one that needs more than that keeps its size and runs over.
        sized = self._fit_rows(rows, widths, font_pt, max_lines)
        pages = paginate_rows(sized, widths, box.height, font_pt, header)
        for smaller in (font_pt - 1, font_pt - 2):
            if len(pages) == 1 or smaller < MIN_TABLE_PT:
                break
            tighter = self._fit_rows(rows, widths, smaller, max_lines)
            tighter_pages = paginate_rows(tighter, widths, box.height, smaller, header)
            if len(tighter_pages) == 1:
                sized, pages, font_pt = tighter, tighter_pages, smaller
        rows = sized
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

    @staticmethod
    def _fit_rows(rows: list[list[Any]], widths: Sequence[int], font_pt: float, max_lines: int) -> list[list[Any]]:
        return [[fit_cell(cell, w, font_pt, max_lines) for cell, w in zip(row, widths)] for row in rows]

    def one_line(self, title: str, line: str, notes: str, more: Sequence[str] = ()) -> None:
        """A slide with nothing to tabulate: say so in one line."""
        slide = self.slide(LAYOUT_CONTENT, title, notes)
        self.text(slide, 1, [line, *more])

    # ---- charts
    def chart(self, slide, idx: int, kind: str, title: str, categories: Sequence[str], series: dict[str, list[float]],
              emphasise_first: int | None = None, **style: Any):
        """A native chart where placeholder ``idx`` is, in the house style (see nativechart.style_chart)."""
        created = midnight(self.as_of) if self.as_of else None
        data = chart_data(categories, series, style.get("number_format", "General"), created)
        ph = self.ph(slide, idx)
        if hasattr(ph, "insert_chart"):
            frame = ph.insert_chart(chart_type(kind), data)
        else:
            x, y, cx, cy = self._box(ph)
            frame = slide.shapes.add_chart(chart_type(kind), x, y, cx, cy, data)
            self.drop(ph)
        style_chart(frame.chart, kind, title, **style)
        if emphasise_first is not None:
            _fade_after(frame.chart, emphasise_first, style.get("colours"))
        return frame

    # ---- pictures
    def logo(self, slide, path: Path | str | None) -> None:
        """The logo in the layout's logo box, right-aligned; the box goes when there is no readable logo."""
        ph = self.ph(slide, LOGO_IDX)
        if ph is None:
            return
        file = Path(path) if path else None
        if not file or not file.is_file():
            self.drop(ph)
            return
        x, y, cx, cy = self._box(ph)
        try:
            picture = slide.shapes.add_picture(str(file), x, y)
        except Exception:  # an unreadable image is not worth failing the deck for
            self.drop(ph)
            return
        scale = min(cx / picture.width, cy / picture.height, 1.0)
        picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
        picture.left = x + cx - picture.width
        picture.top = y + (cy - picture.height) // 2
        self.drop(ph)


def column_widths(weights: Sequence[float], total: int) -> list[int]:
    s = float(sum(weights))
    widths = [int(total * w / s) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def fit_cell(cell: Any, width: int, font_pt: float, max_lines: int = NO_TRUNCATION) -> Any:
    if isinstance(cell, dict):
        return {**cell, "text": fit_lines(cell_text(cell), width, font_pt, max_lines, bold=cell_bold(cell, False))}
    return fit_lines(cell_text(cell), width, font_pt, max_lines)



def _fade_after(chart, first: int, colours: Sequence[str] | None) -> None:
    """Points after the first `first` categories drawn lighter: the near term stands out."""
    from pptx.dml.color import RGBColor

    from ..palette import SERIES_COLOURS

    palette = colours or SERIES_COLOURS
    for n, series in enumerate(chart.plots[0].series):
        light = _lighter(palette[n % len(palette)], EMPHASIS_FADE)
        for index in range(first, len(series.values)):
            point = series.points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(light)


def _lighter(colour: str, amount: float) -> str:
    channels = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in channels)
