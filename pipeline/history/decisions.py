"""The decisions record: what was recommended and accepted, declined (with the risk of inaction),
deferred (to a quarter) or done, carried forward from quarter to quarter through the history store."""

from __future__ import annotations

import csv
import io
import logging

from ..findings.risk_texts import cost_of_inaction
from ..render.text import neutralise_formula
from .records import (DECISIONS, decision_record, finding_record, initiative_record, severity_key, text)
from .store import ClientHistory, HistoryStore, normalise_quarter

log = logging.getLogger("vcio")

TEMPLATE_SUBJECTS = 5  # covered items named in a template row's note; the workbook lists them all
TEMPLATE_COLUMNS = ("client", "item_id", "decision", "decided_on", "decided_by", "note", "revisit_quarter")


def empty_decisions() -> dict:
    return {"first_review": True, "accepted": [], "declined": [], "deferred": [], "done": []}


def _latest_rows(client_decisions: list) -> dict[str, dict]:
    """decisions.csv rows by item: blank decisions (an unfilled template row) are skipped; for an item listed
    twice the later decided_on wins, then the later row."""
    chosen: dict[str, dict] = {}
    for row in client_decisions or []:
        record = decision_record(row)
        if not record["item_id"] or not record["decision"]:
            continue
        if record["decision"] not in DECISIONS:
            log.warning("decision %r for %s is not one of %s: ignored", record["decision"], record["item_id"],
                        ", ".join(DECISIONS))
            continue
        if record["revisit_raw"] and not record["revisit_quarter"]:
            log.warning("revisit_quarter %r for %s is not a quarter like 2027-Q2", record["revisit_raw"],
                        record["item_id"])
        before = chosen.get(record["item_id"])
        if before and before["decided_on"] and (not record["decided_on"] or record["decided_on"] < before["decided_on"]):
            continue
        chosen[record["item_id"]] = record
    return chosen


def _risk_text(rules: list[str]) -> str:
    texts = []
    for rule in rules:
        text = cost_of_inaction(rule)
        if text and text not in texts:
            texts.append(text)
    return " ".join(texts)


def decisions_context(client_decisions: list, findings: list, initiatives: list, quarter: str,
                      history: HistoryStore | ClientHistory | None = None, *, client: str | None = None) -> dict:
    """The render context's ``decisions``: {"first_review", "accepted", "declined", "deferred", "done"}.

    ``client_decisions`` are this quarter's decisions.csv rows (``ClientData.decisions``); decisions in force at
    the previous snapshot are carried forward from ``history`` (a ``ClientHistory``, or the store with
    ``client=``) unless decisions.csv restates the item. Items are plain dicts: item_id, item_kind, title,
    decision, decided_on (ISO), decided_by, note, revisit_quarter, target_quarter, due_for_review,
    risk_of_inaction, finding counts and a status sentence. Pass the result to ``record_snapshot``.
    """
    quarter = normalise_quarter(quarter)
    if isinstance(history, HistoryStore):
        if not client:
            raise ValueError("decisions_context(history=store) needs client=")
        history = history.client_view(client, quarter)
    view = history
    current = {}
    for record in (finding_record(f) for f in findings):
        current.setdefault(record["finding_id"], record)
    plan = {i["initiative_id"]: i for i in (initiative_record(i) for i in initiatives)}
    carried = dict(view.carried_decisions) if view else {}
    stated = _latest_rows(client_decisions)

    effective: dict[str, tuple[dict, bool]] = {k: (v, True) for k, v in carried.items()}
    stated = _regrouped(stated, plan, current, view)
    effective = {_regrouped_id(item, record, plan, current, view): (record, was) for item, (record, was)
                 in effective.items()}
    for item, record in stated.items():
        before = carried.get(item)
        if before and before["decision"] == record["decision"]:
            record["first_quarter"] = before.get("first_quarter")
            for name in ("title", "item_kind", "risk_of_inaction"):
                record[name] = record[name] or before.get(name)
            record["finding_ids"] = record["finding_ids"] or before.get("finding_ids") or []
        effective[item] = (record, False)

    result = empty_decisions()
    result["first_review"] = (view is None or view.first_review) and not effective
    for item, (record, was_carried) in effective.items():
        entry = _entry(item, record, was_carried, quarter, current, plan, view)
        result[entry["decision"]].append(entry)
    result["accepted"].sort(key=lambda e: (e["completed"], e["title"].casefold()))
    result["declined"].sort(key=lambda e: (e["decided_on"] or "9999", e["title"].casefold()))
    result["deferred"].sort(key=lambda e: (not e["due_for_review"], e["revisit_quarter"] or "", e["title"].casefold()))
    result["done"].sort(key=lambda e: (e["decided_on"] or "9999", e["title"].casefold()))
    return result


