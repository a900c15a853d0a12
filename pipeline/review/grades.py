"""The scorecard: one grade per area, on one scale (percent, green/amber/red), resting only on data provided.

Each area's score is 100 x (1 - sum of penalties / items assessed): every affected item counts once, at its
worst finding. An open critical finding caps the area at 64%, an open high one at 79%, so no area shows green
while a serious item is open. An area whose data was not provided is "Not assessed", never a colour; one whose
data was partly provided says what was not checked.
"""

from __future__ import annotations

from datetime import date

from ..findings.areas import AREA_LABELS
from ..findings.finding import Finding
from ..model import SERVER_LIKE, ClientData
from ..wording import Wording
from .model import ASSESSED, NOT_ASSESSED, PARTLY, AreaGrade

PENALTY = {"critical": 1.0, "high": 0.75, "medium": 0.4, "low": 0.15}
CAP_CRITICAL, CAP_HIGH = 64.0, 79.0
GREEN, AMBER = 80.0, 50.0
GRADE_METHOD = (
    "Each area's score is 100 x (1 - penalties / items assessed), shown as a percentage: green from 80%, amber "
    "from 50%, red below. Every affected item (device, user or seat) counts once, at its worst finding: critical "
    "1.0, high 0.75, medium 0.4, low 0.15; renewals are dates to plan for and carry no penalty. Lifecycle grades "
    "every device; security grades the devices reporting to the RMM (protection, patching, and an operating "
    "system without security updates) and the users who sign in (MFA); licensing grades seats, and can score no "
    "higher than the share of licence spend that is not wasted; continuity grades servers, network and storage "
    "devices (backups, warranty and support). An open critical finding caps the area at 64%, an open high finding "
    "at 79%. An area is graded only on the data provided: 'Not assessed' when its data is missing, 'Partly "
    "assessed' with what was not checked."
)


def colour_for(percent: float | None) -> str:
    if percent is None:
        return "grey"
    return "green" if percent >= GREEN else "amber" if percent >= AMBER else "red"


def score_for(percent: float) -> int:
    """1-5, kept for the history store; documents show the percentage."""
    return 5 if percent >= 90 else 4 if percent >= 80 else 3 if percent >= 65 else 2 if percent >= 50 else 1


def area_grades(client: ClientData, findings: list[Finding], have: dict[str, bool], as_of: date,
                wording: Wording, previous: dict[str, float | None] | None = None) -> tuple[AreaGrade, ...]:
    """The four areas, in scorecard order. `previous`: last review's percent per area, for the trend."""
    grades = (_lifecycle(client, findings, have, wording), _security(client, findings, have, as_of, wording),
              _licensing(client, findings, have, wording), _continuity(client, findings, have, wording))
    if previous:
        grades = tuple(_with_delta(g, previous.get(g.area)) for g in grades)
    return grades


def _with_delta(grade: AreaGrade, before: float | None) -> AreaGrade:
    from dataclasses import replace

    if grade.percent is None or before is None:
        return grade
    return replace(grade, delta=round(grade.percent - before, 1))


def _graded(area: str, findings: list[Finding], population: int, unit: str, missing: list[str],
            wording: Wording, weigh=None, ceiling: float | None = None) -> AreaGrade:
    label = AREA_LABELS[area]
    if population <= 0:
        return _not_assessed(area, unit, missing or ["nothing to grade"], wording)
    worst: dict[str, float] = {}
    for finding in findings:
        if finding.category == "renewal":
            continue  # a renewal is a date to plan for, not a defect
        weight = PENALTY[finding.severity] * (weigh(finding) if weigh else 1)
        key = finding.subject.casefold()
        worst[key] = max(worst.get(key, 0.0), weight)
    percent = round(max(0.0, 100 * (1 - sum(worst.values()) / population)), 1)
    if ceiling is not None:
        percent = min(percent, round(ceiling, 1))
    severities = {f.severity for f in findings if f.category != "renewal"}
    if "critical" in severities:
        percent = min(percent, CAP_CRITICAL)
    elif "high" in severities:
        percent = min(percent, CAP_HIGH)
    status = PARTLY if missing else ASSESSED
    return AreaGrade(area, label, status, percent, colour_for(percent), population, len(worst), wording.spell(unit),
                     tuple(wording.spell(m) for m in missing), score=score_for(percent))


def _not_assessed(area: str, unit: str, missing: list[str], wording: Wording) -> AreaGrade:
    return AreaGrade(area, AREA_LABELS[area], NOT_ASSESSED, None, "grey", 0, 0, wording.spell(unit),
                     tuple(wording.spell(m) for m in missing))


