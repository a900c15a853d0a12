"""Crash-safe file writing: a final name always holds a complete file (old or new) or nothing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..errors import EnvironmentProblem

TEMP_MARKER = ".tmp-"


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARKER}{os.getpid()}")


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write to a hidden temporary name in the same folder, flush to disk, then rename.

    Every OS error is the environment's (disk full, read-only or blocked folder: exit 4), never a crash.
    """
    temp = temp_name(path)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # client folders name clients: owner only
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as exc:
        try:
            temp.unlink()
        except OSError:  # never created, or its folder is not a folder
            pass
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise EnvironmentProblem(f"disk full while writing {path}") from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise EnvironmentProblem(f"cannot write {path}: {exc.strerror}") from None
        # e.g. a file where the client's folder should be (EEXIST, ENOTDIR), an I/O error
        raise EnvironmentProblem(f"cannot write {path}: {exc.strerror or exc}") from None


def remove_stale_temps(folder: Path) -> int:
    """Temporary files left by a killed run are never complete: remove them."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.rglob(f".*{TEMP_MARKER}*"):
        try:
            path.unlink()
            removed += 1
        except OSError:
            continue
    return removed
