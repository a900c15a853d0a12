"""The budget: one-time lines from the initiatives' schedules, recurring lines from what the client already
pays, by quarter from the next one, over the configured horizon.

"Next 90 days" is the next quarter, "next 12 months" the next four quarters and the horizon `budget.quarters`
quarters: each has this one definition, so every document shows the same figure for it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..config import Settings
from ..model import ClientData
from ..quarters import Quarter, fiscal_quarter, fiscal_year
from .model import Budget, BudgetLine, Initiative

ONE_TIME_CATEGORIES = ("Hardware", "Projects")
RECURRING_CATEGORIES = ("Licensing", "Contracts")
CATEGORIES = ONE_TIME_CATEGORIES + RECURRING_CATEGORIES
MONEY_METHOD = (
    "Amounts are planning estimates in the MSP's price list, before quotes. 'Next 90 days' means the next "
    "calendar quarter ({next_quarter}); 'next 12 months' the next four quarters ({first} to {fourth}); the forecast "
    "runs {count} quarters. One-time costs are budgeted in the quarter each device or task is planned in; recurring "
    "costs are the subscriptions and agreements the client already pays, assumed renewed, with a yearly uplift of "
    "{uplift:g}%. Licence savings are shown beside the forecast, not deducted from it."
)


def forecast_quarters(as_of: date, count: int) -> list[Quarter]:
    first = Quarter.of(as_of).next()
    return [first.next(i) for i in range(count)]


def build_budget(client: ClientData, plan: list[Initiative], as_of: date, settings: Settings) -> Budget:
    count = settings.budget.quarters
    escalation = settings.budget.annual_escalation_percent / 100
    quarters = forecast_quarters(as_of, count)
    index = {q.label: i for i, q in enumerate(quarters)}
    first = quarters[0].label
    rows: dict[str, list[float]] = {name: [0.0] * count for name in CATEGORIES}
    for item in plan:
        category = item.budget_category if item.budget_category in ONE_TIME_CATEGORIES else "Projects"
        for label, amount in item.schedule:
            position = index.get(label, 0 if label < first else None)
            if position is not None and amount:
                rows[category][position] += amount
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
    lines = tuple(BudgetLine(name, tuple(round(v, 2) for v in rows[name]), name in RECURRING_CATEGORIES)
                  for name in CATEGORIES)
    one_time = tuple(round(sum(rows[n][i] for n in ONE_TIME_CATEGORIES), 2) for i in range(count))
    recurring = tuple(round(sum(rows[n][i] for n in RECURRING_CATEGORIES), 2) for i in range(count))
    totals = tuple(round(a + b, 2) for a, b in zip(one_time, recurring))
    naming = settings.budget.fiscal_year_naming
    fiscal: dict[str, float] = defaultdict(float)
    for i, quarter in enumerate(quarters):
        fiscal[fiscal_year(quarter.start, client.fiscal_year_start, naming)] += totals[i]
    return Budget(
        quarters=tuple(q.label for q in quarters),
        fiscal_labels=tuple(fiscal_quarter(q.start, client.fiscal_year_start, naming) for q in quarters),
        lines=lines, totals=totals, one_time=one_time, recurring=recurring,
        fiscal_years=tuple((k, round(v, 2)) for k, v in fiscal.items()),
        annual_savings=round(sum(i.annual_saving for i in plan), 2))


def money_method(budget: Budget, settings: Settings) -> str:
    quarters = budget.quarters
    return MONEY_METHOD.format(next_quarter=quarters[0], first=quarters[0], fourth=quarters[min(3, len(quarters) - 1)],
                               count=len(quarters), uplift=settings.budget.annual_escalation_percent)