def _lifecycle(client: ClientData, findings: list[Finding], have: dict[str, bool], wording: Wording) -> AreaGrade:
    if not have["devices"]:
        return _not_assessed("lifecycle", "devices", ["no device inventory"], wording)
    missing = []
    if not have["warranty"]:
        missing.append("warranty dates")
    if not any(a.in_service_since for a in client.assets):
        missing.append("purchase dates (device age)")
    # A retired device nobody confirmed is gone is a lifecycle item too: it may still hold data.
    # A replacement forecast for the later years is planning, not a gap in today's estate.
    relevant = [f for f in findings if f.category in {"end_of_life", "hardware_age", "warranty", "disposal"}
                and not f.facts.get("beyond_year")]
    return _graded("lifecycle", relevant, len(client.assets), "devices", missing, wording)


def _endpoint_gap(client: ClientData) -> str:
    """Why endpoint protection was not checked: no RMM data at all, or an RMM export without those columns."""
    if any("rmm" in a.tools for a in client.assets):
        return "endpoint protection and patching (the RMM export has no antivirus or patch status)"
    return "endpoint protection and patching (no RMM export)"


def _security(client: ClientData, findings: list[Finding], have: dict[str, bool], as_of: date,
              wording: Wording) -> AreaGrade:
    endpoint_gap = _endpoint_gap(client)
    if not have["endpoint"] and not have["mfa"]:
        why = [endpoint_gap, "MFA (no registration export)"]
        return _not_assessed("security", "devices and users", why, wording)
    relevant: list[Finding] = []
    population = 0
    missing = []
    if have["endpoint"]:
        reporting = [a for a in client.assets if a.av_status or a.patch_status or a.patches_missing is not None]
        population += len(reporting)
        relevant += [f for f in findings if f.category == "security" and f.subject_kind == "device"]
        # A device without vendor security updates is a security problem too, not only a lifecycle one.
        relevant += [f for f in findings if f.rule == "lifecycle.os_end_of_support" and f.due_date is not None
                     and f.due_date < as_of and not f.facts.get("retired")]
    else:
        missing.append(endpoint_gap)
    if have["mfa"]:
        population += sum(1 for u in client.users if (u.licenses or u.is_admin) and not u.is_guest and not u.blocked)
        relevant += [f for f in findings if f.rule == "security.mfa_not_registered"]
    else:
        missing.append("MFA (no registration export)")
    unit = "devices and users" if have["endpoint"] and have["mfa"] else ("devices" if have["endpoint"] else "users")
    return _graded("security", relevant, population, unit, missing, wording)


def _licensing(client: ClientData, findings: list[Finding], have: dict[str, bool], wording: Wording) -> AreaGrade:
    licensed = sum(1 for u in client.users if u.licenses and not u.is_guest)
    purchased = sum(s.quantity for s in client.subscriptions if s.active)
    if not have["subscriptions"] and not licensed:
        return _not_assessed("licensing", "seats", ["no subscriptions or licence assignments"], wording)
    missing = []
    if not have["subscriptions"]:
        missing.append("seats purchased (no subscription export)")
    if not have["users"]:
        missing.append("seats assigned (no Microsoft 365 user export)")
    elif not have["activity"]:
        missing.append("inactive users (user names hidden in the activity report)" if client.concealed_activity_rows
                       else "inactive users (no activity report)")
    relevant = [f for f in findings if f.category in {"license_waste", "renewal"}]
    spend = sum((s.monthly_value or 0) * 12 for s in client.subscriptions if s.active)
    waste = sum(f.estimated_cost or 0 for f in relevant if f.category == "license_waste")
    # Half the licence spend wasted is a poor grade however few seats that is.
    ceiling = 100 * (1 - min(1.0, waste / spend)) if spend > 0 else None

    def weigh(finding: Finding) -> float:
        return finding.facts.get("spare", 1) if finding.rule == "licensing.unassigned_seats" else 1

    return _graded("licensing", relevant, max(purchased, licensed), "seats", missing, wording, weigh, ceiling)


def _continuity(client: ClientData, findings: list[Finding], have: dict[str, bool], wording: Wording) -> AreaGrade:
    critical = [a for a in client.assets if a.device_type in SERVER_LIKE]
    if not have["backup"]:
        return _not_assessed("continuity", "servers and network devices", ["backups (no backup report)"], wording)
    relevant = [f for f in findings if f.category == "backup" or (
        f.category in {"end_of_life", "warranty"} and f.facts.get("device_type") in SERVER_LIKE)]
    return _graded("continuity", relevant, len(critical), "servers and network devices", [], wording)
