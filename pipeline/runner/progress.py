"""Progress on a terminal (a bar with the time left); nothing under cron (the log says it all)."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO, enabled: bool):
        self.total, self.stream, self.enabled = total, stream, enabled and total > 0
        self.done = self.failed = 0
        self.started = time.monotonic()

    def update(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        if not self.enabled:
            return
        finished = self.done + self.failed
        elapsed = time.monotonic() - self.started
        left = elapsed / finished * (self.total - finished) if finished else 0
        width = 30
        filled = int(width * finished / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {finished}/{self.total} "
                          f"done {self.done}, failed {self.failed}, {int(left) // 60:02d}:{int(left) % 60:02d} left ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
