"""Every built-in profile has a fixture written like the real export, and each fixture
ingests to exactly the expected canonical records.

Fixtures live in tests/ingest/fixtures/<case>/ (see README.md there); make_fixtures.py
writes them byte for byte.  The shared roster (fixtures/clients.csv) knows Acme Dental,
Cedar & Finch LLP and Granite Ridge Manufacturing.  Every ingest goes through
``check_accounting`` (conftest.py): rows read = accepted + rejected for every file, and
every reject carries file, line, column and reason.
"""

from __future__ import annotations

from datetime import date as D
from datetime import datetime as DT
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest_folder, load_profiles
from pipeline.ingest.profiles import BUILTIN_DIR, load_profile

from .conftest import AS_OF, CASES, FIXTURES, check_accounting, copy_case

ACME, CEDAR, GRANITE = "Acme Dental", "Cedar & Finch LLP", "Granite Ridge Manufacturing"


def only_file(result, path: str):
    """The report of the one data file of a case (the roster is the other one)."""
    reports = [f for f in result.files if f.path == path]
    assert reports, [f.path for f in result.files]
    return reports[0]


def records(result, entity: str, path: str) -> list[dict]:
    found = result.records.get(entity, []) + result.references.get(entity, [])
    return [{k: v for k, v in r.items() if k != "_profile"} for r in found if r["_src"].rsplit(":", 1)[0] == path]


def rejects(result, path: str) -> list[tuple]:
    return sorted((r.line, r.column, r.value, r.reason) for r in result.rejects if r.file == path)


def check_file(result, path: str, profile: str, rows: int, accepted: int, encoding: str | None = None):
    report = only_file(result, path)
    assert (report.format, report.rows, report.accepted, report.rejected) == (profile, rows, accepted, rows - accepted)
    if encoding:
        assert report.encoding == encoding
    assert not result.unrecognised
    return report


def guess_warning(raw: str, client: str, how: str, rows: int) -> str:
    return (f"client {raw!r} matched to roster client {client!r} by {how} ({rows} rows): "
            "add it to the roster's aliases to confirm")


# --------------------------------------------------------------------------- coverage


def test_every_built_in_profile_has_a_fixture(tmp_path):
    seen: dict[str, str] = {}
    for case in CASES:
        result = ingest_folder(copy_case(case, tmp_path / case), IngestOptions(as_of=AS_OF))
        check_accounting(result)
        assert not result.unrecognised, (case, result.unrecognised)
        for report in result.files:
            if report.path != "clients.csv" or case == "vcio_clients":
                seen.setdefault(report.format, case)
    builtin = {load_profile(p).name for p in BUILTIN_DIR.glob("*.toml")}
    assert builtin - set(seen) == set(), "profiles without a fixture"


def test_fixture_readme_lists_every_case():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"`{case}`" in readme, case


# --------------------------------------------------------------------------- Microsoft 365


def test_m365_export_users_current_layout(ingest_case):
    result = ingest_case("m365_export_users")
    path = "m365/acmedental.com/users.csv"
    report = check_file(result, path, "m365_export_users", rows=4, accepted=3, encoding="utf-8-sig")
    assert report.warnings == []  # the UPN domain is roster data, not a guess
    assert records(result, "user", path) == [
        {"_src": f"{path}:2", "client": ACME, "upn": "angela.davis@acmedental.com", "display_name": "Angela Davis",
         "blocked": False, "licenses": ["Microsoft 365 Business Premium", "Microsoft Defender for Office 365 (Plan 1)"],
         "created": D(2025, 10, 19), "department": "Front Office", "title": "Receptionist"},
        # 'Unlicensed' is no license; NBSP and trailing spaces are trimmed
        {"_src": f"{path}:3", "client": ACME, "upn": "bob.stone@acmedental.com", "display_name": "Bob Stone",
         "blocked": True, "created": D(2021, 2, 3), "department": "Clinical", "title": "Hygienist"},
        # line 4 is blank; a guest's #EXT# UPN resolves through the tenant's onmicrosoft.com domain
        {"_src": f"{path}:5", "client": ACME, "upn": "jane_partnerfirm.com#EXT#@acmedental.onmicrosoft.com",
         "display_name": "Jane Partner", "blocked": False, "created": D(2024, 4, 11)},
    ]
    [(line, column, value, reason)] = rejects(result, path)
    assert (line, column) == (6, "")
    assert value.startswith("Carl Mendez|")
    assert reason == "the row has 29 cells but the header has 28 (a stray delimiter or unquoted text?)"


def test_m365_export_users_resaved_by_excel_in_cp1252(ingest_case):
    result = ingest_case("m365_export_users_excel")
    path = "m365/cedarfinch.com/users.csv"
    report = check_file(result, path, "m365_export_users", rows=2, accepted=2, encoding="cp1252")
    assert report.warnings == []
    assert records(result, "user", path) == [
        {"_src": f"{path}:2", "client": CEDAR, "upn": "jose.ramirez@cedarfinch.com", "display_name": "José Ramírez",
         "blocked": False, "licenses": ["Microsoft 365 Business Premium"], "created": D(2022, 3, 18),
         "department": "Legal", "title": "Associate – Litigation"},
        # cedarfinch.law is not a roster domain: the tenant folder m365/cedarfinch.com/ decides
        {"_src": f"{path}:3", "client": CEDAR, "upn": "r.ortiz@cedarfinch.law", "display_name": "Rosa Ortiz",
         "blocked": True, "licenses": ["Microsoft 365 Business Premium", "Exchange Online (Plan 1)"],
         "created": D(2024, 11, 30), "department": "Legal", "title": "Paralegal"},
    ]


def test_m365_export_users_legacy_layout(ingest_case):
    result = ingest_case("m365_export_users_legacy")
    path = "exports/O365_users.csv"
    check_file(result, path, "m365_export_users_legacy", rows=3, accepted=2, encoding="utf-8")
    assert records(result, "user", path) == [
        {"_src": f"{path}:2", "client": CEDAR, "upn": "admin@cedarfinchllp.onmicrosoft.com",
         "display_name": "Admin Account", "blocked": False, "licenses": ["Office 365 E3"], "created": D(2020, 5, 23),
         "department": "Legal", "title": "IT Admin"},
        {"_src": f"{path}:3", "client": CEDAR, "upn": "former@cedarfinch.com", "display_name": "Former Partner",
         "blocked": True, "created": D(2019, 3, 1), "department": "Legal", "title": "Partner"},
    ]
    assert rejects(result, path) == [(4, "User principal name", "v@cedarfinch.law", "unknown client: cedarfinch.law")]
    assert result.unknown_clients == {"cedarfinch.law": 1}


def test_m365_active_user_detail(ingest_case):
    result = ingest_case("m365_active_user_detail")
    path = "m365/acmedental.com/ActiveUserDetail.csv"
    report = check_file(result, path, "m365_active_user_detail", rows=3, accepted=3, encoding="utf-8-sig")
    assert report.warnings == [] and report.newest_date == "2026-05-30"
    assert records(result, "user_activity", path) == [
        {"_src": f"{path}:2", "client": ACME, "upn": "angela.davis@acmedental.com", "display_name": "Angela Davis",
         "report_date": D(2026, 5, 30), "is_deleted": False, "exchange_last_activity": D(2026, 5, 29),
         "onedrive_last_activity": D(2026, 5, 28), "sharepoint_last_activity": D(2026, 5, 20),
         "teams_last_activity": D(2026, 5, 29),
         "assigned_products": ["MICROSOFT 365 BUSINESS PREMIUM", "MICROSOFT DEFENDER FOR OFFICE 365 (PLAN 1)"]},
        # empty activity dates mean "never": no key at all
        {"_src": f"{path}:3", "client": ACME, "upn": "bob.stone@acmedental.com", "display_name": "Bob Stone",
         "report_date": D(2026, 5, 30), "is_deleted": True},
        {"_src": f"{path}:4", "client": ACME, "upn": "jane_partnerfirm.com#EXT#@acmedental.onmicrosoft.com",
         "display_name": "Jane Partner", "report_date": D(2026, 5, 30), "is_deleted": False,
         "teams_last_activity": D(2026, 5, 12)},
    ]


