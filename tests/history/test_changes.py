"""What changed since the previous review: exact new / open / resolved sets, streaks, trend, completed work."""

from __future__ import annotations

from pipeline.history import changes_context, client_diff, client_history, format_diff, format_history
from pipeline.history.changes import FIRST_REVIEW_SUMMARY

from .factories import CLIENT, finding, grades, initiative, record

A, B, C, D, E, F = (finding("PC-A"), finding("PC-B", severity="medium"), finding("PC-C", "lifecycle.warranty", "low"),
                    finding("SRV-D", "backup.server_unprotected", "critical"), finding("PC-E", "security.av_not_running"),
                    finding("PC-F", "lifecycle.hardware_age", "medium"))


def _ids(items: list[dict]) -> dict[str, int]:
    return {i["finding_id"]: i["quarters_open"] for i in items}


def test_first_review_has_the_exact_empty_shape(store):
    result = changes_context(store, CLIENT, "2026-Q4", [A], grades(60.0, 70.0), [])
    assert result == {"first_review": True, "previous_quarter": None, "new": [], "open": [], "resolved": [],
                      "completed_initiatives": [], "grade_trend": [], "grade_changes": [],
                      "summary": FIRST_REVIEW_SUMMARY}
    assert changes_context(None, CLIENT, "2026-Q4", [A], [], []) == result


def test_consecutive_quarters_give_exact_sets_and_streaks(store):
    record(store, "2026-Q2", [A, D, F])
    record(store, "2026-Q3", [A, B, C, D])
    q4 = [A, B, E, F]  # F was open in Q2, gone in Q3, back in Q4: a new run
    result = changes_context(store, CLIENT, "2026-Q4", q4, grades(60.0, 70.0), [])
    assert result["first_review"] is False and result["previous_quarter"] == "2026-Q3"
    assert _ids(result["new"]) == {E["finding_id"]: 1, F["finding_id"]: 1}
    assert _ids(result["open"]) == {A["finding_id"]: 3, B["finding_id"]: 2}
    assert _ids(result["resolved"]) == {C["finding_id"]: 1, D["finding_id"]: 2}
    item = next(i for i in result["resolved"] if i["finding_id"] == D["finding_id"])
    assert item == {"finding_id": D["finding_id"], "title": D["title"], "subject": "SRV-D", "category": "backup",
                    "severity": "critical", "quarters_open": 2}
    assert [i["severity"] for i in result["resolved"]] == ["critical", "low"]  # most severe first
    assert result["summary"].startswith("Since 2026-Q3: 2 new findings, 2 resolved and 2 still open")


def test_rerun_compares_with_the_earlier_quarter_not_with_itself(store):
    record(store, "2026-Q3", [A])
    record(store, "2026-Q4", [A, B])
    again = changes_context(store, CLIENT, "2026-Q4", [A, B], grades(60.0, 70.0), [])
    assert again["previous_quarter"] == "2026-Q3"
    assert _ids(again["new"]) == {B["finding_id"]: 1} and _ids(again["open"]) == {A["finding_id"]: 2}


def test_a_skipped_quarter_counts_calendar_quarters(store):
    record(store, "2026-Q2", [A])  # e.g. a semiannual client: Q2 and Q4
    result = changes_context(store, CLIENT, "2026-Q4", [A], grades(60.0, 70.0), [])
    assert result["previous_quarter"] == "2026-Q2"
    assert _ids(result["open"]) == {A["finding_id"]: 3}


