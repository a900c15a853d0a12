"""One deck builder for the QBR deck and the portfolio deck: slides from the template's layouts by name,
tables paginated by measured text, native charts, footers, notes, logos."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..pptx import (APPENDIX_PT, BODY_TABLE_PAGES, LAYOUT_CHART, LAYOUT_CLOSING, LAYOUT_CONTENT, LAYOUT_SECTION,
                    LAYOUT_TABLE, LAYOUT_THREE, LAYOUT_TITLE, LAYOUT_TWO, LOGO_IDX, TABLE_PT, TAKEAWAY_IDX, _Deck)

__all__ = ["Deck", "APPENDIX_PT", "BODY_TABLE_PAGES", "TABLE_PT", "TAKEAWAY_IDX", "LOGO_IDX", "LAYOUT_CHART",
           "LAYOUT_CLOSING", "LAYOUT_CONTENT", "LAYOUT_SECTION", "LAYOUT_TABLE", "LAYOUT_THREE", "LAYOUT_TITLE",
           "LAYOUT_TWO"]

NO_TRUNCATION = 10_000  # lines a cell may wrap to: client text is never cut, tables paginate instead
EMPHASIS_FADE = 0.55  # later quarters of an emphasised chart are drawn this much lighter


class Deck(_Deck):
    def __init__(self, template: Path, footer: str):
        super().__init__({"client": {"name": ""}, "quarter": ""}, Path(template))
        self.footer = footer

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

    def table_slides(self, layout: str, title: str, header: Sequence[str], rows: list[list[Any]],
                     weights: Sequence[float], notes: str, takeaway: str = "", font_pt: float = TABLE_PT,
                     align: Sequence[str] | None = None, max_pages: int | None = None, more_text: str = "",
                     min_row: int = 0) -> int:
        return super().table_slides(layout, title, header, rows, weights, notes, takeaway, font_pt, align,
                                    max_pages, more_text, max_lines=NO_TRUNCATION, min_row=min_row)

    def chart(self, slide, idx: int, kind: str, title: str, categories: Sequence[str], series: dict[str, list],
              emphasise_first: int | None = None, **style: Any):
        frame = super().chart(slide, idx, kind, title, categories, series, **style)
        if emphasise_first is not None:
            _fade_after(frame.chart, emphasise_first, style.get("colours"))
        return frame


def _fade_after(chart, first: int, colours: Sequence[str] | None) -> None:
    """Points after the first `first` categories drawn lighter: the near term stands out."""
    from pptx.dml.color import RGBColor

    from ..charts import SERIES_COLOURS

    palette = colours or SERIES_COLOURS
    for n, series in enumerate(chart.plots[0].series):
        base = palette[n % len(palette)]
        light = _lighter(base, EMPHASIS_FADE)
        for index in range(first, len(series.values)):
            point = series.points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(light)


def _lighter(colour: str, amount: float) -> str:
    channels = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in channels)
