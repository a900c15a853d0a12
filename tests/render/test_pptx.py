"""The QBR deck: render from a context, reopen with python-pptx, check what a vCIO would present."""

from __future__ import annotations

import copy
import io
import math
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Pt

from tests.render.conftest import FORMULA_HOST, HOSTILE_TITLE, TEMPLATES
from pipeline.errors import TemplateError
from pipeline.render.pptx import (APPENDIX_PT, LAYOUT_TABLE, MIN_TABLE_PT, REQUIRED_LAYOUTS, TABLE_PT, chart_data,
                                  estimate_lines, fit_lines, paginate_rows, render_deck, row_height, rows_per_slide)

TEMPLATE = TEMPLATES / "qbr.pptx"

MAIN_TITLES = ["Quarterly business review", "Agenda", "Business direction", "Scorecard",
               "What changed since last quarter", "Current state", "Top risks", "Coming up in the next two quarters",
               "License optimisation", "Proposed initiatives for the next 90 days", "Budget forecast",
               "Decisions needed", "Appendix"]


def render(ctx: dict) -> Presentation:
    return Presentation(io.BytesIO(render_deck(ctx, TEMPLATE)))


def titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def slides_titled(prs, prefix: str) -> list:
    return [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text.startswith(prefix)]


def tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


def table_rows(slide) -> list[list[str]]:
    (table,) = tables(slide)
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


# ----------------------------------------------------------------------------- template
def test_template_has_named_layouts_and_no_slides():
    prs = Presentation(str(TEMPLATE))
    assert len(prs.slides) == 0
    names = [layout.name for layout in prs.slide_layouts]
    for name, indexes in REQUIRED_LAYOUTS.items():
        assert name in names
        layout = prs.slide_layouts.get_by_name(name)
        assert set(indexes) <= {ph.placeholder_format.idx for ph in layout.placeholders}
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9


def test_missing_layout_is_a_template_error(tmp_path, context):
    prs = Presentation(str(TEMPLATE))
    layout = prs.slide_layouts.get_by_name(LAYOUT_TABLE)
    layout._element.cSld.set("name", "Renamed by the MSP")
    broken = tmp_path / "qbr.pptx"
    prs.save(broken)
    with pytest.raises(TemplateError, match="vcio Title and Table") as info:
        render_deck(context, broken)
    assert "Slide Master" in str(info.value)


def test_unreadable_template_is_a_template_error(tmp_path, context):
    bad = tmp_path / "qbr.pptx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TemplateError):
        render_deck(context, bad)


# ----------------------------------------------------------------------------- order and content
def test_slide_titles_in_order(context):
    prs = render(context)
    got = titles(prs)
    assert got[:len(MAIN_TITLES)] == MAIN_TITLES
    assert got[len(MAIN_TITLES):] == ["Appendix: findings", "Appendix: devices", "Appendix: licences",
                                      "Questions and next steps"]


def test_every_slide_uses_a_vcio_layout(context):
    for slide in render(context).slides:
        assert slide.slide_layout.name in REQUIRED_LAYOUTS


def test_notes_on_every_content_slide(context):
    for slide in render(context).slides:
        assert slide.has_notes_slide, slide.shapes.title.text
        assert len(slide.notes_slide.notes_text_frame.text) > 40


def test_notes_say_where_numbers_come_from(context):
    prs = render(context)
    for title in ("Current state", "Budget forecast", "Coming up in the next two quarters", "License optimisation"):
        (slide,) = slides_titled(prs, title)
        assert "Source" in slide.notes_slide.notes_text_frame.text


def test_footer_and_slide_number_on_content_slides(context):
    prs = render(context)
    slide = slides_titled(prs, "Top risks")[0]
    text = all_text(slide)
    assert "Northwind IT Partners" in text and context["client"]["name"] in text
    xml = slide._element.xml
    assert 'type="slidenum"' in xml


def test_scorecard_cells_are_coloured(context):
    (slide,) = slides_titled(render(context), "Scorecard")
    (table,) = tables(slide)
    fills = {}
    for row in list(table.rows)[1:]:
        area, grade = row.cells[0].text, row.cells[1]
        fills[area] = str(grade.fill.fore_color.rgb)
    assert fills == {"Lifecycle": "E0A526", "Security": "C0392B", "Licensing": "2E7D5B", "Continuity": "A0AAB8"}
    assert "Top risk" in all_text(slide)  # the headline sits beside the grades


def test_first_review_state_is_clear(context):
    (slide,) = slides_titled(render(context), "What changed")
    assert "First review" in all_text(slide)
    assert not tables(slide)


def test_changes_listed_on_a_later_review(review_context):
    (slide,) = slides_titled(render(review_context), "What changed")
    rows = table_rows(slide)
    statuses = [r[0] for r in rows[1:]]
    assert statuses == ["New", "New", "Resolved", "Still open", "Still open", "Still open"]
    assert rows[1][1] == HOSTILE_TITLE  # client text stays literal


