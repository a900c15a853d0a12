"""Run every rule over one client, apply the client's exceptions, count data gaps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from ..config import Settings
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

    def counts(self) -> dict[str, dict[str, int]]:
        return {"by_category": dict(Counter(f.category for f in self.findings)),
                "by_severity": dict(Counter(f.severity for f in self.findings))}


def evaluate(client: ClientData, as_of: date, settings: Settings, catalog: LifecycleCatalog) -> FindingSet:
    settings = settings.for_client(client.name)
    ctx = RuleContext(as_of=as_of, settings=settings, catalog=catalog, prices=PriceBook.for_client(settings, client))
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(client, ctx))
    active, excluded = [], []
    for finding in found:
        reason = _exclusion_reason(client, finding, as_of)
        if reason is None:
            active.append(finding)
        else:
            excluded.append((finding, reason))
    active.sort(key=Finding.sort_key)
    return FindingSet(active, excluded, data_gaps(client, catalog))


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
    if client.users and not any(u.activity_known for u in client.users):
        gaps["tenants without an activity report (inactive licences not checked)"] += 1
    if client.users and all(u.mfa_registered is None for u in client.users):
        gaps["tenants without an MFA registration export (MFA not checked)"] += 1
    if any(a.device_type == "server" for a in client.assets) and not any(a.last_backup or a.backup_status for a in client.assets):
        gaps["servers without backup data (backups not checked)"] += sum(1 for a in client.assets if a.device_type == "server")
    return dict(gaps)
