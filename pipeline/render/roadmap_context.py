"""The roadmap's template context: one client's review as plain data, worded for the page.

This is the sandbox boundary: the template reads only what this module returns (dicts, lists, strings,
numbers and booleans), never the review's objects. Every number and sentence comes from the review; cells
are worded with the review's `wording` (money, dates, counts and plurals, en-US/en-GB spelling) and
nothing is computed here that the review does not already say. Colours are fills from a fixed palette, so a
grade or severity cell reads the same in every document.
"""

from __future__ import annotations

import re
from datetime import date

from ..review.model import ClientReview, Initiative
from .deck.slides import grade_text, prepared_by  # worded as the deck words them: one story in both documents

# Light tints with dark text: readable in print and in greyscale, and readable even where a viewer drops
# the cell shading.
GRADE_FILL = {"green": "CDE8DA", "amber": "FBE3B0", "red": "F4C7C3", "grey": "E1E6EC"}
SEVERITY_FILL = {"critical": "F4C7C3", "high": "F9D9BF", "medium": "FBEBC2", "low": "E8ECF1"}
SPEND_FILL, WORK_FILL, NO_FILL = "A8D5CF", "E1F0EE", "FFFFFF"
ROADMAP_QUARTERS = 8  # quarters shown one by one in the quarter roadmap; the rest are "Later"
ARROWS = {1: "\u25b2", -1: "\u25bc", 0: "="}
# Every top-level name of the template context (the template may also read `render`).
CONTEXT_NAMES = ("client", "msp", "prepared_by", "footer", "quarter", "next_quarter", "review_name", "next_review",
                 "as_of", "currency",
                 "vcio_version", "words", "summary", "decisions_needed", "scorecard", "scorecard_trend", "coverage",
                 "estate", "goals", "risks", "roadmap", "initiatives", "budget", "coming_up", "licences", "changes",
                 "decisions", "finding_groups", "covered", "method")


def template_context(review: ClientReview) -> dict:
    """Everything the roadmap template may read, as plain data."""
    w = review.wording
    return {
        "client": {"name": review.client.name, "possessive": review.client.possessive,
                   "vcio": review.client.vcio or "", "tier": review.client.tier or "",
                   "logo": str(review.client.logo or "")},
        "msp": {"name": review.msp.name or "", "contact": review.msp.contact or "",
                "logo": str(review.msp.logo or "")},
        "prepared_by": prepared_by(review),
        "footer": " \u00b7 ".join(p for p in (review.msp.name or "", review.quarter,
                                              f"data as of {w.day(review.as_of)}") if p),
        "quarter": review.quarter,
        "next_quarter": review.next_quarter,
        "review_name": review.review_name,  # "Quarterly business review", or the client's cadence
        "next_review": review.next_review,
        "as_of": w.day(review.as_of),
        "currency": review.currency,
        "vcio_version": review.vcio_version,
        "words": {"licences": w.spell("Licences"), "licence": w.spell("licence")},
        "summary": _summary(review),
        "decisions_needed": [_decision_needed(review, d) for d in review.decisions_needed],
        "scorecard": [_grade(g, w) for g in review.scorecard],
        "scorecard_trend": any(g.delta is not None for g in review.scorecard),
        "coverage": _coverage(review),
        "estate": _estate(review),
        "goals": [_goal(g, w) for g in review.goals],
        "risks": [_risk(r) for r in review.risks],
        "roadmap": _roadmap(review),
        "initiatives": [_initiative(i, w) for i in review.initiatives],
        "budget": _budget(review),
        "coming_up": [_coming(c, w) for c in review.coming_up],
        "licences": [_licence(row, w) for row in review.current_state.licences],
        "changes": _changes(review),
        "decisions": _decisions(review),
        "finding_groups": [_finding_group(g, w) for g in review.finding_groups],
        "covered": [row for row in (_covered(i, w) for i in review.initiatives) if row],
        "method": _method(review),
    }


