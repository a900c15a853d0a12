"""documents.roadmap_charts: native Word charts by default, pictures on request, anything else refused."""

from pathlib import Path

import pytest
from docx import Document

from ..conftest import INPUTS, run_cli
from .test_internal_view import NORTHWIND, run

CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def roadmap(folder: Path) -> Document:
    return Document(str(next(folder.rglob("*Roadmap*.docx"))))


def chart_count(doc: Document) -> int:
    return sum(1 for el in doc.element.body.iter(f"{{{CHART_URI}}}chart"))


@pytest.mark.slow
def test_native_charts_by_default_and_pictures_on_request(tmp_path):
    folder, _ = run(tmp_path / "native")
    doc = roadmap(folder)
    native = chart_count(doc)
    assert native >= 1 and len(doc.inline_shapes) == native  # no picture among them
    config = tmp_path / "vcio.toml"
    config.write_text('[documents]\nroadmap_charts = "picture"\n')
    folder, _ = run(tmp_path / "picture", config)
    doc = roadmap(folder)
    assert chart_count(doc) == 0
    from docx.enum.shape import WD_INLINE_SHAPE
    assert len(doc.inline_shapes) >= native
    assert {s.type for s in doc.inline_shapes} == {WD_INLINE_SHAPE.PICTURE}


def test_an_unknown_chart_style_is_a_configuration_error(tmp_path):
    config = tmp_path / "vcio.toml"
    config.write_text(f'[clients."{NORTHWIND}".documents]\nroadmap_charts = "svg"\n')
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path / "out"), "--as-of", "2026-11-20",
                     "--config", str(config))
    assert result.returncode == 2
    assert "[documents] roadmap_charts = 'svg': not one of 'native', 'picture'" in result.stderr
    assert NORTHWIND in result.stderr
