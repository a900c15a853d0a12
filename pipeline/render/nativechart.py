"""Native Office charts (DrawingML ``c:chartSpace`` plus an embedded workbook), shared by deck and roadmap.

python-pptx writes the chart XML (``ChartXmlWriter``) and the workbook behind it; :func:`style_chart`
gives every chart the same look whether it lands on a slide or in the Word roadmap, and
:func:`chart_part_xml` builds a stand-alone chart part for Word, where python-pptx's shapes API is
not available. Native charts are editable (right-click, Edit Data), print sharply at any size and
cost a fraction of a rendered picture (bench/RESULTS.md).

Chart workbooks: XlsxWriter's ``write()`` turns strings starting with "=" into formulas (and strings
that look like URLs into links). :func:`chart_data` returns a ``CategoryChartData`` whose workbook
writer opens the workbook with ``strings_to_formulas=False`` and ``strings_to_urls=False``, so every
category label (device, user or product names included) is stored as the literal string it is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Sequence

from .palette import INK, NAVY, SERIES_COLOURS
from .text import clean_text

AXIS_LINE = "C9D1DB"
GRID_LINE = "E1E6EC"
EMBEDDED_WORKBOOK_DATE = datetime(2000, 1, 1)

@dataclass(frozen=True)
class ChartFonts:
    """Point sizes: a slide is read from across a room, a roadmap page from arm's length."""
    body: float = 12
    title: float = 14
    ticks: float = 11
    labels: float = 12


SLIDE_FONTS = ChartFonts()
PAGE_FONTS = ChartFonts(body=9, title=11, ticks=8.5, labels=8.5)


@functools.cache
def _literal_chart_data_class():
    """python-pptx's ``CategoryChartData`` with a workbook writer that stores every label as a string."""
    from contextlib import contextmanager

    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class _LiteralWorkbookWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):
            workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
            # XlsxWriter dates a workbook with the clock unless told: the document's own date keeps it reproducible
            workbook.set_properties({"created": self._chart_data.created or EMBEDDED_WORKBOOK_DATE})
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

    class LiteralCategoryChartData(CategoryChartData):
        created: datetime | None = None

        @property
        def _workbook_writer(self):
            return _LiteralWorkbookWriter(self)

    return LiteralCategoryChartData


def chart_data(categories: Iterable[Any], series: dict[str, Sequence[float | None]], number_format: str = "General",
               created: datetime | None = None):
    """A python-pptx ``CategoryChartData`` whose embedded workbook stores every label as a string.

    ``None`` values stay empty points (no bar, no label), unlike 0. ``created`` dates the embedded workbook (the
    document's review time, package.review_time); without it, a fixed date, never the clock.
    """
    data = _literal_chart_data_class()(number_format=number_format)
    data.created = created
    data.categories = [clean_text(str(c)) for c in categories]
    for name, values in series.items():
        data.add_series(clean_text(str(name)), [None if v is None else float(v) for v in values])
    return data


def chart_type(kind: str):
    from pptx.enum.chart import XL_CHART_TYPE
    return {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
            "stacked": XL_CHART_TYPE.COLUMN_STACKED, "line": XL_CHART_TYPE.LINE_MARKERS}[kind]


