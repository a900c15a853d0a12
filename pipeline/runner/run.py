"""The quarterly run: ingest once, then each due client's documents, written atomically, manifest last."""

from __future__ import annotations

import gc
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

from .. import __version__
from ..catalog.lifecycle import freshness_warning
from ..config import Settings, find_config, load_settings
from ..errors import (EnvironmentProblem, ExitStatus, HistoryDataError, HistoryUnavailable, NoInputError,
                      SchedulerUnavailable, UsageError)
from ..ingest import load_profiles
from ..model import ClientData
from ..quarters import Quarter
from ..review import RunFacts
from .atomic import atomic_write, remove_stale_temps
from .client_job import ClientJob, ClientOutput, PackedHistory, catalog_for
from .csvout import REJECTS_COLUMNS, to_csv
from .delivery import history_failed, render_all
from .environment import Environment
from .executors import check_scheduler
from .fingerprint import client_fingerprint
from .freshness import data_dates, warn_stale_inputs
from .ledger import NOT_STARTED, ClientEntry, RunLedger
from .load import load_model
from .lock import OutputLock
from .names import unique_slugs
from .options import RunOptions, RunOutcome
from .preflight import check_requested_clients
from .resume import log_resume, resume_reason
from .selection import presenter_warnings, resolve_period, select_clients
from .state import RunState
from .templates import templates_for

log = logging.getLogger("vcio")


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
    ingested, clients = load_model(prepared.options, prepared.settings, prepared.as_of)
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
    selected = select_clients(clients, options, quarter)
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
            history_failed(entry, exc, "could not read the client's history")
            continue
        except HistoryUnavailable as exc:
            work.stopped = exc
            entry.not_started(exc)
            continue
        fingerprint = client_fingerprint(client, as_of.isoformat(), quarter.label, prepared.settings,
                                         prepared.templates, lifecycle_dirs, history_token=repr(view))
        work.fingerprints[name] = fingerprint
        if options.resume and not options.force:
            why = resume_reason(state, name, fingerprint, prepared.quarter_dir, wants_pdf=options.pdf)
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
        log_resume(redo, unchanged)
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
        work.outputs = render_all(work.jobs, prepared.options, env, prepared.quarter_dir, state, ledger.clients,
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


def _open_history(settings: Settings, out: Path):
    from ..history import HistoryStore

    url = os.environ.get("VCIO_HISTORY_URL") or settings.history.url or None
    return HistoryStore.open(url, out)


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


