"""A wall-clock limit on a block of work, where a timer signal can be used (a process's main thread)."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from .errors import TimeLimitExceeded



@contextmanager
def time_limit(seconds: int, message: str) -> Iterator[None]:
    """Raise TimeLimitExceeded(message) after `seconds`; no limit off the main thread or for seconds <= 0."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
