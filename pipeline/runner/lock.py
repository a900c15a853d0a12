"""One run at a time per output folder; a lock left by a dead process is taken over."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from ..errors import EnvironmentProblem, LockedError

LOCK_NAME = ".vcio.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputLock:
    def __init__(self, folder: Path):
        self.path = folder / LOCK_NAME
        self.held = False

    def __enter__(self) -> "OutputLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                owner = self._owner()
                if owner and owner.get("host") == socket.gethostname() and not _alive(int(owner.get("pid", 0))):
                    self.path.unlink(missing_ok=True)  # the process that held it is gone
                    continue
                raise LockedError(f"another vcio run (pid {owner.get('pid') if owner else '?'}) holds {self.path}; "
                                  "wait for it to finish, or delete the file if no run is active") from None
            except OSError as exc:
                raise EnvironmentProblem(f"cannot create the lock {self.path}: {exc.strerror}") from None
            with os.fdopen(fd, "w") as handle:
                json.dump({"pid": os.getpid(), "host": socket.gethostname()}, handle)
            self.held = True
            return self
        raise LockedError(f"could not take the lock {self.path}")

    def _owner(self) -> dict | None:
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            # Unreadable: either being written this instant by another run, or left corrupt long ago.
            try:
                fresh = time.time() - self.path.stat().st_mtime < 10
            except OSError:
                fresh = False
            return {"pid": os.getpid() if fresh else 0, "host": socket.gethostname()}

    def __exit__(self, *exc_info) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False
