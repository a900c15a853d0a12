"""Generate the built-in document templates: templates/qbr.pptx and templates/roadmap.docx.

    .venv/bin/python tools/make_templates.py [--out templates]

Both files are committed; re-run this script after changing it and commit the result.

The look is deliberately neutral (dark navy, one teal accent, Calibri declared in the theme,
metric-compatible with Carlito where Calibri is missing) so an MSP can use the templates as
they are and rebrand them in PowerPoint or Word: change the theme colours/fonts, the slide
master, or the Word styles. The renderers only rely on:

* qbr.pptx: slide layouts looked up by NAME (see ``LAYOUTS``) and their placeholder idx
  numbers; the deck has no slides.
* roadmap.docx: a docxtpl (Jinja) template reading the plain render context built by
  ``pipeline/render/context.py`` plus the keys ``pipeline/render/docx.py`` adds under ``render``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.render import ooxml  # noqa: E402  (every element added to a part goes in its schema place)

# --------------------------------------------------------------------------- palette
NAVY = "1B2A41"       # dk2: titles, table headers, cover
INK = "1F2933"        # dk1: body text
PAPER = "FFFFFF"      # lt1
MIST = "E8ECF1"       # lt2: table banding, light fills
TEAL = "1A9E8F"       # the accent
SLATE = "5B6B7F"      # secondary text (footers, captions)
ACCENTS = ["1F3A5F", TEAL, "8D99AE", "C5D0DC", "145C56", "D98E2B"]  # chart series in theme order
FONT = "Calibri"

EMU_IN = 914400
SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 x 7.5 in, 16:9
MARGIN = int(0.6 * EMU_IN)
CONTENT_W = SLIDE_W - 2 * MARGIN

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
NSDECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


def emu(inches: float) -> int:
    return int(round(inches * EMU_IN))


# --------------------------------------------------------------------------- theme (shared)
def restyle_theme(xml: bytes, name: str = "vcio") -> bytes:
    """Set the colour scheme and fonts of an Office theme part (pptx and docx share the format)."""
    root = etree.fromstring(xml)
    a = NS["a"]
    root.set("name", name)
    scheme = root.find(f".//{{{a}}}clrScheme")
    scheme.set("name", name)
    colours = {"dk1": INK, "lt1": PAPER, "dk2": NAVY, "lt2": MIST,
               "accent1": ACCENTS[0], "accent2": ACCENTS[1], "accent3": ACCENTS[2], "accent4": ACCENTS[3],
               "accent5": ACCENTS[4], "accent6": ACCENTS[5], "hlink": "1F6FB2", "folHlink": "6B4C9A"}
    for slot, value in colours.items():
        el = scheme.find(f"{{{a}}}{slot}")
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{a}}}srgbClr", val=value)
    fonts = root.find(f".//{{{a}}}fontScheme")
    fonts.set("name", name)
    for group in ("majorFont", "minorFont"):
        latin = fonts.find(f"{{{a}}}{group}/{{{a}}}latin")
        latin.set("typeface", FONT)
        for attr in ("panose", "pitchFamily", "charset"):
            latin.attrib.pop(attr, None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- pptx XML pieces
def _xfrm(x: int, y: int, w: int, h: int) -> str:
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'


def _solid(colour: str) -> str:
    if colour in {"tx1", "tx2", "bg1", "bg2", "accent1", "accent2", "accent3", "accent4"}:
        return f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>'
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _rect(shape_id: int, name: str, box: tuple[int, int, int, int], fill: str) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
            f'<p:spPr>{_xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_solid(fill)}<a:ln><a:noFill/></a:ln>'
            f'</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>')


def _ph(shape_id: int, name: str, ph: str, box: tuple[int, int, int, int] | None = None, lst: str = "",
        prompt: str = "", body: str = "", sz: str = "") -> str:
    """A placeholder <p:sp>. ``ph`` is the inside of <p:ph .../> (type/idx attributes)."""
    xfrm = _xfrm(*box) if box else ""
    sz_attr = f' sz="{sz}"' if sz else ""
    text = (f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{prompt}</a:t></a:r></a:p>' if prompt
            else '<a:p><a:endParaRPr lang="en-US"/></a:p>')
    geometry = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' if box else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr><p:ph {ph}{sz_attr}/></p:nvPr></p:nvSpPr><p:spPr>{xfrm}{geometry}</p:spPr>'
            f'<p:txBody>{body or "<a:bodyPr/>"}<a:lstStyle>{lst}</a:lstStyle>{text}</p:txBody></p:sp>')


def _rpr(size: int | None = None, colour: str | None = None, bold: bool | None = None, font: str = "+mn-lt") -> str:
    attrs = ""
    if size:
        attrs += f' sz="{size * 100}"'
    if bold is not None:
        attrs += f' b="{1 if bold else 0}"'
    fill = _solid(colour) if colour else ""
    return f'<a:defRPr{attrs}>{fill}<a:latin typeface="{font}"/><a:cs typeface="{font}"/></a:defRPr>'


def _plain_lvl1(size: int, colour: str, bold: bool = False, align: str = "l", space_after: int = 0) -> str:
    """A lvl1pPr without bullets (for titles, takeaways, footers)."""
    after = f'<a:spcAft><a:spcPts val="{space_after * 100}"/></a:spcAft>' if space_after else ""
    return (f'<a:lvl1pPr marL="0" indent="0" algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="0"/></a:spcBef>{after}<a:buNone/>{_rpr(size, colour, bold)}</a:lvl1pPr>')


def _bullet_levels(sizes: tuple[int, ...], colour: str = "tx1") -> str:
    out = []
    for level, size in enumerate(sizes, start=1):
        mar = 228600 + (level - 1) * 342900
        bullet = "\u2022" if level % 2 else "\u2013"
        out.append(f'<a:lvl{level}pPr marL="{mar}" indent="-228600" algn="l"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
                   f'<a:spcBef><a:spcPts val="{600 if level == 1 else 300}"/></a:spcBef>'
                   f'<a:buClr><a:schemeClr val="accent2"/></a:buClr><a:buFont typeface="Arial"/><a:buChar char="{bullet}"/>'
                   f'{_rpr(size, colour)}</a:lvl{level}pPr>')
    return "".join(out)


TITLE_BOX = (MARGIN, emu(0.35), CONTENT_W, emu(0.85))
BODY_TOP = emu(1.5)
BODY_BOTTOM = emu(6.75)
TAKEAWAY_BOX = (MARGIN, emu(1.42), CONTENT_W, emu(0.5))
WIDE_TOP = emu(2.0)
FOOTER_Y, FOOTER_H = emu(6.98), emu(0.32)


def master_tree() -> str:
    """Shapes of the slide master: title, body, footer, slide number and the two decorations."""
    title_body = '<a:bodyPr vert="horz" lIns="0" tIns="0" rIns="0" bIns="45720" rtlCol="0" anchor="b"><a:normAutofit/></a:bodyPr>'
    body = '<a:bodyPr vert="horz" lIns="0" tIns="45720" rIns="0" bIns="45720" rtlCol="0"><a:normAutofit/></a:bodyPr>'
    footer_body = '<a:bodyPr vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="ctr"/>'
    return "".join([
        _ph(2, "Title Placeholder 1", 'type="title"', TITLE_BOX, prompt="Click to edit the title", body=title_body),
        _ph(3, "Text Placeholder 2", 'type="body" idx="1"', (MARGIN, BODY_TOP, CONTENT_W, BODY_BOTTOM - BODY_TOP),
            prompt="Click to edit the text", body=body),
        _ph(4, "Footer Placeholder 3", 'type="ftr" idx="11"', (MARGIN, FOOTER_Y, emu(10.5), FOOTER_H), sz="quarter",
            lst=_plain_lvl1(10, SLATE), body=footer_body),
        _ph(5, "Slide Number Placeholder 4", 'type="sldNum" idx="12"',
            (SLIDE_W - MARGIN - emu(1.0), FOOTER_Y, emu(1.0), FOOTER_H), sz="quarter",
            lst=_plain_lvl1(10, SLATE, align="r"), body=footer_body).replace(
            '<a:p><a:endParaRPr lang="en-US"/></a:p>',
            '<a:p><a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"><a:rPr lang="en-US"/>'
            '<a:t>&#8249;#&#8250;</a:t></a:fld><a:endParaRPr lang="en-US"/></a:p>'),
        _rect(6, "Accent bar", (MARGIN, emu(1.24), emu(0.9), emu(0.055)), "accent2"),
        _rect(7, "Footer rule", (MARGIN, emu(6.9), CONTENT_W, emu(0.012)), "C9D1DB"),
    ])


def master_txstyles() -> str:
    title = (f'<p:titleStyle><a:lvl1pPr algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
             f'<a:lnSpc><a:spcPct val="90000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
             f'<a:defRPr sz="2800" b="1" kern="1200">{_solid("tx2")}<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/>'
             f'<a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>')
    levels = _bullet_levels((18, 16, 14, 14, 14))
    body = f"<p:bodyStyle>{levels}</p:bodyStyle>"
    other = (f'<p:otherStyle><a:defPPr><a:defRPr lang="en-US"/></a:defPPr><a:lvl1pPr marL="0" algn="l" defTabSz="914400">'
             f'{_rpr(None, "tx1")}</a:lvl1pPr></p:otherStyle>')
    return f"<p:txStyles {NSDECL}>{title}{body}{other}</p:txStyles>"


def _layout(name: str, shapes: str, background: str | None = None, footer: bool = True,
            master_shapes: bool = True) -> bytes:
    bg = (f'<p:bg><p:bgPr>{_solid(background)}<a:effectLst/></p:bgPr></p:bg>' if background else "")
    foot = ""
    if footer:
        foot = (_ph(90, "Footer Placeholder", 'type="ftr" idx="11"', sz="quarter")
                + _ph(91, "Slide Number Placeholder", 'type="sldNum" idx="12"', sz="quarter"))
    show = "" if master_shapes else ' showMasterSp="0"'
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<p:sldLayout {NSDECL}{show} preserve="1" userDrawn="1">'
           f'<p:cSld name="{name}">{bg}<p:spTree>'
           f'<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
           f'<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
           f'{shapes}{foot}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')
    return xml.encode("utf-8")


def _title(shape_id: int = 2) -> str:
    return _ph(shape_id, "Title", 'type="title"', prompt="Slide title")


def _takeaway(shape_id: int, box=TAKEAWAY_BOX) -> str:
    body = '<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:normAutofit/></a:bodyPr>'
    return _ph(shape_id, "Takeaway", 'type="body" sz="quarter" idx="13"', box, lst=_plain_lvl1(16, SLATE),
               prompt="One-line takeaway", body=body)


# Everything the renderer relies on: layout name -> placeholders (idx: purpose).
LAYOUTS: dict[str, dict[int, str]] = {
    "vcio Title": {0: "title", 1: "subtitle (client and quarter)", 13: "prepared by / as of", 14: "logo (picture)"},
    "vcio Section": {0: "title", 1: "one-line description"},
    "vcio Title and Content": {0: "title", 1: "content (text, bullets)"},
    "vcio Title and Table": {0: "title", 13: "takeaway line", 1: "table"},
    "vcio Title and Chart": {0: "title", 13: "takeaway line", 1: "chart"},
    "vcio Two Content": {0: "title", 1: "left content", 2: "right content"},
    "vcio Three Content": {0: "title", 13: "takeaway line", 1: "left", 2: "middle", 3: "right"},
    "vcio Closing": {0: "title", 1: "next steps", 13: "contact", 14: "logo (picture)"},
}


def layout_xml() -> dict[str, bytes]:
    band_h = emu(4.85)
    white_title = _plain_lvl1(40, "FFFFFF", bold=True)
    cover_shapes = lambda title_prompt, title_box: "".join([  # noqa: E731
        _rect(20, "Cover band", (0, 0, SLIDE_W, band_h), "tx2"),
        _rect(21, "Cover accent", (0, band_h, SLIDE_W, emu(0.08)), "accent2"),
        _rect(22, "Cover mark", (emu(0.8), emu(1.55), emu(1.2), emu(0.08)), "accent2"),
        _ph(2, "Title", 'type="ctrTitle"' if title_prompt == "cover" else 'type="title"', title_box, lst=white_title,
            prompt="Presentation title",
            body='<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="b"><a:normAutofit/></a:bodyPr>'),
    ])
    logo = _ph(6, "Logo", 'type="pic" sz="quarter" idx="14"', (SLIDE_W - emu(3.5), emu(5.35), emu(2.7), emu(1.4)),
               prompt="Logo", body='<a:bodyPr/>')
    title = cover_shapes("cover", (emu(0.8), emu(1.8), emu(11.5), emu(1.55))) + "".join([
        _ph(3, "Subtitle", 'type="subTitle" idx="1"', (emu(0.8), emu(3.5), emu(11.5), emu(1.0)),
            lst=_plain_lvl1(22, "C9D6E3"), prompt="Client and quarter",
            body='<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:normAutofit/></a:bodyPr>'),
        _ph(4, "Prepared by", 'type="body" sz="quarter" idx="13"', (emu(0.8), emu(5.35), emu(8.2), emu(1.4)),
            lst=_plain_lvl1(14, SLATE, space_after=4), prompt="Prepared by",
            body='<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:normAutofit/></a:bodyPr>'),
        logo,
    ])
    closing = cover_shapes("closing", (emu(0.8), emu(1.8), emu(11.5), emu(1.0))) + "".join([
        _ph(3, "Next steps", 'type="body" idx="1"', (emu(0.8), emu(3.0), emu(11.5), emu(1.7)),
            lst=_bullet_levels((18, 16)).replace('val="tx1"', 'val="bg1"'), prompt="Next steps",
            body='<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:normAutofit/></a:bodyPr>'),
        _ph(4, "Contact", 'type="body" sz="quarter" idx="13"', (emu(0.8), emu(5.35), emu(8.2), emu(1.4)),
            lst=_plain_lvl1(14, SLATE, space_after=4), prompt="Contact",
            body='<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:normAutofit/></a:bodyPr>'),
        logo,
    ])
    section = "".join([
        _rect(20, "Section mark", (emu(0.8), emu(3.05), emu(1.2), emu(0.08)), "accent2"),
        _ph(2, "Title", 'type="title"', (emu(0.8), emu(1.6), emu(11.5), emu(1.35)), lst=white_title,
            prompt="Section title", body='<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="b"><a:normAutofit/></a:bodyPr>'),
        _ph(3, "Description", 'type="body" idx="1"', (emu(0.8), emu(3.3), emu(11.5), emu(1.2)),
            lst=_plain_lvl1(20, "C9D6E3"), prompt="Section description",
            body='<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:normAutofit/></a:bodyPr>'),
    ])
    wide_h = BODY_BOTTOM - WIDE_TOP
    half_w = (CONTENT_W - emu(0.4)) // 2
    third_w = (CONTENT_W - 2 * emu(0.3)) // 3
    return {
        "vcio Title": _layout("vcio Title", title, footer=False, master_shapes=False),
        "vcio Section": _layout("vcio Section", section, background="tx2", footer=False, master_shapes=False),
        "vcio Title and Content": _layout("vcio Title and Content", _title() + _ph(
            3, "Content", 'idx="1"', prompt="Content")),
        "vcio Title and Table": _layout("vcio Title and Table", _title() + _takeaway(4) + _ph(
            3, "Table", 'type="tbl" idx="1"', (MARGIN, WIDE_TOP, CONTENT_W, wide_h), prompt="Table")),
        "vcio Title and Chart": _layout("vcio Title and Chart", _title() + _takeaway(4) + _ph(
            3, "Chart", 'type="chart" idx="1"', (MARGIN, WIDE_TOP, CONTENT_W, wide_h), prompt="Chart")),
        "vcio Two Content": _layout("vcio Two Content", _title() + _ph(
            3, "Left content", 'sz="half" idx="1"', (MARGIN, BODY_TOP, half_w, BODY_BOTTOM - BODY_TOP),
            prompt="Left content") + _ph(
            4, "Right content", 'sz="half" idx="2"', (SLIDE_W - MARGIN - half_w, BODY_TOP, half_w, BODY_BOTTOM - BODY_TOP),
            prompt="Right content")),
        "vcio Three Content": _layout("vcio Three Content", _title() + _takeaway(6) + "".join(
            _ph(3 + i, f"Content {i + 1}", f'sz="quarter" idx="{i + 1}"',
                (MARGIN + i * (third_w + emu(0.3)), WIDE_TOP, third_w, wide_h), prompt="Content")
            for i in range(3))),
        "vcio Closing": _layout("vcio Closing", closing, footer=False, master_shapes=False),
    }


def make_pptx(path: Path) -> None:
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml import parse_xml

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    master = prs.slide_master
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = restyle_theme(theme.blob)

    # Master: replace the shapes and the text styles, keep the clrMap and layout list.
    m = master._element
    tree = m.find(f"{{{NS['p']}}}cSld/{{{NS['p']}}}spTree")
    for child in list(tree)[2:]:
        tree.remove(child)
    for shape in etree.fromstring(f"<x {NSDECL}>{master_tree()}</x>"):
        ooxml.insert(tree, shape)
    bg = m.find(f"{{{NS['p']}}}cSld/{{{NS['p']}}}bg")
    bg.getparent().replace(bg, etree.fromstring(
        f'<p:bg {NSDECL}><p:bgPr><a:solidFill><a:schemeClr val="bg1"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'))
    old_styles = m.find(f"{{{NS['p']}}}txStyles")
    m.replace(old_styles, etree.fromstring(master_txstyles()))

    # Layouts: rewrite the first len(LAYOUTS) default layouts in place, drop the rest.
    wanted = layout_xml()
    layouts = list(prs.slide_layouts)
    for layout, (name, xml) in zip(layouts, wanted.items()):
        layout.part._element = parse_xml(xml)
    for layout in layouts[len(wanted):]:
        prs.slide_layouts.remove(layout)

    props = prs.core_properties
    props.title, props.author, props.subject = "Quarterly business review", "vcio", "QBR deck template"
    props.comments = "Generated by tools/make_templates.py; layouts are looked up by name."
    props.revision = 1
    import datetime as _dt
    props.created = props.modified = _dt.datetime(2026, 1, 1)
    props.last_modified_by = "vcio"
    path.parent.mkdir(parents=True, exist_ok=True)
    _save_dated(prs, path)
    names = [layout.name for layout in Presentation(path).slide_layouts]
    assert names == list(LAYOUTS), names


def _save_dated(document, path: Path) -> None:
    """Save a python-docx/python-pptx document with its zip entries dated like its properties, so running
    this script again writes the same bytes."""
    import datetime as _dt
    import io

    from pipeline.render.package import dated_zip
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(dated_zip(buffer.getvalue(), _dt.date(2026, 1, 1)))


# --------------------------------------------------------------------------- docx
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _table_style_xml() -> str:
    """A table style with a navy header row, light banding and thin rules: 'vcio Table'."""
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="C9D1DB"/>'
    borders = "".join(border.format(side) for side in ("top", "bottom", "insideH"))
    return (
        f'<w:style xmlns:w="{W}" w:type="table" w:customStyle="1" w:styleId="vcioTable">'
        '<w:name w:val="vcio Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
        f'<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr></w:tblStylePr>'
        f'<w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F3F5F8"/></w:tcPr></w:tblStylePr>'
        '</w:style>')


def _style_font(style, size: float, colour: str | None = None, bold: bool | None = None) -> None:
    from docx.shared import Pt, RGBColor
    style.font.name = FONT
    style.font.size = Pt(size)
    if colour:
        style.font.color.rgb = RGBColor.from_string(colour)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(_w("rFonts"))
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(_w(attr), None)
    fonts.set(_w("ascii"), FONT)
    fonts.set(_w("hAnsi"), FONT)
    fonts.set(_w("cs"), FONT)


class DocBuilder:
    """Writes the roadmap template with python-docx so every Jinja tag is exactly one run."""

    def __init__(self):
        from docx import Document
        self.doc = Document()
        self._setup()

    # ---- setup
    def _setup(self) -> None:
        from docx.enum.text import WD_LINE_SPACING
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.shared import Cm, Pt
        doc = self.doc
        theme = doc.part.part_related_by(RT.THEME) if any(
            r.reltype == RT.THEME for r in doc.part.rels.values()) else None
        if theme is not None:
            theme._blob = restyle_theme(theme.blob)
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21.59), Cm(27.94)  # Letter (US MSPs); Word rescales for A4
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.0)
        section.different_first_page_header_footer = True
        styles = doc.styles
        normal = styles["Normal"]
        _style_font(normal, 10.5, INK)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.1
        for name, size, colour, before, after in (("Title", 30, NAVY, 0, 6), ("Subtitle", 16, SLATE, 0, 18),
                                                  ("Heading 1", 18, NAVY, 18, 8), ("Heading 2", 13, NAVY, 14, 4),
                                                  ("Heading 3", 11, TEAL, 10, 2)):
            style = styles[name]
            _style_font(style, size, colour, bold=name.startswith("Heading") or name == "Title")
            style.font.italic = False
            pf = style.paragraph_format
            pf.space_before, pf.space_after = Pt(before), Pt(after)
            pf.keep_with_next = True
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            ppr = style.element.get_or_add_pPr()
            for border in ppr.findall(_w("pBdr")):
                ppr.remove(border)  # the default Title has a blue rule under it
        h1 = styles["Heading 1"].element.get_or_add_pPr()
        ooxml.put(h1, etree.fromstring(f'<w:pBdr xmlns:w="{W}"><w:bottom w:val="single" w:sz="8" w:space="4" '
                                         f'w:color="{TEAL}"/></w:pBdr>'))
        for name in ("List Bullet", "List Number", "Caption"):
            _style_font(styles[name], 10.5 if name != "Caption" else 9, INK if name != "Caption" else SLATE)
            styles[name].paragraph_format.space_after = Pt(3)
        styles["Caption"].font.italic = False
        styles["Caption"].font.bold = False
        from docx.enum.style import WD_STYLE_TYPE
        small = styles.add_style("vcio Small", WD_STYLE_TYPE.PARAGRAPH)
        small.base_style = normal
        _style_font(small, 9, SLATE)
        small.paragraph_format.space_after = Pt(4)
        cell = styles.add_style("vcio Cell", WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        _style_font(cell, 9)
        cell.paragraph_format.space_after = Pt(0)
        cell.paragraph_format.line_spacing = 1.0
        cover = styles.add_style("vcio Cover", WD_STYLE_TYPE.PARAGRAPH)
        cover.base_style = normal
        _style_font(cover, 13, SLATE)
        cover.paragraph_format.space_after = Pt(4)
        callout = styles.add_style("vcio Callout", WD_STYLE_TYPE.PARAGRAPH)
        callout.base_style = normal
        _style_font(callout, 10.5, NAVY)
        ppr = callout.element.get_or_add_pPr()
        ooxml.put(ppr, etree.fromstring(
            f'<w:pBdr xmlns:w="{W}"><w:left w:val="single" w:sz="24" w:space="8" w:color="{TEAL}"/></w:pBdr>'))
        ooxml.put(ppr, etree.fromstring(f'<w:shd xmlns:w="{W}" w:val="clear" w:color="auto" w:fill="F3F5F8"/>'))
        callout.paragraph_format.left_indent = Cm(0.3)
        ooxml.insert(styles.element, etree.fromstring(_table_style_xml()))
        for fonts in styles.element.iter(_w("rFonts")):  # python-docx's Macro Text style: Windows has Courier New
            for attr in ("ascii", "hAnsi", "cs"):
                if fonts.get(_w(attr)) == "Courier":
                    fonts.set(_w(attr), "Courier New")
        self._drop_styles_with_effects()
        self._header_footer()

    def _drop_styles_with_effects(self) -> None:
        """Remove python-docx's ``word/stylesWithEffects.xml``: a copy of the styles for Word 2010 alone, which
        would disagree with the styles set here (Word may then report unreadable content). Word 2013 and later
        neither write nor need it; the part and its content type go with its relationship."""
        part = self.doc.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype == "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects":
                part.drop_rel(rid)

    def _field(self, paragraph, instr: str) -> None:
        run = paragraph.add_run()
        ooxml.insert(run._r, etree.fromstring(f'<w:fldChar xmlns:w="{W}" w:fldCharType="begin"/>'))
        run = paragraph.add_run()
        ooxml.insert(run._r, etree.fromstring(f'<w:instrText xmlns:w="{W}" xml:space="preserve"> {instr} </w:instrText>'))
        run = paragraph.add_run()
        ooxml.insert(run._r, etree.fromstring(f'<w:fldChar xmlns:w="{W}" w:fldCharType="separate"/>'))
        paragraph.add_run("1")
        run = paragraph.add_run()
        ooxml.insert(run._r, etree.fromstring(f'<w:fldChar xmlns:w="{W}" w:fldCharType="end"/>'))

    def _header_footer(self) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Cm
        section = self.doc.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        header = section.header.paragraphs[0]
        header.style = self.doc.styles["vcio Small"]
        header.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        header.add_run("{{ client.name }}")
        header.add_run("\tTechnology roadmap, ")
        header.add_run("{{ quarter }}")
        footer = section.footer.paragraphs[0]
        footer.style = self.doc.styles["vcio Small"]
        footer.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        footer.add_run("{{ msp.name }}")
        footer.add_run("  \u00b7  ")
        footer.add_run("{{ quarter }}")
        footer.add_run("  \u00b7  as of ")
        footer.add_run("{{ as_of }}")
        footer.add_run("\tPage ")
        self._field(footer, "PAGE")
        footer.add_run(" of ")
        self._field(footer, "NUMPAGES")
        _ = Cm

    # ---- writing helpers
    def p(self, *runs: str, style: str | None = None, bold: bool = False):
        paragraph = self.doc.add_paragraph(style=style)
        for text in runs:
            run = paragraph.add_run(text)
            if bold:
                run.bold = True
        return paragraph

    def tag(self, tag: str) -> None:
        """A paragraph-level docxtpl tag ({%p ... %}): the whole paragraph disappears on render."""
        self.doc.add_paragraph().add_run(tag)

    def h(self, text: str, level: int = 1):
        paragraph = self.doc.add_heading(level=level)
        paragraph.add_run(text)
        return paragraph

    def table(self, headers: list[str], loop: str, cells: list[str | list[str]], widths: list[float],
              align_right: tuple[int, ...] = ()) -> None:
        """A table with a header row and one {%tr for %} body row; ``cells`` are Jinja expressions/text."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm
        doc = self.doc
        table = doc.add_table(rows=4, cols=len(headers))
        table.style = doc.styles["vcio Table"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        look = tbl_pr.find(_w("tblLook"))
        if look is None:
            look = ooxml.insert(tbl_pr, ooxml.make("w:tblLook"))
        for key, value in (("val", "04A0"), ("firstRow", "1"), ("lastRow", "0"), ("firstColumn", "0"),
                           ("lastColumn", "0"), ("noHBand", "0"), ("noVBand", "1")):
            look.set(_w(key), value)
        rows = table.rows
        # header row repeats on every page and never splits
        trpr = rows[0]._tr.get_or_add_trPr()
        ooxml.put(trpr, ooxml.make("w:tblHeader"))
        from docx.shared import RGBColor
        for i, text in enumerate(headers):
            paragraph = rows[0].cells[i].paragraphs[0]
            paragraph.style = doc.styles["vcio Cell"]
            run = paragraph.add_run(text)
            run.bold = True  # direct formatting: a paragraph style would override the table style's header colour
            run.font.color.rgb = RGBColor.from_string("FFFFFF")
            if i in align_right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
        for i, text in enumerate(cells):
            paragraph = rows[2].cells[i].paragraphs[0]
            paragraph.style = doc.styles["vcio Cell"]
            for part in ([text] if isinstance(text, str) else text):  # a list: one run per tag
                paragraph.add_run(part)
            if i in align_right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        cant_split = rows[2]._tr.get_or_add_trPr()
        ooxml.put(cant_split, ooxml.make("w:cantSplit"))
        rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        for row in rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(_w("gridCol")), widths):
            col.set(_w("w"), str(int(width * 567)))
        self.doc.add_paragraph(style="vcio Small")  # breathing space after a table

    def image(self, expression: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(expression)

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def save(self, path: Path) -> None:
        props = self.doc.core_properties
        props.title, props.author, props.subject = "Technology roadmap", "vcio", "Roadmap template"
        props.comments = "Generated by tools/make_templates.py (docxtpl/Jinja template)."
        import datetime as _dt
        props.created = props.modified = _dt.datetime(2026, 1, 1)
        props.last_modified_by = "vcio"
        props.revision = 1
        path.parent.mkdir(parents=True, exist_ok=True)
        _save_dated(self.doc, path)


# Usable text width of the page: 21.59 - 2 x 2.2 cm
TEXT_W = 17.1


def make_docx(path: Path) -> None:
    b = DocBuilder()
    # ------------------------------------------------------------------ cover
    b.tag("{%p if render.logo %}")
    b.p("{{ render.logo }}")
    b.tag("{%p endif %}")
    for _ in range(5):
        b.p("", style="vcio Small")
    b.p("Technology roadmap", style="Subtitle")
    b.p("{{ client.name }}", style="Title")
    b.p("{{ quarter }} quarterly review", style="vcio Cover")
    b.p("", style="vcio Cover")
    cover = b.p("Prepared by ", style="vcio Cover")
    cover.add_run("{{ client.vcio }}")
    cover.add_run(", ")
    cover.add_run("{{ msp.name }}")
    b.tag("{%p if msp.contact %}")
    b.p("{{ msp.contact }}", style="vcio Cover")
    b.tag("{%p endif %}")
    as_of = b.p("Data as of ", style="vcio Cover")
    as_of.add_run("{{ as_of }}")
    for _ in range(8):
        b.p("", style="vcio Small")
    note = b.p("This roadmap covers the next 12 to 36 months. Every recommendation traces back to a finding in "
               "the client's own data and, where one is recorded, to a business goal. Costs are estimates in ",
               style="vcio Small")
    note.add_run("{{ currency }}")
    note.add_run(" for planning; quotes follow for accepted initiatives.")
    b.page_break()

    # ------------------------------------------------------------------ 1 executive summary
    b.h("Executive summary")
    b.tag("{%p for line in headline %}")
    b.p("{{ line }}", style="List Bullet")
    b.tag("{%p endfor %}")
    b.h("Scorecard", 2)
    b.table(["Area", "Grade", "Score", "Items assessed", "Items affected"], "g in render.grades",
            ["{{ g.label }}", ["{% cellbg g.fill %}", "{{r g.grade }}"], "{{ g.score_text }}", "{{ g.assessed }}",
             "{{ g.affected }}"], [4.5, 3.6, 2.6, 3.2, 3.2], align_right=(2, 3, 4))
    b.p("Green 80% and above, amber 50-79%, red below 50%. How grades are calculated: see the appendix.",
        style="vcio Small")

    # ------------------------------------------------------------------ 2 business goals
    b.h("Business goals alignment")
    b.tag("{%p if goals %}")
    b.p("Every initiative below serves one of the client's goals. Goals without an initiative need none yet; "
        "initiatives without a goal should be confirmed with the client.")
    b.tag("{%p for g in goals %}")
    b.h("{{ g.goal }}", 2)
    meta = b.p("Priority ", style="vcio Small")
    for text in ("{{ g.priority }}", "  \u00b7  target ", "{{ g.target_date }}", "  \u00b7  owner ", "{{ g.owner }}",
                 "  \u00b7  success metric: ", "{{ g.success_metric }}"):
        meta.add_run(text)
    b.tag("{%p if g.initiatives %}")
    b.tag("{%p for i in g.initiatives %}")
    item = b.p("{{ i.title }}", style="List Bullet")
    for text in (" (", "{{ i.target_quarter }}", ", ", "{{ i.one_time_text }}", ")"):
        item.add_run(text)
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("No initiative serves this goal yet.", style="List Bullet")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("No business goals are recorded for this client yet. Agree three to five goals for the next 12-36 months "
        "at this review (growth, compliance, remote work, cost) so every recommendation can be traced to one.",
        style="vcio Callout")
    b.tag("{%p endif %}")
    b.tag("{%p if unaligned_initiatives %}")
    b.h("Initiatives without a stated goal", 2)
    b.tag("{%p for i in unaligned_initiatives %}")
    b.p("{{ i.title }}", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ 3 current state
    b.h("Current-state assessment")
    summary = b.p("{{ summary.devices }}")
    for text in (" devices (", "{{ summary.servers }}", " servers), ", "{{ summary.users }}", " users of whom ",
                 "{{ summary.licensed_users }}", " are licensed, and ", "{{ summary.monthly_subscriptions }}",
                 " a month in active subscriptions."):
        summary.add_run(text)
    b.image("{{ render.charts.support }}")
    b.h("Devices", 2)
    b.table(["Device type", "Count"], "t in current_state.devices_by_type", ["{{ t.label }}", "{{ t.count }}"],
            [12.0, 5.1], align_right=(1,))
    b.h("Operating systems", 2)
    b.table(["Operating system", "Devices"], "o in current_state.operating_systems", ["{{ o.label }}", "{{ o.count }}"],
            [12.0, 5.1], align_right=(1,))
    b.h("Licences", 2)
    b.tag("{%p if current_state.licenses %}")
    b.table(["Product", "Purchased", "Assigned", "Spare", "Price"], "l in current_state.licenses",
            ["{{ l.product }}", "{{ l.purchased }}", "{{ l.assigned }}", "{{ l.spare }}", "{{ l.price_text }}"],
            [7.9, 2.3, 2.3, 2.0, 2.6], align_right=(1, 2, 3, 4))
    b.tag("{%p else %}")
    b.p("No licence data was provided for this review.")
    b.tag("{%p endif %}")
    b.h("Subscriptions", 2)
    b.tag("{%p if current_state.subscriptions %}")
    b.table(["Product", "Quantity", "Term", "Renews", "Monthly"], "s in current_state.subscriptions",
            ["{{ s.product }}", "{{ s.quantity }}", "{{ s.term }}", "{{ s.renews }}", "{{ s.monthly_text }}"],
            [6.6, 2.0, 2.6, 3.1, 2.8], align_right=(1, 4))
    b.tag("{%p else %}")
    b.p("No active subscriptions were reported.")
    b.tag("{%p endif %}")
    b.h("Agreements", 2)
    b.tag("{%p if current_state.contracts %}")
    b.table(["Agreement", "Type", "Start", "End", "Monthly"], "c in current_state.contracts",
            ["{{ c.name }}", "{{ c.type }}", "{{ c.start }}", "{{ c.end }}", "{{ c.monthly_text }}"],
            [6.1, 3.0, 2.7, 2.7, 2.6], align_right=(4,))
    b.tag("{%p else %}")
    b.p("No agreements were reported.")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ 4 risks
    b.h("Risk register")
    b.tag("{%p if risks %}")
    b.p("Risks are ranked by likelihood x impact (1-25). The cost of inaction is what the client accepts by "
        "declining the mitigation.")
    b.table(["Risk", "Score", "Cost of inaction", "Mitigation"], "r in render.risks",
            ["{{ r.title }}", ["{% cellbg r.fill %}", "{{r r.score_rich }}"], "{{ r.cost_of_inaction }}",
             "{{ r.mitigation }}"], [4.2, 2.0, 6.2, 4.7])
    b.tag("{%p else %}")
    b.p("No risks were found in the data provided for this review.", style="vcio Callout")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ 5 initiatives
    b.h("Prioritised initiatives")
    b.tag("{%p if initiatives %}")
    b.p("Initiatives are ranked by severity and date. Phases: short (0-6 months), mid (6-18), long (18-36).")
    b.image("{{ render.charts.timeline }}")
    b.tag("{%p for ph in phases %}")
    b.h("{{ ph.phase }}", 2)
    b.tag("{%p if ph.initiatives %}")
    b.table(["#", "Initiative", "Target", "Owner", "One-time", "Recurring", "Serves goal"], "i in ph.initiatives",
            ["{{ i.rank }}", "{{ i.title }}", "{{ i.target_quarter }}", "{{ i.owner }}", "{{ i.one_time_text }}",
             "{{ i.recurring_text }}", "{{ i.goal }}"], [0.8, 5.0, 1.9, 2.2, 2.0, 2.2, 3.0], align_right=(0, 4, 5))
    b.tag("{%p else %}")
    b.p("Nothing planned in this phase.")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("No initiatives are needed on the data provided for this review.", style="vcio Callout")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ 6 budget
    b.h("Budget forecast")
    budget = b.p("Next four quarters: ")
    budget.add_run("{{ budget.next_four_total_text }}").bold = True
    for text in (". Over the ", "{{ budget.quarters|length }}", "-quarter horizon: one-time ",
                 "{{ budget.one_time_total_text }}", ", recurring ", "{{ budget.recurring_total_text }}", "."):
        budget.add_run(text)
    b.tag("{%p if budget.savings %}")
    saving = b.p("License optimisation could save ", style="vcio Callout")
    saving.add_run("{{ budget.savings_text }}").bold = True
    saving.add_run(" a year; the forecast does not yet deduct it.")
    b.tag("{%p endif %}")
    b.image("{{ render.charts.budget }}")
    b.table(["Quarter", "Fiscal", "Hardware", "Projects", "Licensing", "Contracts", "Other", "Total"],
            "q in render.budget_table",
            ["{{ q.quarter }}", "{{ q.fiscal }}", "{{ q.hardware }}", "{{ q.projects }}", "{{ q.licensing }}",
             "{{ q.contracts }}", "{{ q.other }}", "{{ q.total }}"], [2.0, 2.5, 2.1, 2.1, 2.1, 2.1, 1.9, 2.3],
            align_right=(2, 3, 4, 5, 6, 7))
    b.h("By fiscal year", 2)
    b.table(["Fiscal year", "Total"], "y in budget.fiscal_years", ["{{ y.label }}", "{{ y.total_text }}"],
            [12.0, 5.1], align_right=(1,))

    # ------------------------------------------------------------------ 7 success metrics
    b.h("Success metrics")
    b.tag("{%p if initiatives %}")
    b.table(["Initiative", "How we will know it delivered", "By"], "i in initiatives",
            ["{{ i.title }}", "{{ i.success_metric }}", "{{ i.target_quarter }}"], [6.6, 8.3, 2.2])
    b.tag("{%p else %}")
    b.p("No initiatives, so no metrics to track this quarter.")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ 8 quarterly check-in
    b.h("Quarterly check-in")
    b.p("{{ render.changes.summary }}", style="vcio Callout")
    b.tag("{%p if not render.changes.first_review %}")
    counts = b.p("New: ")
    for text in ("{{ render.changes.new_count }}", "  \u00b7  Resolved: ", "{{ render.changes.resolved_count }}",
                 "  \u00b7  Still open: ", "{{ render.changes.open_count }}"):
        counts.add_run(text)
    b.tag("{%p if render.changes.rows %}")
    b.table(["Status", "Item", "Subject", "Severity"], "c in render.changes.rows",
            ["{{ c.status }}", "{{ c.title }}", "{{ c.subject }}", "{{ c.severity }}"], [2.4, 8.4, 4.0, 2.3])
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ 9 decisions
    b.h("Decisions record")
    b.h("Decisions needed at this review", 2)
    b.tag("{%p if decisions_needed %}")
    b.table(["Proposal", "One-time cost", "Owner", "Decision"], "d in render.decisions_needed",
            ["{{ d.title }}", "{{ d.cost_text }}", "{{ d.owner }}", "accept / defer / decline"],
            [8.1, 2.8, 2.9, 3.3], align_right=(1,))
    b.tag("{%p else %}")
    b.p("No decisions are needed this quarter.")
    b.tag("{%p endif %}")
    b.h("Earlier decisions", 2)
    b.tag("{%p if render.decisions.rows %}")
    b.table(["Decision", "Recommendation", "When", "Note / risk of inaction"], "d in render.decisions.rows",
            ["{{ d.status }}", "{{ d.title }}", "{{ d.when }}", "{{ d.note }}"], [2.4, 7.0, 2.4, 5.3])
    b.tag("{%p else %}")
    b.p("{{ render.decisions.empty_text }}")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ appendix
    b.page_break()
    b.h("Appendix A. Findings")
    shown = b.p("{{ render.findings.note }}", style="vcio Small")
    _ = shown
    b.tag("{%p if render.findings.rows %}")
    b.table(["Severity", "Finding", "Subject", "Due", "Cost"], "f in render.findings.rows",
            ["{{ f.severity|capitalize }}", "{{ f.title }}", "{{ f.subject }}", "{{ f.due_text }}", "{{ f.cost_text }}"],
            [1.8, 8.0, 3.2, 2.2, 1.9], align_right=(4,))
    b.tag("{%p endif %}")
    b.h("Appendix B. Devices")
    b.p("{{ render.assets.note }}", style="vcio Small")
    b.tag("{%p if render.assets.rows %}")
    b.table(["Device", "Type", "Operating system", "Support", "Age (y)", "Warranty end", "Replace by"],
            "a in render.assets.rows",
            ["{{ a.hostname }}", "{{ a.type }}", "{{ a.os }}", "{{ a.support }}", "{{ a.age }}", "{{ a.warranty_end }}",
             "{{ a.replacement_due }}"], [3.0, 1.8, 3.6, 2.6, 1.5, 2.3, 2.3], align_right=(4,))
    b.tag("{%p endif %}")
    b.h("Appendix C. Users and licences")
    b.p("{{ render.users.note }}", style="vcio Small")
    b.tag("{%p if render.users.rows %}")
    b.table(["User", "Name", "Licences", "Status", "Last activity"], "u in render.users.rows",
            ["{{ u.upn }}", "{{ u.name }}", "{{ u.licenses }}", "{{ u.status }}", "{{ u.last_activity }}"],
            [4.6, 3.2, 4.9, 1.8, 2.6])
    b.tag("{%p endif %}")
    b.h("Appendix D. Method and data sources")
    b.h("Grades", 3)
    b.p("{{ method.grades }}")
    b.h("Risks", 3)
    b.p("{{ method.risks }}")
    b.h("Thresholds", 3)
    b.table(["Setting", "Value"], "t in method.thresholds", ["{{ t.name }}", "{{ t.value }}"], [12.0, 5.1])
    b.tag("{%p if method.catalog_snapshot %}")
    cat = b.p("End-of-life dates: lifecycle catalog snapshot ", style="vcio Small")
    cat.add_run("{{ method.catalog_snapshot }}")
    cat.add_run(".")
    b.tag("{%p endif %}")
    b.h("Data sources", 3)
    b.tag("{%p if render.sources %}")
    b.table(["File", "Details"], "s in render.sources", ["{{ s.name }}", "{{ s.detail }}"], [8.0, 9.1])
    b.tag("{%p else %}")
    b.p("No file details were recorded for this run.")
    b.tag("{%p endif %}")
    b.tag("{%p if data_gaps %}")
    b.h("Data gaps", 3)
    b.table(["What was missing", "Count"], "g in data_gaps", ["{{ g.label }}", "{{ g.count }}"], [14.0, 3.1],
            align_right=(1,))
    b.tag("{%p endif %}")
    b.tag("{%p if excluded %}")
    b.h("Findings excluded by the MSP", 3)
    b.table(["Subject", "Finding", "Reason"], "e in excluded", ["{{ e.subject }}", "{{ e.title }}", "{{ e.reason }}"],
            [4.0, 7.1, 6.0])
    b.tag("{%p endif %}")
    version = b.p("Generated by vcio ", style="vcio Small")
    version.add_run("{{ vcio_version }}")
    version.add_run(" from the client's own exports.")
    b.save(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    args = parser.parse_args(argv)
    make_pptx(args.out / "qbr.pptx")
    make_docx(args.out / "roadmap.docx")
    print(f"wrote {args.out / 'qbr.pptx'} and {args.out / 'roadmap.docx'}")


if __name__ == "__main__":
    main()
