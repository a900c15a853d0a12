"""`vcio templates check` finds broken templates and says how to fix them."""

from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from pipeline.render.lint import RENAMED, check_deck, check_roadmap, check_templates, synthetic_context
from pipeline.review.model import ClientReview

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The built-in roadmap template of vcio 0.1 (before the client review): names of the old render context.
LEGACY_TEMPLATE = Path(__file__).resolve().parent / "fixtures" / "roadmap_earlier_version.docx"


@pytest.fixture(scope="module")
def review():
    return synthetic_context()




def test_the_synthetic_client_is_a_review(review):
    assert isinstance(review, ClientReview)
    assert review.client.name == "Template Check Ltd" and review.initiatives and review.risks


@pytest.mark.slow
def test_built_in_templates_are_clean(review):
    assert check_roadmap(TEMPLATES / "roadmap.docx", review).ok
    assert check_deck(TEMPLATES / "qbr.pptx", review).ok


def test_a_template_of_an_earlier_version_gets_each_old_name_with_its_new_one(review):
    """The roadmap template vcio shipped before the review: every renamed name is listed with its replacement."""
    report = check_roadmap(LEGACY_TEMPLATE, review)
    assert not report.ok
    assert "renamed: {{ headline }} is now {{ summary.headline }} (a list of sentences)" in report.problems
    assert "renamed: {{ render.charts.timeline }} is now {{ roadmap }} (a table: quarters across, initiatives as " \
           "rows)" in report.problems
    # a field of a loop variable, named through the list it loops over ({%p for i in ... %}{{ i.target_quarter }})
    assert any(p.startswith("renamed: {{ goals[].target_date }} is now g.target") for p in report.problems)
    assert not any(p.startswith("unknown variable {{ headline }}") for p in report.problems)
    assert all(p.startswith("renamed: ") for p in report.problems), report.problems


def test_a_renamed_name_in_a_rebranded_template_is_reported_with_its_replacement(tmp_path, review):
    document = Document()
    document.add_paragraph("{{ client.name }}: {{ budget.next_four_total_text }}")
    document.add_paragraph("{% for y in budget.fiscal_years %}{{ y.total_text }}{% endfor %}")
    path = tmp_path / "mine.docx"
    document.save(path)
    problems = check_roadmap(path, review).problems
    assert problems == [f"renamed: {{{{ budget.fiscal_years[].total_text }}}} is now "
                        f"{RENAMED['budget.fiscal_years[].total_text']}",
                        "renamed: {{ budget.next_four_total_text }} is now {{ budget.next_12_months }}"]


def test_unknown_variable_is_named(tmp_path, review):
    document = Document()
    document.add_paragraph("Dear {{ client.name }}, your {{ secret_budget }} is ready")
    path = tmp_path / "mine.docx"
    document.save(path)
    report = check_roadmap(path, review)
    assert not report.ok
    assert any("secret_budget" in p and "Known names" in p for p in report.problems)


def test_missing_layout_is_named_with_the_fix(tmp_path, review):
    deck = Presentation(str(TEMPLATES / "qbr.pptx"))
    layout = next(l for m in deck.slide_masters for l in m.slide_layouts if l.name == "vcio Title and Chart")
    layout.name = "My Chart Layout"
    path = tmp_path / "mine.pptx"
    deck.save(path)
    report = check_deck(path, review)
    assert not report.ok
    assert any("vcio Title and Chart" in p and "Slide Master" in p for p in report.problems)


def test_not_a_zip_is_reported(tmp_path):
    path = tmp_path / "broken.pptx"
    path.write_bytes(b"this is not a presentation")
    report = check_templates([path])[0]
    assert not report.ok and "not a zip" in report.problems[0]


def _with_part(source: Path, target: Path, part: str, edit) -> Path:
    """A copy of ``source`` with one XML part's text replaced by ``edit(text)``."""
    import zipfile
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == part:
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), "the edit changed nothing"
                data = changed.encode("utf-8")
            new.writestr(info, data)
    return target


def test_cell_properties_out_of_order_are_reported_with_where_and_the_fix(tmp_path, review):
    """A rebranded template saved by an older tool: a cell's fill before its width."""
    import re
    path = _with_part(TEMPLATES / "roadmap.docx", tmp_path / "old-tool.docx", "word/document.xml", lambda xml: re.sub(
        r"<w:tcPr>(<w:tcW [^>]*/>)</w:tcPr>", r'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1B2A41"/>\1'
                                              r"</w:tcPr>", xml, count=1))
    report = check_roadmap(path, review)
    assert not report.ok
    order = [p for p in report.problems if "out of schema order" in p]
    assert len(order) == 1
    # the first table of the built-in roadmap: the status line of the summary, one row of one cell
    assert "word/document.xml: /w:document/w:body/w:tbl[1]/w:tr/w:tc/w:tcPr: w:tcW after w:shd" in order[0]
    assert "save it" in order[0] and "vcio templates init" in order[0]


def test_layout_text_properties_out_of_order_are_reported(tmp_path, review):
    """In a deck template: a run property (the font) before the fill, in a layout vcio copies onto slides."""
    path = _with_part(TEMPLATES / "qbr.pptx", tmp_path / "old-tool.pptx", "ppt/slideLayouts/slideLayout4.xml",
                      lambda xml: xml.replace('<a:solidFill><a:srgbClr val="5B6B7F"/></a:solidFill><a:latin '
                                              'typeface="+mn-lt"/>', '<a:latin typeface="+mn-lt"/><a:solidFill>'
                                              '<a:srgbClr val="5B6B7F"/></a:solidFill>', 1))
    report = check_deck(path, review)
    assert [p for p in report.problems if "out of schema order" in p and "slideLayout4.xml" in p
            and "a:solidFill after a:latin" in p]


@pytest.mark.slow
def test_trial_render_is_validated_against_the_office_schemas(tmp_path, review):
    """A template with a stale Word 2010 styles copy (as python-docx's default had): the order of every part
    is fine, but the rendered roadmap is not what Word expects."""
    from pipeline.render import officecheck
    if not officecheck.available():
        pytest.skip("the Office schema validator is not installed (pip install -e '.[test]')")
    from .stale_styles import with_stale_styles_with_effects
    path = tmp_path / "stale.docx"
    path.write_bytes(with_stale_styles_with_effects((TEMPLATES / "roadmap.docx").read_bytes()))
    report = check_roadmap(path, review)
    assert not report.ok
    assert all("not valid for Office" in p for p in report.problems)
    assert any("stylesWithEffects" in p for p in report.problems)
