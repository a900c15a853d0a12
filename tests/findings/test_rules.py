"""Rule tests at the boundaries: the day before, of and after every date a rule turns on.

Dates the catalog owns (end of support) are read back from the built-in catalog, so these tests
check the rules, not the catalog's data (tests/findings/test_lifecycle.py does that).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from pipeline.findings.finding import CATEGORIES, RULE_CATEGORIES, SEVERITIES
from pipeline.findings.rules.lifecycle import replacement_due
from pipeline.quarters import add_months, add_years
from tests.findings.conftest import (AS_OF, SERVER_2012R2, SERVER_2016, SERVER_2022, UBUNTU_2004, WIN10,
                                     WIN11_24H2_PRO, WIN11_25H2_PRO, WIN11_NO_EDITION, asset, client, configured,
                                     contract, default_config, eol_of, exclusion, found, one, run, subscription, user)

DAY = timedelta(days=1)
PRICES = configured(**{"prices.desktop": 1000, "prices.laptop": 1500, "prices.server": 10000, "prices.network": 2000,
                       "prices.storage": 3000, "prices.feature_update": 100})


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


# =============================================================== operating-system end of support
class TestEndOfSupport:
    RULE = "lifecycle.os_end_of_support"

    @pytest.mark.parametrize("offset, severity, verb", [
        (-1, "medium", "reaches"),    # the day before: still supported, inside 6 months
        (0, "medium", "reaches"),     # the end date itself is the last day of support (its last patch day)
        (1, "high", "reached"),       # the day after: past
    ])
    def test_workstation_around_the_end_date(self, offset, severity, verb):
        eol = eol_of(WIN10)
        finding = one(client(assets=[asset(os=WIN10)]), self.RULE, as_of=eol + offset * DAY)
        assert finding.severity == severity
        assert f"Windows 10 22H2 {verb} end of support on" in finding.title
        assert finding.due_date == eol

    @pytest.mark.parametrize("shift_days, severity", [(-1, "low"), (0, "medium"), (1, "medium")])
    def test_six_month_boundary(self, shift_days, severity):
        eol = eol_of(WIN10)
        as_of = add_months(eol, -6) + shift_days * DAY  # end of support exactly 6 months after as_of on shift 0
        assert one(client(assets=[asset(os=WIN10)]), self.RULE, as_of=as_of).severity == severity

    @pytest.mark.parametrize("shift_days, severity", [(-1, None), (0, "low"), (1, "low")])
    def test_twelve_month_boundary(self, shift_days, severity):
        eol = eol_of(WIN10)
        finding = one(client(assets=[asset(os=WIN10)]), self.RULE, as_of=add_months(eol, -12) + shift_days * DAY)
        assert (finding.severity if finding else None) == severity

    def test_supported_for_years_is_not_a_finding(self):
        assert one(client(assets=[asset("SRV", device_type="server", os=SERVER_2022)]), self.RULE) is None

    @pytest.mark.parametrize("offset, severity", [(-1, "medium"), (0, "medium"), (1, "critical")])
    def test_server_past_its_date_is_critical(self, offset, severity):
        eol = eol_of(SERVER_2016)
        finding = one(client(assets=[asset("FS01", device_type="server", os=SERVER_2016)]), self.RULE,
                      as_of=eol + offset * DAY)
        assert finding.severity == severity
        assert finding.facts["remedy"] == "migrate"

    def test_server_os_on_a_device_the_psa_calls_something_else_is_still_critical(self):
        finding = one(client(assets=[asset("VM-ERP", device_type="virtual", os=SERVER_2012R2)]), self.RULE)
        assert finding.severity == "critical"

    def test_server_recommendation_mentions_extended_updates_only_while_they_run(self, catalog):
        from pipeline.catalog.os_identity import identify_os
        status = catalog.status(identify_os(SERVER_2012R2))
        data = client(assets=[asset("ERP01", device_type="server", os=SERVER_2012R2)])
        during = one(data, self.RULE, as_of=status.extended_end - DAY)
        after = one(data, self.RULE, as_of=status.extended_end + DAY)
        assert "Extended security updates run to" in during.recommendation
        assert "Extended security updates" not in after.recommendation
        assert after.severity == "critical" and "Migrate the workloads on ERP01" in after.recommendation

    @pytest.mark.parametrize("offset, mentioned", [(-1, True), (0, True), (1, False)])
    def test_extended_updates_are_mentioned_through_their_last_day(self, catalog, offset, mentioned):
        """Like support itself, extended updates run through their end date (their last patch day)."""
        from pipeline.catalog.os_identity import identify_os
        extended_end = catalog.status(identify_os(SERVER_2012R2)).extended_end
        data = client(assets=[asset("ERP01", device_type="server", os=SERVER_2012R2)])
        finding = one(data, self.RULE, as_of=extended_end + offset * DAY)
        assert ("Extended security updates run to" in finding.recommendation) == mentioned

    @pytest.mark.parametrize("shift_days, remedy", [(-1, "Replace"), (0, "Replace"), (1, "Upgrade")])
    def test_windows_10_pc_one_year_short_of_its_maximum_age_is_replaced(self, shift_days, remedy):
        """A desktop (maximum age 5 years) in service for 4 years or more is replaced, not upgraded."""
        since = add_years(AS_OF, -4) + shift_days * DAY
        finding = one(client(assets=[asset(os=WIN10, purchase_date=since)]), self.RULE, config=PRICES)
        assert finding.recommendation.startswith(f"{remedy} PC-01")
        assert finding.estimated_cost == (1000 if remedy == "Replace" else 100)

    def test_linux_server_is_migrated_like_a_windows_server(self):
        finding = one(client(assets=[asset("WEB01", device_type="server", os=UBUNTU_2004)]), self.RULE)
        assert finding.severity == "critical"
        assert finding.facts["remedy"] == "migrate"  # the roll-up puts it in a server migration, not a PC refresh
        assert finding.recommendation.startswith("Migrate the workloads on WEB01")

    def test_non_windows_workstation_names_the_product(self):
        finding = one(client(assets=[asset("DEV-PC", os=UBUNTU_2004)]), self.RULE, config=PRICES)
        assert finding.severity == "high"
        assert "supported Canonical Ubuntu release" in finding.recommendation
        assert finding.estimated_cost == 1000

    def test_windows_11_release_past_its_date_needs_only_the_feature_update(self):
        eol = eol_of(WIN11_24H2_PRO)
        finding = one(client(assets=[asset("LT-01", device_type="laptop", os=WIN11_24H2_PRO)]), self.RULE,
                      as_of=eol + DAY, config=PRICES)
        assert finding.severity == "high"
        assert finding.facts["remedy"] == "feature_update"
        assert "Apply the Windows 11 25H2 (Home/Pro) feature update to LT-01" in finding.recommendation
        assert "Replace" not in finding.recommendation
        assert (finding.estimated_cost, finding.cost_kind) == (100, "one_time")

    def test_unknown_edition_uses_the_home_pro_date_and_says_so(self):
        finding = one(client(assets=[asset(os=WIN11_NO_EDITION)]), self.RULE, as_of=eol_of(WIN11_24H2_PRO) - DAY)
        assert finding.due_date == eol_of(WIN11_24H2_PRO)
        assert "edition unknown: Home/Pro date assumed" in finding.recommendation
        assert finding.facts["note"] == "edition unknown: Home/Pro date assumed"

    def test_known_edition_has_no_note(self):
        finding = one(client(assets=[asset(os=WIN11_24H2_PRO)]), self.RULE, as_of=eol_of(WIN11_24H2_PRO) - DAY)
        assert "edition unknown" not in finding.recommendation and finding.facts["note"] is None

    def test_old_windows_10_pc_is_replaced(self):
        pc = asset(os=WIN10, purchase_date=date(2019, 3, 1))
        finding = one(client(assets=[pc]), self.RULE, config=PRICES)
        assert "Replace PC-01 with a Windows 11 device (it is near or past its replacement age)" in finding.recommendation
        assert finding.estimated_cost == 1000

    def test_young_windows_10_pc_is_upgraded(self):
        pc = asset(os=WIN10, purchase_date=AS_OF - timedelta(days=400))
        finding = one(client(assets=[pc]), self.RULE, config=PRICES)
        assert finding.recommendation.startswith("Upgrade PC-01 to Windows 11")
        assert finding.estimated_cost == 100

    def test_windows_10_pc_of_unknown_age_says_the_age_is_unknown(self):
        pc = asset(os=WIN10, purchase_date=None)
        finding = one(client(assets=[pc]), self.RULE, config=PRICES)
        assert "(its age is unknown, so its hardware may not meet Windows 11's requirements)" in finding.recommendation
        assert "near or past" not in finding.recommendation
        assert finding.estimated_cost == 1000

    def test_retired_device_is_a_disposal_to_confirm_not_a_replacement(self):
        old = asset("DR-OLD-LT", device_type="laptop", os=WIN10, status="Inactive", purchase_date=date(2018, 1, 1),
                    warranty_end=date(2021, 1, 1))
        data = client(assets=[old])
        assert one(data, self.RULE) is None
        disposal = one(data, "lifecycle.confirm_disposal")
        assert disposal.title == "DR-OLD-LT is marked Inactive in the asset register: confirm its disposal"
        assert disposal.severity == "medium"  # an unsupported OS on a disk that may still hold data
        assert disposal.estimated_cost is None and disposal.finding_id.startswith("DSP-")
        assert found(data, "lifecycle.hardware_age") == [] and found(data, "lifecycle.warranty") == []

    def test_device_no_tool_has_seen_for_longer_than_the_setting_is_presumed_retired(self):
        gone = asset("PC-GONE", os=WIN10, last_seen=at(AS_OF - 120 * DAY),
                     provenance={"last_seen": {"observed": AS_OF}})
        data = client(assets=[gone])
        disposal = one(data, "lifecycle.confirm_disposal")
        assert disposal.title.startswith("Desktop PC-GONE has not been seen by any tool since Jul 23, 2026 (120 days")
        assert one(data, self.RULE) is None and one(data, "security.agent_offline") is None

    def test_newest_windows_11_release_is_supported_and_gets_no_feature_update(self):
        data = client(assets=[asset("LT-25", device_type="laptop", os=WIN11_25H2_PRO)])
        assert one(data, self.RULE, as_of=eol_of(WIN11_25H2_PRO) - 30 * DAY) is None

    @pytest.mark.parametrize("unseen, retired", [(89, False), (90, False), (91, True)])
    def test_presumed_retired_only_after_more_than_90_days_unseen(self, unseen, retired):
        gone = asset("PC-GONE", last_seen=at(AS_OF - unseen * DAY), provenance={"last_seen": {"observed": AS_OF}})
        data = client(assets=[gone])
        assert (one(data, "lifecycle.confirm_disposal") is not None) == retired
        assert (one(data, "security.agent_offline") is not None) == (not retired)

    @pytest.mark.parametrize("unseen, still_seen", [(29, True), (30, True), (31, False)])
    def test_a_retired_device_the_rmm_saw_within_30_days_may_still_be_in_use(self, unseen, still_seen):
        old = asset("DR-OLD", status="Inactive", last_seen=at(AS_OF - unseen * DAY),
                    provenance={"last_seen": {"observed": AS_OF}})
        disposal = one(client(assets=[old]), "lifecycle.confirm_disposal")
        assert ("The RMM still saw it on" in disposal.recommendation) == still_seen

    @pytest.mark.parametrize("offset, severity", [(-1, "low"), (0, "low"), (1, "medium")])
    def test_a_retired_desktop_holds_data_worth_a_medium_once_its_os_is_past_support(self, offset, severity):
        old = asset("DR-OLD", os=WIN10, status="Inactive", last_seen=None)
        disposal = one(client(assets=[old]), "lifecycle.confirm_disposal", as_of=eol_of(WIN10) + offset * DAY)
        assert disposal.severity == severity and disposal.facts["unsupported_os"] is (severity == "medium")

    @pytest.mark.parametrize("bought, remedy", [
        (date(2018, 6, 30), "Replace PC-01 with a Windows 11 device (its hardware predates Windows 11's requirements)."),
        (date(2018, 7, 1), "Upgrade PC-01 to Windows 11 (the device is young enough to keep).")])
    def test_hardware_from_july_2018_can_run_windows_11(self, bought, remedy):
        """With desktops kept 10 years, a 2018 PC is young enough: only its processor's age decides."""
        kept_long = configured(**{"hardware.max_age_years.desktop": 10})
        finding = one(client(assets=[asset(os=WIN10, purchase_date=bought)]), self.RULE, config=kept_long)
        assert finding.recommendation.startswith(remedy)

    @pytest.mark.parametrize("offset, bridge", [(-1, True), (0, True), (1, False)])
    def test_windows_10_esu_is_offered_as_the_bridge_through_its_last_day(self, catalog, offset, bridge):
        from pipeline.catalog.os_identity import identify_os
        extended_end = catalog.status(identify_os(WIN10)).extended_end
        pc = asset(os=WIN10, purchase_date=date(2017, 5, 1), last_seen=None)
        finding = one(client(assets=[pc]), self.RULE, as_of=extended_end + offset * DAY, config=PRICES)
        assert ("Extended Security Updates keep it patched" in finding.recommendation) == bridge

    def test_windows_10_hardware_too_old_for_11_is_replaced_with_esu_as_the_bridge(self):
        pc = asset(os=WIN10, purchase_date=date(2017, 5, 1))
        finding = one(client(assets=[pc]), self.RULE, config=PRICES)
        assert "Replace PC-01 with a Windows 11 device (its hardware predates Windows 11's requirements)" in \
            finding.recommendation
        assert "Extended Security Updates keep it patched (about $61 per device for the first year" in finding.recommendation
        assert "to Oct 10, 2028 at most" in finding.recommendation and "upgrade it" not in finding.recommendation

    def test_ltsc_2021_moves_to_ltsc_2024_and_iot_ltsc_2021_is_left_alone(self):
        kiosk = asset("KIOSK-1", os="Microsoft Windows 10 Enterprise LTSC 2021", os_build="10.0.19044")
        finding = one(client(assets=[kiosk]), self.RULE)
        assert finding.facts["remedy"] == "ltsc_upgrade"
        assert finding.recommendation.startswith("Move KIOSK-1 to Windows 11 Enterprise LTSC 2024")
        iot = asset("KIOSK-2", os="Microsoft Windows 10 IoT Enterprise LTSC 2021", os_build="10.0.19044")
        assert one(client(assets=[iot]), self.RULE) is None  # supported to 2032

    def test_line_of_business_device_is_isolated_not_upgraded(self):
        imaging = asset("IMAGING-01", os="Microsoft Windows 7 Professional", role="imaging")
        finding = one(client(assets=[imaging]), self.RULE)
        assert finding.facts["remedy"] == "isolate" and finding.estimated_cost is None
        assert finding.recommendation.startswith("Isolate IMAGING-01 on its own network segment")
        assert "Windows 11 requirements" not in finding.recommendation
        by_name = configured(**{"hardware.line_of_business_pattern": "(?i)xray"})
        xray = asset("XRAY-PC", os="Microsoft Windows 7 Professional")
        assert one(client(assets=[xray]), self.RULE, config=by_name).facts["remedy"] == "isolate"

    def test_os_the_catalog_does_not_know_is_a_data_gap_not_a_finding(self):
        data = client(assets=[asset(os="BeOS R5")])
        result = run(data)
        assert result.findings == []
        assert result.data_gaps["devices whose operating system the lifecycle catalog does not know"] == 1

    def test_device_without_os_is_skipped(self):
        assert found(client(assets=[asset(os=None)]), self.RULE) == []


