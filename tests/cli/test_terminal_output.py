"""What a run prints: one summary line, -q for cron, --resume with nothing to do, --client checked early, bars
that log lines never overwrite, JSON events a collector can filter on."""

from __future__ import annotations

import io
import json
import logging

import pytest

from pipeline.ingest import IngestOptions, ingest_folder
from pipeline.runner.progress import IngestProgress, Progress

from ..conftest import INPUTS, SAMPLE_AS_OF, run_cli

ONE = "Sunrise Pediatrics"  # the smallest sample client


def sample_run(out, *extra):
    return run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", SAMPLE_AS_OF.isoformat(),
                   "--client", ONE, *extra)


@pytest.fixture(scope="module")
def quiet_then_resumed(tmp_path_factory):
    out = tmp_path_factory.mktemp("terminal")
    log_file = out / "vcio.log"
    first = sample_run(out, "-q", "--log-format", "json", "--log-file", str(log_file))
    again = sample_run(out, "--resume")
    return first, again, log_file


def test_quiet_prints_the_summary_line_alone(quiet_then_resumed):
    first, _, _ = quiet_then_resumed
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""  # the catalog-age warning and the per-client lines stay in the log file
    lines = first.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("vcio 2026-Q4: 1 client done, 0 failed, 5 not selected; ")


def test_json_log_events_carry_client_status_and_findings(quiet_then_resumed):
    _, _, log_file = quiet_then_resumed
    events = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    clients = [e for e in events if e.get("event") == "client"]
    assert [(e["client"], e["status"]) for e in clients] == [(ONE, "ok")]
    assert isinstance(clients[0]["findings"], int) and clients[0]["findings"] > 0
    assert f"{ONE}: {clients[0]['findings']} findings" in clients[0]["message"]
    summaries = [e for e in events if e.get("event") == "summary"]
    assert len(summaries) == 1 and summaries[0]["counts"]["ok"] == 1


def test_the_summary_is_printed_once_and_resume_says_every_client_is_unchanged(quiet_then_resumed):
    _, again, _ = quiet_then_resumed
    assert again.returncode == 0, again.stderr
    both = again.stdout + again.stderr
    assert both.count("vcio 2026-Q4:") == 1
    assert "every due client (1) is unchanged since the last run (--resume), nothing to render" in again.stdout
    assert "No clients due" not in both


def test_an_unknown_client_fails_before_the_ingest_with_did_you_mean(tmp_path):
    out = tmp_path / "out"
    result = sample_run(out, "--client", "Harbor Pont Dental")
    assert result.returncode == 2
    assert "'Harbor Pont Dental' is not in the roster; did you mean 'Harbor Point Dental'?" in result.stderr
    assert not out.exists()  # nothing was read or written
    assert "ingested" not in result.stderr


@pytest.mark.slow
def test_a_client_named_by_an_alias_in_any_case_is_the_roster_client(tmp_path):
    # The sample roster gives Sunrise Pediatrics the alias "Sunrise Pediatrics PLLC".
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path), "--as-of", SAMPLE_AS_OF.isoformat(),
                     "--client", "SUNRISE pediatrics pllc", "-q")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "2026-Q4" / "manifest.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in manifest["clients"] if c["status"] == "ok"] == [ONE]


def test_log_lines_are_printed_above_the_bar_never_on_its_line():
    stream = io.StringIO()
    logger = logging.getLogger("vcio")
    saved = list(logger.handlers)
    console = logging.StreamHandler(stream)
    console.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.handlers = [console]
    logger.setLevel(logging.INFO)
    try:
        bar = Progress(3, stream, enabled=True)
        bar.update(True)
        logger.info("client Acme: 3 findings")
        bar.update(False)
        bar.close()
        logger.info("after the bar")
    finally:
        logger.handlers = saved
    text = stream.getvalue()
    lines = text.replace("\r", "\n").split("\n")
    assert "INFO client Acme: 3 findings" in lines and "INFO after the bar" in lines
    assert not [line for line in lines if "clients:" in line and "INFO" in line]
    assert "2/3" in text and "done 1, failed 1" in text
    assert logger.handlers == saved and console not in logger.handlers


def test_no_bar_and_no_tqdm_output_when_disabled():
    stream = io.StringIO()
    bar = Progress(3, stream, enabled=False)
    bar.update(True)
    bar.close()
    feed = IngestProgress(stream, enabled=False)
    feed("reading", 0, 2)
    assert stream.getvalue() == ""


def test_the_ingest_reports_its_progress_file_by_file(tmp_path):
    seen = []
    result = ingest_folder(INPUTS, IngestOptions(as_of=SAMPLE_AS_OF, progress=lambda *a: seen.append(a)))
    files = len(result.files) + len(result.unrecognised)
    assert seen[0] == ("reading", 0, files)
    assert ("mapping", 0, len(result.files)) in seen
    assert seen[-1] == ("mapping", len(result.files), len(result.files))
    stream = io.StringIO()
    shown = IngestProgress(stream, enabled=True)
    for call in seen:
        shown(*call)
    assert "reading exports" in stream.getvalue() and "mapping rows" in stream.getvalue()
    assert shown._bar is None  # closed at the end of the mapping
