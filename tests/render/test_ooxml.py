"""pipeline/render/ooxml.py puts every element at its schema position, whatever order it is added in."""

from __future__ import annotations

import itertools

import pytest
from lxml import etree

from pipeline.render import ooxml

W = ooxml.NS["w"]


def names(parent) -> list[str]:
    return [etree.QName(child).localname for child in parent]


@pytest.mark.parametrize("order", list(itertools.permutations(["sz", "color", "b", "rFonts"])))
def test_run_properties_land_in_schema_order_from_any_insertion_order(order):
    properties = ooxml.make("w:rPr")
    for name in order:
        ooxml.insert(properties, ooxml.make(f"w:{name}"))
    assert names(properties) == ["rFonts", "b", "color", "sz"]
    assert ooxml.misplaced(properties) == []


def test_cell_fill_goes_after_the_width_and_before_the_alignment():
    cell = etree.fromstring(f'<w:tcPr xmlns:w="{W}"><w:tcW w:w="100" w:type="dxa"/><w:vAlign w:val="top"/></w:tcPr>')
    ooxml.put(cell, ooxml.make("w:shd", {"w:val": "clear", "w:fill": "C62828"}))
    assert names(cell) == ["tcW", "shd", "vAlign"]
    assert cell[1].get(f"{{{W}}}fill") == "C62828"


def test_put_replaces_a_property_that_occurs_once():
    cell = etree.fromstring(f'<w:tcPr xmlns:w="{W}"><w:tcW/><w:shd w:fill="FFFFFF"/></w:tcPr>')
    ooxml.put(cell, ooxml.make("w:shd", {"w:fill": "000000"}))
    assert names(cell) == ["tcW", "shd"]
    assert cell[1].get(f"{{{W}}}fill") == "000000"


def test_a_new_shape_goes_before_the_shape_trees_extension_list():
    a, p = ooxml.NS["a"], ooxml.NS["p"]
    tree = etree.fromstring(f'<p:spTree xmlns:p="{p}" xmlns:a="{a}"><p:nvGrpSpPr/><p:grpSpPr/><p:sp/>'
                            f'<p:extLst/></p:spTree>')
    ooxml.insert(tree, ooxml.make("p:pic"))
    assert names(tree) == ["nvGrpSpPr", "grpSpPr", "sp", "pic", "extLst"]


def test_run_content_keeps_its_order_after_the_properties():
    run = etree.fromstring(f'<w:r xmlns:w="{W}"><w:fldChar/></w:r>')
    ooxml.insert(run, ooxml.make("w:instrText"))
    ooxml.insert(run, ooxml.make("w:rPr"))
    assert names(run) == ["rPr", "fldChar", "instrText"]


def test_an_element_without_a_place_is_refused():
    with pytest.raises(KeyError, match="w:bogus has no place in w:tcPr"):
        ooxml.insert(ooxml.make("w:tcPr"), ooxml.make("w:bogus"))
    with pytest.raises(KeyError, match="no schema order for w:body"):
        ooxml.insert(ooxml.make("w:body"), ooxml.make("w:p"))


def test_misplaced_names_the_element_its_path_and_what_it_follows():
    document = etree.fromstring(
        f'<w:document xmlns:w="{W}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:body>'
        '<w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc><w:tcPr><w:shd w:fill="C62828"/><w:tcW/></w:tcPr>'
        '<w:p><w:r><w:rPr><w:color/><w:b/><w14:ligatures/><w:madeUp/></w:rPr><w:t>x</w:t></w:r></w:p>'
        '</w:tc></w:tr></w:tbl></w:body></w:document>')
    assert ooxml.misplaced(document) == [
        "/w:document/w:body/w:tbl/w:tr/w:tc/w:tcPr: w:tcW after w:shd (the schema puts w:tcW first)",
        "/w:document/w:body/w:tbl/w:tr/w:tc/w:p/w:r/w:rPr: w:b after w:color (the schema puts w:b first)",
        "/w:document/w:body/w:tbl/w:tr/w:tc/w:p/w:r/w:rPr: unknown element w:madeUp",
    ]


def test_bookmarks_may_open_a_table_and_sit_among_its_rows():
    table = etree.fromstring(f'<w:tbl xmlns:w="{W}"><w:bookmarkStart/><w:tblPr/><w:tblGrid/><w:tr/>'
                             '<w:bookmarkEnd/><w:tr/></w:tbl>')
    assert ooxml.misplaced(table) == []
    ooxml.insert(table, ooxml.make("w:bookmarkStart"))
    assert names(table)[-1] == "bookmarkStart"
