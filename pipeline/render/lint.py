"""`vcio templates check`: find what would break a template before a quarterly run does.

Each problem comes with how to fix it. The check opens the templates, lists the Jinja
names the roadmap uses that its template context does not provide (a name an earlier
vcio used is named with its replacement, from `RENAMED`), checks the deck's
layouts and placeholders, flags links to external files, reports elements out of schema
order (or unknown) in the parts vcio fills, then renders both templates from a small
synthetic client so that anything else that would fail is caught now.

Schema order is checked with the sequence tables vcio writes by (ooxml.py), which ship with
vcio. When the Office schema validator is installed (officecheck.py, the `test` extra), the
trial render is also validated in full against the Microsoft 365 schemas.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import TimeLimitExceeded
from ..timelimit import time_limit
from ..errors import TemplateError
from . import officecheck, ooxml

_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""(\w+)\s*=\s*("[^"]*"|'[^']*')""")


@dataclass
class TemplateReport:
    path: Path
    kind: str  # roadmap | qbr
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


SYNTHETIC_AS_OF = date(2026, 11, 20)


def synthetic_client():
    """A made-up client with a little of everything: an unsupported server, an old PC, users, a subscription."""
    from ..model import Asset, ClientData, Goal, Subscription, User

    return ClientData(
        name="Template Check Ltd", vcio="A. vCIO", domains=["example.com"],
        assets=[Asset("TC-SRV01", serial="SRV1", device_type="server", os="Windows Server 2012 R2 Standard",
                      purchase_date=date(2016, 1, 1), warranty_end=date(2021, 1, 1), sources=["x.csv:2"]),
                Asset("TC-PC01", serial="PC1", device_type="desktop", os="Microsoft Windows 10 Pro 10.0.19045",
                      purchase_date=date(2019, 5, 1), sources=["x.csv:3"])],
        users=[User("a@example.com", "A User", licenses=["Microsoft 365 Business Premium"], sources=["u.csv:2"]),
               User("b@example.com", "B User", blocked=True, licenses=["Microsoft 365 Business Premium"],
                    sources=["u.csv:3"])],
        subscriptions=[Subscription("Microsoft 365 Business Premium", 5, "annual", commitment_end=date(2027, 2, 28),
                                    price=22.0, sources=["s.csv:2"])],
        goals=[Goal("Pass the security audit", date(2027, 6, 30), "Owner", "No high findings", "High", ["security"])],
    )


def synthetic_context():
    """A small but complete client review (pipeline.review), built by the real pipeline from a made-up client:
    what the roadmap is rendered from."""
    from ..config import load_settings
    from ..findings import evaluate
    from ..catalog.lifecycle import LifecycleCatalog
    from ..review import RunFacts, build_review

    client = synthetic_client()
    settings = load_settings(None)
    catalog = LifecycleCatalog.load()
    result = evaluate(client, SYNTHETIC_AS_OF, settings, catalog)
    facts = RunFacts("2026-Q4", SYNTHETIC_AS_OF, "check", catalog_snapshot=catalog.snapshot_date.isoformat())
    return build_review(client, result, settings, catalog, facts)


