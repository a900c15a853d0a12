"""Deck tables: a table that just misses one slide is set a little smaller; a long one runs over."""

from __future__ import annotations

import io

from pptx import Presentation

from pipeline.render.deck.builder import Deck
from pipeline.render.deck.contract import LAYOUT_TABLE
from pipeline.resources import builtin_template

TWO_LINES = "Replace aging infrastructure: three network devices and two servers in the plant"


def table_deck(rows: int) -> Presentation:
    deck = Deck(builtin_template("qbr.pptx"), "footer")
    body = [[TWO_LINES if n % 2 else f"Initiative {n}", "$1,000"] for n in range(rows)]
    deck.table_slides(LAYOUT_TABLE, "Roadmap", ["Initiative", "Total"], body, [4.4, 8.3], "notes")  # the roadmap's first column
    return Presentation(io.BytesIO(deck.save()))


def sizes(prs: Presentation) -> set[int]:
    return {run.font.size.pt for slide in prs.slides for shape in slide.shapes if shape.has_table
            for row in shape.table.rows for cell in row.cells for p in cell.text_frame.paragraphs for run in p.runs}


def titles(prs: Presentation) -> list[str]:
    return [slide.shapes.title.text for slide in prs.slides]


def test_a_table_that_fits_stays_at_its_size():
    prs = table_deck(9)
    assert titles(prs) == ["Roadmap"] and sizes(prs) == {14}


def test_a_table_just_over_one_slide_is_set_smaller_on_one_slide():
    # Ten and eleven rows, half of them on two lines, need a little more than the table box at 14 pt.
    assert (titles(table_deck(10)), sizes(table_deck(10))) == (["Roadmap"], {13})
    assert (titles(table_deck(11)), sizes(table_deck(11))) == (["Roadmap"], {12})


def test_a_table_more_than_two_points_over_keeps_its_size_and_runs_over():
    assert sizes(table_deck(12)) == {14}
    prs = table_deck(30)
    assert titles(prs)[:2] == ["Roadmap", "Roadmap (continued)"] and sizes(prs) == {14}
