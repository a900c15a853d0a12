"""Turn what the pipeline hands over into plain rows: the render context's dicts or the roll-up objects.

Every public history function takes either shape, so the driver can call them with the context a
worker returned (dicts) and a test or a worker can call them with Finding/Grade/Initiative objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from ..findings.areas import AREAS  # noqa: F401 - re-exported for the history modules
from ..findings.finding import RULE_CATEGORIES
from ..quarters import Quarter

DECISIONS = ("accepted", "declined", "deferred", "done")
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        value = obj.get(name, default)
    else:
        value = getattr(obj, name, default)
    return default if value is None else value


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def optional_text(value: Any) -> str | None:
    value = text(value)
    return value or None


def to_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def to_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def to_int(value: Any) -> int | None:
    number = to_float(value)
    return None if number is None else int(number)


def quarter_label(value: Any) -> str | None:
    """A normalised "2027-Q2", or None when empty or not a quarter label."""
    if value is None or str(value).strip() == "":
        return None
    try:
        return Quarter.parse(str(value)).label
    except ValueError:
        return None


def quarter_index(label: str) -> int:
    q = Quarter.parse(label)
    return q.year * 4 + q.number - 1


def item_key(value: Any) -> str:
    """Finding and initiative ids are upper-case (EOL-1A2B3C4D, INI-...); decisions.csv may not be."""
    return text(value).upper()


def finding_record(item: Any) -> dict:
    # Called for every finding of every client the run records (a few hundred thousand in a large run):
    # one attribute lookup per field, not get()'s type test per field.
    value = item.get if isinstance(item, dict) else (lambda name: getattr(item, name, None))
    rule = text(value("rule"))
    return {
        "finding_id": text(value("finding_id")).upper(),
        "rule": rule,
        "category": text(value("category")) or RULE_CATEGORIES.get(rule, ""),
        "severity": text(value("severity")).lower(),
        "title": text(value("title")),
        "subject": text(value("subject")),
        "subject_kind": optional_text(value("subject_kind")),
        "due_date": to_date(value("due_date")),
        "estimated_cost": to_float(value("estimated_cost")),
        "cost_kind": optional_text(value("cost_kind")),
    }


def grade_record(item: Any) -> dict:
    area = text(get(item, "area")).lower()
    return {
        "area": area,
        "label": text(get(item, "label")) or area.capitalize(),
        "percent": to_float(get(item, "percent")),
        "score": to_int(get(item, "score")),
        "colour": optional_text(get(item, "colour")),
        "assessed": to_int(get(item, "assessed")),
        "affected": to_int(get(item, "affected")),
    }


def risk_record(item: Any) -> dict:
    return {
        "risk_id": text(get(item, "risk_id")),
        "title": text(get(item, "title")),
        "category": optional_text(get(item, "category")),
        "likelihood": to_int(get(item, "likelihood")),
        "impact": to_int(get(item, "impact")),
        "score": to_int(get(item, "score")),
        "band": optional_text(get(item, "band")),
        "cost_of_inaction": optional_text(get(item, "cost_of_inaction")),
        "finding_count": to_int(get(item, "finding_count")),
    }


def initiative_record(item: Any) -> dict:
    ids = get(item, "finding_ids")
    if ids is None:  # an Initiative object: its Finding objects
        ids = [get(f, "finding_id") for f in get(item, "findings", [])]
    return {
        "initiative_id": item_key(get(item, "initiative_id")),
        "rank": to_int(get(item, "rank")),
        "kind": text(get(item, "kind")),
        "title": text(get(item, "title")),
        "severity": optional_text(get(item, "severity")),
        "phase": optional_text(get(item, "phase")),
        "target_quarter": optional_text(get(item, "target_quarter")),
        "one_time_cost": to_float(get(item, "one_time_cost")),
        "annual_recurring": to_float(get(item, "annual_recurring")),
        "owner": optional_text(get(item, "owner")),
        "finding_ids": sorted({item_key(i) for i in ids if text(i)}),
    }


def budget_record(item: Any) -> dict:
    """{"amounts": [(quarter, category, amount)], next_four, one_time, recurring, savings}."""
    if not item:
        return {"amounts": [], "next_four": None, "one_time": None, "recurring": None, "savings": None}
    quarters = list(get(item, "quarters", []))
    rows = get(item, "rows", None) or get(item, "lines", {})  # the payload's rows or the review's lines
    by_category: dict[str, list] = (dict(rows) if isinstance(rows, dict) else
                                    {text(get(r, "category")): list(get(r, "amounts", [])) for r in rows})
    amounts = []
    for category, values in by_category.items():
        for label, value in zip(quarters, values):
            number = to_float(value) or 0.0
            if number:
                amounts.append((label, category, round(number, 2)))
    totals = [to_float(v) or 0.0 for v in get(item, "totals", [])]
    next_four = to_float(get(item, "next_four_total"))
    if next_four is None and totals:
        next_four = round(sum(totals[:4]), 2)

    def category_sum(names: Iterable[str]) -> float:
        return round(sum(to_float(v) or 0.0 for n in names for v in by_category.get(n, [])), 2)

    one_time = to_float(get(item, "one_time_total"))
    recurring = to_float(get(item, "recurring_total"))
    savings = to_float(get(item, "potential_annual_savings"))
    if savings is None:
        savings = to_float(get(item, "annual_savings"))
    return {"amounts": amounts, "next_four": next_four,
            "one_time": one_time if one_time is not None else category_sum(("Hardware", "Projects")),
            "recurring": recurring if recurring is not None else category_sum(("Licensing", "Contracts")),
            "savings": savings}


def decision_record(item: Any) -> dict:
    """A decisions.csv row (Decision or dict), or an item of a decisions_context list."""
    return {
        "item_id": item_key(get(item, "item_id")),
        "decision": text(get(item, "decision")).lower(),
        "decided_on": to_date(get(item, "decided_on")),
        "decided_by": optional_text(get(item, "decided_by")),
        "note": optional_text(get(item, "note")),
        "revisit_quarter": quarter_label(get(item, "revisit_quarter")),
        "revisit_raw": optional_text(get(item, "revisit_quarter")),
        "item_kind": optional_text(get(item, "item_kind")),
        "title": optional_text(get(item, "title")),
        "risk_of_inaction": optional_text(get(item, "risk_of_inaction")),
        "finding_ids": [item_key(i) for i in (get(item, "finding_ids") or []) if text(i)],
        "completed": bool(get(item, "completed", False)),
        "first_quarter": quarter_label(get(item, "first_quarter")),
    }


def decision_records(decisions: Any) -> list[dict]:
    """Accept a list of records or a whole decisions_context dict (its four lists, flattened)."""
    if not decisions:
        return []
    if isinstance(decisions, dict):
        items = [i for key in DECISIONS for i in decisions.get(key, [])]
    else:
        items = list(decisions)
    return [r for r in (decision_record(i) for i in items) if r["item_id"] and r["decision"] in DECISIONS]


def severity_key(item: dict) -> tuple:
    return (SEVERITY_ORDER.get(item.get("severity") or "", 9), item.get("category") or "",
            (item.get("subject") or "").casefold(), item.get("finding_id") or "")
