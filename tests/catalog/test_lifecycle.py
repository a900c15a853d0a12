"""Tests for pipeline.catalog (os_identity and lifecycle): OS identification, catalog dates, import, local additions."""

from __future__ import annotations

import functools
import json
import math
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parents[2]
try:
    import pipeline  # noqa: F401
except ModuleNotFoundError:  # repo not pip-installed and pytest config sets no pythonpath
    sys.path.insert(0, str(REPO_ROOT))

from pipeline.catalog.lifecycle import (  # noqa: E402
    CatalogError,
    LifecycleCatalog,
    SupportStatus,
    format_product,
    import_endoflife_json,
)
from pipeline.catalog.os_identity import OsIdentity, identify_os  # noqa: E402

DATA_DIR = REPO_ROOT / "pipeline" / "data" / "lifecycle"
SNAPSHOT = date(2026, 8, 1)  # the catalog's: the oldest file (the local additions, not refreshed since)
ENDOFLIFE_SNAPSHOT = "2026-08-22"  # endoflife.date data as of its commit a70eca3


@functools.cache
def _builtin_catalog() -> LifecycleCatalog:
    return LifecycleCatalog.load()


@pytest.fixture
def catalog() -> LifecycleCatalog:
    return _builtin_catalog()


def d(value: str) -> date:
    return date.fromisoformat(value)


# --------------------------------------------------------------------------- identification

