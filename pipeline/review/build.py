"""Build one client's review: the findings rolled up into what the documents say, computed once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..config import Settings
from ..findings.engine import FindingSet
from ..findings.finding import SEVERITY_RANK, SEVERITIES
from ..model import ClientData
from ..quarters import CADENCES, Quarter, next_review
from ..wording import Wording
from .coverage import provided, source_coverage
from .grades import GRADE_METHOD, area_grades
from .model import (Change, Changes, ClientReview, DataSource, DecisionNeeded, Method, Msp, Party, RecordedDecision,
                    ReviewFinding, Summary)
from .money import build_budget, money_method
from .risks import RISK_METHOD, risk_register
from .state import coming_up, current_state, finding_groups, goal_rows
from .themes import MSP_WORK, build_initiatives

CATALOG_STALE_DAYS = 90
OBSERVATION_SOURCES = ("report date", "newest timestamp")  # how an export's observation date was read


@dataclass
class RunFacts:
    """What the runner knows beyond one client: the period, the input files touching it, the catalog."""

    quarter: str
    as_of: date
    vcio_version: str
    files: list[dict] = field(default_factory=list)  # manifest-shaped reports of the files with this client's rows
    catalog_snapshot: str = ""
    catalog_warning: str | None = None  # the catalog is far older than the review date
    data_dates: list[dict] = field(default_factory=list)  # per source: observed from/to, stale, differs (freshness.py)
    profile_titles: dict[str, str] = field(default_factory=dict)  # format name -> what the export is


def build_review(client: ClientData, result: FindingSet, settings: Settings, catalog, facts: RunFacts,
                 history=None) -> ClientReview:
    """The review of one client. `history` is the client's ClientHistory view (earlier quarters), or None."""
    from ..history import changes_context, decisions_context

    settings = settings.for_client(client.name)
    wording = Wording.from_settings(settings)
    as_of = facts.as_of
    findings = result.findings
    plan, placed = build_initiatives(client, findings, as_of, wording, settings.prices.device)
    have = provided(client)
    previous = _previous_grades(history)
    scorecard = area_grades(client, findings, have, as_of, wording, previous)
    risks = risk_register(client.name, findings, plan, as_of, wording, result.superseded)
    budget = build_budget(client, plan, as_of, settings)
    changes_dict = changes_context(history, client.name, facts.quarter, findings, scorecard, plan)
    decisions_dict = decisions_context(client.decisions, findings, plan, facts.quarter, history)
    decisions = _recorded(decisions_dict)
    next_quarter = Quarter.of(as_of).next()
    needed = _decisions_needed(plan, decisions_dict, risks, next_quarter, wording)
    state = current_state(client, as_of, settings, catalog, plan, wording)
    budgeted = budgeted_costs(findings, plan)
    reviewed = tuple(ReviewFinding(f, *placed.get(f.finding_id, ("", None)), budgeted.get(f.finding_id))
                     for f in findings)
    party = Party(client.name, wording.possessive(client.name), client.vcio or None, client.tier or None,
                  client.fiscal_year_start, tuple(client.domains), None)
    changes = _changes(changes_dict)
    review = ClientReview(
        client=party, msp=Msp(settings.msp.name or None, settings.msp.contact or None, settings.msp.logo),
        quarter=facts.quarter, next_quarter=next_quarter.label, as_of=as_of, vcio_version=facts.vcio_version,
        review_name=CADENCES.get((client.cadence or "quarterly").lower(), CADENCES["quarterly"]),
        next_review=next_review(client.cadence, Quarter.parse(facts.quarter) if facts.quarter else Quarter.of(as_of),
                                client.fiscal_year_start).label,
        wording=wording, currency=settings.locale.currency,
        summary=_summary(client, findings, scorecard, risks, budget, needed, changes, have, wording),
        coverage=source_coverage(client, wording), scorecard=scorecard, risks=risks, initiatives=tuple(plan),
        budget=budget, decisions_needed=needed, coming_up=coming_up(findings, as_of, wording), changes=changes,
        decisions=decisions, goals=goal_rows(client, plan), current_state=state, findings=reviewed,
        finding_groups=finding_groups(findings, placed, plan, wording, budgeted),
        method=_method(client, result, settings, facts, catalog, budget, wording),
        internal=_internal(client) if settings.msp.internal_view else None)
    from .snapshot import history_payload
    object.__setattr__(review, "history", history_payload(review, changes_dict, decisions_dict))
    return review