def external_links(path: Path) -> list[str]:
    """Each relationship of the package that points outside it (TargetMode="External": a linked picture, an
    attached template, an OLE link, a remote font, a hyperlink), as "part: kind -> target".

    Word and PowerPoint fetch such targets when the document is opened, so every client's copy would call
    that address. Read as text, never resolved: vcio itself fetches nothing."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".rels"):
                continue
            for element in _RELATIONSHIP.findall(archive.read(name)):
                attributes = {key.decode(): value[1:-1].decode("utf-8", "replace")
                              for key, value in _ATTRIBUTE.findall(element)}
                if attributes.get("TargetMode", "").lower() == "external":
                    kind = attributes.get("Type", "").rstrip("/").rsplit("/", 1)[-1] or "link"
                    found.append(f"{name}: {kind} -> {attributes.get('Target', '')[:200]}")
    return found


# The parts vcio renders into: docxtpl fills the body, headers and footers; the deck's slides copy their
# placeholders (and the footers) from the layouts and the masters.
_FILLED_PARTS = {"roadmap": re.compile(r"^word/(document|header\d*|footer\d*)\.xml$"),
                 "qbr": re.compile(r"^ppt/(slideLayouts/slideLayout|slideMasters/slideMaster)\d+\.xml$")}
MAX_LISTED = 10


def _schema_order(path: Path, report: TemplateReport) -> None:
    """Elements out of schema order, or unknown, in the parts vcio fills: Word and PowerPoint may drop them
    (a cell's fill, a run's bold) or repair the file, and vcio's output would carry them."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not _FILLED_PARTS[report.kind].match(name):
                continue
            try:
                root = etree.fromstring(archive.read(name), parser)
            except etree.XMLSyntaxError as exc:
                report.problems.append(f"{name} in the template is not well-formed XML ({exc}): save the template "
                                       "again from Word or PowerPoint")
                continue
            found += [f"{name}: {problem}" for problem in ooxml.misplaced(root)]
    for problem in found[:MAX_LISTED]:
        report.problems.append(f"out of schema order in the template: {problem}. Open the template in "
                               f"{'Word' if report.kind == 'roadmap' else 'PowerPoint'} and save it (Office "
                               "writes these elements in order), or start again from `vcio templates init DIR`")
    if len(found) > MAX_LISTED:
        report.problems.append(f"... and {len(found) - MAX_LISTED} more elements out of schema order")


def _validate_trial(document: bytes, suffix: str, report: TemplateReport) -> None:
    """The trial render against the Office schemas, when the validator is installed."""
    if not officecheck.available():
        return
    found = officecheck.findings(document, suffix)
    for finding in found[:MAX_LISTED]:
        report.problems.append(f"the document rendered from this template is not valid for Office: {finding}")
    if len(found) > MAX_LISTED:
        report.problems.append(f"... and {len(found) - MAX_LISTED} more schema findings in the trial render")


def external_link_problems(path: Path) -> list[str]:
    return [f"{link}: an external link, which Word or PowerPoint would fetch for every client's document; embed "
            "the picture or font, remove the link (or the attached template), or set [documents] "
            "allow_external_links = true to keep it" for link in external_links(path)]


def _check_external_links(path: Path, report: TemplateReport, allowed: bool) -> None:
    if allowed:
        report.warnings.extend(f"{link}: an external link, kept because [documents] allow_external_links = true"
                               for link in external_links(path))
    else:
        report.problems.extend(external_link_problems(path))


def check_roadmap(path: Path, review=None, allow_external_links: bool = False) -> TemplateReport:
    """``review``: the client review to render the trial roadmap from (default: `synthetic_context()`)."""
    report = TemplateReport(path, "roadmap")
    if not _is_office_file(path, report):
        return report
    from .roadmap_context import CONTEXT_NAMES, template_context

    try:
        # the render's own sandbox: parsing compiles the tags, and Jinja evaluates constant arithmetic
        # while compiling (``{{ 7**987654321 }}`` would run in C, beyond any time limit)
        used, paths = template_names(path)
    except Exception as exc:  # a Jinja syntax error in the document
        report.problems.append(f"the template's Jinja tags do not parse: {exc}. Fix the tag in Word (a tag must be "
                               "typed in one go: Word splits tags it autocorrects)")
        return report
    known = set(CONTEXT_NAMES) | {"render"}
    renamed = renamed_names(paths)
    report.problems += [f"renamed: {{{{ {old} }}}} is now {new}" for old, new in renamed]
    flagged = {old.split(".")[0].split("[")[0] for old, _ in renamed}
    for name in sorted(used - known - flagged):
        report.problems.append(f"unknown variable {{{{ {name} }}}}: the template context has no {name!r}. Known "
                               f"names: {', '.join(sorted(known))}")
    _check_external_links(path, report, allow_external_links)
    _schema_order(path, report)
    if report.ok:
        from .roadmap import render_context

        try:
            with _trial_limit():
                review = review if review is not None else synthetic_context()
                _validate_trial(render_context(template_context(review), path, as_of=review.as_of), ".docx", report)
        except TemplateError as exc:
            report.problems.append(str(exc))
        except TimeLimitExceeded as exc:
            report.problems.append(str(exc))
    return report


