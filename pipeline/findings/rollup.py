"""Roll findings up into what a client decides on: grades, a risk register, initiatives, a budget.

Pure functions of (client, findings, as-of, configuration); the formulas are printed in
the documents' appendix (see ``GRADE_METHOD`` and ``RISK_METHOD``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..config import Settings
from ..model import ClientData
from ..quarters import Quarter, fiscal_quarter, fiscal_year
from .finding import SEVERITY_RANK, Finding

# ---------------------------------------------------------------- grades
AREAS = {
    "lifecycle": ("end_of_life", "hardware_age", "warranty", "disposal"),
    "security": ("security",),
    "licensing": ("license_waste", "renewal"),
    "continuity": ("backup", "end_of_life", "warranty"),
}
AREA_LABELS = {"lifecycle": "Lifecycle", "security": "Security", "licensing": "Licensing", "continuity": "Continuity"}
PENALTY = {"critical": 1.0, "high": 0.75, "medium": 0.4, "low": 0.15}
CAP_CRITICAL, CAP_HIGH = 64.0, 79.0
GRADE_METHOD = (
    "Each area's score is 100 x (1 - sum of penalties / items assessed). Every affected item (device, user or "
    "seat) counts once, at its worst finding: critical 1.0, high 0.75, medium 0.4, low 0.15; renewals are dates to "
    "plan for and carry no penalty. Items assessed: devices (lifecycle, security; security also counts licensed "
    "users and administrators), purchased or assigned seats (licensing), servers, network and storage devices "
    "(continuity). A device whose operating system no longer gets vendor security updates also counts in security, "
    "at its end-of-support finding's severity. Licensing cannot score above 100 x (1 - share of the annual licence "
    "spend that is waste). An open critical finding caps the area at 64%, an open high "
    "finding at 79%, so no area shows green while a serious item is open. Score 1-5: 90+ = 5, 80+ = 4, 65+ = 3, 50+ = 2, else 1. "
    "Colour: green 80+, amber 50+, red below 50."
)


@dataclass
class Grade:
    area: str
    label: str
    percent: float | None  # None: nothing to assess
    score: int | None
    colour: str  # green | amber | red | grey
    assessed: int
    affected: int


def _score(percent: float) -> int:
    return 5 if percent >= 90 else 4 if percent >= 80 else 3 if percent >= 65 else 2 if percent >= 50 else 1


def colour_for(percent: float | None) -> str:
    if percent is None:
        return "grey"
    return "green" if percent >= 80 else "amber" if percent >= 50 else "red"


def grades(client: ClientData, findings: list[Finding]) -> list[Grade]:
    devices = len(client.assets)
    licensed = sum(1 for u in client.users if u.licenses and not u.is_guest)
    signing_in = sum(1 for u in client.users if (u.licenses or u.is_admin) and not u.is_guest)  # checked for MFA
    seats = max(sum(s.quantity for s in client.subscriptions if s.active), licensed)
    continuity_items = sum(1 for a in client.assets if a.device_type in {"server", "network", "storage"})
    population = {"lifecycle": devices, "security": devices + signing_in, "licensing": seats,
                  "continuity": continuity_items}
    result = []
    for area, categories in AREAS.items():
        relevant = [f for f in findings if f.category in categories]
        if area == "security":
            # A device without vendor security updates is a security defect, not only a lifecycle one.
            relevant += [f for f in findings if f.rule == "lifecycle.os_end_of_support" and f.facts.get("past")]
        if area == "continuity":
            relevant = [f for f in relevant if f.category == "backup" or f.facts.get("device_type") in {"server", "network", "storage"}]
        worst: dict[str, float] = {}
        for finding in relevant:
            weight = PENALTY[finding.severity]
            if finding.rule == "licensing.unassigned_seats":
                weight *= finding.facts.get("spare", 1)  # every idle seat counts
            elif finding.category == "renewal":
                continue  # a renewal is a date to plan for, not a defect
            key = finding.subject.casefold()
            worst[key] = max(worst.get(key, 0.0), weight)
        assessed = population[area]
        if assessed == 0:
            result.append(Grade(area, AREA_LABELS[area], None, None, "grey", 0, 0))
            continue
        percent = round(max(0.0, 100 * (1 - sum(worst.values()) / assessed)), 1)
        if area == "licensing":
            percent = min(percent, _licence_spend_kept(client, findings))
        severities = {f.severity for f in relevant if f.category != "renewal"}
        if "critical" in severities:
            percent = min(percent, CAP_CRITICAL)
        elif "high" in severities:
            percent = min(percent, CAP_HIGH)
        result.append(Grade(area, AREA_LABELS[area], percent, _score(percent), colour_for(percent), assessed, len(worst)))
    return result


def _licence_spend_kept(client: ClientData, findings: list[Finding]) -> float:
    """100 x (1 - annual licence waste / annual licence spend); 100 when the spend is unknown."""
    spend = sum(s.monthly_value * 12 for s in client.subscriptions if s.active and s.monthly_value)
    if spend <= 0:
        return 100.0
    waste = sum(f.estimated_cost or 0 for f in findings if f.category == "license_waste")
    return round(max(0.0, 100 * (1 - waste / spend)), 1)


# ---------------------------------------------------------------- initiatives
@dataclass
class InitiativeKind:
    title: str  # format with {n}, {label}, {date}
    tags: tuple[str, ...]
    metric: str
    category: str  # budget category for one-time costs


KINDS: dict[str, InitiativeKind] = {
    "server_migration": InitiativeKind("Migrate off {label} ({n} server{s})", ("continuity", "security", "compliance"),
                                       "No production workload on {label} by the end of {quarter}", "Hardware"),
    "windows_replacement": InitiativeKind("Replace or upgrade {n} device{s} on {label}", ("security", "compliance", "productivity"),
                                          "0 devices on {label} by the end of {quarter}", "Hardware"),
    "feature_update": InitiativeKind("Apply the Windows 11 feature update on {n} device{s} running {label}", ("security", "compliance"),
                                     "Every Windows 11 device on a supported release by the end of {quarter}", "Projects"),
    "hardware_refresh": InitiativeKind("Replace {n} aging device{s}", ("productivity", "continuity"),
                                       "No device older than its replacement age by the end of {quarter}", "Hardware"),
    "warranty_cover": InitiativeKind("Restore warranty cover on {n} server and network device{s}", ("continuity",),
                                     "Every server and network device under warranty or replaced by {quarter}", "Projects"),
    "ltsc_upgrade": InitiativeKind("Move {n} device{s} from {label} to LTSC 2024", ("security", "compliance"),
                                   "0 devices on {label} by the end of {quarter}", "Projects"),
    "legacy_isolation": InitiativeKind("Isolate {n} line-of-business device{s} on {label} and plan the vendor upgrade",
                                       ("security", "compliance"),
                                       "Every unsupported line-of-business device isolated by the end of {quarter}",
                                       "Projects"),
    "asset_disposal": InitiativeKind("Confirm the disposal of {n} retired device{s}", ("compliance", "security"),
                                     "Every retired device wiped and removed from the register by the end of {quarter}",
                                     "Projects"),
    "license_rightsize": InitiativeKind("Right-size {label} before the {date} renewal", ("cost",),
                                        "Seats purchased = seats in use at the {date} renewal", "Licensing"),
    "license_reduce": InitiativeKind("Remove unused {label} seats", ("cost",),
                                      "Seats purchased = seats in use by the end of {quarter}", "Licensing"),
    "license_cleanup": InitiativeKind("Reclaim licences from {n} departed or inactive user{s}", ("cost",),
                                      "No paid licence on a blocked or 90-day-inactive account", "Licensing"),
    "endpoint_security": InitiativeKind("Restore endpoint protection and patching on {n} device{s}", ("security", "compliance"),
                                        "100% of devices protected, patched and reporting", "Projects"),
    "mfa_rollout": InitiativeKind("Register MFA for {n} user{s}", ("security", "compliance", "remote-work"),
                                  "100% of licensed users registered for MFA", "Projects"),
    "backup_coverage": InitiativeKind("Bring {n} server{s} under verified backup", ("continuity", "compliance"),
                                      "Every server with a successful backup in the last 7 days and a quarterly test restore", "Projects"),
    "contract_renewal": InitiativeKind("Review and renew '{label}' before {date}", ("cost", "continuity"),
                                       "Agreement renewed with an agreed scope before {date}", "Contracts"),
}
# Initiatives that replace hardware claim a device's cost first; a cheaper fix for the same device is then free.
COST_PRECEDENCE = ("server_migration", "windows_replacement", "hardware_refresh", "feature_update", "ltsc_upgrade",
                   "legacy_isolation", "asset_disposal", "warranty_cover",
                   "backup_coverage", "endpoint_security", "mfa_rollout", "license_rightsize", "license_cleanup",
                   "contract_renewal")
SAVINGS_KINDS = {"license_rightsize", "license_cleanup"}
PHASES = (("0-6 months", 6), ("6-18 months", 18), ("18-36 months", 36))


@dataclass
class Initiative:
    initiative_id: str
    kind: str
    title: str
    findings: list[Finding]
    severity: str
    phase: str
    target_quarter: str
    one_time_cost: float
    annual_recurring: float  # positive: new recurring cost; negative: recurring savings
    owner: str
    success_metric: str
    goal: str | None
    rank: int = 0
    subjects: list[str] = field(default_factory=list)
    cost_schedule: dict[str, float] = field(default_factory=dict)  # quarter label -> one-time cost budgeted there


def _initiative_key(finding: Finding) -> tuple[str, str] | None:
    """(kind, scope) of the initiative a finding belongs to; None if it stands alone (a plain renewal)."""
    facts, rule = finding.facts, finding.rule
    if rule == "lifecycle.os_end_of_support":
        if facts.get("remedy") == "feature_update":
            # One initiative per release: a release past its date is work for next quarter, the next one
            # to expire is work (and budget) for the quarter it expires in.
            return "feature_update", facts.get("os", "")
        if facts.get("remedy") == "migrate":
            return "server_migration", facts.get("os", "")
        if facts.get("remedy") == "ltsc_upgrade":
            return "ltsc_upgrade", facts.get("os", "")
        if facts.get("remedy") == "isolate":
            return "legacy_isolation", facts.get("os", "")
        return "windows_replacement", facts.get("os", "")
    if rule == "lifecycle.confirm_disposal":
        return "asset_disposal", "devices"
    if rule == "lifecycle.hardware_age":
        # One refresh programme per client, so its id (and the client's decision on it) survives the
        # quarters; each device's cost is budgeted in its own quarter (Initiative.cost_schedule).
        return "hardware_refresh", "devices"
    if rule == "lifecycle.warranty":
        return ("warranty_cover", "servers") if facts.get("device_type") in {"server", "network", "storage"} else None
    if rule in {"licensing.unassigned_seats", "renewal.subscription"}:
        return "license_rightsize", facts.get("product") or finding.subject
    if rule in {"licensing.blocked_user_licensed", "licensing.inactive_user"}:
        return "license_cleanup", "users"
    if rule == "security.mfa_not_registered":
        return "mfa_rollout", "users"
    if finding.category == "security":
        return "endpoint_security", "devices"
    if finding.category == "backup":
        return "backup_coverage", "servers"
    if rule == "renewal.contract":
        return "contract_renewal", finding.subject
    return None


def initiative_id(client: str, kind: str, scope: str) -> str:
    digest = hashlib.sha1(f"{client.casefold()}|{kind}|{scope.casefold()}".encode("utf-8")).hexdigest()[:8]
    return f"INI-{digest.upper()}"


def _phase_for(severity: str, due: date | None, as_of: date) -> tuple[str, Quarter]:
    current = Quarter.of(as_of)
    if severity in {"critical", "high"} or (due is not None and due <= as_of):
        return PHASES[0][0], current.next()
    if due is not None:
        months = (due.year - as_of.year) * 12 + due.month - as_of.month
        # Work starts next quarter, except where the deadline falls in this one (a renewal on Dec 31
        # cannot be planned for January).
        quarter = max(Quarter.of(due), current)
        phase = next((label for label, limit in PHASES if months <= limit), PHASES[-1][0])
        return phase, quarter
    if severity == "medium":
        return PHASES[1][0], current.next(2)
    return PHASES[2][0], current.next(6)


def initiatives(client: ClientData, findings: list[Finding], as_of: date) -> list[Initiative]:
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        key = _initiative_key(finding)
        if key:
            groups[key].append(finding)
    result = []
    costed: set[str] = set()  # a device's one-time cost is budgeted once, in the first initiative that replaces it
    replacing: dict[str, Initiative] = {}  # device -> the migration/replacement initiative that retires it
    for (kind, scope), members in sorted(groups.items(), key=lambda item: COST_PRECEDENCE.index(item[0][0])):
        if kind == "hardware_refresh":
            # A device already being replaced for its operating system is not refreshed a second time:
            # its age finding joins the initiative that replaces it.
            for f in [f for f in members if f.subject.casefold() in replacing]:
                replacing[f.subject.casefold()].findings.append(f)
                members.remove(f)
            if not members:
                continue
        if kind == "license_rightsize" and not any(
                f.rule == "licensing.unassigned_seats" or f.facts.get("seats_droppable") for f in members):
            continue  # a renewal with nothing to drop is a date on the calendar, not a project
        worst = min(members, key=lambda f: SEVERITY_RANK[f.severity]).severity
        due = min((f.due_date for f in members if f.due_date), default=None)
        phase, quarter = _phase_for(worst, due, as_of)
        if kind in SAVINGS_KINDS and due is None:
            phase, quarter = PHASES[0][0], Quarter.of(as_of).next()  # savings with no date to wait for: take them now
        subjects = sorted({f.subject for f in members}, key=str.casefold)
        one_time: dict[str, float] = {}
        when: dict[str, str] = {}
        for f in members:
            key = f.subject.casefold()
            if f.cost_kind == "one_time" and f.estimated_cost and key not in costed:
                one_time[key] = max(one_time.get(key, 0.0), f.estimated_cost)
                when[key] = max(f.facts.get("plan_quarter") or quarter.label, quarter.label)
        costed.update(one_time)
        schedule: dict[str, float] = defaultdict(float)
        for key, cost in one_time.items():
            schedule[when[key]] += cost
        if kind == "hardware_refresh" and schedule:
            quarter, last = Quarter.parse(min(schedule)), Quarter.parse(max(schedule))
        savings = sum(f.estimated_cost or 0 for f in members if f.category == "license_waste")
        renewal_dates = [f.due_date for f in members if f.category == "renewal" and f.due_date]
        spec = KINDS[kind]
        if kind == "license_rightsize" and not renewal_dates:
            spec = KINDS["license_reduce"]
        label = scope if kind not in {"hardware_refresh", "license_cleanup", "mfa_rollout", "endpoint_security",
                                      "backup_coverage", "warranty_cover", "asset_disposal"} else ""
        date_text = min(renewal_dates).isoformat() if renewal_dates else (due.isoformat() if due else quarter.label)
        words = {"n": len(subjects), "s": "" if len(subjects) == 1 else "s", "label": label, "date": date_text,
                 "quarter": last.label if kind == "hardware_refresh" and schedule else quarter.label}
        result.append(Initiative(
            initiative_id=initiative_id(client.name, kind, scope), kind=kind, title=spec.title.format(**words),
            findings=members, severity=worst, phase=phase, target_quarter=quarter.label,
            one_time_cost=round(sum(one_time.values()), 2), annual_recurring=-round(savings, 2),
            owner=client.vcio or "to be assigned", success_metric=spec.metric.format(**words),
            goal=_goal_for(client, kind), subjects=subjects,
            cost_schedule={q: round(v, 2) for q, v in sorted(schedule.items())}))
        if kind in {"server_migration", "windows_replacement"}:
            replacing.update({s.casefold(): result[-1] for s in subjects})
    result.sort(key=lambda i: (SEVERITY_RANK[i.severity], i.target_quarter, -len(i.findings), i.title))
    for rank, item in enumerate(result, start=1):
        item.rank = rank
    return result


_PRIORITY = {"high": 0, "medium": 1, "low": 2}


def _goal_for(client: ClientData, kind: str) -> str | None:
    """The client's goal this initiative serves: named explicitly, else the highest-priority shared tag."""
    explicit = [g for g in client.goals if g.initiative and g.initiative.strip().lower() == kind]
    if explicit:
        return explicit[0].goal
    tags = set(KINDS[kind].tags)
    candidates = [g for g in client.goals if tags & set(g.tags)]
    if not candidates:
        return None
    candidates.sort(key=lambda g: (_PRIORITY.get((g.priority or "").lower(), 3), -len(tags & set(g.tags))))
    return candidates[0].goal


