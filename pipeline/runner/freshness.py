"""How old the run's data is: stale inputs warned once per file, and each client's data dates per source."""

from __future__ import annotations

import logging
from datetime import date

log = logging.getLogger("vcio")

# A source whose data is this many days older than the review date is worth saying in the documents.
DATES_WORTH_SAYING = 3


def warn_stale_inputs(files) -> list[str]:
    """Log one warning per stale input file (the manifest lists it under its file and in stale_inputs); returns
    their paths."""
    stale = [f for f in files if f.stale]
    for report in stale:
        log.warning("%s: stale input: observed on %s (%s); its time-relative findings (check-ins, activity, "
                    "backups) are as of that date and are not reported as new", report.path, report.observed_on,
                    report.observed_from)
    return [f.path for f in stale]


def data_dates(reports: list[dict], as_of: date) -> list[dict]:
    """Per source kind of a client's inputs: the oldest and newest observation dates, whether any is stale, and
    whether the range is far enough from the review date for the documents to say it."""
    by_kind: dict[str, list[dict]] = {}
    for report in reports:
        # A date taken from the file's modification time says when it was copied, not what it observed.
        if report.get("observed_on") and report.get("observed_from") != "file modified":
            by_kind.setdefault(report.get("entity") or "other", []).append(report)
    ranges = []
    for kind, members in sorted(by_kind.items()):
        days = sorted(date.fromisoformat(r["observed_on"]) for r in members)
        ranges.append({"source": kind, "from": days[0], "to": days[-1], "stale": any(r.get("stale") for r in members),
                       "differs": (as_of - days[0]).days > DATES_WORTH_SAYING,
                       "how": sorted({r.get("observed_from") or "" for r in members})})
    return ranges
