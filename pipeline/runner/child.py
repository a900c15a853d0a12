"""Run a generator in a forked child process and collect what it yields, so the memory it needed is the
child's and goes back to the system when the child exits (the run builds its portfolio this way).

The child streams each yielded value as its own pickle, and its exception (with its traceback as a note)
is raised in the parent. Messages speak of "the process reading the inputs": that is its one use.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import sys

from ..gcpause import gc_paused
from ..errors import EnvironmentProblem
from .parentdeath import die_with_parent


def in_child(function, *args) -> list:
    """The values ``function(*args)`` yields, computed in a forked child; its exception raised here."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # else the child would write out what this process had buffered a second time
        except (AttributeError, OSError, ValueError):
            pass
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child_main(read_fd, write_fd, function, args)  # never returns
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            payload = pipe.read()  # all of it before unpickling, so the child's memory is gone first
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # interrupted: what the child builds is of no use any more
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        raise EnvironmentProblem(f"the process reading the inputs was killed by signal {os.WTERMSIG(status)} "
                                 "(out of memory?)")
    if status != 0:
        raise RuntimeError(f"the process reading the inputs exited with status {os.waitstatus_to_exitcode(status)}")
    return _unpickle_parts(payload)


@gc_paused
def _unpickle_parts(payload: bytes) -> list:
    stream = io.BytesIO(payload)
    parts = []
    while stream.tell() < len(payload):
        failed, value = pickle.load(stream)
        if failed:
            raise value
        parts.append(value)
    return parts


def _child_main(read_fd: int, write_fd: int, function, args) -> None:
    """The forked child's whole life. It leaves through os._exit: unwinding into the caller's stack would
    release the parent's output lock and run the parent's cleanups."""
    code = 1
    try:
        die_with_parent()  # a killed driver leaves no child reading inputs nobody will use
        os.close(read_fd)
        with os.fdopen(write_fd, "wb") as pipe:
            _send_parts(pipe, function, args)
        code = 0
    except BrokenPipeError:
        pass  # the parent is gone (interrupted): nobody is waiting for the result
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


@gc_paused
def _send_parts(pipe, function, args) -> None:
    try:
        for part in function(*args):
            # Pickled whole before writing: a part that fails to pickle leaves no half of itself in the pipe.
            pipe.write(pickle.dumps((False, part), protocol=pickle.HIGHEST_PROTOCOL))
    except BrokenPipeError:
        raise
    except BaseException as exc:  # every failure of the function is the parent's to raise
        pipe.write(pickle.dumps((True, _portable(exc)), protocol=pickle.HIGHEST_PROTOCOL))


def _portable(exc: BaseException) -> BaseException:
    """The exception as the parent will raise it: picklable, with the child's traceback as a note."""
    import traceback

    note = "in the process reading the inputs:\n" + "".join(traceback.format_exception(exc)).rstrip()
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    exc.add_note(note)
    return exc