# =============================================================== hardware age
class TestHardwareAge:
    RULE = "lifecycle.hardware_age"

    def test_in_service_since_is_the_first_known_of_purchase_install_warranty_start_enrolment(self):
        dates = dict(purchase_date=date(2020, 1, 1), install_date=date(2020, 2, 1), warranty_start=date(2020, 3, 1),
                     enrolled_date=date(2020, 4, 1))
        assert asset(**dates).in_service_since == date(2020, 1, 1)
        assert asset(**{**dates, "purchase_date": None}).in_service_since == date(2020, 3, 1)  # warranty start
        assert asset(**{**dates, "purchase_date": None, "warranty_start": None}).in_service_since == date(2020, 2, 1)
        assert asset(purchase_date=None, enrolled_date=date(2020, 4, 1)).in_service_since == date(2020, 4, 1)
        assert asset(purchase_date=None).in_service_since is None

    def test_install_date_is_used_when_there_is_no_purchase_date(self):
        pc = asset(purchase_date=None, install_date=date(2021, 12, 1))
        finding = one(client(assets=[pc]), self.RULE)
        assert finding.due_date == date(2026, 12, 1)  # install + 5 years
        assert finding.facts["in_service_since"] == date(2021, 12, 1)

    @pytest.mark.parametrize("device_type, years", [("desktop", 5), ("laptop", 4), ("server", 6), ("network", 7)])
    def test_maximum_age_per_type(self, device_type, years, config):
        since = date(2021, 6, 15)
        device = asset("DEV", device_type=device_type, purchase_date=since, warranty_end=None)
        assert replacement_due(device, config) == add_years(since, years)
        as_of = add_years(since, years) - DAY
        finding = one(client(assets=[device]), self.RULE, as_of=as_of)
        assert finding.due_date == add_years(since, years)

    @pytest.mark.parametrize("device_type", ["virtual", "mobile", "printer", "other"])
    def test_types_without_a_maximum_age_are_not_aged(self, device_type):
        device = asset("DEV", device_type=device_type, purchase_date=date(2010, 1, 1), warranty_end=None)
        assert found(client(assets=[device]), self.RULE) == []

    @pytest.mark.parametrize("offset, severity, phrase", [
        (-1, "low", "is due for replacement in 2027-Q2"),
        (0, "low", "is due for replacement in 2027-Q2"),
        (1, "medium", "is past its replacement date"),
    ])
    def test_workstation_around_its_due_date(self, offset, severity, phrase):
        due = date(2027, 6, 15)
        pc = asset(purchase_date=date(2022, 6, 15))  # desktop: 5 years
        finding = one(client(assets=[pc]), self.RULE, as_of=due + offset * DAY)
        assert finding.severity == severity and phrase in finding.title
        assert finding.due_date == due

    @pytest.mark.parametrize("offset, severity", [(-1, "low"), (0, "low"), (1, "high")])
    def test_server_past_due_is_high(self, offset, severity):
        server = asset("SRV", device_type="server", purchase_date=date(2021, 6, 15), warranty_end=None)
        due = date(2027, 6, 15)
        assert one(client(assets=[server]), self.RULE, as_of=due + offset * DAY).severity == severity

    @pytest.mark.parametrize("shift_days, this_year", [(-1, False), (0, True), (1, True)])
    def test_twelve_months_split_this_years_replacements_from_the_forecast(self, shift_days, this_year):
        pc = asset(purchase_date=date(2022, 6, 15))  # due 2027-06-15
        as_of = date(2026, 6, 15) + shift_days * DAY
        finding = one(client(assets=[pc]), self.RULE, as_of=as_of)
        assert finding.facts["beyond_year"] is not this_year
        # a replacement years ahead settles nothing done now (a warranty, an update)
        assert finding.facts["replaces_device"] is this_year

    def test_the_forecast_runs_to_the_end_of_the_budget_and_no_further(self):
        # the budget forecasts 12 quarters from 2027-Q1: through 2029-Q4
        inside = asset("IN", purchase_date=date(2024, 12, 31))  # due 2029-12-31
        outside = asset("OUT", purchase_date=date(2025, 1, 1))  # due 2030-01-01
        assert [f.subject for f in found(client(assets=[inside, outside]), self.RULE)] == ["IN"]

    def test_server_is_due_at_warranty_end_when_that_comes_first_if_configured(self):
        config = configured(**{"hardware.replace_servers_at_warranty_end": True})
        server = asset("SRV", device_type="server", purchase_date=date(2023, 1, 10), warranty_end=date(2027, 3, 1))
        finding = one(client(assets=[server]), self.RULE, config=config)
        assert finding.due_date == date(2027, 3, 1)  # not 2029-01-10 (6 years)
        assert "when its warranty ends on Mar 1, 2027" in finding.title
        assert finding.facts["due_reason"] == "warranty_end"

    def test_network_device_is_due_at_the_earlier_of_age_and_warranty(self, config):
        switch = asset("SW", device_type="network", purchase_date=date(2019, 12, 1), warranty_end=date(2030, 1, 1))
        assert replacement_due(switch, config) == date(2026, 12, 1)  # age (7 years) comes first
        finding = one(client(assets=[switch]), self.RULE)
        assert finding.due_date == date(2026, 12, 1) and "warranty" not in finding.title

    def test_workstation_is_not_due_at_warranty_end(self, config):
        pc = asset(purchase_date=date(2024, 1, 1), warranty_end=date(2026, 1, 1))
        assert replacement_due(pc, config) == date(2029, 1, 1)
        (finding,) = found(client(assets=[pc]), self.RULE)
        assert finding.due_date == date(2029, 1, 1) and finding.facts["beyond_year"]  # at its age, not its warranty

    def test_server_past_warranty_says_why_it_is_past_due(self):
        server = asset("FS01", device_type="server", purchase_date=date(2022, 1, 1), warranty_end=date(2025, 1, 1))
        finding = one(client(assets=[server]), self.RULE,
                      config=configured(**{"hardware.replace_servers_at_warranty_end": True}))
        assert finding.severity == "high"
        assert finding.title == "Server FS01 is past its replacement date: its warranty ended on Jan 1, 2025 (4.9 years old)"

    def test_by_default_a_lapsed_warranty_before_max_age_is_no_replacement(self):
        config = default_config()
        server = asset("SRV", device_type="server", purchase_date=date(2023, 1, 10), warranty_end=date(2027, 3, 1))
        assert replacement_due(server, config) == date(2029, 1, 10)
        (finding,) = found(client(assets=[server]), self.RULE, config=config)
        assert finding.due_date == date(2029, 1, 10) and finding.facts["beyond_year"]  # the forecast, not now

    def test_due_quarter_and_the_quarter_it_is_budgeted_in(self):
        soon = asset("SOON", purchase_date=date(2021, 12, 5))  # due 2026-12-05, this quarter
        later = asset("LATER", purchase_date=date(2022, 8, 1))  # due 2027-08-01
        overdue = asset("OLD", purchase_date=date(2019, 1, 1))  # due 2024-01-01
        findings = {f.subject: f for f in found(client(assets=[soon, later, overdue]), self.RULE)}
        assert findings["SOON"].facts["due_quarter"] == "2026-Q4"
        assert findings["SOON"].facts["plan_quarter"] == "2027-Q1"  # the forecast starts next quarter
        assert "2026-Q4" in findings["SOON"].title and "Budget a replacement desktop in 2027-Q1" in findings["SOON"].recommendation
        assert (findings["LATER"].facts["due_quarter"], findings["LATER"].facts["plan_quarter"]) == ("2027-Q3", "2027-Q3")
        assert (findings["OLD"].facts["due_quarter"], findings["OLD"].facts["plan_quarter"]) == ("2026-Q4", "2027-Q1")
        assert findings["OLD"].recommendation == "Replace the desktop as soon as possible; budgeted in 2027-Q1."

    @pytest.mark.parametrize("device_type, price", [("desktop", 1000), ("laptop", 1500), ("server", 10000),
                                                     ("network", 2000), ("storage", 3000)])
    def test_cost_is_the_configured_replacement_price(self, device_type, price):
        device = asset("DEV", device_type=device_type, purchase_date=date(2015, 1, 1), warranty_end=None)
        finding = one(client(assets=[device]), self.RULE, config=PRICES)
        assert (finding.estimated_cost, finding.cost_kind) == (price, "one_time")

    def test_per_client_override_of_the_maximum_age(self):
        config = configured(clients={"Acme Dental": {"hardware": {"max_age_years": {"desktop": 8}}}})
        pc = asset(purchase_date=date(2020, 1, 1))  # 6.9 years old: past 5, not past 8
        (forecast,) = found(client(assets=[pc]), self.RULE, config=config)
        assert forecast.due_date == date(2028, 1, 1) and forecast.severity == "low"
        assert one(client(assets=[pc]), self.RULE).severity == "medium"

    def test_no_date_means_no_finding(self):
        assert found(client(assets=[asset(purchase_date=None)]), self.RULE) == []


