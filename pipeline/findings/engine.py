"""Run every rule over one client, apply the client's exceptions, count data gaps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from ..config import Settings
from ..quarters import Quarter
from ..model import ClientData
from .finding import Finding, RuleContext
from ..catalog.lifecycle import LifecycleCatalog
from ..catalog.os_identity import identify_os
from ..catalog.prices import PriceBook
from .rules import licensing, lifecycle, security

Rule = Callable[[ClientData, RuleContext], list[Finding]]
RULES: tuple[Rule, ...] = (
    lifecycle.os_end_of_support,
    lifecycle.hardware_age,
    lifecycle.warranty,
    lifecycle.confirm_disposal,
    licensing.renewals,
    licensing.license_waste,
    security.endpoint_protection,
    security.mfa,
    security.backup,
)


@dataclass
class FindingSet:
    findings: list[Finding]
    excluded: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, reason)
    data_gaps: dict[str, int] = field(default_factory=dict)
    superseded: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, the finding that covers it)

    def counts(self) -> dict[str, dict[str, int]]:
        return {"by_category": dict(Counter(f.category for f in self.findings)),
                "by_severity": dict(Counter(f.severity for f in self.findings))}


def evaluate(client: ClientData, as_of: date, settings: Settings, catalog: LifecycleCatalog) -> FindingSet:
    settings = settings.for_client(client.name)
    ctx = RuleContext(as_of=as_of, settings=settings, catalog=catalog, prices=PriceBook.for_client(settings, client))
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(client, ctx))
    found, superseded = one_remedy_per_device(found, as_of)
    active, excluded = [], []
    for finding in found:
        reason = _exclusion_reason(client, finding, as_of)
        if reason is None:
            active.append(finding)
        else:
            excluded.append((finding, reason))
    active.sort(key=Finding.sort_key)
    return FindingSet(active, excluded, data_gaps(client, catalog), superseded)


def one_remedy_per_device(findings: list[Finding], as_of: date) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """A device being replaced (for its age or its operating system) is not also told to extend its warranty, nor
    to take a feature update in the quarter it is replaced or later: one device, one remedy, and never an update
    and a replacement in the same quarter. The replacement finding lists what it also resolves; the dropped
    findings are kept as superseded (with the id of the finding that covers them), not lost."""
    first = Quarter.of(as_of).next().label  # the earliest quarter work can be planned in
    replacing: dict[str, tuple[str, Finding]] = {}
    for finding in findings:
        if finding.subject_kind == "device" and finding.facts.get("replaces_device"):
            quarter = max(finding.facts.get("plan_quarter") or first, first)
            key = finding.subject.casefold()
            if key not in replacing or quarter < replacing[key][0]:
                replacing[key] = (quarter, finding)
    kept, superseded = [], []
    for finding in findings:
        quarter, cover = replacing.get(finding.subject.casefold(), (None, None)) if finding.subject_kind == "device" \
            else (None, None)
        if cover is not None and cover is not finding and _covered(finding, quarter, first):
            superseded.append((finding, cover.finding_id))
            cover.facts.setdefault("also_resolves", []).append(finding.title)
            continue
        kept.append(finding)
    return kept, superseded


def _covered(finding: Finding, replaced_in: str, first: str) -> bool:
    if finding.rule == "lifecycle.warranty":
        return True  # no extension is worth buying for a device being replaced
    if finding.facts.get("remedy") == "feature_update":
        update_in = max(Quarter.of(finding.due_date).label, first) if finding.due_date else "9999-Q4"
        return replaced_in <= update_in
    return False


def _exclusion_reason(client: ClientData, finding: Finding, as_of: date) -> str | None:
    for exclusion in client.exclusions:
        if exclusion.until is not None and exclusion.until < as_of:
            continue
        if exclusion.subject.strip().casefold() not in {finding.subject.casefold(), "*"}:
            continue
        if (exclusion.rule or "").strip().casefold() in {"*", "", finding.rule, finding.category,
                                                           finding.finding_id.casefold()}:
            return exclusion.reason or "excluded"
    return None


def data_gaps(client: ClientData, catalog: LifecycleCatalog) -> dict[str, int]:
    """What the exports did not tell us: shown so nobody mistakes missing data for good news."""
    gaps = Counter()
    for asset in client.assets:
        if asset.warranty_end is None and asset.device_type not in {"virtual", "mobile"}:
            gaps["devices without a known warranty end"] += 1
        if asset.in_service_since is None:
            gaps["devices without a purchase or install date"] += 1
        if asset.os and asset.device_type not in {"network", "storage", "printer"}:
            status = catalog.status(identify_os(asset.os, asset.os_build))
            if status is None or (status.eol is None and not status.maintained):  # nothing to check against
                gaps["devices whose operating system the lifecycle catalog does not know"] += 1
    no_patch_data = sum(1 for a in client.assets if a.patch_status == "no_data")
    if no_patch_data:
        gaps["devices the RMM has no patch data for (patching not checked)"] += no_patch_data
    if client.users and not any(u.activity_known for u in client.users):
        gaps["tenants without an activity report (inactive licences not checked)"] += 1
    if client.users and all(u.mfa_registered is None for u in client.users):
        gaps["tenants without an MFA registration export (MFA not checked)"] += 1
    if any(a.device_type == "server" for a in client.assets) and not any(a.last_backup or a.backup_status for a in client.assets):
        gaps["servers without backup data (backups not checked)"] += sum(1 for a in client.assets if a.device_type == "server")
    return dict(gaps)