# ---------------------------------------------------------------- risks
@dataclass
class Risk:
    risk_id: str
    title: str
    category: str
    likelihood: int
    impact: int
    score: int
    band: str
    cost_of_inaction: str
    mitigation: str | None  # initiative title
    finding_count: int
    subjects: list[str]


RISK_TEMPLATES = {
    "lifecycle.os_end_of_support": ("Systems at or near the end of security updates", 4,
                                    "Unsupported systems receive no security fixes: one unpatched flaw can lead to "
                                    "ransomware, data loss and failed compliance checks or cyber-insurance claims."),
    "lifecycle.hardware_age": ("Aging hardware", 2,
                               "Old devices fail more often and slow staff down; unplanned failures cost more than "
                               "planned replacements."),
    "lifecycle.confirm_disposal": ("Retired devices not confirmed disposed of", 2,
                                   "A retired device that still exists may still hold client data and accounts, "
                                   "unpatched and unmonitored."),
    "lifecycle.warranty": ("Devices out of warranty or about to be", 3,
                           "A failed part on an out-of-warranty server or firewall can mean days of downtime "
                           "waiting for parts, at full cost."),
    "renewal.subscription": ("Subscription renewals", 2,
                             "Committed subscriptions renew automatically: seats not reduced before the date are "
                             "paid for another full term."),
    "renewal.contract": ("Agreement renewals", 2, "An agreement that lapses leaves services without cover or terms."),
    "licensing.unassigned_seats": ("Paying for unused licences", 2, "Money spent every month on seats nobody uses."),
    "licensing.blocked_user_licensed": ("Licences on departed users", 2,
                                        "Money spent every month on accounts nobody can sign in to."),
    "licensing.inactive_user": ("Licences on inactive users", 2, "Money spent every month on accounts nobody uses."),
    "security.av_not_running": ("Unprotected endpoints", 5,
                                "An endpoint without working antivirus/EDR is the easiest way in for ransomware."),
    "security.patch_failed": ("Patching failures", 4, "Devices that cannot install updates stay exposed to known attacks."),
    "security.no_patch_policy": ("Devices under no patch policy", 4,
                                 "Updates nobody approves are never installed: known vulnerabilities stay open."),
    "security.reboot_pending": ("Updates waiting for a reboot", 2, "Installed updates do not protect until the device restarts."),
    "security.patches_missing": ("Missing patches", 4, "Known vulnerabilities stay open while patches wait."),
    "security.agent_offline": ("Unmanaged devices", 3, "Devices that stopped reporting are neither patched nor monitored."),
    "security.mfa_not_registered": ("Accounts without MFA", 5,
                                    "Accounts without MFA are taken over with a single phished password; this is the "
                                    "most common cause of business e-mail compromise."),
    "backup.server_unprotected": ("Servers without a verified backup", 5,
                                  "Without a recent backup, a failure or ransomware attack means permanent data loss."),
}
RISK_METHOD = ("Risk score = likelihood (1-5) x impact (1-5). Likelihood comes from the worst finding (critical 4, "
               "high 3, medium 2, low 1), plus 1 when 5 or more findings share the risk; impact is set per risk type, "
               "plus 1 (up to 5) when a finding is critical. Band: 15+ high, 8+ medium, below 8 low.")


