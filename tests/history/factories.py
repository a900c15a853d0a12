"""Small builders of the plain records the history store takes (the shapes of the review's payload)."""

from __future__ import annotations

from datetime import date

from pipeline.findings.finding import finding_id, rule_category
import hashlib

from pipeline.quarters import Quarter

CLIENT = "Acme Dental"


def initiative_id(client: str, kind: str, scope: str) -> str:
    """An id shaped like the review's (INI-...), stable for the same client, kind and scope."""
    digest = hashlib.sha1(f"{client.casefold()}|{kind}|{scope.casefold()}".encode("utf-8")).hexdigest()[:8]
    return f"INI-{digest.upper()}"


def finding(subject: str, rule: str = "lifecycle.os_end_of_support", severity: str = "high", *,
            client: str = CLIENT, title: str | None = None, due: str = "", cost: float | None = None,
            cost_kind: str = "") -> dict:
    category = rule_category(rule)
    return {"finding_id": finding_id(client, rule, subject), "rule": rule, "category": category,
            "category_label": category.replace("_", " ").capitalize(), "severity": severity,
            "title": title or f"{rule} on {subject}", "subject": subject, "subject_kind": "device",
            "due_date": due, "due_text": due or "-", "estimated_cost": cost, "cost_kind": cost_kind,
            "monthly_cost": None, "cost_text": "-", "recommendation": "Fix it.", "source": "rmm.csv"}


def grades(lifecycle: float | None, security: float | None, licensing: float | None = 90.0,
           continuity: float | None = 75.0) -> list[dict]:
    values = {"lifecycle": lifecycle, "security": security, "licensing": licensing, "continuity": continuity}
    result = []
    for area, percent in values.items():
        colour = "grey" if percent is None else "green" if percent >= 80 else "amber" if percent >= 50 else "red"
        result.append({"area": area, "label": area.capitalize(), "percent": percent,
                       "percent_text": "n/a" if percent is None else f"{percent:.0f}%", "score": None,
                       "score_text": "n/a", "colour": colour, "assessed": 10, "affected": 2})
    return result


def initiative(kind: str, scope: str, members: list[dict], *, client: str = CLIENT, title: str | None = None,
               target_quarter: str = "2027-Q1", rank: int = 1, one_time_cost: float = 1000.0) -> dict:
    return {"initiative_id": initiative_id(client, kind, scope), "rank": rank, "kind": kind,
            "title": title or f"{kind} {scope}", "severity": "high", "phase": "0-6 months",
            "target_quarter": target_quarter, "one_time_cost": one_time_cost, "one_time_text": "$1,000",
            "annual_recurring": 0.0, "recurring_text": "-", "owner": "MSP", "success_metric": "done",
            "goal": "No stated business goal: confirm with the client", "has_goal": False,
            "finding_count": len(members), "finding_ids": [m["finding_id"] for m in members],
            "subjects": ", ".join(m["subject"] for m in members)}


def risks(members: list[dict]) -> list[dict]:
    rules = sorted({m["rule"] for m in members})
    return [{"risk_id": f"RSK-{i}", "title": f"Risk {rule}", "category": "End of life", "likelihood": 3,
             "impact": 4, "score": 12, "band": "medium", "cost_of_inaction": "bad things",
             "mitigation": "x", "finding_count": 1, "subjects": ""} for i, rule in enumerate(rules)]


def budget(quarter: str, hardware: float = 1000.0, licensing: float = 300.0) -> dict:
    first = Quarter.parse(quarter).next()
    labels = [first.next(i).label for i in range(4)]
    rows = [{"category": "Hardware", "amounts": [hardware, 0.0, 0.0, 0.0]},
            {"category": "Licensing", "amounts": [licensing] * 4}]
    totals = [round(sum(r["amounts"][i] for r in rows), 2) for i in range(4)]
    return {"quarters": labels, "fiscal_labels": labels, "rows": rows, "totals": totals,
            "next_four_total": round(sum(totals), 2), "savings": 0.0}


def as_of(quarter: str) -> date:
    q = Quarter.parse(quarter)
    return date(q.start.year, q.start.month + 1, 20)


def record(store, quarter: str, members: list[dict], *, grade_list: list[dict] | None = None,
           plan: list[dict] | None = None, decisions=None, client: str = CLIENT) -> int:
    return store.record_snapshot(client, quarter, as_of(quarter), members, grade_list or grades(60.0, 70.0),
                                 risks(members), plan or [], budget(quarter), decisions)
