"""The run records history snapshots in batches, and never leaves a client's documents without its snapshot."""

from __future__ import annotations

import importlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DataError, OperationalError

from pipeline.history import HistoryStore, HistoryUnavailable
from pipeline.history import store as store_module
from pipeline.runner.environment import Environment
from pipeline.runner.state import STATE_NAME
from pipeline.errors import ExitStatus

from ..conftest import INPUTS

run_module = importlib.import_module("pipeline.runner.run")  # the package exports a function of that name
delivery_module = importlib.import_module("pipeline.runner.delivery")
AS_OF = date(2026, 11, 20)
QUARTER = "2026-Q4"


class Killed(BaseException):
    """Stands for SIGKILL: nothing in the runner may catch it."""


def _run(out: Path, *, resume: bool = False):
    options = run_module.RunOptions(inputs=INPUTS, out=out, as_of=AS_OF, all_clients=True, jobs=1, progress=False,
                                    resume=resume)
    return run_module.run(options, Environment())


def _recorded(out: Path) -> set[str]:
    with HistoryStore.open(None, out) as store:
        return {name for name in store.clients() if store.snapshot(name, QUARTER) is not None}


def _with_files(out: Path) -> set[str]:
    """Clients that have a state file, i.e. whose documents vcio has started writing."""
    names = set()
    for path in (out / QUARTER).glob(f"*/{STATE_NAME}"):
        names.add(json.loads(path.read_text())["name"])
    return names


@pytest.fixture
def batches(monkeypatch):
    """Batches of two clients, never cut short by the clock; the list of batch sizes recorded."""
    monkeypatch.delenv("VCIO_HISTORY_URL", raising=False)
    monkeypatch.setattr(delivery_module, "HISTORY_BATCH", 2)
    monkeypatch.setattr(delivery_module, "HISTORY_BATCH_SECONDS", 1e9)
    sizes: list[int] = []
    real = HistoryStore.record_snapshots

    def counting(self, snapshots):
        snapshots = list(snapshots)
        sizes.append(len(snapshots))
        return real(self, snapshots)

    monkeypatch.setattr(HistoryStore, "record_snapshots", counting)
    return sizes


@pytest.mark.slow
def test_snapshots_are_recorded_a_batch_at_a_time(tmp_path, batches):
    outcome = _run(tmp_path)
    names = [c["name"] for c in outcome.manifest["clients"]]
    assert len(names) == 6 and all(c["status"] == "ok" for c in outcome.manifest["clients"])
    assert batches == [2, 2, 2]
    assert _recorded(tmp_path) == set(names) == _with_files(tmp_path)


@pytest.mark.slow
def test_a_run_killed_while_recording_leaves_no_documents_without_their_snapshot(tmp_path, monkeypatch, batches):
    real = HistoryStore.record_snapshots  # the counting one: calls so far are in `batches`

    def killed_on_the_second_batch(self, snapshots):
        if len(batches) == 1:
            raise Killed()
        return real(self, snapshots)

    monkeypatch.setattr(HistoryStore, "record_snapshots", killed_on_the_second_batch)
    with pytest.raises(Killed):
        _run(tmp_path)
    recorded, written = _recorded(tmp_path), _with_files(tmp_path)
    assert len(recorded) == 2 and written == recorded
    for folder in (tmp_path / QUARTER).iterdir():
        if folder.is_dir() and any(p.suffix in {".docx", ".pptx", ".xlsx"} for p in folder.iterdir()):
            assert (folder / STATE_NAME).is_file()

    monkeypatch.setattr(HistoryStore, "record_snapshots", real)
    outcome = _run(tmp_path, resume=True)
    clients = {c["name"]: c for c in outcome.manifest["clients"]}
    assert _recorded(tmp_path) == set(clients) == _with_files(tmp_path)
    assert {n for n, c in clients.items() if c["reason"].startswith("unchanged")} == recorded
    assert {n for n, c in clients.items() if c["status"] == "ok"} == set(clients) - recorded
    assert all(c["files"] for c in clients.values())


