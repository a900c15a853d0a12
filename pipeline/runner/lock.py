"""One run at a time per output folder: an exclusive ``flock`` on OUT/.vcio.lock, held for the whole run.

The kernel releases the lock when the process holding it ends, however it ends, so a dead run never
blocks the next one and there is no takeover to race. The file itself is never removed (removing and
re-creating it would let two runs lock two different files of the same name); what it holds, the
holder's PID and host, is information for people and messages only: an empty or garbled file means
nothing. Forked children close their copy of the descriptor, so a child that outlives its driver
does not keep the folder locked.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
from pathlib import Path

from ..errors import EnvironmentProblem, LockedError

LOCK_NAME = ".vcio.lock"

_HELD: set[int] = set()  # descriptors of the locks this process holds


def _close_in_child() -> None:
    # Only os.close: flock(LOCK_UN) here would release the parent's lock, which shares the open file.
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


def close_inherited_locks() -> None:
    """Close the lock descriptors a process inherited; for children started some other way than os.fork()."""
    _close_in_child()


def is_locked(folder: Path) -> bool:
    """Whether a run holds the lock on ``folder`` now (a test and diagnostics helper)."""
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


class OutputLock:
    def __init__(self, folder: Path):
        self.path = folder / LOCK_NAME
        self.fd: int | None = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def __enter__(self) -> "OutputLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise EnvironmentProblem(f"cannot create the lock {self.path}: {_why(exc)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise LockedError(f"another vcio run{holder} holds the lock on {self.path.parent}; wait for it to "
                              "finish (the lock is released when that run ends, however it ends)") from None
        except OSError as exc:  # a file system without flock support
            os.close(fd)
            raise EnvironmentProblem(f"cannot lock {self.path}: {_why(exc)}") from None
        try:
            _write_holder(fd)
        except OSError as exc:
            try:
                os.ftruncate(fd, 0)  # no half-written details left behind
            except OSError:
                pass
            os.close(fd)  # releases the lock
            raise EnvironmentProblem(f"cannot write the lock {self.path}: {_why(exc)}") from None
        self.fd = fd
        _HELD.add(fd)
        return self

    def __exit__(self, *exc_info) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        _HELD.discard(fd)
        try:
            os.ftruncate(fd, 0)  # the holder's details are no longer true
        except OSError:
            pass
        os.close(fd)  # releases the lock


def _write_holder(fd: int) -> None:
    data = json.dumps({"pid": os.getpid(), "host": socket.gethostname()}).encode()
    os.ftruncate(fd, 0)
    written = os.pwrite(fd, data, 0)
    if written != len(data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _holder(fd: int) -> str:
    """' (pid 123 on host-a)' from the lock file's content, or '' when it says nothing usable."""
    try:
        owner = json.loads(os.pread(fd, 4096, 0) or b"null")
        return f" (pid {int(owner['pid'])} on {str(owner['host'])[:100]})"
    except (OSError, ValueError, TypeError, KeyError):
        return ""


def _why(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk full (no space left on device)"
    return exc.strerror or str(exc)
