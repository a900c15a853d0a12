"""The final lines a run prints: where the documents are, and what went wrong."""

from __future__ import annotations

import logging

import click

log = logging.getLogger("vcio")


def print_run_summary(outcome) -> None:
    manifest = outcome.manifest
    clients = manifest.get("clients", [])
    ok = [c for c in clients if c["status"] == "ok"]
    failed = [c for c in clients if c["status"] == "failed"]
    skipped = [c for c in clients if c["status"] == "skipped"]
    rows = manifest.get("rows", {})
    if not ok and not failed:
        click.echo(f"No clients due in {manifest['quarter']} (use --all to render everyone).")
    for client in ok:
        click.echo(f"  {client['name']}: {outcome.quarter_dir / client['slug']}")
    for client in failed:
        click.echo(f"  FAILED {client['name']}: {client['error']}", err=True)
    for item in manifest.get("unrecognised_inputs", []):
        why = item.get("error") or f"closest format {item['closest_format']}, missing {item['missing_columns']}"
        click.echo(f"  unrecognised input {item['path']}: {why}", err=True)
    started, finished = manifest.get("started_at"), manifest.get("finished_at")
    summary = (f"vcio {manifest['quarter']}: {len(ok)} clients done, {len(failed)} failed, {len(skipped)} skipped; "
               f"{rows.get('read', 0)} rows read, {rows.get('accepted', 0)} accepted, {rows.get('rejected', 0)} rejected; "
               f"manifest {outcome.manifest_path}")
    log.info(summary, extra={"event": "summary", "counts": {"ok": len(ok), "failed": len(failed),
                                                            "skipped": len(skipped), **rows},
                             "started_at": started, "finished_at": finished})
    click.echo(summary)
