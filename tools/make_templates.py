"""Generate the built-in document templates: templates/qbr.pptx and templates/roadmap.docx.

    .venv/bin/python tools/make_templates.py [--out templates]

Both files are committed; re-run this script after changing it and commit the result.

The look is deliberately neutral (dark navy, one teal accent, Calibri declared in the theme,
metric-compatible with Carlito where Calibri is missing) so an MSP can use the templates as
they are and rebrand them in PowerPoint or Word: change the theme colours/fonts, the slide
master, or the Word styles. The renderers only rely on:

* qbr.pptx: slide layouts looked up by NAME (see ``LAYOUTS``) and their placeholder idx
  numbers; the deck has no slides.
* roadmap.docx: a docxtpl (Jinja) template reading the plain template context built from the client review
  by ``pipeline/render/roadmap_context.py``, plus the chart and logos ``pipeline/render/roadmap.py`` adds
  under ``render``.
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


def _keeping_rows(rows: list) -> list:
    """Loop rows that keep with the next row. A loop followed by a fixed row (a total) keeps every row with the
    next, the fixed row ending the chain; a table ending with a loop has its loop's last row not keep with what
    follows the table (its row twice: keeping, and for the loop's last, not)."""
    out, depth = [], 0
    for n, row in enumerate(rows):
        if isinstance(row, str):
            depth += row.startswith("{%tr for") - row.startswith("{%tr endfor")
            out.append(row)
        elif isinstance(row, list) and depth:
            closes_the_table = all(isinstance(later, str) for later in rows[n + 1:])
            out += (["{%tr if not loop.last %}", (row, False, True), "{%tr else %}", row, "{%tr endif %}"]
                    if closes_the_table else [(row, False, True)])
        else:
            out.append(row)
    return out


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
        small_cell = styles.add_style("vcio Cell Small", WD_STYLE_TYPE.PARAGRAPH)
        small_cell.base_style = cell
        _style_font(small_cell, 7.5)
        status = styles.add_style("vcio Status", WD_STYLE_TYPE.PARAGRAPH)
        status.base_style = cell
        _style_font(status, 12, NAVY, bold=True)
        status.paragraph_format.space_before = status.paragraph_format.space_after = Pt(3)
        note = styles.add_style("vcio Note", WD_STYLE_TYPE.PARAGRAPH)  # a small note that introduces a table
        note.base_style = small
        note.paragraph_format.keep_with_next = True
        lead = styles.add_style("vcio Lead", WD_STYLE_TYPE.PARAGRAPH)
        lead.base_style = normal
        lead.paragraph_format.keep_with_next = True
        keep = styles.add_style("vcio Keep", WD_STYLE_TYPE.PARAGRAPH)
        keep.base_style = normal
        keep.paragraph_format.keep_with_next = True
        keep.paragraph_format.space_before = Pt(4)
        keep.paragraph_format.space_after = Pt(1)
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
        footer.add_run("{{ footer }}")
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
              align_right: tuple[int, ...] = (), style: str = "vcio Cell") -> None:
        """A table with a header row and one {%tr for %} body row; ``cells`` are Jinja expressions/text."""
        self.grid(headers, [f"{{%tr for {loop} %}}", cells, "{%tr endfor %}"], widths, align_right, style)

    def grid(self, headers: list[str] | None, rows: list, widths: list[float], align_right: tuple[int, ...] = (),
             style: str = "vcio Cell", bold_first_column: bool = False, keep_together: bool = False,
             side_margin_cm: float | None = None, banded: bool = True) -> None:
        """A table: an optional repeating header row, then ``rows``. A row is a ``{%tr ... %}`` tag (a row docxtpl
        replaces by the tag), a list of cells, or ``(cells, True)`` for a bold row. A cell is a text or a list of
        runs (one run per tag, e.g. ``["{% cellbg x.fill %}", "{{ x.text }}"]``). ``keep_together`` keeps a
        short table on one page: every row but the loop's last keeps with the next (a table whose every row
        keeps with the next is kept with the paragraph after it, which readers handle differently)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, RGBColor
        doc = self.doc
        if keep_together:
            rows = _keeping_rows(rows)
        table = doc.add_table(rows=len(rows) + (1 if headers else 0), cols=len(widths))
        table.style = doc.styles["vcio Table"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        look = tbl_pr.find(_w("tblLook"))
        if look is None:
            look = ooxml.insert(tbl_pr, ooxml.make("w:tblLook"))
        banding = bool(headers) and banded
        # the attributes and the older bit mask (first row 0x20, no horizontal banding 0x200, no vertical 0x400)
        # say the same: some readers only read the mask
        mask = (0x20 if headers else 0) | (0 if banding else 0x200) | 0x400
        for key, value in (("val", f"{mask:04X}"), ("firstRow", "1" if headers else "0"), ("lastRow", "0"),
                           ("firstColumn", "0"), ("lastColumn", "0"), ("noHBand", "0" if banding else "1"),
                           ("noVBand", "1")):
            look.set(_w(key), value)
        if side_margin_cm is not None:
            twips = int(side_margin_cm * 567)
            ooxml.put(tbl_pr, etree.fromstring(
                f'<w:tblCellMar xmlns:w="{W}"><w:left w:w="{twips}" w:type="dxa"/><w:right w:w="{twips}" '
                'w:type="dxa"/></w:tblCellMar>'))
        body = list(table.rows)
        if headers:
            header, body = body[0], body[1:]
            # the header row repeats on every page and never splits
            ooxml.put(header._tr.get_or_add_trPr(), ooxml.make("w:tblHeader"))
            for i, text in enumerate(headers):
                paragraph = header.cells[i].paragraphs[0]
                paragraph.style = doc.styles[style]
                for part in ([text] if isinstance(text, str) else text):
                    run = paragraph.add_run(part)
                    run.bold = True  # direct formatting: a paragraph style would override the header colour
                    run.font.color.rgb = RGBColor.from_string("FFFFFF")
                paragraph.paragraph_format.keep_with_next = keep_together or None
                if i in align_right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row, spec in zip(body, rows):
            if isinstance(spec, str):
                row.cells[0].paragraphs[0].add_run(spec)
                continue
            cells, bold, keep = (spec + (False,))[:3] if isinstance(spec, tuple) else (spec, False, False)
            for i, text in enumerate(cells):
                paragraph = row.cells[i].paragraphs[0]
                paragraph.style = doc.styles[style]
                if keep:
                    paragraph.paragraph_format.keep_with_next = True
                for n, part in enumerate([text] if isinstance(text, str) else text):
                    run = paragraph.add_run(part)
                    if bold or (bold_first_column and i == 0 and "cellbg" not in part):
                        run.bold = True
                if i in align_right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            ooxml.put(row._tr.get_or_add_trPr(), ooxml.make("w:cantSplit"))
        for n, row in enumerate(table.rows):
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)
                if headers and n == 0:
                    # the header fill on the cell itself, after w:tcW (schema order): not every reader applies
                    # the table style's first-row formatting to every column
                    ooxml.put(cell._tc.get_or_add_tcPr(),
                              ooxml.make("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": NAVY}))
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(_w("gridCol")), widths):
            col.set(_w("w"), str(int(width * 567)))
        self.doc.add_paragraph(style="vcio Small")  # breathing space after a table

    def runs(self, parts: list[str | tuple[str, bool]], style: str | None = None):
        """A paragraph of runs: a text, or (text, bold)."""
        paragraph = self.doc.add_paragraph(style=style)
        for part in parts:
            text, bold = part if isinstance(part, tuple) else (part, False)
            run = paragraph.add_run(text)
            if bold:
                run.bold = True
        return paragraph

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
    """The roadmap template: the story first (summary, scorecard, goals, risks, initiatives, budget), then what
    is coming up, what changed and the decisions, then a short appendix. Every name it reads is a key of
    ``pipeline/render/roadmap_context.py`` (or ``render``: the chart and the logos). Text written here must
    read the same in en-US and en-GB: words that differ come from the context (``words.licences``)."""
    b = DocBuilder()
    # ------------------------------------------------------------------ cover
    b.tag("{%p if render.logo %}")
    b.p("{{ render.logo }}")
    b.tag("{%p endif %}")
    for _ in range(4):
        b.p("", style="vcio Small")
    b.p("Technology roadmap", style="Subtitle")
    b.p("{{ client.name }}", style="Title")
    b.runs(["{{ review_name }}", " · ", "{{ quarter }}"], style="vcio Cover")
    b.tag("{%p if render.client_logo %}")
    b.p("{{ render.client_logo }}")
    b.tag("{%p endif %}")
    b.p("", style="vcio Cover")
    b.tag("{%p if prepared_by %}")
    b.p("{{ prepared_by }}", style="vcio Cover")
    b.tag("{%p endif %}")
    b.tag("{%p if msp.contact %}")
    b.p("{{ msp.contact }}", style="vcio Cover")
    b.tag("{%p endif %}")
    b.runs(["Data as of ", "{{ as_of }}"], style="vcio Cover")
    for _ in range(8):
        b.p("", style="vcio Small")
    b.runs(["This roadmap covers the next 12 to 36 months. Every recommendation traces back to the client's own "
            "data and, where one is recorded, to a business goal. Costs are planning estimates in ", "{{ currency }}",
            "; quotes follow for accepted initiatives."], style="vcio Small")
    b.page_break()

    # ------------------------------------------------------------------ executive summary
    b.h("Executive summary")
    b.grid(None, [[["{% cellbg summary.fill %}", "{{ summary.status }}"]]], [TEXT_W], style="vcio Status",
           keep_together=True)
    b.tag("{%p for line in summary.headline %}")
    b.p("{{ line }}", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p if summary.top_risks %}")
    b.h("Top risks", 3)
    b.tag("{%p for line in summary.top_risks %}")
    b.p("{{ line }}", style="List Number")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.h("Decisions needed today", 3)
    b.tag("{%p if decisions_needed %}")
    b.table(["Decision", "Why now", "Cost"], "d in decisions_needed",
            ["{{ d.title }}", "{{ d.why }}", "{{ d.cost }}"], [7.6, 5.4, 4.1], align_right=(2,))
    b.tag("{%p else %}")
    b.p("No decisions are needed at this review.")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ scorecard
    b.h("Scorecard")
    b.tag("{%p if scorecard_trend %}")
    b.grid(["Area", "Grade", "Trend", "Basis", "What was checked"], [
        "{%tr for g in scorecard %}",
        ["{{ g.label }}", ["{% cellbg g.fill %}", "{{ g.grade }}"], "{{ g.trend }}", "{{ g.basis }}", "{{ g.status }}"],
        "{%tr endfor %}"], [2.5, 2.6, 2.2, 4.6, 5.2], keep_together=True)
    b.tag("{%p else %}")
    b.grid(["Area", "Grade", "Basis", "What was checked"], [
        "{%tr for g in scorecard %}",
        ["{{ g.label }}", ["{% cellbg g.fill %}", "{{ g.grade }}"], "{{ g.basis }}", "{{ g.status }}"],
        "{%tr endfor %}"], [2.6, 2.8, 5.4, 6.3], keep_together=True)
    b.tag("{%p endif %}")
    b.p("One scale for every area: the share of assessed items without a finding, weighted by severity. Green is "
        "80% and above, amber 50% to 79%, red below 50%. An area without the data to grade it reads Not assessed.",
        style="vcio Small")
    b.p("{{ coverage.line }}", style="vcio Small")
    b.h("The estate at a glance", 2)
    b.tag("{%p if estate.rows %}")
    b.table(["Device type", "", "Operating system support", "", "Warranty", ""], "e in estate.rows",
            ["{{ e.type }}", "{{ e.type_count }}", "{{ e.support }}", "{{ e.support_count }}", "{{ e.warranty }}",
             "{{ e.warranty_count }}"], [3.4, 1.2, 5.0, 1.2, 5.1, 1.2], align_right=(1, 3, 5))
    b.tag("{%p else %}")
    b.p("No device inventory was provided for this review.")
    b.tag("{%p endif %}")
    b.tag("{%p if estate.people %}")
    b.p("{{ estate.people }}")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ goals
    b.h("Business goals")
    b.tag("{%p if goals %}")
    b.table(["Goal", "Priority", "Owner", "Target", "Initiatives serving it"], "g in goals",
            ["{{ g.goal }}", "{{ g.priority }}", "{{ g.owner }}", "{{ g.target }}", "{{ g.initiatives }}"],
            [5.0, 1.6, 2.9, 2.2, 5.4])
    b.tag("{%p else %}")
    b.p("No business goals were recorded for this review, so the initiatives are ranked by risk alone.")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ risks
    b.h("Risks")
    b.tag("{%p if risks %}")
    b.p("The worst first: by severity, then by how long the risk has been open. The cost of inaction is what is "
        "accepted by declining the mitigation.", style="vcio Note")
    b.table(["Severity", "Risk", "Cost of inaction", "Mitigation"], "r in risks",
            [["{% cellbg r.fill %}", "{{ r.severity }}"], "{{ r.title }}", "{{ r.cost_of_inaction }}",
             "{{ r.mitigation }}"], [1.7, 5.1, 5.6, 4.7])
    b.tag("{%p else %}")
    b.p("No risks were found in the data provided for this review.", style="vcio Callout")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ initiatives
    b.h("Initiatives")
    b.tag("{%p if initiatives %}")
    b.p("One initiative per theme, the most severe first. Each covers every device, user or subscription behind "
        "it; Appendix B names them.", style="vcio Note")
    b.h("Quarter by quarter", 2)
    quarters = [f"{{{{ roadmap.quarters[{n}] }}}}" for n in range(8)]
    b.grid(["Initiative", *quarters, "{{ roadmap.later }}", "One-time"], [
        "{%tr for row in roadmap.rows %}",
        [["{{ row.rank }}", ". ", "{{ row.title }}"],
         *[[f"{{% cellbg row.cells[{n}].fill %}}", f"{{{{ row.cells[{n}].text }}}}"] for n in range(8)],
         ["{% cellbg row.later.fill %}", "{{ row.later.text }}"], "{{ row.total }}"],
        "{%tr endfor %}",
        (["One-time spend", *[f"{{{{ roadmap.totals[{n}] }}}}" for n in range(8)], "{{ roadmap.later_total }}",
          "{{ roadmap.total }}"], True),
    ], [3.6, *[1.33] * 8, 1.15, 1.71], align_right=tuple(range(1, 11)), style="vcio Cell Small",
        side_margin_cm=0.06, banded=False, keep_together=True)
    b.p("Dark cells: one-time spend planned in that quarter. Light cells: work under way without one-time spend. "
        "Recurring costs are in the budget.", style="vcio Small")
    b.tag("{%p for i in initiatives %}")
    b.runs(["{{ i.rank }}", ". ", "{{ i.title }}"], style="Heading 2")
    b.p("{{ i.summary }}", style="vcio Lead")
    b.grid(None, ["{%tr for f in i.facts %}", ["{{ f.label }}", "{{ f.value }}"], "{%tr endfor %}"], [3.4, 13.7],
           bold_first_column=True, keep_together=True)
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("No initiatives are needed on the data provided for this review.", style="vcio Callout")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ budget
    b.h("Budget")
    b.runs([("Next 90 days", True), " (", "{{ next_quarter }}", "): ", ("{{ budget.next_90_days }}", True),
            " one-time. ", ("Next 12 months", True), ": ", ("{{ budget.next_12_months }}", True), " in all (",
            "{{ budget.next_12_months_one_time }}", " one-time, ", "{{ budget.next_12_months_recurring }}",
            " recurring). Over ", "{{ budget.horizon }}", ": ", "{{ budget.horizon_total }}", "."], style="vcio Lead")
    b.tag("{%p if budget.has_costs %}")
    b.image("{{ render.charts.budget }}")
    right = (1, 2, 3, 4, 5)
    b.grid(["Quarter", "Hardware", "Projects", "Licensing", "Contracts", "Total"], [
        "{%tr for q in budget.first %}",
        ["{{ q.quarter }}", "{{ q.hardware }}", "{{ q.projects }}", "{{ q.licensing }}", "{{ q.contracts }}",
         "{{ q.total }}"],
        "{%tr endfor %}",
        ([f"{{{{ budget.next_12_months_row.{k} }}}}" for k in ("quarter", "hardware", "projects", "licensing",
                                                               "contracts", "total")], True),
        "{%tr for q in budget.later %}",
        ["{{ q.quarter }}", "{{ q.hardware }}", "{{ q.projects }}", "{{ q.licensing }}", "{{ q.contracts }}",
         "{{ q.total }}"],
        "{%tr endfor %}",
        ([f"{{{{ budget.total_row.{k} }}}}" for k in ("quarter", "hardware", "projects", "licensing", "contracts",
                                                       "total")], True),
    ], [4.6, 2.5, 2.5, 2.5, 2.5, 2.5], align_right=right)
    b.runs(["By ", "{% if budget.fiscal %}fiscal {% endif %}", "year: ",
            "{% for y in budget.fiscal_years %}{{ y.label }} {{ y.total }}{% if not loop.last %}; {% endif %}"
            "{% endfor %}", "."], style="vcio Small")
    b.tag("{%p else %}")
    b.p("No costs are forecast for the next quarters.")
    b.tag("{%p endif %}")
    b.tag("{%p if budget.savings %}")
    b.p("{{ budget.savings }}", style="vcio Callout")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ coming up
    b.h("Coming up")
    b.tag("{%p if coming_up %}")
    b.table(["When", "What", "Kind", "Value"], "c in coming_up",
            ["{{ c.when }}", "{{ c.text }}", "{{ c.kind }}", "{{ c.value }}"], [3.6, 8.4, 2.5, 2.6],
            align_right=(3,))
    b.tag("{%p else %}")
    b.p("Nothing falls due in the next two quarters.")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ licences
    b.tag("{%p if licences %}")
    b.h("{{ words.licences }}")
    b.table(["Product", "Purchased", "Assigned", "Spare", "Price a month", "Renews"], "l in licences",
            ["{{ l.product }}", "{{ l.purchased }}", "{{ l.assigned }}", "{{ l.spare }}", "{{ l.price }}",
             "{{ l.renews }}"], [6.4, 1.9, 1.9, 1.5, 2.5, 2.9], align_right=(1, 2, 3, 4))
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ what changed
    b.tag("{%p if not changes.first_review %}")
    b.runs(["What changed since ", "{{ changes.previous_quarter }}"], style="Heading 1")
    b.p("{{ changes.summary }}", style="vcio Callout")
    b.tag("{%p if changes.counts %}")
    b.p("{{ changes.counts }}")
    b.tag("{%p endif %}")
    b.tag("{%p for c in changes.completed %}")
    b.runs([("Completed: ", True), "{{ c }}"], style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p if changes.rows %}")
    b.table(["Status", "Severity", "Item", "Subject"], "c in changes.rows",
            ["{{ c.status }}", ["{% cellbg c.fill %}", "{{ c.severity }}"], "{{ c.title }}", "{{ c.subject }}"],
            [2.0, 1.8, 9.3, 4.0])
    b.tag("{%p endif %}")
    b.tag("{%p if changes.note %}")
    b.p("{{ changes.note }}", style="vcio Small")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ decisions
    b.h("Decisions")
    b.h("Needed at this review", 2)
    b.tag("{%p if decisions_needed %}")
    b.table(["Decision", "Cost", "Deadline", "Owner", "Accept, defer or decline"], "d in decisions_needed",
            ["{{ d.title }}", "{{ d.cost }}", "{{ d.deadline }}", "{{ d.owner }}", ""], [6.2, 3.6, 2.3, 2.6, 2.4])
    b.tag("{%p else %}")
    b.p("No decisions are needed at this review.")
    b.tag("{%p endif %}")
    b.h("Decisions record", 2)
    b.tag("{%p if decisions.rows %}")
    b.table(["Decision", "Recommendation", "When, by whom", "Note"], "d in decisions.rows",
            ["{{ d.decision }}", "{{ d.title }}", "{{ d.when }}", "{{ d.note }}"], [2.1, 6.3, 3.2, 5.5])
    b.tag("{%p else %}")
    b.p("{{ decisions.empty }}")
    b.tag("{%p endif %}")

    # ------------------------------------------------------------------ appendix
    # no page break before it: a short decisions record would leave a page nearly empty
    b.h("Appendix A. Findings by kind")
    b.tag("{%p if finding_groups %}")
    b.p("One line per kind of finding, the most severe first. The findings workbook lists every finding with its "
        "device, user or subscription and the source record behind it.", style="vcio Note")
    b.table(["Severity", "Finding", "Count", "One-time", "Recurring", "Initiative"], "f in finding_groups",
            [["{% cellbg f.fill %}", "{{ f.severity }}"], "{{ f.text }}", "{{ f.count }}", "{{ f.one_time }}",
             "{{ f.annual }}", "{{ f.initiative }}"], [1.5, 5.8, 1.1, 1.7, 2.5, 4.5], align_right=(2, 3, 4))
    b.tag("{%p else %}")
    b.p("No findings in the data provided for this review.")
    b.tag("{%p endif %}")
    b.h("Appendix B. What each initiative covers")
    b.tag("{%p if covered %}")
    b.p("Devices, subscriptions and agreements by name; user accounts by count. The findings workbook lists each "
        "one with what was found and what the initiative does for it.", style="vcio Note")
    b.tag("{%p for c in covered %}")
    b.runs([("{{ c.title }}", True), ": ", "{{ c.what }}"], style="vcio Keep")
    b.tag("{%p if c.names %}")
    b.p("{{ c.names }}", style="vcio Small")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("No initiatives in this review.")
    b.tag("{%p endif %}")
    b.h("Appendix C. Data coverage and method")
    b.h("Data coverage", 3)
    b.table(["Data", "Status", "Detail"], "c in coverage.rows", ["{{ c.label }}", "{{ c.status }}", "{{ c.detail }}"],
            [5.2, 2.4, 9.5])
    b.h("Grades", 3)
    b.p("{{ method.grades }}")
    b.h("Risks", 3)
    b.p("{{ method.risks }}")
    b.h("Money", 3)
    b.p("{{ method.money }}")
    b.h("Thresholds", 3)
    b.tag("{%p for t in method.thresholds %}")
    b.p("{{ t }}", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p if method.catalog %}")
    b.p("{{ method.catalog }}")
    b.tag("{%p endif %}")
    b.h("Data sources", 3)
    b.tag("{%p if method.sources %}")
    b.table(["Source", "Observed", "Records"], "s in method.sources",
            ["{{ s.tool }}", "{{ s.observed }}", "{{ s.records }}"], [10.1, 3.5, 3.5], align_right=(2,))
    b.tag("{%p else %}")
    b.p("No export details were recorded for this review.")
    b.tag("{%p endif %}")
    b.tag("{%p if method.excluded %}")
    b.h("Findings left out at the MSP's request", 3)
    b.tag("{%p for e in method.excluded %}")
    b.p("{{ e }}", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.runs(["Generated by vcio ", "{{ vcio_version }}", " from the exports listed above."], style="vcio Small")
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
