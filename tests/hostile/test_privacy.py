"""Privacy: no network call, no personal data in logs at the default level, owner-only output files."""

from __future__ import annotations

import csv
import io
import socket
import stat
from datetime import date

import pytest

from pipeline.ingest.decode import decode_bytes
from tests.conftest import INPUTS
from tests.hostile.conftest import QUARTER, files_under


@pytest.mark.slow
def test_a_run_makes_no_network_call(tmp_path, monkeypatch):
    """In process (--jobs 1), with every way to open a connection or resolve a name switched off."""
    from pipeline.runner.run import RunOptions, run
    from pipeline.errors import ExitStatus

    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise OSError("network access attempted")

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    monkeypatch.delenv("VCIO_HISTORY_URL", raising=False)
    outcome = run(RunOptions(inputs=INPUTS, out=tmp_path / "out", as_of=date(2026, 11, 20), all_clients=True,
                             jobs=1, progress=False))
    assert outcome.status == ExitStatus.OK
    assert attempts == []
    assert all(c["status"] == "ok" for c in outcome.manifest["clients"])


def _personal_values() -> tuple[set[str], list[str]]:
    """User principal names and display names from the sample Microsoft 365 exports, and their raw rows."""
    upns, rows = set(), []
    for path in sorted((INPUTS / "m365").rglob("*.csv")):
        text, _encoding = decode_bytes(path.read_bytes())  # the samples use several encodings
        text = text.lstrip("\ufeff")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for row in reader:
            for header, value in row.items():
                if header and "principal" in header.lower() and value and "@" in value:
                    upns.add(value)
        rows += [line for line in text.splitlines()[1:] if line.strip()]
    return upns, rows


def test_logs_at_the_default_level_carry_no_personal_data(hostile_run):
    upns, rows = _personal_values()
    assert len(upns) > 50, "the samples hold user principal names"
    log = hostile_run.log.read_text(encoding="utf-8")
    assert " INFO " in log and "clients done" in log, "the log was written at the default level"
    for text, where in ((log, "log file"), (hostile_run.result.stderr, "stderr")):
        leaked = sorted(u for u in upns if u.lower() in text.lower())
        assert leaked == [], f"user principal names in the {where}: {leaked[:5]}"
        assert not [r for r in rows if r in text], f"a whole input row in the {where}"


def test_output_files_are_owner_only(hostile_run):
    loose = []
    for path in files_under(hostile_run.out):
        if path.name == "history.sqlite":
            continue  # see test_history_store_is_owner_only
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != 0o600:
            loose.append((str(path.relative_to(hostile_run.out)), oct(mode)))
    assert loose == []
    assert len(list(hostile_run.out.rglob("*.docx"))) >= 19


def test_history_store_is_owner_only(hostile_run):
    path = hostile_run.out / "history.sqlite"
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(stat.S_IMODE(path.stat().st_mode))


def test_manifest_and_state_are_owner_only(hostile_run):
    for name in ("manifest.json", "rejects.csv"):
        assert stat.S_IMODE((hostile_run.out / QUARTER / name).stat().st_mode) == 0o600, name
    states = list((hostile_run.out / QUARTER).glob("*/.vcio-state.json"))
    assert states and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in states)
