"""Native Word charts in the roadmap: the budget chart plots the review's budget, and Word finds a well-formed
chart part with its workbook (reopened from the saved .docx, parts followed through their relationships)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from pipeline.render.roadmap import render_roadmap
from pipeline.render.roadmap_charts import NO_COSTS, TOTAL_SERIES, roadmap_chart_specs
from pipeline.render.roadmap_context import template_context
from pipeline.render.wordcharts import CHART_CT, CHART_RT, PACKAGE_RT
from tests.render.conftest import TEMPLATES
from tests.review.conftest import sample_reviews

TEMPLATE = TEMPLATES / "roadmap.docx"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def charts_of(data: bytes) -> list[dict]:
    """Every chart the document body places: its title, categories, series and workbook, in body order."""
    doc = Document(io.BytesIO(data))
    part = doc.part
    found = []
    for ref in part.element.body.iter(f"{{{C}}}chart"):
        rel = part.rels[ref.get(f"{{{R}}}id")]
        assert rel.reltype == CHART_RT
        chart_part = rel.target_part
        assert chart_part.content_type == CHART_CT
        space = etree.fromstring(chart_part.blob)
        rid = space.find(f"{{{C}}}externalData").get(f"{{{R}}}id")
        workbook_rel = chart_part.rels[rid]
        assert workbook_rel.reltype == PACKAGE_RT
        series = {}
        for ser in space.iter(f"{{{C}}}ser"):
            name = ser.find(f"{{{C}}}tx//{{{C}}}v").text
            points = {int(pt.get("idx")): float(pt.find(f"{{{C}}}v").text)
                      for pt in ser.find(f"{{{C}}}val").iter(f"{{{C}}}pt")}
            series[name] = points
        first = next(space.iter(f"{{{C}}}cat"))
        categories = [pt.find(f"{{{C}}}v").text for pt in first.iter(f"{{{C}}}pt")]
        labels = ["".join(t.text or "" for t in d.iter(f"{{{A}}}t")) for d in space.iter(f"{{{C}}}dLbl")]
        title = "".join(t.text for t in space.find(f"{{{C}}}chart/{{{C}}}title").iter(f"{{{A}}}t"))
        extent = ref.getparent().getparent().getparent().find(f"{{{WP}}}extent")
        found.append({"title": title, "categories": categories, "series": series, "labels": labels,
                      "workbook": load_workbook(io.BytesIO(workbook_rel.target_part.blob)).active,
                      "partname": str(chart_part.partname), "height": int(extent.get("cy"))})
    return found


@pytest.fixture(scope="module")
def rendered():
    review = sample_reviews()["Cedar & Finch LLP"]
    return review, render_roadmap(review, TEMPLATE)


def test_one_native_chart_with_its_own_workbook(rendered):
    _, data = rendered
    charts = charts_of(data)
    assert [c["title"] for c in charts] == ["Budget by quarter"]
    assert not any(s.type == 3 for s in Document(io.BytesIO(data)).inline_shapes)  # 3 = picture: none
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("word/embeddings/") and n.endswith(".xlsx") for n in names) == 1


def test_budget_chart_plots_the_review_budget_on_fiscal_quarters(rendered):
    review, data = rendered
    (budget,) = charts_of(data)
    assert review.client.fiscal_year_start == 4
    assert budget["categories"] == list(review.budget.fiscal_labels)
    for line in review.budget.lines:
        if any(line.amounts):
            got = [budget["series"][line.category].get(n, 0.0) for n in range(len(line.amounts))]
            assert got == pytest.approx(list(line.amounts))
    assert list(budget["series"])[-1] == TOTAL_SERIES
    assert budget["labels"] == [review.wording.money_short(t) for t in review.budget.totals]
    # the workbook behind the chart holds the same numbers (what Edit Data shows)
    sheet = budget["workbook"]
    hardware = next(line for line in review.budget.lines if line.category == "Hardware")
    assert [sheet.cell(row=r + 2, column=2).value for r in range(len(hardware.amounts))] == list(hardware.amounts)


def test_nothing_to_plot_gives_a_sentence_not_an_empty_chart():
    review = sample_reviews()["Bluebird Creative Studio"]
    budget = review.budget
    zero = tuple(0.0 for _ in budget.totals)
    empty = replace(review, budget=replace(budget, totals=zero, one_time=zero, recurring=zero,
                                           lines=tuple(replace(line, amounts=zero) for line in budget.lines)))
    assert roadmap_chart_specs(template_context(empty)) == {"budget": NO_COSTS}
    data = render_roadmap(empty, TEMPLATE)
    assert charts_of(data) == []
    assert "No costs are forecast for the next quarters." in [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_chart_parts_do_not_collide_with_charts_already_in_a_customised_template(tmp_path, rendered):
    """An MSP's template may hold a chart of its own (chart1.xml): new charts take the next free names."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    review, data = rendered
    package = zipfile.ZipFile(io.BytesIO(data))
    template = Document(str(TEMPLATE))
    part = Part(PackURI("/word/charts/chart1.xml"), CHART_CT, package.read("word/charts/chart1.xml"),
                template.part.package)
    workbook = Part(PackURI("/word/embeddings/Microsoft_Excel_Sheet1.xlsx"), "application/vnd.openxmlformats-"
                    "officedocument.spreadsheetml.sheet", package.read("word/embeddings/Microsoft_Excel_Sheet1.xlsx"),
                    template.part.package)
    assert part.relate_to(workbook, PACKAGE_RT) == "rId1"  # the id chart1.xml refers to
    rid = template.part.relate_to(part, CHART_RT)
    template.add_paragraph()._p.append(etree.fromstring(
        f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:drawing>'
        f'<wp:inline xmlns:wp="{WP}"><wp:extent cx="1000000" cy="1000000"/><wp:docPr id="99" name="Own chart"/>'
        f'<a:graphic xmlns:a="{A}"><a:graphicData uri="{C}"><c:chart xmlns:c="{C}" xmlns:r="{R}" r:id="{rid}"/>'
        f'</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'))
    custom = tmp_path / "custom.docx"
    template.save(str(custom))
    data = render_roadmap(review, custom)
    charts = charts_of(data)
    assert [c["title"] for c in charts] == ["Budget by quarter", "Budget by quarter"]
    assert len({c["partname"] for c in charts}) == 2
    assert charts[-1]["partname"] == "/word/charts/chart1.xml"  # the template's own chart, untouched
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len([n for n in names if n.startswith("word/embeddings/")]) == 2
