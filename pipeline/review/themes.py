"""Initiatives the way a vCIO presents them: one per theme per client, each with the full list it covers.

Every finding with a cost belongs to exactly one initiative, and a device is never in two initiatives that
contradict each other: a device being replaced takes its other lifecycle findings (an end of support, a lapsed
warranty) into the replacement, and an update planned for the quarter it is replaced in is dropped into it.
Each item's one-time cost is budgeted in its own quarter, so a phased initiative shows its phasing and the
budget is the sum of the initiatives' schedules.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..findings.finding import SEVERITY_RANK, Finding
from ..model import SERVER_LIKE, ClientData, Goal
from ..quarters import Quarter
from ..wording import Wording
from . import phrases
from .model import CoveredItem, Initiative

PHASES = (("0-6 months", 6), ("6-18 months", 18), ("18-36 months", 36))


@dataclass(frozen=True)
class Theme:
    order: int  # cost precedence: a device's costs go to the first theme (lowest order) that claims it
    category: str  # budget line for one-time costs
    tags: tuple[str, ...]  # goal tags it serves
    metric: str  # success metric, formatted with {quarter} and {date}


THEMES: dict[str, Theme] = {
    "server_migration": Theme(1, "Hardware", ("continuity", "security", "compliance"),
                              "No production workload on an unsupported server operating system by the end of {quarter}"),
    "windows_replacement": Theme(2, "Hardware", ("security", "compliance", "productivity"),
                                 "No device on an unsupported operating system by the end of {quarter}"),
    "infrastructure_refresh": Theme(3, "Hardware", ("continuity", "productivity"),
                                    "No server, network or storage device past its replacement age by the end of "
                                    "{quarter}"),
    "hardware_refresh": Theme(3, "Hardware", ("productivity", "continuity"),
                              "No device older than its replacement age by the end of {quarter}"),
    "refresh_forecast": Theme(3, "Hardware", ("productivity", "continuity"),
                              "Each device replaced in the quarter it reaches its replacement age, through {quarter}"),
    "os_update": Theme(4, "Projects", ("security", "compliance"),
                       "Every PC on a supported Windows release by the end of {quarter}"),
    "legacy_isolation": Theme(5, "Projects", ("security", "compliance"),
                              "Every line-of-business device isolated, with a vendor upgrade date agreed by {quarter}"),
    "warranty_support": Theme(5, "Hardware", ("continuity",),
                              "Every server and network device under warranty or support by the end of {quarter}"),
    "disposal": Theme(6, "Projects", ("compliance", "security"),
                      "Every retired device wiped, disposed of and removed from the register by {quarter}"),
    "endpoint_security": Theme(7, "Projects", ("security", "compliance"),
                               "100% of devices protected, patched and reporting"),
    "mfa_rollout": Theme(8, "Projects", ("security", "compliance", "remote-work"),
                         "100% of users who sign in registered for MFA"),
    "backup_coverage": Theme(9, "Projects", ("continuity", "compliance"),
                             "Every server with a successful backup in the last 7 days and a quarterly test restore"),
    "licence_cleanup": Theme(10, "Licensing", ("cost",),
                             "Seats purchased = seats in use at the {date} renewal"),
    "renewals": Theme(11, "Contracts", ("cost", "continuity"),
                      "Every renewal reviewed and decided before its date"),
    "other": Theme(12, "Projects", (), "Every finding resolved by the end of {quarter}"),
}
REPLACEMENTS = ("server_migration", "windows_replacement", "infrastructure_refresh", "hardware_refresh",
                "refresh_forecast")
# The MSP's own work under its agreement: on the plan, with no client-side owner and no client decision.
MSP_WORK = frozenset({"disposal", "endpoint_security"})


def theme_for(finding: Finding, replacement_price: float) -> str | None:
    """The theme a finding belongs to; None for a finding no initiative acts on (a PC's warranty date)."""
    facts, rule, category = finding.facts, finding.rule, finding.category
    if facts.get("retired") or category == "disposal":
        return "disposal"
    if rule == "lifecycle.os_end_of_support":
        remedy = facts.get("remedy")
        if remedy == "migrate":
            return "server_migration"
        if remedy == "isolate":
            return "legacy_isolation"
        if remedy in {"feature_update", "upgrade", "ltsc_upgrade"}:
            return "os_update"
        if remedy == "upgrade_or_replace" and (finding.estimated_cost or 0) < replacement_price:
            return "os_update"  # a young device upgraded in place (labour only)
        return "windows_replacement"
    if category == "end_of_life":
        return "windows_replacement"
    if category == "hardware_age":
        if facts.get("beyond_year"):
            return "refresh_forecast"  # the later years' lifecycle budget, not this year's project
        # Servers and network gear are a project of their own, never hidden inside a laptop refresh.
        return "infrastructure_refresh" if facts.get("device_type") in SERVER_LIKE else "hardware_refresh"
    if category == "warranty":
        important = facts.get("device_type") in SERVER_LIKE
        return "warranty_support" if important or finding.estimated_cost else None
    if rule == "security.mfa_not_registered":
        return "mfa_rollout"
    if category == "security":
        return "endpoint_security"
    if category == "backup":
        return "backup_coverage"
    if category == "license_waste":
        return "licence_cleanup"
    if rule == "renewal.subscription" and facts.get("seats_droppable") and facts.get("committed"):
        return "licence_cleanup"
    if category == "renewal":
        return "renewals"
    return "other" if finding.estimated_cost else None


def planned_quarter(finding: Finding, as_of: date) -> Quarter:
    """The quarter a finding's work (and cost) is planned in: never before the first forecast quarter, except a
    decision with a date (a renewal, a commitment end), which is planned by its date."""
    first = Quarter.of(as_of).next()
    if finding.category in {"renewal", "license_waste"} and finding.due_date is not None:
        # A decision, not spend: it must be taken before its date, even when that date falls this quarter.
        return max(Quarter.of(finding.due_date), Quarter.of(as_of))
    if finding.category == "license_waste":
        return first  # idle or blocked seats with no date to wait for: removed in the first quarter planned
    plan = finding.facts.get("plan_quarter")
    if plan:
        quarter = Quarter.parse(plan)
    elif finding.severity in {"critical", "high"} or (finding.due_date is not None and finding.due_date <= as_of):
        quarter = first
    elif finding.due_date is not None:
        quarter = Quarter.of(finding.due_date)
    elif finding.severity == "medium":
        quarter = first.next(1)
    else:
        quarter = first.next(3)
    return max(quarter, first)


def initiative_id(client: str, theme: str) -> str:
    digest = hashlib.sha1(f"{client.casefold()}|theme|{theme}".encode("utf-8")).hexdigest()[:8]
    return f"INI-{digest.upper()}"


def build_initiatives(client: ClientData, findings: list[Finding], as_of: date, wording: Wording,
                      device_price) -> tuple[list[Initiative], dict[str, tuple[str, str]]]:
    """(initiatives ranked, {finding_id: (initiative_id, planned quarter)})."""
    themed: dict[str, list[Finding]] = defaultdict(list)
    quarters = {f.finding_id: planned_quarter(f, as_of) for f in findings}
    for finding in findings:
        theme = theme_for(finding, device_price(finding.facts.get("device_type") or "other"))
        if theme:
            themed[theme].append(finding)
    _one_theme_per_device(themed, quarters)
    result, placed = [], {}
    for theme, members in sorted(themed.items(), key=lambda kv: THEMES[kv[0]].order):
        if not members:
            continue
        initiative = _initiative(client, theme, members, quarters, as_of, wording)
        result.append(initiative)
        for finding in members:
            placed[finding.finding_id] = (initiative.initiative_id, quarters[finding.finding_id].label)
    result.sort(key=lambda i: (SEVERITY_RANK[i.severity], i.target_quarter, -i.one_time_cost, i.title))
    from dataclasses import replace
    ranked = [replace(item, rank=rank) for rank, item in enumerate(result, start=1)]
    return ranked, placed


def _one_theme_per_device(themed: dict[str, list[Finding]], quarters: dict[str, Quarter]) -> None:
    """A device being replaced is replaced once: its replacement takes its other lifecycle findings."""
    replacing: dict[str, tuple[str, Quarter]] = {}
    for theme in REPLACEMENTS:
        for finding in themed.get(theme, []):
            key = finding.subject.casefold()
            quarter = quarters[finding.finding_id]
            if key not in replacing:
                replacing[key] = (theme, quarter)
            elif replacing[key][0] == theme:
                replacing[key] = (theme, min(replacing[key][1], quarter))
    for theme in (*REPLACEMENTS, "os_update", "warranty_support"):
        kept = []
        for finding in themed.get(theme, []):
            owner = replacing.get(finding.subject.casefold())
            if owner is None or owner[0] == theme or (owner[0] == "refresh_forecast" and theme not in REPLACEMENTS):
                # a replacement years ahead takes no warranty or update that is due before it
                kept.append(finding)
                continue
            # An update planned before the replacement still protects the device meanwhile; anything else
            # (a lapsed warranty, an update in the same quarter, a second replacement) is the replacement's.
            if theme == "os_update" and quarters[finding.finding_id] < owner[1]:
                kept.append(finding)
                continue
            quarters[finding.finding_id] = min(quarters[finding.finding_id], owner[1]) if theme in REPLACEMENTS \
                else owner[1]
            themed[owner[0]].append(finding)
        themed[theme] = kept


def _item(subject: str, members: list[Finding], quarters: dict[str, Quarter], theme: str) -> CoveredItem:
    members = sorted(members, key=lambda f: (SEVERITY_RANK[f.severity], -(f.estimated_cost or 0)))
    main = members[0]
    one_time = max((f.estimated_cost or 0 for f in members if f.cost_kind == "one_time"), default=0.0)
    annual = 0.0
    if theme == "licence_cleanup":
        annual = -sum(f.estimated_cost or 0 for f in members if f.category == "license_waste")
    quarter = min(quarters[f.finding_id] for f in members)
    return CoveredItem(subject=subject, kind=main.subject_kind, detail=main.title, action=main.recommendation,
                       quarter=quarter.label, one_time=round(one_time, 2), annual=round(annual, 2),
                       finding_ids=tuple(f.finding_id for f in members), severity=main.severity)


def _initiative(client: ClientData, theme: str, members: list[Finding], quarters: dict[str, Quarter],
                as_of: date, wording: Wording) -> Initiative:
    by_subject: dict[str, list[Finding]] = defaultdict(list)
    for finding in members:
        by_subject[finding.subject].append(finding)
    items = [_item(subject, group, quarters, theme) for subject, group in by_subject.items()]
    items.sort(key=lambda i: (SEVERITY_RANK[i.severity], i.quarter or "", i.subject.casefold()))
    schedule: dict[str, float] = defaultdict(float)
    for item in items:
        if item.one_time:
            schedule[item.quarter] += item.one_time
    first = min(i.quarter for i in items)
    last = max(i.quarter for i in items)
    severity = min((f.severity for f in members), key=SEVERITY_RANK.__getitem__)
    deadline = _deadline(theme, members, as_of)
    spec = THEMES[theme]
    metric_quarter = max(schedule) if schedule else last
    goal, owner = _goal_for(client, theme)
    if theme in MSP_WORK:
        owner = None
    words = _Words(theme, items, members, wording, _growth_goal(client, as_of))
    return Initiative(
        initiative_id=initiative_id(client.name, theme), kind=theme, rank=0, title=words.title(deadline),
        summary=words.summary(schedule, deadline), severity=severity, phase=_phase(Quarter.parse(first), as_of),
        target_quarter=first, last_quarter=last,
        schedule=tuple((q, round(v, 2)) for q, v in sorted(schedule.items())),
        one_time_cost=round(sum(schedule.values()), 2), annual_recurring=round(sum(i.annual for i in items), 2),
        budget_category=spec.category, deadline=deadline, owner=owner, goal=goal,
        success_metric=wording.spell(_metric(spec.metric, metric_quarter, deadline, last, wording)),
        items=tuple(items), finding_ids=tuple(sorted(f.finding_id for f in members)),
        timing=wording.spell("; ".join(words.timing)),
        renews_at=round(sum(f.estimated_cost or 0 for f in members
                            if f.category == "renewal" and f.cost_kind == "recurring"), 2) if theme == "renewals" else 0.0)


def _growth_goal(client: ClientData, as_of: date) -> Goal | None:
    """The client's nearest goal tagged growth that is still ahead (or undated)."""
    ahead = [g for g in client.goals if "growth" in g.tags and (g.target_date is None or g.target_date >= as_of)]
    return min(ahead, key=lambda g: g.target_date or date.max, default=None)


def _metric(metric: str, quarter: str, deadline: date | None, last: str, wording: Wording) -> str:
    """The success metric; a deadline inside its quarter is the date to meet, not the quarter's end (a server
    whose support ends on Jan 12 is migrated by Jan 12, not by the end of March)."""
    if deadline is not None and deadline < Quarter.parse(quarter).end:
        metric = metric.replace("by the end of {quarter}", "by {date}")
    return metric.format(quarter=quarter, date=wording.day(deadline) if deadline else last)


def _deadline(theme: str, members: list[Finding], as_of: date) -> date | None:
    """A date the work must beat: a commitment end for licences, an end of support still ahead."""
    if theme == "licence_cleanup":
        dates = [f.facts.get("renews_on") or f.due_date for f in members]
    elif theme in {"server_migration", "windows_replacement", "os_update", "legacy_isolation"}:
        # an end of support the work must beat; a replacement age the theme also took on is not a deadline
        dates = [f.due_date for f in members if f.rule == "lifecycle.os_end_of_support"]
    elif theme == "renewals":
        dates = [f.due_date for f in members]
    else:
        return None
    upcoming = [d for d in dates if isinstance(d, date) and d >= as_of]
    return min(upcoming) if upcoming else None


def _phase(quarter: Quarter, as_of: date) -> str:
    months = (quarter.start.year - as_of.year) * 12 + quarter.start.month - as_of.month
    return next((label for label, limit in PHASES if months <= limit), PHASES[-1][0])


_PRIORITY = {"high": 0, "medium": 1, "low": 2}


def _goal_for(client: ClientData, theme: str) -> tuple[str | None, str | None]:
    """(the client's goal this initiative serves, its client-side owner): a goal naming the theme, else the
    highest-priority goal sharing a tag."""
    explicit = [g for g in client.goals if g.initiative and g.initiative.strip().lower() in {theme, *_OLD_KINDS.get(theme, ())}]
    if explicit:
        return explicit[0].goal, explicit[0].owner
    tags = set(THEMES[theme].tags)
    candidates = [g for g in client.goals if tags & set(g.tags)]
    if not candidates:
        return None, None
    candidates.sort(key=lambda g: (_PRIORITY.get((g.priority or "").lower(), 3), -len(tags & set(g.tags))))
    return candidates[0].goal, candidates[0].owner


# goals.csv may name an initiative kind of earlier vcio versions
_OLD_KINDS = {"os_update": ("feature_update", "ltsc_upgrade"), "legacy_isolation": ("legacy_isolation",),
              "disposal": ("asset_disposal",), "licence_cleanup": ("license_rightsize", "license_reduce",
                                                                    "license_cleanup"),
              "renewals": ("contract_renewal",), "warranty_support": ("warranty_cover",)}

class _Words:
    """Titles and summaries: short, specific, in the client's language, never cut."""

    def __init__(self, theme: str, items: list[CoveredItem], members: list[Finding], wording: Wording,
                 growth: Goal | None = None):
        self.theme, self.items, self.members, self.w = theme, items, members, wording
        self.n = len(items)
        self.growth = growth  # the client's nearest growth goal: hires that need the seats a clean-up drops

    def _devices(self) -> str:
        return phrases.devices(self.members, self.w)

    @cached_property
    def timing(self) -> list[str]:
        """When a licence clean-up's seats can go: at each commitment end, or now when billed month to month."""
        if self.theme != "licence_cleanup":
            return []
        w, ends, parts = self.w, self._commitment_ends(), []
        if len(ends) == 1:
            parts.append(f"committed seats can only be dropped at the {w.day(ends[0])} renewal")
        elif ends:
            parts.append("committed seats can only be dropped at their renewals (" + ", ".join(w.day(d) for d in ends)
                         + ")")
        if any(f.facts.get("committed") is False for f in self.members):
            parts.append("seats billed month to month can be dropped now")
        return parts

    def _commitment_ends(self) -> list[date]:
        """The distinct commitment ends a licence clean-up must meet, earliest first."""
        return sorted({f.facts.get("renews_on") or f.due_date for f in self.members
                       if f.facts.get("committed") and (f.facts.get("renews_on") or f.due_date)})

    def _one(self) -> str | None:
        """The subject, when the initiative covers a single item: titles then name it."""
        return self.items[0].subject if self.n == 1 else None

    def title(self, deadline: date | None) -> str:
        w, n = self.w, self.n
        theme = self.theme
        one = self._one()
        if theme == "server_migration":
            return f"Migrate {one or w.count(n, 'server')} off {phrases.systems(self.members)}"
        if theme == "windows_replacement":
            noun = phrases.device_noun(self.members[0])
            return f"Replace {f'{noun} {one}' if one else self._devices()} on {phrases.systems(self.members)}"
        if theme == "infrastructure_refresh":
            if one:
                return f"Replace aging {phrases.device_noun(self.members[0])} {one}"
            return f"Replace aging infrastructure: {self._devices()}"
        if theme == "refresh_forecast":
            years = sorted({item.quarter[:4] for item in self.items})
            span = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
            return f"Budget the {span} refresh of {self._devices()}"
        if theme == "hardware_refresh":
            if one:
                return f"Replace aging {phrases.device_noun(self.members[0])} {one}"
            return f"Replace {w.count(n, 'aging device')}"
        if theme == "os_update":
            noun = "PC" if all(phrases.device_noun(f) == "PC" for f in self.members) else "device"
            return f"Bring {one or w.count(n, noun)} to a supported Windows release"
        if theme == "warranty_support":
            return f"Extend warranty or support on {one or self._devices()}"
        if theme == "legacy_isolation":
            return f"Isolate {one or w.count(n, 'line-of-business device')} and plan the vendor upgrade"
        if theme == "disposal":
            return f"Confirm {one or w.count(n, 'retired device')} {w.plural(n, 'is')} wiped and disposed of"
        if theme == "endpoint_security":
            rules = {f.rule for f in self.members}
            if "security.av_not_running" in rules:
                return f"Restore endpoint protection and patching on {w.count(n, 'device')}"
            if rules == {"security.agent_offline"}:
                return f"Get {w.count(n, 'device')} reporting to the RMM again"
            return f"Bring patching up to date on {w.count(n, 'device')}"  # antivirus is running: say what is not
        if theme == "mfa_rollout":
            admins = sum(1 for f in self.members if f.facts.get("is_admin"))
            extra = f", {admins} of them {w.plural(admins, 'administrator')}" if 0 < admins < n else ""
            who = w.count(n, "administrator") if admins == n else w.count(n, "user")
            return f"Register MFA for {who}{extra}"
        if theme == "backup_coverage":
            return f"Bring {w.count(n, 'server')} under verified backup"
        if theme == "licence_cleanup":
            ends = self._commitment_ends()
            when = (f" before the {w.day(deadline)} renewal" if deadline and len(ends) == 1
                    else f", the first commitment ending {w.day(deadline)}" if deadline else "")
            return w.spell(f"Reclaim unused licences{when}")
        if theme == "renewals":
            last = max((f.due_date for f in self.members if f.due_date), default=None)
            if one:
                return f"Decide on the renewal of {one}" + (f" by {w.day(last)}" if last else "")
            return f"Decide on {w.count(n, 'renewal')}" + (f" due by {w.month(last)}" if last else "")
        return f"Resolve {w.count(n, 'other finding')}"

    def summary(self, schedule: dict[str, float], deadline: date | None) -> str:
        w = self.w
        cost = sum(schedule.values())
        saving = -sum(i.annual for i in self.items)
        parts = []
        if cost:
            if len(schedule) > 1:
                parts.append(f"{w.money(cost)} one-time, phased from {min(schedule)} to {max(schedule)}")
            else:
                parts.append(f"{w.money(cost)} one-time in {next(iter(schedule))}")
        if saving > 0:
            parts.append(f"saves {w.money(saving)} a year")
        if self.theme == "licence_cleanup":
            parts += self.timing
        elif deadline:
            parts.append(f"deadline {w.day(deadline)}")
        head = f"Covers {self._devices() if self.theme in _DEVICE_THEMES else w.count(self.n, _UNITS.get(self.theme, 'item'))}"
        text = head + (": " + "; ".join(parts) if parts else "") + "."
        if self.theme == "licence_cleanup" and self.growth:
            # Seats dropped at a renewal are bought again, at the new price, for the staff a growth goal hires.
            goal = self.growth
            when = f" by {w.day(goal.target_date)}" if goal.target_date else ""
            text += f" Weigh it against the growth goal \u201c{goal.goal}\u201d{when}: keep the seats new staff will need."
        return w.spell(text)


_UNITS = {"mfa_rollout": "user", "licence_cleanup": "item", "renewals": "renewal", "backup_coverage": "server"}
_DEVICE_THEMES = {"server_migration", "windows_replacement", "infrastructure_refresh", "hardware_refresh",
                  "refresh_forecast", "os_update", "warranty_support",
                  "disposal", "endpoint_security", "legacy_isolation"}
