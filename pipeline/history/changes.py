"""What changed since the previous review: new, still open and resolved findings, completed initiatives,
the grade trend; and the `vcio history` / `vcio diff` reports over the store."""

from __future__ import annotations

from typing import Any

from ..findings.areas import AREA_LABELS
from .records import (AREAS, finding_record, grade_record, initiative_record, quarter_index, severity_key)
from ..errors import HistoryError
from .store import ClientHistory, HistoryStore, Snapshot, TREND_QUARTERS, normalise_quarter
from ..texttable import text_table

FIRST_REVIEW_SUMMARY = "This is the first review: future reviews will show what changed."


def first_review_changes() -> dict:
    return {"first_review": True, "previous_quarter": None, "new": [], "open": [], "resolved": [],
            "completed_initiatives": [], "grade_trend": [], "grade_changes": [], "summary": FIRST_REVIEW_SUMMARY}


def quarters_open(since: str, until: str) -> int:
    """Calendar quarters from ``since`` to ``until``, both included (1 = new this quarter)."""
    return max(1, quarter_index(until) - quarter_index(since) + 1)


def _item(record: dict, count: int) -> dict:
    return {"finding_id": record["finding_id"], "title": record["title"], "subject": record["subject"],
            "category": record["category"], "severity": record["severity"], "quarters_open": count}


def _view(history: HistoryStore | ClientHistory | None, client: str, quarter: str) -> ClientHistory:
    if history is None:
        return ClientHistory(client=client, quarter=quarter)
    if isinstance(history, HistoryStore):
        return history.client_view(client, quarter)
    if history.quarter != quarter:
        raise ValueError(f"history view was loaded for {history.quarter}, not {quarter}")
    return history


def changes_context(history: HistoryStore | ClientHistory | None, client: str, quarter: str, findings: list,
                    grades: list, initiatives: list) -> dict:
    """The render context's ``changes`` for this quarter, against the client's most recent earlier snapshot.

    ``history`` is the store (driver) or the ``ClientHistory`` the driver loaded with ``client_view``
    (worker); findings, grades and initiatives are the render context's dicts or the roll-up objects.
    Call it before recording this quarter (a rerun compares with the earlier quarter, never with itself).
    """
    quarter = normalise_quarter(quarter)
    view = _view(history, client, quarter)
    if view.previous is None:
        return first_review_changes()
    previous = view.previous
    current = {}
    stale_ids = {finding_record(f)["finding_id"] for f in findings if _from_stale_source(f)}
    for record in (finding_record(f) for f in findings):
        current.setdefault(record["finding_id"], record)
    plan = [initiative_record(i) for i in initiatives]
    current_grades = [grade_record(g) for g in grades]

    new, still_open, resolved, stale = [], [], [], []
    for fid, record in current.items():
        if fid in previous.findings:
            still_open.append(_item(record, quarters_open(view.first_seen.get(fid, previous.quarter), quarter)))
        elif fid in stale_ids:
            stale.append(_item(record, 1))  # only the calendar moved: the export is older than the stale threshold
        else:
            new.append(_item(record, 1))
    for fid, record in previous.findings.items():
        if fid not in current:
            resolved.append(_item(record, quarters_open(view.first_seen.get(fid, previous.quarter), previous.quarter)))
    for items in (new, still_open, resolved):
        items.sort(key=severity_key)

    completed = completed_initiatives(previous, set(current), {i["initiative_id"] for i in plan})
    trend = view.grade_history[-(TREND_QUARTERS - 1):] + [_trend_point(quarter, current_grades)]
    changes = grade_changes(previous.grades, current_grades)
    return {
        "first_review": False,
        "previous_quarter": previous.quarter,
        "new": new,
        "open": still_open,
        "resolved": resolved,
        "not_new_stale_data": stale,  # time-relative findings from stale exports: never reported as new
        "completed_initiatives": completed,
        "grade_trend": trend,
        "grade_changes": changes,
        "summary": _summary(previous.quarter, new, still_open, resolved, completed, changes),
    }


def _from_stale_source(finding) -> bool:
    facts = finding.get("facts") if isinstance(finding, dict) else getattr(finding, "facts", None)
    return bool(facts and facts.get("time_relative") and facts.get("stale_source"))


def completed_initiatives(previous: Snapshot, current_findings: set[str], current_initiatives: set[str]) -> list[dict]:
    """Initiatives of the previous snapshot whose findings are all resolved (and which are not still planned)."""
    done = []
    for iid, item in previous.initiatives.items():
        ids = set(item.get("finding_ids") or [])
        if not ids or ids & current_findings or iid in current_initiatives:
            continue
        done.append({"initiative_id": iid, "title": item["title"], "kind": item["kind"],
                     "finding_count": len(ids), "target_quarter": item.get("target_quarter") or "",
                     "one_time_cost": item.get("one_time_cost") or 0.0})
    done.sort(key=lambda i: (i["target_quarter"], i["title"].casefold()))
    return done


def _trend_point(quarter: str, grades: list[dict]) -> dict:
    by_area = {g["area"]: g["percent"] for g in grades}
    return {"quarter": quarter, **{a: by_area.get(a) for a in AREAS}}


