"""The one line a run ends with, on standard output (the log file keeps it as a "summary" event).

Everything else a run has to say goes through the log: each client's documents or failure as it finishes, and the
unrecognised inputs as warnings, so that `-q` leaves the errors and this line, and a cron mail for 2,000 clients
stays a few lines long.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from .logs import SUMMARY_EVENT

log = logging.getLogger("vcio")
UNCHANGED = "unchanged since the last run"


def print_run_summary(outcome, inputs: Path | None = None) -> None:
    manifest = outcome.manifest
    clients = manifest.get("clients", [])
    ok = [c for c in clients if c["status"] == "ok"]
    failed = [c for c in clients if c["status"] == "failed"]
    unchanged = [c for c in clients if c["status"] == "skipped" and c.get("reason", "").startswith(UNCHANGED)]
    not_due = [c for c in clients if c["status"] == "skipped" and c not in unchanged]
    for item in manifest.get("unrecognised_inputs", []):
        log.warning("unrecognised input %s: %s", item["path"], _why(item, inputs))
    summary = f"vcio {manifest['quarter']}: {_clients_part(manifest['quarter'], ok, failed, unchanged, not_due)}; " \
              f"{_rows_part(manifest)}; manifest {outcome.manifest_path}"
    rows = manifest.get("rows", {})
    log.info(summary, extra={"event": SUMMARY_EVENT,
                             "counts": {"ok": len(ok), "failed": len(failed), "unchanged": len(unchanged),
                                        "skipped": len(unchanged) + len(not_due), **rows},
                             "started_at": manifest.get("started_at"), "finished_at": manifest.get("finished_at")})
    click.echo(summary)


def _clients_part(quarter: str, ok: list, failed: list, unchanged: list, not_due: list) -> str:
    if not ok and not failed:
        if unchanged:
            return (f"every due client ({len(unchanged)}) is unchanged since the last run (--resume), nothing to "
                    "render" + (f", {len(not_due)} not due" if not_due else ""))
        return f"No clients due in {quarter} (use --all to render everyone)"
    parts = [f"{len(ok)} client{'s' if len(ok) != 1 else ''} done", f"{len(failed)} failed"]
    if unchanged:
        parts.append(f"{len(unchanged)} unchanged")
    selected_out = sum(1 for c in not_due if c.get("reason", "").startswith("not selected"))
    if selected_out:
        parts.append(f"{selected_out} not selected")
    if len(not_due) > selected_out:
        parts.append(f"{len(not_due) - selected_out} not due")
    return ", ".join(parts)


def _rows_part(manifest: dict) -> str:
    rows = manifest.get("rows", {})
    text = f"{rows.get('read', 0)} rows read, {rows.get('accepted', 0)} accepted, {rows.get('rejected', 0)} rejected"
    unrecognised = len(manifest.get("unrecognised_inputs", []))
    if unrecognised:
        text += f", {unrecognised} unrecognised input{'s' if unrecognised != 1 else ''} (vcio validate lists them)"
    stale = len(manifest.get("stale_inputs", []))
    if stale:
        text += f", {stale} stale input{'s' if stale != 1 else ''} (see the log)"
    return text


def _why(item: dict, inputs: Path | None) -> str:
    if item.get("error"):
        return item["error"]
    where = inputs / item["path"] if inputs else Path(item["path"])
    hint = f"`vcio profiles suggest {where}` drafts a profile for it"
    if item.get("closest_format"):
        return f"closest format {item['closest_format']}, missing {', '.join(item['missing_columns'])}; {hint}"
    return f"no known format of its kind; {hint}"
