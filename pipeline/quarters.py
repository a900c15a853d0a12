"""Calendar quarters ("2026-Q4"), fiscal years and month arithmetic shared by every stage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, label: str) -> "Quarter":
        match = _LABEL.match(label.strip().upper())
        if not match:
            raise ValueError(f"not a quarter label like 2026-Q4: {label!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self, steps: int = 1) -> "Quarter":
        index = self.year * 4 + (self.number - 1) + steps
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return self.label


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def add_years(day: date, years: float) -> date:
    return add_months(day, round(years * 12))


def fiscal_year(day: date, start_month: int, naming: str = "end") -> str:
    """The fiscal year a date falls in: named after the calendar year it ends in (FY2027 for July 2026 - June 2027,
    the common US usage), or with naming="start" after the year it starts in (FY2026)."""
    if start_month == 1:
        return f"FY{day.year}"
    starts = day.year if day.month >= start_month else day.year - 1
    return f"FY{starts if naming == 'start' else starts + 1}"


def fiscal_quarter(day: date, start_month: int, naming: str = "end") -> str:
    offset = (day.month - start_month) % 12
    return f"{fiscal_year(day, start_month, naming)} Q{offset // 3 + 1}"


CADENCES = {"quarterly": "Quarterly business review", "semiannual": "Semiannual business review",
            "annual": "Annual business review"}


def review_due(cadence: str, quarter: Quarter, fiscal_year_start: int) -> tuple[bool, str]:
    """Whether a client of this cadence is reviewed in `quarter`: quarterly every quarter, semiannual in fiscal
    Q2 and Q4, annual in fiscal Q4; and, when not, why."""
    cadence = (cadence or "quarterly").lower()
    fiscal = fiscal_quarter(quarter.start, fiscal_year_start)
    number = int(fiscal[-1])
    if cadence == "semiannual":
        return number in (2, 4), f"not due this quarter (semiannual reviews in fiscal Q2 and Q4; this is {fiscal})"
    if cadence == "annual":
        return number == 4, f"not due this quarter (annual review in fiscal Q4; this is {fiscal})"
    return True, ""


def next_review(cadence: str, quarter: Quarter, fiscal_year_start: int) -> Quarter:
    """The first quarter after `quarter` in which this cadence is due (a review run off-cycle with --all
    names the next regular one)."""
    following = quarter.next()
    while not review_due(cadence, following, fiscal_year_start)[0]:
        following = following.next()
    return following
