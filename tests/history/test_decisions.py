"""The decisions record: declined items carried forward with the risk of inaction, deferrals, progress,
and the template CSV for the next meeting."""

from __future__ import annotations

import csv
import io
from datetime import date

from pipeline.findings.risk_texts import cost_of_inaction
from pipeline.history import decisions_context, decisions_template_csv
from pipeline.model import Decision

from .factories import CLIENT, finding, initiative, record

EOL = finding("PC-OLD", "lifecycle.os_end_of_support", "high", title="Windows 10 reached end of support")
MFA = finding("ann@acme.example", "security.mfa_not_registered", "high", title="No MFA")
AGE1, AGE2, AGE3 = (finding(f"PC-{n}", "lifecycle.hardware_age", "medium") for n in (1, 2, 3))
REFRESH = initiative("hardware_refresh", "2027-Q2", [AGE1, AGE2, AGE3], title="Replace 3 aging devices", rank=2)
MFA_PLAN = initiative("mfa_rollout", "users", [MFA], title="Register MFA for 1 user", rank=1)
ALL = [EOL, MFA, AGE1, AGE2, AGE3]


def _step(store, quarter, members, plan, rows):
    """One quarter as the runner does it: view, decisions, then record the snapshot with them."""
    view = store.client_view(CLIENT, quarter)
    result = decisions_context(rows, members, plan, quarter, view)
    record(store, quarter, members, plan=plan, decisions=result)
    return result


def test_first_review_without_decisions():
    assert decisions_context([], ALL, [REFRESH], "2026-Q4", None) == {
        "first_review": True, "accepted": [], "declined": [], "deferred": [], "done": []}


def test_declined_item_is_carried_forward_with_its_risk_of_inaction(store):
    declined = Decision(item_id=EOL["finding_id"].lower(), decision="declined", decided_on=date(2026, 8, 25),
                        decided_by="Dr. Patel", note="budget frozen")
    q3 = _step(store, "2026-Q3", ALL, [REFRESH, MFA_PLAN], [declined])
    assert q3["first_review"] is False
    assert [e["item_id"] for e in q3["declined"]] == [EOL["finding_id"]]
    # Q4: decisions.csv no longer lists it, the finding is still open.
    q4 = _step(store, "2026-Q4", ALL, [REFRESH, MFA_PLAN], [])
    (entry,) = q4["declined"]
    risk = cost_of_inaction("lifecycle.os_end_of_support")
    assert entry["item_id"] == EOL["finding_id"] and entry["item_kind"] == "finding"
    assert entry["title"] == "Windows 10 reached end of support"
    assert entry["decided_on"] == "2026-08-25" and entry["decided_by"] == "Dr. Patel" and entry["note"] == "budget frozen"
    assert entry["risk_of_inaction"] == risk
    assert entry["carried_forward"] is True and entry["first_quarter"] == "2026-Q3" and entry["still_open"] is True
    assert entry["status"] == "Declined on 2026-08-25 by Dr. Patel"
    # Q1: still carried, even two quarters later.
    q1 = _step(store, "2027-Q1", ALL, [REFRESH, MFA_PLAN], [])
    assert [e["item_id"] for e in q1["declined"]] == [EOL["finding_id"]]
    # Q2: the client fixed it anyway: shown once as resolved (with the stored title and risk) ...
    q2 = _step(store, "2027-Q2", [MFA], [MFA_PLAN], [])
    (gone,) = q2["declined"]
    assert gone["completed"] is True and gone["still_open"] is False
    assert gone["title"] == "Windows 10 reached end of support" and gone["risk_of_inaction"] == risk
    assert gone["status"].endswith("since resolved")
    # ... then it leaves the record.
    q3_next = _step(store, "2027-Q3", [MFA], [MFA_PLAN], [])
    assert q3_next["declined"] == []


def test_declined_initiative_carries_the_risks_of_its_findings(store):
    rows = [{"item_id": MFA_PLAN["initiative_id"], "decision": "declined", "decided_on": "2026-11-20",
             "decided_by": "CFO"}]
    result = decisions_context(rows, ALL, [REFRESH, MFA_PLAN], "2026-Q4", store.client_view(CLIENT, "2026-Q4"))
    (entry,) = result["declined"]
    assert entry["item_kind"] == "initiative" and entry["title"] == "Register MFA for 1 user"
    assert entry["risk_of_inaction"] == cost_of_inaction("security.mfa_not_registered")