def budgeted_costs(findings, plan) -> dict[str, float | None]:
    """What each finding costs in the budget. A device replaced for its age and its operating system is bought
    once: the item's one-time cost sits on the finding that prices it highest, and its other findings carry none,
    so findings.csv and the workbook add up to the budget. Recurring amounts (a licence saving, a renewal's value)
    stay on their own finding."""
    by_id = {f.finding_id: f for f in findings}
    result: dict[str, float | None] = {}
    for finding in findings:
        if finding.estimated_cost is not None and finding.cost_kind == "recurring":
            result[finding.finding_id] = finding.estimated_cost
    for initiative in plan:
        for item in initiative.items:
            priced = [by_id[fid] for fid in item.finding_ids if by_id[fid].cost_kind == "one_time"
                      and by_id[fid].estimated_cost]
            if not priced:
                continue
            carrier = max(priced, key=lambda f: f.estimated_cost)
            result[carrier.finding_id] = item.one_time
    return result


def _lower_first(label: str) -> str:
    """ "Device inventory" -> "device inventory"; "MFA registration" stays."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def top_risk_count(risks) -> int:
    """Three, or every critical risk when there are more: a critical item is always among the top risks."""
    return max(3, sum(1 for r in risks if r.severity == "critical"))


def _previous_grades(history) -> dict[str, float | None] | None:
    previous = getattr(history, "previous", None) if history is not None else None
    if previous is None:
        return None
    return {area: (record or {}).get("percent") for area, record in (previous.grades or {}).items()}


def _recorded(decisions: dict) -> tuple[RecordedDecision, ...]:
    rows = []
    for key in ("declined", "deferred", "accepted", "done"):
        for item in decisions.get(key) or []:
            decided = item.get("decided_on")
            rows.append(RecordedDecision(
                item_id=item["item_id"], title=item.get("title") or item["item_id"], decision=key,
                decided_on=date.fromisoformat(decided) if decided else None, decided_by=item.get("decided_by") or None,
                note=item.get("note") or "", revisit_quarter=item.get("revisit_quarter") or None,
                due_for_review=bool(item.get("due_for_review")), risk_of_inaction=item.get("risk_of_inaction") or "",
                status=item.get("status") or "", completed=bool(item.get("completed"))))
    return tuple(rows)


def settled_items(decisions: dict) -> set[str]:
    """Items the client already decided on: not asked again, unless a deferral has come due."""
    settled = {d.get("item_id") for key in ("accepted", "declined", "done") for d in decisions.get(key) or []}
    settled |= {d.get("item_id") for d in decisions.get("deferred") or [] if not d.get("due_for_review")}
    return settled


def _decisions_needed(plan, decisions: dict, risks, next_quarter: Quarter,
                      wording: Wording) -> tuple[DecisionNeeded, ...]:
    settled = settled_items(decisions)
    critical = {iid for r in risks if r.severity == "critical" for iid in r.initiative_ids}
    rows = []
    for item in plan:
        if item.initiative_id in settled:
            continue
        spend = item.spend_in(next_quarter.label)
        due_soon = item.deadline is not None and item.deadline <= next_quarter.end
        saving_due = item.annual_saving > 0 and item.deadline is not None and item.deadline <= next_quarter.next().end
        if item.initiative_id not in critical and item.kind in MSP_WORK:
            continue  # the MSP's own work under the agreement: on the plan, not a client decision
        if not (item.initiative_id in critical or spend or due_soon or saving_due or item.kind == "mfa_rollout"):
            continue
        if item.initiative_id in critical:
            why = "Critical: the risk is open today"
        elif item.kind == "licence_cleanup" and item.deadline:
            why = wording.spell(f"Seats can only be dropped at the {wording.day(item.deadline)} renewal")
        elif due_soon:
            why = f"Must be done before {wording.day(item.deadline)}"
        elif spend:
            why = f"Work and spend start in {next_quarter.label}"
        else:
            why = f"Work starts in {next_quarter.label}"
        value = item.renews_at
        rows.append(DecisionNeeded(item.initiative_id, item.title, item.severity, why, round(spend, 2),
                                   item.one_time_cost, item.annual_saving, item.deadline, item.owner, round(value, 2),
                                   decision_money(round(spend, 2), item.one_time_cost, item.annual_saving, value,
                                                  next_quarter.label, wording)))
    # Most urgent first: critical risks, then a date that falls before this quarter ends (a contract ending in
    # six weeks cannot wait behind work that has none), then by severity and date.
    this_quarter_ends = next_quarter.start - timedelta(days=1)

    def urgency(d: DecisionNeeded) -> tuple:
        dated = d.deadline if d.deadline is not None and d.deadline <= this_quarter_ends else date.max
        return (d.severity != "critical", dated, SEVERITY_RANK[d.severity], d.deadline or date.max, -d.cost_total,
                d.title)

    rows.sort(key=urgency)
    return tuple(rows)


def decision_money(next_quarter_cost: float, total: float, saving: float, annual_value: float, next_quarter: str,
                   wording: Wording) -> str:
    """What a decision costs, saves or commits to, in one phrase: "$4,000 in 2027-Q1 of $12,000 in all",
    "saves $1,344 a year", "renews at $64,800 a year"."""
    w = wording
    parts = []
    if total:
        if next_quarter_cost and next_quarter_cost != total:
            parts.append(f"{w.money(next_quarter_cost)} in {next_quarter} of {w.money(total)} in all")
        elif next_quarter_cost:
            parts.append(f"{w.money(total)} in {next_quarter}")
        else:
            parts.append(f"{w.money(total)} from a later quarter")
    if saving:
        parts.append(f"saves {w.money(saving)} a year")
    if annual_value:
        parts.append(f"renews at {w.money(annual_value)} a year")
    text = ", ".join(parts) or "no one-time cost"
    return text[0].upper() + text[1:]


def _changes(changes: dict) -> Changes:
    def rows(key: str, status: str) -> tuple[Change, ...]:
        return tuple(Change(status, c["finding_id"], c["title"], c["subject"], c["severity"], c.get("quarters_open", 1))
                     for c in changes.get(key) or [])

    return Changes(first_review=bool(changes.get("first_review")), previous_quarter=changes.get("previous_quarter"),
                   new=rows("new", "new"), resolved=rows("resolved", "resolved"), still_open=rows("open", "open"),
                   completed_initiatives=tuple(i["title"] for i in changes.get("completed_initiatives") or []),
                   trend=tuple(changes.get("grade_trend") or ()), summary=changes.get("summary") or "")


def _summary(client: ClientData, findings, scorecard, risks, budget, needed, changes: Changes, have: dict,
             wording: Wording) -> Summary:
    w = wording
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    devices, users = len(client.assets), sum(1 for u in client.users if not u.is_guest)
    graded = [g for g in scorecard if g.graded]
    if counts["critical"] or any(g.colour == "red" for g in graded):
        colour = "red"
    elif counts["high"] or any(g.colour == "amber" for g in graded):
        colour = "amber"
    elif graded:
        colour = "green"
    else:
        colour = "grey"
    critical_risks = [r for r in risks if r.severity == "critical"]
    if critical_risks:
        status = f"{w.count(len(critical_risks), 'critical risk')} {'needs' if len(critical_risks) == 1 else 'need'} a decision today"
    elif counts["high"]:
        status = "High risks need attention this quarter"
    elif graded:
        status = "No serious risks: keep to the plan"
    else:
        status = "Not enough data was provided to assess this client"
    reviewed = w.join([w.count(devices, "device") if have["devices"] else "",
                       w.count(users, "user") if have["users"] else ""])
    missing = [_lower_first(c.label) for c in source_coverage(client, w) if not c.provided and c.kind != "goals"]
    lines = []
    found = w.count(len(findings), "finding")
    serious = w.join([f"{counts[s]} {s}" for s in ("critical", "high") if counts[s]])
    lines.append(f"We reviewed {reviewed or 'the data provided'}: {found}" + (f", {serious}" if serious else "") + ".")
    if missing:
        lines.append(f"Not provided, so not assessed: {w.join(missing)}.")
    first = budget.quarters[0] if budget.quarters else ""
    lines.append(f"Next 90 days ({first}): {w.money(budget.next_90_days_one_time)} one-time. Next 12 months: "
                 f"{w.money(budget.next_four_total)} in all, of which {w.money(budget.next_four_recurring)} is what "
                 "is already paid for licences and agreements.")
    if budget.annual_savings:
        lines.append(w.spell(f"Licence clean-up saves {w.money(budget.annual_savings)} a year."))
    if needed:
        lines.append(f"{w.count(len(needed), 'decision')} needed today.")
    if changes.first_review:
        lines.append("This first review sets the baseline: the next one will show what changed.")
    elif changes.summary:
        lines.append(changes.summary)
    top = risks[:top_risk_count(risks)]
    return Summary(
        status=status, status_colour=colour, headline=tuple(w.spell(line) for line in lines),
        top_risks=tuple(f"{r.title}. {r.cost_of_inaction}" for r in top[:3]), devices=devices,
        servers=sum(1 for a in client.assets if a.device_type == "server"), users=users,
        licensed_users=sum(1 for u in client.users if u.licenses and not u.is_guest), findings=len(findings),
        by_severity=tuple((s, counts[s]) for s in SEVERITIES), first_review=changes.first_review)


def _method(client: ClientData, result: FindingSet, settings: Settings, facts: RunFacts, catalog, budget,
            wording: Wording) -> Method:
    w = wording
    t, ages = settings.thresholds, settings.hardware.max_age_years
    thresholds = (
        f"Devices are due for replacement at {ages.desktop:g} years (desktops), {ages.laptop:g} (laptops), "
        f"{ages.server:g} (servers), {ages.network:g} (network devices) and {ages.storage:g} (storage).",
        f"An operating system is flagged when its end of support is within {t.eol_low_months} months, and rated "
        f"more urgent within {t.eol_medium_months} months.",
        f"Warranties ending within {t.warranty_expiring_days} days are flagged.",
        f"Subscriptions and agreements ending within {t.renewal_horizon_days} days are listed, and rated more "
        f"urgent within {t.renewal_soon_days} days.",
        w.spell(f"A paid licence counts as unused after {t.inactive_user_days} days without activity."),
        f"A device is flagged when its RMM agent has not reported for {t.agent_offline_days} days, or when "
        f"{t.missing_patches} or more approved patches are waiting.",
        f"Servers need a successful backup within the last {t.backup_max_age_days} days.",
        f"An export whose newest date is more than {t.stale_input_days} days before the review date is reported "
        "as old.",
    )
    snapshot = date.fromisoformat(facts.catalog_snapshot) if facts.catalog_snapshot else None
    note = ""
    if snapshot:
        note = f"End-of-support dates come from the lifecycle catalog dated {w.day(snapshot)}."
        if (facts.as_of - snapshot).days > CATALOG_STALE_DAYS:
            note += (" It is more than 90 days older than this review: releases published since then are not "
                     "in it, and dates may have moved.")
    sources = []
    for f in facts.files:
        title = facts.profile_titles.get(f.get("format") or "", "")
        # A file's modification date says when it was copied, not what it observed: it is not shown.
        observed = f.get("observed_on") if f.get("observed_from") in OBSERVATION_SOURCES else None
        path = str(f.get("path") or "")
        # This client's rows, never the file's total: a shared export's size would tell one client about others.
        sources.append(DataSource(tool=plain_tool_name(title) or "Export", file=path,
                                  rows=int(f.get("rows") or 0), accepted=client.input_rows.get(path, 0),
                                  observed=date.fromisoformat(str(observed)[:10]) if observed else None))
    excluded = tuple(f"{finding.title} ({finding.subject}): {reason}" for finding, reason in result.excluded)
    return Method(grades=w.spell(GRADE_METHOD), risks=RISK_METHOD, money=money_method(budget, settings),
                  thresholds=thresholds, catalog_snapshot=snapshot, catalog_note=note, sources=tuple(sources),
                  excluded=excluded)


def plain_tool_name(title: str) -> str:
    """What a client reads for an export format's title: the tool and what the export holds, without the
    parts only the MSP needs (API paths, script notes, file names in brackets, "UI:")."""
    name = re.sub(r"\s*\([^)]*\)", "", title)
    for marker in (", API", ", flattened", " exported to CSV", ", one row", ": reference data"):
        at = name.find(marker)
        if at > 0:
            name = name[:at]
    name = " ".join(name.replace(" UI: ", " ").split())
    for own in ("vcio canonical ", "vcio "):  # vcio's own input files: named by what they hold
        if name.startswith(own):
            name = name[len(own):]
            return name[:1].upper() + name[1:]
    return name


def _internal(client: ClientData) -> dict:
    rows = []
    for sub in client.subscriptions:
        if not sub.active:
            continue
        price, cost = sub.price, sub.partner_cost
        margin = (price - cost) * sub.quantity if price is not None and cost is not None else None
        rows.append({"product": sub.product, "quantity": sub.quantity, "price": price, "partner_cost": cost,
                     "margin_monthly": round(margin, 2) if margin is not None else None,
                     "margin_percent": round(100 * (price - cost) / price, 1) if margin is not None and price else None})
    return {"subscriptions": rows}
