"""The roadmap's chart: the budget by quarter, a native Word chart or a picture of the same chart.

Stacked columns by budget category with the quarter's total written above each column; the next four
quarters (the "next 12 months" every document quotes) in full colour, the later ones paler. Both forms read
the chart data of the template context (`budget.chart`), so they plot the very figures the table prints.
"""

from __future__ import annotations

import io

from .palette import GRID, INK, NAVY, SERIES_HATCHES, category_colours
from .deck.builder import EMPHASIS_FADE, _lighter  # the deck's near-term emphasis, so both documents match
from .wordcharts import ChartSpec

CHART_KEYS = ("budget",)
BUDGET_TITLE = "Budget by quarter"
NEAR_QUARTERS = 4  # the "next 12 months": drawn in full colour, the later quarters EMPHASIS_FADE lighter
TOTAL_SERIES = "Totals (labels only)"  # an invisible series: each column's total is its label
TOTAL_HEADROOM = 0.09  # height of that series, as a share of the tallest column: room for the label
NO_COSTS = "No costs are forecast for the next quarters."
def roadmap_chart_specs(context: dict) -> dict[str, ChartSpec | str]:
    """``budget``: a chart spec, or the sentence shown where there is nothing to plot."""
    return {"budget": budget_spec(context)}


def budget_spec(context: dict) -> ChartSpec | str:
    budget = context.get("budget") or {}
    chart = budget.get("chart") or {}
    labels, totals = list(chart.get("labels") or []), list(chart.get("totals") or [])
    series = {name: [float(v or 0) for v in values] for name, values in (chart.get("series") or {}).items()}
    if not labels or not any(totals):
        return NO_COSTS
    headroom = max(totals) * TOTAL_HEADROOM
    series[TOTAL_SERIES] = [headroom] * len(labels)
    symbol = str(chart.get("symbol") or "").replace('"', "")
    money = f'"{symbol}"#,##0' if symbol else "#,##0"
    texts = list(chart.get("totals_text") or [])
    near = min(NEAR_QUARTERS, len(labels))
    alt = (f"Stacked columns: planned spend per quarter by category, {labels[0]} to {labels[-1]}, with each "
           f"quarter's total above its column; the first {near} quarters in full colour.")
    colours = category_colours(list(series)[:-1]) + ["FFFFFF"]  # the totals' series is invisible
    return ChartSpec("stacked", BUDGET_TITLE, labels, series, 92,
                     {"legend": True, "number_format": money, "colours": colours}, alt,
                     finish=lambda c: _finish_budget(c, texts, near, colours[:-1]))


C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS = f'xmlns:c="{C}" xmlns:a="{A}"'


def _finish_budget(chart, totals_text: list[str], near: int, colours: list[str]) -> None:
    """Later quarters paler, each column's total as the label of the invisible last series, and no legend
    entry for that series. Written as XML at each element's schema place (python-pptx's point API costs
    ~90 ms for a chart this size)."""
    from lxml import etree
    from xml.sax.saxutils import escape

    series = chart._chartSpace.findall(f".//{{{C}}}ser")
    *stacks, carrier = series
    for ser, colour in zip(stacks, colours):
        tint = _lighter(colour, EMPHASIS_FADE)
        points = "".join(f'<c:dPt><c:idx val="{i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/><c:spPr>'
                         f'<a:solidFill><a:srgbClr val="{tint}"/></a:solidFill></c:spPr></c:dPt>'
                         for i in range(near, len(totals_text)))
        _insert_before(ser, etree.fromstring(f"<x {_NS}>{points}</x>"), ("dLbls", "trendline", "errBars", "cat"))
    for el in carrier.findall(f"{{{C}}}spPr"):
        carrier.remove(el)
    sp_pr = etree.fromstring(f"<c:spPr {_NS}><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>")
    _insert_before(carrier, [sp_pr], ("invertIfNegative", "pictureOptions", "dPt", "dLbls", "cat"))
    labels = []
    for i, text in enumerate(totals_text):
        bold, size = (1, 800) if i < near else (0, 700)
        colour = INK if i < near else "5B6B7F"
        labels.append(f'<c:dLbl><c:idx val="{i}"/><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>'
                      f'<a:rPr lang="en-US" sz="{size}" b="{bold}"><a:solidFill><a:srgbClr val="{colour}"/>'
                      f'</a:solidFill></a:rPr><a:t>{escape(text)}</a:t></a:r></a:p></c:rich></c:tx>'
                      '<c:dLblPos val="inBase"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
                      '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbl>')
    d_lbls = etree.fromstring(f'<c:dLbls {_NS}>{"".join(labels)}<c:showLegendKey val="0"/><c:showVal val="0"/>'
                              '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
                              '<c:showBubbleSize val="0"/></c:dLbls>')
    for el in carrier.findall(f"{{{C}}}dLbls"):
        carrier.remove(el)
    _insert_before(carrier, [d_lbls], ("trendline", "errBars", "cat"))
    _hide_legend_entry(chart, len(series) - 1)