# Names of the render context of earlier vcio versions, with what replaced them in the roadmap's template
# context (pipeline/render/roadmap_context.py). "x[]" is an item of the list x (the loop variable of
# `{%tr for i in x %}`).
RENAMED: dict[str, str] = {
    "headline": "{{ summary.headline }} (a list of sentences)",
    "top_risks": "{{ summary.top_risks }} (sentences naming the worst items)",
    "grades": "{{ scorecard }} (g.grade, g.fill, g.basis, g.status, g.trend)",
    "next_90_days": "{{ roadmap }} (quarter by quarter) and {{ budget.next_90_days }}",
    "phases": "{{ initiatives }} (each has i.phase) and {{ roadmap }}",
    "unaligned_initiatives": "{{ goals }} (g.initiatives names the initiatives serving each goal)",
    "current_state": "{{ estate }}, {{ licences }} and {{ covered }}",
    "license_optimisation": "{{ licences }} and {{ budget.savings }}",
    "findings": "{{ finding_groups }} (one line per kind; the findings workbook lists each finding)",
    "findings_by_category": "{{ finding_groups }}",
    "data_gaps": "{{ coverage }} (coverage.line, coverage.rows)",
    "data_sources": "{{ method.sources }}",
    "excluded": "{{ method.excluded }}",
    "as_of_iso": "{{ as_of }}",
    "currency_symbol": "{{ currency }} (amounts arrive formatted)",
    "limits": "nothing: the appendices are grouped, one line per kind",
    "internal": "nothing: the MSP's cost never reaches a client document",
    "render.grades": "{{ scorecard }}",
    "render.risks": "{{ risks }}",
    "render.budget_table": "{{ budget.first }}, {{ budget.next_12_months_row }}, {{ budget.later }} and "
                           "{{ budget.total_row }}",
    "render.changes": "{{ changes }}",
    "render.decisions": "{{ decisions }} (decisions.rows, decisions.empty)",
    "render.decisions_needed": "{{ decisions_needed }}",
    "render.findings": "{{ finding_groups }}",
    "render.assets": "{{ covered }} (what each initiative covers) and {{ estate }}",
    "render.users": "{{ covered }}",
    "render.sources": "{{ method.sources }}",
    "render.charts.timeline": "{{ roadmap }} (a table: quarters across, initiatives as rows)",
    "render.charts.support": "{{ estate }}",
    "summary.servers": "{{ estate.rows }}",
    "summary.licensed_users": "{{ estate.people }}",
    "summary.monthly_subscriptions": "{{ estate.people }}",
    "summary.critical": "{{ summary.headline }}",
    "summary.high": "{{ summary.headline }}",
    "summary.medium": "{{ summary.headline }}",
    "summary.low": "{{ summary.headline }}",
    "budget.quarters": "{{ budget.first }} and {{ budget.later }} (q.quarter)",
    "budget.fiscal_labels": "{{ budget.first }} and {{ budget.later }} (q.quarter)",
    "budget.rows": "{{ budget.first }} and {{ budget.later }}",
    "budget.totals_text": "q.total of {{ budget.first }} and {{ budget.later }}",
    "budget.grand_total_text": "{{ budget.horizon_total }}",
    "budget.next_four_total": "{{ budget.next_12_months }}",
    "budget.next_four_total_text": "{{ budget.next_12_months }}",
    "budget.one_time_total_text": "{{ budget.one_time_total }}",
    "budget.recurring_total_text": "{{ budget.recurring_total }}",
    "budget.savings_text": "{{ budget.savings }} (a sentence, empty without savings)",
    "budget.fiscal_years[].total_text": "y.total of {{ budget.fiscal_years }}",
    "method.catalog_snapshot": "{{ method.catalog }} (a sentence) or {{ method.catalog_date }}",
    "method.thresholds[].name": "{{ method.thresholds }} (sentences)",
    "method.thresholds[].value": "{{ method.thresholds }} (sentences)",
    "changes.new": "{{ changes.rows }} and {{ changes.counts }}",
    "changes.open": "{{ changes.counts }}",
    "changes.resolved": "{{ changes.rows }} and {{ changes.counts }}",
    "decisions.accepted": "{{ decisions.rows }}",
    "decisions.declined": "{{ decisions.rows }}",
    "decisions.deferred": "{{ decisions.rows }}",
    "decisions.done": "{{ decisions.rows }}",
    "decisions.empty_text": "{{ decisions.empty }}",
    "decisions_needed[].one_time_cost": "d.cost of {{ decisions_needed }} (worded: cost, saving or none)",
    "initiatives[].one_time_text": "i.facts of {{ initiatives }} (label and value rows: When, One-time cost, ...)",
    "initiatives[].one_time_cost": "i.facts of {{ initiatives }}",
    "initiatives[].recurring_text": "i.facts of {{ initiatives }}",
    "initiatives[].target_quarter": "i.facts of {{ initiatives }} (When)",
    "initiatives[].goal": "i.facts of {{ initiatives }} (Serves the goal)",
    "initiatives[].has_goal": "i.facts of {{ initiatives }} (Serves the goal, only when there is one)",
    "initiatives[].success_metric": "i.facts of {{ initiatives }} (Success metric)",
    "initiatives[].subjects": "{{ covered }}",
    "initiatives[].finding_count": "i.summary of {{ initiatives }}",
    "risks[].score": "r.severity of {{ risks }}",
    "risks[].band": "r.severity of {{ risks }}",
    "risks[].subjects": "r.title of {{ risks }} (names the worst items)",
    "goals[].target_date": "g.target of {{ goals }}",
    "goals[].success_metric": "g.metric of {{ goals }}",
    "coming_up[].date": "c.when of {{ coming_up }}",
    "coming_up[].what": "c.text of {{ coming_up }}",
    "coming_up[].value_text": "c.value of {{ coming_up }}",
}


