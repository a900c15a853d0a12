"""The typed client review: everything a client's documents say, computed once per client.

The deck, the roadmap, the workbook, findings.csv, the portfolio and the history snapshot all read this tree;
none of them computes a number of its own. Amounts are plain numbers in the configured currency, dates are
dates; sentences meant for the client are already written (in the client's language) by the builder, and
table cells are formatted by the review's `wording`, so every document shows the same figure the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..findings.finding import Finding
from ..wording import Wording

ASSESSED, PARTLY, NOT_ASSESSED = "assessed", "partly", "not_assessed"
ONE_TIME, ANNUAL, MONTHLY = "one_time", "annual", "monthly"


@dataclass(frozen=True)
class Party:
    """The client, as the documents name it."""

    name: str
    possessive: str
    vcio: str | None
    tier: str | None
    fiscal_year_start: int
    domains: tuple[str, ...]
    logo: Path | None = None


@dataclass(frozen=True)
class Msp:
    name: str | None
    contact: str | None
    logo: Path | None


@dataclass(frozen=True)
class SourceCoverage:
    """One kind of data the review relies on, and whether the exports provided it."""

    kind: str  # devices | endpoint | warranty | users | activity | mfa | subscriptions | contracts | backup | goals
    label: str  # "Device inventory"
    provided: bool
    detail: str  # "Datto RMM, observed Nov 18, 2026" or what to export to provide it


@dataclass(frozen=True)
class AreaGrade:
    area: str  # lifecycle | security | licensing | continuity
    label: str
    status: str  # assessed | partly | not_assessed
    percent: float | None  # None when not assessed
    colour: str  # green | amber | red | grey (grey only when not assessed)
    assessed: int  # items graded
    affected: int  # items with at least one finding
    unit: str  # "devices", "seats", "devices and users"
    missing: tuple[str, ...]  # what was not checked, in plain words
    delta: float | None = None  # percentage points since the previous review (same method only)
    score: int | None = None  # 1-5, kept for the history store's trend; documents show the percentage

    @property
    def graded(self) -> bool:
        return self.status != NOT_ASSESSED


@dataclass(frozen=True)
class ReviewFinding:
    """A finding with its place in the plan: the initiative that covers it and the quarter its cost falls in."""

    finding: Finding
    initiative_id: str
    quarter: str | None  # the quarter its one-time cost is budgeted in
    budgeted: float | None = None  # what the budget carries for it (see build.budgeted_costs); None: nothing

    def __getattr__(self, name: str) -> Any:  # the finding's own fields: finding_id, title, severity ...
        if name.startswith("__") or name == "finding":  # pickling and copying probe before fields are set
            raise AttributeError(name)
        return getattr(self.finding, name)

    @property
    def cost_kind(self) -> str:
        """one_time, annual (a recurring cost or saving per year), or "" when nothing is budgeted for it."""
        if self.budgeted is None:
            return ""
        return ANNUAL if self.finding.cost_kind == "recurring" else ONE_TIME

    @property
    def monthly_budgeted(self) -> float | None:
        return round(self.budgeted / 12, 2) if self.cost_kind == ANNUAL and self.budgeted is not None else None


@dataclass(frozen=True)
class CoveredItem:
    """One device, user, subscription or agreement an initiative covers."""

    subject: str
    kind: str  # device | user | subscription | contract
    detail: str  # what is wrong, in plain words
    action: str  # what the initiative does for it
    quarter: str | None  # when its cost is budgeted
    one_time: float
    annual: float  # recurring cost (+) or saving (-) per year
    finding_ids: tuple[str, ...]
    severity: str


@dataclass(frozen=True)
class Initiative:
    initiative_id: str
    kind: str  # the theme: server_migration, windows_replacement, os_update, hardware_refresh, ...
    rank: int
    title: str
    summary: str  # one sentence: what it covers and why
    severity: str
    phase: str  # 0-6 months | 6-18 months | 18-36 months
    target_quarter: str  # the first quarter with work or spend
    last_quarter: str
    schedule: tuple[tuple[str, float], ...]  # (quarter, one-time amount) in order
    one_time_cost: float
    annual_recurring: float  # recurring cost per year (+), or saving per year (-)
    budget_category: str
    deadline: date | None  # a date the work must beat (a commitment end, an end of support)
    owner: str | None  # the client-side owner, when goals.csv names one
    goal: str | None
    success_metric: str
    items: tuple[CoveredItem, ...]
    finding_ids: tuple[str, ...]
    timing: str = ""  # when the work can be done, when a date rules it ("seats billed month to month ... now")
    renews_at: float = 0.0  # renewals: what renewing commits the client to a year (a value, not spend)

    @property
    def annual_saving(self) -> float:
        return -self.annual_recurring if self.annual_recurring < 0 else 0.0

    @property
    def phased(self) -> bool:
        return len([amount for _, amount in self.schedule if amount]) > 1

    def spend_in(self, quarter: str) -> float:
        return sum(amount for label, amount in self.schedule if label == quarter)


@dataclass(frozen=True)
class Risk:
    risk_id: str
    title: str  # names the worst items in plain words
    severity: str  # the worst finding behind it
    category: str
    likelihood: int
    impact: int
    score: int
    band: str  # high | medium | low
    since: date | None  # the earliest due date behind it (an end of support, a lapse)
    cost_of_inaction: str
    mitigations: tuple[str, ...]  # initiative titles, most severe first
    initiative_ids: tuple[str, ...]
    finding_count: int
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class BudgetLine:
    category: str
    amounts: tuple[float, ...]
    recurring: bool

    @property
    def total(self) -> float:
        return round(sum(self.amounts), 2)


@dataclass(frozen=True)
class Budget:
    """One money model: every amount of every document comes from here."""

    quarters: tuple[str, ...]  # calendar quarters from the next one: "2027-Q1"
    fiscal_labels: tuple[str, ...]  # "FY2027 Q3"
    lines: tuple[BudgetLine, ...]
    totals: tuple[float, ...]
    one_time: tuple[float, ...]
    recurring: tuple[float, ...]
    fiscal_years: tuple[tuple[str, float], ...]
    annual_savings: float

    @property
    def next_quarter(self) -> str:
        return self.quarters[0] if self.quarters else ""

    @property
    def next_90_days_one_time(self) -> float:
        """One-time spend in the next quarter: the "next 90 days" of every document."""
        return round(self.one_time[0], 2) if self.one_time else 0.0

    @property
    def next_90_days_total(self) -> float:
        return round(self.totals[0], 2) if self.totals else 0.0

    @property
    def next_four_total(self) -> float:
        """One-time and recurring over the next four quarters: the "next 12 months"."""
        return round(sum(self.totals[:4]), 2)

    @property
    def next_four_one_time(self) -> float:
        return round(sum(self.one_time[:4]), 2)

    @property
    def next_four_recurring(self) -> float:
        return round(sum(self.recurring[:4]), 2)

    @property
    def horizon_total(self) -> float:
        return round(sum(self.totals), 2)

    @property
    def one_time_total(self) -> float:
        return round(sum(self.one_time), 2)

    @property
    def recurring_total(self) -> float:
        return round(sum(self.recurring), 2)


@dataclass(frozen=True)
class DecisionNeeded:
    initiative_id: str
    title: str
    severity: str
    why: str  # the reason it is asked now, in plain words
    cost_next_quarter: float
    cost_total: float
    annual_saving: float
    deadline: date | None
    owner: str | None
    annual_value: float = 0.0  # what a renewal commits to a year (a decision's value, not spend)
    money: str = ""  # its cost, saving and value in one phrase, the same in every document


@dataclass(frozen=True)
class ComingUp:
    """A date to plan for: grouped ("17 PC warranties end between Dec and Feb") or one by one (renewals)."""

    first: date
    last: date
    text: str
    kind: str  # Renewal | Commitment | End of support | Warranty
    annual_value: float | None


@dataclass(frozen=True)
class FindingGroup:
    """One line per kind of finding ("30 laptops on Windows 11 23H2"), for the appendices."""

    category: str
    severity: str
    text: str
    count: int
    one_time: float
    annual: float
    initiative: str


@dataclass(frozen=True)
class Change:
    status: str  # new | resolved | open
    finding_id: str
    title: str
    subject: str
    severity: str
    quarters_open: int


@dataclass(frozen=True)
class Changes:
    first_review: bool
    previous_quarter: str | None
    new: tuple[Change, ...]
    resolved: tuple[Change, ...]
    still_open: tuple[Change, ...]
    completed_initiatives: tuple[str, ...]  # titles
    trend: tuple[dict, ...]  # {"quarter": ..., area: percent}, oldest first
    summary: str


@dataclass(frozen=True)
class RecordedDecision:
    item_id: str
    title: str
    decision: str  # accepted | declined | deferred | done
    decided_on: date | None
    decided_by: str | None
    note: str
    revisit_quarter: str | None
    due_for_review: bool
    risk_of_inaction: str
    status: str
    completed: bool


@dataclass(frozen=True)
class DeviceRow:
    hostname: str
    device_type: str
    os: str
    support: str  # Supported | Supported (newer than the catalog) | Ends within 12 months | Unsupported | Unknown
    end_of_support: date | None
    in_service_since: date | None
    age_years: float | None
    warranty_end: date | None
    warranty: str
    replacement_due: date | None
    serial: str | None
    model: str | None
    last_seen: date | None
    sources: str  # the tools that reported it
    initiative: str  # the initiative that covers it, if any
    os_source: str = ""  # the tool whose record gave the operating system (rmm, psa, ...), when known


@dataclass(frozen=True)
class LicenceRow:
    product: str
    purchased: int | None
    assigned: int
    spare: int | None
    monthly_price: float | None
    renews_on: date | None


@dataclass(frozen=True)
class UserRow:
    upn: str
    name: str
    licences: str
    status: str  # active | blocked | guest
    last_activity: date | None
    activity_known: bool
    mfa: str  # registered | not registered | not reported


@dataclass(frozen=True)
class SubscriptionRow:
    product: str
    quantity: int
    term: str
    renews_on: date | None
    monthly_value: float | None


@dataclass(frozen=True)
class ContractRow:
    name: str
    type: str
    start: date | None
    end: date | None
    no_end: bool
    monthly_value: float | None


@dataclass(frozen=True)
class Counted:
    label: str
    count: int


@dataclass(frozen=True)
class CurrentState:
    devices_by_type: tuple[Counted, ...]
    operating_systems: tuple[Counted, ...]
    support_status: tuple[Counted, ...]
    age_buckets: tuple[Counted, ...]
    warranty_status: tuple[Counted, ...]
    devices: tuple[DeviceRow, ...]
    licences: tuple[LicenceRow, ...]
    subscriptions: tuple[SubscriptionRow, ...]
    contracts: tuple[ContractRow, ...]
    users: tuple[UserRow, ...]
    monthly_subscriptions: float


@dataclass(frozen=True)
class GoalRow:
    goal: str
    target_date: date | None
    owner: str | None
    success_metric: str | None
    priority: str | None
    initiatives: tuple[str, ...]  # titles of the initiatives serving it


@dataclass(frozen=True)
class Summary:
    """The executive summary: the whole story in a few lines."""

    status: str  # "Two critical risks need a decision today" ...
    status_colour: str
    headline: tuple[str, ...]  # 3-5 sentences for the summary slide and the roadmap's first page
    top_risks: tuple[str, ...]  # the three worst risks in plain words
    devices: int
    servers: int
    users: int
    licensed_users: int
    findings: int
    by_severity: tuple[tuple[str, int], ...]  # (severity, count), critical first
    first_review: bool


@dataclass(frozen=True)
class DataSource:
    """An input file behind this client, described for the method appendix (no format codes)."""

    tool: str  # "Datto RMM device details"
    file: str
    rows: int
    accepted: int
    observed: date | None


@dataclass(frozen=True)
class Method:
    grades: str
    risks: str
    money: str  # how the next 90 days, next 12 months and the horizon are defined
    thresholds: tuple[str, ...]  # plain sentences
    catalog_snapshot: date | None
    catalog_note: str  # "The lifecycle catalog is dated ...; ..." (stale catalog warning when it applies)
    sources: tuple[DataSource, ...]
    excluded: tuple[str, ...]  # findings excluded by the client's exclusions, with the reason


@dataclass(frozen=True)
class ClientReview:
    client: Party
    msp: Msp
    quarter: str
    next_quarter: str
    as_of: date
    vcio_version: str
    wording: Wording
    currency: str
    summary: Summary
    coverage: tuple[SourceCoverage, ...]
    scorecard: tuple[AreaGrade, ...]
    risks: tuple[Risk, ...]
    initiatives: tuple[Initiative, ...]
    budget: Budget
    decisions_needed: tuple[DecisionNeeded, ...]
    coming_up: tuple[ComingUp, ...]
    changes: Changes
    decisions: tuple[RecordedDecision, ...]
    goals: tuple[GoalRow, ...]
    current_state: CurrentState
    findings: tuple[ReviewFinding, ...]
    finding_groups: tuple[FindingGroup, ...]
    method: Method
    internal: dict | None = None  # the MSP's cost and margin: only ever in the findings workbook
    history: dict = field(default_factory=dict, repr=False)  # what the history store records (plain data)
    review_name: str = "Quarterly business review"  # by the client's cadence: semiannual, annual
    next_review: str = ""  # the quarter of the client's next regular review

    @property
    def top_risks(self) -> tuple[Risk, ...]:
        return self.risks[:3]

    @property
    def next_90_days(self) -> tuple[Initiative, ...]:
        """Initiatives with work or spend in the next quarter, most severe first."""
        return tuple(i for i in self.initiatives if i.target_quarter <= self.next_quarter)

    def initiative(self, initiative_id: str) -> Initiative | None:
        return next((i for i in self.initiatives if i.initiative_id == initiative_id), None)
