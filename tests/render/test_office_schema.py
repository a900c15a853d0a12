"""Every document vcio writes is valid against the Office (Microsoft 365) schemas, as Microsoft's Open XML
SDK validates it (pipeline/render/officecheck.py): zero findings beyond the documented allowlist.

The validator is a test dependency (the `test` extra); the first tests prove it catches exactly the faults
the roadmaps had before vcio wrote its XML in schema order.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.render import officecheck
from pipeline.render.deck import render_deck
from pipeline.render.lint import synthetic_context
from pipeline.render.roadmap import render_roadmap
from tests.conftest import run_cli

from .stale_styles import with_stale_styles_with_effects

pytestmark = pytest.mark.skipif(not officecheck.available(), reason="install the test extra: pip install -e '.[test]'")


def _rewrite(blob: bytes, part: str, edit) -> bytes:
    """The package with one part's XML text replaced by ``edit(text)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def _documents(quarter_dir: Path) -> list[Path]:
    return sorted(p for p in quarter_dir.rglob("*") if p.suffix in {".docx", ".pptx", ".xlsx"})


# ----------------------------------------------------------------------------- the validator catches what we fixed
@pytest.fixture(scope="module")
def review():
    return synthetic_context()


@pytest.fixture
def roadmap(review) -> bytes:
    return render_roadmap(review, Path(__file__).resolve().parents[2] / "templates" / "roadmap.docx")


@pytest.mark.slow
def test_validator_reports_cell_shading_before_the_cell_width(roadmap):
    """What docxtpl's {% cellbg %} wrote: w:shd as the first child of w:tcPr."""
    broken = _rewrite(roadmap, "word/document.xml", lambda xml: re.sub(
        r'<w:tcPr>(<w:tcW [^>]*/>)(<w:shd [^>]*/>)', r"<w:tcPr>\2\1", xml, count=1))
    assert broken != roadmap
    found = officecheck.findings(broken, ".docx")
    assert len(found) == 1 and "tcW" in found[0] and "/word/document.xml" in found[0]


def test_validator_reports_bold_after_colour_and_size(roadmap):
    """What docxtpl's RichText wrote for the coloured grade text: w:b after w:color and w:sz."""
    broken = _rewrite(roadmap, "word/document.xml", lambda xml: re.sub(
        r"<w:rPr><w:b/>(<w:color [^>]*/>(?:<w:sz [^>]*/><w:szCs [^>]*/>)?)</w:rPr>", r"<w:rPr>\1<w:b/></w:rPr>", xml,
        count=1))
    assert broken != roadmap
    found = officecheck.findings(broken, ".docx")
    assert len(found) == 1 and "'b'" in found[0]


def test_validator_reports_negative_chart_axis_ids(roadmap):
    """What python-pptx's chart writer puts in every chart: axis ids below zero."""
    broken = _rewrite(roadmap, "word/charts/chart1.xml", lambda xml: xml.replace(
        'c:axId val="2068027336"', 'c:axId val="-2068027336"'))
    assert broken != roadmap
    found = officecheck.findings(broken, ".docx")
    assert found and all("chart1.xml" in f and "-2068027336" in f for f in found)


def test_chart_axis_ids_fit_the_sdk_range(sample_run):
    """The Open XML SDK also caps axis ids at 2,147,483,647, which openxml-audit does not check: checked here."""
    _, quarter_dir, _ = sample_run
    ids = []
    for document in _documents(quarter_dir):
        with zipfile.ZipFile(document) as archive:
            for name in archive.namelist():
                if re.search(r"charts/chart\d+\.xml$", name):
                    ids += [int(v) for v in re.findall(rb'<c:(?:axId|crossAx) val="(-?\d+)"', archive.read(name))]
    assert len(ids) > 50
    assert all(0 <= value <= 2**31 - 1 for value in ids)


def test_validator_reports_styles_with_effects_that_disagree(roadmap):
    """What python-docx's default template carried: a Word 2010 copy of the styles, stale once they change."""
    found = officecheck.findings(with_stale_styles_with_effects(roadmap), ".docx")
    assert any("stylesWithEffects" in f for f in found)


# ----------------------------------------------------------------------------- every generated document is valid
@pytest.mark.slow
def test_every_sample_document_is_valid(sample_run):
    """Each sample client's roadmap, deck and workbook, and the portfolio deck and workbook."""
    result, quarter_dir, _ = sample_run
    assert result.returncode == 0, result.stderr[-2000:]
    documents = _documents(quarter_dir)
    assert {p.suffix for p in documents} == {".docx", ".pptx", ".xlsx"}
    assert {"portfolio.xlsx", "portfolio.pptx"} <= {p.name for p in documents}
    assert len(documents) == 3 * 6 + 2
    problems = {p.relative_to(quarter_dir).as_posix(): officecheck.findings(p) for p in documents}
    assert {name: found for name, found in problems.items() if found} == {}


def test_embedded_chart_workbooks_are_valid(sample_run):
    """The workbook behind each native chart opens with Edit Data: it is a document of its own."""
    _, quarter_dir, _ = sample_run
    client = quarter_dir / "northwind-logistics"
    problems = {}
    embedded = 0
    for document in sorted(client.glob("*.docx")) + sorted(client.glob("*.pptx")):
        with zipfile.ZipFile(document) as archive:
            for name in archive.namelist():
                if name.endswith(".xlsx"):
                    embedded += 1
                    found = officecheck.findings(archive.read(name), ".xlsx")
                    if found:
                        problems[f"{document.name}:{name}"] = found
    assert embedded >= 5
    assert problems == {}


@pytest.mark.slow
def test_documents_from_initialised_templates_are_valid(tmp_path, review):
    """`vcio templates init` copies the templates an MSP rebrands: what vcio renders from them is valid too."""
    result = run_cli("templates", "init", str(tmp_path / "mine"))
    assert result.returncode == 0, result.stderr
    roadmap_template = tmp_path / "mine" / "roadmap.docx"
    deck_template = tmp_path / "mine" / "qbr.pptx"
    assert officecheck.findings(roadmap_template) == []
    assert officecheck.findings(deck_template) == []
    assert officecheck.findings(render_roadmap(review, roadmap_template), ".docx") == []
    assert officecheck.findings(render_deck(review, deck_template), ".pptx") == []


@pytest.mark.slow
def test_roadmap_with_picture_charts_is_valid(review):
    """``documents.roadmap_charts = "picture"``: matplotlib images placed by docxtpl instead of native charts."""
    from pipeline.render.roadmap_charts import roadmap_pictures
    from pipeline.render.roadmap_context import template_context

    template = Path(__file__).resolve().parents[2] / "templates" / "roadmap.docx"
    pictures = roadmap_pictures(template_context(review))
    assert pictures and all(data.startswith(b"\x89PNG") for data in pictures.values())
    assert officecheck.findings(render_roadmap(review, template, pictures), ".docx") == []
