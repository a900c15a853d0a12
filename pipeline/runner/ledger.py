"""The run's bookkeeping, typed: the manifest and one entry per client, turned into JSON in one place.

The manifest is a stable contract (README: keys are only ever added, never renamed); `to_json` writes the keys
in the order the README shows and leaves out the optional ones that were never set.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from .atomic import atomic_write

log = logging.getLogger("vcio")
UNCHANGED = "unchanged since the last run (--resume)"
NOT_STARTED = "not started"


def _no_findings() -> dict:
    return {"by_category": {}, "by_severity": {}}


@dataclass
class ClientEntry:
    name: str
    slug: str
    records: dict = field(default_factory=dict)  # devices, users, subscriptions, contracts, merge conflicts
    status: str = "skipped"  # ok | failed | skipped
    reason: str = ""
    error: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # key -> path relative to the quarter folder
    findings: dict = field(default_factory=_no_findings)
    warnings: list[dict] = field(default_factory=list)  # raised while the client was processed
    edited_kept: dict[str, str] = field(default_factory=dict)  # documents a presenter edited, kept
    history_error: str | None = None
    pdf_error: str | None = None

    def fail(self, error: str, reason: str = "") -> None:
        self.status, self.reason, self.error, self.files = "failed", reason, error, {}

    def not_started(self, why: object) -> None:
        self.fail(f"not started: {why}", NOT_STARTED)

    def keep_unchanged(self, previous: dict) -> None:
        """--resume: the client's documents of the last run stand."""
        self.reason = UNCHANGED
        self.files = previous["files"]
        self.findings = previous.get("findings", self.findings)

    @property
    def unchanged(self) -> bool:
        return self.reason == UNCHANGED

    def to_json(self) -> dict:
        data: dict[str, Any] = {"name": self.name, "slug": self.slug, "status": self.status, "reason": self.reason,
                                "error": self.error, "files": self.files, "findings": self.findings,
                                "records": self.records}
        for key in ("warnings", "edited_kept", "history_error", "pdf_error"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@dataclass
class RunLedger:
    quarter: str
    as_of: date
    started_at: datetime
    inputs: list[dict] = field(default_factory=list)
    unrecognised_inputs: list[dict] = field(default_factory=list)
    rows: dict = field(default_factory=lambda: {"read": 0, "accepted": 0, "rejected": 0})
    unknown_clients: list[dict] = field(default_factory=list)
    skipped_inputs: list = field(default_factory=list)
    input_warnings: list = field(default_factory=list)
    clients: dict[str, ClientEntry] = field(default_factory=dict)
    status: str = "failed"  # ok | partial | failed
    finished_at: datetime | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    settings_warnings: list[str] = field(default_factory=list)
    stale_inputs: list[str] | None = None
    history: dict | None = None
    portfolio: dict | None = None
    vcio_version: str = __version__

    @classmethod
    def from_ingest(cls, quarter: str, as_of: date, started: datetime, ingested) -> "RunLedger":
        return cls(
            quarter=quarter, as_of=as_of, started_at=started,
            inputs=[f.as_manifest() for f in ingested.files],
            unrecognised_inputs=[u.as_manifest() for u in ingested.unrecognised],
            rows={"read": ingested.rows_read, "accepted": sum(f.accepted for f in ingested.files),
                  "rejected": len(ingested.rejects)},
            unknown_clients=[{"name": k, "rows": v, "closest": ingested.suggestions.get(k, [])}
                             for k, v in sorted(ingested.unknown_clients.items())],
            skipped_inputs=list(ingested.skipped_outputs), input_warnings=list(ingested.warnings))

    def warn(self, message: str) -> None:
        """A warning about the whole run: in the log and in the manifest."""
        log.warning("%s", message)
        self.warnings.append(message)

    @property
    def failed(self) -> int:
        return sum(1 for entry in self.clients.values() if entry.status == "failed")

    @property
    def done(self) -> int:
        return sum(1 for entry in self.clients.values() if entry.status == "ok")

    def close(self, now: datetime) -> None:
        self.status = "ok" if self.failed == 0 else ("failed" if self.done == 0 else "partial")
        self.finished_at = now

    def to_json(self) -> dict:
        data: dict[str, Any] = {
            "schema": 1, "vcio_version": self.vcio_version, "quarter": self.quarter, "as_of": self.as_of.isoformat(),
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None, "status": self.status,
            "inputs": self.inputs, "unrecognised_inputs": self.unrecognised_inputs, "rows": self.rows,
            "unknown_clients": self.unknown_clients, "skipped_inputs": self.skipped_inputs,
            "input_warnings": self.input_warnings,
            "clients": [entry.to_json() for entry in self.clients.values()]}
        for key in ("error", "stale_inputs", "history", "portfolio"):  # once known, even when empty
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        for key in ("warnings", "settings_warnings"):  # only when there is one
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def write(self, quarter_dir: Path) -> Path:
        """manifest.json, atomically: written last, so it describes a finished (or stopped) run."""
        path = quarter_dir / "manifest.json"
        atomic_write(path, json.dumps(self.to_json(), indent=2, ensure_ascii=False, default=str).encode("utf-8"))
        return path
