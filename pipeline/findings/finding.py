"""The Finding record and what every rule shares: stable ids, severities, rule context."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..config import Settings

CATEGORIES = ("end_of_life", "hardware_age", "warranty", "disposal", "renewal", "license_waste", "security", "backup")
SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_ID_PREFIX = {"end_of_life": "EOL", "hardware_age": "AGE", "warranty": "WAR", "disposal": "DSP", "renewal": "REN",
              "license_waste": "LIC", "security": "SEC", "backup": "BAK"}


def finding_id(client: str, rule: str, subject: str) -> str:
    """Stable for the same client, rule and subject, whatever the state or the quarter."""
    category = rule_category(rule)
    digest = hashlib.sha1(f"{client.casefold()}|{rule}|{subject.casefold()}".encode("utf-8")).hexdigest()[:8]
    return f"{_ID_PREFIX.get(category, 'GEN')}-{digest.upper()}"


RULE_CATEGORIES = {
    "lifecycle.os_end_of_support": "end_of_life",
    "lifecycle.hardware_age": "hardware_age",
    "lifecycle.warranty": "warranty",
    "lifecycle.confirm_disposal": "disposal",
    "renewal.subscription": "renewal",
    "renewal.contract": "renewal",
    "licensing.unassigned_seats": "license_waste",
    "licensing.blocked_user_licensed": "license_waste",
    "licensing.inactive_user": "license_waste",
    "security.av_not_running": "security",
    "security.patch_failed": "security",
    "security.no_patch_policy": "security",
    "security.reboot_pending": "security",
    "security.patches_missing": "security",
    "security.agent_offline": "security",
    "security.mfa_not_registered": "security",
    "backup.server_unprotected": "backup",
}


def rule_category(rule: str) -> str:
    return RULE_CATEGORIES[rule]


@dataclass
class Finding:
    client: str
    rule: str
    severity: str
    title: str
    subject: str
    subject_kind: str  # device | user | subscription | contract
    recommendation: str
    sources: list[str]
    due_date: date | None = None
    estimated_cost: float | None = None  # one-time cost, or the annual cost for recurring items
    cost_kind: str | None = None  # one_time | recurring
    facts: dict[str, Any] = field(default_factory=dict)  # plain values the documents show
    finding_id: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")
        self.finding_id = self.finding_id or finding_id(self.client, self.rule, self.subject)

    @property
    def category(self) -> str:
        return rule_category(self.rule)

    @property
    def monthly_cost(self) -> float | None:
        if self.cost_kind == "recurring" and self.estimated_cost is not None:
            return round(self.estimated_cost / 12, 2)
        return None

    def sort_key(self) -> tuple:
        return (SEVERITY_RANK[self.severity], self.due_date or date.max, self.category, self.subject.casefold())


@dataclass
class RuleContext:
    as_of: date
    settings: Settings
    catalog: Any  # pipeline.catalog.lifecycle.LifecycleCatalog
    prices: Any  # pipeline.catalog.prices.PriceBook
