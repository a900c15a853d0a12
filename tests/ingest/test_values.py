from datetime import date, datetime

import pytest

from pipeline.ingest.values import (parse_av_status, parse_billing_term, parse_bool, parse_date, parse_datetime,
                                    parse_device_type, parse_int, parse_list, parse_money, parse_patch_status,
                                    parse_serial)


@pytest.mark.parametrize("text, expected", [
    ("2022-03-18 19:49:35Z", datetime(2022, 3, 18, 19, 49, 35)),
    ("2026-01-31T00:00:00Z", datetime(2026, 1, 31)),
    ("2026-05-22 11:24:23 CAT", datetime(2026, 5, 22, 11, 24, 23)),
    ("11/3/2021 2:15:00 PM", datetime(2021, 11, 3, 14, 15)),
    ("8/19/2021 1:25:31 AM", datetime(2021, 8, 19, 1, 25, 31)),
    ("12/12/2021 12:05:00 AM", datetime(2021, 12, 12, 0, 5)),
    ("1763551234", datetime(2025, 11, 19, 11, 20, 34)),
    ("1763551234000", datetime(2025, 11, 19, 11, 20, 34)),
    ("1763551234.5", datetime(2025, 11, 19, 11, 20, 34, 500000)),
    ("2026-11-20T10:00:00+02:00", datetime(2026, 11, 20, 8, 0)),
    ("", None), ("N/A", None), ("never", None),
])
def test_datetimes(text, expected):
    assert parse_datetime(text) == expected


def test_dayfirst_dates():
    assert parse_date("03/11/2021", dayfirst=True) == date(2021, 11, 3)
    assert parse_date("03/11/2021") == date(2021, 3, 11)


@pytest.mark.parametrize("text", ["31/31/2020", "not a date", "2021-13-45"])
def test_bad_dates_raise_with_the_value(text):
    with pytest.raises(ValueError) as info:
        parse_datetime(text)
    assert text in str(info.value)


@pytest.mark.parametrize("text, expected", [
    ("$1,234.50", 1234.5), ("22.00", 22.0), ("1.234,56", 1234.56), ("12,50", 12.5), ("(15.00)", -15.0),
    ("€ 99", 99.0), ("USD 1,000", 1000.0), ("", None),
])
def test_money(text, expected):
    assert parse_money(text) == expected


def test_int_rejects_fractions():
    assert parse_int("1,200") == 1200
    with pytest.raises(ValueError):
        parse_int("2.5")


@pytest.mark.parametrize("text, expected", [("True", True), ("TRUE", True), ("yes", True), ("1", True),
                                            ("False", False), ("FALSE", False), ("no", False), ("", None)])
def test_bool(text, expected):
    assert parse_bool(text) is expected


@pytest.mark.parametrize("junk", ["Default string", "To be filled by O.E.M.", "System Serial Number", "Not Specified",
                                  "None", " default  string ", "0000000"])
def test_junk_serials_become_empty(junk):
    assert parse_serial(junk) is None


def test_real_serial_is_kept_upper_case_and_trimmed():
    assert parse_serial(" 8h2k3l2\u00a0") == "8H2K3L2"


def test_license_lists():
    assert parse_list("Microsoft 365 Business Premium+Microsoft Defender for Office 365 (Plan 1)") == [
        "Microsoft 365 Business Premium", "Microsoft Defender for Office 365 (Plan 1)"]
    assert parse_list("Unlicensed") == []


@pytest.mark.parametrize("text, expected", [
    ("Windows Defender: running, up to date", "running"), ("SentinelOne: running", "running"),
    ("Windows Defender: not running", "not_running"), ("No antivirus detected", "not_detected"),
    ("RunningAndUpToDate", "running"), ("NotDetected", "not_detected"), ("NotRunning", "not_running"),
])
def test_av_status(text, expected):
    assert parse_av_status(text) == expected


@pytest.mark.parametrize("text, expected", [("Fully Patched", "ok"), ("Reboot Required", "reboot_required"),
                                            ("Install Error", "install_error"), ("Approved Pending", "pending"),
                                            ("No Policy", "no_policy"), ("No Data", "no_data"),
                                            ("Something new", "unknown")])
def test_patch_status(text, expected):
    assert parse_patch_status(text) == expected


@pytest.mark.parametrize("text, expected", [("Workstation", "desktop"), ("Laptop", "laptop"), ("Server", "server"),
                                            ("Firewall", "network"), ("Access Point", "network"), ("NAS", "storage"),
                                            ("WINDOWS_SERVER", "server"), ("Desktop", "desktop")])
def test_device_type(text, expected):
    assert parse_device_type(text) == expected


@pytest.mark.parametrize("text, expected", [("Monthly", "monthly"), ("Annual", "annual"), ("2-Year", "2-year"),
                                            ("3-Year", "3-year"), ("P1Y", "annual")])
def test_billing_term(text, expected):
    assert parse_billing_term(text) == expected


def test_dotted_dates_are_day_first():
    assert parse_date("01.07.2025") == date(2025, 7, 1)
    assert parse_date("30.06.2027") == date(2027, 6, 30)
