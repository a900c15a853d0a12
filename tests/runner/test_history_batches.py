"""The run records history snapshots in batches, and never leaves a client's documents without its snapshot."""

from __future__ import annotations

import importlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from pipeline.history import HistoryStore
from pipeline.history import store as store_module
from pipeline.runner.environment import Environment
from pipeline.runner.state import STATE_NAME

from ..conftest import INPUTS

run_module = importlib.import_module("pipeline.runner.run")  # the package exports a function of that name
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
    monkeypatch.setattr(run_module, "HISTORY_BATCH", 2)
    monkeypatch.setattr(run_module, "HISTORY_BATCH_SECONDS", 1e9)
    sizes: list[int] = []
    real = HistoryStore.record_snapshots

    def counting(self, snapshots):
        snapshots = list(snapshots)
        sizes.append(len(snapshots))
        return real(self, snapshots)

    monkeypatch.setattr(HistoryStore, "record_snapshots", counting)
    return sizes


def test_snapshots_are_recorded_a_batch_at_a_time(tmp_path, batches):
    outcome = _run(tmp_path)
    names = [c["name"] for c in outcome.manifest["clients"]]
    assert len(names) == 6 and all(c["status"] == "ok" for c in outcome.manifest["clients"])
    assert batches == [2, 2, 2]
    assert _recorded(tmp_path) == set(names) == _with_files(tmp_path)


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


def test_one_clients_database_error_costs_only_that_clients_snapshot(tmp_path, monkeypatch, batches):
    real = HistoryStore.record_snapshots
    bad = "Sunrise Pediatrics"

    def refusing(self, snapshots):
        snapshots = list(snapshots)
        if any(s.client == bad for s in snapshots):
            raise OperationalError("INSERT ...", {}, Exception("value too long for type character varying(40)"))
        return real(self, snapshots)

    monkeypatch.setattr(HistoryStore, "record_snapshots", refusing)
    outcome = _run(tmp_path)
    clients = {c["name"]: c for c in outcome.manifest["clients"]}
    assert "value too long" in clients[bad]["history_error"]
    assert [n for n, c in clients.items() if c.get("history_error")] == [bad]
    assert all(c["status"] == "ok" and c["files"] for c in clients.values())  # a warning, not a failure
    assert _recorded(tmp_path) == set(clients) - {bad}
    assert outcome.status == 0


def test_record_snapshot_keeps_its_signature_for_library_callers(tmp_path):
    with HistoryStore.open(None, tmp_path) as store:
        sid = store.record_snapshot("Acme", QUARTER, AS_OF, [], [], [], [], None, None, vcio_version="x")
        assert isinstance(sid, int)
        assert store_module.SnapshotInput("Acme", QUARTER, AS_OF, [], [], [], []).vcio_version == ""
