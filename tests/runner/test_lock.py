"""The output folder's lock: held by the kernel for the run, never wedged by a leftover file, never shared."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys

import pytest

from pipeline.runner import lock as lock_module
from pipeline.runner.lock import LOCK_NAME, OutputLock, is_locked
from pipeline.errors import EnvironmentProblem, ExitStatus, LockedError


@pytest.mark.parametrize("content", [b"", b"\x00\x00garbage{", b'{"pid": 0, "host": "x"}', b"[1, 2]"],
                         ids=["empty", "garbage", "pid-0", "not-an-object"])
def test_a_lock_file_nobody_holds_does_not_block_whatever_it_says(tmp_path, content):
    (tmp_path / LOCK_NAME).write_bytes(content)
    with OutputLock(tmp_path) as lock:
        assert lock.held
        details = json.loads((tmp_path / LOCK_NAME).read_text())
        assert details == {"pid": os.getpid(), "host": socket.gethostname()}


def test_a_lock_file_naming_a_live_process_that_holds_nothing_does_not_block(tmp_path):
    (tmp_path / LOCK_NAME).write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname()}))
    with OutputLock(tmp_path) as lock:
        assert lock.held


def test_a_held_lock_refuses_a_second_run_naming_the_holder_then_frees_without_removing_the_file(tmp_path):
    with OutputLock(tmp_path):
        with pytest.raises(LockedError) as info:
            with OutputLock(tmp_path):
                pass
        assert f"pid {os.getpid()} on {socket.gethostname()}" in str(info.value)
        assert info.value.status == ExitStatus.LOCKED
        assert is_locked(tmp_path)
    assert not is_locked(tmp_path)
    assert (tmp_path / LOCK_NAME).exists()  # never removed: removing it would let two runs lock two files
    with OutputLock(tmp_path):
        pass


def test_a_held_lock_with_an_unreadable_file_is_still_refused(tmp_path):
    with OutputLock(tmp_path):
        (tmp_path / LOCK_NAME).write_bytes(b"")  # someone emptied it: the kernel's lock still holds
        with pytest.raises(LockedError, match="another vcio run holds the lock"):
            with OutputLock(tmp_path):
                pass


def test_no_space_for_the_lock_is_an_environment_error_and_leaves_no_lock(tmp_path, monkeypatch):
    def full(fd, data, offset):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(lock_module.os, "pwrite", full)
    with pytest.raises(EnvironmentProblem) as info:
        with OutputLock(tmp_path):
            pass
    assert info.value.status == ExitStatus.ENVIRONMENT and "disk full" in str(info.value)
    assert not is_locked(tmp_path)
    assert (tmp_path / LOCK_NAME).read_bytes() == b""
    monkeypatch.undo()
    with OutputLock(tmp_path) as lock:
        assert lock.held


def test_a_forked_child_that_outlives_the_run_does_not_keep_the_folder_locked(tmp_path):
    read_end, write_end = os.pipe()
    started_read, started_write = os.pipe()
    with OutputLock(tmp_path):
        pid = os.fork()
        if pid == 0:  # the child: says it runs, waits until the parent has released, then ends
            os.close(write_end)
            os.write(started_write, b"1")
            os.read(read_end, 1)
            os._exit(0)
        assert os.read(started_read, 1) == b"1"
    os.close(started_read)
    os.close(started_write)
    try:
        assert not is_locked(tmp_path)  # the child is alive and still has every other descriptor
        with OutputLock(tmp_path) as lock:
            assert lock.held
    finally:
        os.close(write_end)
        os.close(read_end)
        os.waitpid(pid, 0)


def test_the_lock_of_a_killed_run_is_free_at_once(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from pipeline.runner.lock import OutputLock\n"
        "with OutputLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n"), str(tmp_path)],
        stdout=subprocess.PIPE, text=True, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    try:
        assert holder.stdout.readline().strip() == "held"
        assert is_locked(tmp_path)
        with pytest.raises(LockedError, match=f"pid {holder.pid} on"):
            with OutputLock(tmp_path):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with OutputLock(tmp_path) as lock:
        assert lock.held


STARTERS = 8
TRIALS = 16
ATTEMPTS = 4


def _starter(folder: str, barrier, overlaps, holds) -> None:
    """Wait for the others, then try to take the lock a few times; while holding it, check nobody else does."""
    from pathlib import Path

    inside = os.path.join(folder, "inside")
    barrier.wait()
    for attempt in range(ATTEMPTS):
        try:
            with OutputLock(Path(folder)):
                try:
                    os.close(os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    with overlaps.get_lock():
                        overlaps.value += 1
                    continue
                with holds.get_lock():
                    holds.value += 1
                os.sched_yield()
                os.unlink(inside)
                if attempt == ATTEMPTS - 1:
                    os._exit(0)  # dies holding the lock, as a killed run would
        except LockedError:
            pass
    os._exit(0)


@pytest.mark.slow
def test_concurrent_starters_never_hold_the_lock_at_the_same_time(tmp_path):
    context = multiprocessing.get_context("fork")
    overlaps, holds = context.Value("i", 0), context.Value("i", 0)
    leftovers = [None, b"", b"garbage", json.dumps({"pid": 999_999_999, "host": socket.gethostname()}).encode()]
    for trial in range(TRIALS):
        folder = tmp_path / str(trial)
        folder.mkdir()
        if leftovers[trial % len(leftovers)] is not None:
            (folder / LOCK_NAME).write_bytes(leftovers[trial % len(leftovers)])
        barrier = context.Barrier(STARTERS)
        starters = [context.Process(target=_starter, args=(str(folder), barrier, overlaps, holds))
                    for _ in range(STARTERS)]
        for process in starters:
            process.start()
        for process in starters:
            process.join(30)
            assert process.exitcode == 0
    assert overlaps.value == 0
    assert holds.value >= TRIALS  # every trial had a holder: the leftovers blocked nobody