def test_deferred_item_moves_to_its_quarter_and_comes_due_for_review(store):
    rows = [{"item_id": REFRESH["initiative_id"], "decision": "deferred", "decided_on": "2026-11-20",
             "decided_by": "Owner", "revisit_quarter": "2027-q2"}]
    q4 = _step(store, "2026-Q4", ALL, [REFRESH], rows)
    (entry,) = q4["deferred"]
    assert entry["revisit_quarter"] == "2027-Q2" and entry["target_quarter"] == "2027-Q2"
    assert entry["original_target_quarter"] == "2027-Q1"
    assert entry["due_for_review"] is False and entry["status"] == "Deferred to 2027-Q2"
    q1 = _step(store, "2027-Q1", ALL, [REFRESH], [])
    assert q1["deferred"][0]["due_for_review"] is False and q1["deferred"][0]["carried_forward"] is True
    q2 = _step(store, "2027-Q2", ALL, [REFRESH], [])
    (due,) = q2["deferred"]
    assert due["due_for_review"] is True and due["status"] == "Deferred to 2027-Q2: due for review"


def test_apply_deferrals_moves_the_initiative_in_the_roadmap():
    from pipeline.history import apply_deferrals

    rows = [{"item_id": REFRESH["initiative_id"], "decision": "deferred", "revisit_quarter": "2027-Q3"}]
    result = decisions_context(rows, ALL, [REFRESH], "2026-Q4", None)
    moved = apply_deferrals([REFRESH, MFA_PLAN], result)
    assert moved[0]["target_quarter"] == "2027-Q3" and moved[0]["deferred_from"] == "2027-Q1"
    assert moved[1]["target_quarter"] == "2027-Q1" and moved[1]["decision"] == ""
    assert REFRESH["target_quarter"] == "2027-Q1"  # the input is not modified


def test_accepted_initiative_shows_progress_then_completion(store):
    rows = [Decision(item_id=REFRESH["initiative_id"], decision="accepted", decided_on=date(2026, 8, 20))]
    q3 = _step(store, "2026-Q3", ALL, [REFRESH], rows)
    assert q3["accepted"][0]["status"] == "In progress: 0 of 3 findings resolved"
    plan_q4 = [initiative("hardware_refresh", "2027-Q2", [AGE2, AGE3], title="Replace 2 aging devices")]
    q4 = _step(store, "2026-Q4", [EOL, MFA, AGE2, AGE3], plan_q4, [])
    (entry,) = q4["accepted"]
    assert (entry["findings_total"], entry["findings_resolved"], entry["findings_open"]) == (3, 1, 2)
    assert entry["status"] == "In progress: 1 of 3 findings resolved" and entry["completed"] is False
    q1 = _step(store, "2027-Q1", [EOL, MFA], [], [])
    (entry,) = q1["accepted"]
    assert entry["completed"] is True and entry["status"] == "Completed: all 3 findings resolved"
    assert entry["title"] == "Replace 2 aging devices"  # the latest title the history knew
    assert _step(store, "2027-Q2", [EOL, MFA], [], [])["accepted"] == []  # completed items leave the record


def test_done_is_checked_against_the_findings_and_csv_restatements_win(store):
    rows = [{"item_id": MFA["finding_id"], "decision": "done", "decided_on": "2026-11-01"},
            {"item_id": EOL["finding_id"], "decision": "declined", "decided_on": "2026-10-01"},
            {"item_id": EOL["finding_id"], "decision": "accepted", "decided_on": "2026-11-15"},  # later wins
            {"item_id": AGE1["finding_id"], "decision": ""},  # an unfilled template row
            {"item_id": AGE2["finding_id"], "decision": "maybe"}]  # not a decision: ignored
    result = decisions_context(rows, ALL, [], "2026-Q4", None)
    assert result["done"][0]["status"] == "Marked done, but 1 of 1 findings are still open"
    assert [e["item_id"] for e in result["accepted"]] == [EOL["finding_id"]]
    assert result["declined"] == [] and result["deferred"] == []


