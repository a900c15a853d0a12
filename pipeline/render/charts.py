"""Charts for the Word roadmap, as PNG bytes (matplotlib), and the palette shared with the deck.

matplotlib is imported inside :func:`roadmap_charts` only: importing it costs about a second
and ``vcio --help`` must stay fast. One figure is reused for every chart, drawn at 150 dpi
without ``bbox_inches="tight"`` (slow); every series has its own lightness and hatch so the
charts still read when the roadmap is printed in greyscale.
"""

from __future__ import annotations

import io

# The palette (hex without '#'), shared with the native deck charts.
NAVY = "1B2A41"
INK = "1F2933"
SLATE = "5B6B7F"
GRID = "E1E6EC"
SERIES_COLOURS = ["1F3A5F", "1A9E8F", "A9B4C2", "5B6B7F", "D98E2B", "145C56"]  # dark, mid, light, ... in greyscale
SERIES_HATCHES = ["", "//", "..", "xx", "\\\\", "++"]
GRADE_COLOURS = {"green": "2E7D5B", "amber": "E0A526", "red": "C0392B", "grey": "A0AAB8"}
STATUS_COLOURS = {
    # support status
    "Supported": GRADE_COLOURS["green"], "Supported (newer than the catalog)": GRADE_COLOURS["green"],
    "Ends within 12 months": GRADE_COLOURS["amber"],
    "Unsupported": GRADE_COLOURS["red"], "Unknown": GRADE_COLOURS["grey"], "Not reported": GRADE_COLOURS["grey"],
    # warranty
    "In warranty": GRADE_COLOURS["green"], "Expires within 90 days": GRADE_COLOURS["amber"],
    "Expired": GRADE_COLOURS["red"],
    # device age: older is worse
    "< 2 years": "1A9E8F", "2-4 years": "1F3A5F", "4-6 years": GRADE_COLOURS["amber"],
    "6+ years": GRADE_COLOURS["red"],
}
STATUS_HATCHES = {"Supported": "", "In warranty": "", "Ends within 12 months": "//", "Expires within 90 days": "//",
                  "Unsupported": "xx", "Expired": "xx", "Unknown": "..", "Not reported": ".."}
PHASE_STYLE = {"0-6 months": ("1F3A5F", ""), "6-18 months": ("1A9E8F", "//"), "18-36 months": ("A9B4C2", "..")}

WIDTH_IN, HEIGHT_IN, STATUS_HEIGHT_IN, DPI = 8.0, 4.5, 2.6, 120
TIMELINE_MAX = 14  # initiatives drawn in the timeline; the rest are counted in the caption
TIMELINE_LABEL_LIMIT = 46  # initiative titles on the timeline axis are shortened beyond this


def _font_family() -> list[str]:
    from matplotlib import font_manager
    available = {f.name for f in font_manager.fontManager.ttflist}
    preferred = [name for name in ("Calibri", "Carlito", "Liberation Sans", "Arial") if name in available]
    return preferred + ["DejaVu Sans"]


def _hex(colour: str) -> str:
    return "#" + colour


def roadmap_charts(context: dict) -> dict[str, bytes]:
    """PNG charts for the roadmap: ``budget``, ``timeline`` and ``support``."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rc = {"font.family": "sans-serif", "font.sans-serif": _font_family(), "font.size": 10,
          "axes.edgecolor": "#C9D1DB", "axes.labelcolor": _hex(INK), "xtick.color": _hex(INK),
          "ytick.color": _hex(INK), "hatch.color": "white", "hatch.linewidth": 0.8, "axes.titleweight": "bold",
          "axes.titlesize": 12, "axes.titlecolor": _hex(NAVY), "axes.titlelocation": "left", "axes.titlepad": 10,
          "legend.frameon": False, "legend.fontsize": 9}
    out: dict[str, bytes] = {}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
        canvas = FigureCanvasAgg(fig)
        state = context.get("current_state") or {}
        for name, height, draw in (
                ("budget", HEIGHT_IN, lambda ax: _budget(ax, context)),
                ("timeline", HEIGHT_IN, lambda ax: _timeline(ax, context)),
                ("support", STATUS_HEIGHT_IN, lambda ax: _status(ax, state.get("support_status") or [],
                                                                 "Devices by support status"))):
            fig.clf()
            fig.set_size_inches(WIDTH_IN, height)
            ax = fig.add_axes((0.1, 0.14, 0.86, 0.74))
            draw(ax)
            buffer = io.BytesIO()
            canvas.print_png(buffer, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
            out[name] = buffer.getvalue()
    return out


def _frame(ax) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    ax.set_axisbelow(True)


def _empty(ax, title: str, message: str) -> None:
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color=_hex(SLATE), transform=ax.transAxes)


def _money_axis(ax, symbol: str) -> None:
    from matplotlib.ticker import FuncFormatter

    def fmt(value, _pos):
        if abs(value) >= 1_000_000:
            return f"{symbol}{value / 1_000_000:.1f}M"
        if abs(value) >= 1_000:
            return f"{symbol}{value / 1_000:.0f}k"
        return f"{symbol}{value:.0f}"
    ax.yaxis.set_major_formatter(FuncFormatter(fmt))


def currency_symbol(context: dict) -> str:
    """The context's currency symbol; for contexts without one, whatever precedes the digits of the grand total."""
    if context.get("currency_symbol") is not None:
        return str(context["currency_symbol"])
    text = ((context.get("budget") or {}).get("grand_total_text") or "").lstrip("-")
    symbol = ""
    for ch in text:
        if ch.isdigit():
            break
        symbol += ch
    return symbol


