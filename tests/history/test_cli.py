"""`vcio history` and `vcio diff` over a recorded store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import VcioGroup
from pipeline.cli.history_commands import COMMANDS, diff, history
from pipeline.history import HistoryStore

from .factories import CLIENT, finding, grades, record


@pytest.fixture
def cli():
    group = VcioGroup(name="vcio")
    for command in COMMANDS:
        group.add_command(command)
    return group


@pytest.fixture
def out(tmp_path):
    store = HistoryStore.open(None, tmp_path)
    a, b, c = finding("PC-1"), finding("PC-2", severity="medium"), finding("SRV-1", "backup.server_unprotected", "critical")
    record(store, "2026-Q3", [a, c], grade_list=grades(40.0, 60.0))
    record(store, "2026-Q4", [a, b], grade_list=grades(55.0, 60.0))
    store.close()
    return tmp_path


def test_commands_are_exported():
    assert COMMANDS == [history, diff]


def test_history_command(cli, out):
    result = CliRunner().invoke(cli, ["history", "acme dental", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "History of Acme Dental: 2 quarters" in result.output
    assert "2026-Q3" in result.output and "55%" in result.output
    as_json = CliRunner().invoke(cli, ["history", CLIENT, "--out", str(out), "--json"])
    assert [q["quarter"] for q in json.loads(as_json.output)["quarters"]] == ["2026-Q3", "2026-Q4"]


def test_diff_command(cli, out):
    result = CliRunner().invoke(cli, ["diff", CLIENT, "--from", "2026-Q3", "--to", "2026-Q4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 new, 1 still open, 1 resolved" in result.output
    assert finding("SRV-1", "backup.server_unprotected", "critical")["finding_id"] in result.output
    assert "Lifecycle 40% -> 55% (+15)" in result.output
    db = CliRunner().invoke(cli, ["diff", CLIENT, "--from", "2026-Q3", "--to", "2026-Q4", "--json",
                                  "--db", str(out / "history.sqlite")])
    assert len(json.loads(db.output)["resolved"]) == 1


def test_errors_exit_with_usage_status(cli, out, tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty")
    missing = CliRunner().invoke(cli, ["history", CLIENT, "--out", str(empty)])
    assert missing.exit_code == 2 and "no history database" in missing.output
    assert not (empty / "history.sqlite").exists()
    unknown = CliRunner().invoke(cli, ["history", "Acme Dentl", "--out", str(out)])
    assert unknown.exit_code == 2 and "did you mean 'Acme Dental'" in unknown.output
    quarter = CliRunner().invoke(cli, ["diff", CLIENT, "--from", "2026-Q1", "--to", "2026-Q4", "--out", str(out)])
    assert quarter.exit_code == 2 and "recorded quarters: 2026-Q3, 2026-Q4" in quarter.output
    nothing = CliRunner().invoke(cli, ["history", CLIENT])
    assert nothing.exit_code == 2 and "--out" in nothing.output