# --------------------------------------------------------------------------- cover and summary
def _summary(review: ClientReview) -> dict:
    s, w, budget = review.summary, review.wording, review.budget
    return {"status": s.status, "colour": s.status_colour, "fill": GRADE_FILL.get(s.status_colour, GRADE_FILL["grey"]),
            "headline": list(s.headline), "top_risks": list(s.top_risks), "first_review": s.first_review,
            "next_90_days": w.money(budget.next_90_days_one_time), "next_12_months": w.money(budget.next_four_total),
            "devices": s.devices, "users": s.users, "findings": s.findings,
            "findings_text": w.count(s.findings, "finding")}


def _decision_needed(review: ClientReview, decision) -> dict:
    w = review.wording
    return {"title": decision.title, "severity": decision.severity.capitalize(),
            "fill": SEVERITY_FILL[decision.severity], "why": decision.why, "cost": decision.money,
            "deadline": w.day(decision.deadline), "owner": decision.owner or ""}


# --------------------------------------------------------------------------- scorecard and coverage
def _grade(grade, w) -> dict:
    basis = (f"{grade.unit[:1].upper()}{grade.unit[1:]}: {grade.assessed:,} assessed, {grade.affected:,} with "
             "findings") if grade.graded else ""
    missing = w.join(list(grade.missing))
    checked = f"Not checked: {missing}" if missing else ("Assessed" if grade.graded else "Not checked")
    trend = ""
    if grade.delta is not None:
        points = round(grade.delta)
        trend = (f"{ARROWS[(points > 0) - (points < 0)]} {w.count(abs(points), 'point')}" if points
                 else f"{ARROWS[0]} no change")
    return {"label": grade.label, "grade": grade_text(grade), "fill": GRADE_FILL.get(grade.colour, GRADE_FILL["grey"]),
            "status": checked, "basis": basis, "trend": trend}


_NAMES = ("Microsoft", "Entra", "Windows", "Pax8")  # proper names keep their capital inside a sentence


def _lower(label: str) -> str:
    """ "Device inventory" -> "device inventory"; "MFA registration" and "Microsoft 365 users" stay."""
    if label[1:2].isupper() or label.startswith(_NAMES):
        return label
    return label[:1].lower() + label[1:]


def _coverage(review: ClientReview) -> dict:
    w = review.wording
    provided = [_lower(c.label) for c in review.coverage if c.provided]
    missing = [_lower(c.label) for c in review.coverage if not c.provided and c.kind != "goals"]
    line = f"Data coverage: this review rests on {w.join(provided)}." if provided else \
        "Data coverage: no exports were provided for this client."
    if missing:
        line += f" Not provided, so not assessed: {w.join(missing)}."
    rows = [{"label": c.label, "status": "Provided" if c.provided else "Not provided", "detail": c.detail}
            for c in review.coverage]
    return {"line": line, "rows": rows, "complete": not missing}


def _estate(review: ClientReview) -> dict:
    state, w, s = review.current_state, review.wording, review.summary
    columns = (state.devices_by_type, state.support_status, state.warranty_status)
    rows = []
    for n in range(max((len(c) for c in columns), default=0)):
        cells = [(c[n].label, f"{c[n].count:,}") if n < len(c) else ("", "") for c in columns]
        rows.append({"type": cells[0][0], "type_count": cells[0][1], "support": cells[1][0],
                     "support_count": cells[1][1], "warranty": cells[2][0], "warranty_count": cells[2][1]})
    people = []
    if s.users:
        people.append(f"{w.count(s.users, 'user')}, {s.licensed_users:,} with a licence")
    if state.monthly_subscriptions:
        people.append(f"{w.money(state.monthly_subscriptions)} a month in subscriptions")
    return {"rows": rows, "devices": w.count(s.devices, "device"),
            "people": w.spell("; ".join(people) + ".") if people else ""}