# (caption, separate build column, product, cycle, edition, is_server)
IDENTIFY_CASES = [
    # Windows 11, build decides the release
    ("Microsoft Windows 11 Pro 10.0.26100", None, "windows", "11-24h2", "home-pro", False),
    ("Microsoft Windows 11 Pro", "10.0.26200", "windows", "11-25h2", "home-pro", False),
    ("Windows 11 Enterprise 10.0.22631.3880", None, "windows", "11-23h2", "enterprise", False),
    ("Windows 11 Education", "22621.4317", "windows", "11-22h2", "enterprise", False),
    ("Windows 11 Home 22000", None, "windows", "11-21h2", "home-pro", False),
    ("Windows 11 Pro 23H2", None, "windows", "11-23h2", "home-pro", False),
    ("Windows 11 Professional Edition (Build 26100) (64 Bit)", None, "windows", "11-24h2", "home-pro", False),
    ("Windows 11 Pro for Workstations", 26100, "windows", "11-24h2", "home-pro", False),
    ("Windows 11 Pro Education 24H2", None, "windows", "11-24h2", "home-pro", False),
    ("Windows 11 Enterprise multi-session", "10.0.26100", "windows", "11-24h2", "enterprise", False),
    ("Windows 11 Enterprise LTSC 2024", None, "windows", "11-24h2", "ltsc", False),
    ("Windows 11 IoT Enterprise LTSC 2024", "10.0.26100", "windows", "11-24h2", "iot-ltsc", False),
    ("Windows 11 Professional", None, "windows", None, "home-pro", False),  # no version: unknown cycle
    # a client build >= 22000 is Windows 11 whatever the caption says
    ("Microsoft Windows 10 Pro", "10.0.22631", "windows", "11-23h2", "home-pro", False),
    ("Windows 10 Enterprise 10.0.26100.2033", None, "windows", "11-24h2", "enterprise", False),
    # Windows 10
    ("Windows 10 Enterprise LTSC 2021", None, "windows", "10-21h2", "ltsc", False),
    ("Windows 10 Enterprise LTSC 2019", None, "windows", "10-1809", "ltsc", False),
    ("Windows 10 Enterprise 2016 LTSB", None, "windows", "10-1607", "ltsc", False),
    ("Windows 10 IoT Enterprise LTSC 2021", None, "windows", "10-21h2", "iot-ltsc", False),
    ("Windows 10 Enterprise LTSC", "10.0.17763", "windows", "10-1809", "ltsc", False),
    ("Microsoft Windows 10 Pro 64-bit (10.0.19045)", None, "windows", "10-22h2", "home-pro", False),
    ("Windows 10 Pro 22H2", None, "windows", "10-22h2", "home-pro", False),
    ("Windows 10 Pro", "19045.4529", "windows", "10-22h2", "home-pro", False),
    ("Windows 10 Home Single Language 10.0.19044", None, "windows", "10-21h2", "home-pro", False),
    ("Windows 10 Education", "10.0.19043", "windows", "10-21h1", "enterprise", False),
    ("Windows 10 Pro Version 1809", None, "windows", "10-1809", "home-pro", False),
    ("Windows 10 Pro 2009", None, "windows", "10-20h2", "home-pro", False),  # ReleaseId of 20H2
    ("Windows 10 Business", None, "windows", "10-22h2", "home-pro", False),  # bare 10: 22H2 assumed
    ("Win10 Pro x64", None, "windows", "10-22h2", "home-pro", False),
    ("Win 10 Pro (22H2)", None, "windows", "10-22h2", "home-pro", False),
    ("Windows 11 Professional 64-bit, Build 22631", None, "windows", "11-23h2", "home-pro", False),
    ("Windows 10 Enterprise N LTSC 2019", None, "windows", "10-1809", "ltsc", False),
    ("10.0.19045", None, "windows", "10-22h2", "home-pro", False),  # a bare NT version in the OS column
    ("Windows10Pro", "19045", "windows", "10-22h2", "home-pro", False),
    ("WINDOWS_WORKSTATION", None, "windows", None, "home-pro", False),  # NinjaOne nodeClass
    ("WINDOWS_SERVER", "10.0.20348", "windows-server", "2022", None, True),
    # older clients
    ("Microsoft Windows 7 Professional Service Pack 1", None, "windows", "7-sp1", "home-pro", False),
    ("Windows 8.1 Pro", None, "windows", "8.1", "home-pro", False),
    ("Microsoft Windows 6.3.9600", None, "windows", "8.1", "home-pro", False),
    ("Microsoft Windows XP Professional", None, "windows", "5-sp3", "home-pro", False),
    # Windows Server: caption says server; year beats build; builds shared with clients
    ("Microsoft Windows Server 2012 R2 Standard", None, "windows-server", "2012-r2", None, True),
    ("Windows Server 2012R2 Datacenter", None, "windows-server", "2012-r2", None, True),
    ("Windows Server 2019 Datacenter 10.0.17763", None, "windows-server", "2019", None, True),
    ("Microsoft Windows Server 2016 Standard", "10.0.14393", "windows-server", "2016", None, True),
    ("Microsoft Windows Server 2022 Datacenter: Azure Edition", None, "windows-server", "2022", None, True),
    ("Windows Server 2025 Standard", None, "windows-server", "2025", None, True),
    ("Microsoft Windows Server Standard", "10.0.26100", "windows-server", "2025", None, True),
    ("Microsoft Windows Server Datacenter 10.0.20348", None, "windows-server", "2022", None, True),
    ("Windows Server 2008 R2 Enterprise Service Pack 1", None, "windows-server", "2008-r2-sp1", None, True),
    ("Windows Server 2008 Standard", None, "windows-server", "2008-sp2", None, True),
    ("Microsoft Windows Server 2003 R2 Standard Edition", None, "windows-server", "2003-sp2", None, True),
    ("Windows Server Datacenter, version 23H2", None, "windows-server", "23h2", None, True),
    ("Microsoft Hyper-V Server 2019", None, "windows-server", "2019", None, True),
    ("Windows Server", None, "windows-server", None, None, True),
    # Apple
    ("macOS 14.5", None, "macos", "14", None, False),
    ("macOS Sonoma 14.5", None, "macos", "14", None, False),
    ("Mac OS X 10.15.7", None, "macos", "10.15", None, False),
    ("macOS Big Sur 11.7.10", None, "macos", "11", None, False),
    ("macOS 10.16", None, "macos", "11", None, False),  # Big Sur in compatibility mode
    ("macOS 26.0.1 (25A362)", None, "macos", "26", None, False),
    ("macOS Ventura", None, "macos", "13", None, False),
    ("OS X 10.11.6", None, "macos", "10.11", None, False),
    ("Mac OS X 10.6.8 (Snow Leopard)", None, "macos", "10.6", None, False),
    # Linux
    ("Ubuntu 22.04.4 LTS", None, "ubuntu", "22.04", None, False),
    ("Ubuntu 24.04 LTS (Noble Numbat)", None, "ubuntu", "24.04", None, False),
    ("Linux Ubuntu 18.04.6 LTS", None, "ubuntu", "18.04", None, False),
    ("Ubuntu jammy", None, "ubuntu", "22.04", None, False),
    ("Debian GNU/Linux 12 (bookworm)", None, "debian", "12", None, False),
    ("Debian 11.9", None, "debian", "11", None, False),
    ("Debian GNU/Linux trixie", None, "debian", "13", None, False),
    ("Red Hat Enterprise Linux 8.9", None, "rhel", "8", None, False),
    ("Red Hat Enterprise Linux Server release 7.9 (Maipo)", None, "rhel", "7", None, False),
    ("RHEL 9.4", None, "rhel", "9", None, False),
    ("CentOS Linux 7.9.2009 (Core)", None, "centos", "7", None, False),
    ("Rocky Linux 9.3 (Blue Onyx)", None, "rocky-linux", "9", None, False),
    # hypervisors and appliances
    ("VMware ESXi 7.0.3", None, "vmware-esxi", "7.0", None, True),
    ("VMware ESXi 8.0.2 build-22380479", None, "vmware-esxi", "8.0", None, True),
    ("VMware vCenter Server 8.0.2", None, "vmware-vcenter", "8.0", None, True),
    ("SonicOS 7.1.1-7058", None, "sonicwall-sonicos", "7.1", None, False),
    ("SonicWall NSA 2650 SonicOS 6.5.4.4", None, "sonicwall-sonicos", "6.5", None, False),
    ("Synology DSM 7.2.1-69057 Update 5", None, "synology-dsm", "7.2", None, False),
    ("Fireware v12.10.4", None, "watchguard-fireware", "12", None, False),
    ("Sophos UTM 9.718-4", None, "sophos-utm", "9", None, False),
    ("SFOS 20.0.1 MR-1", None, "sophos-firewall", "20.0", None, False),
    ("Meraki MX 18.211.2", None, "meraki-mx", "18", None, False),
    # not recognised
    ("Linux", None, "unknown", None, None, False),
    ("Default string", None, "unknown", None, None, False),
    ("", None, "unknown", None, None, False),
]


