"""Environment faults: disk full, read-only or blocked output folder, missing or corrupted template,
a worker process killed mid-run."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.runner import atomic
from pipeline.runner.lock import is_locked
from tests.conftest import INPUTS, REPO, run_cli
from tests.hostile.conftest import AS_OF, QUARTER, ROADMAP, add_roster_rows, copy_samples, write_devices

SMALL = ["--client", "Sunrise Pediatrics", "--client", "Bluebird Creative Studio"]


def run_in_process(out: Path, *extra: str):
    """The CLI in this process (--jobs 1: the whole run, writes included, happens here)."""
    return CliRunner().invoke(main, ["run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", AS_OF,
                                     "--jobs", "1", *SMALL, *extra])


def _complete_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except zipfile.BadZipFile:
        return False


def assert_no_partial_files(out: Path) -> None:
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        assert atomic.TEMP_MARKER not in path.name, f"temporary file left: {path}"
        if path.suffix in {".docx", ".pptx", ".xlsx"}:
            assert _complete_zip(path), f"truncated document: {path}"
        elif path.suffix == ".csv":
            assert path.read_bytes().endswith(b"\r\n"), f"truncated CSV: {path}"
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


class _Disk:
    """Stands in for the os module inside pipeline.runner.atomic: the disk fills up after ``budget`` bytes
    (the last write is partial, as on a real full disk), or every open fails with ``open_errno``."""

    def __init__(self, budget: int | None = None, open_errno: int | None = None):
        self.left = budget
        self.open_errno = open_errno
        self.failed = 0

    def __getattr__(self, name):
        return getattr(os, name)

    def open(self, path, flags, mode=0o777, **kwargs):
        if self.open_errno is not None:
            self.failed += 1
            raise OSError(self.open_errno, os.strerror(self.open_errno), str(path))
        return os.open(path, flags, mode, **kwargs)

    def write(self, fd, data):
        if self.left is not None:
            if self.left <= 0:
                self.failed += 1
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            data = bytes(data[:self.left])
            self.left -= len(data)
        return os.write(fd, data)


@pytest.mark.parametrize("budget", [0, 40_000, 300_000])
def test_disk_full_exits_4_and_leaves_no_partial_file(tmp_path, monkeypatch, budget):
    disk = _Disk(budget=budget)
    monkeypatch.setattr(atomic, "os", disk)
    out = tmp_path / "out"
    result = run_in_process(out)
    assert result.exit_code == 4, result.output
    assert disk.failed and "disk full" in result.output
    assert "Traceback" not in result.output
    assert_no_partial_files(out)
    assert not is_locked(out), "the lock is released"


def test_read_only_output_exits_4(tmp_path, monkeypatch):
    disk = _Disk(open_errno=errno.EROFS)
    monkeypatch.setattr(atomic, "os", disk)
    out = tmp_path / "out"
    result = run_in_process(out)
    assert result.exit_code == 4, result.output
    assert "Read-only file system" in result.output and "Traceback" not in result.output
    assert_no_partial_files(out)


def test_output_folder_below_a_file_exits_4(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(blocker / "out"), "--as-of", AS_OF, *SMALL)
    assert result.returncode == 4 and "output folder" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(blocker), "--as-of", AS_OF, *SMALL)
    assert result.returncode == 2 and "is a file" in result.stderr, result.stderr  # refused as a usage error


@pytest.mark.slow
def test_a_file_where_a_client_folder_goes_exits_4(tmp_path):
    """Found by this suite: atomic_write's mkdir was outside its error handling (exit 70, traceback)."""
    out = tmp_path / "out"
    (out / QUARTER).mkdir(parents=True)
    (out / QUARTER / "sunrise-pediatrics").write_text("in the way")
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", AS_OF, "--jobs", "1", *SMALL)
    assert result.returncode == 4, result.stderr[-2000:]
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert_no_partial_files(out)


# ----------------------------------------------------------------------------- templates
def _config(tmp_path: Path, key: str, template: Path) -> Path:
    config = tmp_path / "vcio.toml"
    config.write_text(f'[documents]\n{key} = "{template}"\n', encoding="utf-8")
    return config


def _truncated(tmp_path: Path, source: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return path


@pytest.mark.parametrize("key, make, message", [
    ("roadmap_template", lambda t: t / "missing" / "roadmap.docx", "template not found"),
    ("qbr_template", lambda t: t / "missing" / "qbr.pptx", "template not found"),
    ("roadmap_template", lambda t: (t / "r.docx").write_bytes(b"this is not a zip") and t / "r.docx", "not a zip"),
    ("qbr_template", lambda t: (t / "q.pptx").write_bytes(b"\x00" * 4096) and t / "q.pptx", "not a zip"),
    ("roadmap_template", lambda t: _truncated(t, ROADMAP, "cut.docx"), "not a zip"),
    ("roadmap_template", lambda t: t, "template"),  # a folder, not a file
])
def test_missing_or_corrupted_template_exits_4(tmp_path, key, make, message):
    template = make(tmp_path)
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path / "out"), "--as-of", AS_OF, *SMALL,
                     "--config", str(_config(tmp_path, key, template)))
    assert result.returncode == 4, result.stderr[-2000:]
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_zip_that_is_not_a_document_exits_4(tmp_path):
    template = tmp_path / "roadmap.docx"
    with zipfile.ZipFile(template, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path / "out"), "--as-of", AS_OF, *SMALL,
                     "--config", str(_config(tmp_path, "roadmap_template", template)))
    assert result.returncode == 4, (result.returncode, result.stderr[-2000:])
    assert "template" in result.stderr


# ----------------------------------------------------------------------------- a worker killed mid-run
def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _workers(pid: int) -> list[int]:
    """Processes two levels below the CLI: the process pool's workers (forked by the forkserver)."""
    return [grandchild for child in _children(pid) for grandchild in _children(child)]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the worker processes")
def test_a_killed_worker_fails_one_client_and_the_others_finish(tmp_path):
    inputs = copy_samples(tmp_path / "inputs")
    add_roster_rows(inputs, ["Slow Fleet Co"])  # a client that keeps a worker busy for a few seconds
    write_devices(inputs / "rmm" / "slow_fleet.csv",
                  [["Slow Fleet Co", f"SF-{i:05d}", f"SF{i:07d}", "desktop", "Microsoft Windows 10 Pro 10.0.19045",
                    "2018-03-01", ""] for i in range(4000)])
    out = tmp_path / "out"
    args = [sys.executable, "-m", "pipeline.cli", "run", "--inputs", str(inputs), "--out", str(out), "--as-of", AS_OF,
            "--all", "--jobs", "2", "-q"]
    process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    killed = None
    try:
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and process.poll() is None:
            workers = _workers(process.pid)
            if workers:
                time.sleep(1.0)  # let them take clients
                workers = _workers(process.pid)
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    killed = workers[0]
            time.sleep(0.05)
        _, stderr = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert killed is not None, "no worker process was seen"
    assert process.returncode in (0, 1), (process.returncode, stderr[-3000:])
    manifest = json.loads((out / QUARTER / "manifest.json").read_text())
    failed = [c for c in manifest["clients"] if c["status"] == "failed"]
    assert len(failed) <= 1, [(c["name"], c["error"]) for c in failed]
    assert all("worker" in (c["error"] or "") for c in failed)
    for entry in manifest["clients"]:
        if entry["status"] == "ok":
            assert all((out / QUARTER / rel).is_file() for rel in entry["files"].values()), entry["name"]
    assert len(manifest["clients"]) - len(failed) >= 6
