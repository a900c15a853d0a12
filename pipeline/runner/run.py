"""The quarterly run: ingest once, then each due client's documents, written atomically, manifest last."""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

from .. import __version__
from ..config import Settings, find_config, load_settings
from ..ingest import IngestOptions, IngestResult, ProfileError, ingest_folder, load_profiles
from ..ingest.roster import match_client_names
from ..model import ClientData, build_clients
from ..quarters import Quarter, fiscal_quarter
from ..review import RunFacts
from ..resources import builtin_template
from ..errors import (EnvironmentProblem, ExitStatus, HistoryDataError, HistoryUnavailable, NoInputError,
                      SchedulerUnavailable, UsageError)
from .atomic import atomic_write, remove_stale_temps
from .child import in_child
from .clientlog import log_client_warnings, manifest_warnings
from .client_job import ClientJob, ClientOutput, PackedHistory, catalog_for
from .freshness import data_dates, warn_stale_inputs
from ..catalog.lifecycle import freshness_warning
from .csvout import REJECTS_COLUMNS, to_csv
from .environment import Environment
from .executors import check_scheduler, run_dask, run_local
from .fingerprint import client_fingerprint
from .ledger import NOT_STARTED, ClientEntry, RunLedger
from .lock import OutputLock
from .names import unique_slugs
from .preflight import check_requested_clients
from .events import client_done, client_failed, log_skipped_outputs
from .progress import IngestProgress, Progress
from .state import RunState, file_sha256, sha256

log = logging.getLogger("vcio")
EDITED_SUFFIX = " (vcio update)"
CONFIG_ENTITIES = {"client", "goal", "decision", "exclusion"}


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
    resume: bool = False
    force: bool = False
    allow_stale: bool = False  # exit 0, not 5, when an input is older than thresholds.stale_input_days
    executor: str = "local"  # local | dask
    scheduler: str | None = None
    progress: bool | None = None  # None: on when stderr is a terminal
    pdf: bool = False  # also convert the roadmap and deck to PDF with LibreOffice


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


def templates_for(settings: Settings) -> tuple[Path, Path]:
    roadmap = settings.documents.roadmap_template or builtin_template("roadmap.docx")
    qbr = settings.documents.qbr_template or builtin_template("qbr.pptx")
    for path in (roadmap, qbr):
        if not path.is_file():
            raise EnvironmentProblem(f"template not found: {path} (set [documents] in vcio.toml or run "
                                     "`vcio templates init DIR`)")
        if not zipfile.is_zipfile(path):
            raise EnvironmentProblem(f"template {path} is not a Word/PowerPoint file (not a zip archive): "
                                     "save it again from Word or PowerPoint, or run `vcio templates init DIR`")
    _open_templates(roadmap, qbr)
    _refuse_external_links(settings, roadmap, qbr)
    return roadmap, qbr


def _refuse_external_links(settings: Settings, *templates: Path) -> None:
    """Checked before anything is rendered: a linked picture or template would make every client's Word or
    PowerPoint call an outside address on opening."""
    from ..render.lint import external_link_problems

    if settings.documents.allow_external_links:
        return
    problems = [f"{path}: {problem}" for path in templates for problem in external_link_problems(path)]
    if problems:
        raise UsageError("a template links outside itself: " + "; ".join(problems[:5]) +
                         (f"; and {len(problems) - 5} more" if len(problems) > 5 else ""))


def _open_templates(roadmap: Path, qbr: Path) -> None:
    """A zip that is not a Word or PowerPoint package fails the run once, not every client."""
    from docx import Document
    from pptx import Presentation

    for path, opener, what in ((roadmap, Document, "Word"), (qbr, Presentation, "PowerPoint")):
        try:
            opener(str(path))
        except Exception as exc:  # python-docx/python-pptx raise many types for a damaged package
            raise EnvironmentProblem(f"template {path} cannot be opened as a {what} file ({type(exc).__name__}: "
                                     f"{exc}): save it again from {what}, or run `vcio templates init DIR`") from None


def load_run_settings(options: RunOptions) -> Settings:
    return load_settings(find_config(options.config_path, options.inputs))