# --------------------------------------------------------------------------- goals, risks, initiatives
def _goal(goal, w) -> dict:
    return {"goal": goal.goal, "owner": goal.owner or "", "target": w.day(goal.target_date),
            "metric": goal.success_metric or "", "priority": (goal.priority or "").capitalize(),
            "initiatives": "; ".join(goal.initiatives) or "No initiative yet"}


def _risk(risk) -> dict:
    return {"title": risk.title, "severity": risk.severity.capitalize(), "fill": SEVERITY_FILL[risk.severity],
            "cost_of_inaction": risk.cost_of_inaction,
            "mitigation": "; ".join(risk.mitigations) or "No action planned: monitored at each review"}


def _roadmap(review: ClientReview) -> dict:
    """Quarters across, initiatives as rows, each cell the one-time spend planned in that quarter."""
    w, budget = review.wording, review.budget
    shown = list(budget.quarters[:ROADMAP_QUARTERS])
    later = budget.quarters[ROADMAP_QUARTERS:]
    headers = shown + [""] * (ROADMAP_QUARTERS - len(shown))
    rows = []
    for item in review.initiatives:
        cells = []
        for quarter in headers:
            spend = item.spend_in(quarter) if quarter else 0
            working = bool(quarter) and item.target_quarter <= quarter <= item.last_quarter
            cells.append({"text": w.money(spend) if spend else "",
                          "fill": SPEND_FILL if spend else WORK_FILL if working else NO_FILL})
        beyond = sum(amount for quarter, amount in item.schedule if shown and quarter > shown[-1])
        works_later = bool(shown) and item.last_quarter > shown[-1]
        rows.append({"rank": item.rank, "title": item.title, "cells": cells,
                     "later": {"text": w.money(beyond) if beyond else "",
                               "fill": SPEND_FILL if beyond else WORK_FILL if works_later else NO_FILL},
                     "total": w.money(item.one_time_cost) if item.one_time_cost else ""})
    totals = [w.money(budget.one_time[n]) if n < len(shown) and budget.one_time[n] else "" for n in range(len(headers))]
    later_total = sum(budget.one_time[ROADMAP_QUARTERS:])
    return {"quarters": headers, "later": "Later" if later else "", "rows": rows,
            "totals": totals, "later_total": w.money(later_total) if later_total else "",
            "total": w.money(budget.one_time_total) if budget.one_time_total else ""}


def _initiative(item: Initiative, w) -> dict:
    facts = [("When", item.target_quarter if item.target_quarter == item.last_quarter
              else f"{item.target_quarter} to {item.last_quarter}"),
             ("One-time cost", w.money(item.one_time_cost) if item.one_time_cost else "No one-time cost")]
    if item.phased:
        facts.append(("Phasing", "; ".join(f"{q}: {w.money(a)}" for q, a in item.schedule if a)))
    if item.annual_recurring < 0:
        facts.append(("Saving", f"{w.money(-item.annual_recurring)} a year"))
    elif item.annual_recurring > 0:
        facts.append(("Recurring cost", f"{w.money(item.annual_recurring)} a year"))
    if item.renews_at:
        facts.append(("Renews at", f"{w.money(item.renews_at)} a year"))
    if item.deadline:
        facts.append(("Deadline", w.day(item.deadline)))
    if item.owner:
        facts.append(("Owner", item.owner))
    if item.goal:
        facts.append(("Serves the goal", item.goal))
    facts.append(("Success metric", item.success_metric))
    return {"rank": item.rank, "title": item.title, "summary": item.summary, "severity": item.severity.capitalize(),
            "fill": SEVERITY_FILL[item.severity], "phase": item.phase, "owner": item.owner or "",
            "facts": [{"label": label, "value": value} for label, value in facts]}


# --------------------------------------------------------------------------- money
_CATEGORY_KEYS = {"Hardware": "hardware", "Projects": "projects", "Licensing": "licensing", "Contracts": "contracts"}


