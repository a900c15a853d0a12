"""Render the Word technology roadmap of one client from its review and a roadmap template.

The template is a docxtpl (Jinja) document rendered in a sandbox: ``SandboxedEnvironment`` so a
customised template cannot reach Python internals, ``StrictUndefined`` so a misspelt name is an error
rather than a blank, and autoescaping so client text (``<b>&``, ``{{ config }}``) appears literally.
The template never sees the review itself: it reads the plain data of :func:`template_context`
(dicts, lists, strings and numbers, every number already worded by the review's ``wording``) plus one
key this module adds, ``render``: the budget chart and the logos, objects docxtpl places in the part.
"""

from __future__ import annotations

import functools
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from . import ooxml
from ..errors import TemplateError
from ..review.model import ClientReview
from .package import dated_zip, midnight, refuse_doctype, stamp_core_properties
from .roadmap_context import template_context
from .text import clean

CHART_WIDTH_MM = 165
LOGO_MAX_MM = (60, 22)  # width, height
CLIENT_LOGO_MAX_MM = (50, 18)

__all__ = ["render_roadmap", "template_context", "render_objects"]


def render_roadmap(review: ClientReview, template: Path, pictures: dict[str, bytes] | None = None) -> bytes:
    """The roadmap for one client as .docx bytes.

    Its chart is a native Word chart, unless ``pictures`` brings pictures (PNG bytes by chart name, from
    roadmap_charts.roadmap_pictures) for readers whose viewer cannot show native charts.
    """
    return render_context(template_context(review), template, pictures, review.as_of)


def render_context(context: dict, template: Path, pictures: dict[str, bytes] | None = None,
                   as_of: date | None = None) -> bytes:
    """The roadmap from an already converted context (what `vcio templates check` renders).

    The document is dated midnight of ``as_of`` (the review date): its properties, its charts' workbooks and
    every zip entry, so the same review always gives the same bytes (package.review_time).
    """
    when = midnight(as_of or REPRODUCIBLE_DAY)
    from jinja2 import TemplateError as JinjaError

    template = Path(template)
    refuse_doctype(template, "roadmap")
    try:
        tpl = _template_class()(str(template))
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(f"cannot open the roadmap template {template}: {exc}. Point documents.roadmap_template "
                            f"at a .docx file, or leave it empty to use the built-in template.") from exc
    context = clean(context)  # a new structure: characters XML cannot hold never reach the document
    ctx = dict(context)  # shallow copy: only the new key is added
    ctx["render"] = render_objects(context, tpl, pictures, when)
    try:
        tpl.render(ctx, jinja_env=_environment(), autoescape=True)
    except (JinjaError, ArithmeticError) as exc:  # ArithmeticError: the sandbox's range() limit, 1/0 in a tag
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise TemplateError(f"the roadmap template {template} failed to render{where}: {exc}. Every "
                            f"{{{{ name }}}} must be a name of the roadmap's context (pipeline/render/"
                            f"roadmap_context.py) or of 'render'; `vcio templates check` lists renamed ones.") from exc
    props = tpl.docx.core_properties
    title = f"{context['client']['name']} technology roadmap {context['quarter']}"
    props.title = title[:255]  # Word's limit for a core property
    props.subject = "Technology roadmap"
    props.author = (context.get("msp") or {}).get("name") or "vcio"
    stamp_core_properties(props, when)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return dated_zip(buffer.getvalue(), when.date())


REPRODUCIBLE_DAY = date(2000, 1, 1)  # the date of a document rendered without a review date (a trial render)


def render_objects(context: dict, tpl, pictures: dict[str, bytes] | None = None, created=None) -> dict[str, Any]:
    """What docxtpl places as objects rather than text: the budget chart and the logos."""
    return {"charts": _charts(context, tpl, pictures, created),
            "logo": _logo(tpl, (context.get("msp") or {}).get("logo") or "", LOGO_MAX_MM),
            "client_logo": _logo(tpl, (context.get("client") or {}).get("logo") or "", CLIENT_LOGO_MAX_MM)}


def _charts(context: dict, tpl, pictures: dict[str, bytes] | None, created=None) -> dict[str, Any]:
    from .roadmap_charts import CHART_KEYS, roadmap_chart_specs
    if pictures is not None:
        return {key: _image(tpl, pictures.get(key), CHART_WIDTH_MM) for key in set(CHART_KEYS) | set(pictures)}
    from .wordcharts import WordChart
    return {key: spec if isinstance(spec, str) else WordChart(tpl, spec, CHART_WIDTH_MM, created)
            for key, spec in roadmap_chart_specs(context).items()}


MAX_POWER_BITS = 4096  # a ** b in a template: results up to 4,096 bits (1,233 digits)
MAX_REPEAT = 1_000_000  # "text" * n and [list] * n in a template: up to a million characters or items


COMPILED_TEMPLATES = 64  # distinct template sources kept per process (body, headers, footers, properties)


def _remembered(memo: dict, source: str, make):
    """``make(source)``, computed once per distinct source while the memo holds it (bounded)."""
    value = memo.get(source)
    if value is None:
        if len(memo) >= COMPILED_TEMPLATES:
            memo.clear()
        value = memo[source] = make(source)
    return value


