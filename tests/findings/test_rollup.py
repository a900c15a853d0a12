"""Roll-ups: grades, initiatives, risks and the budget, with the arithmetic worked by hand in comments."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.findings import GRADE_METHOD, RISK_METHOD, budget, grades, initiatives, risks
from pipeline.findings.rollup import (CAP_CRITICAL, CAP_HIGH, KINDS, Initiative, _phase_for, colour_for,
                                      initiative_id, _score)
from pipeline.quarters import Quarter
from tests.findings.conftest import (AS_OF, CLIENT, asset, client, configured, contract, default_config, goal,
                                     make_finding, subscription, user)


def by_area(result):
    return {g.area: g for g in result}


# =============================================================== grades
class TestGrades:
    DEVICES = [asset(f"PC-{i}") for i in range(1, 7)] + [
        asset("SRV1", device_type="server"), asset("SRV2", device_type="server"),
        asset("FW", device_type="network"), asset("NAS", device_type="storage")]  # 10 devices, 4 continuity items

    def test_lifecycle_counts_each_device_once_at_its_worst_and_caps_at_79_with_a_high_open(self):
        findings = [make_finding("lifecycle.os_end_of_support", "PC-1", "high"),
                    make_finding("lifecycle.hardware_age", "PC-1", "medium"),
                    make_finding("lifecycle.warranty", "PC-2", "low")]
        grade = by_area(grades(client(assets=self.DEVICES), findings))["lifecycle"]
        # penalties: PC-1 worst = high 0.75 (the medium does not add), PC-2 low 0.15 -> 0.9 / 10 devices
        # 100 x (1 - 0.09) = 91.0, capped at 79 because a high finding is open
        assert (grade.percent, grade.score, grade.colour) == (CAP_HIGH, 3, "amber")
        assert (grade.assessed, grade.affected) == (10, 2)

    def test_lifecycle_without_serious_findings_is_not_capped(self):
        findings = [make_finding("lifecycle.warranty", "PC-2", "low"),
                    make_finding("lifecycle.hardware_age", "PC-3", "medium")]
        grade = by_area(grades(client(assets=self.DEVICES), findings))["lifecycle"]
        assert (grade.percent, grade.score, grade.colour) == (94.5, 5, "green")  # 100 x (1 - 0.55 / 10)

    def test_a_critical_caps_at_64(self):
        grade = by_area(grades(client(assets=self.DEVICES),
                               [make_finding("lifecycle.os_end_of_support", "SRV1", "critical")]))["lifecycle"]
        assert (grade.percent, grade.score, grade.colour) == (CAP_CRITICAL, 2, "amber")  # 90.0 capped to 64

    def test_score_never_goes_below_zero(self):
        findings = [make_finding("lifecycle.warranty", f"X-{i}", "critical") for i in range(30)]
        grade = by_area(grades(client(assets=self.DEVICES), findings))["lifecycle"]
        assert (grade.percent, grade.score, grade.colour) == (0.0, 1, "red")

    def test_security_counts_devices_and_users_who_sign_in(self):
        users = [user(f"u{i}@acme.example") for i in range(5)] + [
            user("admin@acme.onmicrosoft.com", licenses=[], is_admin=True),  # checked for MFA, so assessed
            user("guest#EXT#@acme.onmicrosoft.com", is_guest=True),  # not assessed
            user("room@acme.example", licenses=[])]  # not assessed
        findings = [make_finding("security.av_not_running", "PC-1", "high"),
                    make_finding("security.patch_failed", "PC-1", "medium"),
                    make_finding("security.reboot_pending", "PC-2", "low"),
                    make_finding("security.mfa_not_registered", "u1@acme.example", "high")]
        grade = by_area(grades(client(assets=self.DEVICES, users=users), findings))["security"]
        # 10 devices + 6 users = 16; penalties 0.75 (PC-1) + 0.15 (PC-2) + 0.75 (u1) = 1.65
        # 100 x (1 - 1.65/16) = 89.6875 -> 89.7, capped at 79 (high open)
        assert grade.assessed == 16 and grade.affected == 3
        assert grade.percent == CAP_HIGH

    def test_licensing_counts_every_idle_seat_and_ignores_renewals(self):
        users = [user(f"u{i}@acme.example") for i in range(20)]
        findings = [make_finding("licensing.unassigned_seats", "Microsoft 365 Business Premium", "medium", spare=5),
                    make_finding("licensing.blocked_user_licensed", "u1@acme.example", "low"),
                    make_finding("renewal.subscription", "Microsoft 365 Business Premium", "medium"),
                    make_finding("renewal.contract", "Managed services", "medium")]
        grade = by_area(grades(client(users=users, subscriptions=[subscription(quantity=25)]), findings))["licensing"]
        # 25 seats (more than the 20 licensed users); 5 idle seats x 0.4 + 0.15 = 2.15
        # 100 x (1 - 2.15/25) = 91.4; renewals carry no penalty and no cap
        assert (grade.assessed, grade.percent, grade.score, grade.colour) == (25, 91.4, 5, "green")

    def test_continuity_is_servers_network_and_storage(self):
        findings = [make_finding("backup.server_unprotected", "SRV1", "high"),
                    make_finding("lifecycle.os_end_of_support", "SRV1", "medium", device_type="server"),
                    make_finding("lifecycle.warranty", "FW", "low", device_type="network"),
                    make_finding("lifecycle.warranty", "PC-1", "low", device_type="desktop")]
        grade = by_area(grades(client(assets=self.DEVICES), findings))["continuity"]
        # 4 items; SRV1 worst high 0.75, FW low 0.15 (the desktop does not count) -> 0.9/4
        # 100 x (1 - 0.225) = 77.5, under the 79 cap already
        assert (grade.assessed, grade.affected, grade.percent, grade.score, grade.colour) == (4, 2, 77.5, 3, "amber")

    def test_nothing_to_assess_is_grey(self):
        result = by_area(grades(client(), []))
        assert all((g.percent, g.score, g.colour) == (None, None, "grey") for g in result.values())
        assert [(g.area, g.label, g.assessed, g.affected) for g in result.values()] == [
            ("lifecycle", "Lifecycle", 0, 0), ("security", "Security", 0, 0), ("licensing", "Licensing", 0, 0),
            ("continuity", "Continuity", 0, 0)]

    def test_clean_client_is_all_green(self):
        result = by_area(grades(client(assets=self.DEVICES, users=[user()], subscriptions=[subscription(quantity=1)]), []))
        assert all((g.percent, g.score, g.colour) == (100.0, 5, "green") for g in result.values())

    @pytest.mark.parametrize("percent, score, colour", [
        (100, 5, "green"), (90, 5, "green"), (89.9, 4, "green"), (80, 4, "green"),
        (79.9, 3, "amber"), (65, 3, "amber"), (64.9, 2, "amber"), (50, 2, "amber"), (49.9, 1, "red"), (0, 1, "red"),
    ])
    def test_score_and_colour_thresholds(self, percent, score, colour):
        assert _score(percent) == score and colour_for(percent) == colour

    def test_the_method_text_states_the_numbers_used(self):
        for text in ("1.0", "0.75", "0.4", "0.15", "64%", "79%", "90+ = 5", "green 80+", "renewals"):
            assert text in GRADE_METHOD


# =============================================================== initiatives
def initiative(items, kind, scope_word=""):
    matches = [i for i in items if i.kind == kind and scope_word in i.title]
    assert len(matches) == 1, [i.title for i in items]
    return matches[0]


class TestInitiatives:
    def findings(self):
        return [
            make_finding("lifecycle.os_end_of_support", "PC-1", "high", due=date(2025, 10, 14), cost=1200,
                         remedy="upgrade_or_replace", os="Windows 10 22H2", device_type="desktop"),
            make_finding("lifecycle.hardware_age", "PC-1", "medium", due=date(2024, 1, 1), cost=1200,
                         due_quarter="2026-Q4", plan_quarter="2027-Q1", device_type="desktop"),
            make_finding("lifecycle.hardware_age", "PC-2", "low", due=date(2027, 8, 1), cost=1200,
                         due_quarter="2027-Q3", plan_quarter="2027-Q3", device_type="desktop"),
            make_finding("lifecycle.os_end_of_support", "PC-3", "high", due=date(2026, 10, 13), cost=150,
                         remedy="feature_update", os="Windows 11 24H2 (Home/Pro)", device_type="desktop"),
            make_finding("lifecycle.hardware_age", "PC-3", "medium", due=date(2025, 5, 1), cost=1200,
                         due_quarter="2026-Q4", plan_quarter="2027-Q1", device_type="desktop"),
            make_finding("lifecycle.os_end_of_support", "PC-4", "low", due=date(2027, 10, 12), cost=150,
                         remedy="feature_update", os="Windows 11 25H2 (Home/Pro)", device_type="desktop"),
        ]

    def test_grouping_and_a_device_costed_once(self):
        plan = initiatives(client(vcio="Dana Whitfield"), self.findings(), AS_OF)
        replace = initiative(plan, "windows_replacement")
        refresh = initiative(plan, "hardware_refresh")
        update_now = initiative(plan, "feature_update", "24H2")
        update_later = initiative(plan, "feature_update", "25H2")
        assert replace.title == "Replace or upgrade 1 device on Windows 10 22H2" and replace.one_time_cost == 1200
        # PC-1 is replaced for its operating system: its age finding joins that initiative, not the refresh
        assert {f.rule for f in replace.findings} == {"lifecycle.os_end_of_support", "lifecycle.hardware_age"}
        assert refresh.title == "Replace 2 aging devices" and refresh.subjects == ["PC-2", "PC-3"]
        # one refresh programme, each device budgeted in its own quarter
        assert refresh.cost_schedule == {"2027-Q1": 1200, "2027-Q3": 1200} and refresh.one_time_cost == 2400
        assert refresh.target_quarter == "2027-Q1" and "2027-Q3" in refresh.success_metric
        # PC-3 is replaced, so its feature update costs nothing; PC-4's is due in Oct 2027
        assert update_now.one_time_cost == 0 and update_now.target_quarter == "2027-Q1"
        assert update_later.title == "Apply the Windows 11 feature update on 1 device running Windows 11 25H2 (Home/Pro)"
        assert (update_later.one_time_cost, update_later.phase, update_later.target_quarter) == (150, "6-18 months", "2027-Q4")
        # four devices, each one-time cost once: 1200 + 1200 + 1200 + 150
        assert sum(i.one_time_cost for i in plan) == 3750

    def test_refresh_keeps_its_id_across_quarters(self):
        """The client's decision on the refresh programme must carry to the next quarter."""
        now = [make_finding("lifecycle.hardware_age", "OLD", "medium", due=date(2024, 1, 1), cost=1000,
                            due_quarter="2026-Q4", plan_quarter="2027-Q1")]
        later = [make_finding("lifecycle.hardware_age", "OLD", "medium", due=date(2024, 1, 1), cost=1000,
                              due_quarter="2027-Q1", plan_quarter="2027-Q2"),
                 make_finding("lifecycle.hardware_age", "NEW", "low", due=date(2027, 6, 1), cost=1000,
                              due_quarter="2027-Q2", plan_quarter="2027-Q2")]
        first, = initiatives(client(), now, AS_OF)
        second, = initiatives(client(), later, date(2027, 2, 20))
        assert first.initiative_id == second.initiative_id
        assert (first.title, second.title) == ("Replace 1 aging device", "Replace 2 aging devices")

    def test_overdue_and_due_next_quarter_are_one_batch_with_one_title(self):
        findings = [make_finding("lifecycle.hardware_age", "OLD", "medium", due=date(2024, 1, 1), cost=1000,
                                 due_quarter="2026-Q4", plan_quarter="2027-Q1"),
                    make_finding("lifecycle.hardware_age", "SOON", "low", due=date(2026, 12, 5), cost=1000,
                                 due_quarter="2026-Q4", plan_quarter="2027-Q1"),
                    make_finding("lifecycle.hardware_age", "Q1", "low", due=date(2027, 2, 1), cost=1000,
                                 due_quarter="2027-Q1", plan_quarter="2027-Q1")]
        plan = initiatives(client(), findings, AS_OF)
        assert [(i.title, i.target_quarter, i.one_time_cost, i.cost_schedule) for i in plan] == [
            ("Replace 3 aging devices", "2027-Q1", 3000, {"2027-Q1": 3000})]

    def test_a_batch_of_devices_due_only_this_quarter_is_still_budgeted_next_quarter(self):
        findings = [make_finding("lifecycle.hardware_age", "SOON", "low", due=date(2026, 12, 5), cost=1000,
                                 due_quarter="2026-Q4", plan_quarter="2027-Q1")]
        item, = initiatives(client(), findings, AS_OF)
        assert item.target_quarter == "2027-Q1" and item.cost_schedule == {"2027-Q1": 1000}

    def test_renewal_due_this_quarter_is_planned_this_quarter(self):
        findings = [make_finding("renewal.contract", "Acme - Managed Services", "medium", due=date(2026, 12, 31))]
        item, = initiatives(client(), findings, AS_OF)
        assert item.title == "Review and renew 'Acme - Managed Services' before 2026-12-31"
        assert (item.phase, item.target_quarter) == ("0-6 months", "2026-Q4")

    @pytest.mark.parametrize("severity, due, phase, quarter", [
        ("critical", date(2028, 1, 1), "0-6 months", "2027-Q1"),   # serious: next quarter whatever the date
        ("high", None, "0-6 months", "2027-Q1"),
        ("medium", date(2026, 1, 1), "0-6 months", "2027-Q1"),     # overdue
        ("medium", AS_OF, "0-6 months", "2027-Q1"),                # due today counts as overdue
        ("medium", date(2026, 12, 31), "0-6 months", "2026-Q4"),   # deadline this quarter
        ("low", date(2027, 5, 31), "0-6 months", "2027-Q2"),       # 6 months away
        ("low", date(2027, 6, 1), "6-18 months", "2027-Q2"),       # 7 months away
        ("low", date(2028, 5, 31), "6-18 months", "2028-Q2"),      # 18 months
        ("low", date(2028, 6, 1), "18-36 months", "2028-Q2"),
        ("medium", None, "6-18 months", "2027-Q2"),                # no date: two quarters out
        ("low", None, "18-36 months", "2028-Q2"),                  # no date: six quarters out
    ])
    def test_phase_and_target_quarter(self, severity, due, phase, quarter):
        got_phase, got_quarter = _phase_for(severity, due, AS_OF)
        assert (got_phase, got_quarter.label) == (phase, quarter)

    def test_owner_is_the_roster_vcio_or_to_be_assigned(self):
        finding = [make_finding("security.av_not_running", "PC-1", "high", due=AS_OF)]
        assert initiatives(client(vcio="Priya Raman"), finding, AS_OF)[0].owner == "Priya Raman"
        assert initiatives(client(vcio=None), finding, AS_OF)[0].owner == "to be assigned"

    def test_goal_by_tag_then_priority_then_overlap(self):
        goals = [goal("Grow the Annex", ["growth", "continuity"], "Medium"),
                 goal("Pass the HIPAA assessment", ["compliance", "security"], "High"),
                 goal("Work from anywhere", ["remote-work"], "High")]
        findings = [make_finding("security.mfa_not_registered", "a@acme.example", "high", due=AS_OF),
                    make_finding("backup.server_unprotected", "SRV1", "high", due=AS_OF),
                    make_finding("licensing.inactive_user", "b@acme.example", "low", cost=264, cost_kind="recurring")]
        plan = {i.kind: i for i in initiatives(client(goals=goals), findings, AS_OF)}
        # MFA (security, compliance, remote-work): two High goals share tags; HIPAA shares two, remote work one
        assert plan["mfa_rollout"].goal == "Pass the HIPAA assessment"
        # backup (continuity, compliance): the High goal beats the Medium one
        assert plan["backup_coverage"].goal == "Pass the HIPAA assessment"
        assert plan["license_cleanup"].goal is None  # no cost goal: marked as serving no goal

    def test_explicit_initiative_column_wins_over_tags(self):
        goals = [goal("Pass the HIPAA assessment", ["security"], "High"),
                 goal("Work from anywhere", ["productivity"], "Low", initiative=" MFA_Rollout ")]
        findings = [make_finding("security.mfa_not_registered", "a@acme.example", "high", due=AS_OF)]
        assert initiatives(client(goals=goals), findings, AS_OF)[0].goal == "Work from anywhere"

    def test_license_savings_and_the_right_size_rule(self):
        findings = [
            make_finding("licensing.unassigned_seats", "Microsoft 365 Business Premium", "medium",
                         due=date(2027, 2, 28), cost=1320, cost_kind="recurring", spare=5,
                         product="Microsoft 365 Business Premium"),
            make_finding("renewal.subscription", "Microsoft 365 Business Premium", "low", due=date(2027, 2, 28),
                         cost=26400, cost_kind="recurring", seats_droppable=5, product="Microsoft 365 Business Premium"),
            make_finding("renewal.subscription", "Exchange Online (Plan 1)", "low", due=date(2027, 1, 31),
                         cost=2880, cost_kind="recurring", seats_droppable=0, product="Exchange Online (Plan 1)"),
            make_finding("licensing.blocked_user_licensed", "a@acme.example", "low", cost=264, cost_kind="recurring"),
            make_finding("licensing.inactive_user", "b@acme.example", "low", cost=321.6, cost_kind="recurring"),
        ]
        plan = {i.title: i for i in initiatives(client(), findings, AS_OF)}
        rightsize = plan["Right-size Microsoft 365 Business Premium before the 2027-02-28 renewal"]
        assert rightsize.annual_recurring == -1320  # the renewal's own value is not a saving
        assert rightsize.target_quarter == "2027-Q1" and len(rightsize.findings) == 2
        cleanup = plan["Reclaim licences from 2 departed or inactive users"]
        assert cleanup.annual_recurring == -585.6 and cleanup.target_quarter == "2027-Q1"
        # a renewal with nothing to drop is a date on the calendar, not a project
        assert not any("Exchange Online" in title for title in plan)

    def test_idle_seats_without_a_renewal_date(self):
        findings = [make_finding("licensing.unassigned_seats", "Microsoft Teams Phone Standard", "low", cost=720,
                                 cost_kind="recurring", spare=5, product="Microsoft Teams Phone Standard")]
        item, = initiatives(client(), findings, AS_OF)
        assert item.title == "Remove unused Microsoft Teams Phone Standard seats"
        assert (item.phase, item.target_quarter, item.annual_recurring) == ("0-6 months", "2027-Q1", -720)

    def test_warranty_on_workstations_is_not_an_initiative(self):
        findings = [make_finding("lifecycle.warranty", "PC-1", "low", due=date(2026, 1, 1), device_type="desktop"),
                    make_finding("lifecycle.warranty", "FW", "high", due=date(2026, 1, 1), device_type="network")]
        item, = initiatives(client(), findings, AS_OF)
        assert item.kind == "warranty_cover" and item.subjects == ["FW"]

    def test_ranking_is_by_severity_then_quarter_then_size(self):
        findings = [make_finding("security.reboot_pending", "PC-1", "low", due=AS_OF),
                    make_finding("backup.server_unprotected", "SRV1", "high", due=AS_OF),
                    make_finding("security.mfa_not_registered", "a@acme.example", "critical", due=AS_OF),
                    make_finding("renewal.contract", "Acme - Managed Services", "medium", due=date(2026, 12, 31))]
        plan = initiatives(client(), findings, AS_OF)
        assert [(i.rank, i.kind) for i in plan] == [(1, "mfa_rollout"), (2, "backup_coverage"),
                                                    (3, "contract_renewal"), (4, "endpoint_security")]

    def test_ids_are_stable_for_client_kind_and_scope(self):
        assert initiative_id("Acme Dental", "server_migration", "Windows Server 2016") == \
            initiative_id("ACME DENTAL", "server_migration", "windows server 2016")
        assert initiative_id(CLIENT, "server_migration", "Windows Server 2016") != \
            initiative_id(CLIENT, "server_migration", "Windows Server 2012 R2")
        one_server = [make_finding("lifecycle.os_end_of_support", "FS01", "medium", due=date(2027, 1, 12),
                                   cost=12000, remedy="migrate", os="Windows Server 2016")]
        two_servers = one_server + [make_finding("lifecycle.os_end_of_support", "DC01", "critical",
                                                 due=date(2027, 1, 12), cost=12000, remedy="migrate",
                                                 os="Windows Server 2016")]
        before = initiatives(client(), one_server, AS_OF)[0]
        after = initiatives(client(), two_servers, date(2027, 2, 15))[0]  # next quarter, more servers, now past
        assert before.initiative_id == after.initiative_id
        assert before.initiative_id == initiative_id(CLIENT, "server_migration", "Windows Server 2016")
        assert (before.title, after.title) == ("Migrate off Windows Server 2016 (1 server)",
                                               "Migrate off Windows Server 2016 (2 servers)")

    def test_every_kind_has_a_budget_category(self):
        assert {k.category for k in KINDS.values()} <= {"Hardware", "Projects", "Licensing", "Contracts"}


