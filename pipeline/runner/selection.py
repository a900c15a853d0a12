"""Which quarter a run is for, and which of its clients are due (or chosen with --client / --all)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import UsageError
from ..ingest.roster import match_client_names
from ..model import ClientData
from ..quarters import Quarter, review_due

if TYPE_CHECKING:
    from .options import RunOptions


def resolve_period(as_of: date | None, quarter: str | None, today: date) -> tuple[date, Quarter]:
    """--as-of defaults to today; the quarter defaults to the quarter of --as-of; both given must agree."""
    day = as_of or today
    if quarter is None:
        return day, Quarter.of(day)
    try:
        wanted = Quarter.parse(quarter)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if as_of is not None and Quarter.of(as_of) != wanted:
        raise UsageError(f"--as-of {as_of.isoformat()} is in {Quarter.of(as_of).label}, not in --quarter {wanted.label}: "
                         "give one of them, or make them agree")
    if as_of is None:
        day = min(max(today, wanted.start), wanted.end)
    return day, wanted


def is_due(client: ClientData, quarter: Quarter) -> tuple[bool, str]:
    """Quarterly clients every quarter; semiannual in fiscal Q2 and Q4; annual in fiscal Q4."""
    return review_due(client.cadence, quarter, client.fiscal_year_start)


def select_clients(clients: dict[str, ClientData], options: RunOptions, quarter: Quarter) -> dict[str, tuple[bool, str]]:
    if options.clients:
        known = {n.casefold(): n for n in clients}
        problems = match_client_names(options.clients, [{"name": n} for n in clients])[1]
        if problems:
            raise UsageError("--client: " + "; ".join(problems))
        chosen = {known[c.casefold()] for c in options.clients}
        return {n: (n in chosen, "not selected with --client") for n in clients}
    if options.all_clients:
        return {n: (True, "") for n in clients}
    return {n: is_due(c, quarter) for n, c in clients.items()}


def presenter_warnings(settings: Settings, clients: list[ClientData]) -> list[str]:
    """Who presents is left out of the documents when it is not known, never printed as a placeholder: said once
    per run, with the clients it concerns."""
    warnings = []
    if not settings.msp.name:
        warnings.append("[msp] name is not set in vcio.toml: the documents leave the MSP's name out of the cover, "
                        "the footers and the closing slide")
    missing = sorted(c.name for c in clients if not c.vcio)
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        warnings.append(f"{len(missing)} client(s) have no vCIO in the roster (clients.csv, column vcio): their "
                        f"documents leave out who prepared them: {shown}")
    return warnings