def test_m365_usage_report_with_concealed_names_warns(ingest_case):
    result = ingest_case("m365_active_user_detail_concealed")
    path = "m365/cedarfinch.com/ActiveUserDetail.csv"
    report = check_file(result, path, "m365_active_user_detail", rows=2, accepted=2)
    rows = records(result, "user_activity", path)
    assert [r["upn"] for r in rows] == ["A51A7ECD56AC31E05E4CD617C62025F2", "2291C361A473D0A0820B4CBD33A0D358"]
    assert {r["client"] for r in rows} == {CEDAR}  # hashes have no domain: the tenant folder decides
    concealed = [w for w in report.warnings if "concealed" in w]
    assert len(concealed) == 1 and concealed[0].startswith("2 of 2 user names are concealed (hashed)")
    assert "Settings > Org settings > Reports" in concealed[0]
    assert report.newest_date == "2026-04-10"
    assert any(w.startswith("stale data: this file was observed on 2026-04-10 (report date)") for w in report.warnings)


def test_entra_download_users(ingest_case):
    result = ingest_case("entra_download_users")
    path = "m365/graniteridgemfg.com/exportUsers_2026-5-31.csv"
    check_file(result, path, "entra_download_users", rows=5, accepted=4)
    assert records(result, "user", path) == [
        {"_src": f"{path}:2", "client": GRANITE, "upn": "amy.ng@graniteridgemfg.com", "display_name": "Amy Ng",
         "account_enabled": True, "created": D(2021, 8, 19), "user_type": "Member", "department": "Operations",
         "title": "Plant Manager"},
        {"_src": f"{path}:3", "client": GRANITE, "upn": "sam_supplier.example#EXT#@graniteridgemfg.onmicrosoft.com",
         "display_name": "Sam Supplier", "account_enabled": True, "created": D(2024, 2, 3), "user_type": "Guest"},
        # a formula-looking cell is kept as text (escaping is the writer's job); 12:00:00 AM is midnight
        {"_src": f"{path}:4", "client": GRANITE, "upn": "eve.tester@graniteridgemfg.com", "display_name": "Eve Tester",
         "account_enabled": False, "created": D(2025, 12, 1), "user_type": "Member", "department": "Quality",
         "title": "=3+1"},
        # a sub-domain of a roster domain belongs to the same client; 11:59:59 PM stays on the same day
        {"_src": f"{path}:5", "client": GRANITE, "upn": "ops@plant.graniteridgemfg.com", "display_name": "Plant Ops",
         "account_enabled": True, "created": D(2026, 5, 30), "user_type": "Member", "department": "Operations",
         "title": "Shared mailbox"},
    ]
    # a UK-locale browser wrote day-first dates: rejected, never silently read as August 19th
    assert rejects(result, path) == [(6, "createdDateTime", "19/08/2021 13:25:31",
                                      "created: not a valid date: '19/08/2021 13:25:31'")]


def test_m365_mfa_registration_from_powershell_export_csv(ingest_case):
    result = ingest_case("m365_mfa_registration")
    path = "m365/acmedental.com/UserRegistrationDetails.csv"
    check_file(result, path, "m365_mfa_registration", rows=3, accepted=3)
    # line 1 is Windows PowerShell's '#TYPE ...' line, the header is line 2
    assert records(result, "mfa", path) == [
        {"_src": f"{path}:3", "client": ACME, "upn": "angela.davis@acmedental.com", "display_name": "Angela Davis",
         "mfa_registered": True, "is_admin": False, "methods": ["microsoftAuthenticatorPush", "softwareOneTimePasscode"]},
        {"_src": f"{path}:4", "client": ACME, "upn": "admin@acmedental.onmicrosoft.com", "display_name": "Acme Admin",
         "mfa_registered": False, "is_admin": True},
        {"_src": f"{path}:5", "client": ACME, "upn": "bob.stone@acmedental.com", "display_name": "Bob Stone",
         "mfa_registered": True, "is_admin": False, "methods": ["mobilePhone"]},
    ]


def test_m365_mfa_status_community_script_both_files(ingest_case):
    result = ingest_case("m365_mfa_status_o365reports")
    enabled = "m365/cedarfinch.com/MFA_Enabled_User_Report_Jun-01-2026.csv"
    disabled = "m365/cedarfinch.com/MFA_Disabled_User_Report_Jun-01-2026.csv"
    check_file(result, enabled, "m365_mfa_status_o365reports", rows=2, accepted=2)
    check_file(result, disabled, "m365_mfa_status_o365reports", rows=1, accepted=1)
    assert records(result, "mfa", enabled) == [
        {"_src": f"{enabled}:2", "client": CEDAR, "upn": "jose.ramirez@cedarfinch.com", "display_name": "José Ramírez",
         "mfa_registered": True, "is_admin": False, "methods": ["PhoneAppNotification", "PhoneAppOTP"]},
        # '-' means no methods (value map)
        {"_src": f"{enabled}:3", "client": CEDAR, "upn": "admin@cedarfinchllp.onmicrosoft.com", "display_name": "IT Admin",
         "mfa_registered": False, "is_admin": True},
    ]
    # the MFA-disabled file has no ActivationStatus: registration stays unknown
    assert records(result, "mfa", disabled) == [
        {"_src": f"{disabled}:2", "client": CEDAR, "upn": "r.ortiz@cedarfinch.com", "display_name": "Rosa Ortiz",
         "is_admin": False},
    ]


def test_ms_product_service_plans_reference_in_cp1252(ingest_case):
    result = ingest_case("ms_product_service_plans")
    path = "reference/Product names and service plan identifiers for licensing.csv"
    report = check_file(result, path, "ms_product_service_plans", rows=6, accepted=6, encoding="cp1252")
    assert report.entity == "sku_reference"
    rows = records(result, "sku_reference", path)
    # trailing spaces and the NBSP after String_Id are gone; one row per service plan (dedupe is the model's job)
    assert [(r["sku"], r["guid"]) for r in rows] == [
        ("SPB", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"), ("SPB", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"),
        ("O365_BUSINESS_ESSENTIALS", "3b555118-da6a-4418-894f-7df1e2096870"),
        ("ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900"),
        ("SPE_E3", "05e9a617-0261-4cee-bb44-138d3ef5d965"), ("AAD_PREMIUM", "078d2b04-f1bd-4111-bbd4-b4b1b354cef4"),
    ]
    assert rows[2]["product_name"] == "Microsoft 365 Business Basic (für gemeinnützige Organisationen)"
    assert rows[5]["product_name"] == "Azure Active Directory Premium P1"
    assert "client" not in rows[0]  # reference data belongs to no client
    assert result.records.get("sku_reference") is None


# --------------------------------------------------------------------------- RMM