@dataclass(frozen=True)
class Prepared:
    """What is settled before the output folder is locked: the period, the settings and templates (all checked),
    the quarter's folder (created, writable)."""
    options: RunOptions
    started: datetime
    as_of: date
    quarter: Quarter
    settings: Settings
    templates: tuple[Path, Path]

    @property
    def quarter_dir(self) -> Path:
        return self.options.out / self.quarter.label


@dataclass
class Inputs:
    """The inputs read: the model, the run's ledger opened on the ingest, each input file's report by path."""
    ledger: RunLedger
    clients: dict[str, ClientData]
    reports: dict[str, dict]
    stale: list[str]


@dataclass
class Work:
    """The clients to render, with their fingerprints; `stopped` once the history store or the cluster is gone."""
    jobs: list[ClientJob] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    stopped: HistoryUnavailable | SchedulerUnavailable | None = None
    outputs: dict[str, ClientOutput] = field(default_factory=dict)


def run(options: RunOptions, env: Environment | None = None) -> RunOutcome:
    """The run as its phases: prepare, then under the output lock load the inputs, plan the clients' work,
    execute it and finish (portfolio, manifest). Each phase is public so the benchmark times the same code."""
    env = env or Environment()
    prepared = prepare(options, env)
    with OutputLock(prepared.options.out), _gc_exemption() as exempt_from_gc:
        removed = remove_stale_temps(prepared.options.out)
        if removed:
            log.info("removed %d temporary files left by an interrupted run", removed)
        if prepared.options.executor == "dask":
            _reach_scheduler(prepared, env)
        inputs = load_inputs(prepared, env)
        exempt_from_gc()  # the model lives as long as the run: collections need not walk it again and again
        state = RunState.load(prepared.quarter_dir)
        store = _open_history(prepared.settings, prepared.options.out)
        try:
            inputs.ledger.history = store.describe()
            work = plan(prepared, inputs, state, store)
            execute(prepared, work, inputs.ledger, state, store, env)
        finally:
            store.close()
        path = finish(prepared, inputs.ledger, state, env)
    return _outcome(prepared, inputs, work, path)


def prepare(options: RunOptions, env: Environment) -> Prepared:
    """Everything that can be refused before anything is read: period, options, settings, templates, folder."""
    # Absolute from here on: jobs carry these paths to workers, whose working folder may be another.
    options = replace(options, inputs=options.inputs.absolute(), out=options.out.absolute())
    started = env.now()
    as_of, quarter = resolve_period(options.as_of, options.quarter, started.date())
    if not options.inputs.is_dir():
        raise UsageError(f"--inputs {options.inputs} is not a folder")
    if options.executor == "dask" and not options.scheduler:
        raise UsageError("--executor dask needs --scheduler tcp://HOST:8786")
    settings = load_run_settings(options)
    options = replace(options, clients=check_requested_clients(options, as_of))
    prepared = Prepared(options, started, as_of, quarter, settings, templates_for(settings))
    try:
        prepared.quarter_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the output folder {prepared.quarter_dir}: {exc.strerror}") from None
    if not os.access(prepared.quarter_dir, os.W_OK):
        raise EnvironmentProblem(f"the output folder {prepared.quarter_dir} is not writable")
    return prepared


def load_inputs(prepared: Prepared, env: Environment) -> Inputs:
    """Ingest and model; rejects.csv written. No usable input ends the run here, with a manifest saying so."""
    ingested, clients = _load_portfolio(prepared.options, prepared.settings, prepared.as_of)
    ledger = RunLedger.from_ingest(prepared.quarter.label, prepared.as_of, prepared.started, ingested)
    ledger.settings_warnings = list(prepared.settings.deprecations)
    atomic_write(prepared.quarter_dir / "rejects.csv",
                 to_csv(REJECTS_COLUMNS, (r.__dict__ for r in ingested.rejects)))
    if clients is None:
        ledger.error = "no usable input: no data file was recognised or no row was accepted"
        ledger.finished_at = env.now()
        raise NoInputError(f"no usable input in {prepared.options.inputs}: see {ledger.write(prepared.quarter_dir)}")
    ledger.stale_inputs = warn_stale_inputs(ingested.files)
    reports = {f.path: f.as_manifest() for f in ingested.files}
    return Inputs(ledger, clients, reports, list(ledger.stale_inputs))