def test_empty_slides_say_so_in_one_line(empty_context):
    prs = render(empty_context)
    for title, words in (("Coming up", "Nothing renews"), ("License optimisation", "No unused"),
                         ("Business direction", "No business goals"), ("Top risks", "No significant risks"),
                         ("Budget forecast", "No costs"), ("Decisions needed", "No decisions"),
                         ("Current state", "No device data")):
        (slide,) = slides_titled(prs, title)
        assert not tables(slide), title
        assert words in all_text(slide), title


def test_next_90_days_and_decisions_tables_match_context(context):
    prs = render(context)
    (slide,) = slides_titled(prs, "Proposed initiatives")
    rows = table_rows(slide)
    assert rows[0] == ["Initiative", "Target", "One-time", "Recurring", "Owner", "Serves goal"]
    assert [r[0] for r in rows[1:]] == [i["title"] for i in context["next_90_days"]]
    assert [r[2] for r in rows[1:]] == [i["one_time_text"] for i in context["next_90_days"]]
    (slide,) = slides_titled(prs, "Decisions needed")
    assert [r[1] for r in table_rows(slide)[1:]] == [d["title"] for d in context["decisions_needed"]]


def test_coming_up_and_licences_match_context(context):
    prs = render(context)
    (slide,) = slides_titled(prs, "Coming up")
    assert [r[1] for r in table_rows(slide)[1:]] == [i["what"] for i in context["coming_up"]]
    (slide,) = slides_titled(prs, "License optimisation")
    assert [r[3] for r in table_rows(slide)[1:]] == [i["annual_text"] for i in context["license_optimisation"]["items"]]
    assert context["license_optimisation"]["total_annual_text"] in all_text(slide)


def test_title_slide_has_client_quarter_and_no_empty_placeholders(context):
    slide = render(context).slides[0]
    text = all_text(slide)
    assert context["client"]["name"] in text and context["quarter"] in text and "Dana Whitfield" in text
    for shape in slide.placeholders:  # an unused placeholder would show "Click to add" in PowerPoint
        assert not shape.has_text_frame or shape.text_frame.text.strip()
    assert not any(s.placeholder_format.idx == 14 for s in slide.placeholders)  # no logo configured


def test_logo_fits_its_box(tmp_path, context):
    from PIL import Image
    logo = tmp_path / "logo.png"
    Image.new("RGB", (900, 200), "#1B2A41").save(logo)
    ctx = copy.deepcopy(context)
    ctx["msp"]["logo"] = str(logo)
    prs = render(ctx)
    for slide in (prs.slides[0], prs.slides[-1]):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        assert abs(pictures[0].width / pictures[0].height - 4.5) < 0.05  # not cropped or stretched


# ----------------------------------------------------------------------------- charts
def _charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def test_current_state_charts_are_native_with_context_values(context):
    (slide,) = slides_titled(render(context), "Current state")
    charts = _charts(slide)
    assert len(charts) == 3
    state = context["current_state"]
    for chart, key in zip(charts, ("support_status", "age_buckets", "warranty_status")):
        assert list(chart.plots[0].categories) == [i["label"] for i in state[key]]
        assert list(chart.plots[0].series[0].values) == [float(i["count"]) for i in state[key]]
        assert chart.part.chart_workbook.xlsx_part is not None  # "Edit Data" works
        assert chart.has_title


def test_budget_chart_is_stacked_with_every_category(context):
    (slide,) = slides_titled(render(context), "Budget forecast")
    (chart,) = _charts(slide)
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series == {r["category"]: [float(v) for v in r["amounts"]] for r in context["budget"]["rows"]}
    assert len(list(chart.plots[0].categories)) == 12
    assert chart.has_legend
    assert context["budget"]["next_four_total_text"] in all_text(slide)


def test_formula_like_labels_stay_strings_in_the_chart_workbook():
    labels = ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "http://example.com", "plain"]
    data = chart_data(labels, {"=Series": [1, 2, 3, 4, 5, 6]})
    sheet = load_workbook(io.BytesIO(data.xlsx_blob)).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(labels))]
    assert [c.value for c in cells] == labels  # no prefix added
    assert all(c.data_type == "s" for c in cells)
    assert sheet.cell(row=1, column=2).value == "=Series" and sheet.cell(row=1, column=2).data_type == "s"
    assert sheet.cell(row=2, column=2).value == 1


def test_formula_label_in_a_rendered_chart(context):
    ctx = copy.deepcopy(context)
    ctx["current_state"]["support_status"][0]["label"] = FORMULA_HOST
    (slide,) = slides_titled(render(ctx), "Current state")
    chart = _charts(slide)[0]
    blob = chart.part.chart_workbook.xlsx_part.blob
    cell = load_workbook(io.BytesIO(blob)).active.cell(row=2, column=1)
    assert cell.value == FORMULA_HOST and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