def test_datto_rmm_device_details(ingest_case):
    result = ingest_case("datto_rmm_device_details")
    path = "rmm/DeviceDetailsExport.csv"
    report = check_file(result, path, "datto_rmm_device_details", rows=7, accepted=5, encoding="utf-8-sig")
    assert report.warnings == [guess_warning("Acme Dental - Main", ACME, "site suffix removed", 4)]
    assert report.newest_date == "2026-05-22"
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": ACME, "site": "Acme Dental - Main", "hostname": "ACME-FD-01",
         "device_type": "desktop", "os": "Microsoft Windows 11 Pro 10.0.26100", "last_seen": DT(2026, 5, 22, 11, 24, 23),
         "av_status": "running", "av_product": "Microsoft Defender Antivirus: running", "enrolled_date": D(2023, 3, 27),
         "last_reboot": DT(2026, 5, 20, 8, 1, 10)},
        {"_src": f"{path}:3", "client": ACME, "site": "Acme Dental - Main", "hostname": "ACME-SRV01",
         "device_type": "server", "os": "Microsoft Windows Server 2016 Standard 10.0.14393",
         "last_seen": DT(2026, 5, 22, 11, 20, 2), "av_status": "not_running",
         "av_product": "Webroot SecureAnywhere: not running", "enrolled_date": D(2019, 6, 24),
         "last_reboot": DT(2026, 5, 17, 2, 0)},
        {"_src": f"{path}:5", "client": CEDAR, "site": CEDAR, "hostname": "CF-LAW-01", "device_type": "laptop",
         "os": "Microsoft Windows 11 Pro 10.0.26200", "last_seen": DT(2026, 5, 21, 17, 2, 44), "av_status": "running",
         "av_product": "SentinelOne: running", "enrolled_date": D(2025, 3, 10),
         "last_reboot": DT(2026, 5, 16, 5, 15, 23)},
        {"_src": f"{path}:6", "client": ACME, "site": "Acme Dental - Main", "hostname": "ACME-HYG-02",
         "device_type": "desktop", "os": "Microsoft Windows 10 Pro 10.0.19045", "last_seen": DT(2026, 5, 3, 7, 0),
         "av_status": "not_detected", "av_product": "Not Detected", "enrolled_date": D(2020, 2, 11),
         "last_reboot": DT(2026, 5, 1, 7, 0)},
        # "Off" inside a product name is not "off"
        {"_src": f"{path}:9", "client": ACME, "site": "Acme Dental - Main", "hostname": "ACME-RX-01",
         "device_type": "desktop", "os": "Microsoft Windows 10 Pro 10.0.19045", "last_seen": DT(2026, 5, 21, 16, 0),
         "av_status": "running", "av_product": "Trend Micro OfficeScan: running", "enrolled_date": D(2021, 6, 1),
         "last_reboot": DT(2026, 5, 21, 7, 0)},
    ]
    assert rejects(result, path) == [
        (7, "Site Name", "Zebra Vet Clinic - Main", "unknown client: Zebra Vet Clinic - Main"),
        # an Excel date serial (the cell lost its date format on a re-save) is not guessed at
        (8, "Last Seen", "46164.47", "last_seen: not a recognised date: '46164.47'"),
    ]


def test_datto_rmm_patch_summary(ingest_case):
    result = ingest_case("datto_rmm_patch_summary")
    path = "rmm/DevicePatchSummaryExport.csv"
    report = check_file(result, path, "datto_rmm_patch_summary", rows=6, accepted=5, encoding="utf-8-sig")
    assert report.warnings == [guess_warning("Acme Dental - Main", ACME, "site suffix removed", 2)]
    got = [(r["hostname"], r.get("patch_status"), r.get("patches_missing"), r.get("patches_installed"),
            r.get("patches_not_approved"), r["client"]) for r in records(result, "device", path)]
    assert got == [
        ("ACME-FD-01", "ok", 0, 1204, 0, ACME),  # "1,204"
        ("ACME-SRV01", "reboot_required", 12, 310, 3, ACME),
        ("CF-LAW-01", "install_error", 0, 195, 0, CEDAR),
        ("CF-LAW-02", "pending", 5, 49, 4, CEDAR),
        ("CF-LAW-03", "no_data", None, None, None, CEDAR),  # "No Data", empty counts: a coverage gap
    ]
    assert rejects(result, path) == [(7, "Patches Approved Pending", "2.5", "patches_missing: not a whole number: '2.5'")]


def test_datto_rmm_storage_with_junk_serials(ingest_case):
    result = ingest_case("datto_rmm_storage")
    path = "rmm/DeviceStorageExport.csv"
    check_file(result, path, "datto_rmm_storage", rows=8, accepted=7, encoding="utf-8-sig")
    got = [(int(r["_src"].rsplit(":", 1)[1]), r["hostname"], r.get("serial"), r.get("model"), r.get("manufacturer"))
           for r in records(result, "device", path)]
    assert got == [
        (2, "ACME-FD-01", "7XK2M93", "OptiPlex 7090", "Dell Inc."),
        (3, "ACME-FD-01", "7XK2M93", "OptiPlex 7090", "Dell Inc."),  # one row per drive
        (4, "ACME-IMG-01", None, "To be filled by O.E.M.", "To be filled by O.E.M."),
        (5, "ACME-IMG-02", None, "System Product Name", "ASUS"),
        (6, "ACME-BILL-01", None, "B460M DS3H", "Gigabyte"),
        (8, "CF-LAW-01", "PFE0R8YC", "ThinkPad X1 Carbon Gen 11", "LENOVO"),  # trailing spaces trimmed
        (10, "cf-law-05", "PF3ABC12", "ThinkPad T14 Gen 3", "LENOVO"),  # serials upper-cased
    ]
    assert rejects(result, path) == [(9, "Device Hostname / Serial Number", "",
                                      "no hostname or serial: the row identifies nothing")]


def test_ninjaone_api_devices_epoch_seconds_and_milliseconds(ingest_case):
    result = ingest_case("ninjaone_devices")
    path = "rmm/ninjaone_devices.csv"
    report = check_file(result, path, "ninjaone_devices", rows=6, accepted=5)
    assert report.warnings == [guess_warning("Granite Ridge Manufacturing, Inc.", GRANITE, "normalised name", 1)]
    rows = {r["hostname"]: r for r in records(result, "device", path)}
    assert rows["GR-MBP-01"] == {
        "_src": f"{path}:2", "client": GRANITE, "hostname": "GR-MBP-01", "device_type": "desktop", "os": "macOS Sonoma",
        "os_build": "14.7.1", "manufacturer": "Apple Inc.", "model": "MacBookPro16,1", "serial": "C021R4616F00",
        "last_seen": DT(2026, 5, 24, 10, 24, 23, 311000), "enrolled_date": D(2023, 5, 1),
        "warranty_end": D(2021, 1, 14), "external_id": "416"}
    # epoch milliseconds
    assert rows["GR-SRV-01"]["last_seen"] == DT(2026, 5, 30, 16, 45, 10)
    assert rows["GR-SRV-01"]["enrolled_date"] == D(2024, 9, 30)
    assert rows["GR-SRV-01"]["device_type"] == "server" and rows["GR-SRV-01"]["warranty_end"] == D(2026, 9, 30)
    assert "serial" not in rows["GR-WS-07"] and rows["GR-WS-07"]["last_seen"] == DT(2026, 4, 20, 7, 0)
    assert rows["GR-FW-01"]["device_type"] == "network"
    assert rows["GR-LNX-01"]["device_type"] == "server" and "last_seen" not in rows["GR-LNX-01"]
    assert report.newest_date == "2026-05-30"
    # Excel turned the epoch into scientific notation: rejected, not guessed
    assert rejects(result, path) == [(7, "lastContact", "1.77962E+09", "last_seen: not a recognised date: '1.77962E+09'")]