def test_grade_trend_is_oldest_first_with_the_current_quarter_last(store):
    quarters = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    for i, quarter in enumerate(reversed(quarters)):  # recorded out of order on purpose
        record(store, quarter, [A], grade_list=grades(50.0 + 9 - i, 70.0))
    result = changes_context(store, CLIENT, "2027-Q1", [A], grades(61.0, 72.5, None, 80.0), [])
    trend = result["grade_trend"]
    assert [p["quarter"] for p in trend] == quarters[-7:] + ["2027-Q1"]  # 8 quarters at most
    assert trend[-1] == {"quarter": "2027-Q1", "lifecycle": 61.0, "security": 72.5, "licensing": None,
                         "continuity": 80.0}
    assert [p["lifecycle"] for p in trend[:-1]] == [53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0]
    changes = {g["area"]: g for g in result["grade_changes"]}
    assert changes["lifecycle"] == {"area": "lifecycle", "label": "Lifecycle", "previous": 59.0, "current": 61.0,
                                    "delta": 2.0}
    assert changes["security"]["delta"] == 2.5
    assert changes["licensing"]["delta"] is None  # nothing to assess now
    assert changes["continuity"]["delta"] == 5.0
    assert "Continuity up 5 points" in result["summary"]


def test_an_initiative_whose_findings_are_all_resolved_is_completed(store):
    done = initiative("windows_replacement", "win10", [A, B], title="Replace 2 Windows 10 devices")
    partly = initiative("backup_coverage", "servers", [C, D], rank=2)
    record(store, "2026-Q3", [A, B, C, D], plan=[done, partly])
    current_partly = initiative("backup_coverage", "servers", [D], rank=1)
    result = changes_context(store, CLIENT, "2026-Q4", [D, E], grades(60.0, 70.0), [current_partly])
    assert [i["initiative_id"] for i in result["completed_initiatives"]] == [done["initiative_id"]]
    assert result["completed_initiatives"][0] == {
        "initiative_id": done["initiative_id"], "title": "Replace 2 Windows 10 devices",
        "kind": "windows_replacement", "finding_count": 2, "target_quarter": "2027-Q1", "one_time_cost": 1000.0}
    assert "1 initiative completed" in result["summary"]


def test_a_client_history_view_gives_the_same_answer_as_the_store(store):
    record(store, "2026-Q3", [A, B])
    view = store.client_view(CLIENT, "2026-Q4")
    import pickle

    view = pickle.loads(pickle.dumps(view))  # workers receive it through a process pool
    assert changes_context(view, CLIENT, "2026-Q4", [A, C], grades(60.0, 70.0), []) == \
        changes_context(store, CLIENT, "2026-Q4", [A, C], grades(60.0, 70.0), [])


def test_history_and_diff_reports(store):
    record(store, "2026-Q2", [A, D], grade_list=grades(40.0, 50.0))
    record(store, "2026-Q3", [A, B, D], grade_list=grades(45.0, 55.0))
    record(store, "2026-Q4", [A, B, E], grade_list=grades(60.0, 65.0))
    rows = client_history(store, "acme dental")
    assert [r["quarter"] for r in rows] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert rows[0]["new"] is None and rows[1]["new"] == 1 and rows[2]["resolved"] == 1
    assert rows[2]["grades"]["lifecycle"] == 60.0 and rows[2]["findings"] == 3 and rows[2]["high"] == 2
    text = format_history(rows, CLIENT)
    assert "2026-Q3" in text and "60%" in text

    diff = client_diff(store, CLIENT, "2026-Q2", "2026-Q4")
    assert _ids(diff["new"]) == {B["finding_id"]: 2, E["finding_id"]: 1}
    assert _ids(diff["open"]) == {A["finding_id"]: 3}
    assert _ids(diff["resolved"]) == {D["finding_id"]: 1}
    assert {g["area"]: g["delta"] for g in diff["grade_changes"]}["lifecycle"] == 20.0
    report = format_diff(diff)
    assert "1 resolved" in report and D["finding_id"] in report


def test_diff_errors_name_what_exists(store):
    import pytest

    from pipeline.history import HistoryError

    record(store, "2026-Q3", [A])
    with pytest.raises(HistoryError, match="recorded quarters: 2026-Q3"):
        client_diff(store, CLIENT, "2026-Q3", "2026-Q4")
    with pytest.raises(HistoryError, match="Acme Dental"):
        client_diff(store, "Acme Dentl", "2026-Q3", "2026-Q4")
    with pytest.raises(HistoryError, match="earlier"):
        client_diff(store, CLIENT, "2026-Q4", "2026-Q3")
