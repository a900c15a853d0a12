"""The roadmap of the render context of ``context.py``, kept while the runner still builds that context.

Transitional: the roadmap is rendered from the client review by ``roadmap.py`` (same sandbox, imported from
there). Until the runner builds the review, it renders through this module; a template written for the review
(the built-in one since the review, or a copy from ``vcio templates init``) cannot read this context, so such a
template is replaced here by the roadmap template of the render context, ``legacy_roadmap.docx``. A template
written for the render context (a rebranded copy of an earlier built-in) renders as before. Delete this module,
``legacy_roadmap.docx`` and ``context.py`` once the runner renders ``roadmap.render_roadmap(review, ...)``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from lxml import etree

from . import ooxml
from .charts import CHART_KEYS, GRADE_COLOURS, currency_symbol
from ..errors import TemplateError
from .limits import appendix_limit
from .package import refuse_doctype, reproducible, review_time, stamp_core_properties
from .roadmap import _NAMESPACE_DECLARATION, _environment, _image, _logo, _sandbox, _template_class
from .text import clean

LEGACY_TEMPLATE = Path(__file__).with_name("legacy_roadmap.docx")
# The top-level names of the render context (plus "render"): what a template written for it may read.
LEGACY_NAMES = frozenset({
    "client", "msp", "quarter", "as_of", "as_of_iso", "currency", "currency_symbol", "vcio_version", "summary",
    "grades", "risks", "initiatives", "findings", "excluded", "data_gaps", "budget", "method", "data_sources",
    "top_risks", "next_90_days", "phases", "goals", "unaligned_initiatives", "current_state", "coming_up",
    "license_optimisation", "changes", "decisions", "headline", "internal", "decisions_needed",
    "findings_by_category", "limits", "render"})

CHART_WIDTH_MM = 165
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
    template = _for_this_context(template)
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


def _for_this_context(template: Path) -> Path:
    """``template``, or the render context's own template when ``template`` was written for the review."""
    try:
        stat = template.stat()
    except OSError:
        return template  # the renderer reports the missing file
    key = (str(template), stat.st_size, stat.st_mtime_ns)
    if key not in _WRITTEN_FOR_THE_REVIEW:
        _WRITTEN_FOR_THE_REVIEW[key] = _reads_the_review(template)
    return LEGACY_TEMPLATE if _WRITTEN_FOR_THE_REVIEW[key] else template


_WRITTEN_FOR_THE_REVIEW: dict[tuple, bool] = {}


def _reads_the_review(template: Path) -> bool:
    """True when every name the template reads is a name of the review's template context and some are not
    names of the render context. A misspelt name makes it neither: it fails as before."""
    from docxtpl import DocxTemplate

    from .roadmap_context import CONTEXT_NAMES
    try:
        used = DocxTemplate(str(template)).get_undeclared_template_variables(_sandbox()())
    except Exception:
        return False  # not a template this check can read: the renderer reports why
    return bool(used - LEGACY_NAMES) and used <= set(CONTEXT_NAMES) | {"render"}


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
