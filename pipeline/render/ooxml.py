"""Schema order for the OOXML elements vcio adds to document parts.

Word and PowerPoint read property elements (``w:rPr``, ``w:tcPr``, ``a:tcPr`` ...) as XSD sequences: a child
out of its place can be dropped silently (bold or a cell fill lost) or make the part "unreadable content",
while LibreOffice forgives both. So vcio never appends a child to an element that has a schema order:

    from pipeline.render import ooxml
    ooxml.put(tc_pr, ooxml.make("w:shd", {"w:val": "clear", "w:fill": "C62828"}))   # after w:tcW, wherever it is

:func:`insert` places a child before the first sibling the schema puts after it; :func:`put` first removes
children of the same name (for properties that occur once). :func:`misplaced` lists what a part already holds
out of order, for ``vcio templates check``.

``ORDER`` lists, for each parent vcio writes into, its children in the order of the transitional ECMA-376
schemas (5th edition, Part 1, as Office 2010+ reads them). Names in one tuple share a position (an
``xsd:choice``); ``ANY`` is a position open to every other element (a run's content, a cell's paragraphs),
which keeps its own order. A name may hold more than one position (bookmarks before a table's properties
and among its rows); :func:`insert` uses the last. A parent is listed by its element name, so one table serves each of its schema
types (a ``w:tcPr`` in a cell and in a table style use the same order, the style's being a subset).
Elements from other namespaces (Office extensions such as ``w14:``, markup compatibility) are left where they
are and never reported: they are ignorable or placed by the application that wrote them.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
ANY = "*"

_FILL = ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill")
# bookmarks and comment or revision ranges: allowed before a table's properties as well as among its rows
_RANGE_MARKUP = tuple(f"w:{name}{end}" for name in ("bookmark", "commentRange", "moveFromRange", "moveToRange",
                                                   "customXmlInsRange", "customXmlDelRange",
                                                   "customXmlMoveFromRange", "customXmlMoveToRange")
                      for end in ("Start", "End"))
_RUN_PROPERTIES = (  # w:rPr: the revision marks only occur in a paragraph mark's properties
    "w:ins", "w:del", "w:moveFrom", "w:moveTo", "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
    "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
    "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")
_TEXT_CHARACTER = ("a:ln", _FILL, ("a:effectLst", "a:effectDag"), "a:highlight", ("a:uLnTx", "a:uLn"),
                   ("a:uFillTx", "a:uFill"), "a:latin", "a:ea", "a:cs", "a:sym", "a:hlinkClick",
                   "a:hlinkMouseOver", "a:rtl", "a:extLst")
_TEXT_PARAGRAPH = ("a:lnSpc", "a:spcBef", "a:spcAft", ("a:buClrTx", "a:buClr"),
                   ("a:buSzTx", "a:buSzPct", "a:buSzPts"), ("a:buFontTx", "a:buFont"),
                   ("a:buNone", "a:buAutoNum", "a:buChar", "a:buBlip"), "a:tabLst", "a:defRPr", "a:extLst")

ORDER: dict[str, tuple] = {
    # WordprocessingML
    "w:rPr": _RUN_PROPERTIES,
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:tcPr": ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
               "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers",
               ("w:cellIns", "w:cellDel", "w:cellMerge"), "w:tcPrChange"),
    # a row's properties are an xsd:choice: any order, then the revision marks
    "w:trPr": (("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:trHeight",
                "w:hidden", "w:cantSplit", "w:tblHeader", "w:tblCellSpacing", "w:jc"),
               "w:ins", "w:del", "w:trPrChange"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"),
    "w:r": ("w:rPr", ANY),
    "w:p": ("w:pPr", ANY),
    "w:tc": ("w:tcPr", ANY),
    "w:tr": ("w:tblPrEx", "w:trPr", ANY),
    "w:tbl": (_RANGE_MARKUP, "w:tblPr", "w:tblGrid", (*_RANGE_MARKUP, ANY)),
    "w:styles": ("w:docDefaults", "w:latentStyles", "w:style"),
    "w:style": ("w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
                "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal",
                "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr",
                "w:tblStylePr"),
    "wp:inline": ("wp:extent", "wp:effectExtent", "wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"),
    # DrawingML text and tables (slides, chart text)
    "a:rPr": _TEXT_CHARACTER,
    "a:defRPr": _TEXT_CHARACTER,
    "a:endParaRPr": _TEXT_CHARACTER,
    "a:pPr": _TEXT_PARAGRAPH,
    **{f"a:lvl{n}pPr": _TEXT_PARAGRAPH for n in range(1, 10)},
    "a:p": ("a:pPr", ("a:r", "a:br", "a:fld"), "a:endParaRPr"),
    "a:txBody": ("a:bodyPr", "a:lstStyle", "a:p"),
    "p:txBody": ("a:bodyPr", "a:lstStyle", "a:p"),
    "a:tbl": ("a:tblPr", "a:tblGrid", "a:tr"),
    "a:tblPr": (_FILL, ("a:effectLst", "a:effectDag"), ("a:tableStyle", "a:tableStyleId"), "a:extLst"),
    "a:tc": ("a:txBody", "a:tcPr", "a:extLst"),
    "a:tcPr": ("a:lnL", "a:lnR", "a:lnT", "a:lnB", "a:lnTlToBr", "a:lnBlToTr", "a:cell3D", _FILL, "a:extLst"),
    # PresentationML shape trees
    "p:spTree": ("p:nvGrpSpPr", "p:grpSpPr", ("p:sp", "p:grpSp", "p:graphicFrame", "p:cxnSp", "p:pic",
                                              "p:contentPart"), "p:extLst"),
}


def qn(name: str) -> str:
    """``"w:tcPr"`` as lxml's ``"{namespace}tcPr"``."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def _prefixed(tag: str) -> str:
    uri, _, local = tag[1:].partition("}")
    prefix = next((p for p, u in NS.items() if u == uri), None)
    return f"{prefix}:{local}" if prefix else tag