@pytest.mark.parametrize(("text", "build", "product", "cycle", "edition", "is_server"), IDENTIFY_CASES)
def test_identify_os(text: str, build: object, product: str, cycle: str | None, edition: str | None,
                     is_server: bool) -> None:
    identity = identify_os(text, build)
    assert (identity.product, identity.cycle, identity.edition, identity.is_server) == (
        product, cycle, edition, is_server)


@pytest.mark.parametrize(
    ("text", "build", "label"),
    [
        ("Microsoft Windows 11 Pro 10.0.26100", None, "Windows 11 Pro 24H2"),
        ("Microsoft Windows 10 Pro", "10.0.22631", "Windows 11 Pro 23H2"),
        ("Windows 10 Enterprise LTSC 2021", None, "Windows 10 Enterprise LTSC 2021"),
        ("Windows 10 Enterprise 2016 LTSB", None, "Windows 10 Enterprise LTSB 2016"),
        ("Windows 11 IoT Enterprise LTSC 2024", None, "Windows 11 IoT Enterprise LTSC 2024"),
        ("Windows 11 Professional", None, "Windows 11 Pro"),
        ("Windows 10", None, "Windows 10"),  # the version is assumed, not known: label does not claim it
        ("Microsoft Windows Server 2012 R2 Standard", None, "Windows Server 2012 R2"),
        ("macOS 14.5", None, "macOS 14 Sonoma"),
        ("Mac OS X 10.15.7", None, "macOS 10.15 Catalina"),
        ("OS X 10.11.6", None, "OS X 10.11 El Capitan"),
        ("Ubuntu 22.04.4 LTS", None, "Ubuntu 22.04 LTS"),
        ("Debian GNU/Linux 12 (bookworm)", None, "Debian 12 (Bookworm)"),
    ],
)
def test_identity_labels(text: str, build: object, label: str) -> None:
    assert identify_os(text, build).label == label