def test_ninjaone_grid_export_unverified_labels(ingest_case):
    result = ingest_case("ninjaone_devices_ui")
    path = "rmm/NinjaOne Devices.csv"
    report = check_file(result, path, "ninjaone_devices_ui", rows=3, accepted=3, encoding="utf-8-sig")
    assert report.verified == "no" and report.warnings == []  # 'Cedar and Finch' is a roster alias
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": CEDAR, "site": "Main Office", "hostname": "CF-LAW-10", "device_type": "laptop",
         "os": "Windows 11 Professional Edition", "os_build": "26100", "last_seen": DT(2026, 5, 22, 11, 24),
         "serial": "PF4XYZ01", "manufacturer": "LENOVO", "model": "21HM"},
        {"_src": f"{path}:3", "client": CEDAR, "site": "Main Office", "hostname": "CF-SRV-01", "device_type": "server",
         "os": "Windows Server 2019 Standard", "os_build": "17763", "last_seen": DT(2026, 5, 22, 14, 5),
         "manufacturer": "Dell Inc.", "model": "PowerEdge T340"},
        {"_src": f"{path}:4", "client": CEDAR, "site": "Remote", "hostname": "CF-MAC-01", "device_type": "desktop",
         "os": "macOS 15.4", "os_build": "24E248", "last_seen": DT(2026, 5, 21, 21, 0), "serial": "C02ZK1XYMD6R",
         "manufacturer": "Apple Inc.", "model": "MacBookPro18,3"},
    ]


def test_connectwise_automate_computers(ingest_case):
    result = ingest_case("cw_automate_computers")
    path = "rmm/automate_computers.csv"
    check_file(result, path, "cw_automate_computers", rows=4, accepted=3)
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": ACME, "site": "Main Office", "hostname": "ACME-FD-02", "device_type": "desktop",
         "status": "Online", "os": "Microsoft Windows 11 Pro x64", "os_build": "10.0.26100", "serial": "5CG1234XYZ",
         "manufacturer": "HP", "last_seen": DT(2026, 5, 30, 14, 2, 11), "enrolled_date": D(2022, 1, 10),
         "purchase_date": D(2021, 12, 20), "warranty_end": D(2024, 12, 20), "external_id": "101"},
        {"_src": f"{path}:3", "client": ACME, "site": "Main Office", "hostname": "ACME-HV-01", "device_type": "server",
         "status": "Online", "os": "Microsoft Windows Server 2022 Standard x64", "os_build": "10.0.20348",
         "manufacturer": "Dell Inc.", "last_seen": DT(2026, 5, 30, 9, 15), "enrolled_date": D(2022, 3, 1),
         "purchase_date": D(2022, 2, 15), "warranty_end": D(2027, 2, 15), "external_id": "102"},
        {"_src": f"{path}:4", "client": ACME, "site": "Main Office", "hostname": "ACME-VM-01", "device_type": "server",
         "status": "Offline", "os": "Microsoft Windows Server 2019 Standard x64", "os_build": "10.0.17763",
         "manufacturer": "Microsoft Corporation", "last_seen": DT(2026, 3, 1, 8, 0), "enrolled_date": D(2022, 3, 2),
         "external_id": "103"},
    ]
    assert rejects(result, path) == [(5, "Client.Name", "Granite Ridge Mfg", "unknown client: Granite Ridge Mfg")]
    assert result.suggestions["Granite Ridge Mfg"][0] == GRANITE


def test_nable_devices_iso_times_with_offsets(ingest_case):
    result = ingest_case("nable_devices")
    path = "rmm/ncentral_devices.csv"
    report = check_file(result, path, "nable_devices", rows=4, accepted=3)
    assert report.warnings == [guess_warning("Cedar & Finch, LLP", CEDAR, "normalised name", 1)]
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": CEDAR, "site": "Main Office", "hostname": "CF-DC01", "device_type": "server",
         "os": "Windows Server 2019", "last_seen": DT(2026, 5, 30, 10, 22, 31), "external_id": "1987654321"},
        # -04:00 and +02:00 are converted to naive UTC
        {"_src": f"{path}:3", "client": CEDAR, "site": "Main Office", "hostname": "CF-WS-22", "device_type": "desktop",
         "os": "Windows 11", "last_seen": DT(2026, 5, 30, 10, 22, 31), "external_id": "1987654322"},
        {"_src": f"{path}:4", "client": CEDAR, "site": "Main Office", "hostname": "CF-ESX-01", "device_type": "server",
         "os": "VMware ESXi 7.0", "last_seen": DT(2026, 5, 29, 21, 59, 59), "external_id": "1987654323"},
    ]
    assert rejects(result, path) == [(5, "longName", "", "no hostname or serial: the row identifies nothing")]


def test_kaseya_vsa_agents_machine_groups_through_roster_aliases(ingest_case):
    result = ingest_case("kaseya_vsa_agents")
    path = "rmm/vsa_agents.csv"
    report = check_file(result, path, "kaseya_vsa_agents", rows=3, accepted=2)
    assert report.warnings == []  # aliases are roster data, not guesses
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": ACME, "hostname": "ACME-FD-04",
         "os": "Microsoft Windows 10 Pro x64 Edition Build 19045", "last_seen": DT(2026, 5, 31, 9, 12, 44),
         "status": "online", "external_id": "731044912345678"},
        {"_src": f"{path}:3", "client": ACME, "hostname": "ACME-DC01",
         "os": "Microsoft Windows Server 2019 Standard x64 Edition Build 17763", "last_seen": DT(2026, 5, 18, 22, 1),
         "status": "offline", "external_id": "731044912345679"},
    ]
    assert rejects(result, path) == [(4, "MachineGroup", "laptops.cedarfinch", "unknown client: laptops.cedarfinch")]


# --------------------------------------------------------------------------- PSA


def test_connectwise_manage_configurations(ingest_case):
    result = ingest_case("cw_manage_configurations")
    path = "psa/cw_configurations.csv"
    report = check_file(result, path, "cw_manage_configurations", rows=7, accepted=4)
    assert report.warnings == [guess_warning("Acme Dental, Inc.", ACME, "normalised name", 3)]
    assert records(result, "device", path) == [
        # the record starts on line 2; its notes cell runs onto line 3
        {"_src": f"{path}:2", "client": ACME, "hostname": "ACME-SRV01.acme.local", "device_type": "server",
         "status": "Active", "serial": "GLJD9R6", "model": "PowerEdge T440", "purchase_date": D(2019, 6, 12),
         "install_date": D(2019, 6, 24), "warranty_end": D(2024, 6, 12),
         "os": "Microsoft Windows Server 2016 Standard x64", "os_build": "10.0.14393", "manufacturer": "Dell",
         "external_id": "1194"},
        # re-saved from a spreadsheet: US dates with AM/PM, trailing spaces
        {"_src": f"{path}:4", "client": ACME, "hostname": "ACME-FD-01.acme.local", "device_type": "desktop",
         "status": "Active", "serial": "7XK2M93", "model": "OptiPlex 7090", "purchase_date": D(2021, 10, 18),
         "install_date": D(2021, 11, 1), "warranty_end": D(2024, 10, 18), "os": "Microsoft Windows 11 Pro x64",
         "os_build": "10.0.26100", "manufacturer": "Dell", "external_id": "1199"},
        {"_src": f"{path}:5", "client": ACME, "hostname": "ACME-IMG-01.acme.local", "device_type": "desktop",
         "status": "Active", "model": "To Be Filled By O.E.M.", "purchase_date": D(2020, 3, 2),
         "os": "Microsoft Windows 10 Pro x64", "os_build": "10.0.19045", "manufacturer": "Custom Build",
         "external_id": "1203"},
        {"_src": f"{path}:8", "client": CEDAR, "hostname": "CF-FW01", "device_type": "network", "status": "Active",
         "serial": "2CB8ED5678CD", "model": "NSa 2700", "purchase_date": D(2023, 1, 15),
         "install_date": D(2023, 1, 20), "warranty_end": D(2026, 1, 15), "manufacturer": "SonicWall",
         "external_id": "1300"},
    ]
    # physical line numbers survive the blank line and the multi-line cells before them
    assert rejects(result, path) == [
        (7, "warrantyExpirationDate", "31/31/2020", "warranty_end: not a valid date: '31/31/2020'"),
        (11, "purchaseDate", "TBD", "purchase_date: not a recognised date: 'TBD'"),
        (12, "name / serialNumber", "", "no hostname or serial: the row identifies nothing"),
    ]