def renamed_names(paths: set[str]) -> list[tuple[str, str]]:
    """(old name, what replaced it) for every renamed name a template reads (a path or one of its prefixes)."""
    found = {}
    for path in paths:
        parts = path.split(".")
        for n in range(1, len(parts) + 1):
            prefix = ".".join(parts[:n])
            if prefix in RENAMED:
                found.setdefault(prefix, RENAMED[prefix])
                break
    return sorted(found.items())


def template_names(path: Path) -> tuple[set[str], set[str]]:
    """(the top-level names a roadmap template reads, every dotted name it reads), the loop variables of
    ``{% for i in x %}`` resolved to ``x[]``."""
    from docx import Document
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate
    from jinja2 import meta

    from .roadmap import _sandbox

    tpl = DocxTemplate(str(path))
    document = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(document._element.body))
    for relation in document.part.rels.values():
        if relation.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and relation.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(relation.target_part.blob)))
    tree = _sandbox()().parse(xml)
    paths: set[str] = set()
    _collect_paths(tree, {}, paths)
    return set(meta.find_undeclared_variables(tree)), paths


def _collect_paths(node, aliases: dict[str, str], found: set[str]) -> None:
    from jinja2 import nodes

    if isinstance(node, nodes.For):
        _collect_paths(node.iter, aliases, found)
        source = _path(node.iter, aliases)
        inner = dict(aliases)
        if source and isinstance(node.target, nodes.Name):
            inner[node.target.name] = source + "[]"
        for child in node.body:
            _collect_paths(child, inner, found)
        for child in node.else_:
            _collect_paths(child, aliases, found)
        if node.test is not None:
            _collect_paths(node.test, inner, found)
        return
    if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
        path = _path(node, aliases)
        if path:
            found.add(path)
        while isinstance(node, (nodes.Getattr, nodes.Getitem)):  # the chain's own subscripts
            if isinstance(node, nodes.Getitem):
                _collect_paths(node.arg, aliases, found)
            node = node.node
        return
    for child in node.iter_child_nodes():
        _collect_paths(child, aliases, found)


