"""Processes the driver starts end when the driver ends, however it ends (kill -9 included).

The fork server a process pool uses exits when the last holder of its "alive" pipe closes it; every worker
it forks inherits that pipe, and a worker waits on a task queue whose other end it also holds, so after a
killed driver the workers and the server kept each other alive for ever. Workers therefore drop their copy
of the pipe (the server then ends with the driver) and ask the kernel to kill them when their parent, the
server, ends. The ingest child asks the same of the driver.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have this process killed when its parent ends: prctl(PR_SET_PDEATHSIG) on Linux, a watching thread
    elsewhere. Call it early in a child process, from its main thread."""
    parent = os.getppid()
    if sys.platform.startswith("linux") and _set_pdeathsig():
        if os.getppid() != parent:  # the parent ended before the kernel was asked to watch it
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), name="vcio-parent-watch", daemon=True).start()


def _set_pdeathsig() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def pool_worker_started() -> None:
    """The pool's initializer: drop the fork server's "alive" pipe, then end with the fork server."""
    import multiprocessing
    from multiprocessing import forkserver

    server = forkserver._forkserver  # noqa: SLF001 - the one place its descriptor is kept
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass
        server._forkserver_alive_fd = None
    die_with_parent()
    driver = multiprocessing.parent_process()
    if driver is not None and not _alive(driver.pid):  # it died before this worker was watching
        os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True