def _regrouped_id(item: str, record: dict, plan: dict[str, dict], current: dict[str, dict],
                  view: ClientHistory | None) -> str:
    """The initiative that now covers the findings of a retired initiative id (initiatives were regrouped into
    themes); the item itself when it is still current, unknown, or none of its findings is open."""
    if item in plan or item in current or view is None:
        return item
    earlier = set(view.initiative_findings.get(item, set())) | set(record.get("finding_ids") or [])
    open_ids = {fid for fid in earlier if fid in current}
    if not open_ids:
        return item  # resolved since, or never an initiative: kept under its own id
    best = max(plan.values(), key=lambda i: (len(open_ids & set(i["finding_ids"])), i["initiative_id"]))
    if not open_ids & set(best["finding_ids"]):
        return item
    record.setdefault("finding_ids", sorted(earlier))
    title = record.get("title") or (view.known_items.get(item) or {}).get("title") or item
    record["note"] = " ".join(p for p in (record.get("note") or "", f"(recorded against '{title}', {item}, now "
                                                                      "part of this initiative)") if p)
    log.info("decision on %s carried to %s, which now covers its open findings", item, best["initiative_id"])
    return best["initiative_id"]


def _regrouped(stated: dict[str, dict], plan: dict[str, dict], current: dict[str, dict],
               view: ClientHistory | None) -> dict[str, dict]:
    """decisions.csv rows re-keyed to the initiatives that now cover their findings; a row naming the new id
    itself wins over one carried from a retired id."""
    result: dict[str, dict] = {}
    for item, record in stated.items():
        target = _regrouped_id(item, record, plan, current, view)
        if target != item and target in stated:
            continue
        result[target] = record
    return result


def _entry(item: str, record: dict, was_carried: bool, quarter: str, current: dict[str, dict],
           plan: dict[str, dict], view: ClientHistory | None) -> dict:
    known = (view.known_items.get(item) if view else None) or {}
    if item in plan:
        kind, title = "initiative", plan[item]["title"]
    elif item in current:
        kind, title = "finding", current[item]["title"]
    else:
        kind = record.get("item_kind") or known.get("kind") or "unknown"
        title = record.get("title") or known.get("title") or item
    if kind == "initiative":
        ids = set(record.get("finding_ids") or [])
        ids |= set(plan[item]["finding_ids"]) if item in plan else set()
        ids |= (view.initiative_findings.get(item, set()) if view else set())
    elif kind == "finding":
        ids = {item}
    else:
        ids = set(record.get("finding_ids") or [])
    open_ids = sorted(i for i in ids if i in current)
    resolved = len(ids) - len(open_ids)
    present = item in plan or item in current
    completed = bool(ids) and not open_ids and not present

    rules = [current[i]["rule"] for i in sorted(ids) if i in current]
    if kind == "finding" and not rules and known.get("rule"):
        rules = [known["rule"]]
    risk = _risk_text(rules) or record.get("risk_of_inaction") or ""

    decision = record["decision"]
    revisit = record.get("revisit_quarter")
    decided_on = record["decided_on"].isoformat() if record.get("decided_on") else ""
    original_target = plan[item]["target_quarter"] if item in plan else ""
    due_for_review = decision == "deferred" and (revisit is None or quarter >= revisit)
    by = record.get("decided_by") or ""
    if decision == "declined":
        status = "Declined" + (f" on {decided_on}" if decided_on else "") + (f" by {by}" if by else "")
        if completed:
            status += "; since resolved"
    elif decision == "deferred":
        status = (f"Deferred to {revisit}" if revisit else "Deferred without a revisit quarter") + \
                 (": due for review" if due_for_review else "")
    elif not ids:
        status = "Accepted" if decision == "accepted" else "Marked done"
    elif completed:
        status = (f"Completed: all {len(ids)} findings resolved" if decision == "accepted"
                  else f"Done and verified: all {len(ids)} findings resolved")
    elif decision == "accepted":
        status = f"In progress: {resolved} of {len(ids)} findings resolved"
    else:
        status = f"Marked done, but {len(open_ids)} of {len(ids)} findings are still open"
    return {
        "item_id": item, "item_kind": kind, "title": title, "decision": decision,
        "decided_on": decided_on, "decided_by": by, "note": record.get("note") or "",
        "revisit_quarter": revisit or "",
        "target_quarter": (revisit or original_target) if decision == "deferred" else original_target,
        "original_target_quarter": original_target,
        "due_for_review": due_for_review,
        "risk_of_inaction": risk,
        "finding_ids": sorted(ids),
        "findings_total": len(ids), "findings_open": len(open_ids), "findings_resolved": resolved,
        "still_open": present or bool(open_ids), "completed": completed,
        "carried_forward": was_carried, "first_quarter": record.get("first_quarter") or quarter,
        "status": status,
    }