# =============================================================== warranty
class TestWarranty:
    RULE = "lifecycle.warranty"

    @pytest.mark.parametrize("device_type, expired, expiring", [
        ("server", "high", "medium"), ("network", "high", "medium"), ("storage", "high", "medium"),
        ("desktop", "low", "low"), ("laptop", "low", "low"),
    ])
    def test_severity_by_type(self, device_type, expired, expiring):
        device = lambda end: client(assets=[asset("DEV", device_type=device_type, warranty_end=end)])  # noqa: E731
        assert one(device(AS_OF - DAY), self.RULE).severity == expired
        assert one(device(AS_OF + 30 * DAY), self.RULE).severity == expiring

    @pytest.mark.parametrize("offset, state", [(-1, "expired"), (0, "expires"), (1, "expires"), (90, "expires"),
                                               (91, None)])
    def test_around_the_end_date_and_the_90_day_window(self, offset, state):
        end = AS_OF + offset * DAY
        finding = one(client(assets=[asset("SRV", device_type="server", warranty_end=end)]), self.RULE)
        if state is None:
            assert finding is None
        else:
            assert f"Warranty on server SRV {state} on" in finding.title
            assert finding.due_date == end and finding.estimated_cost == 900  # one year of extension (estimate)
            assert finding.recommendation.startswith("Extend the manufacturer's warranty on SRV for a year")

    def test_unknown_warranty_is_a_data_gap_not_a_finding(self):
        data = client(assets=[asset(warranty_end=None), asset("VM", device_type="virtual", warranty_end=None)])
        result = run(data)
        assert [f for f in result.findings if f.category == "warranty"] == []
        assert result.data_gaps["devices without a known warranty end"] == 1  # virtual machines have none

    @pytest.mark.parametrize("status", ["Inactive", "retired", "Disposed"])
    def test_retired_devices_are_skipped(self, status):
        assert found(client(assets=[asset(warranty_end=AS_OF - DAY, status=status)]), self.RULE) == []

    def test_network_recommendation_does_not_call_it_a_server(self):
        finding = one(client(assets=[asset("FW", device_type="network", warranty_end=AS_OF - DAY)]), self.RULE)
        assert "a network device failing out of warranty" in finding.recommendation and "server" not in finding.recommendation


