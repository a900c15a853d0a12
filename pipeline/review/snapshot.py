"""The review as plain data for the history store and the portfolio: what the driver keeps of a client.

Workers send this back to the driver (it pickles small and holds no objects with behaviour); the driver
records it as the quarter's snapshot and makes the client's portfolio row from it (``portfolio_row``), so the
portfolio shows each client's figures as the review defined them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..quarters import Quarter
from .grades import AREA_LABELS, colour_for
from .model import NOT_ASSESSED, PARTLY, ClientReview

AREAS = tuple(AREA_LABELS)


def history_payload(review: ClientReview, changes: dict, decisions: dict) -> dict:
    budget = review.budget
    waste = [f for f in review.findings if f.category == "license_waste"]
    return {
        "client": {"name": review.client.name, "vcio": review.client.vcio or "", "tier": review.client.tier or ""},
        "quarter": review.quarter,
        "as_of_iso": review.as_of.isoformat(),
        "currency_symbol": review.wording.currency_symbol,
        "summary": {"devices": review.summary.devices, "users": review.summary.users,
                    "findings": review.summary.findings, **dict(review.summary.by_severity),
                    "status": review.summary.status, "status_colour": review.summary.status_colour},
        "findings": [{"finding_id": f.finding_id, "rule": f.rule, "category": f.category, "severity": f.severity,
                      "title": f.title, "subject": f.subject, "subject_kind": f.subject_kind,
                      "due_date": f.due_date.isoformat() if f.due_date else "", "estimated_cost": f.budgeted,
                      "cost_kind": (f.finding.cost_kind or "") if f.budgeted is not None else "", "initiative_id": f.initiative_id}
                     for f in review.findings],
        "grades": [{"area": g.area, "label": g.label, "percent": g.percent, "score": g.score, "colour": g.colour,
                    "assessed": g.assessed, "affected": g.affected, "status": g.status, "delta": g.delta}
                   for g in review.scorecard],
        "risks": [{"risk_id": r.risk_id, "title": r.title, "category": r.category, "likelihood": r.likelihood,
                   "impact": r.impact, "score": r.score, "band": r.band, "severity": r.severity,
                   "cost_of_inaction": r.cost_of_inaction, "finding_count": r.finding_count} for r in review.risks],
        "initiatives": [{"initiative_id": i.initiative_id, "rank": i.rank, "kind": i.kind, "title": i.title,
                         "severity": i.severity, "phase": i.phase, "target_quarter": i.target_quarter,
                         "one_time_cost": i.one_time_cost, "annual_recurring": i.annual_recurring, "owner": i.owner,
                         "finding_ids": list(i.finding_ids)} for i in review.initiatives],
        "budget": {"quarters": list(budget.quarters),
                   "rows": [{"category": line.category, "amounts": list(line.amounts)} for line in budget.lines],
                   "totals": list(budget.totals), "next_90_days_one_time": budget.next_90_days_one_time,
                   "next_90_days_total": budget.next_90_days_total, "next_four_total": budget.next_four_total,
                   "one_time_total": budget.one_time_total, "recurring_total": budget.recurring_total,
                   "potential_annual_savings": budget.annual_savings},
        "decisions": decisions,
        "changes": changes,
        "license_optimisation": {"count": len(waste),
                                 "total_annual": round(sum(f.estimated_cost or 0 for f in waste), 2)},
        "coming_up": [{"date_iso": c.first.isoformat(), "what": c.text, "kind": c.kind} for c in review.coming_up],
    }


def portfolio_row(client_name: str, payload: dict) -> dict:
    """The client's figures for the MSP's portfolio (pipeline/render/portfolio.py), from its history payload.

    Money uses the review's definitions: the next 90 days (one-time work next quarter), the next 12 months (one-time
    and recurring over the next four quarters) and the yearly licence saving. An area not assessed has no percent
    and the colour grey, never a grade; the overall percent is the mean of the graded areas.
    """
    summary = payload.get("summary") or {}
    findings = payload.get("findings") or []
    risks = sorted(payload.get("risks") or [], key=lambda r: -(r.get("score") or 0))
    budget = payload.get("budget") or {}
    changes = payload.get("changes") or {}
    client = payload.get("client") or {}
    quarter = payload.get("quarter") or ""
    as_of = _day(payload.get("as_of_iso")) or (Quarter.parse(quarter).end if quarter else date.today())
    next_quarter = Quarter.parse(quarter).next() if quarter else Quarter.of(as_of).next()
    grades = {g.get("area"): g for g in payload.get("grades") or []}
    graded = [g["percent"] for g in grades.values() if g.get("status") != NOT_ASSESSED and g.get("percent") is not None]

    def of(*categories: str) -> list[dict]:
        return [f for f in findings if f.get("category") in categories]

    # From the review date to the end of next quarter: a contract ending in six weeks is the most urgent of all.
    renewals = [f for f in of("renewal")
                if (d := _day(f.get("due_date"))) and as_of <= d <= next_quarter.end]
    licence = payload.get("license_optimisation") or {}
    first = bool(changes.get("first_review", True))
    row: dict[str, Any] = {
        "client": client_name,
        "quarter": quarter,
        "vcio": client.get("vcio") or "",
        "tier": client.get("tier") or "",
        "currency_symbol": payload.get("currency_symbol") or "$",
        "status": summary.get("status") or "",
        "devices": int(summary.get("devices") or 0),
        "users": int(summary.get("users") or 0),
        "findings": int(summary.get("findings") or len(findings)),
        **{s: int(summary.get(s) or 0) for s in ("critical", "high", "medium", "low")},
        "risk_index": sum(int(r.get("score") or 0) for r in risks[:3]),
        "high_risks": sum(1 for r in risks if r.get("band") == "high"),
        "top_risk": risks[0].get("title", "") if risks else "",
        "overall_percent": round(sum(graded) / len(graded), 1) if graded else None,
        "eol_items": len({f.get("subject") for f in of("end_of_life")}),
        "eol_cost": round(sum(f.get("estimated_cost") or 0 for f in of("end_of_life")
                              if f.get("cost_kind") != "recurring"), 2),
        "warranty_items": len({f.get("subject") for f in of("warranty")}),
        "warranty_expired": len({f.get("subject") for f in of("warranty")
                                 if (d := _day(f.get("due_date"))) and d < as_of}),
        "next_quarter": next_quarter.label,
        "renewals_next_quarter": len(renewals),
        "renewals_value": round(sum(f.get("estimated_cost") or 0 for f in renewals), 2),
        "license_waste_items": int(licence.get("count") or 0),
        "license_waste_annual": round(licence.get("total_annual") or 0.0, 2),
        "budget_quarters": list(budget.get("quarters") or []),
        "budget_by_category": {r.get("category"): [v or 0.0 for v in r.get("amounts") or []]
                               for r in budget.get("rows") or []},
        "budget_totals": [v or 0.0 for v in budget.get("totals") or []],
        "budget_next_90_days": round(budget.get("next_90_days_one_time") or 0.0, 2),
        "budget_next_four": round(budget.get("next_four_total") or 0.0, 2),
        "savings_annual": round(budget.get("potential_annual_savings") or 0.0, 2),
        "data_gaps": [_gap(area, grade) for area, grade in grades.items()
                      if grade.get("status") in (NOT_ASSESSED, PARTLY)],
        "first_review": first,
        "previous_quarter": changes.get("previous_quarter"),
        # on a first review nothing is new or resolved yet: no count rather than a reassuring zero
        "new_findings": None if first else len(changes.get("new") or []),
        "resolved_findings": None if first else len(changes.get("resolved") or []),
        "completed_initiatives": None if first else len(changes.get("completed_initiatives") or []),
    }
    for area in AREAS:
        grade = grades.get(area) or {}
        percent = grade.get("percent") if grade.get("status") != NOT_ASSESSED else None
        row[f"{area}_percent"] = percent
        row[f"{area}_colour"] = grade.get("colour") or colour_for(percent)
        row[f"{area}_delta"] = grade.get("delta")
    return row


def _gap(area: str, grade: dict) -> str:
    """ "Continuity not assessed", "Security partly assessed"."""
    how = "not" if grade.get("status") == NOT_ASSESSED else "partly"
    return f"{grade.get('label') or AREA_LABELS.get(area, area)} {how} assessed"


def _day(value: Any) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
