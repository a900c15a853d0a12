"""The current state of the estate, what is coming up, and findings grouped for the appendices."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from ..catalog.os_identity import identify_os
from ..findings.rules.lifecycle import replacement_due
from ..findings.finding import SEVERITY_RANK, Finding
from ..findings.rules.licensing import license_usage
from ..model import ClientData
from ..quarters import Quarter
from ..wording import Wording
from .model import (ComingUp, ContractRow, Counted, CurrentState, DeviceRow, FindingGroup, GoalRow, Initiative,
                    LicenceRow, SubscriptionRow, UserRow)

TYPE_LABELS = {"desktop": "Desktops", "laptop": "Laptops", "server": "Servers", "network": "Network",
               "storage": "Storage", "mobile": "Mobile", "printer": "Printers", "virtual": "Virtual", "other": "Other"}
TYPE_ORDER = ("desktop", "laptop", "server", "network", "storage", "virtual", "mobile", "printer", "other")
SUPPORT_ORDER = ("Supported", "Supported (newer than the catalog)", "Ends within 12 months", "Unsupported",
                 "Unknown")
AGE_ORDER = ("< 2 years", "2-4 years", "4-6 years", "6+ years", "Unknown")
WARRANTY_ORDER = ("In warranty", "Expires within 90 days", "Expired", "Unknown")
_NOUNS = {"desktop": "PC", "laptop": "laptop", "server": "server", "network": "network device",
          "storage": "storage device", "virtual": "virtual machine", "mobile": "mobile device", "printer": "printer",
          "other": "device"}


def support_label(status, as_of: date, on_newest_release: bool = False) -> str:
    """Support status of a device's operating system against the catalog. Support runs through the end date
    itself, as in the findings. A device on the newest feature release the catalog knows is supported even
    when that release's end date is near: its next feature update is routine service, not a risk."""
    if status is None:
        return "Unknown"
    if getattr(status, "newer_than_catalog", False):
        return "Supported (newer than the catalog)"
    if status.eol is None:
        return "Supported" if status.maintained else "Unknown"
    if status.eol < as_of:
        return "Unsupported"
    if on_newest_release:
        return "Supported"
    if (status.eol - as_of).days <= 365:
        return "Ends within 12 months"
    return "Supported"


def current_state(client: ClientData, as_of: date, settings, catalog, initiatives: list[Initiative],
                  wording: Wording) -> CurrentState:
    by_device = {item.subject.casefold(): i.title for i in initiatives for item in i.items if item.kind == "device"}
    support, os_counts, ages, warranty = Counter(), Counter(), Counter(), Counter()
    devices = []
    for asset in client.assets:
        status = None
        on_newest = False
        label = "Not reported"
        if asset.os:
            identity = identify_os(asset.os, asset.os_build)
            status = catalog.status(identity)
            label = (status.release_label if status else None) or identity.label or asset.os
            on_newest = bool(status and status.feature_update_only and catalog.newer_release(identity) is None)
        os_counts[label] += 1
        state = support_label(status, as_of, on_newest)
        if asset.device_type in {"network", "storage", "printer"} and status is None:
            state = "Unknown"
        support[state] += 1
        since = asset.in_service_since
        years = round((as_of - since).days / 365.25, 1) if since else None
        ages["Unknown" if years is None else "< 2 years" if years < 2 else "2-4 years" if years < 4
             else "4-6 years" if years < 6 else "6+ years"] += 1
        end = asset.warranty_end
        cover = ("Unknown" if end is None else "Expired" if end < as_of else
                 "Expires within 90 days" if (end - as_of).days <= settings.thresholds.warranty_expiring_days
                 else "In warranty")
        warranty[cover] += 1
        devices.append(DeviceRow(
            hostname=asset.name, device_type=asset.device_type, os=label, support=state,
            end_of_support=status.eol if status else None, in_service_since=since, age_years=years,
            warranty_end=end, warranty=cover, replacement_due=replacement_due(asset, settings),
            serial=asset.serial, model=asset.model,
            last_seen=asset.last_seen.date() if asset.last_seen else None,
            sources=", ".join(asset.tools), initiative=by_device.get(asset.name.casefold(), ""),
            os_source=(asset.provenance.get("os") or {}).get("tool", "") if asset.os else ""))
    order = {label: n for n, label in enumerate(("Unsupported", "Ends within 12 months", "Unknown", "Supported",
                                                "Supported (newer than the catalog)"))}
    devices.sort(key=lambda d: (order.get(d.support, 9), d.hostname.casefold()))
    by_type = Counter(a.device_type for a in client.assets)
    return CurrentState(
        devices_by_type=tuple(Counted(TYPE_LABELS.get(t, t), by_type[t]) for t in TYPE_ORDER if by_type.get(t)),
        operating_systems=tuple(Counted(k, v) for k, v in os_counts.most_common()),
        support_status=tuple(Counted(k, support[k]) for k in SUPPORT_ORDER if support.get(k)),
        age_buckets=tuple(Counted(k, ages[k]) for k in AGE_ORDER if ages.get(k)),
        warranty_status=tuple(Counted(k, warranty[k]) for k in WARRANTY_ORDER if warranty.get(k)),
        devices=tuple(devices), licences=_licences(client), subscriptions=_subscriptions(client),
        contracts=tuple(ContractRow(c.name, c.type or "", c.start_date, c.end_date, c.no_end, c.monthly_amount)
                        for c in client.contracts if not c.cancelled),
        users=tuple(_user(u) for u in client.users),
        monthly_subscriptions=round(sum(s.monthly_value or 0 for s in client.subscriptions if s.active), 2))


