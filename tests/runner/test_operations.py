"""Unattended runs: exit codes, locks, logs, presenters' edits, resume, kills, schedules, Dask."""

from __future__ import annotations

import configparser
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.runner.lock import OutputLock

from ..conftest import INPUTS, REPO, run_cli

AS_OF = "2026-11-20"
SMALL = ("Sunrise Pediatrics", "Bluebird Creative Studio")


def small_run(out: Path, *extra: str, inputs: Path = INPUTS, env: dict | None = None):
    args = ["run", "--inputs", str(inputs), "--out", str(out), "--as-of", AS_OF, "--jobs", "1"]
    for name in SMALL:
        args += ["--client", name]
    return run_cli(*args, *extra, env=env)


def documents(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.suffix in {".docx", ".pptx", ".xlsx"}]


def test_a_bad_per_client_setting_is_refused_before_any_work(tmp_path):
    config = tmp_path / "vcio.toml"
    config.write_text('[clients."Sunrise Pediatrics".prices]\ndesktop = "not a number"\n')
    out = tmp_path / "out"
    result = small_run(out, "--config", str(config))
    assert result.returncode == 2, result.stderr
    assert '[clients."Sunrise Pediatrics"]: [prices] desktop' in result.stderr and "expected a number" in result.stderr
    assert not (out / "2026-Q4" / "manifest.json").exists()


@pytest.mark.slow
def test_usage_errors_exit_2(tmp_path):
    disagree = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path), "--as-of", AS_OF, "--quarter", "2026-Q3")
    assert disagree.returncode == 2 and "2026-Q4" in disagree.stderr
    unknown = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path), "--as-of", AS_OF, "--client", "Nobody Inc")
    assert unknown.returncode == 2 and "not in the roster" in unknown.stderr
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text("[thresholds\n")
    config = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path), "--config", str(bad_config))
    assert config.returncode == 2 and "not valid TOML" in config.stderr
    missing = run_cli("run", "--out", str(tmp_path))
    assert missing.returncode == 2


def test_no_usable_input_exits_3(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "notes.csv").write_text("what,ever\n1,2\n")
    result = run_cli("run", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--as-of", AS_OF)
    assert result.returncode == 3, result.stderr
    manifest = json.loads((tmp_path / "out" / "2026-Q4" / "manifest.json").read_text())
    assert manifest["status"] == "failed" and manifest["unrecognised_inputs"][0]["path"] == "notes.csv"


def test_unwritable_output_exits_4(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(blocker / "out"), "--as-of", AS_OF)
    assert result.returncode == 4, result.stderr
    assert "output folder" in result.stderr


def test_missing_template_exits_4(tmp_path):
    config = tmp_path / "vcio.toml"
    config.write_text('[documents]\nqbr_template = "nowhere/qbr.pptx"\n')
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path / "out"), "--as-of", AS_OF,
                     "--config", str(config))
    assert result.returncode == 4 and "template not found" in result.stderr


def test_second_run_exits_75_while_locked(tmp_path):
    out = tmp_path / "out"
    with OutputLock(out):
        result = small_run(out)
    assert result.returncode == 75 and f"pid {os.getpid()}" in result.stderr and "holds" in result.stderr


def _roadmap_failing_for(client: str, path: Path) -> Path:
    """A roadmap template naming the client, with a tag that divides by zero for one client only."""
    from docx import Document

    document = Document()
    document.add_paragraph().add_run(f'{{% if client.name == "{client}" %}}{{{{ 1 // 0 }}}}{{% endif %}}')
    document.add_paragraph().add_run("Roadmap of {{ client.name }}")
    document.save(path)
    return path


@pytest.mark.slow
def test_poisoned_client_fails_alone_with_exit_1(tmp_path):
    template = _roadmap_failing_for("Sunrise Pediatrics", tmp_path / "roadmap.docx")
    config = tmp_path / "vcio.toml"
    config.write_text(f'[documents]\nroadmap_template = "{template}"\n')
    out = tmp_path / "out"
    result = small_run(out, "--config", str(config))
    assert result.returncode == 1, result.stderr
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    status = {c["name"]: c for c in manifest["clients"]}
    assert status["Sunrise Pediatrics"]["status"] == "failed"
    assert status["Sunrise Pediatrics"]["error"].startswith("TemplateError: the roadmap template")
    assert status["Bluebird Creative Studio"]["status"] == "ok"
    assert manifest["status"] == "partial"
    assert "Traceback" in result.stderr  # the traceback goes to the log


