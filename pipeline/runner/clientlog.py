"""Warnings raised while one client is processed travel back with its result, wherever it was processed.

A pool worker or a Dask worker has none of the run's log handlers: a warning logged there reached stderr as
a bare line, missing from the --log-format json / --log-file log and from the manifest. While a client is
processed, its thread's records of the "vcio" logger and its Python warnings are collected instead; the
driver logs them through the run's handlers and lists them under the client in the manifest.
"""

from __future__ import annotations

import logging
import threading
import warnings
from contextlib import contextmanager
from typing import Iterator

_LOGGER = "vcio"
_active = threading.local()  # .records: the list of the client this thread processes now
_installed = False
_install_lock = threading.Lock()


class _ToClient(logging.Filter):
    """On the "vcio" logger: a record from a thread that is processing a client goes to that client's list,
    and no handler of this process emits it."""

    def filter(self, record: logging.LogRecord) -> bool:
        records = getattr(_active, "records", None)
        if records is None:
            return True
        records.append({"level": record.levelname.lower(), "message": record.getMessage()})
        return False


def _install() -> None:
    """The logger filter once per process; the warnings hook again whenever something replaced it (a
    warnings.catch_warnings block restores the function it found)."""
    global _installed
    with _install_lock:
        if not _installed:
            logger = logging.getLogger(_LOGGER)
            logger.addFilter(_ToClient())
            if logger.level == logging.NOTSET:  # a worker process: keep every level, the driver's handlers choose
                logger.setLevel(logging.DEBUG)
            _installed = True
        if getattr(warnings.showwarning, "_vcio_routes", False):
            return
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            records = getattr(_active, "records", None)
            if records is None:
                return shown(message, category, filename, lineno, file, line)
            records.append({"level": "warning", "message": f"{category.__name__}: {message}"})

        show._vcio_routes = True
        warnings.showwarning = show


@contextmanager
def client_warnings() -> Iterator[list[dict]]:
    """The list of {"level", "message"} that this thread logs (any level) or warns until the block ends."""
    _install()
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated:
        mutated()  # forget warnings shown "once per place" for an earlier client: each client gets its own
    records: list[dict] = []
    _active.records = records
    try:
        yield records
    finally:
        _active.records = None


def manifest_warnings(records: list[dict]) -> list[str]:
    """What the manifest lists under the client: its warnings and errors, not its information lines."""
    return [r["message"] for r in records if r["level"] not in ("debug", "info")]


def log_client_warnings(name: str, records: list[dict]) -> None:
    """In the driver: each record through the run's handlers, at its own level, marked with its client."""
    log = logging.getLogger(_LOGGER)
    for record in records:
        level = logging.getLevelName(record["level"].upper())
        log.log(level if isinstance(level, int) else logging.WARNING, "client %s: %s", name, record["message"],
                extra={"client": name, "event": "client_warning"})