def test_connectwise_manage_configurations_ui_utf16_tab_text(ingest_case):
    result = ingest_case("cw_manage_configurations_ui")
    path = "psa/Configurations.txt"
    report = check_file(result, path, "cw_manage_configurations_ui", rows=2, accepted=2, encoding="utf-16")
    assert report.verified == "no"
    assert report.warnings == [guess_warning("Acme Dental, Inc.", ACME, "normalised name", 1)]
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": ACME, "site": "Main", "hostname": "ACME-FD-05", "device_type": "desktop",
         "status": "Active", "serial": "J8KQ2M3", "model": "OptiPlex 7010", "manufacturer": "Dell",
         "purchase_date": D(2023, 3, 14), "install_date": D(2023, 3, 20), "warranty_end": D(2026, 3, 14)},
        {"_src": f"{path}:3", "client": GRANITE, "site": "Bâtiment B", "hostname": "GR-SW-01", "device_type": "network",
         "status": "Active", "serial": "CN12345678", "model": "Aruba 2930F 48G", "manufacturer": "HPE",
         "purchase_date": D(2022, 1, 5), "warranty_end": D(2027, 1, 5)},
    ]


def test_connectwise_manage_agreements(ingest_case):
    result = ingest_case("cw_manage_agreements")
    path = "psa/cw_agreements.csv"
    report = check_file(result, path, "cw_manage_agreements", rows=5, accepted=4)
    assert report.warnings == [guess_warning("Acme Dental, Inc.", ACME, "normalised name", 2),
                               guess_warning("Cedar & Finch, LLP", CEDAR, "normalised name", 2)]
    assert records(result, "contract", path) == [
        {"_src": f"{path}:2", "client": ACME, "name": "Acme - Managed Services", "type": "Managed Services",
         "start_date": D(2024, 1, 1), "end_date": D(2026, 12, 31), "no_end": False, "cancelled": False, "amount": 3250.0},
        {"_src": f"{path}:3", "client": ACME, "name": "Acme - BCDR", "type": "Backup", "start_date": D(2025, 3, 1),
         "no_end": True, "cancelled": False, "amount": 1450.0},
        {"_src": f"{path}:4", "client": CEDAR, "name": "Cedar - Block Hours", "type": "Block Time",
         "start_date": D(2023, 1, 1), "end_date": D(2023, 12, 31), "no_end": False, "cancelled": True, "amount": 0.0},
        {"_src": f"{path}:5", "client": CEDAR, "name": "Cedar - Managed Services", "type": "Managed Services",
         "start_date": D(2025, 1, 1), "end_date": D(2027, 12, 31), "no_end": False, "cancelled": False,
         "amount": 2100.0},
    ]
    assert rejects(result, path) == [(6, "startDate", "2025-02-30T00:00:00Z",
                                      "start_date: not a valid date: '2025-02-30T00:00:00Z'")]


def test_european_agreements_export_with_a_dayfirst_user_profile(ingest_case):
    result = ingest_case("cw_manage_agreements_ui")
    path = "psa/Vereinbarungen.csv"
    report = check_file(result, path, "cw_manage_agreements_ui", rows=4, accepted=3, encoding="cp1252")
    assert report.warnings == []
    assert records(result, "contract", path) == [
        {"_src": f"{path}:2", "client": GRANITE, "name": "Managed Services Premium", "type": "Managed Services",
         "start_date": D(2025, 7, 1), "end_date": D(2027, 6, 30), "amount": 1234.56, "cancelled": False,
         "no_end": False, "status": "Active"},
        {"_src": f"{path}:3", "client": GRANITE, "name": "Sicherheitspaket (EDR/SOC)", "type": "Security",
         "start_date": D(2025, 7, 1), "amount": 450.0, "cancelled": False, "no_end": True, "status": "Active"},
        {"_src": f"{path}:4", "client": GRANITE, "name": "Datensicherung; Cloud", "type": "Backup",
         "start_date": D(2024, 3, 15), "end_date": D(2026, 3, 14), "amount": 12000.0, "cancelled": True,
         "no_end": False, "status": "Cancelled"},
    ]
    assert rejects(result, path) == [(5, "Start Date", "31.02.2024", "start_date: not a valid date: '31.02.2024'")]


def test_european_export_without_the_user_profile_is_not_silently_accepted(tmp_path):
    inputs = copy_case("cw_manage_agreements_ui", tmp_path / "in")
    (inputs / "profiles" / "cw_manage_agreements_ui.toml").unlink()
    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF))
    check_accounting(result)
    report = only_file(result, "psa/Vereinbarungen.csv")
    assert report.format == "cw_manage_agreements_ui" and report.accepted == 0 and report.rejected == 4
    reasons = sorted(r.reason for r in result.rejects)
    assert not any("30.06.2027" in r for r in reasons)  # dotted dates are read day first
    assert "cancelled: not a yes/no value: 'falsch'" in reasons  # German booleans need the value map


def test_european_export_through_a_format_override(tmp_path):
    """The same file read by a differently named user profile, chosen by a per-file override."""
    inputs = copy_case("cw_manage_agreements_ui", tmp_path / "in")
    profile = inputs / "profiles" / "cw_manage_agreements_ui.toml"
    text = profile.read_text(encoding="utf-8").replace('name = "cw_manage_agreements_ui"', 'name = "eu_agreements"')
    profile.unlink()
    (inputs / "profiles" / "eu_agreements.toml").write_text(text, encoding="utf-8")
    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF, format_overrides={"psa/*.csv": "eu_agreements"}))
    check_accounting(result)
    report = only_file(result, "psa/Vereinbarungen.csv")
    assert (report.format, report.accepted, report.rejected) == ("eu_agreements", 3, 1)
    assert [r["amount"] for r in result.records["contract"]] == [1234.56, 450.0, 12000.0]


def test_autotask_configuration_items_resolve_company_ids_through_psa_id(ingest_case):
    result = ingest_case("autotask_configuration_items")
    path = "psa/autotask_configuration_items.csv"
    report = check_file(result, path, "autotask_configuration_items", rows=4, accepted=3)
    assert report.warnings == []
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": GRANITE, "hostname": "GR-WS-001", "serial": "8CC1234ABC",
         "install_date": D(2022, 2, 14), "warranty_end": D(2025, 2, 14), "os": "Microsoft Windows 10 Pro",
         "patches_missing": 3, "status": "active", "external_id": "29684001"},
        {"_src": f"{path}:3", "client": GRANITE, "hostname": "GR-WS-002", "install_date": D(2022, 2, 14),
         "warranty_end": D(2025, 2, 14), "os": "Microsoft Windows 10 Pro", "patches_missing": 7, "status": "inactive",
         "external_id": "29684002"},
        # referenceTitle is the hostname column; an empty one is not replaced by another column's value
        {"_src": f"{path}:5", "client": GRANITE, "serial": "CNU1234", "install_date": D(2021, 9, 9),
         "warranty_end": D(2024, 9, 9), "os": "Microsoft Windows 11 Pro", "patches_missing": 0, "status": "active",
         "external_id": "29684004"},
    ]
    # company 0 is the MSP itself
    assert rejects(result, path) == [(4, "companyID", "0", "unknown client: 0")]


def test_autotask_contracts(ingest_case):
    result = ingest_case("autotask_contracts")
    path = "psa/autotask_contracts.csv"
    check_file(result, path, "autotask_contracts", rows=3, accepted=2)
    assert records(result, "contract", path) == [
        {"_src": f"{path}:2", "client": GRANITE, "name": "Granite Ridge - Managed Services", "type": "7",
         "start_date": D(2025, 7, 1), "end_date": D(2027, 6, 30), "status": "In Effect"},
        {"_src": f"{path}:3", "client": GRANITE, "name": "Granite Ridge - Block Hours", "type": "4",
         "start_date": D(2024, 1, 1), "end_date": D(2024, 12, 31), "status": "Inactive"},
    ]
    assert rejects(result, path) == [(4, "contractName", "", "no name: the row identifies nothing")]


