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


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        for key in ("event", "client", "counts"):
            if hasattr(record, key):
                data[key] = getattr(record, key)
        return json.dumps(data, ensure_ascii=False, default=str)


def setup_logging(log_format: str = "text", log_file: Path | None = None, quiet: bool = False) -> None:
    logger = logging.getLogger("vcio")
    logger.handlers.clear()
    logger.setLevel(logging.DEBUG)  # debug records (tracebacks of environment errors) go to the log file only
    logger.propagate = False
    formatter: logging.Formatter = (JsonFormatter() if log_format == "json"
                                    else SafeFormatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING if quiet else logging.INFO)
    console.setFormatter(formatter)
    logger.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        if not log_file.exists():
            os.close(os.open(log_file, os.O_CREAT | os.O_WRONLY, 0o600))  # client names: owner only
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(formatter)
        logger.addHandler(handler)
