"""The roadmap's charts as native Word charts: what each shows (:func:`roadmap_chart_specs`) and how
one lands in the document (:class:`WordChart`, used like docxtpl's ``InlineImage``).

A native chart is a ``c:chartSpace`` part with its own workbook, related from the document part and
placed with an inline ``w:drawing``, exactly as Word saves one: the reader can restyle it and see its
numbers with Edit Data. It costs a few milliseconds where a matplotlib picture costs ~70 ms
(bench/RESULTS.md). The picture path (charts.py) stays for viewers without chart support
(``documents.roadmap_charts = "picture"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from xml.sax.saxutils import quoteattr

from .charts import (PHASE_STYLE, SERIES_COLOURS, STATUS_COLOURS, TIMELINE_LABEL_LIMIT, TIMELINE_MAX,
                     currency_symbol, shorten)
from .text import clean_text

EMU_PER_MM = 36000
CHART_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
PACKAGE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH_MM = 165
BUDGET_QUARTERS = 12


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


def roadmap_chart_specs(context: dict) -> dict[str, ChartSpec | str]:
    """``budget``, ``timeline`` and ``support``: a chart spec, or the sentence shown where there is nothing to plot."""
    state = context.get("current_state") or {}
    return {"budget": _budget(context), "timeline": _timeline(context),
            "support": _status(state.get("support_status") or [], "Devices by support status")}


def _budget(context: dict) -> ChartSpec | str:
    budget = context.get("budget") or {}
    rows = budget.get("rows") or []
    quarters = list(budget.get("quarters") or [])[:BUDGET_QUARTERS]
    if not rows or not quarters or not any(r.get("total") for r in rows):
        return "No costs are forecast for the next quarters."
    fiscal = list(budget.get("fiscal_labels") or [])
    use_fiscal = fiscal and (context.get("client") or {}).get("fiscal_year_start", 1) not in (1, None)
    labels = [f if use_fiscal else q for q, f in zip(quarters, fiscal or quarters)]
    series = {}
    for row in rows:
        values = [float(v or 0) for v in (row.get("amounts") or [])[:len(quarters)]]
        series[str(row.get("category", ""))] = values + [0.0] * (len(quarters) - len(values))
    symbol = currency_symbol(context).replace('"', "")
    money = f'"{symbol}"#,##0' if symbol else "#,##0"
    return ChartSpec("stacked", "Budget forecast by quarter", labels, series, 88,
                     {"legend": True, "number_format": money},
                     f"Stacked columns: forecast spend per quarter by category, {labels[0]} to {labels[-1]}.")


def _timeline(context: dict) -> ChartSpec | str:
    items = list(context.get("initiatives") or [])
    if not items:
        return "No initiatives are planned."
    shown = items[:TIMELINE_MAX]
    horizon = list((context.get("budget") or {}).get("quarters") or [])
    quarters = sorted({i["target_quarter"] for i in items} | set(horizon))
    position = {q: n for n, q in enumerate(quarters)}
    now = context.get("quarter") or quarters[0]
    start = position.get(now, 0)
    phases = list(PHASE_STYLE)
    series: dict[str, list[float | None]] = {phase: [None] * len(shown) for phase in phases}
    other = "Other"
    for row, item in enumerate(shown):
        phase = item.get("phase") if item.get("phase") in PHASE_STYLE else other
        series.setdefault(phase, [None] * len(shown))
        # Bar length = quarters from now to the target, the current quarter counting as one.
        series[phase][row] = float(max(1, position.get(item["target_quarter"], start) - start + 1))
    series = {name: values for name, values in series.items() if any(v is not None for v in values)}
    colours = [PHASE_STYLE[name][0] if name in PHASE_STYLE else "6B7A90" for name in series]
    title = "Initiatives by target quarter" + (f" (top {len(shown)} of {len(items)})" if len(items) > len(shown)
                                               else "")
    labels = [shorten(f"{i['rank']}. {i['title']}", TIMELINE_LABEL_LIMIT) for i in shown]
    return ChartSpec("bar", title, labels, series, 26 + 7.5 * len(shown),
                     {"legend": True, "colours": colours, "overlap": 100, "number_format": "0",
                      "point_labels": [i["target_quarter"] for i in shown]},
                     "Horizontal bars: each initiative's bar runs from this quarter to its target quarter.")


def _status(items: list[dict], title: str) -> ChartSpec | str:
    if not items:
        return f"{title}: not reported."
    total = sum(i["count"] for i in items) or 1
    labels = [f"{i['label']} ({100 * i['count'] / total:.0f}%)" for i in items]
    return ChartSpec("bar", title, labels, {"Devices": [i["count"] for i in items]}, 22 + 8 * len(items),
                     {"point_colours": [STATUS_COLOURS.get(i["label"], SERIES_COLOURS[0]) for i in items]},
                     f"Horizontal bars: {title.lower()}; " + ", ".join(f"{i['label']} {i['count']}" for i in items)
                     + ".")


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