@pytest.mark.parametrize("build", ["10.0.19045", "10.0.19045.4529", "19045.4529", "19045", 19045, 19045.0])
def test_build_column_formats(build: object) -> None:
    identity = identify_os("Windows 10 Pro", build)
    assert (identity.cycle, identity.build) == ("10-22h2", 19045)


def test_build_column_beats_caption_build() -> None:
    assert identify_os("Windows 10 Pro 10.0.19044", "10.0.19045").cycle == "10-22h2"


@pytest.mark.parametrize("build", ["", "n/a", "Unknown", float("nan"), -1, "10.0", "23F79", True])
def test_junk_build_column_is_ignored(build: object) -> None:
    identity = identify_os("Windows 10 Pro 22H2", build)
    assert (identity.cycle, identity.build) == ("10-22h2", None)


@pytest.mark.parametrize("build", [14393, 17763, 20348, 26100])
def test_shared_builds_split_by_caption(build: int) -> None:
    assert identify_os("Microsoft Windows Server Standard", build).product == "windows-server"
    client = identify_os("Microsoft Windows 10 Enterprise", build)
    assert client.product == "windows" and not client.is_server


def test_unknown_edition_is_assumed_home_pro() -> None:
    identity = identify_os("Windows 11 24H2")
    assert (identity.edition, identity.edition_assumed) == ("home-pro", True)
    assert not identify_os("Windows 11 Pro 24H2").edition_assumed


def test_bare_windows_10_is_22h2_assumed() -> None:
    identity = identify_os("Microsoft Windows 10")
    assert (identity.cycle, identity.cycle_assumed) == ("10-22h2", True)
    # with a build nothing is assumed, and an unknown build is not guessed
    assert not identify_os("Windows 10", 19045).cycle_assumed
    assert identify_os("Windows 10", 19046).cycle is None


@pytest.mark.parametrize("text", [None, "", "   ", float("nan"), "Microsoft", "Windows 12 Pro", "Unknown OS"])
def test_empty_or_junk_text_never_raises(text: object) -> None:
    identity = identify_os(text)  # type: ignore[arg-type]
    assert isinstance(identity, OsIdentity)


def test_identify_os_is_cached() -> None:
    first = identify_os("Windows 11 Pro 10.0.22631")
    assert identify_os("Windows 11 Pro 10.0.22631") is first
    assert identify_os.cache_info().hits >= 1


BUILDS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.from_regex(r"10\.0\.\d{1,6}(\.\d{1,5})?", fullmatch=True),
)
OS_LIKE = st.from_regex(
    r"(Microsoft )?(Windows|macOS|Mac OS X|Ubuntu|Debian|Red Hat Enterprise Linux|VMware ESXi|SonicOS|Windows Server)"
    r"( (1[01]|20(0[38]|1[269]|2[25])|Pro|Enterprise|LTSC|IoT|R2|\d{1,2}(\.\d{1,2}){0,2}|\d{2}H[12]|\(\d{5}\)))*",
    fullmatch=True,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.none(), st.text(max_size=80), OS_LIKE), build=BUILDS)
def test_identify_os_never_raises(text: str | None, build: object) -> None:
    identity = identify_os(text, build)  # type: ignore[arg-type]
    assert isinstance(identity, OsIdentity)
    assert identity.label


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(text=OS_LIKE, build=BUILDS)
def test_status_never_raises(text: str, build: object) -> None:
    result = _builtin_catalog().status(identify_os(text, build))  # type: ignore[arg-type]
    assert result is None or isinstance(result, SupportStatus)


# --------------------------------------------------------------------------- catalog dates (DOMAIN.md section 5)

