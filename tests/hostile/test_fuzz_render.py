"""Property-based fuzzing of the renderers: any unicode (control characters, lone surrogates,
non-characters, every script) as the client name, finding titles and host names never makes a renderer
raise, and the cleaned text survives in the reopened document."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.render.deck import render_deck
from pipeline.render.roadmap import render_roadmap
from pipeline.render.workbook import render_workbook
from tests.hostile.conftest import (QBR, ROADMAP, docx_cells, docx_paragraphs, docx_text, expected_sheet_text,
                                    expected_xml_text, pptx_cells, pptx_paragraphs, review_with, review_with_text,
                                    squash, synthetic_review, xlsx_column, xlsx_value)

# Every category, surrogates (Cs) and unassigned code points included.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=24)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.function_scoped_fixture])
BASE_REVIEW = synthetic_review()


def contains(haystack: list[str], needle: str) -> bool:
    """The cleaned text, whitespace-insensitively, in one of the texts (XML readers fold whitespace)."""
    want = squash(expected_xml_text(needle))
    return any(want in squash(text) for text in haystack)


@pytest.mark.slow
@FUZZ
@given(name=ANY_TEXT, titles=st.lists(ANY_TEXT, min_size=1, max_size=3), hosts=st.lists(ANY_TEXT, min_size=1, max_size=3))
@example(name="", titles=[""], hosts=["²"])  # a digit that is not a decimal: sorting host names once raised on it
def test_fuzzed_roadmap_renders_and_keeps_the_text(name, titles, hosts):
    data = render_roadmap(review_with_text(BASE_REVIEW, name, titles, hosts), ROADMAP, {})
    cells, paragraphs = docx_cells(data), docx_paragraphs(data)
    assert contains(paragraphs, name)
    for text in titles:
        assert contains(cells, text), repr(text)
    for text in hosts:
        assert contains([docx_text(data)], text), repr(text)


@pytest.mark.slow
@FUZZ
@given(name=ANY_TEXT, titles=st.lists(ANY_TEXT, min_size=1, max_size=3), hosts=st.lists(ANY_TEXT, min_size=1, max_size=3))
def test_fuzzed_deck_renders_and_keeps_the_text(name, titles, hosts):
    data = render_deck(review_with_text(BASE_REVIEW, name, titles, hosts), QBR)
    cells, paragraphs = pptx_cells(data), pptx_paragraphs(data)
    assert contains(paragraphs, name)
    for text in titles + hosts:
        assert contains(cells, text), repr(text)


@pytest.mark.slow
@FUZZ
@given(name=ANY_TEXT, titles=st.lists(ANY_TEXT, min_size=1, max_size=3), hosts=st.lists(ANY_TEXT, min_size=1, max_size=3))
def test_fuzzed_workbook_renders_and_keeps_the_text_exactly(name, titles, hosts):
    from dataclasses import replace

    review = review_with(titles, name=name)
    devices = review_with(hosts).current_state.devices
    data = render_workbook(replace(review, current_state=replace(review.current_state, devices=devices)))
    found_titles = [xlsx_value(c) or "" for c in xlsx_column(data, "Findings", "Title")]
    found_hosts = [xlsx_value(c) or "" for c in xlsx_column(data, "Devices", "Hostname")]
    for n, title in enumerate(titles):
        assert found_titles[n] == expected_sheet_text(title)
    for host in hosts:
        assert expected_sheet_text(host) in found_hosts
