"""Shared fixtures: one real run of the CLI over the sample inputs, reused by the acceptance tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "inputs"
SAMPLE_AS_OF = date(2026, 11, 20)
EXPECTED = json.loads((REPO / "tests" / "samples_expected.json").read_text(encoding="utf-8"))


# Fixtures that run vcio over a whole input folder (3-8 s each on 2 cores): every test that uses one is slow,
# so `pytest -m "not slow"` never builds them.
WHOLE_RUN_FIXTURES = {"sample_run", "hostile_run", "faulty_run", "two_quarters", "big_run", "quiet_then_resumed"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if WHOLE_RUN_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def run_cli(*args: str, cwd: Path = REPO, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `vcio` as cron would: a separate process, no terminal, output captured."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, timeout=timeout, stdin=subprocess.DEVNULL)


def sample_contexts(quarter: str, as_of: date) -> dict[str, tuple[object, dict]]:
    """The sample exports analysed the way a worker does it, without history: {client name: (ClientData,
    render context)} for every sample client."""
    from pipeline.config import find_config, load_settings
    from pipeline.ingest import IngestOptions, ingest_folder
    from pipeline.model import build_clients
    from pipeline.render.context import RunFacts
    from pipeline.runner.client_job import ClientJob, analyse

    config = load_settings(find_config(None, INPUTS))
    clients = build_clients(ingest_folder(INPUTS, IngestOptions(as_of=as_of)))
    result = {}
    for name, client in clients.items():
        facts = RunFacts(quarter=quarter, as_of=as_of, vcio_version="test")
        context, _counts = analyse(ClientJob(client, "slug", facts, config, REPO, REPO, ()))
        result[name] = (client, context)
    return result


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The CLI run over inputs/ into a temporary folder: (completed process, output folder, manifest)."""
    out = tmp_path_factory.mktemp("sample_run")
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", SAMPLE_AS_OF.isoformat(),
                     "--all", "--jobs", "2")
    manifest_path = out / "2026-Q4" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else None
    return result, out / "2026-Q4", manifest


@pytest.fixture(scope="session")
def expected() -> dict:
    return {k: v for k, v in EXPECTED.items() if not k.startswith("_")}