# (caption, build, end of support, extended/ESU end)
DOMAIN_FACTS = [
    ("Windows 10 Pro 22H2", None, "2025-10-14", "2028-10-10"),
    ("Windows 10 Home", "10.0.19045", "2025-10-14", "2028-10-10"),
    ("Windows 10 Enterprise 22H2", None, "2025-10-14", "2028-10-10"),
    ("Windows 10 Enterprise LTSC 2021", None, "2027-01-12", None),
    ("Windows 10 Enterprise LTSC 2019", None, "2029-01-09", None),
    ("Windows 11 Pro 23H2", None, "2025-11-11", None),
    ("Windows 11 Enterprise 23H2", None, "2026-11-10", None),
    ("Windows 11 Pro", "10.0.26100", "2026-10-13", None),
    ("Windows 11 Enterprise", "10.0.26100", "2027-10-12", None),
    ("Windows 11 Home 25H2", None, "2027-10-12", None),
    ("Windows 11 Education", "10.0.26200", "2028-10-10", None),
    ("Microsoft Windows Server 2012 R2 Standard", None, "2023-10-10", "2026-10-13"),
    ("Windows Server 2016 Standard", None, "2027-01-12", "2030-01-12"),
    ("Windows Small Business Server 2011 Standard", "6.1.7601", "2020-01-14", None),
    ("Microsoft Windows 10 IoT Enterprise LTSC 2021", "10.0.19044", "2032-01-13", None),
    ("Windows Server 2019 Datacenter", None, "2029-01-09", None),
    ("Windows Server 2022 Standard", None, "2031-10-14", None),
    ("Windows Server 2025 Datacenter", None, "2034-11-14", None),
]


@pytest.mark.parametrize(("text", "build", "eol", "extended"), DOMAIN_FACTS)
def test_domain_lifecycle_facts(catalog: LifecycleCatalog, text: str, build: object, eol: str,
                                extended: str | None) -> None:
    status = catalog.status(identify_os(text, build))
    assert status is not None
    assert status.eol == d(eol)
    assert status.extended_end == (d(extended) if extended else None)
    assert status.source.endswith(f"snapshot {ENDOFLIFE_SNAPSHOT}")


@pytest.mark.parametrize(
    ("text", "eol"),
    [
        ("Windows 11 IoT Enterprise LTSC 2024", "2034-10-10"),
        ("Windows 11 Enterprise LTSC 2024", "2029-10-09"),
        ("Windows 10 IoT Enterprise LTSC 2021", "2032-01-13"),
        ("Windows 10 Enterprise 2016 LTSB", "2026-10-13"),
        ("Windows 7 Professional", "2020-01-14"),
        ("Windows 8.1 Pro", "2023-01-10"),
        ("macOS Ventura 13.6", "2025-09-15"),
        ("Ubuntu 20.04.6 LTS", "2025-05-31"),
        ("Red Hat Enterprise Linux 9.4", "2032-05-31"),
        ("VMware ESXi 8.0 Update 2", "2027-10-11"),
        ("CentOS Linux 7.9.2009 (Core)", "2024-06-30"),
        ("CentOS Linux release 8.5.2111", "2021-12-31"),
        ("Debian GNU/Linux 12 (bookworm)", "2026-07-11"),
        ("Windows Small Business Server 2011 Essentials", "2021-01-12"),
    ],
)
def test_other_catalog_dates(catalog: LifecycleCatalog, text: str, eol: str) -> None:
    status = catalog.status(identify_os(text))
    assert status is not None and status.eol == d(eol)


def test_supported_macos_has_no_end_date(catalog: LifecycleCatalog) -> None:
    status = catalog.status(identify_os("macOS Sonoma 14.5"))
    assert status is not None
    assert status.eol is None and status.release_label == "macOS 14 Sonoma"


def test_iot_ltsc_without_own_row_falls_back_to_ltsc(catalog: LifecycleCatalog) -> None:
    status = catalog.status(identify_os("Windows 10 IoT Enterprise LTSC 2019"))
    assert status is not None and status.eol == d("2029-01-09")
    assert "IoT" in (status.note or "")


# --- the unknown-edition assumption and its boundary