def _budget(review: ClientReview) -> dict:
    w, budget = review.wording, review.budget
    fiscal = review.client.fiscal_year_start != 1
    lines = {line.category: line for line in budget.lines}

    def row(label: str, indexes: range) -> dict:
        out = {"quarter": label}
        for category, key in _CATEGORY_KEYS.items():
            line = lines.get(category)
            value = sum(line.amounts[i] for i in indexes) if line else 0
            out[key] = w.money(value) if round(value) else ""
        out["total"] = w.money(sum(budget.totals[i] for i in indexes))
        return out

    def label(i: int) -> str:
        return f"{budget.fiscal_labels[i]} ({budget.quarters[i]})" if fiscal else budget.quarters[i]

    count = len(budget.quarters)
    first = min(4, count)
    return {
        "has_costs": any(budget.totals),
        "fiscal": fiscal,
        "first": [row(label(i), range(i, i + 1)) for i in range(first)],
        "next_12_months_row": row("Next 12 months", range(first)),
        "later": [row(label(i), range(i, i + 1)) for i in range(first, count)],
        "total_row": row(f"All {w.count(count, 'quarter')}" if count > 1 else "Total", range(count)),
        "next_90_days": w.money(budget.next_90_days_one_time),
        "next_90_days_total": w.money(budget.next_90_days_total),
        "next_12_months": w.money(budget.next_four_total),
        "next_12_months_one_time": w.money(budget.next_four_one_time),
        "next_12_months_recurring": w.money(budget.next_four_recurring),
        "horizon": w.count(count, "quarter"),
        "horizon_total": w.money(budget.horizon_total),
        "one_time_total": w.money(budget.one_time_total),
        "recurring_total": w.money(budget.recurring_total),
        "savings": w.spell(f"Licence clean-up saves {w.money(budget.annual_savings)} a year; the forecast does "
                           "not deduct it.") if budget.annual_savings else "",
        "fiscal_years": [{"label": name, "total": w.money(total)} for name, total in budget.fiscal_years],
        # the chart's data, as plain numbers
        "chart": {"labels": list(budget.fiscal_labels if fiscal else budget.quarters),
                  "series": {line.category: list(line.amounts) for line in budget.lines if any(line.amounts)},
                  "totals": list(budget.totals), "totals_text": [w.money_short(t) for t in budget.totals],
                  "symbol": w.currency_symbol},
    }


def _coming(item, w) -> dict:
    when = w.day(item.first) if item.first == item.last else f"{w.day(item.first)} to {w.day(item.last)}"
    return {"when": when, "text": item.text, "kind": item.kind,
            "value": f"{w.money(item.annual_value)} a year" if item.annual_value else ""}


def _licence(row, w) -> dict:
    return {"product": row.product, "purchased": "" if row.purchased is None else f"{row.purchased:,}",
            "assigned": f"{row.assigned:,}", "spare": "" if row.spare is None else f"{row.spare:,}",
            "price": w.money_exact(row.monthly_price), "renews": w.day(row.renews_on)}


# --------------------------------------------------------------------------- changes and decisions
SERIOUS = ("critical", "high")


def _changes(review: ClientReview) -> dict:
    c, w = review.changes, review.wording
    listed = [{"status": label, "title": change.title, "subject": change.subject,
               "severity": change.severity.capitalize(), "fill": SEVERITY_FILL.get(change.severity, NO_FILL)}
              for label, rows in (("New", c.new), ("Resolved", c.resolved)) for change in rows
              if change.severity in SERIOUS]
    long_open = len([change for change in c.still_open if change.quarters_open >= 3])
    # the summary already counts new, resolved and still open: only the long-open ones are said here
    counts = (f"{w.count(long_open, 'finding')} {w.plural(long_open, 'has')} been open for three quarters or "
              "more." if long_open else "")
    return {"first_review": c.first_review, "previous_quarter": c.previous_quarter or "", "summary": c.summary,
            "counts": counts, "completed": list(c.completed_initiatives),
            "rows": listed,
            "note": (f"Critical and high items are listed here; all {w.count(len(c.new) + len(c.resolved), 'change')} "
                     "are listed in the findings workbook.") if c.new or c.resolved else ""}