# =============================================================== renewals
class TestRenewals:
    @pytest.mark.parametrize("offset, severity", [(-1, None), (0, "medium"), (90, "medium"), (91, "low"),
                                                  (365, "low"), (366, None)])
    def test_subscription_horizon_and_soon_window(self, offset, severity):
        sub = subscription(billing_term="annual", commitment_end=AS_OF + offset * DAY)
        finding = one(client(subscriptions=[sub]), "renewal.subscription")
        assert (finding.severity if finding else None) == severity

    @pytest.mark.parametrize("offset, severity", [(-1, None), (0, "medium"), (90, "medium"), (91, "low"),
                                                  (365, "low"), (366, None)])
    def test_contract_horizon_and_soon_window(self, offset, severity):
        finding = one(client(contracts=[contract(end_date=AS_OF + offset * DAY)]), "renewal.contract")
        assert (finding.severity if finding else None) == severity

    def test_annual_commitment_says_right_size_with_the_droppable_seats(self):
        users = [user(f"u{i}@acme.example") for i in range(7)]
        sub = subscription(quantity=10, billing_term="annual", commitment_end=date(2027, 2, 28), price=22.0)
        finding = one(client(subscriptions=[sub], users=users), "renewal.subscription")
        assert finding.title == "Microsoft 365 Business Premium: 10 seats, annual commitment ends Feb 28, 2027"
        assert finding.recommendation.startswith(
            "Right-size before Feb 28, 2027: 7 of 10 seats are assigned; 3 seats can be dropped at renewal for certain.")
        assert finding.facts["seats_droppable"] == 3 and finding.facts["committed"] is True
        assert (finding.estimated_cost, finding.cost_kind) == (2640.0, "recurring")  # 22 x 10 x 12
        assert finding.monthly_cost == 220.0

    def test_one_droppable_seat_is_singular(self):
        users = [user(f"u{i}@acme.example") for i in range(9)]
        sub = subscription(quantity=10, billing_term="3-year", commitment_end=date(2027, 2, 28))
        finding = one(client(subscriptions=[sub], users=users), "renewal.subscription")
        assert "; 1 seat can be dropped at renewal for certain" in finding.recommendation
        assert "3-year commitment ends" in finding.title

    def test_right_size_counts_the_seats_blocked_and_inactive_users_free(self):
        """Cedar & Finch: 48 of 75 assigned, 6 of them blocked, 5 inactive: 33 for certain, up to 38."""
        active = [user(f"u{i}@acme.example") for i in range(37)]
        blocked = [user(f"b{i}@acme.example", blocked=True) for i in range(6)]
        idle = [user(f"i{i}@acme.example", last_activity=AS_OF - 200 * DAY) for i in range(5)]
        sub = subscription(quantity=75, billing_term="annual", commitment_end=date(2027, 5, 31))
        data = client(subscriptions=[sub], users=active + blocked + idle)
        finding = one(data, "renewal.subscription")
        assert ("48 of 75 seats are assigned; 33 seats can be dropped at renewal for certain (27 unassigned, 6 on "
                "blocked accounts), up to 38 if the 5 inactive users' licences are removed too") in finding.recommendation
        assert (finding.facts["seats_droppable"], finding.facts["seats_possible"]) == (33, 38)
        cleanup = [f for f in found(data, "licensing.blocked_user_licensed")]
        assert len(cleanup) == 6
        assert "then drop the seat at the May 31, 2027 commitment end" in cleanup[0].recommendation
        assert "then reduce the subscription" not in cleanup[0].recommendation

    def test_fully_used_commitment_still_gets_a_review_date(self):
        users = [user(f"u{i}@acme.example") for i in range(10)]
        sub = subscription(quantity=10, billing_term="annual", commitment_end=date(2027, 2, 28))
        finding = one(client(subscriptions=[sub], users=users), "renewal.subscription")
        assert finding.recommendation.startswith("Review the seat count before Feb 28, 2027")
        assert finding.facts["seats_droppable"] == 0

    def test_annual_commitment_billed_monthly_is_a_commitment(self):
        """Pax8: billingTerm Monthly, commitmentTerm 1-Year with an end date (Cedar & Finch's subscription)."""
        users = [user(f"u{i}@acme.example") for i in range(48)]
        sub = subscription(quantity=75, billing_term="monthly", commitment_end=date(2027, 5, 31),
                           start_date=date(2026, 6, 1))
        finding = one(client(subscriptions=[sub], users=users), "renewal.subscription")
        assert finding.title == ("Microsoft 365 Business Premium: 75 seats, commitment ends May 31, 2027 "
                                 "(billed monthly)")
        assert "Right-size before May 31, 2027: 48 of 75 seats are assigned; 27 seats can be dropped" in \
            finding.recommendation

    def test_commitment_ending_within_a_month_on_its_anniversary_is_still_a_commitment(self):
        sub = subscription(quantity=10, billing_term="monthly", start_date=date(2025, 12, 1),
                           commitment_end=date(2026, 11, 30))
        finding = one(client(subscriptions=[sub], users=[user()]), "renewal.subscription")
        assert finding.facts["committed"] is True and "Right-size" in finding.recommendation
        assert finding.title == ("Microsoft 365 Business Premium: 10 seats, commitment ends Nov 30, 2026 "
                                 "(billed monthly)")

    def test_month_to_month_term_has_no_renewal_to_decide(self):
        """Partner Center termDuration P1M: the commitment end is next month's roll-over, not a renewal; the idle
        seats are reported as droppable now."""
        sub = subscription(quantity=10, billing_term="monthly", start_date=date(2023, 3, 17),
                           commitment_end=AS_OF + 10 * DAY)
        data = client(subscriptions=[sub], users=[user()])
        assert found(data, "renewal.subscription") == []
        assert "by 9 seats now (no commitment)" in one(data, "licensing.unassigned_seats").recommendation

    @pytest.mark.parametrize("days, committed", [(30, False), (31, False), (32, True)])
    def test_a_monthly_term_end_more_than_31_days_away_is_a_commitment(self, days, committed):
        """A month-to-month term's commitment end is at most a month away; anything later is a committed term."""
        sub = subscription(quantity=10, billing_term="monthly", commitment_end=AS_OF + days * DAY)
        renewals = found(client(subscriptions=[sub], users=[user()]), "renewal.subscription")
        assert len(renewals) == (1 if committed else 0)
        if committed:
            assert renewals[0].facts["committed"] is True and "Right-size" in renewals[0].recommendation

    def test_monthly_subscription_with_an_end_date_is_ending_not_renewing(self):
        sub = subscription(quantity=3, billing_term="monthly", end_date=date(2027, 1, 31))
        finding = one(client(subscriptions=[sub], users=[user()]), "renewal.subscription")
        assert finding.title == "Microsoft 365 Business Premium (3 seats) is scheduled to end on Jan 31, 2027"
        assert "Right-size" not in finding.recommendation

    def test_monthly_subscription_without_dates_has_no_renewal(self):
        assert found(client(subscriptions=[subscription()]), "renewal.subscription") == []

    def test_cancelled_subscription_is_ignored(self):
        sub = subscription(billing_term="annual", commitment_end=AS_OF + 30 * DAY, status="Cancelled")
        assert found(client(subscriptions=[sub]), "renewal") == []

    def test_two_subscriptions_of_one_product_keep_separate_ids(self):
        first = subscription(quantity=10, billing_term="annual", commitment_end=date(2027, 2, 28))
        added = subscription(quantity=5, billing_term="annual", commitment_end=date(2027, 8, 31))
        users = [user(f"u{i}@acme.example") for i in range(12)]
        findings = found(client(subscriptions=[first, added], users=users), "renewal.subscription")
        assert len({f.finding_id for f in findings}) == 2
        assert {f.subject for f in findings} == {"Microsoft 365 Business Premium (renews 2027-02-28)",
                                                 "Microsoft 365 Business Premium (renews 2027-08-31)"}
        # 15 purchased, 12 assigned: 3 idle, and the 5-seat subscription cannot drop more than 5
        assert {f.facts["seats_droppable"] for f in findings} == {3}

    def test_contract_finding(self):
        finding = one(client(contracts=[contract(end_date=date(2026, 12, 31), monthly_amount=3250.0)]),
                      "renewal.contract")
        assert finding.title == "Agreement 'Acme - Managed Services' ends on Dec 31, 2026"
        assert (finding.estimated_cost, finding.cost_kind) == (39000.0, "recurring")  # 3250 x 12
        assert finding.due_date == date(2026, 12, 31)

    @pytest.mark.parametrize("fields", [{"cancelled": True}, {"no_end": True}, {"end_date": None}])
    def test_contracts_without_a_renewal(self, fields):
        assert found(client(contracts=[contract(**{"end_date": AS_OF + 30 * DAY, **fields})]), "renewal") == []


