"""Render the Word technology roadmap from the plain render context and templates/roadmap.docx.

The template is a docxtpl (Jinja) document rendered in a sandbox: ``SandboxedEnvironment`` so
a customised template cannot reach Python internals, ``StrictUndefined`` so a misspelt key is
an error rather than a blank, and autoescaping so client text (``<b>&``, ``{{ config }}``)
appears literally. The template reads the context as built by ``context.py`` plus one key this
module adds, ``render``: chart and logo images, rows with colours, limited appendix lists and
normalised change/decision rows (see :func:`render_extras`). The input context is not modified.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Any

from lxml import etree

from . import ooxml
from .charts import CHART_KEYS, GRADE_COLOURS, currency_symbol
from ..errors import TemplateError
from .limits import appendix_limit
from .package import refuse_doctype, reproducible, review_time, stamp_core_properties
from .text import clean

CHART_WIDTH_MM = 165
LOGO_MAX_MM = (60, 22)  # width, height
GRADE_TEXT = {"green": "Green", "amber": "Amber", "red": "Red", "grey": "Not assessed"}
BAND_COLOUR = {"high": "red", "medium": "amber", "low": "green"}
BUDGET_COLUMNS = ("Hardware", "Projects", "Licensing", "Contracts")


def render_roadmap(context: dict, template: Path, charts: dict[str, bytes] | None = None) -> bytes:
    """The roadmap for one client as .docx bytes.

    Its charts are native Word charts, unless ``charts`` brings pictures (PNG bytes by chart name, from
    charts.roadmap_charts) for readers whose viewer cannot show native charts.
    """
    from jinja2 import TemplateError as JinjaError

    template = Path(template)
    refuse_doctype(template, "roadmap")
    try:
        tpl = _template_class()(str(template))
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(f"cannot open the roadmap template {template}: {exc}. Point documents.roadmap_template "
                            f"at a .docx file, or leave it empty to use the built-in template.") from exc
    env = _environment()
    context = clean(context)  # a new structure: characters XML cannot hold never reach the document
    ctx = dict(context)  # shallow copy: only the new key is added
    ctx["render"] = render_extras(context, tpl, charts)
    try:
        tpl.render(ctx, jinja_env=env, autoescape=True)
    except (JinjaError, ArithmeticError) as exc:  # ArithmeticError: the sandbox's range() limit, 1/0 in a tag
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise TemplateError(f"the roadmap template {template} failed to render{where}: {exc}. Every "
                            f"{{{{ name }}}} must be a key of the render context (pipeline/render/context.py) or "
                            f"of 'render' (pipeline/render/docx.py).") from exc
    props = tpl.docx.core_properties
    title = f"{context['client']['name']} technology roadmap {context['quarter']}"
    props.title = title if len(title) <= 255 else title[:254] + "\u2026"  # Word's limit for a core property
    props.subject = "Technology roadmap"
    props.author = (context.get("msp") or {}).get("name") or "vcio"
    stamp_core_properties(props, review_time(context))
    buffer = io.BytesIO()
    tpl.save(buffer)
    return reproducible(buffer.getvalue(), context)


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


def _image(tpl, data: bytes | None, width_mm: float):
    from docx.shared import Mm
    from docxtpl import InlineImage
    if not data:
        return ""
    return InlineImage(tpl, io.BytesIO(data), width=Mm(width_mm))


def _logo(tpl, path: str):
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
    width = min(LOGO_MAX_MM[0], LOGO_MAX_MM[1] / ratio)
    return InlineImage(tpl, str(file), width=Mm(width))


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


class _ColouredRun:
    """One ``w:r`` of bold, coloured text for ``{{r ... }}``, its run properties in schema order.

    (docxtpl's ``RichText`` writes ``w:b`` after ``w:color`` and ``w:sz``, and Word drops run properties
    out of sequence.)
    """

    def __init__(self, text: str, colour: str, half_points: int) -> None:
        run = ooxml.make("w:r")
        properties = ooxml.insert(run, ooxml.make("w:rPr"))
        for name, attributes in (("w:sz", {"w:val": half_points}), ("w:szCs", {"w:val": half_points}),
                                 ("w:color", {"w:val": colour}), ("w:b", None)):
            ooxml.put(properties, ooxml.make(name, attributes))
        text_element = ooxml.insert(run, ooxml.make("w:t"))
        text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text_element.text = text
        self.xml = _NAMESPACE_DECLARATION.sub("", etree.tostring(run, encoding="unicode"))

    def __str__(self) -> str:
        return self.xml

    __html__ = __str__


def _on_colour(text: str, colour: str) -> _ColouredRun:
    """Bold text readable on a grade-coloured cell (white on red/green, dark on amber/grey)."""
    return _ColouredRun(text, "1F2933" if colour in {"amber", "grey"} else "FFFFFF", 18)


def _listing(items: list, limit: int, what: str) -> dict:
    shown = items[:limit]
    if not items:
        note = f"No {what} in this review."
    elif len(items) > len(shown):
        note = (f"Showing {len(shown)} of {len(items)} {what}, most important first. "
                f"The full list is in the findings workbook.")
    else:
        note = f"All {len(items)} {what}; also in the findings workbook."
    return {"rows": shown, "note": note, "total": len(items)}


def _changes(changes: dict) -> dict:
    rows = []
    for key, label in (("new", "New"), ("resolved", "Resolved"), ("open", "Still open")):
        for item in changes.get(key) or []:
            item = item if isinstance(item, dict) else {"title": str(item)}
            rows.append({"status": label, "title": item.get("title") or item.get("what") or "-",
                         "subject": item.get("subject") or "-", "severity": item.get("severity") or "-"})
    return {"first_review": bool(changes.get("first_review")),
            "summary": changes.get("summary") or ("This is the first review: future reviews will show what changed."
                                                  if changes.get("first_review") else "No changes recorded."),
            "rows": rows, "new_count": len(changes.get("new") or []),
            "resolved_count": len(changes.get("resolved") or []), "open_count": len(changes.get("open") or [])}


def _decisions(decisions: dict) -> dict:
    rows = []
    for key, label in (("declined", "Declined"), ("deferred", "Deferred"), ("accepted", "Accepted"), ("done", "Done")):
        for item in decisions.get(key) or []:
            item = item if isinstance(item, dict) else {"title": str(item)}
            when = ", ".join(x for x in (item.get("decided_on"), item.get("decided_by")) if x) or "-"
            parts = [item.get("note") or ""]
            if key == "declined":
                parts.append(f"Risk of inaction: {item['risk_of_inaction']}" if item.get("risk_of_inaction") else "")
            elif key == "deferred" and item.get("revisit_quarter"):
                parts.append(f"Moved to {item['revisit_quarter']}" + (" (due for review now)" if item.get("due_for_review") else ""))
            elif item.get("status"):
                parts.append(item["status"])
            rows.append({"status": label, "title": item.get("title") or item.get("item_id") or "-", "when": when,
                         "note": " ".join(p for p in parts if p) or "-"})
    empty = ("First review: no earlier decisions on record. Decisions taken at this review are recorded here next "
             "quarter." if decisions.get("first_review") else "No earlier decisions on record.")
    return {"rows": rows, "empty_text": empty}


def _sources(files: list) -> list[dict]:
    out = []
    for f in files or []:
        if not isinstance(f, dict):
            out.append({"name": str(f), "detail": "-"})
            continue
        name = f.get("path") or f.get("file") or f.get("name") or "-"
        details = []
        for key, label in (("profile", "format"), ("format", "format"), ("rows", "rows"), ("accepted", "accepted"),
                           ("rejected", "rejected"), ("newest", "newest date")):
            if f.get(key) not in (None, "", []):
                details.append(f"{label} {f[key]}")
        warnings = f.get("warnings") or []
        if warnings:
            details.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
        out.append({"name": str(name), "detail": ", ".join(details) or "-"})
    return out


def _charts(ctx: dict, tpl, pictures: dict[str, bytes] | None) -> dict[str, Any]:
    if pictures is not None:
        return {key: _image(tpl, pictures.get(key), CHART_WIDTH_MM) for key in set(CHART_KEYS) | set(pictures)}
    from .wordcharts import WordChart, roadmap_chart_specs
    created = review_time(ctx)
    return {key: spec if isinstance(spec, str) else WordChart(tpl, spec, CHART_WIDTH_MM, created)
            for key, spec in roadmap_chart_specs(ctx).items()}


def render_extras(ctx: dict, tpl, charts: dict[str, bytes] | None = None) -> dict[str, Any]:
    """Everything the template needs beyond the plain context, as new objects (ctx is not changed)."""
    symbol = currency_symbol(ctx)
    state = ctx.get("current_state") or {}
    limit = appendix_limit(ctx, "roadmap_appendix_rows", 500)
    grades = []
    for g in ctx.get("grades") or []:
        colour = g.get("colour") or "grey"
        grade = GRADE_TEXT.get(colour, "-") + (f" {g['percent_text']}" if g.get("percent") is not None else "")
        grades.append({"label": g["label"], "grade": _on_colour(grade, colour), "score_text": g["score_text"],
                       "assessed": g.get("assessed", 0), "affected": g.get("affected", 0),
                       "fill": GRADE_COLOURS.get(colour, GRADE_COLOURS["grey"])})
    risks = [{**r, "fill": GRADE_COLOURS[BAND_COLOUR.get(r.get("band"), "green")],
              "score_rich": _on_colour(f"{r['score']} {r['band']}", BAND_COLOUR.get(r.get("band"), "green"))}
             for r in ctx.get("risks") or []]
    budget = ctx.get("budget") or {}
    quarters = budget.get("quarters") or []
    fiscal = budget.get("fiscal_labels") or quarters
    by_name = {row["category"]: row for row in budget.get("rows") or []}
    table = []
    for i, quarter in enumerate(quarters):
        line = {"quarter": quarter, "fiscal": fiscal[i] if i < len(fiscal) else "-"}
        for name in BUDGET_COLUMNS:
            row = by_name.get(name)
            line[name.lower()] = row["amounts_text"][i] if row and i < len(row["amounts_text"]) else "-"
        other = sum(row["amounts"][i] for name, row in by_name.items()
                    if name not in BUDGET_COLUMNS and i < len(row["amounts"]))
        line["other"] = f"{symbol}{other:,.0f}" if other else "-"
        totals_text = budget.get("totals_text") or []
        line["total"] = totals_text[i] if i < len(totals_text) else "-"
        table.append(line)
    if table:
        table.append({"quarter": "Total", "fiscal": "", **{
            name.lower(): (by_name[name]["total_text"] if name in by_name else "-") for name in BUDGET_COLUMNS},
            "other": "-" if all(n in BUDGET_COLUMNS for n in by_name) else f"{symbol}{sum(r['total'] for n, r in by_name.items() if n not in BUDGET_COLUMNS):,.0f}",
            "total": budget.get("grand_total_text", "-")})
    decisions_needed = [{"title": d["title"], "owner": d.get("owner") or "-",
                         "cost_text": f"{symbol}{d['one_time_cost']:,.0f}" if d.get("one_time_cost") else "-"}
                        for d in ctx.get("decisions_needed") or []]
    return {
        "charts": _charts(ctx, tpl, charts),
        "logo": _logo(tpl, (ctx.get("msp") or {}).get("logo") or ""),
        "grades": grades,
        "risks": risks,
        "budget_table": table,
        "changes": _changes(ctx.get("changes") or {"first_review": True}),
        "decisions": _decisions(ctx.get("decisions") or {"first_review": True}),
        "decisions_needed": decisions_needed,
        "findings": _listing(ctx.get("findings") or [], limit, "findings"),
        "assets": _listing(state.get("assets") or [], limit, "devices"),
        "users": _listing(state.get("users") or [], limit, "users"),
        "sources": _sources(ctx.get("data_sources") or []),
    }