def test_datto_rmm_devices_api(ingest_case):
    """What `vcio pull datto-rmm` writes: the API's enums map onto the canonical values."""
    result = ingest_case("datto_rmm_devices_api")
    path = "datto-rmm/devices.csv"
    check_file(result, path, "datto_rmm_devices_api", rows=4, accepted=3)
    common = {"client": ACME, "site": ACME, "enrolled_date": D(2023, 5, 1)}
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", **common, "hostname": "ACME-WS-01", "external_id": "6f1c-01", "device_type": "desktop",
         "os": "Microsoft Windows 11 Pro 26100", "last_seen": DT(2026, 5, 24, 10, 24, 23),
         "av_product": "Windows Defender Antivirus", "av_status": "running", "patch_status": "ok",
         "patches_missing": 0, "patches_installed": 152, "warranty_end": D(2027, 3, 1), "serial": "5CG1234XYZ",
         "manufacturer": "HP", "model": "HP EliteDesk 800 G6"},
        {"_src": f"{path}:3", **common, "hostname": "ACME-SRV-01", "external_id": "6f1c-02", "device_type": "server",
         "os": "Microsoft Windows Server 2019 Standard 17763", "last_seen": DT(2026, 5, 24, 10, 24, 23),
         "av_status": "not_detected", "patch_status": "reboot_required", "patches_missing": 3,
         "patches_installed": 98, "serial": "JX9K2M3", "manufacturer": "Dell Inc.", "model": "PowerEdge T340"},
        {"_src": f"{path}:4", **common, "hostname": "ACME-LT-02", "external_id": "6f1c-03", "device_type": "laptop",
         "os": "Microsoft Windows 10 Pro 19045", "last_seen": DT(2026, 4, 20, 7, 0),
         "av_product": "Windows Defender Antivirus", "av_status": "not_running", "patch_status": "install_error",
         "patches_missing": 12, "patches_installed": 80},
    ]
    assert rejects(result, path) == [(5, "hostname / bios.serialNumber", "",
                                      "no hostname or serial: the row identifies nothing")]


def test_m365_subscribed_skus_are_reference_data_not_seats(ingest_case):
    result = ingest_case("m365_subscribed_skus")
    path = "m365/acmedental.com/subscribed_skus.csv"
    check_file(result, path, "m365_subscribed_skus", rows=2, accepted=2)
    assert records(result, "sku_reference", path) == [
        {"_src": f"{path}:2", "guid": "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "sku": "SPB",
         "product_name": "Microsoft 365 Business Premium"},
        {"_src": f"{path}:3", "guid": "3b555118-da6a-4418-894f-7df1e2096870", "sku": "O365_BUSINESS_ESSENTIALS",
         "product_name": "Microsoft 365 Business Basic"},
    ]
    assert "subscription" not in result.records


def test_halopsa_assets(ingest_case):
    result = ingest_case("halopsa_assets")
    path = "psa/halo_assets.csv"
    report = check_file(result, path, "halopsa_assets", rows=4, accepted=3)
    assert report.warnings == [guess_warning("Granite Ridge Manufacturing Inc", GRANITE, "normalised name", 1)]
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": GRANITE, "site": "Plant", "hostname": "GR-WS-001", "serial": "8CC1234ABC",
         "device_type": "desktop", "status": "Active", "warranty_start": D(2022, 2, 14), "warranty_end": D(2025, 2, 14),
         "external_id": "501"},
        {"_src": f"{path}:3", "client": GRANITE, "site": "Office", "hostname": "GR-LT-004", "serial": "CNU1234",
         "device_type": "laptop", "status": "Active", "external_id": "502"},
        {"_src": f"{path}:5", "client": GRANITE, "site": "Plant", "hostname": "gr-srv-01", "serial": "HX2Y7K3",
         "device_type": "server", "status": "Active", "warranty_start": D(2024, 9, 30), "warranty_end": D(2029, 9, 30),
         "external_id": "504"},
    ]
    assert rejects(result, path) == [(4, "key_field / key_field2", "", "no hostname or serial: the row identifies nothing")]


# --------------------------------------------------------------------------- distributors, warranty


def test_pax8_subscriptions(ingest_case):
    result = ingest_case("pax8_subscriptions")
    path = "pax8/subscriptions.csv"
    report = check_file(result, path, "pax8_subscriptions", rows=5, accepted=4)
    # 'ACME DENTAL' equals the roster name but for case: not a guess
    assert report.warnings == [guess_warning("Cedar & Finch, LLP", CEDAR, "normalised name", 1),
                               guess_warning("Granite Ridge Manufacturing Inc", GRANITE, "normalised name", 1)]
    assert records(result, "subscription", path) == [
        {"_src": f"{path}:2", "client": ACME, "product": "Microsoft 365 Business Premium",
         "sku": "611fef5c-e13a-40e7-9d80-6039315c8790", "quantity": 16, "billing_term": "monthly",
         "commitment_end": D(2027, 6, 30), "start_date": D(2025, 7, 1), "price": 22.0, "partner_cost": 18.48,
         "status": "Active", "vendor": "Pax8"},
        {"_src": f"{path}:3", "client": CEDAR, "product": "Microsoft 365 Business Premium",
         "sku": "611fef5c-e13a-40e7-9d80-6039315c8790", "quantity": 75, "billing_term": "annual",
         "commitment_end": D(2027, 5, 31), "start_date": D(2026, 6, 1), "price": 22.0, "partner_cost": 18.7,
         "status": "Active", "vendor": "Pax8"},
        {"_src": f"{path}:4", "client": GRANITE, "product": "Exchange Online (Plan 1)",
         "sku": "093813ac-86a4-4870-a01d-ef8bdf056630", "quantity": 1200, "billing_term": "annual",
         "commitment_end": D(2027, 1, 31), "start_date": D(2026, 2, 1), "price": 4.0, "partner_cost": 3.4,
         "status": "Active", "vendor": "Pax8"},
        {"_src": f"{path}:5", "client": ACME, "product": "Microsoft 365 Business Standard",
         "sku": "7a7a7a7a-86a4-4870-a01d-ef8bdf056630", "quantity": 2, "billing_term": "monthly",
         "start_date": D(2023, 2, 1), "end_date": D(2025, 1, 31), "price": 12.5, "partner_cost": 10.5,
         "status": "Cancelled", "vendor": "Pax8"},
    ]
    assert rejects(result, path) == [(6, "quantity", "three", "quantity: not a number: 'three'")]