def risks(client: ClientData, findings: list[Finding], plan: list[Initiative]) -> list[Risk]:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    mitigation = {f.finding_id: i.title for i in plan for f in i.findings}
    result = []
    for rule, members in by_rule.items():
        title, impact, inaction = RISK_TEMPLATES[rule]
        worst = min(members, key=lambda f: SEVERITY_RANK[f.severity]).severity
        base = {"critical": 4, "high": 3, "medium": 2, "low": 1}[worst]
        likelihood = min(5, base + (1 if len(members) >= 5 else 0))
        if worst == "critical" and impact < 5:
            impact += 1
        score = likelihood * impact
        band = "high" if score >= 15 else "medium" if score >= 8 else "low"
        mitigations = sorted({mitigation[f.finding_id] for f in members if f.finding_id in mitigation})
        subjects = sorted({f.subject for f in members}, key=str.casefold)
        result.append(Risk(
            risk_id=f"RSK-{hashlib.sha1(f'{client.name.casefold()}|{rule}'.encode()).hexdigest()[:6].upper()}",
            title=f"{title} ({len(subjects)})", category=members[0].category, likelihood=likelihood, impact=impact,
            score=score, band=band, cost_of_inaction=inaction, mitigation="; ".join(mitigations) or None,
            finding_count=len(members), subjects=subjects))
    result.sort(key=lambda r: (-r.score, -r.finding_count, r.title))
    return result