@functools.cache
def _template_class():
    """docxtpl's ``DocxTemplate``, cleaning each distinct part XML once per process.

    ``patch_xml`` (regular expressions that re-join tags Word split) gives the same result for the same
    part of the same template, client after client; ``resolve_listing`` has nothing to do when no text
    holds a tab or a break.
    """
    from docxtpl import DocxTemplate

    class PatchingOnce(DocxTemplate):
        patched: dict = {}

        def patch_xml(self, src_xml):
            patch = super().patch_xml
            return _remembered(self.patched, src_xml, lambda xml: _cell_fills_in_place(patch(xml)))

        def resolve_listing(self, xml):
            # docxtpl rewrites tabs, line and page breaks in text as Word elements, with regular
            # expressions over every paragraph; a part holding none of those characters is left as is.
            if "\t" in xml or "\a" in xml or "\n" in xml or "\f" in xml:
                return super().resolve_listing(xml)
            return xml

    return PatchingOnce


@functools.cache
def _environment():
    """The process's one sandboxed Jinja environment, remembering every template source it compiled.

    docxtpl compiles the template's XML again for every document (``from_string``): ~60% of a roadmap's
    time. The source is the same for every client of a template, so the compiled template is reused;
    rendering it with another client's context is what Jinja templates are for.
    """
    from jinja2 import StrictUndefined

    class CompilingOnce(_sandbox()):
        compiled: dict = {}

        def from_string(self, source, globals=None, template_class=None):
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            return _remembered(self.compiled, source, super().from_string)

    return CompilingOnce(undefined=StrictUndefined, autoescape=True, finalize=_literal)


def _sandbox():
    """Jinja's sandbox, refusing arithmetic that runs inside C for minutes or fills memory.

    The per-client time limit (a timer signal) cannot interrupt one long C operation: ``{{ 7**987654321 }}``
    (which Jinja would even evaluate while compiling the template) or ``{{ 'x' * 10**10 }}``. Intercepting
    ``**`` and ``*`` also stops Jinja from folding them at compile time, so they are checked here.
    """
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class RoadmapSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*"})

        def call_binop(self, context, operator, left, right):
            if (operator == "**" and type(left) is int and type(right) is int and right > 0 and abs(left) > 1
                    and left.bit_length() * right > MAX_POWER_BITS):
                raise SecurityError(f"{left} ** {right} is too large for a template")
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and type(n) is int and len(seq) * n > MAX_REPEAT:
                        raise SecurityError(f"repeating {type(seq).__name__} {n} times is too large for a template")
            return super().call_binop(context, operator, left, right)

    return RoadmapSandbox


def _literal(value: Any) -> Any:
    """Every {{ value }} as escaped text that docxtpl leaves alone.

    After rendering, docxtpl turns "{_{", "}_}", "{_%" and "%_}" anywhere in the part into "{{", "}}", "{%"
    and "%}" (its way of writing literal tags in a template); in client text the underscore is written as a
    character reference instead, so the text reads exactly as given. Rich text and images pass through.
    """
    from markupsafe import Markup, escape

    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(str(escape(value)).replace("{_", "{&#95;").replace("_}", "&#95;}"))
    return value


# docxtpl's {% cellbg %} writes the cell's w:shd as the first child of w:tcPr, before w:tcW.
_CELLBG_FILL = re.compile(r'(<w:tcPr\b[^>/]*>)(<w:shd w:val="clear" w:color="auto" w:fill="\{\{.*?\}\}"/>)(.*?</w:tcPr>)',
                          re.DOTALL)
_NAMESPACE_DECLARATION = re.compile(r'\sxmlns:\w+="[^"]*"')
_PART_ROOT = re.compile(r"<[\w:]+(?:\s[^>]*)?>")  # the first start tag: the root (w:body, w:hdr, w:ftr)


def _cell_fills_in_place(xml: str) -> str:
    """docxtpl's prepared part with every ``{% cellbg %}`` fill moved to its schema place in ``w:tcPr``.

    Works on the part's source before Jinja runs (the fill is still a ``{{ expression }}``), so each template
    is corrected once per process. The cell's properties are parsed with the namespaces the part's root
    declares, which are taken off again when they are written back. A cell whose properties do not parse (a
    revision mark holding a nested ``w:tcPr``) is left as docxtpl wrote it; ``vcio templates check``
    reports it when it validates the trial render.
    """
    root = _PART_ROOT.search(xml)
    declared = _NAMESPACE_DECLARATION.findall(root.group(0)) if root else []

    def move(match: re.Match) -> str:
        start, fill, rest = match.groups()
        if rest == "</w:tcPr>":
            return match.group(0)  # nothing else in the cell's properties: already in place
        try:
            cell = etree.fromstring(start[:-1] + "".join(declared) + ">" + rest)
        except etree.XMLSyntaxError:
            return match.group(0)
        ooxml.put(cell, etree.fromstring(fill.replace("<w:shd", f'<w:shd xmlns:w="{ooxml.NS["w"]}"', 1)))
        text = etree.tostring(cell, encoding="unicode")
        return _NAMESPACE_DECLARATION.sub(lambda m: "" if m.group(0) in declared else m.group(0), text)

    return _CELLBG_FILL.sub(move, xml)


def _image(tpl, data: bytes | None, width_mm: float):
    from docx.shared import Mm
    from docxtpl import InlineImage
    if not data:
        return ""
    return InlineImage(tpl, io.BytesIO(data), width=Mm(width_mm))


def _logo(tpl, path: str, box_mm: tuple[float, float] = LOGO_MAX_MM):
    from docx.image.image import Image
    from docx.shared import Mm
    from docxtpl import InlineImage
    file = Path(path) if path else None
    if not file or not file.is_file():
        return ""
    try:
        image = Image.from_file(str(file))
        ratio = image.px_height / image.px_width
    except Exception:  # not an image python-docx can read: leave the cover without it
        return ""
    width = min(box_mm[0], box_mm[1] / ratio)
    return InlineImage(tpl, str(file), width=Mm(width))