def _budget(ax, context: dict) -> None:
    budget = context.get("budget") or {}
    rows = budget.get("rows") or []
    title = "Budget forecast by quarter"
    quarters = list(budget.get("quarters") or [])[:12]
    if not rows or not quarters or not any(r.get("total") for r in rows):
        _empty(ax, title, "No costs are forecast for the next quarters.")
        return
    fiscal = list(budget.get("fiscal_labels") or [])
    use_fiscal = fiscal and (context.get("client") or {}).get("fiscal_year_start", 1) not in (1, None)
    labels = [(f.replace(" ", "\n") if use_fiscal else q.replace("-", "\n")) for q, f in
              zip(quarters, fiscal or quarters)]
    x = range(len(quarters))
    bottom = [0.0] * len(quarters)
    for n, row in enumerate(rows):
        values = [float(v or 0) for v in (row.get("amounts") or [])[:len(quarters)]]
        values += [0.0] * (len(quarters) - len(values))
        ax.bar(x, values, 0.62, bottom=bottom, label=row.get("category", ""),
               color=_hex(SERIES_COLOURS[n % len(SERIES_COLOURS)]), hatch=SERIES_HATCHES[n % len(SERIES_HATCHES)],
               edgecolor="white", linewidth=0.6)
        bottom = [b + v for b, v in zip(bottom, values)]
    _frame(ax)
    ax.grid(axis="y", color=_hex(GRID), linewidth=0.8)
    ax.set_xticks(list(x), labels, fontsize=8)
    _money_axis(ax, currency_symbol(context))
    top = max(bottom) or 1
    ax.set_ylim(0, top * 1.12)
    ax.set_title(title)
    ax.legend(loc="upper right", ncol=min(4, len(rows)), handlelength=1.6, handleheight=1.1)


def _timeline(ax, context: dict) -> None:
    items = list(context.get("initiatives") or [])
    title = "Initiatives by target quarter"
    if not items:
        _empty(ax, title, "No initiatives are planned.")
        return
    quarters = sorted({i["target_quarter"] for i in items} | set((context.get("budget") or {}).get("quarters") or []))
    shown = items[:TIMELINE_MAX]
    horizon = (context.get("budget") or {}).get("quarters") or []
    last = max([i["target_quarter"] for i in shown] + horizon[3:4])  # at least a year wide
    quarters = [q for q in quarters if q <= last] or quarters
    position = {q: n for n, q in enumerate(quarters)}
    start_label = context.get("quarter") or quarters[0]
    ax.set_position((0.36, 0.12, 0.61, 0.76))
    for row, item in enumerate(shown):
        end = position.get(item["target_quarter"], len(quarters) - 1)
        colour, hatch = PHASE_STYLE.get(item.get("phase", ""), ("6B7A90", ""))
        ax.barh(row, end + 0.8, left=-0.4, height=0.58, color=_hex(colour), hatch=hatch, edgecolor="white",
                linewidth=0.6)
    _frame(ax)
    ax.grid(axis="x", color=_hex(GRID), linewidth=0.8)
    ax.set_yticks(range(len(shown)), [shorten(f"{i['rank']}. {i['title']}", TIMELINE_LABEL_LIMIT) for i in shown], fontsize=8)
    ax.invert_yaxis()
    ax.set_xticks(range(len(quarters)), [q.replace("-", "\n") for q in quarters], fontsize=8)
    ax.set_xlim(-0.5, len(quarters) - 0.3)
    ax.set_title(title + (f" (top {len(shown)} of {len(items)})" if len(items) > len(shown) else ""), loc="left",
                 x=-0.55)
    from matplotlib.patches import Patch
    handles = [Patch(facecolor=_hex(c), hatch=h, edgecolor="white", label=p) for p, (c, h) in PHASE_STYLE.items()]
    ax.figure.legend(handles=handles, loc="upper right", ncol=3, handlelength=1.6, handleheight=1.1,
                     bbox_to_anchor=(0.98, 0.985))
    _ = start_label


def _status(ax, items: list[dict], title: str) -> None:
    if not items:
        _empty(ax, title, "Not reported.")
        return
    labels = [i["label"] for i in items]
    counts = [i["count"] for i in items]
    ax.set_position((0.26, 0.08, 0.68, 0.72))
    bars = ax.barh(range(len(items)), counts, 0.6,
                   color=[_hex(STATUS_COLOURS.get(label, SERIES_COLOURS[0])) for label in labels],
                   edgecolor="white", linewidth=0.6)
    for bar, label in zip(bars, labels):
        bar.set_hatch(STATUS_HATCHES.get(label, ""))
    _frame(ax)
    ax.set_yticks(range(len(items)), labels, fontsize=10)
    ax.invert_yaxis()
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    top = max(counts) or 1
    ax.set_xlim(0, top * 1.15)
    total = sum(counts)
    for n, value in enumerate(counts):
        share = f" ({100 * value / total:.0f}%)" if total else ""
        ax.text(value + top * 0.01, n, f"{value}{share}", va="center", fontsize=10, color=_hex(INK))
    ax.set_title(title)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


CHART_KEYS = ("budget", "timeline", "support")
