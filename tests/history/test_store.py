"""The store: migrations, snapshot replacement (idempotent reruns), transactions, URL resolution."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from pipeline.history import MIGRATIONS, SCHEMA_VERSION, HistoryError, HistoryStore, migrate, resolve_url

from .factories import CLIENT, finding, grades, initiative, record

TABLES = ("snapshots", "snapshot_findings", "snapshot_risks", "snapshot_grades", "snapshot_initiatives",
          "snapshot_initiative_findings", "snapshot_budget", "snapshot_decisions")


def _counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}


def _versions(store) -> list[tuple[int, str]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text("SELECT version, description FROM schema_version ORDER BY version"))]


def test_migrations_run_once_and_record_the_version(store_url, tmp_path):
    first = HistoryStore.open(store_url, tmp_path)
    try:
        assert first.applied_migrations == [m[0] for m in MIGRATIONS]
        assert first.schema_version() == SCHEMA_VERSION == 2
        assert _versions(first) == [(m[0], m[1]) for m in MIGRATIONS]
        assert set(TABLES) <= set(sa.inspect(first.engine).get_table_names())
    finally:
        first.close()
    again = HistoryStore.open(store_url, tmp_path)
    try:
        assert again.applied_migrations == []
        assert _versions(again) == [(m[0], m[1]) for m in MIGRATIONS]  # not recorded twice
    finally:
        again.close()


def test_an_old_database_is_upgraded_in_order(tmp_path):
    url = resolve_url(None, tmp_path)
    engine = sa.create_engine(url)
    assert migrate(engine, MIGRATIONS[:1]) == [1]
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("snapshot_decisions")
    engine.dispose()
    store = HistoryStore.open(None, tmp_path)
    try:
        assert store.applied_migrations == [2]
        assert [v for v, _ in _versions(store)] == [1, 2]
        record(store, "2026-Q3", [finding("PC-1")], decisions=[{"item_id": finding("PC-1")["finding_id"],
                                                              "decision": "declined"}])
        assert _counts(store)["snapshot_decisions"] == 1
    finally:
        store.close()


def test_a_newer_schema_is_refused(tmp_path):
    store = HistoryStore.open(None, tmp_path)
    with store.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_version (version, description, applied_at) "
                             "VALUES (99, 'from the future', 'x')"))
    store.close()
    with pytest.raises(HistoryError, match="schema version 99"):
        HistoryStore.open(None, tmp_path)


def test_default_is_an_sqlite_file_in_the_output_folder(tmp_path):
    out = tmp_path / "out"
    store = HistoryStore.open(None, out)
    store.close()
    assert (out / "history.sqlite").is_file()
    assert resolve_url(str(tmp_path / "x.db"), None).get_backend_name() == "sqlite"
    assert resolve_url("postgresql+psycopg://u:secret@db/vcio", None).drivername == "postgresql+psycopg"
    with pytest.raises(HistoryError):
        resolve_url(None, None)


def test_read_commands_do_not_create_a_database(tmp_path):
    with pytest.raises(HistoryError, match="no history database"):
        HistoryStore.open(None, tmp_path, create=False)
    assert not (tmp_path / "history.sqlite").exists()


def test_rerunning_a_quarter_replaces_it_and_leaves_earlier_quarters_alone(store):
    a, b, c = finding("PC-1"), finding("PC-2", severity="medium"), finding("SRV-1", "lifecycle.warranty", "low")
    record(store, "2026-Q3", [a, b], plan=[initiative("windows_replacement", "win10", [a, b])])
    q3_before = store.snapshot(CLIENT, "2026-Q3")
    record(store, "2026-Q4", [a, b, c], plan=[initiative("windows_replacement", "win10", [a, b])])
    counts_once = _counts(store)
    # Rerun Q4 twice with the same data: nothing is duplicated.
    record(store, "2026-Q4", [a, b, c], plan=[initiative("windows_replacement", "win10", [a, b])])
    record(store, "2026-Q4", [a, b, c], plan=[initiative("windows_replacement", "win10", [a, b])])
    assert _counts(store) == counts_once
    assert counts_once["snapshots"] == 2 and counts_once["snapshot_findings"] == 5
    # Rerun Q4 with different findings: Q4 is replaced, Q3 untouched.
    record(store, "2026-Q4", [c], grade_list=grades(90.0, 95.0))
    q4 = store.snapshot(CLIENT, "2026-Q4")
    assert set(q4.findings) == {c["finding_id"]}
    assert q4.initiatives == {}
    assert q4.grades["lifecycle"]["percent"] == 90.0
    assert store.snapshot(CLIENT, "2026-Q3") == q3_before
    assert store.quarters(CLIENT) == ["2026-Q3", "2026-Q4"]
    assert _counts(store)["snapshots"] == 2


def test_a_failed_write_rolls_back_the_whole_snapshot(store, budget_insert_fails):
    a, b = finding("PC-1"), finding("PC-2")
    record(store, "2026-Q4", [a])
    arm, disarm = budget_insert_fails
    arm()
    with pytest.raises(RuntimeError):
        record(store, "2026-Q4", [a, b])
    disarm()
    snapshot = store.snapshot(CLIENT, "2026-Q4")
    assert set(snapshot.findings) == {a["finding_id"]}  # the previous Q4 snapshot is intact
    assert _counts(store)["snapshots"] == 1


def test_snapshot_keeps_what_was_recorded(store):
    a = finding("PC-1", due="2027-01-12", cost=1200.0, cost_kind="one_time")
    plan = [initiative("windows_replacement", "win10", [a], target_quarter="2027-Q1")]
    record(store, "2026-Q4", [a], plan=plan)
    snap = store.snapshot("ACME  dental", "2026-q4")  # client and quarter spelling do not matter
    row = snap.findings[a["finding_id"]]
    assert (row["rule"], row["category"], row["severity"], row["subject"]) == (
        "lifecycle.os_end_of_support", "end_of_life", "high", "PC-1")
    assert row["due_date"] == date(2027, 1, 12) and row["estimated_cost"] == 1200.0
    ini = snap.initiatives[plan[0]["initiative_id"]]
    assert ini["finding_ids"] == [a["finding_id"]] and ini["target_quarter"] == "2027-Q1"
    assert ini["one_time_cost"] == 1000.0 and ini["kind"] == "windows_replacement"
    assert snap.budget["next_four"] == 2200.0 and snap.budget["one_time"] == 1000.0
    assert ("2027-Q1", "Hardware", 1000.0) in snap.budget["amounts"]
    assert [r["title"] for r in snap.risks] == ["Risk lifecycle.os_end_of_support"]
    assert store.clients() == [CLIENT]
    assert store.previous_quarter(CLIENT, "2027-Q1") == "2026-Q4"
    assert store.previous_quarter(CLIENT, "2026-Q4") is None


def test_the_review_s_objects_are_accepted_too(store):
    from pipeline.findings import Finding
    from pipeline.review.model import AreaGrade, Budget, BudgetLine, Initiative, Risk

    f = Finding(client=CLIENT, rule="security.av_not_running", severity="critical", title="AV off",
                subject="PC-9", subject_kind="device", recommendation="x", sources=["rmm"])
    plan = [Initiative(initiative_id="INI-00000001", kind="endpoint_security", rank=1, title="Fix AV", summary="",
                       severity="critical", phase="0-6 months", target_quarter="2027-Q1", last_quarter="2027-Q1",
                       schedule=(), one_time_cost=0.0, annual_recurring=0.0, budget_category="Projects", deadline=None,
                       owner=None, goal=None, success_metric="x", items=(), finding_ids=(f.finding_id,))]
    grade = AreaGrade("security", "Security", "assessed", 64.0, "amber", 10, 1, "devices", (), score=2)
    risk = Risk("RSK-1", "PC-9 has no working antivirus or EDR", "critical", "security", 4, 5, 20, "high", None,
                "ransomware", ("Fix AV",), ("INI-00000001",), 1, ("PC-9",))
    money = Budget(("2027-Q1",), ("FY2027 Q1",), (BudgetLine("Projects", (500.0,), False),), (500.0,), (500.0,),
                   (0.0,), (("FY2027", 500.0),), 0.0)
    store.record_snapshot(CLIENT, "2026-Q4", date(2026, 11, 20), [f], [grade], [risk], plan, money)
    snap = store.snapshot(CLIENT, "2026-Q4")
    assert snap.findings[f.finding_id]["category"] == "security"
    assert snap.initiatives["INI-00000001"]["finding_ids"] == [f.finding_id]
    assert snap.grades["security"]["percent"] == 64.0
    assert snap.budget["amounts"] == [("2027-Q1", "Projects", 500.0)]
    from pipeline.history import changes_context

    later = changes_context(store, CLIENT, "2027-Q1", [f], [grade], plan)
    assert [(i["finding_id"], i["quarters_open"]) for i in later["open"]] == [(f.finding_id, 2)]
    assert later["grade_changes"][0]["delta"] == 0.0


def test_unreachable_or_driverless_databases_are_environment_errors(tmp_path):
    from pipeline.errors import ExitStatus

    with pytest.raises(HistoryError) as missing_driver:
        HistoryStore.open("nosuchdialect://host/db")
    assert missing_driver.value.status == ExitStatus.ENVIRONMENT
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(HistoryError) as unwritable:
        HistoryStore.open(None, blocker / "out")
    assert unwritable.value.status == ExitStatus.ENVIRONMENT
    with HistoryStore.open(None, tmp_path) as store, pytest.raises(HistoryError) as unknown:
        store.resolve_client("nobody")
    assert unknown.value.status == ExitStatus.USAGE
