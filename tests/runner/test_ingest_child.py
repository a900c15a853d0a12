"""Ingest and model are built in a short-lived child process: same model, same errors, nothing left behind."""

from __future__ import annotations

import importlib
import os
import signal
from datetime import date

import pytest

from pipeline.runner.child import in_child
from pipeline.runner.environment import Environment
from pipeline.runner.lock import is_locked
from pipeline.errors import EnvironmentProblem, UsageError

from ..conftest import INPUTS

run_module = importlib.import_module("pipeline.runner.run")  # the package exports a function of that name
load_module = importlib.import_module("pipeline.runner.load")
AS_OF = date(2026, 11, 20)


def _options(tmp_path, **kwargs):
    return run_module.RunOptions(inputs=kwargs.pop("inputs", INPUTS), out=tmp_path / "out", as_of=AS_OF,
                                 all_clients=True, jobs=1, progress=False, **kwargs)


def test_the_child_builds_the_same_model_as_this_process(tmp_path):
    options = _options(tmp_path)
    config = run_module.load_run_settings(options)
    here_ingested, here = load_module._ingest_and_build(options, config, AS_OF)
    child_ingested, child = load_module.load_model(options, config, AS_OF)
    assert child == here and len(child) == 6
    assert child_ingested.files == here_ingested.files
    assert child_ingested.clients == here_ingested.clients
    assert child_ingested.records == {} == here_ingested.records  # the rows stay in the child


def test_ingest_happens_in_another_process(tmp_path, monkeypatch):
    seen = tmp_path / "pid"
    real = load_module._ingest

    def recording(*args):
        seen.write_text(str(os.getpid()))
        return real(*args)

    monkeypatch.setattr(load_module, "_ingest", recording)
    outcome = run_module.run(_options(tmp_path, clients=("Sunrise Pediatrics",)), Environment())
    assert outcome.status == 0
    assert int(seen.read_text()) != os.getpid()


def test_a_failure_in_the_child_is_raised_here_with_its_traceback(tmp_path, monkeypatch):
    def broken(_ingested):
        raise KeyError("a bug in the model")

    monkeypatch.setattr(load_module, "build_clients", broken)
    with pytest.raises(KeyError, match="a bug in the model") as raised:
        run_module.run(_options(tmp_path), Environment())
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "in the process reading the inputs" in notes and "in broken" in notes
    assert not is_locked(tmp_path / "out")  # released, and the child held no copy of it


def test_a_usage_error_in_the_child_keeps_its_exit_status(tmp_path, monkeypatch):
    def refused(*_args):
        raise UsageError("--inputs: a profile is broken")

    monkeypatch.setattr(load_module, "_ingest", refused)
    with pytest.raises(UsageError, match="a profile is broken") as raised:
        run_module.run(_options(tmp_path), Environment())
    assert raised.value.status == 2


def _unpicklable():
    class Local(Exception):  # a class pickle cannot find by name
        pass

    raise Local("cannot travel")


def _dies():
    os.kill(os.getpid(), signal.SIGKILL)


def _exits():
    os._exit(3)


def _pid_and_failure():
    yield os.getpid()
    raise ValueError("after the first part")


def _pids(n: int):
    for _ in range(n):
        yield os.getpid()


def test_child_outcomes_that_cannot_travel_as_they_are():
    with pytest.raises(RuntimeError, match="Local: cannot travel"):
        in_child(_unpicklable)
    with pytest.raises(EnvironmentProblem, match="killed by signal 9"):
        in_child(_dies)
    with pytest.raises(RuntimeError, match="exited with status 3"):
        in_child(_exits)
    with pytest.raises(ValueError, match="after the first part"):
        in_child(_pid_and_failure)
    pids = in_child(_pids, 3)
    assert len(pids) == 3 and len(set(pids)) == 1 and pids[0] != os.getpid()
