"""Exit statuses that need a controlled failure: internal errors (70) and nothing due (0)."""

import io
import shutil

import pytest
from click.testing import CliRunner

from pipeline import cli
from pipeline.runner.progress import Progress
from pipeline.errors import ExitStatus

from ..conftest import INPUTS, run_cli


def test_an_unexpected_error_is_internal_70_with_a_clear_line(monkeypatch, tmp_path):
    import pipeline.runner as runner

    def broken(options):
        raise KeyError("a bug")

    monkeypatch.setattr(runner, "run", broken)
    result = CliRunner().invoke(cli.main, ["run", "--inputs", str(INPUTS), "--out", str(tmp_path)])
    assert result.exit_code == ExitStatus.INTERNAL == 70
    assert "internal error" in result.output and "please report" in result.output


@pytest.mark.slow
def test_no_client_due_is_exit_0_with_a_message(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    roster = (inputs / "clients.csv").read_text().splitlines()
    (inputs / "clients.csv").write_text("\n".join([roster[0]] + [r for r in roster if r.startswith("Sunrise")]) + "\n")
    # Sunrise Pediatrics is semiannual on a calendar fiscal year: due in Q2 and Q4, not in Q3.
    result = run_cli("run", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--as-of", "2026-08-20")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No clients due in 2026-Q3" in result.stdout


def test_manifest_counts_records_and_merge_conflicts(sample_run):
    _, _, manifest = sample_run
    harbor = next(c for c in manifest["clients"] if c["name"] == "Harbor Point Dental")
    assert harbor["records"]["devices"] == 27 and harbor["records"]["users"] == 22
    assert harbor["records"]["device_merge_conflicts"] >= 0


def test_progress_bar_only_on_a_terminal():
    stream = io.StringIO()
    quiet = Progress(3, stream, enabled=False)
    quiet.update(True)
    quiet.close()
    assert stream.getvalue() == ""
    shown = Progress(2, stream, enabled=True)
    shown.update(True)
    shown.update(False)
    shown.close()
    text = stream.getvalue()
    assert "2/2" in text and "done 1, failed 1" in text and text.endswith("\n")


def test_a_missing_msp_name_or_vcio_is_said_once_never_printed_as_a_placeholder(tmp_path):
    from pipeline.config import settings_from
    from pipeline.model import ClientData
    from pipeline.runner.selection import presenter_warnings

    clients = [ClientData(name="Acme", vcio="Dana"), ClientData(name="Bolt"), ClientData(name="Cog", vcio="")]
    warnings = presenter_warnings(settings_from({}, None), clients)
    assert len(warnings) == 2
    assert warnings[0].startswith("[msp] name is not set")
    assert "2 client(s) have no vCIO" in warnings[1] and warnings[1].endswith("Bolt, Cog")
    named = settings_from({"msp": {"name": "Northwind IT"}}, None)
    assert presenter_warnings(named, clients[:1]) == []