def _compile(order: Mapping[str, tuple]) -> dict[str, tuple[dict[str, tuple[int, ...]], int | None, frozenset[str]]]:
    """parent tag -> (child tag -> its positions, the ANY position, the namespaces the table speaks for)."""
    tables = {}
    for parent, slots in order.items():
        positions: dict[str, tuple[int, ...]] = {}
        any_position = None
        for n, slot in enumerate(slots):
            for name in ((slot,) if isinstance(slot, str) else slot):
                if name == ANY:
                    any_position = n
                else:
                    positions[qn(name)] = positions.get(qn(name), ()) + (n,)
        namespaces = frozenset(tag[1:].partition("}")[0] for tag in positions)
        tables[qn(parent)] = (positions, any_position, namespaces)
    return tables


_TABLES = _compile(ORDER)


def _positions(table, tag: str) -> tuple[int, ...]:
    positions, any_position, _ = table
    return positions.get(tag, () if any_position is None else (any_position,))


def make(name: str, attributes: Mapping[str, str] | None = None) -> etree._Element:
    """A new element ``name`` ("w:shd") with prefixed attribute names ("w:fill") resolved."""
    attrs = {(qn(key) if ":" in key else key): str(value) for key, value in (attributes or {}).items()}
    return etree.Element(qn(name), attrs, nsmap={name.partition(":")[0]: NS[name.partition(":")[0]]})


def insert(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Insert ``child`` into ``parent`` at its schema position: before the first sibling that comes later.

    Siblings of the same position stay before it (a new table row after the last row). Raises ``KeyError``
    when ``ORDER`` has no table for the parent or no place for the child: add the sequence to ``ORDER``.
    """
    table = _TABLES[parent.tag] if parent.tag in _TABLES else None
    if table is None:
        raise KeyError(f"no schema order for {_prefixed(parent.tag)}: add it to ooxml.ORDER")
    places = _positions(table, child.tag)
    if not places:
        raise KeyError(f"{_prefixed(child.tag)} has no place in {_prefixed(parent.tag)} in ooxml.ORDER")
    position = places[-1]
    for n, sibling in enumerate(parent):
        if not isinstance(sibling.tag, str):
            continue  # comments and processing instructions
        later = _positions(table, sibling.tag)
        if later and min(later) > position:
            parent.insert(n, child)
            return child
    parent.append(child)
    return child


def put(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Set a property that occurs once: remove ``parent``'s children named like ``child``, then :func:`insert`."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    return insert(parent, child)


def misplaced(root: etree._Element, names: Iterable[str] | None = None) -> list[str]:
    """Children out of schema order, or unknown in their parent's namespace, anywhere under ``root``.

    ``names`` limits the check to those parents ("w:rPr", ...); each problem names the element's path.
    """
    wanted = {qn(n) for n in names} if names is not None else set(_TABLES)
    tree = root.getroottree()
    problems = []
    for parent in root.iter(*wanted):
        table = _TABLES[parent.tag]
        namespaces = table[2]
        highest, highest_tag = -1, ""
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            places = _positions(table, child.tag)
            if not places:
                if child.tag[1:].partition("}")[0] in namespaces:
                    problems.append(f"{_path(tree, parent)}: unknown element {_prefixed(child.tag)}")
                continue
            position = next((p for p in places if p >= highest), None)
            if position is None:
                problems.append(f"{_path(tree, parent)}: {_prefixed(child.tag)} after {_prefixed(highest_tag)} "
                                f"(the schema puts {_prefixed(child.tag)} first)")
            elif position > highest:
                highest, highest_tag = position, child.tag
    return problems


def _path(tree, element) -> str:
    path = tree.getpath(element)
    for prefix, uri in NS.items():
        path = path.replace(f"{{{uri}}}", f"{prefix}:")
    return path