def test_unknown_edition_uses_home_pro_date_and_says_so(catalog: LifecycleCatalog) -> None:
    status = catalog.status(identify_os("Windows 11 24H2"))
    assert status is not None
    assert status.eol == d("2026-10-13")  # Home/Pro, the earlier of the two dates
    assert status.note == "edition unknown: Home/Pro date assumed"


@pytest.mark.parametrize(
    ("text", "eol"),
    [("Windows 11 Enterprise 24H2", "2027-10-12"), ("Windows 11 Education 24H2", "2027-10-12"),
     ("Windows 11 Pro 24H2", "2026-10-13"), ("Windows 11 Pro Education 24H2", "2026-10-13")],
)
def test_known_edition_has_no_assumption_note(catalog: LifecycleCatalog, text: str, eol: str) -> None:
    status = catalog.status(identify_os(text))
    assert status is not None and status.eol == d(eol) and status.note is None


def test_no_edition_note_when_all_editions_share_the_date(catalog: LifecycleCatalog) -> None:
    status = catalog.status(identify_os("Windows 10 22H2"))
    assert status is not None
    assert identify_os("Windows 10 22H2").edition_assumed
    assert status.note is None


def test_bare_windows_10_status_notes_the_assumed_version(catalog: LifecycleCatalog) -> None:
    status = catalog.status(identify_os("Windows 10"))
    assert status is not None and status.eol == d("2025-10-14")
    assert status.note is not None and "22H2 assumed" in status.note


@pytest.mark.parametrize(
    "text", ["Windows 11 Professional", "Windows 10 Enterprise LTSC", "Windows Server", "Ubuntu",
             "Default string", "Rocky Linux 9.3"],
)
def test_status_is_none_when_catalog_cannot_answer(catalog: LifecycleCatalog, text: str) -> None:
    assert catalog.status(identify_os(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Windows 11 Pro 23H2", True), ("Windows 11 Enterprise 10.0.22621", True),
     ("Windows 11 Enterprise LTSC 2024", False), ("Windows 10 Pro 22H2", False),
     ("Windows Server 2016 Standard", False), ("macOS 13.6", False)],
)
def test_feature_update_only(catalog: LifecycleCatalog, text: str, expected: bool) -> None:
    status = catalog.status(identify_os(text))
    assert status is not None and status.feature_update_only is expected


# --------------------------------------------------------------------------- catalog files

REQUIRED_PRODUCTS = {
    "windows", "windows-server", "macos", "ubuntu", "debian", "rhel", "vmware-esxi", "vmware-vcenter",
    "mssqlserver", "msexchange", "office", "sonicwall-sonicos", "synology-dsm", "meraki-mx", "unifi-os",
    "watchguard-fireware", "sophos-firewall",
}
V1_RELEASE_KEYS = {"name", "label", "releaseDate", "isLts", "isEoas", "eoasFrom", "isEol", "eolFrom",
                   "isEoes", "eoesFrom", "isMaintained"}