@pytest.mark.slow
def test_json_logs_parse_and_end_with_a_summary(tmp_path):
    log_file = tmp_path / "vcio.log"
    result = small_run(tmp_path / "out", "--log-format", "json", "--log-file", str(log_file))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert lines and all({"time", "level", "message"} <= set(line) for line in lines)
    summary = [line for line in lines if line.get("event") == "summary"]
    assert len(summary) == 1 and summary[0]["counts"]["ok"] == 2
    assert "\r" not in result.stderr  # no progress bar without a terminal


@pytest.mark.slow
def test_presenter_edits_are_kept(tmp_path):
    from pptx import Presentation

    out = tmp_path / "out"
    assert small_run(out).returncode == 0
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Sunrise Pediatrics")
    deck_path = out / "2026-Q4" / entry["files"]["qbr"]
    deck = Presentation(str(deck_path))
    deck.slides[0].shapes.title.text = "Edited by the presenter"
    deck.save(str(deck_path))
    edited = deck_path.read_bytes()

    result = small_run(out)
    assert result.returncode == 0, result.stderr
    assert deck_path.read_bytes() == edited, "the presenter's file is untouched"
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Sunrise Pediatrics")
    assert entry["edited_kept"]["qbr"].endswith(deck_path.name)
    new = out / "2026-Q4" / entry["files"]["qbr"]
    assert new != deck_path and "(vcio update)" in new.name and new.is_file()
    assert "was edited" in result.stderr


