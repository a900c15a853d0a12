"""Native Word charts in the roadmap: what each chart plots, and that Word finds a well-formed chart part
with its workbook (reopened from the saved .docx, parts followed through their relationships)."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from pipeline.render.docx import render_roadmap
from pipeline.render.wordcharts import CHART_CT, CHART_RT, PACKAGE_RT, roadmap_chart_specs
from tests.render.conftest import TEMPLATES, make_context

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
def rendered() -> tuple[dict, bytes]:
    ctx = make_context(first_review=False)
    return ctx, render_roadmap(ctx, TEMPLATE)


def test_three_native_charts_each_with_its_own_workbook(rendered):
    _, data = rendered
    charts = charts_of(data)
    assert [c["title"] for c in charts] == ["Devices by support status", "Initiatives by target quarter",
                                            "Budget forecast by quarter"]
    assert len({c["partname"] for c in charts}) == 3
    assert not Document(io.BytesIO(data)).inline_shapes or all(
        s.type != 3 for s in Document(io.BytesIO(data)).inline_shapes)  # 3 = picture: none left
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("word/embeddings/") and n.endswith(".xlsx") for n in names) == 3


def test_support_chart_counts_devices_by_status(rendered):
    ctx, data = rendered
    support = charts_of(data)[0]
    items = ctx["current_state"]["support_status"]
    total = sum(i["count"] for i in items)
    assert support["categories"] == [f"{i['label']} ({100 * i['count'] / total:.0f}%)" for i in items]
    assert list(support["series"]["Devices"].values()) == [float(i["count"]) for i in items]
    # the workbook behind the chart holds the same numbers (what Edit Data shows)
    sheet = support["workbook"]
    assert [sheet.cell(row=r + 2, column=2).value for r in range(len(items))] == [i["count"] for i in items]


def test_timeline_bar_runs_to_the_target_quarter_and_is_labelled_with_it(rendered):
    ctx, data = rendered
    timeline = charts_of(data)[1]
    initiatives = ctx["initiatives"]
    assert timeline["categories"] == [f"{i['rank']}. {i['title']}"[:45].rstrip() + "\u2026"
                                      if len(f"{i['rank']}. {i['title']}") > 46 else f"{i['rank']}. {i['title']}"
                                      for i in initiatives]
    assert set(timeline["series"]) == {i["phase"] for i in initiatives}
    assert timeline["labels"] == [i["target_quarter"] for i in initiatives]
    # one bar per initiative, in its phase's series; later targets make longer bars
    lengths = {}
    for values in timeline["series"].values():
        lengths.update(values)
    assert sorted(lengths) == list(range(len(initiatives)))
    by_target = {i["target_quarter"]: lengths[n] for n, i in enumerate(initiatives)}
    assert by_target["2027-Q1"] < by_target["2027-Q4"] < by_target["2028-Q3"]


def test_budget_chart_stacks_each_category_per_quarter(rendered):
    ctx, data = rendered
    budget = charts_of(data)[2]
    rows = ctx["budget"]["rows"]
    assert set(budget["series"]) == {r["category"] for r in rows}
    for row in rows:
        expected = [float(v) for v in row["amounts"][:12]]
        got = [budget["series"][row["category"]].get(n, 0.0) for n in range(len(expected))]
        assert got == expected


def test_timeline_height_grows_with_the_initiatives():
    few, many = make_context(), make_context()
    many["initiatives"] = [dict(few["initiatives"][0], rank=n + 1, title=f"Initiative {n}") for n in range(12)]
    assert roadmap_chart_specs(many)["timeline"].height_mm > roadmap_chart_specs(few)["timeline"].height_mm


def test_nothing_to_plot_gives_a_sentence_not_an_empty_chart():
    ctx = make_context()
    ctx["initiatives"] = []
    ctx["current_state"] = dict(ctx["current_state"], support_status=[])
    ctx["budget"] = dict(ctx["budget"], rows=[])
    specs = roadmap_chart_specs(ctx)
    assert specs == {"budget": "No costs are forecast for the next quarters.",
                     "timeline": "No initiatives are planned.", "support": "Devices by support status: not reported."}
    data = render_roadmap(ctx, TEMPLATE)
    assert charts_of(data) == []
    assert "Devices by support status: not reported." in [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_formula_like_labels_stay_literal_text_in_the_chart_workbook():
    ctx = make_context()
    ctx = copy.deepcopy(ctx)
    ctx["initiatives"][0]["title"] = "=cmd|'/C calc'!A0"
    timeline = charts_of(render_roadmap(ctx, TEMPLATE))[1]
    sheet = timeline["workbook"]
    assert sheet.cell(row=2, column=1).value == "1. =cmd|'/C calc'!A0"
    assert sheet.cell(row=2, column=1).data_type == "s"


def test_rendering_twice_in_one_process_gives_the_same_document_body():
    """The compiled template is reused across clients: a second client must not see the first one's data."""
    first, second = make_context(name="First Client Ltd"), make_context(name="Second Client Ltd")
    render_roadmap(first, TEMPLATE)
    text = "\n".join(p.text for p in Document(io.BytesIO(render_roadmap(second, TEMPLATE))).paragraphs)
    assert "Second Client Ltd" in text and "First Client Ltd" not in text


def test_chart_parts_do_not_collide_with_charts_already_in_a_customised_template(tmp_path, rendered):
    """An MSP's template may hold a chart of its own (chart1.xml): new charts take the next free names."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    _, data = rendered
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
    charts = charts_of(render_roadmap(make_context(), custom))
    assert [c["title"] for c in charts] == ["Devices by support status", "Initiatives by target quarter",
                                            "Budget forecast by quarter", "Devices by support status"]
    assert len({c["partname"] for c in charts}) == 4
    assert charts[-1]["partname"] == "/word/charts/chart1.xml"  # the template's own chart, untouched
    names = zipfile.ZipFile(io.BytesIO(render_roadmap(make_context(), custom))).namelist()
    assert len([n for n in names if n.startswith("word/embeddings/")]) == 4