# ---------------------------------------------------------------- budget
BUDGET_CATEGORIES = ("Hardware", "Projects", "Licensing", "Contracts")


@dataclass
class Budget:
    quarters: list[str]  # calendar labels "2027-Q1"
    fiscal_labels: list[str]  # "FY2027 Q3"
    rows: dict[str, list[float]]  # category -> amount per quarter
    totals: list[float]
    fiscal_years: dict[str, float]
    one_time_total: float
    recurring_total: float
    potential_annual_savings: float


def budget(client: ClientData, plan: list[Initiative], as_of: date, settings: Settings) -> Budget:
    settings = settings.for_client(client.name)
    count = settings.budget.quarters
    naming = settings.budget.fiscal_year_naming
    escalation = settings.budget.annual_escalation_percent / 100
    first = Quarter.of(as_of).next()
    quarters = [first.next(i) for i in range(count)]
    index = {q.label: i for i, q in enumerate(quarters)}
    rows = {name: [0.0] * count for name in BUDGET_CATEGORIES}
    for item in plan:
        for label, amount in (item.cost_schedule or {item.target_quarter: item.one_time_cost}).items():
            if amount <= 0:
                continue
            position = index.get(label, 0 if label < first.label else None)
            if position is not None:
                rows[KINDS[item.kind].category][position] += amount
    for i, quarter in enumerate(quarters):
        uplift = (1 + escalation) ** (i // 4)
        for sub in client.subscriptions:
            if sub.active and sub.monthly_value and (sub.end_date is None or sub.end_date >= quarter.start) and (
                    sub.start_date is None or sub.start_date <= quarter.end):
                rows["Licensing"][i] += sub.monthly_value * 3 * uplift
        for contract in client.contracts:
            if contract.cancelled or not contract.monthly_amount:
                continue
            if contract.start_date and contract.start_date > quarter.end:
                continue
            # An agreement ending inside the horizon is assumed renewed: the forecast plans for continuity.
            rows["Contracts"][i] += contract.monthly_amount * 3 * uplift
    rows = {k: [round(v, 2) for v in values] for k, values in rows.items()}
    totals = [round(sum(rows[k][i] for k in rows), 2) for i in range(count)]
    fiscal: dict[str, float] = defaultdict(float)
    for i, quarter in enumerate(quarters):
        fiscal[fiscal_year(quarter.start, client.fiscal_year_start, naming)] += totals[i]
    return Budget(
        quarters=[q.label for q in quarters],
        fiscal_labels=[fiscal_quarter(q.start, client.fiscal_year_start, naming) for q in quarters],
        rows=rows, totals=totals, fiscal_years={k: round(v, 2) for k, v in fiscal.items()},
        one_time_total=round(sum(rows["Hardware"]) + sum(rows["Projects"]), 2),
        recurring_total=round(sum(rows["Licensing"]) + sum(rows["Contracts"]), 2),
        potential_annual_savings=round(-sum(i.annual_recurring for i in plan if i.annual_recurring < 0), 2))