def plan(prepared: Prepared, inputs: Inputs, state: RunState, store) -> Work:
    """One ledger entry per client; a job for each client due, unless --resume finds its documents unchanged.

    Reads each client's history of earlier quarters (before anything of this quarter is recorded). A history
    store that is gone stops the plan: no client starts.
    """
    options, as_of, quarter, ledger = prepared.options, prepared.as_of, prepared.quarter, inputs.ledger
    clients = inputs.clients
    slugs = unique_slugs(list(clients))
    selected = _select(clients, options, quarter)
    lifecycle_dirs = tuple(p for p in [options.inputs / "lifecycle"] if p.is_dir())
    catalog = catalog_for(lifecycle_dirs)
    catalog_warning = freshness_warning(catalog, as_of)
    if catalog_warning:
        ledger.warn(catalog_warning)
    for warning in presenter_warnings(prepared.settings, [c for n, c in clients.items() if selected[n][0]]):
        ledger.warn(warning)
    titles = {p.name: p.title for p in load_profiles([options.inputs / "profiles"])}
    work = Work()
    redo: dict[str, int] = {}  # --resume: why clients are rendered again, and how many
    for name, client in clients.items():
        entry = ledger.clients[name] = ClientEntry(name, slugs[name], records={
            "devices": len(client.assets), "users": len(client.users), "subscriptions": len(client.subscriptions),
            "contracts": len(client.contracts), "device_merge_conflicts": client.merge_conflicts})
        wanted, reason = selected[name]
        if not wanted:
            entry.reason = reason
            continue
        if work.stopped:
            entry.not_started(work.stopped)
            continue
        try:
            view = store.client_view(name, quarter.label)  # earlier quarters only: read before recording
        except HistoryDataError as exc:
            _history_failed(entry, exc, "could not read the client's history")
            continue
        except HistoryUnavailable as exc:
            work.stopped = exc
            entry.not_started(exc)
            continue
        fingerprint = client_fingerprint(client, as_of.isoformat(), quarter.label, prepared.settings,
                                         prepared.templates, lifecycle_dirs, history_token=repr(view))
        work.fingerprints[name] = fingerprint
        if options.resume and not options.force:
            why = _resume_reason(state, name, fingerprint, prepared.quarter_dir)
            if why is None:
                entry.keep_unchanged(state.clients[name])
                continue
            redo[why] = redo.get(why, 0) + 1
        files = [inputs.reports[p] for p in client.input_sources if p in inputs.reports]
        facts = RunFacts(quarter=quarter.label, as_of=as_of, vcio_version=__version__, files=files,
                         profile_titles=titles, catalog_snapshot=catalog.snapshot_date.isoformat(),
                         catalog_warning=catalog_warning, data_dates=data_dates(files, as_of))
        work.jobs.append(ClientJob(client, slugs[name], facts, prepared.settings, *prepared.templates,
                                   lifecycle_dirs, history=PackedHistory(view)))
    unchanged = sum(1 for entry in ledger.clients.values() if entry.unchanged)
    if redo:
        _log_resume(redo, unchanged)
    if work.stopped:
        for job in work.jobs:
            ledger.clients[job.client.name].not_started(work.stopped)
        work.jobs = []
    elif not work.jobs and not unchanged:
        log.info("no clients due in %s", quarter.label)
    return work


def execute(prepared: Prepared, work: Work, ledger: RunLedger, state: RunState, store, env: Environment) -> None:
    """Render the planned clients, record their history and write their files; a store or cluster lost on the
    way stops the rest (work.stopped)."""
    try:
        work.outputs = _render_all(work.jobs, prepared.options, env, prepared.quarter_dir, state, ledger.clients,
                                   work.fingerprints, store, prepared.as_of)
    except (HistoryUnavailable, SchedulerUnavailable) as exc:
        work.stopped = exc


def finish(prepared: Prepared, ledger: RunLedger, state: RunState, env: Environment) -> Path:
    """The portfolio across every client with documents, then the manifest, last."""
    _write_portfolio(prepared, state, ledger)
    ledger.close(env.now())
    return ledger.write(prepared.quarter_dir)


