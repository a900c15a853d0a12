"""--executor dask against a real cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1, one
of them in another working folder; relative paths as the README and `vcio init` write them; workers that have
none of the driver's files; an unreachable scheduler; the per-client time limit."""

from __future__ import annotations

import importlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import INPUTS, REPO, run_cli

pytest.importorskip("distributed")
run_module = importlib.import_module("pipeline.runner.run")
QUARTER = "2026-Q4"
AS_OF = "2026-11-20"


def _dask_command() -> list[str]:
    script = Path(sys.executable).with_name("dask")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dask"]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The scheduler's address; the scheduler and two workers run until the module's tests are done."""
    base = tmp_path_factory.mktemp("cluster")
    scheduler_file = base / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(REPO), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    processes = [subprocess.Popen([*_dask_command(), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(scheduler_file)], cwd=base, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        elsewhere = base / "another-working-folder"
        elsewhere.mkdir()
        for cwd in (base, elsewhere):
            processes.append(subprocess.Popen(
                [*_dask_command(), "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                 "--host", "127.0.0.1", "--local-directory", str(cwd / "dask-worker-space")], cwd=cwd, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


@pytest.fixture
def workdir(tmp_path) -> Path:
    """A working folder as `vcio init` makes one: inputs/, vcio.toml in it with relative paths, templates/."""
    work = tmp_path / "work"
    shutil.copytree(INPUTS, work / "inputs")
    (work / "templates").mkdir()
    for name in ("roadmap.docx", "qbr.pptx"):
        shutil.copyfile(REPO / "templates" / name, work / "templates" / name)
    (work / "inputs" / "logo.png").write_bytes(_png())
    (work / "inputs" / "vcio.toml").write_text('[msp]\nname = "Dask MSP"\nlogo = "logo.png"\n[documents]\n'
                                                'roadmap_template = "../templates/roadmap.docx"\n'
                                                'qbr_template = "../templates/qbr.pptx"\n')
    return work


def _media(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(n) for n in archive.namelist() if "/media/" in n]


def _text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))


@pytest.mark.slow
def test_a_run_on_a_real_cluster_with_relative_paths(cluster, workdir):
    result = run_cli("run", "--inputs", "inputs", "--out", "outputs", "--as-of", AS_OF, "--all", "--executor", "dask",
                     "--scheduler", cluster, cwd=workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((workdir / "outputs" / QUARTER / "manifest.json").read_text())
    assert len(manifest["clients"]) == 6 and all(c["status"] == "ok" for c in manifest["clients"])
    logo = _png()
    for entry in manifest["clients"]:
        roadmap = workdir / "outputs" / QUARTER / entry["files"]["roadmap"]
        deck = workdir / "outputs" / QUARTER / entry["files"]["qbr"]
        assert entry["name"].replace("&", "&amp;") in _text(roadmap) and entry["name"].replace("&", "&amp;") in _text(deck)
        assert logo in _media(roadmap) and logo in _media(deck)


def test_a_worker_needs_none_of_the_drivers_files(tmp_path, workdir, monkeypatch):
    """What a remote worker gets: the job and the scattered files, with the driver's copies gone."""
    from pipeline.runner.remote import WorkerFiles, process_remote

    (workdir / "inputs" / "lifecycle").mkdir()  # a local catalog addition, on the driver's disk only
    shutil.copyfile(REPO / "pipeline" / "data" / "lifecycle" / "windows.json",
                    workdir / "inputs" / "lifecycle" / "windows.json")
    jobs = []
    monkeypatch.setattr(run_module, "render_all", lambda job_list, *args: jobs.extend(job_list) or {})
    run_module.run(run_module.RunOptions(inputs=workdir / "inputs", out=tmp_path / "out",
                                         as_of=date.fromisoformat(AS_OF), clients=("Sunrise Pediatrics",), jobs=1))
    assert jobs[0].lifecycle_dirs and all(p.is_absolute() for p in jobs[0].lifecycle_dirs)
    files = WorkerFiles.collect(jobs)
    shutil.rmtree(workdir)  # the driver's disk is not the worker's
    output = process_remote(jobs[0], files)
    assert output.status == "ok", output.error
    for key in ("roadmap", "qbr"):
        assert _png() in [data for name, data in _zip_members(output.files[key][1]).items() if "/media/" in name]


def _zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


@pytest.mark.slow
def test_an_unreachable_scheduler_exits_4_before_reading_any_input(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", AS_OF, "--all", "--executor",
                     "dask", "--scheduler", f"tcp://127.0.0.1:{_free_port()}")
    assert result.returncode == 4, result.stderr
    assert "cannot reach the Dask scheduler" in result.stderr and "Traceback" not in result.stderr
    manifest = json.loads((out / QUARTER / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "cannot reach the Dask scheduler" in manifest["error"]
    assert manifest["rows"]["read"] == 0 and not (out / QUARTER / "rejects.csv").exists()


@pytest.mark.slow
def test_the_per_client_time_limit_holds_under_dask(cluster, tmp_path):
    from tests.hostile.test_templates import RUNAWAY, _docx_template

    template = _docx_template(tmp_path, RUNAWAY["nested loops"])
    config = tmp_path / "vcio.toml"
    config.write_text(f'[documents]\nroadmap_template = "{template}"\nrender_timeout_seconds = 3\n')
    out = tmp_path / "out"
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", AS_OF, "--client",
                     "Sunrise Pediatrics", "--config", str(config), "--executor", "dask", "--scheduler", cluster,
                     timeout=300)
    assert result.returncode == 1, result.stderr[-3000:]
    manifest = json.loads((out / QUARTER / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Sunrise Pediatrics")
    assert entry["status"] == "failed" and "took longer than 3 s" in entry["error"]
