"""The Word roadmap: render from a context, reopen with python-docx, check every roadmap component."""

from __future__ import annotations

import copy
import io

import pytest
from docx import Document

from pipeline.render.docx import render_roadmap
from pipeline.errors import TemplateError
from tests.render.conftest import HOSTILE_TITLE, TEMPLATES

TEMPLATE = TEMPLATES / "roadmap.docx"


def _png(width: int = 40, height: int = 20) -> bytes:
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1B2A41").save(buffer, format="PNG")
    return buffer.getvalue()


TINY_PNG = _png()
CHARTS = {"budget": TINY_PNG, "timeline": TINY_PNG, "support": TINY_PNG}

COMPONENTS = ["Executive summary", "Business goals alignment", "Current-state assessment", "Risk register",
              "Prioritised initiatives", "Budget forecast", "Success metrics", "Quarterly check-in",
              "Decisions record", "Appendix A. Findings", "Appendix B. Devices", "Appendix C. Users and licences",
              "Appendix D. Method and data sources"]


def render(ctx: dict, charts: dict | None = None, template=TEMPLATE) -> Document:
    return Document(io.BytesIO(render_roadmap(ctx, template, CHARTS if charts is None else charts)))


def headings(doc, level: int = 1) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def body_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def table_after(doc, header_first_cell: str, contains: str | None = None):
    for table in doc.tables:
        if table.rows[0].cells[0].text == header_first_cell and (
                contains is None or any(contains in c.text for c in table.rows[0].cells)):
            return table
    raise AssertionError(f"no table headed {header_first_cell!r}")


def section_text(doc, heading: str) -> str:
    """Text of the paragraphs between a Heading 1 and the next one."""
    out, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == heading
            continue
        if inside:
            out.append(p.text)
    return "\n".join(out)


def test_every_component_has_its_heading_in_order(context):
    doc = render(context)
    assert headings(doc) == COMPONENTS


def test_cover_has_client_quarter_vcio_and_msp(context):
    doc = render(context)
    cover = "\n".join(p.text for p in doc.paragraphs[:25])
    for text in (context["client"]["name"], context["quarter"], context["client"]["vcio"], context["msp"]["name"],
                 context["as_of"]):
        assert text in cover
    assert doc.paragraphs[[p.text for p in doc.paragraphs].index(context["client"]["name"])].style.name == "Title"


def test_header_and_footer(context):
    doc = render(context)
    section = doc.sections[0]
    assert context["client"]["name"] in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]
    assert context["msp"]["name"] in footer.text and context["quarter"] in footer.text
    assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml
    assert section.different_first_page_header_footer  # the cover has none


