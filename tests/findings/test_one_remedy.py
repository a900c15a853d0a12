"""Remedies a vCIO would sign: one remedy per device, firewall support, patch policy, grades that count the
unsupported systems and the licence waste, and findings measured at the export's own date."""

from __future__ import annotations

from datetime import date, timedelta

from pipeline.review.coverage import provided
from pipeline.review.grades import area_grades
from pipeline.wording import Wording
from tests.findings.conftest import (AS_OF, WIN10, WIN11_24H2_PRO, asset, client, eol_of, found, one, run,
                                     subscription, user)

DAY = timedelta(days=1)


def test_a_server_past_its_age_is_replaced_and_not_also_told_to_extend_its_warranty():
    old = asset("FS01", device_type="server", purchase_date=date(2018, 1, 1), warranty_end=AS_OF - 10 * DAY)
    result = run(client(assets=[old]))
    assert [f.rule for f in result.findings] == ["lifecycle.hardware_age"]
    (dropped, cover), = result.superseded
    assert dropped.rule == "lifecycle.warranty" and cover == result.findings[0].finding_id
    assert result.findings[0].facts["also_resolves"] == [dropped.title]


def test_a_young_server_with_a_lapsed_warranty_gets_one_priced_extension():
    young = asset("FS02", device_type="server", purchase_date=date(2024, 1, 1), warranty_end=AS_OF - 10 * DAY)
    data = client(assets=[young])
    finding = one(data, "lifecycle.warranty")
    assert finding.estimated_cost == 900 and finding.facts["remedy"] == "extend_warranty"
    assert found(data, "lifecycle.hardware_age") == []


def test_a_firewall_with_lapsed_support_renews_its_security_services():
    firewall = asset("FW-01", device_type="network", model="FortiGate 60F", purchase_date=date(2023, 6, 1),
                     warranty_end=AS_OF - 30 * DAY)
    finding = one(client(assets=[firewall]), "lifecycle.warranty")
    assert finding.title == "Support and security services on firewall FW-01 ended on Oct 21, 2026"
    assert finding.recommendation.startswith("Renew the security-services subscription of FW-01")
    assert finding.estimated_cost == 600 and finding.facts["remedy"] == "renew_security_services"


def test_no_feature_update_in_the_quarter_a_device_is_replaced():
    # 24H2 Home/Pro ends Oct 13, 2026: past; the laptop is also past its 4-year age: replace only.
    old = asset("LT-OLD", device_type="laptop", os=WIN11_24H2_PRO, purchase_date=date(2021, 1, 1))
    result = run(client(assets=[old]), as_of=eol_of(WIN11_24H2_PRO) + DAY)
    assert [f.rule for f in result.findings] == ["lifecycle.hardware_age"]
    # replaced in 2028: the update is due now, in another quarter, so it stays
    young = asset("LT-NEW", device_type="laptop", os=WIN11_24H2_PRO, purchase_date=date(2024, 3, 1))
    result = run(client(assets=[young]), as_of=eol_of(WIN11_24H2_PRO) + DAY)
    assert [(f.rule, f.facts.get("remedy")) for f in result.findings] == [
        ("lifecycle.os_end_of_support", "feature_update"), ("lifecycle.hardware_age", None)]
    assert result.findings[1].facts["beyond_year"]  # the 2028 replacement is the forecast: the update stays


def test_no_patch_policy_is_a_security_finding_and_no_data_a_coverage_gap():
    erp = asset("GRM-ERP01", device_type="server", patch_status="no_policy", patches_not_approved=75)
    pc = asset("PC-02", patch_status="no_data")
    result = run(client(assets=[erp, pc]))
    finding, = [f for f in result.findings if f.rule == "security.no_patch_policy"]
    assert finding.title == "Server GRM-ERP01 is under no patch policy (75 patches waiting for approval)"
    assert finding.severity == "high"
    assert result.data_gaps["devices the RMM has no patch data for (patching not checked)"] == 1


def test_security_grade_counts_devices_without_vendor_security_updates():
    pcs = [asset(f"PC-{i:02}", os=WIN10, purchase_date=AS_OF - 400 * DAY) for i in range(10)]
    data = client(assets=pcs)
    security = next(g for g in area_grades(data, run(data).findings, provided(data), AS_OF, Wording()) if g.area == "security")
    assert security.colour != "green" and security.percent <= 79 and security.affected == 10


def test_licensing_grade_cannot_be_green_while_half_the_licence_spend_is_waste():
    users = [user(f"u{i}@acme.example") for i in range(5)] + \
            [user(f"b{i}@acme.example", blocked=True) for i in range(5)]
    data = client(users=users, subscriptions=[subscription(quantity=10, price=22.0)])
    licensing = next(g for g in area_grades(data, run(data).findings, provided(data), AS_OF, Wording()) if g.area == "licensing")
    assert licensing.percent == 50.0 and licensing.colour == "amber"


def test_time_relative_findings_are_measured_at_the_export_date_not_the_review_date():
    """An export of Nov 20 read on Nov 24 (or in February) says what it said on Nov 20."""
    seen = asset("PC-01", last_seen=None)
    from datetime import datetime
    seen.last_seen = datetime(2026, 11, 19, 9, 0)
    seen.provenance = {"last_seen": {"observed": AS_OF}}
    idle = user("quiet@acme.example", last_activity=AS_OF - 30 * DAY, activity_observed=AS_OF)
    data = client(assets=[seen], users=[idle])
    on_the_day = {(f.finding_id, f.severity, f.title) for f in run(data).findings}
    four_days_later = {(f.finding_id, f.severity, f.title) for f in run(data, as_of=AS_OF + 4 * DAY).findings}
    next_quarter = run(data, as_of=date(2027, 2, 20)).findings
    assert on_the_day == four_days_later
    assert not [f for f in next_quarter if f.rule in {"security.agent_offline", "licensing.inactive_user",
                                                      "lifecycle.confirm_disposal"}]


def test_a_stale_source_s_time_relative_findings_are_not_reported_as_new():
    from pipeline.history.changes import changes_context
    from datetime import datetime
    offline = asset("PC-01")
    offline.last_seen = datetime(2026, 10, 1, 9, 0)
    offline.provenance = {"last_seen": {"observed": AS_OF}}
    findings = run(client(assets=[offline]), as_of=date(2027, 2, 20)).findings
    finding, = [f for f in findings if f.rule == "security.agent_offline"]
    assert finding.facts["stale_source"] is True and "as of Nov 20, 2026" in finding.title

    class View:  # a previous quarter without this finding
        quarter = "2027-Q1"
        previous = type("Previous", (), {"quarter": "2026-Q4", "findings": {}, "grades": {}, "initiatives": {}})()
        first_seen: dict = {}
        grade_history: list = []
    changes = changes_context(View(), "Acme Dental", "2027-Q1", findings, [], [])
    assert changes["new"] == [] and [i["finding_id"] for i in changes["not_new_stale_data"]] == [finding.finding_id]