# =============================================================== risks
class TestRisks:
    def test_likelihood_times_impact_and_bands(self):
        findings = (
            [make_finding("security.av_not_running", "PC-1", "high")]                       # 3 x 5 = 15 high
            + [make_finding("security.mfa_not_registered", "a@acme.example", "critical")]   # 4 x 5 = 20 high
            + [make_finding("lifecycle.os_end_of_support", "SRV1", "critical")]             # 4 x (4+1) = 20 high
            + [make_finding("security.patches_missing", "PC-2", "medium")]                  # 2 x 4 = 8 medium
            + [make_finding("lifecycle.hardware_age", f"PC-{i}", "medium") for i in range(5)]  # (2+1) x 2 = 6 low
            + [make_finding("lifecycle.warranty", f"PC-{i}", "medium") for i in range(4)]   # 2 x 3 = 6 low
            + [make_finding("security.reboot_pending", "PC-9", "low")]                      # 1 x 2 = 2 low
        )
        got = {r.title: (r.likelihood, r.impact, r.score, r.band) for r in risks(client(), findings, [])}
        assert got == {
            "Unprotected endpoints (1)": (3, 5, 15, "high"),
            "Accounts without MFA (1)": (4, 5, 20, "high"),
            "Systems at or near the end of security updates (1)": (4, 5, 20, "high"),
            "Missing patches (1)": (2, 4, 8, "medium"),
            "Aging hardware (5)": (3, 2, 6, "low"),
            "Devices out of warranty or about to be (4)": (2, 3, 6, "low"),
            "Updates waiting for a reboot (1)": (1, 2, 2, "low"),
        }

    def test_subjects_are_listed_case_insensitively(self):
        findings = [make_finding("security.reboot_pending", name, "low") for name in ("pc-2", "PC-1", "Pc-3")]
        risk, = risks(client(), findings, [])
        assert risk.subjects == ["PC-1", "pc-2", "Pc-3"] and risk.category == "security"

    def test_likelihood_is_capped_at_5(self):
        findings = [make_finding("security.av_not_running", f"PC-{i}", "critical") for i in range(6)]
        risk, = risks(client(), findings, [])
        assert (risk.likelihood, risk.impact, risk.score, risk.band) == (5, 5, 25, "high")

    def test_order_ids_subjects_and_mitigation(self):
        findings = [make_finding("security.reboot_pending", "PC-1", "low", due=AS_OF),
                    make_finding("security.reboot_pending", "PC-2", "low", due=AS_OF),
                    make_finding("backup.server_unprotected", "SRV1", "high", due=AS_OF)]
        plan = initiatives(client(), findings, AS_OF)
        result = risks(client(), findings, plan)
        assert [r.title for r in result] == ["Servers without a verified backup (1)", "Updates waiting for a reboot (2)"]
        assert result[0].mitigation == "Bring 1 server under verified backup"
        assert result[0].risk_id == risks(client(name="ACME DENTAL"), findings, plan)[0].risk_id
        assert result[0].risk_id.startswith("RSK-") and len(result[0].risk_id) == 10
        assert result[0].cost_of_inaction.startswith("Without a recent backup")

    def test_the_method_text_states_the_numbers_used(self):
        for text in ("likelihood (1-5) x impact (1-5)", "critical 4", "low 1", "5 or more", "15+ high", "8+ medium"):
            assert text in RISK_METHOD


