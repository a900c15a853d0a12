"""The run ledger: the manifest's one JSON writer, and the run status it derives from its clients."""

from __future__ import annotations

import json
from datetime import date, datetime

from pipeline.runner.ledger import ClientEntry, RunLedger

STARTED = datetime(2026, 11, 20, 9, 0, 0)


def _ledger(*statuses: str) -> RunLedger:
    ledger = RunLedger("2026-Q4", date(2026, 11, 20), STARTED)
    for i, status in enumerate(statuses):
        entry = ClientEntry(f"Client {i}", f"client-{i}")
        if status == "ok":
            entry.status = "ok"
        elif status == "failed":
            entry.fail("boom")
        ledger.clients[entry.name] = entry
    return ledger


def test_the_run_status_is_ok_partial_or_failed_from_its_clients():
    for statuses, expected in ((("ok", "ok", "skipped"), "ok"), (("ok", "failed"), "partial"),
                               (("failed", "skipped"), "failed"), ((), "ok")):
        ledger = _ledger(*statuses)
        ledger.close(datetime(2026, 11, 20, 9, 5))
        assert ledger.status == expected, statuses


def test_optional_keys_appear_once_known_and_lists_only_when_not_empty():
    ledger = _ledger("ok")
    data = ledger.to_json()
    assert not {"error", "stale_inputs", "history", "portfolio", "warnings", "settings_warnings"} & set(data)
    ledger.stale_inputs = []
    ledger.warn("the lifecycle catalog is old")
    data = ledger.to_json()
    assert data["stale_inputs"] == [] and data["warnings"] == ["the lifecycle catalog is old"]
    assert "settings_warnings" not in data


def test_a_client_entry_keeps_the_keys_readers_rely_on_and_adds_the_optional_ones_when_set():
    entry = ClientEntry("Acme", "acme", records={"devices": 3})
    assert list(entry.to_json()) == ["name", "slug", "status", "reason", "error", "files", "findings", "records"]
    entry.fail("history refused")
    entry.history_error = "duplicate key"
    data = entry.to_json()
    assert data["status"] == "failed" and data["files"] == {} and data["history_error"] == "duplicate key"
    assert "pdf_error" not in data


def test_a_client_left_unchanged_by_resume_carries_its_previous_files_and_counts():
    entry = ClientEntry("Acme", "acme")
    entry.keep_unchanged({"files": {"roadmap": "acme/roadmap.docx"}, "findings": {"by_severity": {"high": 2}}})
    assert entry.unchanged and entry.status == "skipped"
    assert entry.to_json()["files"] == {"roadmap": "acme/roadmap.docx"}


def test_the_manifest_is_written_as_json_with_iso_dates(tmp_path):
    ledger = _ledger("ok")
    ledger.close(datetime(2026, 11, 20, 9, 5))
    written = json.loads(ledger.write(tmp_path).read_text())
    assert written["as_of"] == "2026-11-20" and written["finished_at"] == "2026-11-20T09:05:00"
    assert written["clients"][0]["name"] == "Client 0" and written["schema"] == 1