# =============================================================== licence waste
class TestLicenceWaste:
    def test_unassigned_seats_with_monthly_and_annual_cost(self):
        users = [user(f"u{i}@acme.example") for i in range(7)]
        sub = subscription(quantity=10, price=20.0)  # the client's own price beats the list price (22)
        finding = one(client(subscriptions=[sub], users=users), "licensing.unassigned_seats")
        assert finding.title == "3 of 10 Microsoft 365 Business Premium seats are not assigned to anyone"
        assert finding.facts["spare"] == 3 and finding.facts["monthly"] == 60.0  # 3 x 20
        assert (finding.estimated_cost, finding.monthly_cost) == (720.0, 60.0)  # 60 x 12
        assert finding.severity == "low" and finding.due_date is None

    def test_a_thousand_a_year_of_waste_is_medium(self):
        users = [user(f"u{i}@acme.example") for i in range(2)]
        finding = one(client(subscriptions=[subscription(quantity=7, price=20.0)], users=users),
                      "licensing.unassigned_seats")
        assert finding.estimated_cost == 1200.0 and finding.severity == "medium"  # 5 x 20 x 12

    @pytest.mark.parametrize("annual, severity", [(999.99, "low"), (1000.0, "medium"), (1000.01, "medium")])
    def test_waste_severity_is_medium_from_exactly_a_thousand_a_year(self, annual, severity):
        # one idle seat whose price makes the annual waste exactly the amount
        data = client(subscriptions=[subscription(quantity=2, price=annual / 12)], users=[user()])
        finding = one(data, "licensing.unassigned_seats")
        assert finding.estimated_cost == annual and finding.severity == severity

    @pytest.mark.parametrize("monthly, severity", [(83.33, "low"), (83.34, "medium")])
    def test_blocked_user_waste_severity_around_a_thousand_a_year(self, monthly, severity):
        # 83.33 x 12 = 999.96, 83.34 x 12 = 1000.08
        data = client(subscriptions=[subscription(quantity=1, price=monthly)],
                      users=[user("left@acme.example", blocked=True)])
        finding = one(data, "licensing.blocked_user_licensed")
        assert finding.estimated_cost == round(monthly * 12, 2) and finding.severity == severity

    def test_list_price_when_the_subscription_has_none(self):
        finding = one(client(subscriptions=[subscription(quantity=2, price=None)], users=[user()]),
                      "licensing.unassigned_seats")
        assert finding.facts["monthly"] == 22.0  # data/sku_prices.csv: Business Premium 22.00
        assert finding.title == "1 of 2 Microsoft 365 Business Premium seats is not assigned to anyone"
        assert finding.recommendation == ("Reduce Microsoft 365 Business Premium by 1 seat now (no commitment), "
                                          "or assign it to the staff who need it.")

    def test_unassigned_seats_point_at_the_renewal(self):
        sub = subscription(quantity=5, billing_term="annual", commitment_end=date(2027, 3, 31))
        finding = one(client(subscriptions=[sub], users=[user()]), "licensing.unassigned_seats")
        assert finding.due_date == date(2027, 3, 31)
        assert "Reduce Microsoft 365 Business Premium by 4 seats at the Mar 31, 2027 renewal" in finding.recommendation

    def test_seats_billed_month_to_month_are_dropped_now_not_at_their_next_monthly_date(self):
        # Pax8 "Monthly/Monthly": the commitment end is the next monthly date, not a renewal to wait for.
        sub = subscription(quantity=5, billing_term="monthly", commitment_end=AS_OF + 11 * DAY)
        finding = one(client(subscriptions=[sub], users=[user()]), "licensing.unassigned_seats")
        assert finding.due_date is None and finding.facts["committed"] is False
        assert "by 4 seats now (no commitment)" in finding.recommendation

    @pytest.mark.parametrize("offset, points_at_it", [(-1, False), (0, True), (1, True)])
    def test_idle_seats_point_at_a_renewal_from_the_day_itself(self, offset, points_at_it):
        renews = AS_OF + offset * DAY
        sub = subscription(quantity=5, billing_term="annual", commitment_end=renews)
        finding = one(client(subscriptions=[sub], users=[user()]), "licensing.unassigned_seats")
        assert finding.due_date == (renews if points_at_it else None)
        assert (f"at the {renews.strftime('%b %d, %Y').replace(' 0', ' ')} renewal" in finding.recommendation) \
            == points_at_it

    def test_a_cheap_paid_licence_is_still_waste(self):
        """Only free licences are ignored: a dollar a month idle is still money spent."""
        data = client(subscriptions=[subscription("Cheap add-on", quantity=3, price=1.0)],
                      users=[user(licenses=["Cheap add-on"]), user("gone@acme.example", blocked=True,
                                                               licenses=["Cheap add-on"])])
        idle = one(data, "licensing.unassigned_seats")
        assert (idle.facts["spare"], idle.estimated_cost) == (1, 12.0)
        blocked = one(data, "licensing.blocked_user_licensed")
        assert blocked.estimated_cost == 12.0 and blocked.title.endswith("still holds Cheap add-on")

    def test_no_user_export_means_no_idle_seat_finding(self):
        assert found(client(subscriptions=[subscription(quantity=50)]), "licensing.unassigned_seats") == []

    def test_free_licences_are_ignored(self):
        free = subscription("Microsoft Teams Exploratory", quantity=25, price=0.0)
        holder = user(licenses=["Microsoft Teams Exploratory"], blocked=True)
        assert found(client(subscriptions=[free], users=[holder]), "license_waste") == []

    @pytest.mark.parametrize("offset, at_commitment_end", [(-1, False), (0, True), (1, True)])
    def test_a_freed_seat_is_dropped_at_a_commitment_end_from_the_day_itself(self, offset, at_commitment_end):
        ends = AS_OF + offset * DAY
        data = client(subscriptions=[subscription(quantity=2, billing_term="annual", commitment_end=ends)],
                      users=[user(), user("left@acme.example", blocked=True)])
        finding = one(data, "licensing.blocked_user_licensed")
        when = ends.strftime("%b %d, %Y").replace(" 0", " ")
        assert (f"then drop the seat at the {when} commitment end" in finding.recommendation) == at_commitment_end

    def test_blocked_user_with_a_paid_licence(self):
        data = client(subscriptions=[subscription(quantity=2, price=22.0),
                                     subscription("Exchange Online (Plan 1)", quantity=1, price=4.8)],
                      users=[user(), user("left@acme.example", blocked=True,
                                          licenses=["Microsoft 365 Business Premium", "Exchange Online (Plan 1)",
                                                    "Microsoft Teams Exploratory"])])
        finding = one(data, "licensing.blocked_user_licensed")
        assert finding.subject == "left@acme.example"
        assert finding.title == ("Blocked account left@acme.example still holds Microsoft 365 Business Premium, "
                                 "Exchange Online (Plan 1)")  # the free licence is not listed
        assert finding.facts["monthly"] == 26.8 and finding.estimated_cost == 321.6  # (22 + 4.8) x 12
        assert finding.monthly_cost == 26.8

    def test_deleted_user_counts_as_blocked(self):
        finding = one(client(users=[user("gone@acme.example", deleted=True)]), "licensing.blocked_user_licensed")
        assert finding is not None and finding.estimated_cost == 264.0

    def test_guests_are_not_licence_waste(self):
        guest = user("x_partner.example#EXT#@acme.onmicrosoft.com", is_guest=True, blocked=True)
        assert found(client(users=[guest]), "license_waste") == []

    @pytest.mark.parametrize("days_ago, flagged", [(89, False), (90, False), (91, True)])
    def test_inactive_for_90_days(self, days_ago, flagged):
        quiet = user("quiet@acme.example", last_activity=AS_OF - days_ago * DAY)
        finding = one(client(users=[quiet]), "licensing.inactive_user")
        assert (finding is not None) == flagged
        if finding:
            last = (AS_OF - days_ago * DAY).strftime("%b %d, %Y").replace(" 0", " ")
            assert finding.title == ("quiet@acme.example holds Microsoft 365 Business Premium but has been inactive "
                                     f"90+ days as of Nov 20, 2026 (last active {last})")
            assert finding.estimated_cost == 264.0

    def test_never_active_user(self):
        finding = one(client(users=[user(last_activity=None)]), "licensing.inactive_user")
        assert "(no recorded activity)" in finding.title

    def test_without_an_activity_report_inactivity_is_not_judged(self):
        result = run(client(users=[user(last_activity=None, activity_known=False)]))
        assert [f for f in result.findings if f.rule == "licensing.inactive_user"] == []
        assert result.data_gaps["tenants without an activity report (inactive licences not checked)"] == 1

    @pytest.mark.parametrize("created_days_ago, flagged", [(89, False), (90, True), (400, True)])
    def test_new_starters_are_not_inactive(self, created_days_ago, flagged):
        starter = user(last_activity=None, created=AS_OF - created_days_ago * DAY)
        assert (one(client(users=[starter]), "licensing.inactive_user") is not None) == flagged

    def test_blocked_and_inactive_is_reported_once_as_blocked(self):
        both = user(blocked=True, last_activity=None)
        assert [f.rule for f in found(client(users=[both]), "license_waste")] == ["licensing.blocked_user_licensed"]

    def test_unlicensed_users_are_not_waste(self):
        assert found(client(users=[user(licenses=[], blocked=True, last_activity=None)]), "license_waste") == []


