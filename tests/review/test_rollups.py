"""The review's roll-ups with the arithmetic worked by hand: grades, themes, risks and the budget."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.review.coverage import provided
from pipeline.review.grades import CAP_CRITICAL, CAP_HIGH, GRADE_METHOD, area_grades, colour_for, score_for
from pipeline.review.model import Initiative
from pipeline.review.money import CATEGORIES, build_budget
from pipeline.review.risks import RISK_METHOD, risk_register
from pipeline.review.themes import THEMES, build_initiatives, initiative_id, planned_quarter
from pipeline.wording import Wording
from tests.findings.conftest import (AS_OF, CLIENT, asset, client, configured, contract, default_config, goal,
                                     make_finding, subscription, user)

W = Wording()
PRICE = default_config().prices.device


def grades_of(data, findings):
    return {g.area: g for g in area_grades(data, findings, provided(data), AS_OF, W)}


def plan_of(data, findings, as_of=AS_OF):
    return build_initiatives(data, findings, as_of, W, PRICE)[0]


def theme(plan, kind):
    (item,) = [i for i in plan if i.kind == kind]
    return item


# =============================================================== grades
class TestGrades:
    DEVICES = [asset(f"PC-{i}") for i in range(1, 7)] + [
        asset("SRV1", device_type="server", last_backup=None, backup_status="ok"),
        asset("SRV2", device_type="server"), asset("FW", device_type="network"),
        asset("NAS", device_type="storage")]  # 10 devices, reporting to the RMM; 4 continuity items; backups known

    def test_lifecycle_counts_each_device_once_at_its_worst_and_caps_at_79_with_a_high_open(self):
        findings = [make_finding("lifecycle.os_end_of_support", "PC-1", "high"),
                    make_finding("lifecycle.hardware_age", "PC-1", "medium"),
                    make_finding("lifecycle.warranty", "PC-2", "low")]
        grade = grades_of(client(assets=self.DEVICES), findings)["lifecycle"]
        # PC-1 worst = high 0.75, PC-2 low 0.15 -> 0.9 / 10 devices: 91.0, capped at 79 (a high is open)
        assert (grade.percent, grade.colour, grade.status) == (CAP_HIGH, "amber", "assessed")
        assert (grade.assessed, grade.affected) == (10, 2)

    def test_lifecycle_without_serious_findings_is_not_capped(self):
        findings = [make_finding("lifecycle.warranty", "PC-2", "low"),
                    make_finding("lifecycle.hardware_age", "PC-3", "medium")]
        assert grades_of(client(assets=self.DEVICES), findings)["lifecycle"].percent == 94.5  # 100 x (1 - 0.55/10)

    def test_a_critical_caps_at_64(self):
        findings = [make_finding("lifecycle.os_end_of_support", "SRV1", "critical")]
        assert grades_of(client(assets=self.DEVICES), findings)["lifecycle"].percent == CAP_CRITICAL

    def test_score_never_goes_below_zero(self):
        findings = [make_finding("lifecycle.warranty", f"X-{i}", "critical") for i in range(30)]
        grade = grades_of(client(assets=self.DEVICES), findings)["lifecycle"]
        assert (grade.percent, grade.colour) == (0.0, "red")

    def test_security_counts_reporting_devices_and_users_who_sign_in(self):
        users = [user(f"u{i}@acme.example", mfa_registered=True) for i in range(5)] + [
            user("admin@acme.onmicrosoft.com", licenses=[], is_admin=True, mfa_registered=True),
            user("guest#EXT#@acme.onmicrosoft.com", is_guest=True), user("room@acme.example", licenses=[])]
        findings = [make_finding("security.av_not_running", "PC-1", "high"),
                    make_finding("security.patch_failed", "PC-1", "medium"),
                    make_finding("security.reboot_pending", "PC-2", "low"),
                    make_finding("security.mfa_not_registered", "u1@acme.example", "high")]
        grade = grades_of(client(assets=self.DEVICES, users=users), findings)["security"]
        # 10 devices + 6 users who sign in = 16; 0.75 + 0.15 + 0.75 = 1.65 -> 89.7, capped at 79
        assert (grade.assessed, grade.affected, grade.percent, grade.status) == (16, 3, CAP_HIGH, "assessed")

    def test_security_without_mfa_data_is_partly_assessed_and_says_what_is_missing(self):
        grade = grades_of(client(assets=self.DEVICES, users=[user()]), [])["security"]
        assert grade.status == "partly" and grade.assessed == 10
        assert grade.missing == ("MFA (no registration export)",)

    def test_security_without_rmm_and_mfa_data_is_not_assessed(self):
        psa_only = [asset(f"PC-{i}", av_status=None, patch_status=None, patches_missing=None) for i in range(3)]
        grade = grades_of(client(assets=psa_only, users=[user()]), [])["security"]
        assert (grade.status, grade.percent, grade.colour) == ("not_assessed", None, "grey")

    def test_licensing_counts_every_idle_seat_ignores_renewals_and_is_capped_by_wasted_spend(self):
        users = [user(f"u{i}@acme.example") for i in range(20)]
        findings = [make_finding("licensing.unassigned_seats", "Microsoft 365 Business Premium", "medium", spare=5,
                                 cost=1320, cost_kind="recurring"),
                    make_finding("licensing.blocked_user_licensed", "u1@acme.example", "low", cost=264,
                                 cost_kind="recurring"),
                    make_finding("renewal.subscription", "Microsoft 365 Business Premium", "medium"),
                    make_finding("renewal.contract", "Managed services", "medium")]
        data = client(users=users, subscriptions=[subscription(quantity=25, price=22.0)])
        grade = grades_of(data, findings)["licensing"]
        # 25 seats; 5 idle x 0.4 + 0.15 = 2.15 -> 91.4; spend 25 x 22 x 12 = 6600, waste 1584 (24%) -> at most 76
        assert (grade.assessed, grade.percent, grade.colour) == (25, 76.0, "amber")

    def test_continuity_needs_backup_data(self):
        no_backups = [asset("SRV1", device_type="server")]
        assert grades_of(client(assets=no_backups), [])["continuity"].status == "not_assessed"
        findings = [make_finding("backup.server_unprotected", "SRV1", "high"),
                    make_finding("lifecycle.os_end_of_support", "SRV1", "medium", device_type="server"),
                    make_finding("lifecycle.warranty", "FW", "low", device_type="network"),
                    make_finding("lifecycle.warranty", "PC-1", "low", device_type="desktop")]
        grade = grades_of(client(assets=self.DEVICES), findings)["continuity"]
        # 4 items; SRV1 worst high 0.75, FW low 0.15 (the desktop does not count) -> 77.5
        assert (grade.assessed, grade.affected, grade.percent) == (4, 2, 77.5)

    def test_nothing_provided_is_not_assessed_everywhere(self):
        result = grades_of(client(), [])
        assert all((g.percent, g.colour, g.status) == (None, "grey", "not_assessed") for g in result.values())
        assert [g.label for g in result.values()] == ["Lifecycle", "Security", "Licensing", "Continuity"]

    @pytest.mark.parametrize("percent, score, colour", [
        (100, 5, "green"), (90, 5, "green"), (89.9, 4, "green"), (80, 4, "green"),
        (79.9, 3, "amber"), (65, 3, "amber"), (64.9, 2, "amber"), (50, 2, "amber"), (49.9, 1, "red"), (0, 1, "red"),
    ])
    def test_score_and_colour_thresholds(self, percent, score, colour):
        assert score_for(percent) == score and colour_for(percent) == colour

    def test_the_method_text_states_the_numbers_used(self):
        for text in ("1.0", "0.75", "0.4", "0.15", "64%", "79%", "green from 80%", "Not assessed", "renewals"):
            assert text in GRADE_METHOD


# =============================================================== themes
class TestThemes:
    def findings(self):
        return [
            make_finding("lifecycle.os_end_of_support", "PC-1", "high", due=date(2025, 10, 14), cost=1200,
                         remedy="replace", os="Windows 10 22H2", device_type="desktop"),
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

    def test_one_initiative_per_theme_and_a_device_bought_once(self):
        plan = plan_of(client(), self.findings())
        replace = theme(plan, "windows_replacement")
        refresh = theme(plan, "hardware_refresh")
        update = theme(plan, "os_update")
        assert replace.title == "Replace PC PC-1 on Windows 10 22H2" and replace.one_time_cost == 1200
        # PC-1 is replaced for its operating system: its age finding joins that initiative, not the refresh
        (item,) = replace.items
        assert len(item.finding_ids) == 2 and item.one_time == 1200
        assert refresh.title == "Replace 2 aging devices" and [i.subject for i in refresh.items] == ["PC-3", "PC-2"]
        assert refresh.schedule == (("2027-Q1", 1200.0), ("2027-Q3", 1200.0)) and refresh.phased
        # PC-3 is replaced next quarter, the quarter its update was planned in: the update joins the replacement
        assert [i.subject for i in update.items] == ["PC-4"] and update.one_time_cost == 150
        assert update.title == "Bring PC-4 to a supported Windows release" and update.target_quarter == "2027-Q4"
        assert sum(i.one_time_cost for i in plan) == 3750  # 1200 + 1200 + 1200 + 150

    def test_ids_are_stable_per_client_and_theme(self):
        assert initiative_id("Acme Dental", "hardware_refresh") == initiative_id("ACME DENTAL", "hardware_refresh")
        assert initiative_id(CLIENT, "hardware_refresh") != initiative_id(CLIENT, "os_update")
        now = [make_finding("lifecycle.hardware_age", "OLD", "medium", due=date(2024, 1, 1), cost=1000,
                            plan_quarter="2027-Q1")]
        later = now + [make_finding("lifecycle.hardware_age", "NEW", "low", due=date(2027, 6, 1), cost=1000,
                                    plan_quarter="2027-Q2")]
        (first,) = plan_of(client(), now)
        (second,) = plan_of(client(), later, date(2027, 2, 20))
        assert first.initiative_id == second.initiative_id == initiative_id(CLIENT, "hardware_refresh")

    @pytest.mark.parametrize("severity, due, quarter", [
        ("critical", date(2028, 1, 1), "2027-Q1"),   # serious: next quarter whatever the date
        ("high", None, "2027-Q1"),
        ("medium", date(2026, 1, 1), "2027-Q1"),     # overdue
        ("medium", AS_OF, "2027-Q1"),                # due today counts as overdue
        ("medium", date(2026, 12, 31), "2027-Q1"),   # due this quarter: the forecast starts next quarter
        ("low", date(2027, 5, 31), "2027-Q2"),
        ("low", date(2028, 6, 1), "2028-Q2"),
        ("medium", None, "2027-Q2"),                 # no date: two quarters out
        ("low", None, "2027-Q4"),                    # no date: four quarters out
    ])
    def test_planned_quarter(self, severity, due, quarter):
        finding = make_finding("security.reboot_pending", "PC-1", severity, due=due)
        assert planned_quarter(finding, AS_OF).label == quarter

    def test_owner_is_the_client_side_owner_of_the_goal_served_or_blank(self):
        finding = [make_finding("security.mfa_not_registered", "a@acme.example", "high", due=AS_OF)]
        (without,) = plan_of(client(vcio="Priya Raman"), finding)
        assert without.owner is None and without.goal is None
        goals = [goal("Pass the HIPAA assessment", ["security"], "High", owner="Practice manager")]
        (with_goal,) = plan_of(client(goals=goals), finding)
        assert (with_goal.goal, with_goal.owner) == ("Pass the HIPAA assessment", "Practice manager")

    def test_goal_by_tag_then_priority_then_overlap_and_an_explicit_column_wins(self):
        goals = [goal("Grow the Annex", ["growth", "continuity"], "Medium"),
                 goal("Pass the HIPAA assessment", ["compliance", "security"], "High"),
                 goal("Work from anywhere", ["remote-work"], "High")]
        findings = [make_finding("security.mfa_not_registered", "a@acme.example", "high", due=AS_OF),
                    make_finding("backup.server_unprotected", "SRV1", "high", due=AS_OF),
                    make_finding("licensing.inactive_user", "b@acme.example", "low", cost=264, cost_kind="recurring")]
        plan = {i.kind: i for i in plan_of(client(goals=goals), findings)}
        assert plan["mfa_rollout"].goal == "Pass the HIPAA assessment"
        assert plan["backup_coverage"].goal == "Pass the HIPAA assessment"
        assert plan["licence_cleanup"].goal is None
        explicit = [goal("Pass the HIPAA assessment", ["security"], "High"),
                    goal("Work from anywhere", ["productivity"], "Low", initiative=" MFA_Rollout ")]
        assert plan_of(client(goals=explicit), findings[:1])[0].goal == "Work from anywhere"

    def test_licence_savings_and_their_deadline(self):
        findings = [
            make_finding("licensing.unassigned_seats", "Microsoft 365 Business Premium", "medium",
                         due=date(2027, 2, 28), cost=1320, cost_kind="recurring", spare=5,
                         product="Microsoft 365 Business Premium", committed=True),
            make_finding("renewal.subscription", "Microsoft 365 Business Premium", "low", due=date(2027, 2, 28),
                         cost=26400, cost_kind="recurring", seats_droppable=5, product="Microsoft 365 Business Premium",
                         renews_on=date(2027, 2, 28), committed=True),
            make_finding("renewal.subscription", "Exchange Online (Plan 1)", "low", due=date(2027, 1, 31),
                         cost=2880, cost_kind="recurring", seats_droppable=0, product="Exchange Online (Plan 1)"),
            make_finding("licensing.blocked_user_licensed", "a@acme.example", "low", cost=264, cost_kind="recurring"),
            make_finding("licensing.inactive_user", "b@acme.example", "low", cost=321.6, cost_kind="recurring"),
        ]
        plan = {i.kind: i for i in plan_of(client(), findings)}
        cleanup = plan["licence_cleanup"]
        # the renewal's own value is not a saving; the idle seats and the two users' licences are
        assert cleanup.annual_recurring == -1905.6 and cleanup.annual_saving == 1905.6
        assert cleanup.deadline == date(2027, 2, 28)
        assert cleanup.title == "Reclaim unused licenses before the Feb 28, 2027 renewal"
        assert "committed seats can only be dropped at the Feb 28, 2027 renewal" in cleanup.summary
        assert "month to month" not in cleanup.summary
        assert cleanup.timing == "committed seats can only be dropped at the Feb 28, 2027 renewal"
        # the users' licences come off in the first quarter planned, not after the renewal they must beat
        assert {i.quarter for i in cleanup.items if i.subject.endswith("@acme.example")} == {"2027-Q1"}
        # a renewal with nothing to drop is a date to decide on, not a saving
        assert [i.subject for i in plan["renewals"].items] == ["Exchange Online (Plan 1)"]

    def test_a_pc_s_warranty_date_is_not_an_initiative(self):
        findings = [make_finding("lifecycle.warranty", "PC-1", "low", due=date(2026, 1, 1), device_type="desktop"),
                    make_finding("lifecycle.warranty", "FW", "high", due=date(2026, 1, 1), device_type="network")]
        (item,) = plan_of(client(), findings)
        assert item.kind == "warranty_support" and [i.subject for i in item.items] == ["FW"]

    def test_ranking_is_by_severity_then_quarter_then_cost(self):
        findings = [make_finding("security.reboot_pending", "PC-1", "low", due=AS_OF),
                    make_finding("backup.server_unprotected", "SRV1", "high", due=AS_OF),
                    make_finding("security.mfa_not_registered", "a@acme.example", "critical", due=AS_OF),
                    make_finding("renewal.contract", "Acme - Managed Services", "medium", due=date(2026, 12, 31))]
        plan = plan_of(client(), findings)
        assert [(i.rank, i.kind) for i in plan] == [(1, "mfa_rollout"), (2, "backup_coverage"), (3, "renewals"),
                                                    (4, "endpoint_security")]

    def test_every_theme_has_a_budget_category(self):
        assert {t.category for t in THEMES.values()} <= set(CATEGORIES)


# =============================================================== risks
class TestRisks:
    def test_likelihood_times_impact_and_bands(self):
        findings = (
            [make_finding("security.av_not_running", "PC-1", "high")]                       # 3 x 5 = 15 high
            + [make_finding("security.mfa_not_registered", "a@acme.example", "critical")]   # 4 x 5 = 20 high
            + [make_finding("lifecycle.os_end_of_support", "SRV1", "critical", due=date(2023, 10, 10),
                            os="Windows Server 2012 R2")]                                 # 4 x (4+1) = 20 high
            + [make_finding("security.patches_missing", "PC-2", "medium")]                  # 2 x 4 = 8 medium
            + [make_finding("lifecycle.hardware_age", f"PC-{i}", "medium") for i in range(5)]  # (2+1) x 2 = 6 low
            + [make_finding("security.reboot_pending", "PC-9", "low")]                      # 1 x 2 = 2 low
        )
        got = {r.title: (r.severity, r.likelihood, r.impact, r.score, r.band)
               for r in risk_register(CLIENT, findings, [], AS_OF, W)}
        assert got == {
            "PC-1 has no working antivirus or EDR": ("high", 3, 5, 15, "high"),
            "a@acme.example has no MFA: one phished password takes it over": ("critical", 4, 5, 20, "high"),
            "SRV1 runs Windows Server 2012 R2, without security fixes since Oct 10, 2023": ("critical", 4, 5, 20, "high"),
            "Approved patches are waiting on PC-2": ("medium", 2, 4, 8, "medium"),
            "5 devices are past their replacement age": ("medium", 3, 2, 6, "low"),
            "PC-9 needs a reboot to finish installing updates": ("low", 1, 2, 2, "low"),
        }

    def test_the_worst_first_then_the_oldest(self):
        findings = [make_finding("security.reboot_pending", "PC-1", "low", due=AS_OF),
                    make_finding("lifecycle.os_end_of_support", "SRV1", "critical", due=date(2023, 10, 10),
                                 os="Windows Server 2012 R2", remedy="migrate", device_type="server"),
                    make_finding("lifecycle.os_end_of_support", "PC-2", "high", due=date(2025, 10, 14),
                                 os="Windows 10 22H2", remedy="replace", device_type="desktop"),
                    make_finding("security.av_not_running", "PC-3", "high", due=AS_OF)]
        plan = plan_of(client(), findings)
        result = risk_register(CLIENT, findings, plan, AS_OF, W)
        assert [r.severity for r in result] == ["critical", "high", "high", "low"]
        assert result[0].title.startswith("SRV1 runs Windows Server 2012 R2")
        # among high findings, the higher band first (antivirus 15 before an unsupported PC's 12)
        assert [r.band for r in result[1:3]] == ["high", "medium"]
        assert result[2].since == date(2025, 10, 14)
        # same severity and band: the longer exposure first
        older = findings + [make_finding("security.mfa_not_registered", "a@acme.example", "high",
                                         due=date(2026, 1, 5))]
        ordered = risk_register(CLIENT, older, plan, AS_OF, W)
        assert [r.title.split()[0] for r in ordered[1:3]] == ["a@acme.example", "PC-3"]
        assert result[0].mitigations == ("Migrate SRV1 off Windows Server 2012 R2",)
        assert result[0].risk_id == risk_register("ACME DENTAL", findings, plan, AS_OF, W)[0].risk_id

    def test_subjects_are_named_up_to_three_then_counted(self):
        three = [make_finding("security.reboot_pending", name, "low") for name in ("pc-2", "PC-1", "Pc-3")]
        (risk,) = risk_register(CLIENT, three, [], AS_OF, W)
        assert risk.subjects == ("PC-1", "pc-2", "Pc-3")
        assert risk.title == "PC-1, pc-2 and Pc-3 need a reboot to finish installing updates"
        four = three + [make_finding("security.reboot_pending", "PC-4", "low")]
        assert risk_register(CLIENT, four, [], AS_OF, W)[0].title.startswith("4 devices need a reboot")

    def test_the_method_text_states_the_numbers_used(self):
        for text in ("likelihood (1-5) x impact (1-5)", "critical 4", "low 1", "5 or more", "15+ high", "8+ medium"):
            assert text in RISK_METHOD


# =============================================================== budget
def planned(kind: str, schedule: dict[str, float], annual: float = 0.0) -> Initiative:
    first = min(schedule) if schedule else "2027-Q1"
    return Initiative(initiative_id=f"INI-{kind}", kind=kind, rank=1, title=kind, summary="", severity="high",
                      phase="0-6 months", target_quarter=first, last_quarter=max(schedule) if schedule else first,
                      schedule=tuple(sorted(schedule.items())), one_time_cost=sum(schedule.values()),
                      annual_recurring=annual, budget_category=THEMES[kind].category, deadline=None, owner=None,
                      goal=None, success_metric="", items=(), finding_ids=())


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

    PLAN = [planned("hardware_refresh", {"2027-Q1": 5000}),
            planned("endpoint_security", {"2026-Q4": 800}),   # this quarter: budgeted in the first forecast quarter
            planned("server_migration", {"2027-Q4": 2000}),
            planned("os_update", {"2030-Q1": 7000}),           # beyond the 12 quarters: not in the forecast
            planned("licence_cleanup", {}, -764)]

    def test_quarters_and_fiscal_labels_for_a_july_year(self):
        result = build_budget(self.client(), self.PLAN, AS_OF, default_config())
        assert result.quarters[0] == "2027-Q1" and result.quarters[-1] == "2029-Q4" and len(result.quarters) == 12
        assert result.fiscal_labels[:3] == ("FY2027 Q3", "FY2027 Q4", "FY2028 Q1")

    def test_fiscal_years_can_be_named_by_the_year_they_start_in(self):
        result = build_budget(self.client(), self.PLAN, AS_OF, configured(**{"budget.fiscal_year_naming": "start"}))
        assert result.fiscal_labels[:3] == ("FY2026 Q3", "FY2026 Q4", "FY2027 Q1")
        assert dict(result.fiscal_years) == {"FY2026": 13720.0, "FY2027": 23540.0, "FY2028": 23040.0,
                                             "FY2029": 11520.0}

    def test_lines_totals_and_fiscal_years_by_hand(self):
        result = build_budget(self.client(), self.PLAN, AS_OF, default_config())
        lines = {line.category: line.amounts for line in result.lines}
        # Licensing: 10 x 22 x 3 = 660 every quarter; Visio 300 while it runs (Q1, Q2); Power BI 600 from Q3
        assert lines["Licensing"] == (960.0, 960.0) + (1260.0,) * 10
        assert lines["Contracts"] == (3000.0,) * 3 + (4500.0,) * 9
        assert lines["Hardware"] == (5000.0, 0, 0, 2000.0) + (0.0,) * 8
        assert lines["Projects"] == (800.0,) + (0.0,) * 11
        assert result.totals == (9760.0, 3960.0, 4260.0, 7760.0) + (5760.0,) * 8
        assert dict(result.fiscal_years) == {"FY2027": 13720.0, "FY2028": 23540.0, "FY2029": 23040.0,
                                             "FY2030": 11520.0}
        assert result.one_time_total == 7800.0 and result.recurring_total == 64020.0
        assert result.next_90_days_one_time == 5800.0 and result.next_four_total == 25740.0
        assert result.annual_savings == 764.0

    @pytest.mark.parametrize("end, counted", [(date(2027, 3, 31), False), (date(2027, 4, 1), True)])
    def test_a_subscription_ending_on_a_quarters_first_day_is_paid_that_quarter(self, end, counted):
        data = client(subscriptions=[subscription(quantity=1, price=100.0, end_date=end)])
        lines = {line.category: line.amounts for line in build_budget(data, [], AS_OF, default_config()).lines}
        assert lines["Licensing"][:2] == (300.0, 300.0 if counted else 0.0)

    @pytest.mark.parametrize("start, counted", [(date(2027, 6, 30), True), (date(2027, 7, 1), False)])
    def test_a_subscription_or_contract_starting_on_a_quarters_last_day_is_paid_that_quarter(self, start, counted):
        data = client(subscriptions=[subscription(quantity=1, price=100.0, start_date=start)],
                      contracts=[contract(monthly_amount=1000.0, start_date=start, end_date=None, no_end=True)])
        lines = {line.category: line.amounts for line in build_budget(data, [], AS_OF, default_config()).lines}
        assert lines["Licensing"][1:3] == (300.0 if counted else 0.0, 300.0)
        assert lines["Contracts"][1:3] == (3000.0 if counted else 0.0, 3000.0)

    def test_escalation_applies_per_forecast_year_and_not_to_one_time_costs(self):
        data = client(contracts=[contract(monthly_amount=1000.0)])
        settings = configured(**{"budget.annual_escalation_percent": 10})
        result = build_budget(data, [planned("hardware_refresh", {"2028-Q3": 1000})], AS_OF, settings)
        lines = {line.category: line.amounts for line in result.lines}
        assert lines["Contracts"] == (3000.0,) * 4 + (3300.0,) * 4 + (3630.0,) * 4
        assert lines["Hardware"][6] == 1000.0

    def test_number_of_quarters_is_configurable(self):
        result = build_budget(client(), [], AS_OF, configured(**{"budget.quarters": 8}))
        assert len(result.quarters) == len(result.totals) == 8 and result.quarters[-1] == "2028-Q4"


@pytest.mark.parametrize("rules, title", [
    (("security.av_not_running", "security.patches_missing"), "Restore endpoint protection and patching on 2 devices"),
    (("security.patches_missing", "security.reboot_pending"), "Bring patching up to date on 2 devices"),
    (("security.agent_offline", "security.agent_offline"), "Get 2 devices reporting to the RMM again"),
])
def test_the_endpoint_initiative_names_what_is_actually_wrong(rules, title):
    findings = [make_finding(rule, f"PC-{n}", "medium") for n, rule in enumerate(rules)]
    assert theme(plan_of(client(), findings), "endpoint_security").title == title


def test_a_deadline_inside_the_quarter_is_the_date_to_meet():
    from tests.review.conftest import sample_reviews

    migration = next(i for i in sample_reviews()["Harbor Point Dental"].initiatives if i.kind == "server_migration")
    assert migration.deadline == date(2027, 1, 12)  # Windows Server 2016's end of support
    assert migration.success_metric.endswith("by Jan 12, 2027")


def test_a_replacement_age_taken_on_by_an_os_replacement_is_not_its_deadline():
    from tests.review.conftest import sample_reviews

    windows = next(i for i in sample_reviews()["Harbor Point Dental"].initiatives
                   if i.kind == "windows_replacement")
    assert windows.deadline is None  # Windows 10 is past support; Jun 20, 2027 was a PC's replacement age
    assert windows.success_metric.endswith("by the end of 2027-Q1")


def test_a_licence_clean_up_is_weighed_against_a_growth_goal():
    from tests.review.conftest import sample_reviews

    cleanup = {n: i for n, r in sample_reviews().items() for i in r.initiatives if i.kind == "licence_cleanup"}
    assert cleanup["Northwind Logistics"].summary.endswith(
        "Weigh it against the growth goal \u201cOpen the Reno warehouse (Warehouse 3) with 60 new staff\u201d by "
        "Jul 31, 2027: keep the seats new staff will need.")
    assert "growth goal" not in cleanup["Granite Ridge Manufacturing"].summary  # no growth goal on record
