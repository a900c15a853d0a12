"""Roadmap charts: PNG bytes, sized for print, legible in greyscale, and matplotlib imported lazily."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from pipeline.render.charts import (CHART_KEYS, DPI, SERIES_COLOURS, SERIES_HATCHES, STATUS_COLOURS, STATUS_HATCHES,
                                    roadmap_charts)

ROOT = Path(__file__).resolve().parents[2]


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.slow
def test_charts_are_pngs_at_most_150_dpi(context):
    charts = roadmap_charts(context)
    assert set(CHART_KEYS) <= set(charts)
    for name, data in charts.items():
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        image = Image.open(io.BytesIO(data))
        assert image.size[0] == round(8 * DPI)  # 8 in wide: sharp when printed at the page width
        assert 300 <= image.size[1] <= 675 and DPI >= 100
        dpi = image.info.get("dpi", (DPI, DPI))[0]
        assert dpi <= 150.5


def test_charts_follow_the_context(context):
    import copy
    other = copy.deepcopy(context)
    other["current_state"]["support_status"][0]["count"] = 99
    other["budget"]["rows"][0]["amounts"] = [0.0] * 12
    a, b = roadmap_charts(context), roadmap_charts(other)
    assert a["support"] != b["support"] and a["budget"] != b["budget"]
    assert a["timeline"] == b["timeline"]  # same initiatives, same picture


def test_empty_client_still_gets_charts(empty_context):
    charts = roadmap_charts(empty_context)
    assert all(charts[k][:4] == b"\x89PNG" for k in CHART_KEYS)


def test_many_initiatives_and_long_titles(context):
    ctx = dict(context)
    ctx["initiatives"] = [dict(context["initiatives"][0], rank=n, title="A very long initiative title " * 4)
                          for n in range(1, 40)]
    assert roadmap_charts(ctx)["timeline"][:4] == b"\x89PNG"


def test_series_readable_in_greyscale():
    """Adjacent budget series differ in lightness or hatch, and every series pair differs somehow."""
    for n in range(4):
        for m in range(n + 1, 4):
            distinct_light = abs(_luminance(SERIES_COLOURS[n]) - _luminance(SERIES_COLOURS[m])) >= 0.12
            assert distinct_light or SERIES_HATCHES[n] != SERIES_HATCHES[m]
    for good, bad in (("Supported", "Unsupported"), ("In warranty", "Expired")):
        assert STATUS_HATCHES[good] != STATUS_HATCHES[bad]
        assert STATUS_COLOURS[good] != STATUS_COLOURS[bad]


def test_modules_do_not_import_heavy_libraries():
    """`vcio --help` must stay fast: importing the renderers must not import matplotlib, pptx or docxtpl."""
    code = ("import sys; import pipeline.render.charts, pipeline.render.pptx, pipeline.render.docx; "
            "print(sorted(m for m in ('matplotlib', 'pptx', 'docxtpl', 'docx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("key", ["budget", "timeline", "support"])
def test_chart_is_not_blank(context, key):
    image = Image.open(io.BytesIO(roadmap_charts(context)[key])).convert("L")
    lo, hi = image.getextrema()
    assert hi - lo > 100  # there is ink on white
