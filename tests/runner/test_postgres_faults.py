"""A real PostgreSQL server stopped in the middle of a run: no document without its history, exit 4, and
--resume finishes the quarter once the server is back.

Needs VCIO_TEST_POSTGRES_URL (a database the tests may write to) and VCIO_TEST_POSTGRES_CTL, a command that
takes `stop` or `start` for that server (`.ci/run` sets both, e.g. "pg_ctlcluster 15 vcio").
"""

from __future__ import annotations

import importlib
import json
import os
import shlex
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest

from pipeline.history import HistoryStore, HistoryUnavailable
from pipeline.runner.environment import Environment
from pipeline.errors import ExitStatus

from ..conftest import REPO

run_module = importlib.import_module("pipeline.runner.run")
delivery_module = importlib.import_module("pipeline.runner.delivery")
PG_URL = os.environ.get("VCIO_TEST_POSTGRES_URL", "").strip()
PG_CTL = os.environ.get("VCIO_TEST_POSTGRES_CTL", "").strip()
pytestmark = pytest.mark.skipif(not (PG_URL and PG_CTL), reason="VCIO_TEST_POSTGRES_URL and VCIO_TEST_POSTGRES_CTL "
                                "are not both set: the stopped-server tests are skipped")
AS_OF = date(2026, 11, 20)
QUARTER = "2026-Q4"
CLIENTS = 20


def _secret() -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).password or "\0no password"


def _server(action: str, check: bool = True) -> None:
    subprocess.run([*shlex.split(PG_CTL), action], check=check, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def twenty_clients(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("twenty") / "inputs"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--clients", str(CLIENTS), "--out",
                    str(folder)], check=True, capture_output=True, timeout=300)
    return folder


@pytest.fixture
def pg_history(monkeypatch):
    """VCIO_HISTORY_URL pointing at a fresh schema; the server is started again whatever the test did."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    schema = f"vcio_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    monkeypatch.setenv("VCIO_HISTORY_URL", url)
    try:
        yield url
    finally:
        _server("start", check=False)  # fails harmlessly when it runs already
        admin.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _run(inputs: Path, out: Path, *, resume: bool = False):
    options = run_module.RunOptions(inputs=inputs, out=out, as_of=AS_OF, all_clients=True, jobs=2, progress=False,
                                    resume=resume)
    return run_module.run(options, Environment())


def _recorded(url: str) -> set[str]:
    with HistoryStore.open(url) as store:
        return {name for name in store.clients() if store.snapshot(name, QUARTER) is not None}


def _with_documents(out: Path) -> set[str]:
    return {folder.name for folder in (out / QUARTER).iterdir()
            if folder.is_dir() and any(p.suffix in {".docx", ".pptx", ".xlsx"} for p in folder.iterdir())}


def test_server_stopped_while_recording(tmp_path, monkeypatch, twenty_clients, pg_history):
    monkeypatch.setattr(delivery_module, "HISTORY_BATCH", 5)
    monkeypatch.setattr(delivery_module, "HISTORY_BATCH_SECONDS", 1e9)
    real = HistoryStore.record_snapshots
    calls = []

    def stop_after_the_first_batch(self, snapshots):
        calls.append(1)
        if len(calls) == 2:
            _server("stop")
        return real(self, snapshots)

    monkeypatch.setattr(HistoryStore, "record_snapshots", stop_after_the_first_batch)
    out = tmp_path / "out"
    with pytest.raises(HistoryUnavailable) as stopped:
        _run(twenty_clients, out)
    assert stopped.value.status == ExitStatus.ENVIRONMENT
    message = str(stopped.value)
    assert _secret() not in message and "INSERT" not in message and "5 clients done" in message
    manifest = json.loads((out / QUARTER / "manifest.json").read_text())
    clients = {c["name"]: c for c in manifest["clients"]}
    done = {n for n, c in clients.items() if c["status"] == "ok"}
    assert len(clients) == CLIENTS and len(done) == 5 and manifest["status"] == "partial"
    assert sum(1 for c in clients.values() if c["reason"] == "not started") >= 1
    assert {clients[n]["slug"] for n in done} == _with_documents(out)

    _server("start")
    monkeypatch.setattr(HistoryStore, "record_snapshots", real)
    assert _recorded(pg_history) == done
    again = _run(twenty_clients, out, resume=True)
    assert again.status == ExitStatus.OK
    redone = {c["name"]: c for c in again.manifest["clients"]}
    assert {n for n, c in redone.items() if c["reason"].startswith("unchanged")} == done
    assert _recorded(pg_history) == set(clients)
    assert _with_documents(out) == {c["slug"] for c in redone.values()}


def test_server_stopped_while_reading_history(tmp_path, monkeypatch, twenty_clients, pg_history):
    real = HistoryStore.client_view
    reads = []

    def stop_on_the_third_read(self, client, quarter):
        reads.append(client)
        if len(reads) == 3:
            _server("stop")
        return real(self, client, quarter)

    monkeypatch.setattr(HistoryStore, "client_view", stop_on_the_third_read)
    out = tmp_path / "out"
    with pytest.raises(HistoryUnavailable) as stopped:
        _run(twenty_clients, out)
    assert "SELECT" not in str(stopped.value) and _secret() not in str(stopped.value)
    manifest = json.loads((out / QUARTER / "manifest.json").read_text())
    assert [c["reason"] for c in manifest["clients"]] == ["not started"] * CLIENTS
    assert len(reads) == 3
