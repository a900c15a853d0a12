"""History: quarterly snapshots per client (SQLite by default, any SQLAlchemy URL), what changed since the
previous review, and the decisions record carried forward. (The MSP-wide portfolio is rendered by
pipeline/render/portfolio.py from each client's review payload.)

The driver opens the store and writes to it; workers receive plain ``ClientHistory`` views:

    store = HistoryStore.open(url_or_none, out_dir)                       # migrates the schema
    view = store.client_view(client, quarter)                              # before the quarter is recorded
    changes = changes_context(view, client, quarter, findings, grades, initiatives)
    decisions = decisions_context(client.decisions, findings, initiatives, quarter, view)
    store.record_snapshot(client, quarter, as_of, findings, grades, risks, initiatives, budget, decisions)
"""

from .changes import (changes_context, client_diff, client_history, first_review_changes, format_diff,
                      format_history)
from .decisions import apply_deferrals, decisions_context, decisions_template_csv, empty_decisions
from .migrations import LATEST as SCHEMA_VERSION
from .migrations import MIGRATIONS, migrate
from ..errors import HistoryDataError, HistoryError, HistoryUnavailable
from .store import ClientHistory, HistoryStore, Snapshot, resolve_url

__all__ = ["HistoryStore", "HistoryError", "HistoryUnavailable", "HistoryDataError", "ClientHistory", "Snapshot",
           "resolve_url", "MIGRATIONS", "migrate",
           "SCHEMA_VERSION", "changes_context", "first_review_changes", "client_history", "client_diff",
           "format_history", "format_diff", "decisions_context", "decisions_template_csv", "apply_deferrals",
           "empty_decisions"]