def _insert_before(parent, elements, successors: tuple[str, ...]) -> None:
    """``elements`` into ``parent`` before its first child named in ``successors`` (else at the end)."""
    names = {f"{{{C}}}{name}" for name in successors}
    anchor = next((child for child in parent if child.tag in names), None)
    for element in list(elements):
        if anchor is not None:
            anchor.addprevious(element)
        else:
            parent.append(element)


def _hide_legend_entry(chart, index: int) -> None:
    """A c:legendEntry with c:delete for series ``index``, at its schema place (right after c:legendPos)."""
    from lxml import etree
    legend = chart._chartSpace.find(f"{{{C}}}chart/{{{C}}}legend")
    if legend is None:
        return
    entry = etree.fromstring(f'<c:legendEntry {_NS}><c:idx val="{index}"/><c:delete val="1"/></c:legendEntry>')
    position = legend.find(f"{{{C}}}legendPos")
    if position is not None:
        position.addnext(entry)
    else:
        legend.insert(0, entry)


# --------------------------------------------------------------------------- the same chart as a picture
WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.4, 120


def roadmap_pictures(context: dict) -> dict[str, bytes]:
    """PNG pictures of the roadmap's charts (``documents.roadmap_charts = "picture"``), drawn with matplotlib,
    from the template context (`roadmap_context.template_context`)."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rc = {"font.family": "sans-serif", "font.sans-serif": _font_family(), "font.size": 9,
          "axes.edgecolor": "#C9D1DB", "axes.labelcolor": f"#{INK}", "xtick.color": f"#{INK}",
          "ytick.color": f"#{INK}", "hatch.color": "white", "hatch.linewidth": 0.8, "axes.titleweight": "bold",
          "axes.titlesize": 11, "axes.titlecolor": f"#{NAVY}", "axes.titlelocation": "left", "axes.titlepad": 10,
          "legend.frameon": False, "legend.fontsize": 8.5}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes((0.1, 0.2, 0.87, 0.68))
        _draw_budget(ax, context)
        buffer = io.BytesIO()
        canvas.print_png(buffer, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    return {"budget": buffer.getvalue()}


def _draw_budget(ax, context: dict) -> None:
    chart = (context.get("budget") or {}).get("chart") or {}
    labels, totals = list(chart.get("labels") or []), list(chart.get("totals") or [])
    ax.set_title(BUDGET_TITLE)
    if not labels or not any(totals):
        ax.set_axis_off()
        ax.text(0.5, 0.5, NO_COSTS, ha="center", va="center", color="#5B6B7F", transform=ax.transAxes)
        return
    near = min(NEAR_QUARTERS, len(labels))
    x = range(len(labels))
    bottom = [0.0] * len(labels)
    series = chart.get("series") or {}
    for n, ((name, values), colour) in enumerate(zip(series.items(), category_colours(series))):
        colours = [f"#{colour if i < near else _lighter(colour, EMPHASIS_FADE)}" for i in x]
        ax.bar(x, values, 0.62, bottom=bottom, label=name, color=colours, hatch=SERIES_HATCHES[n % len(SERIES_HATCHES)],
               edgecolor="white", linewidth=0.6)
        bottom = [b + float(v or 0) for b, v in zip(bottom, values)]
    top = max(bottom) or 1
    for i, text in enumerate(chart.get("totals_text") or []):
        ax.text(i, bottom[i] + top * 0.015, text, ha="center", va="bottom", fontsize=7.5,
                fontweight="bold" if i < near else "normal", color=f"#{INK}" if i < near else "#5B6B7F")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    ax.set_axisbelow(True)
    ax.grid(axis="y", color=f"#{GRID}", linewidth=0.8)
    ax.set_xticks(list(x), [label.replace(" ", "\n").replace("-", "\n") for label in labels], fontsize=7.5)
    _money_axis(ax, str(chart.get("symbol") or ""))
    ax.set_ylim(0, top * 1.14)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, handlelength=1.6, handleheight=1.1)


def _font_family() -> list[str]:
    from matplotlib import font_manager
    available = {f.name for f in font_manager.fontManager.ttflist}
    preferred = [name for name in ("Calibri", "Carlito", "Liberation Sans", "Arial") if name in available]
    return preferred + ["DejaVu Sans"]


def _money_axis(ax, symbol: str) -> None:
    from matplotlib.ticker import FuncFormatter

    def fmt(value, _pos):
        if abs(value) >= 1_000_000:
            return f"{symbol}{value / 1_000_000:.1f}M"
        if abs(value) >= 1_000:
            return f"{symbol}{value / 1_000:.0f}k"
        return f"{symbol}{value:.0f}"
    ax.yaxis.set_major_formatter(FuncFormatter(fmt))