def test_decisions_template_lists_open_recommendations():
    risky = finding("=cmd|' /C calc'!A0", "security.av_not_running", "critical", title="=HYPERLINK(\"x\")")
    loose = [risky, finding("PC-Z", "renewal.contract", "low", title="Contract renews")]
    data = decisions_template_csv("@Acme", [REFRESH, MFA_PLAN], ALL + loose)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["client", "item_id", "decision", "decided_on", "decided_by", "note", "revisit_quarter"]
    ids = [r[1] for r in rows[1:]]
    # initiatives first (by rank), then the findings no initiative covers, most severe first; a low one (a date to
    # note, not a decision) is left out
    assert ids == [MFA_PLAN["initiative_id"], REFRESH["initiative_id"], risky["finding_id"], EOL["finding_id"]]
    assert all(r[0] == "'@Acme" for r in rows[1:])
    assert all(r[2] == r[3] == r[4] == r[6] == "" for r in rows[1:])  # decision columns empty
    assert rows[1][5] == "Register MFA for 1 user (covers ann@acme.example)"
    assert rows[2][5] == "Replace 3 aging devices (covers PC-1, PC-2, PC-3)"
    assert rows[3][5].startswith("'=HYPERLINK")
    assert b"\r\n" in data
    bare = decisions_template_csv("Acme", [REFRESH], [], describe=False)
    assert list(csv.reader(io.StringIO(bare.decode("utf-8-sig"))))[1] == ["Acme", REFRESH["initiative_id"], "", "", "",
                                                                           "", ""]


def test_a_filled_in_template_reads_back_as_decisions(tmp_path):
    """The template goes through the real decisions.csv ingest profile and the model, unchanged columns."""
    from pipeline.ingest import IngestOptions, ingest_folder
    from pipeline.model import build_clients

    rows = list(csv.reader(io.StringIO(decisions_template_csv(CLIENT, [REFRESH], [EOL]).decode("utf-8-sig"))))
    rows[1][2:5], rows[1][6] = ["deferred", "2026-11-20", "Owner"], "2027-Q2"
    rows[2][2:5] = ["declined", "2026-11-20", "Owner"]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (tmp_path / "decisions.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")
    (tmp_path / "clients.csv").write_text("name,vcio\r\nAcme Dental,Dana\r\n", encoding="utf-8")
    client = build_clients(ingest_folder(tmp_path, IngestOptions(as_of=date(2026, 11, 20))))[CLIENT]
    by_id = {d.item_id: d for d in client.decisions}
    assert by_id[REFRESH["initiative_id"]].decision == "deferred"
    assert by_id[REFRESH["initiative_id"]].revisit_quarter == "2027-Q2"
    assert by_id[EOL["finding_id"]].decided_on == date(2026, 11, 20)
    result = decisions_context(client.decisions, ALL, [REFRESH], "2026-Q4", None)
    assert [e["item_id"] for e in result["deferred"]] == [REFRESH["initiative_id"]]
    assert [e["item_id"] for e in result["declined"]] == [EOL["finding_id"]]


def test_a_decision_on_a_regrouped_initiative_moves_to_the_theme_that_now_covers_its_findings(store):
    """Initiatives became themes: a decline recorded against the retired id is not lost."""
    old = initiative("feature_update", "Windows 11 23H2", [AGE1, AGE2], title="Apply the feature update on 2 devices")
    declined = {"item_id": old["initiative_id"], "decision": "declined", "decided_on": "2026-08-20",
                "decided_by": "Owner"}
    _step(store, "2026-Q3", ALL, [old, MFA_PLAN], [declined])
    theme = initiative("os_update", "theme", [AGE1, AGE2, AGE3], title="Bring 3 PCs to a supported Windows release")
    q4 = _step(store, "2026-Q4", ALL, [theme, MFA_PLAN], [])
    (entry,) = q4["declined"]
    assert entry["item_id"] == theme["initiative_id"]
    assert old["initiative_id"] in entry["note"] and "Apply the feature update on 2 devices" in entry["note"]
    assert entry["title"] == "Bring 3 PCs to a supported Windows release"


def test_a_decision_whose_findings_are_all_gone_keeps_its_own_id(store):
    old = initiative("feature_update", "Windows 11 23H2", [AGE1], title="Apply the feature update on 1 device")
    _step(store, "2026-Q3", ALL, [old], [{"item_id": old["initiative_id"], "decision": "accepted",
                                         "decided_on": "2026-08-20"}])
    q4 = _step(store, "2026-Q4", [MFA], [MFA_PLAN], [])
    assert [e["item_id"] for e in q4["accepted"]] == [old["initiative_id"]]
