"""The review as plain data for the history store and the portfolio: what the driver keeps of a client.

Workers send this back to the driver (it pickles small and holds no objects with behaviour); the driver
records it as the quarter's snapshot and makes the client's portfolio row from it.
"""

from __future__ import annotations

from .model import ClientReview


def history_payload(review: ClientReview, changes: dict, decisions: dict) -> dict:
    budget = review.budget
    waste = [f for f in review.findings if f.category == "license_waste"]
    return {
        "client": {"name": review.client.name, "vcio": review.client.vcio or "", "tier": review.client.tier or ""},
        "quarter": review.quarter,
        "as_of_iso": review.as_of.isoformat(),
        "currency_symbol": review.wording.currency_symbol,
        "summary": {"devices": review.summary.devices, "users": review.summary.users,
                    "findings": review.summary.findings, **dict(review.summary.by_severity)},
        "findings": [{"finding_id": f.finding_id, "rule": f.rule, "category": f.category, "severity": f.severity,
                      "title": f.title, "subject": f.subject, "subject_kind": f.subject_kind,
                      "due_date": f.due_date.isoformat() if f.due_date else "", "estimated_cost": f.estimated_cost,
                      "cost_kind": f.finding.cost_kind or "", "initiative_id": f.initiative_id}
                     for f in review.findings],
        "grades": [{"area": g.area, "label": g.label, "percent": g.percent, "score": g.score, "colour": g.colour,
                    "assessed": g.assessed, "affected": g.affected, "status": g.status} for g in review.scorecard],
        "risks": [{"risk_id": r.risk_id, "title": r.title, "category": r.category, "likelihood": r.likelihood,
                   "impact": r.impact, "score": r.score, "band": r.band, "severity": r.severity,
                   "cost_of_inaction": r.cost_of_inaction, "finding_count": r.finding_count} for r in review.risks],
        "initiatives": [{"initiative_id": i.initiative_id, "rank": i.rank, "kind": i.kind, "title": i.title,
                         "severity": i.severity, "phase": i.phase, "target_quarter": i.target_quarter,
                         "one_time_cost": i.one_time_cost, "annual_recurring": i.annual_recurring, "owner": i.owner,
                         "finding_ids": list(i.finding_ids)} for i in review.initiatives],
        "budget": {"quarters": list(budget.quarters),
                   "rows": [{"category": line.category, "amounts": list(line.amounts)} for line in budget.lines],
                   "totals": list(budget.totals), "next_four_total": budget.next_four_total,
                   "one_time_total": budget.one_time_total, "recurring_total": budget.recurring_total,
                   "potential_annual_savings": budget.annual_savings},
        "decisions": decisions,
        "changes": changes,
        "license_optimisation": {"count": len(waste),
                                 "total_annual": round(sum(f.estimated_cost or 0 for f in waste), 2)},
        "coming_up": [{"date_iso": c.first.isoformat(), "what": c.text, "kind": c.kind} for c in review.coming_up],
    }