# =============================================================== security
class TestSecurity:
    @pytest.mark.parametrize("device_type, severity", [("desktop", "high"), ("laptop", "high"), ("server", "critical")])
    def test_antivirus_not_running(self, device_type, severity):
        finding = one(client(assets=[asset("DEV", device_type=device_type, av_status="not_running")]),
                      "security.av_not_running")
        assert finding.severity == severity and "is not running on" in finding.title
        assert finding.due_date == AS_OF

    def test_antivirus_not_detected(self):
        finding = one(client(assets=[asset(av_status="not_detected")]), "security.av_not_running")
        assert finding.title == "Antivirus/EDR was not detected on desktop PC-01"

    @pytest.mark.parametrize("state", ["running", "unknown", None])
    def test_antivirus_fine_or_unknown(self, state):
        assert found(client(assets=[asset(av_status=state)]), "security.av_not_running") == []

    @pytest.mark.parametrize("device_type, severity", [("desktop", "medium"), ("server", "high")])
    def test_patch_install_error(self, device_type, severity):
        finding = one(client(assets=[asset("DEV", device_type=device_type, patch_status="install_error")]),
                      "security.patch_failed")
        assert finding.severity == severity

    @pytest.mark.parametrize("device_type, severity", [("desktop", "low"), ("server", "medium")])
    def test_pending_reboot(self, device_type, severity):
        finding = one(client(assets=[asset("DEV", device_type=device_type, patch_status="reboot_required")]),
                      "security.reboot_pending")
        assert finding.severity == severity

    @pytest.mark.parametrize("missing, severity", [(9, None), (10, "medium"), (11, "medium")])
    def test_many_missing_patches(self, missing, severity):
        finding = one(client(assets=[asset(patches_missing=missing)]), "security.patches_missing")
        assert (finding.severity if finding else None) == severity

    def test_missing_patches_on_a_server_is_high(self):
        finding = one(client(assets=[asset("SRV", device_type="server", patches_missing=12)]),
                      "security.patches_missing")
        assert finding.severity == "high" and finding.title == "12 approved patches are pending on server SRV"

    @pytest.mark.parametrize("last_seen, flagged", [
        (at(AS_OF - 30 * DAY), False),              # 30 days ago, at midnight: not yet
        (at(AS_OF - 31 * DAY, 23, 59), True),       # 31 days ago
        (at(AS_OF - 29 * DAY, 12), False),
        (None, False),
    ])
    def test_agent_not_seen_for_30_days(self, last_seen, flagged):
        finding = one(client(assets=[asset(last_seen=last_seen)]), "security.agent_offline")
        assert (finding is not None) == flagged
        if finding:
            assert finding.title == "Desktop PC-01 has not checked in since Oct 20, 2026 (31 days as of Nov 20, 2026)"

    @pytest.mark.parametrize("export_age, stale", [(29, False), (30, False), (31, True)])
    def test_an_export_older_than_30_days_makes_its_findings_stale(self, export_age, stale):
        """What an export observed more than thresholds.stale_input_days before the review was true then."""
        exported = AS_OF - export_age * DAY
        offline = asset(last_seen=at(exported - 40 * DAY), provenance={"last_seen": {"observed": exported}})
        finding = one(client(assets=[offline]), "security.agent_offline")
        assert finding.facts["stale_source"] is stale

    def test_agent_offline_only_for_rmm_tracked_devices(self):
        psa_only = asset(last_seen=at(AS_OF - 100 * DAY), tools=["psa"])
        assert found(client(assets=[psa_only]), "security.agent_offline") == []

    def test_mfa_not_registered(self):
        finding = one(client(users=[user(mfa_registered=False)]), "security.mfa_not_registered")
        assert finding.severity == "high" and finding.due_date == AS_OF
        assert finding.title == "User ann@acme.example has no MFA method registered"

    def test_every_user_is_checked_for_mfa_after_one_that_is_skipped(self):
        users = [user("left@acme.example", mfa_registered=False, blocked=True),
                 user("room@acme.example", mfa_registered=False, licenses=[]),
                 user("bob@acme.example", mfa_registered=False)]
        assert [f.subject for f in found(client(users=users), "security.mfa_not_registered")] == ["bob@acme.example"]

    def test_admin_without_mfa_is_critical(self):
        finding = one(client(users=[user(mfa_registered=False, is_admin=True)]), "security.mfa_not_registered")
        assert finding.severity == "critical" and finding.title.startswith("Administrator ann@acme.example")

    def test_unlicensed_admin_without_mfa_is_still_critical(self):
        admin = user("admin@acme.onmicrosoft.com", licenses=[], mfa_registered=False, is_admin=True)
        assert one(client(users=[admin]), "security.mfa_not_registered").severity == "critical"

    @pytest.mark.parametrize("fields", [{"mfa_registered": True}, {"mfa_registered": None},
                                        {"mfa_registered": False, "blocked": True},
                                        {"mfa_registered": False, "is_guest": True},
                                        {"mfa_registered": False, "licenses": []}])
    def test_no_mfa_finding(self, fields):
        assert found(client(users=[user(**fields)]), "security.mfa_not_registered") == []

    def test_mfa_gap_without_an_mfa_export(self):
        assert run(client(users=[user()])).data_gaps[
            "tenants without an MFA registration export (MFA not checked)"] == 1