def test_pax8_subscriptions_as_xlsx(tmp_path):
    """The same export saved as a workbook: numbers, dates and booleans arrive as typed cells."""
    from openpyxl import Workbook

    inputs = tmp_path / "in"
    (inputs / "pax8").mkdir(parents=True)
    (inputs / "clients.csv").write_bytes((FIXTURES / "clients.csv").read_bytes())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Subscriptions"
    sheet.append(["companyName", "productName", "quantity", "billingTerm", "commitmentTerm.endDate", "startDate",
                  "endDate", "price", "partnerCost", "status"])
    sheet.append(["ACME DENTAL", "Microsoft 365 Business Premium", 16, "Monthly", DT(2027, 6, 30), D(2025, 7, 1),
                  None, 22, 18.48, "Active"])
    sheet.append([])  # an empty row: not a record
    sheet.append(["Cedar & Finch, LLP", "Microsoft 365 Business Premium", 75.0, "Annual", "2027-05-31", "2026-06-01",
                  None, "$22.00", 18.7, "Active"])
    sheet.append(["Granite Ridge Manufacturing", "Exchange Online (Plan 1)", 2.5, "Annual", None, None, None, 4, 3.4,
                  "Active"])
    sheet.append(["Zebra Vet Clinic", "Microsoft 365 Business Basic", 3, "Monthly", None, None, None, 6, 5.1, "Active"])
    workbook.save(inputs / "pax8" / "subscriptions.xlsx")

    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF))
    check_accounting(result)
    path = "pax8/subscriptions.xlsx"
    report = check_file(result, path, "pax8_subscriptions", rows=4, accepted=2, encoding="xlsx")
    assert report.warnings == [guess_warning("Cedar & Finch, LLP", CEDAR, "normalised name", 1)]
    assert records(result, "subscription", path) == [
        {"_src": f"{path}:2", "client": ACME, "product": "Microsoft 365 Business Premium", "quantity": 16,
         "billing_term": "monthly", "commitment_end": D(2027, 6, 30), "start_date": D(2025, 7, 1), "price": 22.0,
         "partner_cost": 18.48, "status": "Active", "vendor": "Pax8"},
        {"_src": f"{path}:4", "client": CEDAR, "product": "Microsoft 365 Business Premium", "quantity": 75,
         "billing_term": "annual", "commitment_end": D(2027, 5, 31), "start_date": D(2026, 6, 1), "price": 22.0,
         "partner_cost": 18.7, "status": "Active", "vendor": "Pax8"},
    ]
    assert rejects(result, path) == [
        (5, "quantity", "2.5", "quantity: not a whole number: '2.5'"),
        (6, "companyName", "Zebra Vet Clinic", "unknown client: Zebra Vet Clinic"),
    ]


def test_distributor_subscriptions_with_partner_center_field_names(ingest_case):
    result = ingest_case("distributor_subscriptions_generic")
    path = "distributor/csp_subscriptions.csv"
    check_file(result, path, "distributor_subscriptions_generic", rows=3, accepted=3)
    assert records(result, "subscription", path) == [
        {"_src": f"{path}:2", "client": CEDAR, "product": "Microsoft 365 Business Premium", "sku": "CFQ7TTC0LCHC:0002",
         "quantity": 48, "billing_term": "annual", "commitment_end": D(2027, 5, 31), "start_date": D(2024, 6, 1),
         "status": "active", "vendor": "Microsoft"},
        {"_src": f"{path}:3", "client": CEDAR, "product": "Exchange Online (Plan 1)", "sku": "CFQ7TTC0LH16:0001",
         "quantity": 6, "billing_term": "monthly", "commitment_end": D(2025, 2, 14), "start_date": D(2025, 1, 15),
         "status": "active", "vendor": "Microsoft"},
        {"_src": f"{path}:4", "client": CEDAR, "product": "Microsoft 365 E5", "sku": "CFQ7TTC0LF8Q:0001",
         "quantity": 2, "billing_term": "3-year", "commitment_end": D(2028, 5, 31), "start_date": D(2025, 6, 1),
         "status": "suspended", "vendor": "Microsoft"},
    ]


def test_pswarranty_multi_entitlement_cells(ingest_case):
    result = ingest_case("pswarranty")
    path = "warranty/pswarranty.csv"
    report = check_file(result, path, "pswarranty", rows=5, accepted=4, encoding="utf-8-sig")
    assert report.warnings == [guess_warning("Acme Dental, Inc.", ACME, "normalised name", 2)]
    assert records(result, "warranty", path) == [
        {"_src": f"{path}:2", "client": ACME, "serial": "GLJD9R6",
         "warranty_product": "ProSupport Next Business Day Onsite / Keep Your Hard Drive for Enterprise",
         "warranty_start": D(2019, 6, 17), "warranty_end": D(2024, 6, 12), "warranty_status": "Expired"},
        # two entitlements in one record (lines 4-7): cover from the earliest start to the latest end
        {"_src": f"{path}:4", "client": ACME, "serial": "7XK2M93", "warranty_product": "ProSupport / ProSupport Plus",
         "warranty_start": D(2021, 10, 18), "warranty_end": D(2026, 10, 18), "warranty_status": "OK"},
        {"_src": f"{path}:8", "client": CEDAR, "serial": "J8KQ2M3",
         "warranty_product": "Could not get warranty information"},
        {"_src": f"{path}:11", "client": CEDAR, "serial": "PF4XYZ01", "warranty_product": "Premier Support",
         "warranty_start": D(2024, 2, 1), "warranty_end": D(2027, 1, 31), "warranty_status": "OK"},
    ]
    assert rejects(result, path) == [(10, "Serial", "", "no serial: the row identifies nothing")]


# --------------------------------------------------------------------------- vcio's own files


def test_vcio_roster(ingest_case):
    result = ingest_case("vcio_clients")
    report = check_file(result, "clients.csv", "vcio_clients", rows=5, accepted=3, encoding="utf-8-sig")
    assert report.entity == "client"
    assert records(result, "client", "clients.csv") == [
        {"_src": "clients.csv:2", "name": ACME, "aliases": ["Acme Dental, Inc.", "Acme Dental - Main", "ACME-DENTAL"],
         "domains": ["acmedental.com", "acmedental.onmicrosoft.com"], "psa_id": "AcmeDental", "tier": "Standard",
         "vcio": "Dana Whitfield", "fiscal_year_start": 1, "cadence": "quarterly"},
        {"_src": "clients.csv:3", "name": CEDAR, "aliases": ["Cedar and Finch"],
         "domains": ["cedarfinch.com", "cedarfinchllp.onmicrosoft.com"], "psa_id": "CedarFinch", "tier": "Premium",
         "vcio": "Marcus Oyelaran", "fiscal_year_start": 4, "cadence": "quarterly"},
        {"_src": "clients.csv:7", "name": "Sunrise Pediatrics", "domains": ["sunrisepeds.com"], "tier": "Essentials",
         "cadence": "semiannual"},
    ]
    assert rejects(result, "clients.csv") == [
        (5, "name", "", "no name: the row identifies nothing"),
        (6, "fiscal_year_start", "July", "fiscal_year_start: not a number: 'July'"),
    ]
    assert result.clients == [ACME, CEDAR, "Sunrise Pediatrics"]
    # an alias is the roster speaking, not a guess
    devices = only_file(result, "rmm/devices.csv")
    assert devices.warnings == [] and [r["client"] for r in result.records["device"]] == [ACME, "Sunrise Pediatrics"]


def test_vcio_devices(ingest_case):
    result = ingest_case("vcio_devices")
    path = "other/devices.csv"
    report = check_file(result, path, "vcio_devices", rows=4, accepted=3)
    assert report.newest_date == "2026-05-22"
    assert records(result, "device", path) == [
        {"_src": f"{path}:2", "client": ACME, "site": "Main", "hostname": "ACME-NAS01", "serial": "2010ABCDEF",
         "device_type": "storage", "os": "DSM 7.2", "os_build": "72806", "manufacturer": "Synology", "model": "DS920+",
         "purchase_date": D(2021, 3, 1), "install_date": D(2021, 3, 5), "warranty_start": D(2021, 3, 1),
         "warranty_end": D(2024, 3, 1), "enrolled_date": D(2021, 3, 5),
         "last_seen": DT(2026, 5, 22, 10, 24, 23),  # epoch milliseconds
         "last_backup": DT(2026, 5, 21, 23, 0), "backup_status": "Success", "status": "active", "external_id": "nas-1"},
        {"_src": f"{path}:3", "client": ACME, "site": "Main", "hostname": "ACME-FD-01", "serial": "7XK2M93",
         "device_type": "desktop", "os": "Windows 11 Pro", "os_build": "26100", "manufacturer": "Dell",
         "model": "OptiPlex 7090", "purchase_date": D(2021, 10, 18), "last_seen": DT(2026, 5, 22, 14, 24, 23),
         "av_product": "Defender", "av_status": "running", "patch_status": "reboot_required", "patches_missing": 2,
         "patches_installed": 1204, "status": "active"},  # last_backup 'never' is no date
        {"_src": f"{path}:4", "client": CEDAR, "hostname": "CF-LAW-01", "serial": "PFE0R8YC", "device_type": "laptop",
         "os": "Windows 11 Pro", "os_build": "26200", "manufacturer": "Lenovo", "model": "ThinkPad X1 Carbon Gen 11",
         "purchase_date": D(2023, 3, 1), "warranty_end": D(2026, 3, 1), "last_seen": DT(2026, 5, 22, 11, 52, 58),
         "av_product": "SentinelOne", "av_status": "not_running", "patch_status": "ok", "patches_missing": 0,
         "patches_installed": 195, "status": "active"},
    ]
    assert rejects(result, path) == [(5, "purchase_date", "2026-13-01", "purchase_date: not a valid date: '2026-13-01'")]