# ----------------------------------------------------------------------------- pagination and bounds
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
    # as few pages as greedy filling gives, balanced in row counts
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


def test_fit_lines_caps_long_cells():
    text = "word " * 400
    short = fit_lines(text, 914400, 12, max_lines=3)
    assert estimate_lines(short, 914400, 12) <= 3 and short.endswith("\u2026")
    assert fit_lines("short", 914400, 12) == "short"


def test_large_client_appendix_limited_and_paginated(large_context):
    prs = render(large_context)
    limit = large_context["limits"]["deck_appendix_rows"]
    for prefix, items, key in (("Appendix: findings", large_context["findings"], "title"),
                               ("Appendix: devices", large_context["current_state"]["assets"], "hostname")):
        slides = slides_titled(prs, prefix)
        assert len(slides) > 1
        assert all(s.shapes.title.text == f"{prefix} (continued)" for s in slides[1:])
        body = [row for s in slides for row in table_rows(s)[1:]]
        assert len(body) == limit
        column = 1 if key == "title" else 0
        assert [r[column].rstrip("\u2026") for r in body] == [i[key][:len(r[column].rstrip("\u2026"))]
                                                              for i, r in zip(items, body)]
        assert f"Showing {limit} of {len(items)}" in all_text(slides[0])
        assert "findings workbook" in all_text(slides[0])
        # the split follows the pagination rule
        (table,) = tables(slides[0])
        placeholder = next(p for p in prs.slide_layouts.get_by_name(LAYOUT_TABLE).placeholders
                           if p.placeholder_format.idx == 1)
        widths = [col.width for col in table.columns]
        header = [c.text for c in table.rows[0].cells]
        all_rows = [row for s in slides for row in table_rows(s)[1:]]
        pages = paginate_rows(all_rows, widths, placeholder.height, APPENDIX_PT, header)
        assert [len(p) for p in pages] == [len(table_rows(s)) - 1 for s in slides]


def test_deck_limit_is_read_from_context(large_context):
    ctx = copy.deepcopy(large_context)
    ctx["limits"] = {"deck_appendix_rows": 7, "roadmap_appendix_rows": 500}
    slides = slides_titled(render(ctx), "Appendix: devices")
    assert sum(len(table_rows(s)) - 1 for s in slides) == 7
    del ctx["limits"]
    slides = slides_titled(render(ctx), "Appendix: devices")
    assert sum(len(table_rows(s)) - 1 for s in slides) == 40  # default


@pytest.mark.parametrize("fixture", ["context", "large_context", "empty_context", "review_context"])
def test_every_shape_inside_the_slide(fixture, request):
    prs = render(request.getfixturevalue(fixture))
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (n, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (n, shape.name)
            if shape.has_table:  # the table's rows fit in its frame, frame within its placeholder area
                assert sum(r.height for r in shape.table.rows) <= shape.height + 10
                assert shape.top + shape.height <= int(6.75 * 914400)


def test_table_text_never_below_10pt(large_context):
    prs = render(large_context)
    sizes = set()
    for slide in prs.slides:
        for table in tables(slide):
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.text_frame.paragraphs:
                        sizes.update(r.font.size for r in p.runs)
    assert sizes and min(sizes) >= Pt(MIN_TABLE_PT)
    assert Pt(TABLE_PT) in sizes and Pt(APPENDIX_PT) in sizes


def test_render_does_not_mutate_the_context(large_context):
    before = copy.deepcopy(large_context)
    render_deck(large_context, TEMPLATE)
    assert large_context == before


@pytest.mark.slow
def test_real_contexts_render(real_context):
    prs = render(real_context)
    main = [t for t in titles(prs) if not t.endswith("(continued)")]
    assert main[:len(MAIN_TITLES)] == MAIN_TITLES
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height


def test_shape_ids_unique_per_slide(review_context):
    """Duplicate cNvPr ids make PowerPoint offer to repair the file."""
    for slide in render(review_context).slides:
        ids = [int(el.get("id")) for el in slide._element.iter("{*}cNvPr")]
        assert len(ids) == len(set(ids)), slide.shapes.title.text


def test_each_slide_has_its_own_notes_page_and_own_shapes(context):
    """Slides and notes pages are copied from the first one built per layout: none may share or cross-link."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    prs = render(context)
    notes_parts = []
    for slide in prs.slides:
        notes_part = slide.part.part_related_by(RT.NOTES_SLIDE)
        assert notes_part.part_related_by(RT.SLIDE) is slide.part  # the notes page points back at its slide
        notes_parts.append(notes_part.partname)
        ids = [shape.shape_id for shape in slide.shapes]
        assert len(ids) == len(set(ids)), slide.shapes.title.text
    assert len(set(notes_parts)) == len(notes_parts) == len(prs.slides)
    texts = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert texts[0].startswith("Welcome.") and texts[1].startswith("Set expectations")
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[:2] == ["Quarterly business review", "Agenda"]
