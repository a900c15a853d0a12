"""Log setup: plain lines for people and cron mail, or JSON lines for log collectors."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x9b]")


class SafeFormatter(logging.Formatter):
    """Client names come from exports: an escape sequence in one must not reach a terminal or cron mail."""

    def format(self, record: logging.LogRecord) -> str:
        return _CONTROL.sub("?", super().format(record))


# Fields a log call may carry (extra=...), written as JSON fields so a collector can filter on them.
EVENT_FIELDS = ("event", "client", "status", "findings", "counts", "started_at", "finished_at")
SUMMARY_EVENT = "summary"


def not_the_summary(record: logging.LogRecord) -> bool:
    """The run's summary line is printed once, on standard output; the log file keeps it as an event."""
    return getattr(record, "event", None) != SUMMARY_EVENT


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        for key in EVENT_FIELDS:
            if hasattr(record, key):
                data[key] = getattr(record, key)
        return json.dumps(data, ensure_ascii=False, default=str)


def setup_logging(log_format: str = "text", log_file: Path | None = None, quiet: bool = False,
                  quiet_level: int = logging.WARNING) -> None:
    """Log lines to stderr (at ``quiet_level`` and above with ``quiet``) and, with ``log_file``, to that file."""
    logger = logging.getLogger("vcio")
    logger.handlers.clear()
    logger.setLevel(logging.DEBUG)  # debug records (tracebacks of environment errors) go to the log file only
    logger.propagate = False
    formatter: logging.Formatter = (JsonFormatter() if log_format == "json"
                                    else SafeFormatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(quiet_level if quiet else logging.INFO)
    console.setFormatter(formatter)
    console.addFilter(not_the_summary)
    logger.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        if not log_file.exists():
            os.close(os.open(log_file, os.O_CREAT | os.O_WRONLY, 0o600))  # client names: owner only
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(formatter)
        logger.addHandler(handler)