# =============================================================== budget
def plan_item(kind: str, target: str, one_time: float = 0.0, annual: float = 0.0) -> Initiative:
    return Initiative(initiative_id=f"INI-{kind}", kind=kind, title=kind, findings=[], severity="high",
                      phase="0-6 months", target_quarter=target, one_time_cost=one_time, annual_recurring=annual,
                      owner="-", success_metric="-", goal=None)


class TestBudget:
    def client(self, **fields):
        fields.setdefault("fiscal_year_start", 7)
        return client(
            subscriptions=[subscription(quantity=10, price=22.0),                          # 220/month
                           subscription("Visio Plan 2", quantity=1, price=100.0, end_date=date(2027, 5, 15)),
                           subscription("Power BI Pro", quantity=4, price=50.0, start_date=date(2027, 8, 1)),
                           subscription("Old", quantity=9, price=9.0, status="Cancelled"),
                           subscription("Unpriced", quantity=5, price=None)],
            contracts=[contract(monthly_amount=1000.0, end_date=date(2027, 3, 31)),    # assumed renewed
                       contract("Security", monthly_amount=500.0, start_date=date(2027, 10, 15), end_date=None,
                                no_end=True),
                       contract("Old block hours", monthly_amount=999.0, cancelled=True)],
            **fields)

    PLAN = [plan_item("hardware_refresh", "2027-Q1", 5000),
            plan_item("endpoint_security", "2026-Q4", 800),      # this quarter: budgeted in the first forecast quarter
            plan_item("server_migration", "2027-Q4", 2000),
            plan_item("hardware_refresh", "2030-Q1", 7000),      # beyond the 12 quarters: not in the forecast
            plan_item("license_cleanup", "2027-Q1", 0, -500),
            plan_item("license_rightsize", "2027-Q1", 0, -264)]

    def test_quarters_and_fiscal_labels_for_a_july_year(self):
        result = budget(self.client(), self.PLAN, AS_OF, default_config())
        assert result.quarters == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2", "2028-Q3",
                                   "2028-Q4", "2029-Q1", "2029-Q2", "2029-Q3", "2029-Q4"]
        assert result.fiscal_labels == ["FY2027 Q3", "FY2027 Q4", "FY2028 Q1", "FY2028 Q2", "FY2028 Q3", "FY2028 Q4",
                                        "FY2029 Q1", "FY2029 Q2", "FY2029 Q3", "FY2029 Q4", "FY2030 Q1", "FY2030 Q2"]

    def test_fiscal_years_can_be_named_by_the_year_they_start_in(self):
        config = configured(**{"budget.fiscal_year_naming": "start"})
        result = budget(self.client(), self.PLAN, AS_OF, config)
        assert result.fiscal_labels[:4] == ["FY2026 Q3", "FY2026 Q4", "FY2027 Q1", "FY2027 Q2"]
        assert result.fiscal_years == {"FY2026": 13720.0, "FY2027": 23540.0, "FY2028": 23040.0, "FY2029": 11520.0}
        calendar = budget(self.client(fiscal_year_start=1), self.PLAN, AS_OF, config)
        assert calendar.fiscal_labels[0] == "FY2027 Q1"  # a calendar fiscal year has one name either way

    def test_rows_totals_and_fiscal_years_by_hand(self):
        result = budget(self.client(), self.PLAN, AS_OF, default_config())
        # Licensing: 10 x 22 x 3 = 660 every quarter; Visio 100 x 3 = 300 while it runs (Q1, Q2 2027);
        # Power BI 4 x 50 x 3 = 600 from 2027-Q3; the cancelled and the unpriced ones add nothing.
        assert result.rows["Licensing"] == [960.0, 960.0] + [1260.0] * 10
        # Contracts: 1000 x 3 = 3000 (renewal assumed), plus 500 x 3 = 1500 from the quarter it starts in.
        assert result.rows["Contracts"] == [3000.0] * 3 + [4500.0] * 9
        assert result.rows["Hardware"] == [5000.0, 0, 0, 2000.0] + [0.0] * 8
        assert result.rows["Projects"] == [800.0] + [0.0] * 11
        # Totals: Q1 5000 + 800 + 960 + 3000; Q2 960 + 3000; Q3 1260 + 3000; Q4 2000 + 1260 + 4500; then 1260 + 4500
        assert result.totals == [9760.0, 3960.0, 4260.0, 7760.0] + [5760.0] * 8
        # FY2027 (Jul 2026-Jun 2027): 9760 + 3960; FY2028: 4260 + 7760 + 5760 + 5760; FY2029: 4 x 5760; FY2030: 2 x 5760
        assert result.fiscal_years == {"FY2027": 13720.0, "FY2028": 23540.0, "FY2029": 23040.0, "FY2030": 11520.0}
        assert result.one_time_total == 7800.0  # 5000 + 800 + 2000
        assert result.recurring_total == 64020.0  # (2 x 960 + 10 x 1260) + (3 x 3000 + 9 x 4500)
        assert result.one_time_total + result.recurring_total == sum(result.totals) == 71820.0
        assert result.potential_annual_savings == 764.0  # 500 + 264

    def test_calendar_fiscal_year(self):
        result = budget(self.client(fiscal_year_start=1), self.PLAN, AS_OF, default_config())
        assert result.fiscal_labels[:5] == ["FY2027 Q1", "FY2027 Q2", "FY2027 Q3", "FY2027 Q4", "FY2028 Q1"]
        # FY2027: 9760 + 3960 + 4260 + 7760; FY2028 and FY2029: 4 x 5760
        assert result.fiscal_years == {"FY2027": 25740.0, "FY2028": 23040.0, "FY2029": 23040.0}

    @pytest.mark.parametrize("end, counted", [(date(2027, 3, 31), False), (date(2027, 4, 1), True)])
    def test_a_subscription_ending_on_a_quarters_first_day_is_paid_that_quarter(self, end, counted):
        data = client(subscriptions=[subscription(quantity=1, price=100.0, end_date=end)])
        rows = budget(data, [], AS_OF, default_config()).rows["Licensing"]
        assert rows[:2] == [300.0, 300.0 if counted else 0.0]  # 2027-Q1, 2027-Q2

    @pytest.mark.parametrize("start, counted", [(date(2027, 6, 30), True), (date(2027, 7, 1), False)])
    def test_a_subscription_or_contract_starting_on_a_quarters_last_day_is_paid_that_quarter(self, start, counted):
        data = client(subscriptions=[subscription(quantity=1, price=100.0, start_date=start)],
                      contracts=[contract(monthly_amount=1000.0, start_date=start, end_date=None, no_end=True)])
        result = budget(data, [], AS_OF, default_config())
        assert result.rows["Licensing"][1:3] == [300.0 if counted else 0.0, 300.0]  # 2027-Q2, 2027-Q3
        assert result.rows["Contracts"][1:3] == [3000.0 if counted else 0.0, 3000.0]

    def test_escalation_applies_per_forecast_year(self):
        data = client(contracts=[contract(monthly_amount=1000.0)])
        result = budget(data, [], AS_OF, configured(**{"budget.annual_escalation_percent": 10}))
        # 3000 a quarter in year 1, x 1.1 = 3300 in year 2, x 1.21 = 3630 in year 3
        assert result.rows["Contracts"] == [3000.0] * 4 + [3300.0] * 4 + [3630.0] * 4
        assert result.recurring_total == 39720.0

    def test_escalation_does_not_touch_one_time_costs(self):
        result = budget(client(), [plan_item("hardware_refresh", "2028-Q3", 1000)], AS_OF,
                        configured(**{"budget.annual_escalation_percent": 10}))
        assert result.rows["Hardware"][6] == 1000.0

    def test_number_of_quarters_is_configurable(self):
        result = budget(client(), [], AS_OF, configured(**{"budget.quarters": 8}))
        assert len(result.quarters) == len(result.totals) == 8 and result.quarters[-1] == "2028-Q4"

    def test_plan_from_the_rules_lands_in_the_target_quarter(self):
        findings = [make_finding("lifecycle.hardware_age", "PC-2", "low", due=date(2027, 8, 1), cost=1200,
                                 due_quarter="2027-Q3", plan_quarter="2027-Q3")]
        plan = initiatives(client(), findings, AS_OF)
        result = budget(client(), plan, AS_OF, default_config())
        assert result.rows["Hardware"] == [0.0, 0.0, 1200.0] + [0.0] * 9
        assert Quarter.parse(plan[0].target_quarter) == Quarter(2027, 3)