# =============================================================== backup
class TestBackup:
    RULE = "backup.server_unprotected"

    def test_no_backup_data_is_a_gap_not_a_finding(self):
        data = client(assets=[asset("SRV1", device_type="server"), asset("SRV2", device_type="server")])
        result = run(data)
        assert [f for f in result.findings if f.category == "backup"] == []
        assert result.data_gaps["servers without backup data (backups not checked)"] == 2

    @pytest.mark.parametrize("last_backup, flagged", [
        (at(AS_OF - 7 * DAY), False),             # exactly 7 days (midnight): still inside
        (at(AS_OF - 8 * DAY, 23, 59), True),      # 7 days and a bit
        (at(AS_OF - DAY, 22), False),
    ])
    def test_last_successful_backup_within_7_days(self, last_backup, flagged):
        data = client(assets=[asset("SRV", device_type="server", last_backup=last_backup)])
        finding = one(data, self.RULE)
        assert (finding is not None) == flagged
        if finding:
            assert finding.severity == "high"
            assert finding.title == "Server SRV has not had a successful backup since Nov 12, 2026"

    def test_server_missing_from_the_backup_report(self):
        data = client(assets=[asset("SRV1", device_type="server", last_backup=at(AS_OF - DAY)),
                              asset("SRV2", device_type="server")])
        finding = one(data, self.RULE)
        assert finding.subject == "SRV2" and finding.title == "Server SRV2 has no backup record"

    def test_workstations_and_retired_servers_are_not_checked(self):
        data = client(assets=[asset("SRV1", device_type="server", last_backup=at(AS_OF - DAY)),
                              asset("PC-01"), asset("OLD-SRV", device_type="server", status="Inactive")])
        assert found(data, self.RULE) == []