_DECISION_LABELS = {"declined": "Declined", "deferred": "Deferred", "accepted": "Accepted", "done": "Done"}


def _decisions(review: ClientReview) -> dict:
    w = review.wording
    rows = []
    for d in review.decisions:
        note = [d.note]
        if d.decision == "declined" and d.risk_of_inaction:
            note.append(f"Risk of inaction: {d.risk_of_inaction}")
        elif d.decision == "deferred" and d.revisit_quarter:
            note.append(f"Moved to {d.revisit_quarter}" + (": due for review now" if d.due_for_review else ""))
        elif d.status:
            note.append(d.status)
        rows.append({"decision": _DECISION_LABELS.get(d.decision, d.decision.capitalize()), "title": d.title,
                     "when": ", ".join(p for p in (w.day(d.decided_on), d.decided_by or "") if p),
                     "note": " ".join(p.strip() for p in note if p and p.strip())})
    empty = ("This first review sets the baseline: decisions taken at this review are recorded here from the next "
             "one on." if review.changes.first_review else "No earlier decisions are on record.")
    return {"rows": rows, "empty": empty}


# --------------------------------------------------------------------------- appendix
def _finding_group(group, w) -> dict:
    return {"severity": group.severity.capitalize(), "fill": SEVERITY_FILL[group.severity], "text": group.text,
            "count": f"{group.count:,}", "one_time": w.money(group.one_time) if group.one_time else "",
            "annual": f"{w.money(group.annual)} a year" if group.annual else "",
            "initiative": group.initiative or "No action planned"}


_KIND_NOUNS = {"device": "device", "user": "user account", "subscription": "subscription", "contract": "agreement"}


def _natural(text: str) -> list:
    return [int(part) if part.isdecimal() else part for part in re.split(r"(\d+)", text.casefold())]


def _covered(item: Initiative, w) -> dict | None:
    """What an initiative covers: devices, subscriptions and agreements by name, user accounts counted (their
    addresses are in the findings workbook, not in a document handed around)."""
    if not item.items:
        return None
    by_kind: dict[str, list[str]] = {}
    for covered in item.items:
        by_kind.setdefault(covered.kind, []).append(covered.subject)
    parts, names = [], []
    for kind in ("device", "subscription", "contract", "user"):
        subjects = by_kind.pop(kind, [])
        if subjects:
            parts.append(w.count(len(subjects), _KIND_NOUNS[kind]))
            if kind != "user":
                names.append("; ".join(sorted(subjects, key=_natural)) if kind != "device"
                             else ", ".join(sorted(subjects, key=_natural)))
    for kind, subjects in by_kind.items():
        parts.append(w.count(len(subjects), kind))
    return {"title": item.title, "what": w.join(parts), "names": "; ".join(names)}


def _method(review: ClientReview) -> dict:
    m, w = review.method, review.wording
    sources = [{"tool": s.tool, "observed": w.day(s.observed) if s.observed else "",
                "records": w.count(s.accepted, "record")} for s in m.sources]
    # spelled again here: the method's texts are written in British spelling, and not all of them pass
    # through the wording where the review writes them (spelling en-US text again changes nothing)
    return {"grades": w.spell(m.grades), "risks": w.spell(m.risks), "money": w.spell(m.money),
            "thresholds": [w.spell(t) for t in m.thresholds], "catalog": w.spell(m.catalog_note),
            "sources": sources, "excluded": list(m.excluded),
            "catalog_date": w.day(m.catalog_snapshot) if isinstance(m.catalog_snapshot, date) else ""}
