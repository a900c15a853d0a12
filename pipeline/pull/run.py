"""`vcio pull`: fetch each tool's data, then write its CSV files; a failing tool or tenant keeps its old files.

A unit (a tool, or one Microsoft 365 tenant) is all or nothing: every request is made first, the files are written
only when all of them answered. So a failure never leaves a half-written file or a mix of two pulls, and the next
`vcio run` simply reads the last good files (with the usual staleness warning once they age).
"""

from __future__ import annotations

import logging
import os
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Mapping

from .. import __version__
from ..errors import ExitStatus, UsageError
from .autotask import Autotask
from .base import Connector
from .connectwise import ConnectWise
from .dattormm import DattoRMM
from .errors import PullFailed
from .halopsa import HaloPSA
from .http import HttpClient, Policy, Timing
from .m365 import Microsoft365
from .ninjaone import NinjaOne
from .pax8 import Pax8
from .secrets import Credentials, load_credentials, read_credentials_file, redact
from .settings import PullSettings, pull_settings
from .writer import MANIFEST_NAME, read_manifest, write_manifest, write_table

log = logging.getLogger("vcio.pull")
CONNECTORS: dict[str, Connector] = {c.name: c for c in (
    ConnectWise(), Autotask(), HaloPSA(), NinjaOne(), DattoRMM(), Pax8(), Microsoft365())}
NOT_CURRENT = ".not-current"


@dataclass
class PullOptions:
    tools: tuple[str, ...]
    inputs: Path = Path("inputs")
    into: Path | None = None  # only with one tool
    config_path: Path | None = None
    tenants: tuple[str, ...] = ()  # Microsoft 365: only these of the configured tenants
    dry_run: bool = False
    timing: Timing = field(default_factory=Timing)
    environ: Mapping[str, str] | None = None


@dataclass
class UnitOutcome:
    tool: str
    unit: str
    folder: Path
    status: str = "ok"  # ok | failed | planned
    files: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    plan: list[str] = field(default_factory=list)
    requests: int = 0
    retries: int = 0

    @property
    def label(self) -> str:
        return f"{self.tool} {self.unit}".strip()

    def as_manifest(self, folder: Path) -> dict:
        return {"unit": self.unit, "status": self.status, "error": self.error,
                "files": [{**f, "path": _relative(f["path"], folder)} for f in self.files],
                "kept": [{**k, "path": _relative(k["path"], folder)} for k in self.kept],
                "counts": self.counts, "warnings": self.warnings, "coverage_gaps": self.gaps,
                "requests": self.requests, "retries": self.retries}


@dataclass
class PullOutcome:
    units: list[UnitOutcome]

    @property
    def status(self) -> ExitStatus:
        return ExitStatus.CLIENTS_FAILED if any(u.status == "failed" for u in self.units) else ExitStatus.OK


def run_pull(options: PullOptions) -> PullOutcome:
    unknown = [t for t in options.tools if t not in CONNECTORS]
    if unknown or not options.tools:
        raise UsageError(f"unknown tool {', '.join(map(repr, unknown)) or '(none given)'}; "
                         f"one of: {', '.join(CONNECTORS)}")
    if options.into is not None and len(options.tools) > 1:
        raise UsageError("--into names one tool's folder: give one TOOL with it")
    settings = pull_settings(options.config_path, options.inputs)
    file_data = read_credentials_file(settings.credentials_file)
    # Every credential is checked before the first request: a configuration error stops the pull before it starts.
    work = []
    for tool in options.tools:
        connector = CONNECTORS[tool]
        tool_settings = settings.tool(tool)
        connector.check(tool_settings)
        folder = options.into or options.inputs / tool
        for unit in _units(connector, tool_settings, options.tenants):
            creds = load_credentials(tool, connector.credential_keys, file_data, settings.credentials_file,
                                     connector.credentials_section(unit), options.environ)
            work.append((connector, tool_settings, folder, unit, creds))
    outcomes: list[UnitOutcome] = []
    secrets = tuple(s for *_, creds in work for s in creds.secrets())
    with _redacting_logs(secrets):
        started = _now()
        for connector, tool_settings, folder, unit, creds in work:
            outcome = UnitOutcome(connector.name, unit, _unit_folder(connector, folder, unit))
            if options.dry_run:
                outcome.status, outcome.plan = "planned", connector.plan(tool_settings, unit)
            else:
                _pull_unit(connector, tool_settings, creds, settings, options.timing, outcome, secrets)
            outcomes.append(outcome)
        if not options.dry_run:
            for folder, tool in dict.fromkeys((folder, c.name) for c, _, folder, _, _ in work):
                _write_manifest(folder, CONNECTORS[tool], [o for o in outcomes if o.tool == tool], started)
    return PullOutcome(outcomes)


def _units(connector: Connector, settings: dict, wanted: tuple[str, ...]) -> list[str]:
    units = connector.units(settings)
    if not wanted or units == [""]:
        return units
    missing = [t for t in wanted if t not in units]
    if missing:
        raise UsageError(f"{connector.name}: --tenant {', '.join(missing)} is not among the configured tenants "
                         f"({', '.join(units)})")
    return [u for u in units if u in wanted]


