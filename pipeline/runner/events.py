"""The run's log lines about each client and about the inputs folder: readable text, and with --log-format json
the fields a collector filters on (client, status, findings)."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("vcio")


def _findings(output) -> int:
    return sum((output.counts or {}).get("by_severity", {}).values())


def client_done(output, folder: Path) -> None:
    count = _findings(output)
    log.info("client %s: %d findings, documents in %s", output.name, count, folder,
             extra={"event": "client", "client": output.name, "status": "ok", "findings": count})


def client_failed(output) -> None:
    log.error("client %s failed: %s\n%s", output.name, output.error, output.traceback or "",
              extra={"event": "client", "client": output.name, "status": "failed", "findings": None})


def log_skipped_outputs(ingested) -> None:
    """vcio's own output folders found below --inputs (not read), and the one warning when --inputs looks like a
    working folder's root."""
    for warning in ingested.warnings:
        log.warning("%s", warning)
    if ingested.skipped_outputs and not ingested.warnings:
        log.info("not read: vcio's own output folders under --inputs: %s", ", ".join(ingested.skipped_outputs))