def _outcome(prepared: Prepared, inputs: Inputs, work: Work, path: Path) -> RunOutcome:
    """The exit status: a stopped run raises; failed clients beat stale inputs, which beat success."""
    ledger = inputs.ledger
    if work.stopped:
        raise _stopped_run(work.stopped, ledger, path)
    stale = inputs.stale and not prepared.options.allow_stale
    status = ExitStatus.CLIENTS_FAILED if ledger.failed else (ExitStatus.STALE_INPUT if stale else ExitStatus.OK)
    if status == ExitStatus.STALE_INPUT:
        log.warning("documents written, but %d input file(s) are older than thresholds.stale_input_days: export them "
                    "again or rerun with --allow-stale (exit status 5)", len(inputs.stale))
    return RunOutcome(status, ledger.to_json(), path, work.outputs)


def _reach_scheduler(prepared: Prepared, env: Environment) -> None:
    """Before the ingest: a run whose cluster is unreachable stops in seconds, with a manifest saying why."""
    try:
        check_scheduler(prepared.options.scheduler or "")
    except SchedulerUnavailable as exc:
        ledger = RunLedger(prepared.quarter.label, prepared.as_of, prepared.started, error=str(exc),
                           finished_at=env.now())
        raise SchedulerUnavailable(f"{exc}; nothing was read or written (manifest "
                                   f"{ledger.write(prepared.quarter_dir)})") from None


@contextmanager
def _gc_exemption() -> Iterator[Callable[[], None]]:
    """Yields a function that exempts every object then alive from garbage collection, until the block ends.

    Each full collection walked the whole model (a quarter of a million objects per 500 clients) while
    the driver received its clients' results. Nothing is exempted when the caller had frozen objects of
    its own: unfreezing afterwards would thaw those too.
    """
    ours = gc.get_freeze_count() == 0
    frozen = False

    def exempt() -> None:
        nonlocal frozen
        if ours:
            gc.freeze()
            frozen = True

    try:
        yield exempt
    finally:
        if frozen:
            gc.unfreeze()


def _usable(ingested: IngestResult) -> bool:
    return any(f.accepted for f in ingested.files if f.entity not in CONFIG_ENTITIES)


def _ingest_and_build(options: RunOptions, settings: Settings, as_of: date
                      ) -> tuple[IngestResult, dict[str, ClientData] | None]:
    """The ingest result without its records, and the model (None when no input is usable)."""
    ingested = _ingest(options, settings, as_of)
    if not _usable(ingested):
        return ingested, None
    clients = build_clients(ingested)
    ingested.records.clear()  # the model holds the same data
    return ingested, clients


def _load_portfolio(options: RunOptions, settings: Settings, as_of: date
                    ) -> tuple[IngestResult, dict[str, ClientData] | None]:
    """Ingest and model, built in a short-lived child process where the platform can fork.

    Ingest holds every input row at once, and the allocator cannot hand that memory back while the
    model's objects are scattered through it: built in this process, all of it would stay for the whole
    run, beside the workers (1.46 GB for 2,000 clients, where the model alone unpickles into 0.3 GB).
    """
    if not hasattr(os, "fork"):
        return _ingest_and_build(options, settings, as_of)
    (ingested, usable), *clients = in_child(_portfolio_parts, options, settings, as_of)
    return ingested, (dict(clients) if usable else None)


def _portfolio_parts(options: RunOptions, settings: Settings, as_of: date) -> Iterator:
    """The ingest result, then each (name, client): sent one by one, so pickling keeps one client's memo at a
    time, not an entry for every object of the portfolio (that alone was 0.15 GB for 2,000 clients)."""
    ingested, clients = _ingest_and_build(options, settings, as_of)
    yield ingested, clients is not None
    yield from (clients or {}).items()


def _shows_progress(options: RunOptions) -> bool:
    return sys.stderr.isatty() if options.progress is None else options.progress