def test_catalog_products_and_snapshot(catalog: LifecycleCatalog) -> None:
    assert REQUIRED_PRODUCTS <= set(catalog.products())
    assert catalog.snapshot_date == SNAPSHOT


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.json")), ids=lambda p: p.name)
def test_data_files_follow_the_v1_release_shape(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert {"product", "label", "snapshot", "source", "releases"} <= set(doc)
    assert doc["snapshot"] == (ENDOFLIFE_SNAPSHOT if doc["source"] == "endoflife.date" else "2026-08-01")
    assert doc["releases"]
    for release in doc["releases"]:
        assert V1_RELEASE_KEYS <= set(release), release["name"]
        for key in ("releaseDate", "eoasFrom", "eolFrom", "eoesFrom"):
            if release[key] is not None:
                date.fromisoformat(release[key])
    if doc["source"] != "endoflife.date":  # local additions must be marked as such
        assert doc.get("unverified") is True
        assert all(r.get("unverified") for r in doc["releases"])


def test_releases_are_copies_newest_first(catalog: LifecycleCatalog) -> None:
    releases = catalog.releases("windows-server")
    assert releases[0]["name"] == "2025"
    releases[0]["eolFrom"] = "1999-01-01"
    assert catalog.releases("windows-server")[0]["eolFrom"] == "2034-11-14"
    assert catalog.releases("no-such-product") == []


def test_format_product(catalog: LifecycleCatalog) -> None:
    text = format_product(catalog, "windows-server")
    assert "snapshot 2026-08-01" in text
    assert "2012-r2" in text and "2026-10-13" in text
    assert "unverified" in format_product(catalog, "synology-dsm")
    assert format_product(catalog, "nope").startswith("unknown product 'nope'")


# --------------------------------------------------------------------------- import and local additions

V1_EXPORT = {
    "schema_version": "1.2.0",
    "generated_at": "2026-09-02T06:12:00+00:00",
    "last_modified": "2026-09-01T21:40:00+00:00",
    "result": {
        "name": "windows",
        "label": "Microsoft Windows",
        "category": "os",
        "releases": [
            {"name": "11-26h2-w", "codename": None, "label": "11 26H2 (W)", "releaseDate": "2026-09-30",
             "isLts": False, "ltsFrom": None, "isEoas": False, "eoasFrom": "2028-10-10", "isEol": False,
             "eolFrom": "2028-10-10", "isMaintained": True,
             "latest": {"name": "10.0.26300", "date": "2026-09-30", "link": None}},
            {"name": "11-24h2-w", "codename": None, "label": "11 24H2 (W)", "releaseDate": "2024-10-01",
             "isLts": False, "ltsFrom": None, "isEoas": False, "eoasFrom": "2026-11-10", "isEol": False,
             "eolFrom": "2026-11-10", "isMaintained": True,
             "latest": {"name": "10.0.26100", "date": "2026-08-12", "link": None}},
        ],
    },
}


def test_import_endoflife_v1_round_trip(tmp_path: Path, catalog: LifecycleCatalog) -> None:
    source = tmp_path / "export.json"
    source.write_text(json.dumps(V1_EXPORT), encoding="utf-8")
    written = import_endoflife_json(source, tmp_path / "local")
    assert written == tmp_path / "local" / "windows.json"

    doc = json.loads(written.read_text(encoding="utf-8"))
    assert (doc["product"], doc["snapshot"], doc["source"]) == ("windows", "2026-09-01", "endoflife.date")
    assert doc["releases"] == V1_EXPORT["result"]["releases"]  # release objects pass through untouched

    merged = LifecycleCatalog.load([tmp_path / "local"])
    status = merged.status(identify_os("Windows 11 Pro", "10.0.26100"))
    assert status is not None
    assert status.eol == d("2026-11-10")  # the imported (later) file wins
    assert status.source == "endoflife.date windows, snapshot 2026-09-01"
    assert "11-26h2-w" in {r["name"] for r in merged.releases("windows")}
    # rows the import did not mention stay, and the printed snapshot is still the oldest one
    assert merged.status(identify_os("Windows 11 Enterprise", "10.0.26100")).eol == d("2027-10-12")
    assert merged.snapshot_date == SNAPSHOT
    # the built-in catalog is untouched
    assert catalog.status(identify_os("Windows 11 Pro", "10.0.26100")).eol == d("2026-10-13")


def test_raw_v1_export_can_be_dropped_into_a_local_dir(tmp_path: Path) -> None:
    export = json.loads(json.dumps(V1_EXPORT))
    export["last_modified"] = "2026-05-01T00:00:00+00:00"  # older than the built-in snapshot
    (tmp_path / "windows-v1.json").write_text(json.dumps(export), encoding="utf-8")
    merged = LifecycleCatalog.load([tmp_path])
    assert merged.status(identify_os("Windows 11 Pro 24H2")).eol == d("2026-11-10")
    assert merged.snapshot_date == date(2026, 5, 1)  # reports print the oldest snapshot


def test_import_legacy_v0_cycle_list(tmp_path: Path) -> None:
    legacy = [
        {"cycle": "9", "releaseDate": "2022-07-14", "support": "2027-05-31", "eol": "2032-05-31",
         "latest": "9.4", "lts": False},
        {"cycle": "8", "releaseDate": "2021-05-01", "support": True, "eol": "2029-05-31", "latest": "8.10"},
    ]
    source = tmp_path / "rocky.json"
    source.write_text(json.dumps(legacy), encoding="utf-8")
    written = import_endoflife_json(source, tmp_path / "out", product="rocky-linux")
    doc = json.loads(written.read_text(encoding="utf-8"))
    assert doc["product"] == "rocky-linux" and written.name == "rocky-linux.json"
    assert doc["releases"][0]["eolFrom"] == "2032-05-31" and doc["releases"][1]["isEoas"] is True
    status = LifecycleCatalog.load([tmp_path / "out"]).status(identify_os("Rocky Linux 9.3 (Blue Onyx)"))
    assert status is not None and status.eol == d("2032-05-31")


def test_import_rejects_non_exports(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text('{"hello": "world"}', encoding="utf-8")
    with pytest.raises(CatalogError):
        import_endoflife_json(source, tmp_path / "out")
    source.write_text("not json", encoding="utf-8")
    with pytest.raises(CatalogError):
        import_endoflife_json(source, tmp_path / "out")


def _local_file(directory: Path, product: str, releases: list[dict[str, object]], snapshot: str = "2026-08-15") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    doc = {"product": product, "label": product, "snapshot": snapshot, "source": "local addition",
           "unverified": True, "releases": releases}
    (directory / f"{product}.json").write_text(json.dumps(doc), encoding="utf-8")


def test_local_additions_override_release_by_release(tmp_path: Path) -> None:
    _local_file(tmp_path / "a", "sonicwall-sonicos", [{"name": "6.5", "label": "SonicOS 6.5", "eolFrom": "2026-04-16"}])
    _local_file(tmp_path / "b", "sonicwall-sonicos", [{"name": "6.5", "label": "SonicOS 6.5", "eolFrom": "2026-10-31",
                                                      "esu_end": "2027-04-30"}])
    first = LifecycleCatalog.load([tmp_path / "a"])
    status = first.status(identify_os("SonicOS 6.5.4.4"))
    assert status is not None and status.eol == d("2026-04-16")
    assert status.source == "local addition sonicwall-sonicos, snapshot 2026-08-15 (unverified)"
    assert len(first.releases("sonicwall-sonicos")) == len(LifecycleCatalog.load().releases("sonicwall-sonicos"))

    later_wins = LifecycleCatalog.load([tmp_path / "a", tmp_path / "b"])
    status = later_wins.status(identify_os("SonicOS 6.5.4.4"))
    assert status is not None
    assert (status.eol, status.extended_end) == (d("2026-10-31"), d("2027-04-30"))


def test_local_additions_can_add_a_product(tmp_path: Path) -> None:
    _local_file(tmp_path, "centos", [{"name": "7", "label": "CentOS Linux 7", "eolFrom": "2024-06-30"}])
    status = LifecycleCatalog.load([tmp_path]).status(identify_os("CentOS Linux 7.9.2009 (Core)"))
    assert status is not None and status.eol == d("2024-06-30")


def test_local_file_can_correct_a_windows_edition_row(tmp_path: Path) -> None:
    _local_file(tmp_path, "windows", [{"name": "11-24H2-E", "eolFrom": "2027-12-31"}])
    merged = LifecycleCatalog.load([tmp_path])
    assert merged.status(identify_os("Windows 11 Enterprise 24H2")).eol == d("2027-12-31")
    assert merged.status(identify_os("Windows 11 Pro 24H2")).eol == d("2026-10-13")


def test_broken_local_file_is_reported_by_name(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(CatalogError, match="broken.json"):
        LifecycleCatalog.load([tmp_path])
    with pytest.raises(CatalogError):
        LifecycleCatalog.load([tmp_path / "missing-dir"])


def test_nan_text_is_unknown() -> None:
    assert identify_os(math.nan).product == "unknown"  # type: ignore[arg-type]