def _documents(out: Path, slug: str) -> list[str]:
    folder = out / QUARTER / slug
    return sorted(p.name for p in folder.iterdir() if p.suffix in {".docx", ".pptx", ".xlsx"}) if folder.is_dir() else []


@pytest.fixture
def database_faults(monkeypatch):
    """Every store the run opens calls ``fault(statement, parameters)`` before each statement reaches the
    database; the test sets it (a list of one function) to raise what the driver would."""
    fault = [lambda statement, parameters: None]
    real_open = HistoryStore.open.__func__

    def opening(cls, *args, **kwargs):
        store = real_open(cls, *args, **kwargs)

        @event.listens_for(store.engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            fault[0](statement, parameters)

        return store

    monkeypatch.setattr(HistoryStore, "open", classmethod(opening))
    return fault


def _lost_connection(statement, parameters):
    raise OperationalError(statement, parameters, Exception("server closed the connection unexpectedly"))


@pytest.mark.slow
def test_a_client_whose_rows_the_store_refuses_fails_alone_and_is_redone_by_resume(tmp_path, database_faults,
                                                                                  batches):
    bad = "sunrise pediatrics"

    def refusing(statement, parameters):
        rows = parameters if isinstance(parameters, list) else [parameters]
        if statement.startswith("INSERT INTO snapshots") and any(bad in map(str, row) for row in rows):
            raise DataError(statement, parameters, Exception("value too long for type character varying(40)"))

    database_faults[0] = refusing
    outcome = _run(tmp_path)
    assert outcome.status == 1
    clients = {c["name"]: c for c in outcome.manifest["clients"]}
    name = "Sunrise Pediatrics"
    assert clients[name]["status"] == "failed" and clients[name]["files"] == {}
    assert "could not record the history snapshot" in clients[name]["error"]
    assert "value too long" in clients[name]["error"] and "INSERT" not in clients[name]["error"]
    assert _documents(tmp_path, clients[name]["slug"]) == []  # no document without its history
    assert [n for n, c in clients.items() if c["status"] == "failed"] == [name]
    assert all(c["files"] for n, c in clients.items() if n != name)
    database_faults[0] = lambda statement, parameters: None
    assert _recorded(tmp_path) == set(clients) - {name} == _with_files(tmp_path)

    again = _run(tmp_path, resume=True)
    redone = {c["name"]: c for c in again.manifest["clients"]}
    assert again.status == 0 and redone[name]["status"] == "ok" and not redone[name]["reason"]
    assert all(c["reason"].startswith("unchanged") for n, c in redone.items() if n != name)
    assert _recorded(tmp_path) == set(clients) == _with_files(tmp_path)


@pytest.mark.slow
def test_a_store_lost_mid_run_stops_new_clients_exits_4_and_resume_redoes_the_rest(tmp_path, database_faults,
                                                                                  batches):
    snapshot_inserts = []

    def lost_after_the_first_batch(statement, parameters):
        if statement.startswith("INSERT INTO snapshots"):
            snapshot_inserts.append(statement)
        if len(snapshot_inserts) > 1:
            _lost_connection(statement, parameters)

    database_faults[0] = lost_after_the_first_batch
    with pytest.raises(HistoryUnavailable) as stopped:
        _run(tmp_path)
    assert stopped.value.status == ExitStatus.ENVIRONMENT
    message = str(stopped.value)
    assert "server closed the connection unexpectedly" in message and "INSERT" not in message
    assert "2 clients done" in message and "2 failed" in message and "2 not started" in message
    assert "--resume" in message
    manifest = json.loads((tmp_path / QUARTER / "manifest.json").read_text())
    clients = {c["name"]: c for c in manifest["clients"]}
    assert manifest["status"] == "partial"
    done = {n for n, c in clients.items() if c["status"] == "ok"}
    unrecorded = {n for n, c in clients.items() if "could not record the history snapshot" in (c["error"] or "")}
    waiting = {n for n, c in clients.items() if c["reason"] == "not started"}
    assert len(done) == 2 and len(unrecorded) == 2 and len(waiting) == 2
    assert all(clients[n]["status"] == "failed" and clients[n]["files"] == {} for n in unrecorded | waiting)
    database_faults[0] = lambda statement, parameters: None  # the server is back
    assert _recorded(tmp_path) == done == _with_files(tmp_path)
    for name in unrecorded | waiting:
        assert _documents(tmp_path, clients[name]["slug"]) == []

    again = _run(tmp_path, resume=True)
    assert again.status == 0
    redone = {c["name"]: c for c in again.manifest["clients"]}
    assert {n for n, c in redone.items() if c["reason"].startswith("unchanged")} == done
    assert all(c["files"] for c in redone.values())
    assert {n for n, c in redone.items() if c["status"] == "ok"} == set(redone) - done
    assert _recorded(tmp_path) == set(redone) == _with_files(tmp_path)


def test_a_store_lost_while_reading_history_exits_4_before_any_client_starts(tmp_path, database_faults, batches):
    reads = []

    def lost_on_the_third_read(statement, parameters):
        if statement.startswith("SELECT") and "FROM snapshots" in statement:
            reads.append(statement)
            if len(reads) >= 3:
                _lost_connection(statement, parameters)

    database_faults[0] = lost_on_the_third_read
    with pytest.raises(HistoryUnavailable) as stopped:
        _run(tmp_path)
    assert "SELECT" not in str(stopped.value) and "0 clients done" in str(stopped.value)
    manifest = json.loads((tmp_path / QUARTER / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert [c["reason"] for c in manifest["clients"]] == ["not started"] * 6
    assert len(reads) == 3  # nothing more was asked of the store
    assert _with_files(tmp_path) == set() and batches == []


@pytest.mark.slow
def test_a_clients_unreadable_history_fails_that_client_alone(tmp_path, database_faults, batches):
    def refusing(statement, parameters):
        if statement.startswith("SELECT") and "sunrise pediatrics" in map(str, dict(enumerate(parameters)).values()
                                                                            if isinstance(parameters, tuple) else
                                                                            parameters.values()):
            raise DataError(statement, parameters, Exception("invalid input syntax for type date"))

    database_faults[0] = refusing
    outcome = _run(tmp_path)
    assert outcome.status == 1
    clients = {c["name"]: c for c in outcome.manifest["clients"]}
    name = "Sunrise Pediatrics"
    assert clients[name]["status"] == "failed" and "invalid input syntax" in clients[name]["error"]
    assert "SELECT" not in clients[name]["error"]
    assert [n for n, c in clients.items() if c["status"] == "failed"] == [name]


def test_the_cli_says_one_clear_thing_and_keeps_the_traceback_for_the_log_file(tmp_path, monkeypatch,
                                                                              database_faults):
    from click.testing import CliRunner

    from pipeline.cli import main

    def lost_reading(statement, parameters):
        if statement.startswith("SELECT") and "FROM snapshots" in statement:
            _lost_connection(statement, parameters)

    database_faults[0] = lost_reading
    monkeypatch.delenv("VCIO_HISTORY_URL", raising=False)
    log_file = tmp_path / "vcio.log"
    result = CliRunner().invoke(main, ["run", "--inputs", str(INPUTS), "--out", str(tmp_path / "out"), "--as-of",
                                       AS_OF.isoformat(), "--all", "--jobs", "1", "--log-file", str(log_file), "-q"])
    assert result.exit_code == 4, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    about = [line for line in lines if "history" in line or "server closed" in line or "client" in line]
    assert len(about) == 1 and about[0].startswith("vcio: "), result.output  # one message, no line per client
    assert "server closed the connection unexpectedly" in about[0] and "SELECT" not in result.output
    logged = log_file.read_text()
    assert "Traceback" in logged and "DEBUG" in logged


def test_record_snapshot_keeps_its_signature_for_library_callers(tmp_path):
    with HistoryStore.open(None, tmp_path) as store:
        sid = store.record_snapshot("Acme", QUARTER, AS_OF, [], [], [], [], None, None, vcio_version="x")
        assert isinstance(sid, int)
        assert store_module.SnapshotInput("Acme", QUARTER, AS_OF, [], [], [], []).vcio_version == ""