def style_chart(chart, kind: str, title: str, *, colours: Sequence[str] | None = None,
                point_colours: Sequence[str] | None = None, number_format: str = "General", legend: bool = False,
                point_labels: Sequence[str | None] | None = None, overlap: int | None = None,
                fonts: ChartFonts = SLIDE_FONTS) -> None:
    """The house style for a python-pptx ``Chart``: title, palette, light grid, readable labels.

    ``point_labels`` replaces each bar's value label with a text of its own, e.g. the target quarter of an
    initiative; ``None`` entries keep no label. ``overlap=100`` on a clustered chart draws series that never
    share a category as one bar per category, each coloured (and named in the legend) by its series.
    """
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.util import Pt

    rgb = RGBColor.from_string
    chart.font.size = Pt(fonts.body)
    chart.font.color.rgb = rgb(INK)
    chart.has_title = True
    chart.chart_title.text_frame.text = clean_text(title)
    run_font = chart.chart_title.text_frame.paragraphs[0].runs[0].font
    run_font.size, run_font.bold = Pt(fonts.title), True
    run_font.color.rgb = rgb(NAVY)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(fonts.body)
    plot = chart.plots[0]
    stacked = kind == "stacked"
    horizontal = kind == "bar"
    if kind != "line":
        plot.gap_width = 55 if stacked else 60
    if stacked or overlap is not None:
        plot.overlap = 100 if stacked else overlap
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = rgb(GRID_LINE)
    value_axis.format.line.fill.background()
    value_axis.tick_labels.font.size = Pt(fonts.ticks)
    value_axis.tick_labels.number_format = number_format
    value_axis.tick_labels.number_format_is_linked = False
    chart.category_axis.tick_labels.font.size = Pt(fonts.ticks)
    chart.category_axis.format.line.color.rgb = rgb(AXIS_LINE)
    if horizontal:
        chart.category_axis.reverse_order = True  # first category on top
        value_axis.has_major_gridlines = False
        value_axis.visible = False
    unsigned_axis_ids(chart._chartSpace)
    palette = colours or SERIES_COLOURS
    for n, s in enumerate(plot.series):
        colour = rgb(palette[n % len(palette)])
        if kind == "line":
            s.format.line.color.rgb = colour
            s.format.line.width = Pt(2.25)
            s.smooth = False
            continue
        s.format.fill.solid()
        s.format.fill.fore_color.rgb = colour
        s.invert_if_negative = False
    if point_colours:
        for n, colour in enumerate(point_colours):
            point = plot.series[0].points[n]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(colour)
    if point_labels is not None:
        _text_labels(plot, point_labels, fonts)
    elif kind not in {"stacked", "line"}:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.font.size = Pt(fonts.labels)
        labels.number_format = number_format
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END


MAX_AXIS_ID = 2**31 - 1
_AXIS_ID_TAGS = tuple(f"{{http://schemas.openxmlformats.org/drawingml/2006/chart}}{name}" for name in ("axId", "crossAx"))


def unsigned_axis_ids(chart_space) -> None:
    """Axis ids as Office types them: unsigned, and (the Open XML SDK checks it) at most 2,147,483,647.

    python-pptx numbers the axes of every chart it writes -2068027336 and -2113994440 (as PowerPoint 2007
    did), in ``c:axId`` and ``c:crossAx``. Each negative id loses its sign, so an axis and every reference to
    it keep agreeing and the same chart always gets the same ids; should that meet an id already in use,
    the next free one is taken.
    """
    elements = list(chart_space.iter(*_AXIS_ID_TAGS))
    used = {int(e.get("val")) for e in elements if int(e.get("val")) >= 0}
    renamed: dict[int, int] = {}
    for element in elements:
        value = int(element.get("val"))
        if value >= 0:
            continue
        if value not in renamed:
            new = -value if -value <= MAX_AXIS_ID and -value not in used else max(used | {0}) + 1
            renamed[value] = new
            used.add(new)
        element.set("val", str(renamed[value]))


def _text_labels(plot, texts: Sequence[str | None], fonts: ChartFonts) -> None:
    """A text label at the end of each category's bar, on whichever series holds its value."""
    from pptx.enum.chart import XL_LABEL_POSITION
    from pptx.util import Pt
    for series in plot.series:
        values = series.values
        for n, text in enumerate(texts):
            if text is None or n >= len(values) or values[n] is None:
                continue
            label = series.points[n].data_label
            frame = label.text_frame
            frame.text = clean_text(text)
            frame.paragraphs[0].runs[0].font.size = Pt(fonts.labels)
            label.position = XL_LABEL_POSITION.OUTSIDE_END


def chart_part_xml(kind: str, title: str, categories: Sequence[Any], series: dict[str, Sequence[float | None]], *,
                   fonts: ChartFonts = PAGE_FONTS, created: datetime | None = None,
                   **style: Any) -> tuple[Any, bytes]:
    """A styled ``c:chartSpace`` element (python-pptx's oxml) and its workbook, for a part of its own.

    The caller relates the workbook part to the chart part and sets the ``c:externalData`` id with
    :func:`link_workbook`, then serialises the element.
    """
    from pptx.chart.chart import Chart
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.oxml import parse_xml

    data = chart_data(categories, series, style.get("number_format", "General"), created)
    xl_type = chart_type(kind)
    chart_space = parse_xml(ChartXmlWriter(xl_type, data).xml.encode("utf-8"))
    style_chart(Chart(chart_space, None), kind, title, fonts=fonts, **style)
    return chart_space, data.xlsx_blob


def link_workbook(chart_space, rid: str) -> bytes:
    """Point the chart at its embedded workbook (relationship ``rid``) and serialise it."""
    from lxml import etree
    chart_space.get_or_add_externalData().rId = rid
    return etree.tostring(chart_space, xml_declaration=True, encoding="UTF-8", standalone=True)
