"""Build the plain render context of one client: dicts, lists, strings and numbers only.

Every document (docx, pptx, xlsx) is rendered from this context and nothing else, so a
template can read no object with methods, and the same numbers appear everywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..config import Settings
from ..findings import (GRADE_METHOD, RISK_METHOD, Budget, Finding, FindingSet, Grade, Initiative, Risk)
from ..catalog.lifecycle import LifecycleCatalog
from ..catalog.os_identity import identify_os
from ..findings.rules.licensing import license_usage
from ..findings.rules.lifecycle import replacement_due
from ..model import ClientData
from ..quarters import Quarter
from .text import clean

CATEGORY_LABELS = {"end_of_life": "End of life", "hardware_age": "Hardware age", "warranty": "Warranty", "disposal": "Disposal",
                   "renewal": "Renewal", "license_waste": "License waste", "security": "Security", "backup": "Backup"}
TYPE_LABELS = {"desktop": "Desktops", "laptop": "Laptops", "server": "Servers", "network": "Network",
               "storage": "Storage", "mobile": "Mobile", "printer": "Printers", "virtual": "Virtual", "other": "Other"}


@dataclass
class RunFacts:
    """What the runner knows beyond one client: used in the data-sources appendix."""

    quarter: str
    as_of: date
    vcio_version: str
    files: list[dict] = field(default_factory=list)  # manifest-shaped file reports touching this client
    catalog_snapshot: str = ""
    catalog_warning: str | None = None  # the catalog is far older than the review date (for the method appendix)
    data_dates: list[dict] = field(default_factory=list)  # per source: observed from/to, stale, differs (freshness.py)
    changes: dict | None = None  # from history; None = first review
    decisions: dict | None = None


class Formatter:
    def __init__(self, settings: Settings):
        self.symbol = settings.locale.currency_symbol
        self.currency = settings.locale.currency
        self.date_format = settings.locale.effective_date_format

    def money(self, value: float | None) -> str:
        if value is None:
            return "-"
        sign = "-" if value < 0 else ""
        return f"{sign}{self.symbol}{abs(value):,.0f}"

    def day(self, value: date | datetime | None) -> str:
        if value is None:
            return "-"
        if isinstance(value, datetime):
            value = value.date()
        return value.strftime(self.date_format)


def build_context(client: ClientData, result: FindingSet, grade_list: list[Grade], risk_list: list[Risk],
                  plan: list[Initiative], forecast: Budget, facts: RunFacts, settings: Settings,
                  catalog: LifecycleCatalog) -> dict[str, Any]:
    settings = settings.for_client(client.name)
    fmt = Formatter(settings)
    findings = result.findings
    as_of = facts.as_of
    severity_counts = Counter(f.severity for f in findings)
    licensed = [u for u in client.users if u.licenses and not u.is_guest]
    ctx: dict[str, Any] = {
        "client": {"name": client.name, "vcio": client.vcio or "to be assigned", "tier": client.tier or "",
                   "fiscal_year_start": client.fiscal_year_start, "domains": client.domains},
        "msp": {"name": settings.msp.name, "contact": settings.msp.contact,
                "logo": str(settings.msp.logo or "")},
        "quarter": facts.quarter,
        "as_of": fmt.day(as_of),
        "as_of_iso": as_of.isoformat(),
        "currency": fmt.currency,
        "currency_symbol": fmt.symbol,
        "vcio_version": facts.vcio_version,
        "summary": {
            "devices": len(client.assets),
            "servers": sum(1 for a in client.assets if a.device_type == "server"),
            "users": sum(1 for u in client.users if not u.is_guest),
            "licensed_users": len(licensed),
            "findings": len(findings),
            "critical": severity_counts.get("critical", 0),
            "high": severity_counts.get("high", 0),
            "medium": severity_counts.get("medium", 0),
            "low": severity_counts.get("low", 0),
            "monthly_subscriptions": fmt.money(sum(s.monthly_value or 0 for s in client.subscriptions if s.active)),
        },
        "grades": [_grade(g) for g in grade_list],
        "risks": [_risk(r) for r in risk_list],
        "initiatives": [_initiative(i, fmt) for i in plan],
        "findings": [_finding(f, fmt) for f in findings],
        "excluded": [{"subject": f.subject, "title": f.title, "rule": f.rule, "reason": reason}
                     for f, reason in result.excluded],
        "data_gaps": [{"label": k, "count": v} for k, v in sorted(result.data_gaps.items())],
        "budget": _budget(forecast, fmt),
        "method": {"grades": GRADE_METHOD, "risks": RISK_METHOD, "thresholds": _thresholds(settings),
                   "catalog_snapshot": facts.catalog_snapshot, "catalog_warning": facts.catalog_warning or ""},
        "data_sources": facts.files,
        # Per source, when the data was observed: shown where it differs from the review date by more than a few days.
        "data_dates": [{"source": d["source"], "from": fmt.day(d["from"]), "to": fmt.day(d["to"]),
                        "stale": d["stale"]} for d in facts.data_dates if d["differs"]],
    }
    ctx["top_risks"] = ctx["risks"][:3]
    ctx["next_90_days"] = [i for i in ctx["initiatives"] if i["phase"] == "0-6 months"][:3] or ctx["initiatives"][:3]
    ctx["phases"] = [{"phase": phase, "initiatives": [i for i in ctx["initiatives"] if i["phase"] == phase]}
                     for phase in ("0-6 months", "6-18 months", "18-36 months")]
    ctx["goals"], ctx["unaligned_initiatives"] = _goals(client, ctx["initiatives"], fmt)
    ctx["current_state"] = _current_state(client, findings, as_of, settings, catalog, fmt)
    ctx["coming_up"] = _coming_up(findings, as_of, fmt)
    ctx["license_optimisation"] = _license_optimisation(findings, fmt)
    ctx["changes"] = facts.changes or {"first_review": True, "new": [], "open": [], "resolved": [],
                                       "summary": "This is the first review: future reviews will show what changed."}
    ctx["decisions"] = facts.decisions or {"first_review": True, "accepted": [], "declined": [], "deferred": [],
                                           "done": []}
    ctx["headline"] = _headline(ctx)
    if settings.msp.internal_view:
        # The MSP's cost and margin: only ever rendered into the findings workbook, never the client documents.
        ctx["internal"] = {"subscriptions": [_margin(s) for s in client.subscriptions if s.active]}
    decided = _settled_items(ctx["decisions"])
    ctx["decisions_needed"] = [{"initiative_id": i["initiative_id"], "title": i["title"],
                                "one_time_cost": i["one_time_cost"], "owner": i["owner"]}
                               for i in ctx["next_90_days"] if i["initiative_id"] not in decided]
    ctx["findings_by_category"] = [{"category": CATEGORY_LABELS[c], "count": n}
                                   for c, n in Counter(f.category for f in findings).most_common()]
    return clean(ctx)


def _margin(sub) -> dict:
    price, cost = sub.price, sub.partner_cost
    margin = (price - cost) * sub.quantity if price is not None and cost is not None else None
    return {"product": sub.product, "quantity": sub.quantity, "price": price, "partner_cost": cost,
            "margin_monthly": round(margin, 2) if margin is not None else None,
            "margin_percent": round(100 * (price - cost) / price, 1) if margin is not None and price else None}


def _settled_items(decisions: dict) -> set[str]:
    """Items the client already decided on: not asked again, unless a deferral has come due."""
    settled = {d.get("item_id") for key in ("accepted", "declined", "done") for d in decisions.get(key) or []}
    settled |= {d.get("item_id") for d in decisions.get("deferred") or [] if not d.get("due_for_review")}
    return settled


def _grade(grade: Grade) -> dict:
    return {"area": grade.area, "label": grade.label, "percent": grade.percent,
            "percent_text": "n/a" if grade.percent is None else f"{grade.percent:.0f}%",
            "score": grade.score, "score_text": "n/a" if grade.score is None else f"{grade.score}/5",
            "colour": grade.colour, "assessed": grade.assessed, "affected": grade.affected}


def _risk(risk: Risk) -> dict:
    return {"risk_id": risk.risk_id, "title": risk.title, "category": CATEGORY_LABELS[risk.category],
            "likelihood": risk.likelihood, "impact": risk.impact, "score": risk.score, "band": risk.band,
            "cost_of_inaction": risk.cost_of_inaction, "mitigation": risk.mitigation or "no initiative yet",
            "finding_count": risk.finding_count, "subjects": ", ".join(risk.subjects[:8]) +
            (f" and {len(risk.subjects) - 8} more" if len(risk.subjects) > 8 else "")}


def _initiative(item: Initiative, fmt: Formatter) -> dict:
    recurring = item.annual_recurring
    return {"initiative_id": item.initiative_id, "rank": item.rank, "kind": item.kind, "title": item.title,
            "severity": item.severity, "phase": item.phase, "target_quarter": item.target_quarter,
            "one_time_cost": item.one_time_cost, "one_time_text": fmt.money(item.one_time_cost) if item.one_time_cost else "-",
            "annual_recurring": recurring,
            "recurring_text": (f"saves {fmt.money(-recurring)}/yr" if recurring < 0 else
                               f"{fmt.money(recurring)}/yr" if recurring > 0 else "-"),
            "owner": item.owner, "success_metric": item.success_metric,
            "goal": item.goal or "No stated business goal: confirm with the client",
            "has_goal": item.goal is not None, "finding_count": len(item.findings),
            "finding_ids": [f.finding_id for f in item.findings],
            "subjects": ", ".join(item.subjects[:6]) + (f" and {len(item.subjects) - 6} more" if len(item.subjects) > 6 else "")}


def _finding(finding: Finding, fmt: Formatter) -> dict:
    return {"finding_id": finding.finding_id, "rule": finding.rule, "category": finding.category,
            "category_label": CATEGORY_LABELS[finding.category], "severity": finding.severity,
            "title": finding.title, "subject": finding.subject, "subject_kind": finding.subject_kind,
            "due_date": finding.due_date.isoformat() if finding.due_date else "",
            "due_text": fmt.day(finding.due_date), "estimated_cost": finding.estimated_cost,
            "cost_kind": finding.cost_kind or "", "monthly_cost": finding.monthly_cost,
            "cost_text": (fmt.money(finding.estimated_cost) + ("/yr" if finding.cost_kind == "recurring" else ""))
            if finding.estimated_cost is not None else "-",
            "recommendation": finding.recommendation, "source": ";".join(finding.sources)}


def _budget(forecast: Budget, fmt: Formatter) -> dict:
    rows = [{"category": name, "amounts": values, "amounts_text": [fmt.money(v) if v else "-" for v in values],
             "total": round(sum(values), 2), "total_text": fmt.money(sum(values))}
            for name, values in forecast.rows.items() if any(values)]
    return {"quarters": forecast.quarters, "fiscal_labels": forecast.fiscal_labels, "rows": rows,
            "totals": forecast.totals, "totals_text": [fmt.money(v) for v in forecast.totals],
            "grand_total_text": fmt.money(sum(forecast.totals)),
            "next_four_total": round(sum(forecast.totals[:4]), 2),
            "next_four_total_text": fmt.money(sum(forecast.totals[:4])),
            "fiscal_years": [{"label": k, "total": v, "total_text": fmt.money(v)} for k, v in forecast.fiscal_years.items()],
            "one_time_total_text": fmt.money(forecast.one_time_total),
            "recurring_total_text": fmt.money(forecast.recurring_total),
            "savings": forecast.potential_annual_savings,
            "savings_text": fmt.money(forecast.potential_annual_savings)}


def _thresholds(settings: Settings) -> list[dict]:
    rows = [{"name": k.replace("_", " "), "value": str(v)} for k, v in settings.merged["thresholds"].items()]
    rows += [{"name": f"maximum age, {k}", "value": f"{v} years"}
             for k, v in settings.merged["hardware"]["max_age_years"].items()]
    return rows


def _headline(ctx: dict) -> list[str]:
    s = ctx["summary"]
    lines = [f"{s['devices']} devices and {s['users']} users reviewed; {s['findings']} findings, "
             f"{s['critical']} critical and {s['high']} high."]
    if ctx["top_risks"]:
        names = "; ".join(r["title"] for r in ctx["top_risks"])
        lines.append(f"Top risk{'s' if len(ctx['top_risks']) > 1 else ''}: {names}.")
    if not ctx["changes"].get("first_review"):
        lines.append(ctx["changes"].get("summary") or "")
    budget = ctx["budget"]
    lines.append(f"Forecast for the next four quarters: {budget['next_four_total_text']}.")
    if budget["savings"]:
        lines.append(f"License optimisation could save {budget['savings_text']} a year.")
    return [line for line in lines if line]


def _goals(client: ClientData, items: list[dict], fmt: Formatter) -> tuple[list[dict], list[dict]]:
    goals = []
    for goal in client.goals:
        serving = [i for i in items if i["goal"] == goal.goal]
        goals.append({"goal": goal.goal, "target_date": fmt.day(goal.target_date), "owner": goal.owner or "-",
                      "success_metric": goal.success_metric or "-", "priority": goal.priority or "-",
                      "tags": ", ".join(goal.tags), "initiatives": serving})
    return goals, [i for i in items if not i["has_goal"]]


def _support_label(eol: date | None, as_of: date, known: bool, maintained: bool | None = None) -> str:
    if known and eol is None and maintained:
        return "Supported"  # still maintained, no end date announced (macOS, rolling releases)
    if not known or eol is None:
        return "Unknown"
    if eol <= as_of:
        return "Unsupported"
    if (eol - as_of).days <= 365:
        return "Ends within 12 months"
    return "Supported"


def _current_state(client: ClientData, findings: list[Finding], as_of: date, settings: Settings,
                   catalog: LifecycleCatalog, fmt: Formatter) -> dict:
    support = Counter()
    os_counts: Counter[str] = Counter()
    ages = Counter()
    warranty = Counter()
    assets = []
    for asset in client.assets:
        status = None
        label = "Not reported"
        if asset.os:
            identity = identify_os(asset.os, asset.os_build)
            status = catalog.status(identity)
            label = (status.release_label if status else None) or identity.label or asset.os
        os_counts[label] += 1
        support_label = _support_label(status.eol if status else None, as_of, status is not None,
                                       status.maintained if status else None)
        if asset.device_type in {"network", "storage", "printer"} and status is None:
            support_label = "Unknown"
        support[support_label] += 1
        since = asset.in_service_since
        years = (as_of - since).days / 365.25 if since else None
        bucket = ("Unknown" if years is None else "< 2 years" if years < 2 else "2-4 years" if years < 4
                  else "4-6 years" if years < 6 else "6+ years")
        ages[bucket] += 1
        end = asset.warranty_end
        w = ("Unknown" if end is None else "Expired" if end < as_of else
             "Expires within 90 days" if (end - as_of).days <= 90 else "In warranty")
        warranty[w] += 1
        due = replacement_due(asset, settings)
        assets.append({"hostname": asset.name, "type": asset.device_type, "os": label, "support": support_label,
                       "eol": fmt.day(status.eol) if status and status.eol else "-",
                       "age": f"{years:.1f}" if years is not None else "-", "warranty": w,
                       "warranty_end": fmt.day(end), "replacement_due": fmt.day(due), "serial": asset.serial or "-",
                       "model": asset.model or "-", "last_seen": fmt.day(asset.last_seen),
                       "sources": ", ".join(asset.tools)})
    order = {"Unsupported": 0, "Ends within 12 months": 1, "Supported": 3, "Unknown": 2}
    assets.sort(key=lambda a: (order[a["support"]], a["hostname"].casefold()))
    usage = license_usage(client)
    licenses = []
    for entry in sorted(usage.values(), key=lambda e: -max(e["purchased"], e["assigned"])):
        price = next((s.price for s in entry["subscriptions"] if s.price is not None), None)
        licenses.append({"product": entry["product"], "purchased": entry["purchased"] if entry["subscriptions"] else "-",
                         "assigned": entry["assigned"],
                         "spare": max(0, entry["purchased"] - entry["assigned"]) if entry["subscriptions"] else "-",
                         "price_text": fmt.money(price) if price is not None else "-"})
    contracts = [{"name": c.name, "type": c.type or "-", "start": fmt.day(c.start_date),
                  "end": "no end date" if c.no_end else fmt.day(c.end_date),
                  "monthly_text": fmt.money(c.monthly_amount)} for c in client.contracts if not c.cancelled]
    subscriptions = [{"product": s.product, "quantity": s.quantity, "term": s.billing_term or "-",
                      "renews": fmt.day(s.renews_on), "monthly_text": fmt.money(s.monthly_value)}
                     for s in client.subscriptions if s.active]
    users = [{"upn": u.upn, "name": u.display_name or "-", "licenses": ", ".join(u.licenses) or "Unlicensed",
              "status": "blocked" if u.blocked else ("guest" if u.is_guest else "active"),
              "last_activity": fmt.day(u.last_activity) if u.activity_known else "not reported"}
             for u in client.users]
    type_order = ["desktop", "laptop", "server", "network", "storage", "virtual", "mobile", "printer", "other"]
    by_type = Counter(a.device_type for a in client.assets)
    return {
        "devices_by_type": [{"label": TYPE_LABELS[t], "count": by_type[t]} for t in type_order if by_type.get(t)],
        "operating_systems": [{"label": k, "count": v} for k, v in os_counts.most_common()],
        "support_status": [{"label": k, "count": support[k]} for k in
                           ("Supported", "Ends within 12 months", "Unsupported", "Unknown") if support.get(k)],
        "age_buckets": [{"label": k, "count": ages[k]} for k in
                        ("< 2 years", "2-4 years", "4-6 years", "6+ years", "Unknown") if ages.get(k)],
        "warranty_status": [{"label": k, "count": warranty[k]} for k in
                            ("In warranty", "Expires within 90 days", "Expired", "Unknown") if warranty.get(k)],
        "assets": assets,
        "licenses": licenses,
        "contracts": contracts,
        "subscriptions": subscriptions,
        "users": users,
    }


def _coming_up(findings: list[Finding], as_of: date, fmt: Formatter) -> list[dict]:
    """Dated items in the rest of this quarter and the next two: renewals, end of support, warranty ends."""
    limit = Quarter.of(as_of).next(2).end
    items = []
    for f in findings:
        if f.category not in {"renewal", "end_of_life", "warranty"} or f.due_date is None:
            continue
        if not (as_of <= f.due_date <= limit):
            continue
        items.append({"date": fmt.day(f.due_date), "date_iso": f.due_date.isoformat(), "what": f.title,
                      "kind": CATEGORY_LABELS[f.category], "value_text": f"{fmt.money(f.estimated_cost)}/yr"
                      if f.cost_kind == "recurring" and f.estimated_cost else "-"})
    items.sort(key=lambda i: i["date_iso"])
    return items


def _license_optimisation(findings: list[Finding], fmt: Formatter) -> dict:
    items = [f for f in findings if f.category == "license_waste"]
    total = sum(f.estimated_cost or 0 for f in items)
    return {"items": [{"title": f.title, "subject": f.subject, "annual": f.estimated_cost or 0,
                       "annual_text": fmt.money(f.estimated_cost), "monthly_text": fmt.money(f.monthly_cost)}
                      for f in sorted(items, key=lambda f: -(f.estimated_cost or 0))],
            "total_annual": round(total, 2), "total_annual_text": fmt.money(total), "count": len(items)}