def _unit_folder(connector: Connector, folder: Path, unit: str) -> Path:
    return connector.folder(folder, unit)


def _pull_unit(connector: Connector, settings: dict, creds: Credentials, pull: PullSettings, timing: Timing,
               outcome: UnitOutcome, secrets: tuple[str, ...]) -> None:
    from ..runner.atomic import remove_stale_temps

    client = HttpClient(Policy(timeout=pull.timeout, total_timeout=pull.total_timeout, max_retries=pull.max_retries,
                               rate_limit=connector.rate_limit), timing,
                        # every credential of this pull: a vendor echoing another's key must not print it either
                        secrets, outcome.label)
    folder = outcome.folder
    remove_stale_temps(folder)
    log.info("%s: pulling", outcome.label)
    try:
        fetched = connector.fetch(client, settings, outcome.unit, creds)
    except PullFailed as exc:
        _failed(outcome, client.redact(str(exc)), client)
        return
    except Exception as exc:  # noqa: BLE001 - an unexpected answer fails this unit, never the other tools
        log.error("%s: unexpected error\n%s", outcome.label, client.redact(traceback.format_exc()))
        _failed(outcome, client.redact(f"unexpected {type(exc).__name__}: {exc}"), client)
        return
    outcome.requests, outcome.retries = client.requests, client.retries
    outcome.counts, outcome.warnings, outcome.gaps = fetched.counts, fetched.warnings, fetched.gaps
    pulled_at = _now()
    for table in fetched.tables:
        path = write_table(folder, table)
        outcome.files.append({"path": path, "profile": table.profile, "rows": table.row_count,
                              "pulled_at": pulled_at})
    written = {t.filename for t in fetched.tables}
    for name in connector.filenames:
        stale = folder / name
        if name not in written and stale.exists():
            # Not allowed any more (a 403): an old file would pass for current data; set it aside, unread.
            aside = folder / f".{name}{NOT_CURRENT}"
            os.replace(stale, aside)
            outcome.warnings.append(f"{name} from an earlier pull set aside as {aside.name}: "
                                    "it is not current and is no longer read")
    for gap in outcome.gaps:
        log.warning("%s: coverage gap: %s", outcome.label, gap)
    for warning in outcome.warnings:
        log.warning("%s: %s", outcome.label, warning)
    log.info("%s: %s", outcome.label, ", ".join(f"{_relative(f['path'], folder)} {f['rows']} rows"
                                                  for f in outcome.files) or "no files")


def _failed(outcome: UnitOutcome, message: str, client: HttpClient) -> None:
    outcome.status, outcome.error = "failed", message
    outcome.requests, outcome.retries = client.requests, client.retries
    previous = _previous_files(outcome.folder, outcome.unit)
    outcome.kept = [{"path": outcome.folder / p, "pulled_at": previous.get(p)}
                    for p in sorted(CONNECTORS[outcome.tool].filenames) if (outcome.folder / p).is_file()]
    kept = ", ".join(f"{k['path'].name} ({'pulled ' + k['pulled_at'] if k['pulled_at'] else 'not pulled by vcio'})"
                     for k in outcome.kept) or "nothing (no earlier files)"
    log.error("%s: pull failed: %s; kept: %s", outcome.label, message, kept)


def _previous_files(folder: Path, unit: str) -> dict[str, str]:
    """File name -> when it was pulled, from the tool folder's last manifest."""
    manifest = read_manifest(folder.parent if unit else folder)
    found = {}
    for entry in manifest.get("units", []):
        if entry.get("unit") != unit:
            continue
        for item in [*entry.get("files", []), *entry.get("kept", [])]:
            if item.get("pulled_at"):
                found[Path(item["path"]).name] = item["pulled_at"]
    return found


def _write_manifest(folder: Path, connector: Connector, outcomes: list[UnitOutcome], started: str) -> None:
    statuses = {o.status for o in outcomes}
    write_manifest(folder, {
        "schema": 1, "tool": connector.name, "title": connector.title, "api_version": connector.api_version,
        "vcio_version": __version__, "started_at": started, "finished_at": _now(),
        "status": "ok" if statuses == {"ok"} else ("failed" if statuses == {"failed"} else "partial"),
        "units": [o.as_manifest(folder) for o in outcomes]})


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return Path(path).name


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class _Redactor(logging.Filter):
    def __init__(self, secrets: tuple[str, ...]):
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


@contextmanager
def _redacting_logs(secrets: tuple[str, ...]) -> Iterator[None]:
    """Whatever any code logs while credentials are loaded, no handler writes them."""
    handlers = logging.getLogger("vcio").handlers + logging.getLogger().handlers
    redactor = _Redactor(secrets)
    for handler in handlers:
        handler.addFilter(redactor)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)


__all__ = ["CONNECTORS", "MANIFEST_NAME", "PullOptions", "PullOutcome", "UnitOutcome", "run_pull"]
