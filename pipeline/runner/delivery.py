"""The clients' work delivered: results received from the workers, their history snapshots committed a batch at
a time, then their files written atomically (and PDF copies when asked)."""

from __future__ import annotations

import logging
import os
import subprocess
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .. import __version__
from ..errors import HistoryDataError, HistoryUnavailable, SchedulerUnavailable
from .atomic import atomic_write
from .client_job import ClientJob, ClientOutput
from .clientlog import log_client_warnings, manifest_warnings
from .environment import Environment
from .events import client_done, client_failed
from .executors import run_dask, run_local
from .ledger import ClientEntry
from .progress import Progress
from .state import RunState, sha256

if TYPE_CHECKING:
    from .options import RunOptions

log = logging.getLogger("vcio")


EDITED_SUFFIX = " (vcio update)"


# Finished clients are recorded in the history a batch at a time: with a transaction per client (a commit,
# so fsyncs on SQLite), history was the largest part of the driver's work per client. A client's files are
# written only once its snapshot is committed, so a run killed at any moment leaves no documents without
# their snapshot; the clients of a batch not yet committed have no files and are rendered again by --resume.
# A batch holds at most this many clients' documents in memory, for at most about this long.
HISTORY_BATCH = 32


HISTORY_BATCH_SECONDS = 5.0


def render_all(jobs: list[ClientJob], options: RunOptions, env: Environment, quarter_dir: Path, state: RunState,
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
            history_failed(entries[batch[0].name], exc, "could not record the history snapshot")
            return []
        log.warning("recording %d history snapshots at once failed (%s): recording them one by one",
                    len(items), exc)
    recorded = []
    for output, item in zip(batch, items):
        try:
            _retried(store.record_snapshots, [item])
            recorded.append(output)
        except HistoryDataError as exc:
            history_failed(entries[output.name], exc, "could not record the history snapshot")
    return recorded


def _retried(write, items):
    try:
        return write(items)
    except HistoryUnavailable as exc:
        log.debug("history store unavailable, retrying once: %s", exc, exc_info=exc)
        return write(items)


def history_failed(entry: ClientEntry, exc: Exception, what: str) -> None:
    """A client whose rows the history store refused: failed, no documents, rendered again by --resume."""
    entry.fail(f"{what}: {exc}")
    entry.history_error = str(exc)
    log.error("client %s: %s: %s", entry.name, what, exc)
    log.debug("client %s: %s", entry.name, what, exc_info=exc)


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
