"""The risk register, worst first, each risk naming its worst items in plain words.

One risk per kind of finding and severity, so a critical server is never folded into a row about PCs: Granite
Ridge's two Windows Server 2012 R2 servers read "GRM-ERP01 and GRM-FS01 run Windows Server 2012 R2, without
security fixes since Oct 10, 2023", above the Windows 10 PCs. Risks are ordered by severity, then date, then
score; mitigations (the initiatives covering the risk's findings) by severity.

A device whose unsupported operating system is resolved by its replacement still runs that system until it is
replaced: its superseded end-of-support finding counts in the risk, with the replacement as the mitigation, so
the risk names the same number of PCs as the current state.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date

from ..findings.finding import SEVERITY_RANK, Finding
from ..findings.risk_texts import CATEGORY_IMPACT, DEFAULT_COST_OF_INACTION, RULE_RISKS
from ..wording import Wording
from . import phrases
from .model import Initiative, Risk

RISK_METHOD = ("Each risk groups the findings of one kind and severity (a lapsed warranty apart from one that is ending). Risk score = likelihood (1-5) x impact "
               "(1-5): likelihood comes from the severity (critical 4, high 3, medium 2, low 1), plus 1 when 5 or more "
               "items share the risk; impact is set per kind of risk, plus 1 (up to 5) when it is critical. Band: "
               "15+ high, 8+ medium, below 8 low. The register is ordered by severity, then date, then score.")
_LIKELIHOOD = {"critical": 4, "high": 3, "medium": 2, "low": 1}
_BANDS = {"high": 0, "medium": 1, "low": 2}


EXPOSURE_RULES = frozenset({"lifecycle.os_end_of_support"})  # exposed until the covering replacement is done
DATED_RULES = frozenset({"lifecycle.warranty", "lifecycle.hardware_age"})  # past and ahead are risks apart


def risk_register(client_name: str, findings: list[Finding], plan: list[Initiative], as_of: date,
                  wording: Wording, superseded: list[tuple[Finding, str]] = ()) -> tuple[Risk, ...]:
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    covering: dict[str, Initiative] = {fid: item for item in plan for fid in item.finding_ids}
    for finding in findings:
        if finding.facts.get("beyond_year"):
            continue  # a replacement forecast for the later years is a budget line, not a risk today
        groups[_risk_key(finding, as_of)].append(finding)
    for finding, cover_id in superseded:
        if finding.rule in EXPOSURE_RULES and cover_id in covering:
            groups[_risk_key(finding, as_of)].append(finding)
            covering[finding.finding_id] = covering[cover_id]
    risks = []
    for (rule, severity, lapsed), members in groups.items():
        impact, inaction = RULE_RISKS.get(rule, (CATEGORY_IMPACT.get(members[0].category, 3),
                                                 DEFAULT_COST_OF_INACTION))
        likelihood = min(5, _LIKELIHOOD[severity] + (1 if len(members) >= 5 else 0))
        if severity == "critical":
            impact = min(5, impact + 1)
        score = likelihood * impact
        band = "high" if score >= 15 else "medium" if score >= 8 else "low"
        subjects = sorted({f.subject for f in members}, key=str.casefold)
        initiatives = sorted({covering[f.finding_id].initiative_id: covering[f.finding_id]
                              for f in members if f.finding_id in covering}.values(),
                             key=lambda i: (SEVERITY_RANK[i.severity], i.rank))
        dates = [f.due_date for f in members if f.due_date]
        key = f"{client_name.casefold()}|{rule}|{severity}" + ("|lapsed" if lapsed else "")
        risks.append(Risk(
            risk_id=f"RSK-{hashlib.sha1(key.encode()).hexdigest()[:6].upper()}",
            title=describe(rule, members, as_of, wording), severity=severity, category=members[0].category,
            likelihood=likelihood, impact=impact, score=score, band=band, since=min(dates) if dates else None,
            cost_of_inaction=wording.spell(inaction), mitigations=tuple(i.title for i in initiatives),
            initiative_ids=tuple(i.initiative_id for i in initiatives), finding_count=len(members),
            subjects=tuple(subjects)))
    # Severity first; within it the higher band, then the oldest date: what has been exposed longest.
    risks.sort(key=lambda r: (SEVERITY_RANK[r.severity], _BANDS[r.band], r.since or date.max, -r.score, r.title))
    return tuple(risks)


def _risk_key(finding: Finding, as_of: date) -> tuple[str, str, bool]:
    """One risk per kind and severity; a warranty that has lapsed (or a replacement age reached) is a risk apart
    from one still ahead, so a device still covered is never called out of warranty."""
    lapsed = (finding.rule in DATED_RULES and finding.due_date is not None and finding.due_date < as_of)
    return finding.rule, finding.severity, lapsed


def describe(rule: str, members: list[Finding], as_of: date, wording: Wording) -> str:
    """The risk in plain words: which systems, what is wrong, since when."""
    w = wording
    who, many = phrases.named_or_counted(members, w, "user" if members[0].subject_kind == "user" else None)
    verb = (lambda one, more: more if many else one)
    if rule == "lifecycle.os_end_of_support":
        os_text = phrases.systems(members)
        ends = sorted({f.due_date for f in members if f.due_date})
        eol = ends[0]
        if eol < as_of:
            since = f"since {w.day(eol)}" if len(ends) == 1 else f"the oldest since {w.day(eol)}"
            return f"{who} {verb('runs', 'run')} {os_text}, without security fixes{'' if len(ends) == 1 else ','} {since}"
        if len(ends) > 1:
            return f"{who} {verb('runs', 'run')} {os_text}, which loses support from {w.day(eol)}"
        return f"{who} {verb('runs', 'run')} {os_text}, which loses support on {w.day(eol)}"
    if rule == "lifecycle.hardware_age":
        first = min((f.due_date for f in members if f.due_date), default=None)
        if first is None or first < as_of:
            return f"{who} {verb('is', 'are')} past {verb('its', 'their')} replacement age"
        if many:
            return f"{who} reach their replacement age from {w.day(first)}"
        return f"{who} reaches its replacement age on {w.day(first)}"
    if rule == "lifecycle.warranty":
        end = min(f.due_date for f in members if f.due_date)
        if all(f.facts.get("remedy") == "renew_security_services" for f in members):
            # a firewall's lapse is its threat signatures and firmware, not a repair bill
            services = f"Security services on {who} {'lapsed' if end < as_of else 'end'}"
            first = "the first " if many else ""
            return f"{services} ({first}{'since' if end < as_of else 'from'} {w.day(end)})"
        if end < as_of:
            return f"{who} {verb('is', 'are')} out of warranty ({'since' if not many else 'the first since'} {w.day(end)})"
        return f"Warranties on {who} end from {w.day(end)}" if many else f"Warranty on {who} ends on {w.day(end)}"
    if rule == "security.av_not_running":
        return f"{who} {verb('has', 'have')} no working antivirus or EDR"
    if rule == "security.patch_failed":
        return f"Updates are failing to install on {who}"
    if rule == "security.patches_missing":
        return f"Approved patches are waiting on {who}"
    if rule == "security.reboot_pending":
        return f"{who} {verb('needs', 'need')} a reboot to finish installing updates"
    if rule == "security.no_patch_policy":
        return f"{who} {verb('is', 'are')} under no patch policy: no security updates are installed"
    if rule == "security.agent_offline":
        return f"{who} stopped reporting to the RMM"
    if rule == "security.mfa_not_registered":
        admins = sum(1 for f in members if f.facts.get("is_admin"))
        role = "administrator account" if admins == len(members) else "account"
        who, many = phrases.named_or_counted(members, w, role)
        return f"{who} {verb('has', 'have')} no MFA: one phished password takes {verb('it', 'them')} over"
    if rule == "backup.server_unprotected":
        return f"{who} {verb('has', 'have')} no recent verified backup"
    if rule in {"licensing.blocked_user_licensed", "licensing.inactive_user"}:
        total = sum(f.estimated_cost or 0 for f in members)
        state = "blocked" if rule == "licensing.blocked_user_licensed" else "inactive"
        holds = "holds" if len(members) == 1 else "hold"
        return w.spell(f"{w.count(len(members), f'{state} account')} still {holds} paid licences "
                       f"({w.money(total)} a year)")
    if rule == "licensing.unassigned_seats":
        total = sum(f.estimated_cost or 0 for f in members)
        seats = sum(int(f.facts.get("spare") or 0) for f in members)
        return w.spell(f"{w.count(seats, 'paid seat')} {'is' if seats == 1 else 'are'} not assigned to anyone "
                       f"({w.money(total)} a year)")
    if rule == "renewal.subscription":
        return f"{w.count(len(members), 'subscription')} {'renews' if len(members) == 1 else 'renew'} soon"
    if rule == "renewal.contract":
        return f"{w.count(len(members), 'agreement')} {'ends' if len(members) == 1 else 'end'} soon"
    if len(members) == 1:
        return members[0].title
    return f"{members[0].title} (and {w.count(len(members) - 1, 'similar finding')})"
