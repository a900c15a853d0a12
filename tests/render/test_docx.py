"""The roadmap of the render context (pipeline/render/docx.py), kept while the runner still builds that context.

The roadmap's content is tested from the review in test_roadmap.py; here only the bridge: a template written
for the review cannot read the render context, so the render context's own template stands in for it.
"""

from __future__ import annotations

import io

import pytest
from docx import Document

from pipeline.errors import TemplateError
from pipeline.render.docx import LEGACY_TEMPLATE, render_roadmap
from tests.render.conftest import TEMPLATES

TEMPLATE = TEMPLATES / "roadmap.docx"


def _template_with(tmp_path, text: str):
    doc = Document()
    doc.add_paragraph().add_run(text)
    path = tmp_path / "custom.docx"
    doc.save(path)
    return path


def test_the_built_in_template_reads_the_review_so_the_render_contexts_own_template_stands_in(context):
    doc = Document(io.BytesIO(render_roadmap(context, TEMPLATE, {})))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Appendix A. Findings" in headings and "Quarterly check-in" in headings
    assert LEGACY_TEMPLATE.is_file()


def test_a_template_written_for_the_render_context_renders_as_given(tmp_path, context):
    path = _template_with(tmp_path, "Client: {{ client.name }}; {{ headline[0] }}")
    doc = Document(io.BytesIO(render_roadmap(context, path, {})))
    assert doc.paragraphs[0].text == f"Client: {context['client']['name']}; {context['headline'][0]}"


def test_a_misspelt_name_still_fails(tmp_path, context):
    with pytest.raises(TemplateError, match="clinet"):
        render_roadmap(context, _template_with(tmp_path, "{{ clinet.name }} {{ summary.headline }}"), {})