def _ingest(options: RunOptions, settings: Settings, as_of: date) -> IngestResult:
    try:
        ingested = ingest_folder(options.inputs, IngestOptions(
            as_of=as_of, stale_days=settings.thresholds.stale_input_days,
            format_overrides=dict(settings.ingest.formats),
            follow_symlinks_outside=settings.ingest.follow_symlinks_outside,
            out=options.out, progress=IngestProgress(sys.stderr, _shows_progress(options))))
    except ProfileError as exc:
        raise UsageError(str(exc)) from None
    if ingested.roster_errors:
        raise UsageError("the roster contradicts itself: " + "; ".join(ingested.roster_errors) +
                         " (run `vcio validate` to see every input problem)")
    log_skipped_outputs(ingested)
    log.info("ingested %d files: %d rows read, %d rejected, %d unrecognised", len(ingested.files),
             ingested.rows_read, len(ingested.rejects), len(ingested.unrecognised))
    return ingested


RESUME_NEW = "not rendered in an earlier run of this quarter"
RESUME_CHANGED = "inputs, decisions, goals, settings, templates, catalog, history or vcio version changed"
RESUME_FILES = "a document was edited, moved or deleted"


def _resume_reason(state: RunState, name: str, fingerprint: str, quarter_dir: Path) -> str | None:
    """None when the client is unchanged (same fingerprint, every file on disk the one vcio last wrote for
    it); else why it must be rendered again."""
    previous = state.clients.get(name)
    if not previous or not previous.get("files"):
        return RESUME_NEW
    if previous.get("fingerprint") != fingerprint:
        return RESUME_CHANGED
    hashes = previous.get("hashes", {})
    if all(file_sha256(quarter_dir / relative) == hashes.get(relative) for relative in previous["files"].values()):
        return None
    return RESUME_FILES


def _log_resume(redo: dict[str, int], unchanged: int) -> None:
    """One line saying what --resume will redo and why; a warning when nothing at all could be skipped,
    because a change shared by every client (configuration, templates, catalog, vcio upgrade) turns a
    few-seconds resume into a full run."""
    reasons = "; ".join(f"{count} {why}" for why, count in sorted(redo.items(), key=lambda kv: -kv[1]))
    total = sum(redo.values())
    if not unchanged and redo.get(RESUME_CHANGED) == total and total > 1:
        log.warning("--resume: all %d clients are rendered again: every fingerprint changed, which usually means "
                    "the configuration, a template, the lifecycle catalog or the vcio version changed since the "
                    "last run", total)
    else:
        log.info("--resume: %d unchanged, %d rendered again (%s)", unchanged, total, reasons)


def _open_history(settings: Settings, out: Path):
    from ..history import HistoryStore

    url = os.environ.get("VCIO_HISTORY_URL") or settings.history.url or None
    return HistoryStore.open(url, out)


def _record_histories(store, batch: list[ClientOutput], quarter: str, as_of: date,
                      entries: dict[str, ClientEntry]) -> list[ClientOutput]:
    """Record the batch's snapshots in one transaction; returns the outputs whose snapshot is committed.

    Rows the store refuses fail their own client alone (recorded one by one to find which). A store that
    is gone raises HistoryUnavailable, after one retry on a fresh connection (a restarted server, say).
    """
    from ..history.store import SnapshotInput

    items = []
    for output in batch:
        ctx = output.payload or {}
        items.append(SnapshotInput(output.name, quarter, as_of, ctx["findings"], ctx["grades"], ctx["risks"],
                                   ctx["initiatives"], ctx["budget"], ctx["decisions"], vcio_version=__version__))
    try:
        _retried(store.record_snapshots, items)
        return list(batch)
    except HistoryDataError as exc:
        if len(items) == 1:
            _history_failed(entries[batch[0].name], exc, "could not record the history snapshot")
            return []
        log.warning("recording %d history snapshots at once failed (%s): recording them one by one",
                    len(items), exc)
    recorded = []
    for output, item in zip(batch, items):
        try:
            _retried(store.record_snapshots, [item])
            recorded.append(output)
        except HistoryDataError as exc:
            _history_failed(entries[output.name], exc, "could not record the history snapshot")
    return recorded


def _retried(write, items):
    try:
        return write(items)
    except HistoryUnavailable as exc:
        log.debug("history store unavailable, retrying once: %s", exc, exc_info=exc)
        return write(items)


