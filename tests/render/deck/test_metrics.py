"""Deck tables paginate by measured text: every page fits, nothing is lost, text never below 10 pt."""

from __future__ import annotations

import math

import pytest

from pipeline.render.deck.metrics import estimate_lines, fit_lines, paginate_rows, row_height, rows_per_slide


def test_rows_per_slide_rule():
    height = int(4.75 * 914400)
    assert rows_per_slide(height, 12) == (height - row_height(1, 12)) // row_height(1, 12)
    assert rows_per_slide(height, 12) > rows_per_slide(height, 14) > rows_per_slide(height, 14, lines_per_row=2)
    assert rows_per_slide(100, 12) == 1  # never zero
    assert row_height(2, 12) > row_height(1, 12)


def test_paginate_fits_every_page_and_is_greedy_then_balanced():
    widths = [914400 * 2, 914400 * 6]
    rows = [[f"row {n}", "short" if n % 3 else "a long text " * 12] for n in range(100)]
    height = int(4.75 * 914400)
    pages = paginate_rows(rows, widths, height, 12, header=["A", "B"])
    assert [r for page in pages for r in page] == rows  # order kept, nothing lost
    head = row_height(1, 12)
    used = [head + sum(row_height(max(estimate_lines(c, w, 12) for c, w in zip(r, widths)), 12) for r in page)
            for page in pages]
    assert all(u <= height for u in used)
    greedy_pages, page_h = 1, head
    for r in rows:
        h = row_height(max(estimate_lines(c, w, 12) for c, w in zip(r, widths)), 12)
        if page_h + h > height:
            greedy_pages, page_h = greedy_pages + 1, head
        page_h += h
    assert len(pages) == greedy_pages
    assert max(len(p) for p in pages) <= math.ceil(len(rows) / len(pages))


def test_paginate_single_line_rows_uses_rows_per_slide():
    widths = [914400 * 10]
    rows = [[f"r{n}"] for n in range(10 * rows_per_slide(4343400, 12))]
    pages = paginate_rows(rows, widths, 4343400, 12, header=["H"])
    assert all(len(p) == rows_per_slide(4343400, 12) for p in pages)
    assert paginate_rows([], widths, 4343400, 12, header=["H"]) == [[]]
    with pytest.raises(ValueError):
        paginate_rows(rows, widths, 4343400, 9)


def test_fit_lines_only_shortens_when_asked_to():
    text = "word " * 400
    short = fit_lines(text, 914400, 12, max_lines=3)
    assert estimate_lines(short, 914400, 12) <= 3 and short.endswith("\u2026")
    assert fit_lines(text, 914400, 12, max_lines=10_000) == text  # the deck never cuts client text
    assert fit_lines("short", 914400, 12) == "short"