def test_content_of_each_component(context):
    doc = render(context)
    text = body_text(doc)
    # executive summary and scorecard
    assert context["headline"][0] in section_text(doc, "Executive summary")
    scorecard = table_after(doc, "Area")
    assert [r.cells[0].text for r in scorecard.rows[1:]] == [g["label"] for g in context["grades"]]
    assert scorecard.rows[2].cells[1].text == "Red 41%"
    assert 'w:fill="C0392B"' in scorecard.rows[2].cells[1]._tc.xml
    # goals and the initiatives serving each
    goals = section_text(doc, "Business goals alignment")
    for goal in context["goals"]:
        assert goal["goal"] in goals
        for item in goal["initiatives"]:
            assert item["title"] in goals
    # current state
    assert table_after(doc, "Device type").rows[1].cells[0].text == context["current_state"]["devices_by_type"][0]["label"]
    assert table_after(doc, "Product", "Purchased").rows[1].cells[0].text == context["current_state"]["licenses"][0]["product"]
    # risk register with the cost of inaction
    risks = table_after(doc, "Risk")
    assert [r.cells[0].text for r in risks.rows[1:]] == [r["title"] for r in context["risks"]]
    assert context["risks"][0]["cost_of_inaction"] in text
    # initiatives per phase, with owner and costs
    for phase in context["phases"]:
        assert phase["phase"] in [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert context["initiatives"][0]["title"] in text and context["initiatives"][0]["one_time_text"] in text
    # budget: totals and one row per quarter (+ total)
    assert context["budget"]["next_four_total_text"] in text
    budget = table_after(doc, "Quarter")
    assert [r.cells[0].text for r in budget.rows[1:]] == context["budget"]["quarters"] + ["Total"]
    assert budget.rows[-1].cells[-1].text == context["budget"]["grand_total_text"]
    assert budget.rows[1].cells[2].text == context["budget"]["rows"][0]["amounts_text"][0]
    # success metrics, check-in, decisions
    assert context["initiatives"][0]["success_metric"] in text
    assert "first review" in section_text(doc, "Quarterly check-in").lower()
    proposals = table_after(doc, "Proposal")
    assert [r.cells[0].text for r in proposals.rows[1:]] == [d["title"] for d in context["decisions_needed"]]
    # appendix
    assert context["current_state"]["assets"][0]["hostname"] in text
    assert context["method"]["grades"] in text
    assert "rmm/DeviceDetailsExport.csv" in text


def test_headings_are_word_headings(context):
    doc = render(context)
    assert len(headings(doc, 2)) >= 8
    assert all(p.style.name != "Normal" or not p.text.startswith("Appendix ") for p in doc.paragraphs)


def test_client_text_stays_literal(context):
    doc = render(context)
    findings = table_after(doc, "Severity")
    titles = [r.cells[1].text for r in findings.rows[1:]]
    assert HOSTILE_TITLE in titles  # "{{ config }} <b>& ..." survives exactly
    assert "{{ config }}" in body_text(doc)


def test_later_review_lists_changes_and_decisions(review_context):
    doc = render(review_context)
    changes = table_after(doc, "Status")
    assert [r.cells[0].text for r in changes.rows[1:]] == ["New", "New", "Resolved", "Still open", "Still open",
                                                          "Still open"]
    assert changes.rows[1].cells[1].text == HOSTILE_TITLE
    decisions = table_after(doc, "Decision", "When")
    # Declined items lead the record: the client carries their risk.
    assert [r.cells[0].text for r in decisions.rows[1:]] == ["Declined", "Accepted"]
    assert "Risk of inaction: Old devices fail more often." in decisions.rows[1].cells[3].text


def test_charts_are_inline_images(context):
    doc = render(context)
    assert len(doc.inline_shapes) == 3


def test_missing_chart_leaves_no_gap_or_error(context):
    doc = render(context, charts={})
    assert len(doc.inline_shapes) == 0
    assert "Budget forecast" in headings(doc)


def test_logo_on_the_cover(tmp_path, context):
    logo = tmp_path / "logo.png"
    logo.write_bytes(TINY_PNG)
    ctx = copy.deepcopy(context)
    ctx["msp"]["logo"] = str(logo)
    doc = render(ctx)
    assert len(doc.inline_shapes) == 4
    assert doc.inline_shapes[0].width <= 60 * 36000  # 60 mm at most


def test_empty_client_renders_plain_statements(empty_context):
    doc = render(empty_context)
    text = body_text(doc)
    assert headings(doc) == COMPONENTS
    assert "No business goals are recorded" in text
    assert "No risks were found" in text
    assert "No initiatives are needed" in text
    assert "No decisions are needed this quarter." in text


def test_appendix_limit_and_note(large_context):
    ctx = copy.deepcopy(large_context)
    ctx["limits"] = {"deck_appendix_rows": 40, "roadmap_appendix_rows": 25}
    doc = render(ctx)
    findings = table_after(doc, "Severity")
    assert len(findings.rows) == 1 + 25
    assert f"Showing 25 of {len(ctx['findings'])} findings" in body_text(doc)
    devices = table_after(doc, "Device")
    assert len(devices.rows) == 1 + 25


def test_default_appendix_limit_is_500(large_context):
    ctx = copy.deepcopy(large_context)
    del ctx["limits"]
    ctx["findings"] = ctx["findings"] * 2  # 612 findings
    findings = table_after(render(ctx), "Severity")
    assert len(findings.rows) == 1 + 500


def test_render_does_not_mutate_the_context(context):
    before = copy.deepcopy(context)
    render_roadmap(context, TEMPLATE, CHARTS)
    assert context == before
    assert "render" not in context


def _template_with(tmp_path, text: str):
    doc = Document()
    doc.add_paragraph().add_run(text)
    path = tmp_path / "custom.docx"
    doc.save(path)
    return path


def test_undefined_variable_is_an_error(tmp_path, context):
    with pytest.raises(TemplateError, match="clinet"):
        render_roadmap(context, _template_with(tmp_path, "{{ clinet.name }}"), CHARTS)


def test_template_cannot_reach_python_internals(tmp_path, context):
    path = _template_with(tmp_path, "{{ client.name.__class__.__mro__ }}")
    with pytest.raises(TemplateError):
        render_roadmap(context, path, CHARTS)


def test_autoescape_in_custom_template(tmp_path, context):
    ctx = copy.deepcopy(context)
    ctx["client"]["name"] = "A <b>&</b> B {{ x }}"
    doc = Document(io.BytesIO(render_roadmap(ctx, _template_with(tmp_path, "Client: {{ client.name }}"), CHARTS)))
    assert doc.paragraphs[0].text == "Client: A <b>&</b> B {{ x }}"


def test_bad_template_file_is_a_template_error(tmp_path, context):
    bad = tmp_path / "roadmap.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TemplateError):
        render_roadmap(context, bad, CHARTS)


def test_real_contexts_render(real_context):
    from pipeline.render.charts import roadmap_charts
    doc = render(real_context, charts=roadmap_charts(real_context))
    assert headings(doc) == COMPONENTS
    assert real_context["client"]["name"] in body_text(doc)


def test_template_tags_are_single_runs():
    """docxtpl breaks on tags split across runs: every {{ }} / {% %} opens and closes in one w:t."""
    import re
    import zipfile
    with zipfile.ZipFile(TEMPLATE) as z:
        parts = [z.read(n).decode("utf-8") for n in z.namelist()
                 if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
    count = 0
    for xml in parts:
        for text in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml):
            opens = text.count("{{") + text.count("{%")
            closes = text.count("}}") + text.count("%}")
            assert opens == closes, text
            count += opens
        assert "{{" not in re.sub(r"<w:t(?: [^>]*)?>[^<]*</w:t>", "", xml)
    assert count > 100


def test_line_breaks_and_tabs_in_client_text_become_word_breaks(context):
    """docxtpl's listing pass (newline -> w:br, tab -> w:tab) still runs when some text needs it."""
    ctx = copy.deepcopy(context)
    ctx["risks"][0]["mitigation"] = "First step\nSecond step\tafter a tab"
    doc = render(ctx)
    cell = next(c for t in doc.tables for r in t.rows for c in r.cells if "First step" in c.text)
    xml = cell._tc.xml
    assert "<w:br/>" in xml and "<w:tab/>" in xml
    assert "First step\nSecond step\tafter a tab" == cell.text
    # and a document without such text is written without them
    plain = render(context)
    assert all("<w:br/>" not in c._tc.xml for t in plain.tables for r in t.rows for c in r.cells)