def _history_failed(entry: ClientEntry, exc: Exception, what: str) -> None:
    """A client whose rows the history store refused: failed, no documents, rendered again by --resume."""
    entry.fail(f"{what}: {exc}")
    entry.history_error = str(exc)
    log.error("client %s: %s: %s", entry.name, what, exc)
    log.debug("client %s: %s", entry.name, what, exc_info=exc)


def _stopped_run(exc: HistoryUnavailable | SchedulerUnavailable, ledger: RunLedger, manifest: Path):
    """The one message of a run that the history store or the cluster stopped: what happened, what is safe,
    what to do."""
    log.debug("the run stopped: %s", exc, exc_info=exc)
    clients = ledger.clients.values()
    done = ledger.done
    unrecorded = sum(1 for c in clients if c.status == "failed" and c.reason != NOT_STARTED)
    waiting = sum(1 for c in clients if c.reason == NOT_STARTED)
    return type(exc)(
        f"{exc}. The run stopped: {done} clients done with their history, {unrecorded} failed, {waiting} not "
        f"started (no documents were written without their history). Rerun with --resume once it is back; "
        f"manifest {manifest}")


def _write_portfolio(prepared: Prepared, state: RunState, ledger: RunLedger) -> None:
    """The MSP owner's view across every client rendered (or unchanged) this quarter."""
    from ..render.portfolio import portfolio_deck, portfolio_workbook
    from ..wording import Wording

    rows = [state.clients[name]["portfolio"] for name, entry in ledger.clients.items()
            if entry.files and "portfolio" in state.clients.get(name, {})]
    if not rows:
        return
    settings, quarter, as_of, folder = prepared.settings, prepared.quarter.label, prepared.as_of, prepared.quarter_dir
    msp = settings.msp.name
    atomic_write(folder / "portfolio.xlsx", portfolio_workbook(rows, quarter, msp, as_of,
                                                               wording=Wording.from_settings(settings)))
    atomic_write(folder / "portfolio.pptx", portfolio_deck(rows, quarter, msp, prepared.templates[1], as_of=as_of))
    ledger.portfolio = {"workbook": "portfolio.xlsx", "deck": "portfolio.pptx", "clients": len(rows)}


# Finished clients are recorded in the history a batch at a time: with a transaction per client (a commit,
# so fsyncs on SQLite), history was the largest part of the driver's work per client. A client's files are
# written only once its snapshot is committed, so a run killed at any moment leaves no documents without
# their snapshot; the clients of a batch not yet committed have no files and are rendered again by --resume.
# A batch holds at most this many clients' documents in memory, for at most about this long.
HISTORY_BATCH = 32
HISTORY_BATCH_SECONDS = 5.0


def _render_all(jobs: list[ClientJob], options: RunOptions, env: Environment, quarter_dir: Path, state: RunState,
                entries: dict[str, ClientEntry], fingerprints: dict[str, str], store, as_of: date) -> dict[str, ClientOutput]:
    from ..review.snapshot import portfolio_row

    if options.executor == "dask":
        results = run_dask(jobs, options.scheduler or "")
    else:
        results = run_local(jobs, options.jobs or env.cpu_count)
    show = env.stderr_isatty if options.progress is None else options.progress
    progress = Progress(len(jobs), env.stderr, show)
    outputs: dict[str, ClientOutput] = {}
    batch: list[ClientOutput] = []

    def finish() -> None:
        if not batch:
            return
        try:
            recorded = {id(o) for o in _record_histories(store, batch, jobs[0].facts.quarter, as_of, entries)}
        except HistoryUnavailable as exc:
            for output in batch:
                entries[output.name].fail(f"could not record the history snapshot: {exc}")
            raise
        for output in batch:
            if id(output) not in recorded:
                output.payload, output.files = None, {}
                progress.update(False)
                continue
            entry = entries[output.name]
            portfolio = portfolio_row(output.name, output.payload or {})
            output.payload = None  # the driver keeps no client's content once its files are written
            entry.files, entry.edited_kept = _write_client_files(quarter_dir, output, state,
                                                                 fingerprints[output.name], entry.findings, portfolio)
            output.files = {}  # written: the driver keeps no document bytes, its memory stays flat
            if options.pdf:
                _export_pdfs(quarter_dir, entry, state)
            client_done(output, quarter_dir / output.slug)
            progress.update(True)
        batch.clear()

    try:
        _collect(results, finish, batch, entries, outputs, progress)
        finish()
    except (HistoryUnavailable, SchedulerUnavailable) as exc:
        results.close()  # no new client starts; those in flight are dropped
        for job in jobs:
            if entries[job.client.name].status == "skipped":
                entries[job.client.name].not_started(exc)
        raise
    finally:
        progress.close()
    return outputs


