"""Warnings raised while a client is processed reach the run's log (text or JSON, the log file) and the
manifest under that client, whether the client was processed here or in a worker process."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest

from pipeline.runner.clientlog import client_warnings
from tests.conftest import INPUTS, run_cli

QUARTER = "2026-Q4"
BAD_REVISIT = "Sunrise Pediatrics,INI-BADQ9,deferred,2026-10-01,Dana Whitfield,later,2027-Q9\n"


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = shutil.copytree(INPUTS, tmp_path / "inputs")
    with open(folder / "decisions.csv", "a", encoding="utf-8") as handle:
        handle.write(BAD_REVISIT)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"], ids=["in-process", "worker-processes"])
def test_a_workers_warning_reaches_the_json_log_file_and_the_manifest(tmp_path, inputs, jobs):
    log_file = tmp_path / "vcio.log"
    out = tmp_path / "out"
    result = run_cli("run", "--inputs", str(inputs), "--out", str(out), "--as-of", "2026-11-20", "--jobs", jobs,
                     "--client", "Sunrise Pediatrics", "--client", "Bluebird Creative Studio",
                     "--log-format", "json", "--log-file", str(log_file))
    assert result.returncode == 0, result.stderr
    for line in result.stderr.splitlines():  # nothing bypasses the configured format
        json.loads(line)
    logged = [json.loads(line) for line in log_file.read_text().splitlines()]
    about = [r for r in logged if "2027-Q9" in r["message"]]
    assert len(about) == 1, about
    assert about[0]["level"] == "warning" and about[0]["client"] == "Sunrise Pediatrics"
    assert "revisit_quarter '2027-Q9' for INI-BADQ9 is not a quarter like 2027-Q2" in about[0]["message"]
    manifest = json.loads((out / QUARTER / "manifest.json").read_text())
    clients = {c["name"]: c for c in manifest["clients"]}
    assert clients["Sunrise Pediatrics"]["warnings"] == [
        "revisit_quarter '2027-Q9' for INI-BADQ9 is not a quarter like 2027-Q2"]
    assert "warnings" not in clients["Bluebird Creative Studio"]


@pytest.mark.slow
def test_a_text_log_file_gets_the_warning_once(tmp_path, inputs):
    log_file = tmp_path / "vcio.log"
    result = run_cli("run", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--as-of", "2026-11-20",
                     "--jobs", "2", "--client", "Sunrise Pediatrics", "--client", "Bluebird Creative Studio",
                     "--log-file", str(log_file), "-q")
    assert result.returncode == 0, result.stderr
    lines = [line for line in log_file.read_text().splitlines() if "2027-Q9" in line]
    assert len(lines) == 1 and " WARNING client Sunrise Pediatrics: revisit_quarter '2027-Q9'" in lines[0]
    # -q: the console keeps errors and the summary line only; the warning is in the log file (and the manifest).
    assert "2027-Q9" not in result.stderr


def test_python_warnings_of_each_client_are_collected_for_that_client():
    def work():
        warnings.warn("a library complains", UserWarning)

    with client_warnings() as first:
        work()
    with client_warnings() as second:
        work()  # the same place again: the second client hears it too
    assert first == second == [{"level": "warning", "message": "UserWarning: a library complains"}]


def test_information_lines_travel_too_but_only_warnings_reach_the_manifest():
    import logging

    from pipeline.runner.clientlog import manifest_warnings

    log = logging.getLogger("vcio")
    with client_warnings() as records:
        log.info("carried a decision")
        log.warning("a bad revisit quarter")
    assert records == [{"level": "info", "message": "carried a decision"},
                       {"level": "warning", "message": "a bad revisit quarter"}]
    assert manifest_warnings(records) == ["a bad revisit quarter"]