def test_vcio_users(ingest_case):
    result = ingest_case("vcio_users")
    path = "other/users.csv"
    check_file(result, path, "vcio_users", rows=3, accepted=2)
    assert records(result, "user", path) == [
        {"_src": f"{path}:2", "client": ACME, "upn": "pat@acmedental.com", "display_name": "Pat Lee", "blocked": False,
         "account_enabled": True, "licenses": ["Microsoft 365 Business Premium", "Microsoft Defender for Office 365 (Plan 1)"],
         "created": D(2024, 1, 5), "user_type": "Member", "department": "Front Office", "title": "Office Manager"},
        {"_src": f"{path}:3", "client": CEDAR, "upn": "old.partner@cedarfinch.com", "display_name": "Old Partner",
         "blocked": True, "account_enabled": False, "created": D(2015, 6, 30), "user_type": "Member",
         "department": "Legal", "title": "Partner"},
    ]
    assert rejects(result, path) == [(4, "upn", "", "no upn: the row identifies nothing")]


def test_vcio_subscriptions(ingest_case):
    result = ingest_case("vcio_subscriptions")
    path = "other/subscriptions.csv"
    check_file(result, path, "vcio_subscriptions", rows=3, accepted=2)
    assert records(result, "subscription", path) == [
        {"_src": f"{path}:2", "client": ACME, "product": "Microsoft 365 Business Premium", "sku": "SPB",
         "vendor": "Microsoft", "quantity": 16, "billing_term": "annual", "commitment_end": D(2027, 6, 30),
         "start_date": D(2026, 7, 1), "price": 22.0, "partner_cost": 18.7, "status": "active"},
        {"_src": f"{path}:3", "client": CEDAR, "product": "Adobe Acrobat Pro", "vendor": "Adobe", "quantity": 1200,
         "billing_term": "monthly", "start_date": D(2025, 1, 1), "price": 19.99, "partner_cost": 1234.56,
         "status": "active"},
    ]
    assert rejects(result, path) == [(4, "price", "twenty", "price: not a number: 'twenty'")]


def test_vcio_contracts(ingest_case):
    result = ingest_case("vcio_contracts")
    path = "other/contracts.csv"
    check_file(result, path, "vcio_contracts", rows=3, accepted=2)
    assert records(result, "contract", path) == [
        {"_src": f"{path}:2", "client": ACME, "name": "Printer lease", "type": "Lease", "start_date": D(2024, 4, 1),
         "end_date": D(2027, 3, 31), "amount": 1250.0, "no_end": False, "cancelled": False, "status": "active"},
        {"_src": f"{path}:3", "client": CEDAR, "name": "Phone system", "type": "Telecom", "start_date": D(2023, 1, 1),
         "amount": 89.0, "no_end": True, "cancelled": False, "status": "active"},
    ]
    assert rejects(result, path) == [(4, "end_date", "31/12/2026", "end_date: not a valid date: '31/12/2026'")]


def test_vcio_goals(ingest_case):
    result = ingest_case("vcio_goals")
    check_file(result, "goals.csv", "vcio_goals", rows=3, accepted=2)
    assert records(result, "goal", "goals.csv") == [
        {"_src": "goals.csv:2", "client": ACME, "goal": "Pass the HIPAA risk assessment", "target_date": D(2026, 12, 31),
         "owner": "Dana Whitfield", "success_metric": "No high findings", "priority": "High",
         "tags": ["security", "compliance"], "initiative": "HIPAA-2026"},
        # a multi-line text cell becomes one line
        {"_src": "goals.csv:3", "client": GRANITE, "goal": "Open the Reno / warehouse", "target_date": D(2027, 3, 31),
         "owner": "Plant Manager", "success_metric": "Warehouse live on the network", "priority": "Medium",
         "tags": ["growth"]},
    ]
    assert rejects(result, "goals.csv") == [(5, "target_date", "Q4 2026", "target_date: not a recognised date: 'Q4 2026'")]


def test_vcio_decisions(ingest_case):
    result = ingest_case("vcio_decisions")
    check_file(result, "decisions.csv", "vcio_decisions", rows=2, accepted=1)
    assert records(result, "decision", "decisions.csv") == [
        {"_src": "decisions.csv:2", "client": ACME, "item_id": "HW-ACME-SRV01", "decision": "deferred",
         "decided_on": D(2026, 5, 15), "decided_by": "Dr. Acme", "note": "Budget next fiscal year",
         "revisit_quarter": "2027-Q1"},
    ]
    assert rejects(result, "decisions.csv") == [(3, "client", "Acme Dentistry Group", "unknown client: Acme Dentistry Group")]
    assert result.suggestions == {"Acme Dentistry Group": [ACME]}


def test_vcio_exclusions(ingest_case):
    result = ingest_case("vcio_exclusions")
    check_file(result, "exclusions.csv", "vcio_exclusions", rows=2, accepted=2)
    assert records(result, "exclusion", "exclusions.csv") == [
        {"_src": "exclusions.csv:2", "client": ACME, "subject": "ACME-IMG-01", "rule": "hardware.age",
         "reason": "Vendor-certified imaging PC", "until": D(2027, 6, 30)},
        {"_src": "exclusions.csv:3", "client": CEDAR, "subject": "*", "rule": "license.inactive",
         "reason": "Litigation hold mailboxes"},
    ]


def test_fixtures_are_exactly_what_the_generator_writes(tmp_path):
    """Guard against an editor 'fixing' a BOM, an encoding or line ends by hand: the committed
    files must be byte for byte what make_fixtures.py writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.build(tmp_path)
    built = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(FIXTURES).as_posix(): p.read_bytes() for p in FIXTURES.rglob("*")
                 if p.is_file() and p.name not in {"make_fixtures.py", "README.md"} and "__pycache__" not in p.parts}
    assert sorted(built) == sorted(committed)
    for name, data in built.items():
        assert committed[name] == data, f"{name} differs from what make_fixtures.py writes"


@pytest.mark.parametrize("case", CASES)
def test_fixture_encodings_are_the_nasty_ones_intended(case):
    for path in sorted((FIXTURES / case).rglob("*")):
        if not path.is_file() or path.suffix == ".toml":
            continue
        data = path.read_bytes()
        if case == "cw_manage_configurations_ui":
            assert data.startswith(b"\xff\xfe") and "\t".encode("utf-16-le") in data  # UTF-16 LE BOM, tabs
        if case in {"m365_export_users_excel", "ms_product_service_plans", "cw_manage_agreements_ui"}:
            data.decode("cp1252")
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        if case in {"m365_export_users", "m365_active_user_detail", "datto_rmm_device_details", "pswarranty"}:
            assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data, path
        if case == "cw_manage_agreements_ui":
            assert data.count(b";") > data.count(b",")
