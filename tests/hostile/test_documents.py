"""Characters XML cannot hold are removed before they reach a document; markup characters and quotes
render exactly, in the roadmap, the deck and the workbook."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from pipeline.render.deck import render_deck
from pipeline.render.roadmap import render_roadmap
from pipeline.render.text import clean, clean_text
from pipeline.render.workbook import render_workbook
from tests.hostile.conftest import (E2E_HOSTNAMES, FORMULA_PRODUCTS, HOSTILE_NAMES, QBR, ROADMAP, TEXT_CLIENT,
                                    client_entries, client_file, docx_cells, docx_paragraphs, docx_text, pptx_cells,
                                    pptx_paragraphs, review_with, review_with_text, xlsx_cells, xlsx_column,
                                    xlsx_value, xml_char)

DIRTY = "A\x00B\x01C\x08D\x0bE\x0cF\x1fG\x7fH\ud800I\udfffJ\ufffeK\uffffL\tM\nN"
CLEAN = "ABCDEFGHIJKL\tM\nN"


def test_clean_text_keeps_exactly_the_characters_xml_can_hold():
    every = "".join(chr(cp) for cp in range(0x110000))
    cleaned = clean_text(every)
    expected = "".join(chr(cp) for cp in range(0x110000) if xml_char(cp))
    assert cleaned == expected
    etree.Element("t").text = cleaned  # lxml refuses any character XML cannot hold


def test_clean_reaches_every_string_of_a_nested_context():
    ctx = {"a": [DIRTY, {"b": (DIRTY, 3, None)}], "c": {"d": DIRTY}, "n": 1.5}
    assert clean(ctx) == {"a": [CLEAN, {"b": [CLEAN, 3, None]}], "c": {"d": CLEAN}, "n": 1.5}
    assert ctx["a"][0] == DIRTY, "the input is not modified"


def dirty_review(base):
    """The review with raw, uncleaned strings (the template context is cleaned by the renderer)."""
    review = review_with_text(base, DIRTY, [DIRTY], [DIRTY])
    risk = replace(review.risks[0], title=DIRTY)
    return replace(review, risks=(risk, *review.risks[1:]), msp=replace(review.msp, name=DIRTY))


def _xml_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels"))}


def _strictly_valid(data: bytes) -> None:
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    for name, part in _xml_parts(data).items():
        etree.fromstring(part, parser)  # raises on any character XML 1.0 forbids
        assert b"\x01" not in part and b"\x00" not in part, name


def test_control_characters_never_reach_the_roadmap(base_review):
    data = render_roadmap(dirty_review(base_review), ROADMAP, {})
    _strictly_valid(data)
    assert CLEAN in docx_cells(data)
    assert CLEAN in docx_paragraphs(data), "the client name on the cover"
    assert f"Prepared by {base_review.client.vcio}, {CLEAN}" in docx_paragraphs(data), "the MSP name on the cover"


def test_control_characters_never_reach_the_deck(base_review):
    data = render_deck(dirty_review(base_review), QBR)
    _strictly_valid(data)
    assert CLEAN in pptx_cells(data)
    assert f"{CLEAN}  \u00b7  2026-Q4" in "\n".join(pptx_paragraphs(data))


def test_control_characters_never_reach_the_workbook():
    data = render_workbook(review_with([DIRTY], name=DIRTY))
    _strictly_valid(data)
    assert xlsx_value(xlsx_column(data, "Findings", "Title")[0]) == CLEAN
    assert CLEAN in [xlsx_value(c) for c in xlsx_column(data, "Devices", "Hostname")]
    assert xlsx_cells(data, "Summary")[0].value == f"{CLEAN}: findings workbook, 2026-Q4"


# ----------------------------------------------------------------------------- markup characters, exactly
MARKUP = ["<", "&", "\"", "'", "<b>&amp;</b>", "a < b && c > \"d\" 'e'", "&#x41;", "&lt;script&gt;", "]]>",
          "<?xml version='1.0'?>", "<!-- c -->", "<w:br/>", "<a:br/>"]


@pytest.mark.parametrize("text", MARKUP)
def test_markup_characters_render_exactly(base_review, text):
    roadmap = render_roadmap(review_with_text(base_review, f"Client {text}", [text], [text]), ROADMAP, {})
    assert text in docx_cells(roadmap)
    assert f"Client {text}" in docx_paragraphs(roadmap)
    assert text in docx_text(roadmap)
    deck = render_deck(review_with_text(base_review, f"Client {text}", [text], [text]), QBR)
    assert text in pptx_cells(deck)
    assert f"Client {text}  \u00b7  2026-Q4" in pptx_paragraphs(deck)
    book = render_workbook(review_with([text], name=f"Client {text}"))
    assert xlsx_value(xlsx_column(book, "Findings", "Title")[0]) == text
    assert text in [xlsx_value(c) for c in xlsx_column(book, "Devices", "Hostname")]
    assert xlsx_cells(book, "Summary")[0].value == f"Client {text}: findings workbook, 2026-Q4"


# ----------------------------------------------------------------------------- through the whole pipeline
def test_hostile_device_names_survive_exactly_in_every_document(hostile_run):
    entry = client_entries(hostile_run.manifest)[TEXT_CLIENT]
    roadmap_bytes = client_file(hostile_run.out, entry, "roadmap").read_bytes()
    deck_bytes = client_file(hostile_run.out, entry, "qbr").read_bytes()
    roadmap = docx_cells(roadmap_bytes) + docx_paragraphs(roadmap_bytes)
    deck = pptx_cells(deck_bytes) + pptx_paragraphs(deck_bytes)
    book = [xlsx_value(c) for c in xlsx_column(client_file(hostile_run.out, entry, "workbook").read_bytes(),
                                               "Devices", "Hostname")]
    for host in E2E_HOSTNAMES:  # the workbook lists every device
        assert host in book or "'" + host in book, f"workbook lost {host!r}"
    for document, cells in (("roadmap", roadmap), ("deck", deck)):
        # The deck and the roadmap name a few systems per initiative and group the rest: every name they show is
        # shown exactly, and no cell holds a fragment of one (a tag evaluated, markup split, text escaped twice).
        shown = [host for host in E2E_HOSTNAMES if any(host in cell for cell in cells)]
        assert len(shown) >= 3, f"{document} names none of the hostile devices"
        for marker in ("HYPERLINK", "config", "range(10", "__class__", "Jerry", "&amp;", "injected", "CDATA"):
            for cell in cells:
                if marker in cell:
                    assert any(text in cell for text in (*E2E_HOSTNAMES, *FORMULA_PRODUCTS) if marker in text), \
                        (document, cell)


@pytest.mark.parametrize("key, expected", [
    ("markup", "Tom & Jerry's <Shop> \"Ltd\""), ("jinja", "{{ config }} Holdings"),
    ("control", "CtrlChar Co"),  # U+0001 cannot be held by XML: dropped, the rest kept
    ("emoji", "\U0001F984 Unicorn Dental \U0001F680"), ("arabic", "شركة الأمل للتجارة"),
    ("chinese", "北京科技有限公司")])
def test_hostile_client_names_survive_in_every_document(hostile_run, key, expected):
    name = HOSTILE_NAMES[key]
    entry = client_entries(hostile_run.manifest)[name]
    roadmap = client_file(hostile_run.out, entry, "roadmap").read_bytes()
    deck = client_file(hostile_run.out, entry, "qbr").read_bytes()
    book = client_file(hostile_run.out, entry, "workbook").read_bytes()
    for data in (roadmap, deck, book):
        _strictly_valid(data)
    assert expected in docx_paragraphs(roadmap)
    assert f"{expected}  \u00b7  2026-Q4" in pptx_paragraphs(deck)
    with zipfile.ZipFile(io.BytesIO(roadmap)) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
    title = next(el.text for el in core.iter() if etree.QName(el).localname == "title")
    assert title == f"{expected} technology roadmap 2026-Q4"


def test_a_long_client_name_fits_the_document_properties(hostile_run):
    """Word limits a core property to 255 characters: a 300-character name must not fail the client."""
    entry = client_entries(hostile_run.manifest)[HOSTILE_NAMES["long_a"]]
    assert entry["status"] == "ok", entry["error"]
    with zipfile.ZipFile(client_file(hostile_run.out, entry, "roadmap")) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
    title = next(el.text for el in core.iter() if etree.QName(el).localname == "title")
    assert len(title) <= 255 and title.startswith(HOSTILE_NAMES["long_a"][:200])

