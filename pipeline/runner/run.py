"""The quarterly run: ingest once, then each due client's documents, written atomically, manifest last."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..config import ConfigError, find_config, load_config
from ..ingest import IngestOptions, IngestResult, ProfileError, ingest_folder
from ..model import ClientData, build_clients
from ..quarters import Quarter, fiscal_quarter
from ..render.context import RunFacts
from ..status import EnvironmentProblem, ExitStatus, NoInputError, UsageError
from .atomic import atomic_write, remove_stale_temps
from .client_job import ClientJob, ClientOutput, catalog_for, process_client
from .csvout import REJECTS_COLUMNS, to_csv
from .environment import Environment
from .lock import OutputLock
from .names import unique_slugs

log = logging.getLogger("vcio")
REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass
class RunOptions:
    inputs: Path
    out: Path
    as_of: date | None = None
    quarter: str | None = None
    clients: tuple[str, ...] = ()
    all_clients: bool = False
    config_path: Path | None = None
    jobs: int | None = None


@dataclass
class RunOutcome:
    status: ExitStatus
    manifest: dict
    manifest_path: Path | None
    outputs: dict[str, ClientOutput] = field(default_factory=dict)

    @property
    def quarter_dir(self) -> Path | None:
        return self.manifest_path.parent if self.manifest_path else None


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
    cadence = (client.cadence or "quarterly").lower()
    fiscal = fiscal_quarter(quarter.start, client.fiscal_year_start)
    number = int(fiscal[-1])
    if cadence == "semiannual":
        return number in (2, 4), f"not due this quarter (semiannual reviews in fiscal Q2 and Q4; this is {fiscal})"
    if cadence == "annual":
        return number == 4, f"not due this quarter (annual review in fiscal Q4; this is {fiscal})"
    return True, ""


def templates_for(config) -> tuple[Path, Path]:
    roadmap = config.resolve_path(config.get("documents.roadmap_template", "")) or REPO_TEMPLATES / "roadmap.docx"
    qbr = config.resolve_path(config.get("documents.qbr_template", "")) or REPO_TEMPLATES / "qbr.pptx"
    for path in (roadmap, qbr):
        if not path.is_file():
            raise EnvironmentProblem(f"template not found: {path} (set [documents] in vcio.toml or run "
                                     "`vcio templates init DIR`)")
    return roadmap, qbr


def run(options: RunOptions, env: Environment | None = None) -> RunOutcome:
    env = env or Environment()
    started = env.now()
    as_of, quarter = resolve_period(options.as_of, options.quarter, started.date())
    if not options.inputs.is_dir():
        raise UsageError(f"--inputs {options.inputs} is not a folder")
    try:
        config = load_config(find_config(options.config_path, options.inputs))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    roadmap_template, qbr_template = templates_for(config)
    quarter_dir = options.out / quarter.label
    try:
        quarter_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the output folder {quarter_dir}: {exc.strerror}") from None
    if not os.access(quarter_dir, os.W_OK):
        raise EnvironmentProblem(f"the output folder {quarter_dir} is not writable")

    with OutputLock(options.out):
        removed = remove_stale_temps(options.out)
        if removed:
            log.info("removed %d temporary files left by an interrupted run", removed)
        try:
            ingested = ingest_folder(options.inputs, IngestOptions(
                as_of=as_of, stale_days=int(config.get("thresholds.stale_input_days", 30)),
                format_overrides=config.get("ingest.formats", {}) or {}))
        except ProfileError as exc:
            raise UsageError(str(exc)) from None
        log.info("ingested %d files: %d rows read, %d rejected, %d unrecognised", len(ingested.files),
                 ingested.rows_read, len(ingested.rejects), len(ingested.unrecognised))
        manifest = _manifest_head(quarter, as_of, started, ingested)
        atomic_write(quarter_dir / "rejects.csv", to_csv(REJECTS_COLUMNS, (r.__dict__ for r in ingested.rejects)))
        data_rows = sum(f.accepted for f in ingested.files if f.entity not in {"client", "goal", "decision", "exclusion"})
        if data_rows == 0:
            manifest.update(status="failed", finished_at=env.now().isoformat(),
                            error="no usable input: no data file was recognised or no row was accepted")
            path = _write_manifest(quarter_dir, manifest)
            raise NoInputError(f"no usable input in {options.inputs}: see {path}")

        clients = build_clients(ingested)
        slugs = unique_slugs(list(clients))
        selected = _select(clients, options, quarter)
        lifecycle_dirs = tuple(p for p in [options.inputs / "lifecycle"] if p.is_dir())
        catalog = catalog_for(lifecycle_dirs)
        reports = {f.path: f.as_manifest() for f in ingested.files}
        jobs: list[ClientJob] = []
        entries: dict[str, dict] = {}
        for name, client in clients.items():
            entry = {"name": name, "slug": slugs[name], "status": "skipped", "reason": "", "error": None,
                     "files": {}, "findings": {"by_category": {}, "by_severity": {}}}
            entries[name] = entry
            wanted, reason = selected[name]
            if not wanted:
                entry["reason"] = reason
                continue
            facts = RunFacts(quarter=quarter.label, as_of=as_of, vcio_version=__version__,
                             files=[reports[p] for p in client.input_sources if p in reports],
                             catalog_snapshot=catalog.snapshot_date.isoformat())
            jobs.append(ClientJob(client, slugs[name], facts, config, roadmap_template, qbr_template, lifecycle_dirs))

        outputs: dict[str, ClientOutput] = {}
        for output in _execute(jobs, options.jobs or env.cpu_count):
            entry = entries[output.name]
            entry["status"] = output.status
            entry["findings"] = output.counts or entry["findings"]
            if output.status == "failed":
                entry["error"] = output.error
                log.error("client %s failed: %s\n%s", output.name, output.error, output.traceback)
            else:
                entry["files"] = _write_client_files(quarter_dir / output.slug, output)
                log.info("client %s: %d findings, documents in %s", output.name,
                         sum(output.counts.get("by_severity", {}).values()), quarter_dir / output.slug)
            outputs[output.name] = output

        manifest["clients"] = [entries[name] for name in clients]
        failed = sum(1 for e in manifest["clients"] if e["status"] == "failed")
        done = sum(1 for e in manifest["clients"] if e["status"] == "ok")
        manifest["status"] = "ok" if failed == 0 else ("failed" if done == 0 else "partial")
        manifest["finished_at"] = env.now().isoformat()
        path = _write_manifest(quarter_dir, manifest)
    status = ExitStatus.OK if failed == 0 else ExitStatus.CLIENTS_FAILED
    return RunOutcome(status, manifest, path, outputs)


def _manifest_head(quarter: Quarter, as_of: date, started, ingested: IngestResult) -> dict:
    return {
        "schema": 1, "vcio_version": __version__, "quarter": quarter.label, "as_of": as_of.isoformat(),
        "started_at": started.isoformat(), "finished_at": None, "status": "failed",
        "inputs": [f.as_manifest() for f in ingested.files],
        "unrecognised_inputs": [u.as_manifest() for u in ingested.unrecognised],
        "rows": {"read": ingested.rows_read, "accepted": sum(f.accepted for f in ingested.files),
                 "rejected": len(ingested.rejects)},
        "unknown_clients": [{"name": k, "rows": v, "closest": ingested.suggestions.get(k, [])}
                            for k, v in sorted(ingested.unknown_clients.items())],
        "clients": [],
    }


def _select(clients: dict[str, ClientData], options: RunOptions, quarter: Quarter) -> dict[str, tuple[bool, str]]:
    if options.clients:
        known = {n.casefold(): n for n in clients}
        missing = [c for c in options.clients if c.casefold() not in known]
        if missing:
            raise UsageError(f"--client {', '.join(missing)}: not in the roster (known: {', '.join(sorted(clients))})")
        chosen = {known[c.casefold()] for c in options.clients}
        return {n: (n in chosen, "not selected with --client") for n in clients}
    if options.all_clients:
        return {n: (True, "") for n in clients}
    return {n: is_due(c, quarter) for n, c in clients.items()}


def _execute(jobs: list[ClientJob], workers: int) -> Iterator[ClientOutput]:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield process_client(job)
        return
    # fork: workers inherit the imported libraries instead of re-importing them (about 2 s each).
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        yield from pool.map(process_client, jobs, chunksize=1)


def _write_client_files(folder: Path, output: ClientOutput) -> dict[str, str]:
    written = {}
    for key, (name, data) in output.files.items():
        path = folder / name
        atomic_write(path, data)
        written[key] = f"{folder.name}/{name}"
    return written


def _write_manifest(quarter_dir: Path, manifest: dict) -> Path:
    path = quarter_dir / "manifest.json"
    atomic_write(path, json.dumps(manifest, indent=2, ensure_ascii=False, default=str).encode("utf-8"))
    return path

