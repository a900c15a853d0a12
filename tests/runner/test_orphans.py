"""A driver killed with SIGKILL leaves no process behind: not its pool workers, not their fork server, not the
child reading the inputs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import REPO

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")

# Each driver starts its children, then prints "ready" once they are at work on tasks that never end by themselves.
POOL_DRIVER = """
import sys, time
from pipeline.runner.executors import run_local
results = run_local([3600] * 4, 2, task=time.sleep)
print("ready", flush=True)
next(results)
"""
INGEST_DRIVER = """
import time
from pipeline.runner.child import in_child

def forever():
    time.sleep(3600)
    yield None

print("ready", flush=True)
in_child(forever)
"""


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process now."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), fields[0])
    return found


def _descendants(root: int) -> set[int]:
    table = _processes()
    found, frontier = set(), {root}
    while frontier:
        children = {pid for pid, (parent, _) in table.items() if parent in frontier} - found
        found |= children
        frontier = children
    return found


def _alive(pids: set[int]) -> set[int]:
    table = _processes()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}  # a zombie has ended


def _wait_for(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("script, expected", [(POOL_DRIVER, 4), (INGEST_DRIVER, 1)], ids=["pool", "ingest-child"])
def test_kill_9_of_the_driver_leaves_no_descendant_alive(script, expected):
    driver = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL)
    descendants: set[int] = set()
    try:
        assert driver.stdout.readline().strip() == "ready"
        # pool: the fork server, the resource tracker and two workers; ingest: the forked child
        descendants = _wait_for(lambda: (lambda found: found if len(found) >= expected else set())(
            _descendants(driver.pid)), 60)
        assert len(descendants) >= expected, "the driver's children did not start"
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        _wait_for(lambda: not _alive(descendants), 30)
        assert not _alive(descendants), f"still alive after the driver was killed: {sorted(_alive(descendants))}"
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
        for pid in _alive(descendants):
            os.kill(pid, signal.SIGKILL)
