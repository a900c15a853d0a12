"""From the APIs to the documents: `vcio pull` every tool, `vcio validate`, then `vcio run`, as cron would; then a
failed pull, and the next run still reads the last good files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from docx import Document

from ..conftest import REPO
from .fakes import Reply
from .world import ACME, GRANITE, SECRETS, TENANT


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **SECRETS}, timeout=600, stdin=subprocess.DEVNULL)


def documents_text(quarter, client_name: str) -> str:
    """The client's findings workbook (every device, user and finding) and roadmap, as text."""
    from openpyxl import load_workbook

    manifest = json.loads((quarter / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == client_name)
    document = Document(str(quarter / entry["files"]["roadmap"]))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    book = load_workbook(quarter / entry["files"]["workbook"], read_only=True)
    values = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    return "\n".join([p.text for p in document.paragraphs] + cells + values)


@pytest.mark.slow
def test_pull_validate_run_to_documents(workspace, api, tmp_path):
    inputs, config = workspace
    tools = ("connectwise", "autotask", "halopsa", "ninjaone", "datto-rmm", "pax8", "m365")
    pulled = cli("pull", *tools, "--inputs", str(inputs), "--config", str(config))
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout.count(": ok, ") == 7

    validated = cli("validate", "--inputs", str(inputs), "--config", str(config), "--as-of", "2026-11-25")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    for profile in ("cw_manage_configurations", "cw_manage_agreements", "autotask_configuration_items",
                    "autotask_contracts", "halopsa_assets", "ninjaone_devices", "datto_rmm_devices_api",
                    "pax8_subscriptions", "m365_export_users", "m365_active_user_detail", "m365_mfa_registration",
                    "m365_subscribed_skus"):
        assert profile in validated.stdout, profile

    out = tmp_path / "outputs"
    ran = cli("run", "--inputs", str(inputs), "--config", str(config), "--out", str(out), "--as-of", "2026-11-25",
              "--all", "--jobs", "1")
    assert ran.returncode == 0, ran.stderr
    quarter = out / "2026-Q4"
    acme = documents_text(quarter, ACME)
    # The PSA server, merged with its RMM agent by serial, with its pulled warranty and OS.
    assert "ACME-SRV-01" in acme and "Windows Server 2019" in acme
    assert "lee@acmedental.com" in acme  # a blocked account still holding a pulled licence
    granite = documents_text(quarter, GRANITE)
    assert "GR-WS-07" in granite and "Windows 10" in granite  # end of support, from NinjaOne and Autotask

    # The next quarter's pull fails for NinjaOne: its last good file is kept whole and the run still reads it.
    before = (inputs / "ninjaone" / "devices.csv").read_bytes()
    api.add("POST", "/ninja/ws/oauth/token", Reply(503, {"error": "maintenance"}))
    failed = cli("pull", "ninjaone", "--inputs", str(inputs), "--config", str(config))
    assert failed.returncode == 1
    assert "ninjaone: FAILED" in failed.stdout and "kept devices.csv" in failed.stdout
    assert (inputs / "ninjaone" / "devices.csv").read_bytes() == before
    again = cli("run", "--inputs", str(inputs), "--config", str(config), "--out", str(tmp_path / "later"),
                "--as-of", "2027-02-25", "--all", "--jobs", "1")
    assert again.returncode == 5, again.stderr  # documents written from last quarter's files: stale, and says so
    assert "ninjaone/devices.csv: stale input: observed on 2026-11-23" in again.stderr
    manifest = json.loads((tmp_path / "later" / "2027-Q1" / "manifest.json").read_text())
    ninja = next(i for i in manifest["inputs"] if i["path"] == "ninjaone/devices.csv")
    assert ninja["accepted"] == 2
    assert any(w.startswith("stale data: this file was observed on 2026-11-23") for w in ninja["warnings"])
    assert "GR-WS-07" in documents_text(tmp_path / "later" / "2027-Q1", GRANITE)
    assert (inputs / "m365" / TENANT / "users.csv").is_file()
