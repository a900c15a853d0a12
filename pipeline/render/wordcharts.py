"""Native Word charts: how a chart (a :class:`ChartSpec`, see roadmap_charts.py for what the roadmap shows)
lands in the document (:class:`WordChart`, used like docxtpl's ``InlineImage``).

A native chart is a ``c:chartSpace`` part with its own workbook, related from the document part and
placed with an inline ``w:drawing``, exactly as Word saves one: the reader can restyle it and see its
numbers with Edit Data. It costs a few milliseconds where a matplotlib picture costs ~70 ms
(bench/RESULTS.md). The picture path (roadmap_charts.py) stays for viewers without chart support
(``documents.roadmap_charts = "picture"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from xml.sax.saxutils import quoteattr

from .text import clean_text

EMU_PER_MM = 36000
CHART_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
PACKAGE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH_MM = 165


@dataclass
class ChartSpec:
    """One chart: a kind nativechart.chart_type knows, its data, its style options and its height on the page."""
    kind: str
    title: str
    categories: list[str]
    series: dict[str, list[float | None]]
    height_mm: float
    style: dict[str, Any] = field(default_factory=dict)
    alt_text: str = ""
    finish: Callable[[Any], None] | None = None  # a last touch on the styled python-pptx Chart


class WordChart:
    """A native chart placed inline by docxtpl: ``{{ render.charts.budget }}`` in its own paragraph.

    Like ``InlineImage``, it adds its parts to the part being rendered when Jinja writes it out.
    """

    def __init__(self, tpl, spec: ChartSpec, width_mm: float = WIDTH_MM, created: datetime | None = None) -> None:
        self.tpl, self.spec, self.width_mm, self.created = tpl, spec, width_mm, created

    def _insert(self) -> str:
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        from .nativechart import chart_part_xml, link_workbook

        spec = self.spec
        part = self.tpl.current_rendering_part
        package = part.package
        chart_space, xlsx = chart_part_xml(spec.kind, spec.title, spec.categories, spec.series, created=self.created,
                                           **spec.style)
        if spec.finish is not None:
            from pptx.chart.chart import Chart
            spec.finish(Chart(chart_space, None))
        chart_part = Part(PackURI(package.next_partname("/word/charts/chart%d.xml")), CHART_CT, b"", package)
        rid = part.relate_to(chart_part, CHART_RT)
        workbook = Part(PackURI(package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx")), XLSX_CT,
                        xlsx, package)
        chart_part._blob = link_workbook(chart_space, chart_part.relate_to(workbook, PACKAGE_RT))
        cx, cy = int(self.width_mm * EMU_PER_MM), int(spec.height_mm * EMU_PER_MM)
        name = quoteattr(clean_text(spec.title))
        descr = quoteattr(clean_text(spec.alt_text or spec.title))
        drawing = (
            '<wp:inline distT="0" distB="0" distL="0" distR="0" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="1" name={name} descr={descr}/><wp:cNvGraphicFramePr/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'
            '</a:graphicData></a:graphic></wp:inline>')
        return f'</w:t></w:r><w:r><w:drawing>{drawing}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    def __str__(self) -> str:
        return self._insert()

    __html__ = __str__