def _licences(client: ClientData) -> tuple[LicenceRow, ...]:
    rows = []
    for entry in sorted(license_usage(client).values(), key=lambda e: -max(e["purchased"], e["assigned"])):
        subs = entry["subscriptions"]
        price = next((s.price for s in subs if s.price is not None), None)
        renews = min((s.renews_on for s in subs if s.renews_on), default=None)
        rows.append(LicenceRow(entry["product"], entry["purchased"] if subs else None, entry["assigned"],
                               max(0, entry["purchased"] - entry["assigned"]) if subs else None, price, renews))
    return tuple(rows)


def _subscriptions(client: ClientData) -> tuple[SubscriptionRow, ...]:
    return tuple(SubscriptionRow(s.product, s.quantity, s.billing_term or "", s.renews_on, s.monthly_value)
                 for s in client.subscriptions if s.active)


def _user(user) -> UserRow:
    status = "blocked" if user.blocked else ("guest" if user.is_guest else "active")
    mfa = "not reported" if user.mfa_registered is None else ("registered" if user.mfa_registered else "not registered")
    return UserRow(user.upn, user.display_name or "", ", ".join(user.licenses), status, user.last_activity,
                   user.activity_known, mfa)


def coming_up(findings: list[Finding], as_of: date, wording: Wording) -> tuple[ComingUp, ...]:
    """Dates in the rest of this quarter and the next two: renewals and commitments one by one, warranty ends
    and ends of support grouped ("17 PC warranties end between Dec 2026 and Feb 2027")."""
    limit = Quarter.of(as_of).next(2).end
    w = wording
    items: list[ComingUp] = []
    grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.due_date is None or not (as_of <= f.due_date <= limit):
            continue
        if f.category == "renewal":
            committed = bool(f.facts.get("committed"))
            kind = "Commitment" if committed else "Renewal"
            value = f.estimated_cost if f.cost_kind == "recurring" else None
            items.append(ComingUp(f.due_date, f.due_date, w.spell(f.title), kind, value))
        elif f.category == "warranty":
            grouped[("Warranty", _NOUNS.get(f.facts.get("device_type") or "other", "device"))].append(f)
        elif f.category == "end_of_life":
            grouped[("End of support", str(f.facts.get("os") or f.title))].append(f)
    for (kind, key), members in grouped.items():
        first = min(f.due_date for f in members)
        last = max(f.due_date for f in members)
        n = len(members)
        if kind == "Warranty":
            if n == 1:
                text = f"Warranty on {members[0].subject} ends"  # the date is the row's own column
            else:
                if first == last:
                    when = f"on {w.day(first)}"
                elif (first.year, first.month) == (last.year, last.month):
                    when = f"in {w.month(first)}"
                else:
                    when = f"between {w.month_range(first, last)}"
                text = f"{n} {key} warranties end {when}"
        else:
            who = members[0].subject if n == 1 else w.count(n, "device")
            text = f"{key} reaches end of support ({who})"
        items.append(ComingUp(first, last, text, kind, None))
    items.sort(key=lambda i: (i.first, i.text))
    return tuple(items)


