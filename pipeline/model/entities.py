"""Canonical entities of one client, merged from every tool's records.

The driver holds every client's entities for the whole run and pickles each client for a worker: they are
slotted (no per-instance attribute storage besides the fields) and pickle as their field values in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from operator import attrgetter
from typing import TypeVar

T = TypeVar("T")

# Device types whose failure stops the business, not one person: warranties and age rules treat them apart.
SERVER_LIKE = frozenset({"server", "network", "storage"})


def _pickled_by_fields(cls: type[T]) -> type[T]:
    """Pickle as ``cls(*field values)``: a slotted dataclass otherwise pickles a dict of its slots per
    instance, slower both ways than a tuple (most of a client's pickle is its assets and users)."""
    values = attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls


@_pickled_by_fields
@dataclass(slots=True)
class Asset:
    hostname: str | None
    serial: str | None = None
    device_type: str = "other"
    os: str | None = None
    os_build: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    purchase_date: date | None = None
    install_date: date | None = None
    warranty_start: date | None = None
    warranty_end: date | None = None
    enrolled_date: date | None = None
    last_seen: datetime | None = None
    last_reboot: datetime | None = None
    role: str | None = None  # line of business ("imaging", "x-ray", ...) from a role column
    av_product: str | None = None
    av_status: str | None = None
    patch_status: str | None = None
    patches_missing: int | None = None
    patches_installed: int | None = None
    patches_not_approved: int | None = None
    last_backup: datetime | None = None
    backup_status: str | None = None
    status: str | None = None
    site: str | None = None
    sources: list[str] = field(default_factory=list)  # "path:line" of every record merged here
    tools: list[str] = field(default_factory=list)  # source kinds: rmm, psa, warranty ...
    conflicts: list[str] = field(default_factory=list)  # fields where tools disagreed
    # Per fact (FACT_GROUPS in model/build.py: os, warranty, last_seen, ...): which record gave it and when that
    # tool observed it, {"os": {"source": "rmm/x.csv:12", "tool": "rmm", "observed": date | None}}.
    provenance: dict[str, dict] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.hostname or self.serial or "(unnamed)"

    @property
    def in_service_since(self) -> date | None:
        """Purchase date, then warranty start, then install date; the agent's enrolment date only when none of
        those is known, and never when it is after the warranty end (a re-enrolled old device)."""
        for value in (self.purchase_date, self.warranty_start, self.install_date):
            if value:
                return value
        if self.enrolled_date and not (self.warranty_end and self.enrolled_date > self.warranty_end):
            return self.enrolled_date
        return None

    def observed_on(self, fact: str) -> date | None:
        """The date the tool behind a fact observed it (its export's date), None when unknown."""
        return (self.provenance.get(fact) or {}).get("observed")


@_pickled_by_fields
@dataclass(slots=True)
class User:
    upn: str
    display_name: str | None = None
    blocked: bool = False
    licenses: list[str] = field(default_factory=list)
    created: date | None = None
    is_guest: bool = False
    deleted: bool = False
    last_activity: date | None = None
    activity_known: bool = False  # an activity report covered this user
    activity_observed: date | None = None  # the activity report's own date (its Report Refresh Date)
    mfa_registered: bool | None = None
    is_admin: bool = False
    department: str | None = None
    sources: list[str] = field(default_factory=list)


@_pickled_by_fields
@dataclass(slots=True)
class Subscription:
    product: str
    quantity: int = 0
    billing_term: str | None = None
    commitment_end: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    price: float | None = None  # client price per unit per month
    partner_cost: float | None = None  # the MSP's cost: never shown to the client
    status: str | None = None
    vendor: str | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def monthly_value(self) -> float | None:
        return None if self.price is None else self.price * self.quantity

    @property
    def renews_on(self) -> date | None:
        return self.commitment_end or self.end_date

    @property
    def active(self) -> bool:
        return (self.status or "active").strip().lower() not in {"cancelled", "canceled", "inactive", "suspended", "expired"}


@_pickled_by_fields
@dataclass(slots=True)
class Contract:
    name: str
    type: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    monthly_amount: float | None = None
    no_end: bool = False
    cancelled: bool = False
    sources: list[str] = field(default_factory=list)


@_pickled_by_fields
@dataclass(slots=True)
class Goal:
    goal: str
    target_date: date | None = None
    owner: str | None = None
    success_metric: str | None = None
    priority: str | None = None
    tags: list[str] = field(default_factory=list)
    initiative: str | None = None
    source: str = ""


@_pickled_by_fields
@dataclass(slots=True)
class Decision:
    item_id: str
    decision: str
    decided_on: date | None = None
    decided_by: str | None = None
    note: str | None = None
    revisit_quarter: str | None = None
    source: str = ""


@_pickled_by_fields
@dataclass(slots=True)
class Exclusion:
    subject: str
    rule: str
    reason: str
    until: date | None = None
    source: str = ""


@_pickled_by_fields
@dataclass(slots=True)
class ClientData:
    name: str
    tier: str | None = None
    vcio: str | None = None
    fiscal_year_start: int = 1
    cadence: str = "quarterly"
    domains: list[str] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    merge_conflicts: int = 0
    input_rows: dict[str, int] = field(default_factory=dict)  # relative path -> how many of its rows are this client's
    concealed_activity_rows: int = 0  # usage-report rows whose user names the tenant hides (cannot be joined)

    @property
    def input_sources(self) -> list[str]:
        """Relative paths of the files with this client's rows, in order."""
        return list(self.input_rows)