# =============================================================== exclusions
class TestExclusions:
    def data(self, *exclusions):
        return client(assets=[asset("FS01", device_type="server", warranty_end=AS_OF - 10 * DAY, av_status="not_running"),
                              asset("FS02", device_type="server", warranty_end=AS_OF - 10 * DAY)],
                      exclusions=list(exclusions))

    @pytest.mark.parametrize("as_of, suppressed", [(date(2027, 1, 30), True), (date(2027, 1, 31), True),
                                                   (date(2027, 2, 1), False)])
    def test_suppressed_until_the_date_then_back(self, as_of, suppressed):
        result = run(self.data(exclusion("FS01", "lifecycle.warranty", until=date(2027, 1, 31))), as_of=as_of)
        active = {(f.subject, f.rule) for f in result.findings}
        assert (("FS01", "lifecycle.warranty") not in active) == suppressed
        assert ("FS02", "lifecycle.warranty") in active  # other subjects untouched
        assert ("FS01", "security.av_not_running") in active  # other rules on the subject untouched
        if suppressed:
            (finding, reason), = result.excluded
            assert finding.subject == "FS01" and reason == "client accepted the risk"
        else:
            assert result.excluded == []

    def test_without_until_it_stays_suppressed(self):
        result = run(self.data(exclusion("fs01", "warranty")), as_of=date(2031, 1, 1))
        assert ("FS01", "lifecycle.warranty") not in {(f.subject, f.rule) for f in result.findings}

    @pytest.mark.parametrize("rule", ["lifecycle.warranty", "LIFECYCLE.WARRANTY", " warranty ", "*", ""])
    def test_rule_by_name_category_or_wildcard(self, rule):
        result = run(self.data(exclusion("FS01", rule)))
        assert "lifecycle.warranty" not in {f.rule for f in result.findings if f.subject == "FS01"}

    def test_by_finding_id(self):
        ids = {f.subject: f.finding_id for f in run(self.data()).findings if f.rule == "lifecycle.warranty"}
        result = run(self.data(exclusion("FS01", ids["FS01"].lower())))
        assert ids["FS01"] not in {f.finding_id for f in result.findings}
        assert ids["FS02"] in {f.finding_id for f in result.findings}

    def test_subject_wildcard(self):
        result = run(self.data(exclusion("*", "lifecycle.warranty")))
        assert {f.rule for f in result.findings} == {"security.av_not_running"}
        assert len(result.excluded) == 2


# =============================================================== every rule
def test_every_rule_has_a_category_and_an_id_prefix():
    assert set(RULE_CATEGORIES.values()) <= set(CATEGORIES)


def test_a_troubled_client_exercises_every_rule_with_valid_output():
    data = client(
        assets=[asset("FS01", device_type="server", os=SERVER_2012R2, purchase_date=date(2014, 1, 1),
                      warranty_end=date(2019, 1, 1), av_status="not_running", patch_status="install_error",
                      patches_missing=40, last_seen=at(AS_OF - 60 * DAY), last_backup=at(AS_OF - 30 * DAY)),
                asset("PC-01", os=WIN10, patch_status="reboot_required"),
                asset("FS02", device_type="server", warranty_end=AS_OF - 10 * DAY, patch_status="no_policy"),
                asset("OLD-PC", status="Retired")],
        users=[user(mfa_registered=False), user("gone@acme.example", blocked=True),
               user("quiet@acme.example", last_activity=None)],
        subscriptions=[subscription(quantity=5, billing_term="annual", commitment_end=AS_OF + 40 * DAY)],
        contracts=[contract(end_date=AS_OF + 40 * DAY)])
    findings = run(data).findings
    assert {f.rule for f in findings} == set(RULE_CATEGORIES)
    for f in findings:
        assert f.severity in SEVERITIES and f.category in CATEGORIES
        assert f.title and f.recommendation and f.sources and f.subject
        assert f.cost_kind in {None, "one_time", "recurring"}
        assert (f.cost_kind is None) == (f.estimated_cost is None) or f.estimated_cost == 0
    assert len({f.finding_id for f in findings}) == len(findings)


def test_two_devices_sharing_a_hostname_get_distinct_ids():
    old = asset("FRONTDESK", serial="OLD123", os=WIN10, purchase_date=date(2018, 1, 1))
    new = asset("FRONTDESK", serial="NEW456", os=WIN10, purchase_date=date(2025, 1, 1))
    findings = found(client(assets=[old, new]), "end_of_life")
    assert {f.subject for f in findings} == {"FRONTDESK (OLD123)", "FRONTDESK (NEW456)"}
    assert len({f.finding_id for f in findings}) == 2


def test_a_release_the_catalog_lists_without_a_date_is_a_data_gap():
    """Local additions may carry no end date yet (unverified vendor data): not checked, so not good news."""
    from pipeline.catalog.lifecycle import LifecycleCatalog
    from pipeline.findings import evaluate
    doc = {"product": "ubuntu", "snapshot": "2026-08-01", "releases": [{"name": "20.04", "eolFrom": None}]}
    catalog = LifecycleCatalog([doc])
    result = evaluate(client(assets=[asset("WEB", os=UBUNTU_2004)]), AS_OF, default_config(), catalog)
    assert result.findings == []
    assert result.data_gaps["devices whose operating system the lifecycle catalog does not know"] == 1