def finding_groups(findings: list[Finding], placed: dict[str, tuple[str, str]], plan: list[Initiative],
                   wording: Wording, budgeted: dict[str, float | None]) -> tuple[FindingGroup, ...]:
    """One line per kind of finding, with its count: the appendix of the deck and the roadmap."""
    titles = {i.initiative_id: i.title for i in plan}
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.category, f.rule, _group_key(f))].append(f)
    rows = []
    for (category, rule, key), members in groups.items():
        severity = min((f.severity for f in members), key=SEVERITY_RANK.__getitem__)
        one_time = sum(budgeted.get(f.finding_id) or 0 for f in members if f.cost_kind == "one_time")
        annual = sum(budgeted.get(f.finding_id) or 0 for f in members if f.cost_kind == "recurring")
        initiative_ids = {placed[f.finding_id][0] for f in members if f.finding_id in placed}
        rows.append(FindingGroup(category, severity, wording.spell(_group_text(rule, key, members, wording)),
                                 len(members), round(one_time, 2), round(annual, 2),
                                 "; ".join(sorted(titles[i] for i in initiative_ids))))
    rows.sort(key=lambda g: (SEVERITY_RANK[g.severity], -g.count, g.text))
    return tuple(rows)


def _group_key(finding: Finding) -> str:
    facts = finding.facts
    if finding.category == "end_of_life":
        return f"{facts.get('device_type')}|{facts.get('os')}"
    if finding.category in {"hardware_age", "warranty"}:
        return f"{facts.get('device_type')}"
    if finding.category == "license_waste":
        return str(facts.get("product") or "")
    if finding.category == "renewal":
        return finding.subject
    return ""


def _group_text(rule: str, key: str, members: list[Finding], w: Wording) -> str:
    n = len(members)
    first = members[0]
    if n == 1:
        return f"{first.title} ({first.subject})" if first.subject not in first.title else first.title
    device_type, _, os_label = key.partition("|")
    noun = _NOUNS.get(device_type or "other", "device")
    if rule == "lifecycle.os_end_of_support":
        eol = min(f.due_date for f in members if f.due_date)
        return f"{w.count(n, noun)} on {os_label} (end of support {w.day(eol)})"
    if rule == "lifecycle.hardware_age":
        return f"{w.count(n, noun)} at or near replacement age"
    if rule == "lifecycle.warranty":
        return f"{w.count(n, noun)} out of warranty or about to be"
    if rule == "licensing.inactive_user":
        return f"{w.count(n, 'inactive user')} holding paid licences"
    if rule == "licensing.blocked_user_licensed":
        return f"{w.count(n, 'blocked account')} holding paid licences"
    if rule == "security.mfa_not_registered":
        return f"{w.count(n, 'user')} without MFA"
    if rule == "security.av_not_running":
        return f"{w.count(n, 'device')} without working antivirus or EDR"
    if rule == "security.patches_missing":
        return f"{w.count(n, 'device')} with approved patches waiting"
    if rule == "security.patch_failed":
        return f"{w.count(n, 'device')} failing to install patches"
    if rule == "security.reboot_pending":
        return f"{w.count(n, 'device')} waiting for a reboot"
    if rule == "security.agent_offline":
        return f"{w.count(n, 'device')} not reporting to the RMM"
    if rule == "backup.server_unprotected":
        return f"{w.count(n, 'server')} without a recent backup"
    return f"{first.title} (and {w.count(n - 1, 'similar finding')})"


def goal_rows(client: ClientData, plan: list[Initiative]) -> tuple[GoalRow, ...]:
    return tuple(GoalRow(g.goal, g.target_date, g.owner, g.success_metric, g.priority,
                         tuple(i.title for i in plan if i.goal == g.goal)) for g in client.goals)
