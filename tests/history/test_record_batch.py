"""Several snapshots in one transaction: the same rows as one by one, all or nothing, a fixed number of statements."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from pipeline.history.store import SnapshotInput

from .factories import as_of, budget, finding, grades, initiative, risks

TABLES = ("snapshots", "snapshot_findings", "snapshot_risks", "snapshot_grades", "snapshot_initiatives",
          "snapshot_initiative_findings", "snapshot_budget", "snapshot_decisions")


def _counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}


def snapshot_input(client: str, quarter: str, subjects: list[str], *, hardware: float = 1000.0) -> SnapshotInput:
    members = [finding(s, client=client) for s in subjects]
    plan = [initiative("windows_replacement", "win10", members, client=client)] if members else []
    decisions = [{"item_id": members[0]["finding_id"], "decision": "declined", "note": "budget"}] if members else []
    return SnapshotInput(client, quarter, as_of(quarter), members, grades(60.0, 70.0), risks(members), plan,
                         budget(quarter, hardware=hardware), decisions, vcio_version="test")


def _content(snapshot) -> tuple:
    """A snapshot without what names its client (finding and initiative ids are derived from the name)."""
    return (sorted((r["subject"], r["severity"], r["rule"]) for r in snapshot.findings.values()),
            snapshot.grades, [(r["title"], r["score"]) for r in snapshot.risks],
            sorted((r["kind"], len(r["finding_ids"])) for r in snapshot.initiatives.values()),
            snapshot.budget, sorted((r["decision"], r["note"], r["item_kind"]) for r in snapshot.decisions.values()))


def test_a_batch_stores_what_one_by_one_stores(store):
    subjects = {"Alpha Co": ["PC-1", "PC-2"], "Beta Co": ["SRV-1"], "Gamma Co": []}
    for name, items in subjects.items():
        store.record_snapshots([snapshot_input(f"{name} one", "2026-Q4", items)])
    ids = store.record_snapshots([snapshot_input(f"{name} all", "2026-Q4", items) for name, items in subjects.items()])
    assert len(ids) == len(set(ids)) == 3
    for name in subjects:
        one, together = store.snapshot(f"{name} one", "2026-Q4"), store.snapshot(f"{name} all", "2026-Q4")
        assert _content(one) == _content(together)
    assert _counts(store)["snapshots"] == 6


def test_a_batch_replaces_its_quarter_and_leaves_earlier_quarters_alone(store):
    store.record_snapshots([snapshot_input("Alpha Co", "2026-Q3", ["PC-1"]),
                            snapshot_input("Alpha Co", "2026-Q4", ["PC-1", "PC-2"])])
    q3 = store.snapshot("Alpha Co", "2026-Q3")
    before = _counts(store)
    again = [snapshot_input("Alpha Co", "2026-Q4", ["PC-1", "PC-2"]), snapshot_input("Beta Co", "2026-Q4", ["SRV-1"])]
    store.record_snapshots(again)
    store.record_snapshots(again)  # a rerun of the quarter duplicates nothing
    after = _counts(store)
    assert after["snapshots"] == before["snapshots"] + 1
    assert after["snapshot_findings"] == before["snapshot_findings"] + 1
    assert store.snapshot("Alpha Co", "2026-Q3") == q3
    store.record_snapshots([snapshot_input("Alpha Co", "2026-Q4", ["PC-9"], hardware=5.0)])
    q4 = store.snapshot("alpha  co", "2026-q4")
    assert [r["subject"] for r in q4.findings.values()] == ["PC-9"]
    assert ("2027-Q1", "Hardware", 5.0) in q4.budget["amounts"]
    assert store.quarters("Alpha Co") == ["2026-Q3", "2026-Q4"]


def test_the_same_client_twice_in_one_batch_keeps_the_later(store):
    first = snapshot_input("Alpha Co", "2026-Q4", ["PC-1"])
    second = snapshot_input("ALPHA CO", "2026-Q4", ["PC-2", "PC-3"])
    ids = store.record_snapshots([first, second])
    assert ids[0] == ids[1]
    assert sorted(r["subject"] for r in store.snapshot("Alpha Co", "2026-Q4").findings.values()) == ["PC-2", "PC-3"]
    assert _counts(store)["snapshots"] == 1


def test_a_failed_batch_records_none_of_its_snapshots(store, budget_insert_fails):
    store.record_snapshots([snapshot_input("Alpha Co", "2026-Q4", ["PC-1"])])
    before = _counts(store)
    arm, disarm = budget_insert_fails
    arm()
    with pytest.raises(RuntimeError):
        store.record_snapshots([snapshot_input("Alpha Co", "2026-Q4", ["PC-7", "PC-8"]),
                                snapshot_input("Beta Co", "2026-Q4", ["SRV-1"])])
    disarm()
    assert _counts(store) == before
    assert [r["subject"] for r in store.snapshot("Alpha Co", "2026-Q4").findings.values()] == ["PC-1"]
    assert store.snapshot("Beta Co", "2026-Q4") is None


def _statements(store, batch: list[SnapshotInput]) -> int:
    executed: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            executed.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        store.record_snapshots(batch)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return len(executed)


def test_a_batch_costs_the_same_statements_for_two_clients_or_twenty(store):
    def batch(prefix: str, n: int) -> list[SnapshotInput]:
        return [snapshot_input(f"{prefix} {i}", "2026-Q4", ["PC-1", "PC-2"]) for i in range(n)]

    # First recordings (nothing to replace), then the same clients again (the old rows are deleted first).
    assert _statements(store, batch("Small", 2)) == _statements(store, batch("Large", 20))
    assert _statements(store, batch("Small", 2)) == _statements(store, batch("Large", 20))
    assert _counts(store)["snapshots"] == 22


def test_record_snapshot_is_a_batch_of_one(store):
    members = [finding("PC-1")]
    sid = store.record_snapshot("Alpha Co", "2026-Q4", as_of("2026-Q4"), members, grades(50.0, 60.0),
                                risks(members), [], budget("2026-Q4"))
    assert store.record_snapshots([]) == []
    assert store.snapshot("Alpha Co", "2026-Q4").findings[members[0]["finding_id"]]["subject"] == "PC-1"
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id FROM snapshots WHERE client_key = 'alpha co'")).scalar_one()
    assert sid == stored
