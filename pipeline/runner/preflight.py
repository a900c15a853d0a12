"""Checks made before the ingest, so that a mistyped command line fails in a second, not after reading every
export."""

from __future__ import annotations

from ..errors import UsageError
from ..ingest import IngestOptions
from ..ingest.roster import match_client_names, roster_entries


def check_requested_clients(options, as_of) -> tuple[str, ...]:
    """--client names as the roster spells them (a name or an alias, in any case), checked before the ingest when
    there is a roster: an unknown name is a usage error naming the closest roster names.  Without a roster the
    clients are the exports' names, known only after the ingest: the names are returned as given."""
    if not options.clients:
        return options.clients
    roster = roster_entries(options.inputs, IngestOptions(as_of=as_of, out=options.out))
    if roster is None:
        return options.clients
    found, problems = match_client_names(options.clients, roster)
    if problems:
        raise UsageError("--client: " + "; ".join(problems))
    return tuple(dict.fromkeys(found))