def _path(node, aliases: dict[str, str]) -> str | None:
    """ "budget.fiscal_years[].total_text" for ``y.total_text`` inside ``{% for y in budget.fiscal_years %}``."""
    from jinja2 import nodes

    suffix = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            suffix.append("." + node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            suffix.append("." + node.arg.value)
        else:
            suffix.append("[]")
        node = node.node
    if not isinstance(node, nodes.Name) or node.ctx != "load":
        return None
    return aliases.get(node.name, node.name) + "".join(reversed(suffix))


def check_deck(path: Path, context=None, allow_external_links: bool = False) -> TemplateReport:
    report = TemplateReport(path, "qbr")
    if not _is_office_file(path, report):
        return report
    from pptx import Presentation

    from .deck import render_deck
    from .deck.contract import REQUIRED_LAYOUTS

    deck = Presentation(str(path))
    layouts = {layout.name: layout for master in deck.slide_masters for layout in master.slide_layouts}
    for name, indexes in REQUIRED_LAYOUTS.items():
        layout = layouts.get(name)
        if layout is None:
            report.problems.append(f"missing slide layout {name!r}: in PowerPoint, View > Slide Master, keep (or "
                                   f"rename a layout to) {name!r}; layouts found: {', '.join(sorted(layouts))}")
            continue
        present = {ph.placeholder_format.idx for ph in layout.placeholders}
        for idx in indexes:
            if idx not in present:
                report.problems.append(f"layout {name!r} has no placeholder with index {idx}: restore it from "
                                       "the built-in template (`vcio templates init DIR`)")
    if len(deck.slides):
        report.warnings.append(f"the template holds {len(deck.slides)} slide(s): vcio builds every slide from the "
                               "layouts and leaves template slides out; delete them to avoid confusion")
    _check_external_links(path, report, allow_external_links)
    _schema_order(path, report)
    if report.ok:
        try:
            with _trial_limit():
                _validate_trial(render_deck(context or synthetic_context(), path), ".pptx", report)
        except TemplateError as exc:
            report.problems.append(str(exc))
        except TimeLimitExceeded as exc:
            report.problems.append(str(exc))
    return report


TRIAL_SECONDS = 60


def _trial_limit():
    """A trial render of a small client takes a second; a template looping for minutes is a problem."""
    return time_limit(TRIAL_SECONDS, f"a trial render did not finish in {TRIAL_SECONDS} s: look for loops over "
                                     "large ranges in the template")


def _is_office_file(path: Path, report: TemplateReport) -> bool:
    if not path.is_file():
        report.problems.append(f"{path} does not exist")
        return False
    if not zipfile.is_zipfile(path):
        report.problems.append(f"{path} is not a Word/PowerPoint file (not a zip archive): save it again from Word or "
                               "PowerPoint as .docx/.pptx")
        return False
    return True


def check_templates(paths: list[Path], allow_external_links: bool = False) -> list[TemplateReport]:
    review = None
    reports = []
    for path in paths:
        if path.suffix.lower() == ".docx":
            review = review or synthetic_context()
            reports.append(check_roadmap(path, review, allow_external_links))
        elif path.suffix.lower() == ".pptx":
            review = review or synthetic_context()
            reports.append(check_deck(path, review, allow_external_links))
        else:
            report = TemplateReport(path, "unknown")
            report.problems.append(f"{path.name}: a template is a .docx (roadmap) or .pptx (QBR deck)")
            reports.append(report)
    return reports


def format_reports(reports: list[TemplateReport]) -> str:
    lines = []
    for report in reports:
        lines.append(f"{report.path} ({report.kind}): {'OK' if report.ok else 'PROBLEMS'}")
        lines.extend(f"  problem: {p}" for p in report.problems)
        lines.extend(f"  warning: {w}" for w in report.warnings)
    return "\n".join(lines)
