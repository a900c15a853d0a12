"""Progress on a terminal: a bar for the ingest and one for the clients, with log lines printed above them;
nothing under cron (the log says it all).

The bars are tqdm's, imported only when a bar is shown, so `vcio --help` and runs under cron never load it.
While a bar is open, the console handlers of the "vcio" logger write through tqdm, which clears the bar, prints
the line and draws the bar again below it: log lines never land on the bar's line.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

LOGGER = "vcio"


class _BarLogHandler(logging.Handler):
    """Stands in for a console handler while a bar is shown: same level, format and filters."""

    def __init__(self, original: logging.StreamHandler):
        super().__init__(original.level)
        self.setFormatter(original.formatter)
        for log_filter in original.filters:
            self.addFilter(log_filter)
        self.stream = original.stream

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        try:
            tqdm.write(self.format(record), file=self.stream)
        except Exception:  # noqa: BLE001 - logging's own contract: report, never raise
            self.handleError(record)


def _is_console(handler: logging.Handler, bar_stream: TextIO) -> bool:
    """A handler writing where the bar is (log files are FileHandlers, a subclass: left alone)."""
    return type(handler) is logging.StreamHandler and handler.stream in (bar_stream, sys.stderr, sys.stdout)


@contextmanager
def logs_above_bar(bar_stream: TextIO) -> Iterator[None]:
    """Route the console log lines through tqdm while a bar is open; log files are untouched."""
    logger = logging.getLogger(LOGGER)
    original = list(logger.handlers)
    logger.handlers = [_BarLogHandler(h) if _is_console(h, bar_stream) else h for h in original]
    try:
        yield
    finally:
        logger.handlers = original


class _BarAboveLogs:
    """A tqdm bar on `stream` with the console log lines routed above it while it is open."""

    _bar = None
    _redirect = None

    def _open(self, stream: TextIO, **bar) -> None:
        from tqdm import tqdm

        self._redirect = logs_above_bar(stream)
        self._redirect.__enter__()
        self._bar = tqdm(file=stream, dynamic_ncols=True, **bar)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self._redirect is not None:
            self._redirect.__exit__(None, None, None)
            self._redirect = None


class Progress(_BarAboveLogs):
    """The clients' bar: how many are done and failed, and the time left."""

    def __init__(self, total: int, stream: TextIO, enabled: bool):
        self.total, self.stream, self.enabled = total, stream, enabled and total > 0
        self.done = self.failed = 0
        if self.enabled:
            self._open(stream, total=total, desc="clients", unit="client",
                       bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                                  "[{elapsed}<{remaining}{postfix}]", postfix="done 0, failed 0")

    def update(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        if self._bar is not None:
            self._bar.set_postfix_str(f"done {self.done}, failed {self.failed}", refresh=False)
            self._bar.update(1)


class IngestProgress(_BarAboveLogs):
    """The ingest's bar, fed by pipeline.ingest.folder: files read, then files mapped to records."""

    STAGES = {"reading": "reading exports", "mapping": "mapping rows"}

    def __init__(self, stream: TextIO, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self._stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        if self._bar is None:
            self._open(self.stream, total=total, unit="file", leave=False, desc=self.STAGES.get(stage, stage))
            self._stage = stage
        if stage != self._stage:
            self._stage = stage
            self._bar.reset(total=total)
            self._bar.set_description(self.STAGES.get(stage, stage))  # drawn now: a stage is news
        self._bar.update(done - self._bar.n)
        if stage == "mapping" and done >= total:
            self.close()