def apply_deferrals(initiatives: list[dict], decisions: dict) -> list[dict]:
    """The initiatives (render-context dicts) with each decision attached, and deferred ones moved to their
    revisit quarter (never earlier than planned). Optional: call before rendering to move them in the roadmap."""
    by_id = {e["item_id"]: e for key in ("accepted", "declined", "deferred", "done") for e in decisions.get(key, [])}
    result = []
    for item in initiatives:
        entry = by_id.get(text(item.get("initiative_id")).upper())
        item = dict(item, decision=entry["decision"] if entry else "")
        if entry and entry["decision"] == "deferred" and entry["revisit_quarter"] and \
                entry["revisit_quarter"] > (item.get("target_quarter") or ""):
            item["deferred_from"] = item.get("target_quarter") or ""
            item["target_quarter"] = entry["revisit_quarter"]
        result.append(item)
    return result


def decisions_template_csv(client_name: str, initiatives: list, findings: list, *, describe: bool = True) -> bytes:
    """decisions.csv to fill in after the meeting: one row per open recommendation, initiatives first (by rank),
    then the findings no initiative covers (most severe first). ``initiatives`` and ``findings`` are the
    review's (``review.initiatives``, ``review.findings``) or their plain records in the history payload
    (``review.history["initiatives"]``, ``["findings"]``): both give the same file. decision, decided_on, decided_by and
    revisit_quarter are empty; with ``describe`` the note holds the item's title so the sheet is readable
    (overwrite it with the client's reason). UTF-8 with BOM (Excel), CRLF; formula-like text neutralised."""
    plan = [initiative_record(i) for i in initiatives]
    plan.sort(key=lambda i: (i["rank"] if i["rank"] else 10**9))
    records = [finding_record(f) for f in findings]
    subject_of = {f["finding_id"]: f["subject"] for f in records}
    covered = {fid for i in plan for fid in i["finding_ids"]}
    # A low finding no initiative acts on (a PC's warranty date) is information, not a decision to record.
    loose = sorted((f for f in records if f["finding_id"] not in covered and f["severity"] != "low"),
                   key=severity_key)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)

    def row(item_id: str, note: str) -> None:
        writer.writerow([neutralise_formula(client_name), neutralise_formula(item_id), "", "", "",
                         neutralise_formula(note) if describe else "", ""])

    for item in plan:
        subjects = sorted({subject_of[f] for f in item["finding_ids"] if subject_of.get(f)}, key=str.casefold)
        shown = ", ".join(subjects[:TEMPLATE_SUBJECTS]) + (
            f" and {len(subjects) - TEMPLATE_SUBJECTS} more" if len(subjects) > TEMPLATE_SUBJECTS else "")
        named = len(subjects) == 1 and subjects[0] in item["title"]
        row(item["initiative_id"], f"{item['title']} (covers {shown})" if shown and not named else item["title"])
    for finding in loose:
        row(finding["finding_id"], f"{finding['title']} - {finding['subject']}" if finding["subject"] else finding["title"])
    return buffer.getvalue().encode("utf-8-sig")