def _collect(results, finish: Callable[[], None], batch: list[ClientOutput], entries: dict[str, ClientEntry],
             outputs: dict[str, ClientOutput], progress: Progress) -> None:
    batch_started = 0.0
    for output in results:
        entry = entries[output.name]
        entry.status = output.status
        entry.findings = output.counts or entry.findings
        if output.warnings:
            log_client_warnings(output.name, output.warnings)
            entry.warnings = manifest_warnings(output.warnings)
        outputs[output.name] = output
        if output.status == "failed":
            entry.error = output.error
            client_failed(output)
            output.files = {}
            progress.update(False)
            continue
        if not batch:
            batch_started = time.monotonic()
        batch.append(output)
        if len(batch) >= HISTORY_BATCH or time.monotonic() - batch_started >= HISTORY_BATCH_SECONDS:
            finish()


def _export_pdfs(quarter_dir: Path, entry: ClientEntry, state: RunState) -> None:
    """PDF copies of the roadmap and deck, recorded in the client's state like its documents (before they are
    written), so --resume keeps them in the manifest and renders again when one is deleted."""
    from ..errors import PdfUnavailable
    from ..render.pdf import convert_to_pdf

    for key in ("roadmap", "qbr"):
        relative = entry.files.get(key)
        if not relative:
            continue
        try:
            data = convert_to_pdf(quarter_dir / relative)
        except PdfUnavailable as exc:
            entry.pdf_error = str(exc)
            log.warning("%s", exc)
            return
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            entry.pdf_error = str(exc)
            log.error("client %s: PDF export failed: %s", entry.name, exc)
            continue
        pdf_relative = str(Path(relative).with_suffix(".pdf"))
        digest = sha256(data)
        state.remember(pdf_relative, digest)
        remembered = state.clients[entry.name]
        remembered["files"] = {**remembered["files"], f"{key}_pdf": pdf_relative}
        remembered["hashes"] = {**remembered["hashes"], pdf_relative: digest}
        state.save_client(entry.name, entry.slug)
        atomic_write(quarter_dir / pdf_relative, data)
        entry.files[f"{key}_pdf"] = pdf_relative


def _write_client_files(quarter_dir: Path, output: ClientOutput, state: RunState, fingerprint: str, counts: dict,
                        portfolio: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Write each file atomically; a document a presenter edited is kept and the new one goes beside it.

    The state (hashes and fingerprint) is saved before the renames, so whatever a crash leaves
    on disk is recognised as vcio's own, and `--resume` checks every file's hash before skipping.
    """
    planned, kept = [], {}
    for key, (name, data) in output.files.items():
        relative = f"{output.slug}/{name}"
        if key != "findings" and state.edited_by_person(relative, quarter_dir / relative):
            stem, suffix = os.path.splitext(name)
            kept[key] = relative
            relative = f"{output.slug}/{stem}{EDITED_SUFFIX}{suffix}"
            log.warning("client %s: %s was edited since vcio wrote it; kept it and wrote the new version to %s",
                        output.name, name, Path(relative).name)
        digest = sha256(data)
        state.remember(relative, digest)
        planned.append((key, relative, data, digest))
    written = {key: relative for key, relative, _, _ in planned}
    state.clients[output.name] = {"fingerprint": fingerprint, "files": written, "findings": counts,
                                  "hashes": {relative: digest for _, relative, _, digest in planned},
                                  "portfolio": portfolio}
    state.save_client(output.name, output.slug)
    for _key, relative, data, _digest in planned:
        atomic_write(quarter_dir / relative, data)
    return written, kept


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


def _select(clients: dict[str, ClientData], options: RunOptions, quarter: Quarter) -> dict[str, tuple[bool, str]]:
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