@pytest.mark.slow
def test_resume_skips_unchanged_clients_and_redoes_changed_ones(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    out = tmp_path / "out"
    assert small_run(out, inputs=inputs).returncode == 0
    again = small_run(out, "--resume", inputs=inputs)
    assert again.returncode == 0
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    assert all(c["reason"].startswith("unchanged") for c in manifest["clients"] if c["name"] in SMALL)
    assert all(c["files"] for c in manifest["clients"] if c["name"] in SMALL)

    goals = inputs / "goals.csv"
    goals.write_text(goals.read_text() + "Sunrise Pediatrics,Open a second clinic,2027-12-31,Owner,Clinic open,High,growth\n")
    third = small_run(out, "--resume", inputs=inputs)
    assert third.returncode == 0
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    status = {c["name"]: c for c in manifest["clients"]}
    assert status["Sunrise Pediatrics"]["status"] == "ok"
    assert status["Bluebird Creative Studio"]["reason"].startswith("unchanged")
    forced = small_run(out, "--resume", "--force", inputs=inputs)
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    assert forced.returncode == 0 and all(c["status"] == "ok" for c in manifest["clients"] if c["name"] in SMALL)


def _complete(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except zipfile.BadZipFile:
        return False


@pytest.mark.slow
def test_sigkill_never_leaves_a_partial_file_and_resume_finishes(tmp_path):
    out = tmp_path / "out"
    rng = random.Random(7)
    args = [sys.executable, "-m", "pipeline.cli", "run", "--inputs", str(INPUTS), "--out", str(out),
            "--as-of", AS_OF, "--all", "--jobs", "1", "--resume"]
    for attempt in range(4):
        process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(rng.uniform(0.8, 4.0) + attempt)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for document in documents(out):
            if ".tmp-" not in document.name:
                assert _complete(document), f"truncated after kill {attempt}: {document}"
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    assert all(c["files"] for c in manifest["clients"])
    assert all(_complete(d) for d in documents(out))


def test_schedules_parse():
    crontab = (REPO / "deploy" / "crontab").read_text()
    entries = [line for line in crontab.splitlines() if line.strip() and not line.startswith("#") and
               "=" not in line.split()[0]]  # MAILTO=, SHELL=
    assert len(entries) == 1
    fields = entries[0].split(None, 5)
    assert fields[:5] == ["0", "2", "1", "1,4,7,10", "*"] and "vcio run" in fields[5]
    assert fields[5].index("vcio validate") < fields[5].index("vcio run")
    for name in ("vcio.service", "vcio.timer"):
        parser = configparser.ConfigParser(strict=True, interpolation=None)
        parser.read_string((REPO / "deploy" / name).read_text())
        assert parser.sections()
    service = configparser.ConfigParser(interpolation=None)
    service.read_string((REPO / "deploy" / "vcio.service").read_text())
    assert "vcio run" in service["Service"]["ExecStart"]
    analyzer = shutil.which("systemd-analyze")
    if analyzer:
        timer = configparser.ConfigParser(interpolation=None)
        timer.read_string((REPO / "deploy" / "vcio.timer").read_text())
        when = timer["Timer"]["OnCalendar"]
        assert when == "*-01,04,07,10-01 02:00:00"
        result = subprocess.run([analyzer, "calendar", when], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_dask_executor_gives_the_same_findings(tmp_path):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                       host="127.0.0.1", dashboard_address=None)
    try:
        dask_out, local_out = tmp_path / "dask", tmp_path / "local"
        with_dask = small_run(dask_out, "--executor", "dask", "--scheduler", cluster.scheduler_address)
        assert with_dask.returncode == 0, with_dask.stderr[-2000:]
    finally:
        cluster.close()
    assert small_run(local_out).returncode == 0
    for slug in ("sunrise-pediatrics", "bluebird-creative-studio"):
        dask_rows = list(csv.reader(io.StringIO((dask_out / "2026-Q4" / slug / "findings.csv").read_text())))
        local_rows = list(csv.reader(io.StringIO((local_out / "2026-Q4" / slug / "findings.csv").read_text())))
        assert dask_rows == local_rows and len(dask_rows) > 1
        assert sorted(p.name for p in (dask_out / "2026-Q4" / slug).iterdir()) == sorted(
            p.name for p in (local_out / "2026-Q4" / slug).iterdir())


@pytest.mark.slow
def test_init_scaffolds_a_working_folder(tmp_path):
    target = tmp_path / "msp"
    result = run_cli("init", str(target))
    assert result.returncode == 0, result.stderr
    for relative in ("inputs/README.md", "inputs/clients.csv", "inputs/goals.csv", "vcio.toml",
                     "templates/roadmap.docx", "templates/qbr.pptx"):
        assert (target / relative).is_file(), relative
    config = (target / "vcio.toml").read_text()
    assert 'qbr_template = "templates/qbr.pptx"' in config and "# " in config
    again = run_cli("init", str(target))
    assert again.returncode == 0 and "kept" in again.stdout


@pytest.mark.slow
def test_resume_says_why_clients_are_rendered_again(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    out = tmp_path / "out"
    assert small_run(out, inputs=inputs).returncode == 0
    again = small_run(out, "--resume", inputs=inputs)
    assert "--resume:" not in again.stderr  # nothing to redo, nothing to explain

    goals = inputs / "goals.csv"
    goals.write_text(goals.read_text() + "Sunrise Pediatrics,Open a second clinic,2027-12-31,Owner,Clinic open,High,growth\n")
    one = small_run(out, "--resume", inputs=inputs)
    assert one.returncode == 0
    assert "--resume: 1 unchanged, 1 rendered again (1 inputs, decisions, goals, settings" in one.stderr

    (inputs / "vcio.toml").write_text('[documents]\ndeck_appendix_rows = 39\n')  # a setting every client shares
    every = small_run(out, "--resume", inputs=inputs)
    assert every.returncode == 0
    assert "WARNING" in every.stderr and "all 2 clients are rendered again" in every.stderr
    # an obsolete setting still loads: one warning in the log, and in the manifest
    assert every.stderr.count("[documents] deck_appendix_rows is no longer used") == 1
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    assert manifest["settings_warnings"] == [f"{inputs / 'vcio.toml'}: [documents] deck_appendix_rows is no longer "
                                             "used (the deck's appendix lists one line per kind of finding, and the "
                                             "findings workbook lists every row); remove it"]
