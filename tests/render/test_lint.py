"""`vcio templates check` finds broken templates and says how to fix them."""

from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from pipeline.render.lint import check_deck, check_roadmap, check_templates, synthetic_context

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture(scope="module")
def context():
    return synthetic_context()


def test_built_in_templates_are_clean(context):
    assert check_roadmap(TEMPLATES / "roadmap.docx", context).ok
    assert check_deck(TEMPLATES / "qbr.pptx", context).ok


def test_unknown_variable_is_named(tmp_path, context):
    document = Document()
    document.add_paragraph("Dear {{ client.name }}, your {{ secret_budget }} is ready")
    path = tmp_path / "mine.docx"
    document.save(path)
    report = check_roadmap(path, context)
    assert not report.ok
    assert any("secret_budget" in p and "Known names" in p for p in report.problems)


def test_missing_layout_is_named_with_the_fix(tmp_path, context):
    deck = Presentation(str(TEMPLATES / "qbr.pptx"))
    layout = next(l for m in deck.slide_masters for l in m.slide_layouts if l.name == "vcio Title and Chart")
    layout.name = "My Chart Layout"
    path = tmp_path / "mine.pptx"
    deck.save(path)
    report = check_deck(path, context)
    assert not report.ok
    assert any("vcio Title and Chart" in p and "Slide Master" in p for p in report.problems)


def test_not_a_zip_is_reported(tmp_path):
    path = tmp_path / "broken.pptx"
    path.write_bytes(b"this is not a presentation")
    report = check_templates([path])[0]
    assert not report.ok and "not a zip" in report.problems[0]
