"""The risk register names every exposed device, with the right dates, on the sample clients."""

from __future__ import annotations

from .conftest import sample_reviews


def risk(client: str, *words: str):
    matches = [r for r in sample_reviews()[client].risks if all(w in r.title for w in words)]
    assert len(matches) == 1, [r.title for r in sample_reviews()[client].risks]
    return matches[0]


def test_pcs_being_replaced_still_count_as_running_an_unsupported_system():
    # Granite Ridge: 40 PCs on Windows 10 and 14 on Windows 11 24H2; 7 of the 24H2 laptops are replaced for
    # their age, which also resolves their operating system, but they run it until then.
    unsupported = risk("Granite Ridge Manufacturing", "PCs run", "without security fixes")
    assert unsupported.finding_count == 54 and unsupported.title.startswith("54 PCs run ")
    assert "Replace 29 aging devices" in unsupported.mitigations
    on_unsupported_pcs = [d for d in sample_reviews()["Granite Ridge Manufacturing"].current_state.devices
                          if d.support == "Unsupported" and d.device_type in {"desktop", "laptop"}
                          and not d.initiative.startswith("Confirm")]  # retired: disposal, not a risk
    assert len(on_unsupported_pcs) == 54


def test_a_risk_over_several_releases_dates_the_oldest_as_the_oldest():
    unsupported = risk("Granite Ridge Manufacturing", "PCs run", "without security fixes")
    assert unsupported.title.endswith("Windows 10 22H2 and Windows 11 24H2 (Home/Pro), without security fixes, "
                                      "the oldest since Oct 14, 2025")
    single = risk("Granite Ridge Manufacturing", "Windows Server 2012 R2")
    assert single.title == ("GRM-ERP01 and GRM-FS01 run Windows Server 2012 R2, without security fixes since "
                            "Oct 10, 2023")


def test_a_device_still_under_warranty_is_never_called_out_of_warranty():
    # Bluebird: BB-MBP-04's warranty ended in 2023; BB-MBP-07's runs to Jan 9, 2027 (PSA row 1956).
    lapsed = risk("Bluebird Creative Studio", "BB-MBP-04")
    assert lapsed.title == "BB-MBP-04 is out of warranty (since Feb 3, 2023)"
    ending = risk("Bluebird Creative Studio", "BB-MBP-07")
    assert ending.title == "Warranty on BB-MBP-07 ends on Jan 9, 2027"


def test_a_replacement_age_still_ahead_is_not_called_reached():
    # Bluebird's BB-MBP-05/06 and BB-WIN-01 are 3.1-3.7 years old against a 4-year replacement age.
    ahead = risk("Bluebird Creative Studio", "BB-MBP-05")
    assert ahead.title == "BB-MBP-05, BB-MBP-06 and BB-WIN-01 reach their replacement age from Mar 21, 2027"
    assert risk("Bluebird Creative Studio", "past their replacement age").title == (
        "3 Macs and 1 PC are past their replacement age")


def test_servers_and_network_gear_are_replaced_in_a_project_of_their_own():
    for review in sample_reviews().values():
        by_kind = {i.kind: i for i in review.initiatives}
        refresh = by_kind.get("hardware_refresh")
        if refresh:
            kinds = {f.device_type for f in review.current_state.devices
                     if f.hostname in {item.subject for item in refresh.items}}
            assert not kinds & {"server", "network", "storage"}, (review.client.name, refresh.title)
    northwind = {i.kind: i for i in sample_reviews()["Northwind Logistics"].initiatives}
    infrastructure = northwind["infrastructure_refresh"]
    assert infrastructure.title == "Replace aging infrastructure: 3 servers"
    assert {"NWL-SRV-DC01", "NWL-SRV-FS01"} <= {item.subject for item in infrastructure.items}


def test_a_firewalls_lapse_is_its_security_services_not_a_repair_warranty():
    assert risk("Cedar & Finch LLP", "CF-FW01").title == "Security services on CF-FW01 lapsed (since Apr 20, 2025)"
    assert risk("Northwind Logistics", "NWL-FW-HQ").title == (
        "Security services on NWL-FW-HQ and NWL-FW-WH2 lapsed (the first since May 2, 2026)")
