"""`vcio templates check`: find what would break a template before a quarterly run does.

Each problem comes with how to fix it. The check opens the templates, lists the Jinja
variables the roadmap uses that the render context does not provide, checks the deck's
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


def synthetic_context() -> dict:
    """A small but complete render context, built by the real pipeline from a made-up client."""
    from ..config import load_settings
    from ..findings import budget, evaluate, grades, initiatives, risks
    from ..catalog.lifecycle import LifecycleCatalog
    from ..model import Asset, ClientData, Goal, Subscription, User
    from .context import RunFacts, build_context

    as_of = date(2026, 11, 20)
    client = ClientData(
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
    settings = load_settings(None)
    catalog = LifecycleCatalog.load()
    result = evaluate(client, as_of, settings, catalog)
    plan = initiatives(client, result.findings, as_of)
    context = build_context(client, result, grades(client, result.findings), risks(client, result.findings, plan),
                            plan, budget(client, plan, as_of, settings),
                            RunFacts("2026-Q4", as_of, "check", catalog_snapshot=catalog.snapshot_date.isoformat()),
                            settings, catalog)
    context["limits"] = {"deck_appendix_rows": 40, "roadmap_appendix_rows": 500}
    return context


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


def check_roadmap(path: Path, context: dict | None = None, allow_external_links: bool = False) -> TemplateReport:
    report = TemplateReport(path, "roadmap")
    if not _is_office_file(path, report):
        return report
    from docxtpl import DocxTemplate

    from .docx import _sandbox

    context = context or synthetic_context()
    try:
        # the render's own sandbox: finding the variables compiles the tags, and Jinja evaluates constant
        # arithmetic while compiling (``{{ 7**987654321 }}`` would run in C, beyond any time limit)
        used = DocxTemplate(str(path)).get_undeclared_template_variables(_sandbox()())
    except Exception as exc:  # a Jinja syntax error in the document
        report.problems.append(f"the template's Jinja tags do not parse: {exc}. Fix the tag in Word (a tag must be "
                               "typed in one go: Word splits tags it autocorrects)")
        return report
    known = set(context) | {"render"}
    for name in sorted(used - known):
        report.problems.append(f"unknown variable {{{{ {name} }}}}: the render context has no {name!r}. Known names: "
                               f"{', '.join(sorted(known))}")
    _check_external_links(path, report, allow_external_links)
    _schema_order(path, report)
    if report.ok:
        from .docx import render_roadmap

        try:
            with _trial_limit():
                _validate_trial(render_roadmap(context, path), ".docx", report)
        except TemplateError as exc:
            report.problems.append(str(exc))
        except TimeLimitExceeded as exc:
            report.problems.append(str(exc))
    return report


def check_deck(path: Path, context: dict | None = None, allow_external_links: bool = False) -> TemplateReport:
    report = TemplateReport(path, "qbr")
    if not _is_office_file(path, report):
        return report
    from pptx import Presentation

    from .pptx import REQUIRED_LAYOUTS, render_deck

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
    context = synthetic_context()
    reports = []
    for path in paths:
        if path.suffix.lower() == ".docx":
            reports.append(check_roadmap(path, context, allow_external_links))
        elif path.suffix.lower() == ".pptx":
            reports.append(check_deck(path, context, allow_external_links))
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
