"""One device seen by several tools becomes one asset; users merge across exports."""

from datetime import date, datetime

from pipeline.model import merge_assets, merge_users
from pipeline.model.build import refine_device_type

KINDS = {"psa": "psa", "rmm": "rmm", "warranty": "warranty"}


def rec(profile, line, **fields):
    return {"_src": f"{profile}.csv:{line}", "_profile": profile, **fields}


def test_serial_then_hostname_merge_with_source_priority():
    devices = [
        rec("psa", 2, hostname="FRONTDESK-01.hpd.local", serial="8H2K3L2", device_type="desktop",
            purchase_date=date(2019, 1, 5), warranty_end=date(2022, 1, 5), os="Windows 10"),
        rec("rmm", 3, hostname="FRONTDESK-01", os="Microsoft Windows 11 Pro 10.0.26100",
            last_seen=datetime(2026, 11, 19), device_type="laptop"),  # no serial: joins by hostname
        rec("rmm", 4, hostname="frontdesk-01", serial="8H2K3L2", model="OptiPlex 7060"),  # storage row
        rec("rmm", 5, hostname="IMAGING-01"),  # junk serial already removed by ingest
    ]
    warranties = [rec("warranty", 7, serial="8H2K3L2", warranty_end=date(2024, 1, 5))]
    assets, conflicts = merge_assets(devices, warranties, KINDS)
    assert [a.name for a in assets] == ["FRONTDESK-01", "IMAGING-01"]
    front = assets[0]
    assert front.serial == "8H2K3L2" and front.model == "OptiPlex 7060"
    assert front.os == "Microsoft Windows 11 Pro 10.0.26100"  # the RMM knows the running OS
    assert front.device_type == "desktop"  # the PSA decides the type
    assert front.warranty_end == date(2024, 1, 5)  # the warranty lookup wins
    assert front.sources == ["psa.csv:2", "rmm.csv:3", "rmm.csv:4", "warranty.csv:7"]
    assert set(front.tools) == {"psa", "rmm", "warranty"}
    assert {"device_type", "warranty_end"} <= set(front.conflicts) and conflicts == len(front.conflicts)


def test_two_devices_with_one_hostname_stay_two_when_serials_differ():
    devices = [rec("psa", 2, hostname="PC-1", serial="AAA"), rec("psa", 3, hostname="PC-1", serial="BBB")]
    assets, _ = merge_assets(devices, [], KINDS)
    assert sorted(a.serial for a in assets) == ["AAA", "BBB"]


def test_laptops_are_recognised_by_model():
    assert refine_device_type("desktop", "MacBookPro16,1") == "laptop"
    assert refine_device_type("other", "ThinkPad T14 Gen 3") == "laptop"
    assert refine_device_type("desktop", "OptiPlex 7060") == "desktop"
    assert refine_device_type("server", "MacBook") == "server"


def test_apple_model_identifiers_are_typed_from_the_table():
    assert refine_device_type("desktop", "Mac15,3") == "laptop"  # a 14-inch MacBook Pro, not a desktop
    assert refine_device_type("desktop", "MacBookPro18,3") == "laptop"
    assert refine_device_type("desktop", "Mac14,2") == "laptop"  # MacBook Air (M2)
    assert refine_device_type("laptop", "Mac14,3") == "desktop"  # Mac mini (2023), whatever the RMM guessed
    assert refine_device_type("desktop", "iMac21,1") == "desktop"
    assert refine_device_type("desktop", "Mac99,1") == "desktop"  # unknown identifier: left as the tools say


def test_age_runs_from_purchase_then_warranty_start_then_install_never_a_later_enrolment():
    from pipeline.model import Asset
    assert Asset("A", purchase_date=date(2021, 1, 1), install_date=date(2020, 1, 1)).in_service_since == date(2021, 1, 1)
    assert Asset("A", warranty_start=date(2020, 2, 3), install_date=date(2020, 3, 1)).in_service_since == date(2020, 2, 3)
    assert Asset("A", enrolled_date=date(2022, 5, 1)).in_service_since == date(2022, 5, 1)
    # BB-MBP-04: enrolled in the RMM after its own warranty ended: the enrolment says nothing about its age
    assert Asset("BB-MBP-04", enrolled_date=date(2023, 5, 1), warranty_end=date(2023, 2, 3)).in_service_since is None


def test_users_merge_activity_and_ignore_concealed_rows():
    users = [rec("m365", 2, upn="Ann@Acme.com", display_name="Ann", blocked=False, licenses=["SPB"])]
    activity = [rec("act", 2, upn="ann@acme.com", exchange_last_activity=date(2026, 6, 1),
                    teams_last_activity=date(2026, 9, 1)),
                rec("act", 3, upn="3F2A9C81D0E4", exchange_last_activity=date(2026, 9, 1))]
    merged = merge_users(users, activity, [])
    assert len(merged) == 1
    ann = merged[0]
    assert ann.activity_known and ann.last_activity == date(2026, 9, 1)
    assert ann.sources == ["m365.csv:2", "act.csv:2"]