def grade_changes(previous: dict[str, dict], current: list[dict]) -> list[dict]:
    result = []
    for grade in current:
        before = (previous.get(grade["area"]) or {}).get("percent")
        now = grade["percent"]
        delta = round(now - before, 1) if now is not None and before is not None else None
        result.append({"area": grade["area"], "label": grade["label"] or AREA_LABELS.get(grade["area"], grade["area"]),
                       "previous": before, "current": now, "delta": delta})
    return result


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(previous: str, new: list, still_open: list, resolved: list, completed: list, grades: list) -> str:
    parts = [f"{_plural(len(new), 'new finding')}, {len(resolved)} resolved and {len(still_open)} still open"]
    if completed:
        parts.append(f"{_plural(len(completed), 'initiative')} completed")
    moves = sorted((g for g in grades if g["delta"] is not None and abs(g["delta"]) >= 1),
                   key=lambda g: -abs(g["delta"]))[:2]
    if moves:
        parts.append(" and ".join(f"{g['label']} {'up' if g['delta'] > 0 else 'down'} {abs(g['delta']):.0f} points"
                                  for g in moves))
    return f"Since {previous}: " + "; ".join(parts) + "."


# ---------------------------------------------------------------- vcio history / vcio diff
def client_history(store: HistoryStore, client: str) -> list[dict]:
    """Per recorded quarter, oldest first: quarter, as_of, grades {area: percent}, finding counts
    (findings, critical, high, medium, low), new and resolved against the previous snapshot."""
    name = store.resolve_client(client)
    return store.history_rows(name)


def client_diff(store: HistoryStore, client: str, from_quarter: str, to_quarter: str) -> dict:
    """new / open / resolved findings between two recorded quarters (items as in changes_context)."""
    name = store.resolve_client(client)
    start, end = normalise_quarter(from_quarter), normalise_quarter(to_quarter)
    if start >= end:
        raise HistoryError(f"--from {start} must be earlier than --to {end}")
    recorded = store.quarters(name)
    missing = [q for q in (start, end) if q not in recorded]
    if missing:
        raise HistoryError(f"no snapshot of {name} for {', '.join(missing)}; recorded quarters: "
                           f"{', '.join(recorded) or 'none'}")
    before, after = store.snapshot(name, start), store.snapshot(name, end)
    assert before is not None and after is not None
    seen_before, seen_after = store.first_seen(name, start), store.first_seen(name, end)
    new, still_open, resolved = [], [], []
    for fid, record in after.findings.items():
        item = _item(record, quarters_open(seen_after.get(fid, end), end))
        (still_open if fid in before.findings else new).append(item)
    for fid, record in before.findings.items():
        if fid not in after.findings:
            resolved.append(_item(record, quarters_open(seen_before.get(fid, start), start)))
    for items in (new, still_open, resolved):
        items.sort(key=severity_key)
    changes = grade_changes(before.grades, [after.grades[a] for a in AREAS if a in after.grades])
    return {"client": name, "from_quarter": start, "to_quarter": end, "new": new, "open": still_open,
            "resolved": resolved,
            "completed_initiatives": completed_initiatives(before, set(after.findings), set(after.initiatives)),
            "grade_changes": changes}


def _percent(value: Any) -> str:
    return "-" if value is None else f"{value:.0f}%"


def format_history(rows: list[dict], client: str = "") -> str:
    if not rows:
        return f"No history for {client}." if client else "No history."
    header = ["Quarter", "As of", *(AREA_LABELS[a] for a in AREAS), "Findings", "Critical", "High", "New", "Resolved"]
    table = [[r["quarter"], r["as_of"], *(_percent(r["grades"].get(a)) for a in AREAS), str(r["findings"]),
              str(r["critical"]), str(r["high"]), "-" if r["new"] is None else str(r["new"]),
              "-" if r["resolved"] is None else str(r["resolved"])] for r in rows]
    title = f"History of {client}: {len(rows)} quarter{'s' if len(rows) != 1 else ''}" if client else "History"
    return "\n".join([title, "", *text_table(header, table, right=set(range(2, len(header))))])


def format_diff(diff: dict) -> str:
    lines = [f"{diff['client']}: {diff['from_quarter']} -> {diff['to_quarter']}: "
             f"{len(diff['new'])} new, {len(diff['open'])} still open, {len(diff['resolved'])} resolved", ""]
    moves = [g for g in diff.get("grade_changes", []) if g["delta"] is not None]
    if moves:
        lines.append("Grades: " + ", ".join(f"{g['label']} {_percent(g['previous'])} -> {_percent(g['current'])} "
                                            f"({g['delta']:+.0f})" for g in moves))
        lines.append("")
    for key, heading in (("new", "New"), ("resolved", "Resolved"), ("open", "Still open")):
        items = diff[key]
        lines.append(f"{heading} ({len(items)})")
        for item in items:
            age = "" if key == "new" else f"  [{item['quarters_open']} quarter{'s' if item['quarters_open'] != 1 else ''}]"
            lines.append(f"  {item['finding_id']}  {item['severity']:<8}  {item['title']} - {item['subject']}{age}")
        lines.append("")
    completed = diff.get("completed_initiatives") or []
    if completed:
        lines.append(f"Completed initiatives ({len(completed)})")
        lines.extend(f"  {i['initiative_id']}  {i['title']}" for i in completed)
    return "\n".join(lines).rstrip() + "\n"
