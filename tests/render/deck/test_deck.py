"""The QBR deck from the client review: the story first, no empty slides, the review's numbers, plain words."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pptx import Presentation
from pptx.util import Pt

from pipeline.errors import TemplateError
from pipeline.render.deck import render_deck
from pipeline.render.deck.contract import LAYOUT_TABLE, REQUIRED_LAYOUTS
from pipeline.render.deck.metrics import MIN_TABLE_PT
from pipeline.resources import builtin_template
from tests.review.conftest import sample_reviews

TEMPLATE = builtin_template("qbr.pptx")
NAMES = sorted(sample_reviews())


def render(review) -> Presentation:
    return Presentation(io.BytesIO(render_deck(review, TEMPLATE)))


@pytest.fixture(scope="module")
def decks() -> dict[str, Presentation]:
    return {name: render(review) for name, review in sample_reviews().items()}


def titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def text_of(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def slide_titled(prs, title: str):
    return next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == title)


def visible_text(prs) -> str:
    return "\n".join(text_of(s) for s in prs.slides)


def test_template_has_named_layouts_and_no_slides():
    prs = Presentation(str(TEMPLATE))
    assert len(prs.slides) == 0
    names = {layout.name for layout in prs.slide_layouts}
    assert set(REQUIRED_LAYOUTS) <= names


def test_a_template_without_a_layout_is_a_template_error(tmp_path):
    prs = Presentation(str(TEMPLATE))
    layout = next(lay for lay in prs.slide_layouts if lay.name == LAYOUT_TABLE)
    layout.name = "Something else"
    path = tmp_path / "broken.pptx"
    prs.save(str(path))
    with pytest.raises(TemplateError, match="no slide layout named 'vcio Title and Table'"):
        render_deck(sample_reviews()["Sunrise Pediatrics"], path)


@pytest.mark.parametrize("name", NAMES)
def test_the_story_comes_first(decks, name):
    order = titles(decks[name])
    assert order[0] == ("Semiannual business review" if name == "Sunrise Pediatrics" else "Quarterly business review")
    assert order[1] == "Executive summary"
    assert order[2] == "Scorecard"
    assert "Agenda" not in order
    assert order[-1] == "Questions and next steps"
    if sample_reviews()[name].decisions_needed:
        assert order.index("Decisions needed today") < order.index("Appendix")


@pytest.mark.parametrize("name", NAMES)
def test_the_executive_summary_tells_status_risks_money_and_decisions(decks, name):
    review = sample_reviews()[name]
    text = text_of(slide_titled(decks[name], "Executive summary"))
    w = review.wording
    assert review.summary.status in text
    for risk in review.risks[:3]:
        assert risk.title in text
    assert w.money(review.budget.next_90_days_one_time) in text
    assert w.money(review.budget.next_four_total) in text
    for decision in review.decisions_needed[:4]:
        assert decision.title in text


def test_the_critical_server_is_the_first_risk_on_the_summary_and_the_risk_slide(decks):
    deck = decks["Granite Ridge Manufacturing"]
    summary = text_of(slide_titled(deck, "Executive summary"))
    assert "GRM-ERP01 and GRM-FS01 run Windows Server 2012 R2, without security fixes since Oct 10, 2023" in summary
    risks = slide_titled(deck, "Top risks")
    (table,) = [shape.table for shape in risks.shapes if shape.has_table]
    assert table.cell(1, 0).text.startswith("GRM-ERP01 and GRM-FS01")
    assert table.cell(1, 1).text == "Critical"


@pytest.mark.parametrize("name", NAMES)
def test_the_deck_shows_the_review_s_money(decks, name):
    review = sample_reviews()[name]
    w = review.wording
    text = visible_text(decks[name])
    roadmap = "\n".join(text_of(s) for s in decks[name].slides if s.shapes.title is not None
                        and s.shapes.title.text in {"Roadmap", "Roadmap (continued)"})
    for initiative in review.initiatives:
        assert initiative.title in roadmap
        if initiative.one_time_cost:
            assert w.money(initiative.one_time_cost) in roadmap
    budget = slide_titled(decks[name], "Budget forecast")
    (chart,) = [shape.chart for shape in budget.shapes if shape.has_chart]
    values = [sum(series.values[i] or 0 for series in chart.plots[0].series) for i in range(len(review.budget.totals))]
    assert values == pytest.approx(list(review.budget.totals))
    assert w.money(review.budget.next_four_total) in text


def test_no_placeholder_no_cut_text_no_internal_words(decks):
    banned = ("to be assigned", "Your MSP", "\u2026", "...", "Ask:", "confirm with the client", "stale input days",
              "eol medium months", "#EXT#", "cw_manage_configurations", " 1 findings", "1 initiative are",
              "All 1 ")
    for name, deck in decks.items():
        text = visible_text(deck)
        for phrase in banned:
            assert phrase not in text, (name, phrase)


def test_spelling_follows_the_language():
    review = sample_reviews()["Northwind Logistics"]
    us = visible_text(render(review))
    assert "License savings" in us and "Licence" not in us
    from pipeline.wording import Wording
    british = replace(review, wording=Wording("en-GB", "\u00a3"))
    gb = visible_text(render(british))
    assert "Licence savings" in gb


def test_a_first_review_has_no_what_changed_slide(decks):
    for deck in decks.values():
        assert "What changed since last quarter" not in titles(deck)


def test_no_slide_is_empty(decks):
    for name, deck in decks.items():
        for slide in deck.slides:
            title = slide.shapes.title.text if slide.shapes.title is not None else ""
            body = text_of(slide).replace(title, "").strip()
            has_visual = any(shape.has_chart or shape.has_table for shape in slide.shapes)
            assert has_visual or len(body) > 20, (name, title)


@pytest.mark.parametrize("name", NAMES)
def test_every_shape_inside_the_slide_and_tables_fit_their_frames(decks, name):
    prs = decks[name]
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (n, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (n, shape.name)
            if shape.has_table:
                assert sum(r.height for r in shape.table.rows) <= shape.height + 10


def test_table_text_never_below_10pt(decks):
    sizes = {run.font.size for slide in decks["Northwind Logistics"].slides for shape in slide.shapes
             if shape.has_table for row in shape.table.rows for cell in row.cells
             for p in cell.text_frame.paragraphs for run in p.runs}
    assert sizes and min(sizes) >= Pt(MIN_TABLE_PT)


def test_notes_on_every_content_slide_and_prompts_only_there(decks):
    for deck in decks.values():
        for slide in deck.slides:
            assert slide.notes_slide.notes_text_frame.text.strip(), slide.shapes.title.text
    bluebird = render(replace(sample_reviews()["Bluebird Creative Studio"], goals=()))
    summary = slide_titled(bluebird, "Executive summary")
    assert "goals.csv" in summary.notes_slide.notes_text_frame.text
    assert "goals.csv" not in text_of(summary)


def test_each_slide_has_its_own_notes_page_and_unique_shape_ids(decks):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = decks["Cedar & Finch LLP"]
    notes_parts = []
    for slide in prs.slides:
        notes_part = slide.part.part_related_by(RT.NOTES_SLIDE)
        assert notes_part.part_related_by(RT.SLIDE) is slide.part
        notes_parts.append(notes_part.partname)
        ids = [int(el.get("id")) for el in slide._element.iter("{*}cNvPr")]
        assert len(ids) == len(set(ids)), slide.shapes.title.text
    assert len(set(notes_parts)) == len(notes_parts) == len(prs.slides)


def test_scorecard_grades_are_coloured_and_not_assessed_is_grey(decks):
    from pipeline.render.palette import GRADE_COLOURS

    slide = slide_titled(decks["Bluebird Creative Studio"], "Scorecard")
    (table,) = [shape.table for shape in slide.shapes if shape.has_table]
    rows = {table.cell(r, 0).text: table.cell(r, 1) for r in range(1, len(table.rows))}
    assert rows["Security"].text == "Not assessed"
    assert str(rows["Security"].fill.fore_color.rgb) == GRADE_COLOURS["grey"]
    assert rows["Lifecycle"].text.split()[0] in {"Green", "Amber", "Red"}
    assert "Not checked: endpoint protection" in table.cell(list(rows).index("Security") + 1, 2).text


def test_cover_leaves_out_what_is_not_known():
    review = sample_reviews()["Sunrise Pediatrics"]
    unknown = replace(review, client=replace(review.client, vcio=None), msp=replace(review.msp, name=None))
    cover = text_of(render(unknown).slides[0])
    assert "Prepared by" not in cover and "Data as of Nov 20, 2026" in cover
    named = replace(review, client=replace(review.client, vcio="Dana Whitfield"), msp=replace(review.msp, name="Acme IT"))
    assert "Prepared by Dana Whitfield, Acme IT" in text_of(render(named).slides[0])


def test_logo_fits_its_box(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (1200, 300), "navy").save(logo)
    review = sample_reviews()["Sunrise Pediatrics"]
    prs = render(replace(review, msp=replace(review.msp, logo=logo)))
    pictures = [shape for shape in prs.slides[0].shapes if shape.shape_type == 13]
    assert len(pictures) == 1
    picture = pictures[0]
    assert picture.width / picture.height == pytest.approx(4, rel=0.01)
    assert picture.left + picture.width <= prs.slide_width


def test_charts_are_native_and_hold_the_review_s_counts(decks):
    review = sample_reviews()["Northwind Logistics"]
    slide = slide_titled(decks["Northwind Logistics"], "Current state")
    charts = [shape.chart for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 3
    support = charts[0]
    assert list(support.plots[0].categories) == [c.label for c in review.current_state.support_status]
    assert list(support.plots[0].series[0].values) == [c.count for c in review.current_state.support_status]


def test_the_licence_slide_says_when_each_kind_of_seat_can_go(decks):
    # Granite Ridge: Business Premium is an annual commitment to Aug 31, 2027; F3 is billed month to month.
    slide = slide_titled(decks["Granite Ridge Manufacturing"], "License savings")
    assert ("$1,344 a year to reclaim: committed seats can only be dropped at the Aug 31, 2027 renewal; seats "
            "billed month to month can be dropped now") in text_of(slide)


def test_budget_categories_keep_their_colour_in_every_deck(decks):
    from pipeline.render.palette import CATEGORY_COLOURS

    for name, deck in decks.items():
        budget = slide_titled(deck, "Budget forecast")
        (chart,) = [shape.chart for shape in budget.shapes if shape.has_chart]
        for series in chart.plots[0].series:
            assert str(series.format.fill.fore_color.rgb) == CATEGORY_COLOURS[series.name], (name, series.name)


def test_proposals_count_peoples_accounts_and_never_name_them(decks):
    for name, deck in decks.items():
        for slide in deck.slides:
            if slide.shapes.title is not None and slide.shapes.title.text.startswith("Proposals"):
                assert "@" not in text_of(slide), name
    proposals = "\n".join(text_of(s) for s in decks["Cedar & Finch LLP"].slides
                          if s.shapes.title is not None and s.shapes.title.text.startswith("Proposals"))
    assert "and 11 user accounts." in proposals
