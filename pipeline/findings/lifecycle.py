"""Lifecycle catalog (end-of-support dates) and operating-system identification.

Two independent halves:

* ``identify_os`` turns the free-text OS strings RMM/PSA exports carry
  ("Microsoft Windows 11 Pro 10.0.26100", "macOS Sonoma 14.5", ...) into an
  ``OsIdentity``: an endoflife.date product slug, a release cycle and an edition.
  It knows nothing about dates, so it never goes stale and is cheap to cache.
* ``LifecycleCatalog`` holds the dates. It is data, not code: one JSON file per
  product in the endoflife.date v1 API release shape (``pipeline/data/lifecycle``),
  plus local additions from extra directories, so dates can be refreshed from an
  endoflife.date export without a code change. Every answer names the catalog
  snapshot it came from, because a QBR must say "as of" for every date it shows.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..errors import CatalogError
from ..resources import data_path
from ..texttable import text_table

__all__ = [
    "CatalogError",
    "LifecycleCatalog",
    "OsIdentity",
    "SupportStatus",
    "format_product",
    "identify_os",
    "import_endoflife_json",
]

# --------------------------------------------------------------------------- identity


@dataclass(frozen=True)
class OsIdentity:
    product: str  # endoflife.date slug ("windows", "windows-server", "macos", ...); "unknown" if not recognised
    cycle: str | None  # "10-22h2", "11-24h2", "2012-r2", "14", "22.04", ... (matches catalog release names)
    edition: str | None  # "home-pro" | "enterprise" | "ltsc" | "iot-ltsc" | None
    edition_assumed: bool  # edition unknown: the Home/Pro (earlier) date is used
    label: str  # human label for documents: "Windows 11 Pro 24H2"
    is_server: bool
    build: int | None
    # Extra (defaulted, so callers constructing OsIdentity by keyword are unaffected): True when the
    # cycle was inferred rather than read, e.g. a bare "Windows 10" is taken as 22H2, the last release.
    cycle_assumed: bool = False


UNKNOWN_PRODUCT = "unknown"

HOME_PRO, ENTERPRISE, LTSC, IOT_LTSC = "home-pro", "enterprise", "ltsc", "iot-ltsc"

# Windows client builds -> feature-update version (Microsoft release-information pages).
_WIN10_BUILDS = {
    10240: "1507", 10586: "1511", 14393: "1607", 15063: "1703", 16299: "1709", 17134: "1803",
    17763: "1809", 18362: "1903", 18363: "1909", 19041: "2004", 19042: "20h2", 19043: "21h1",
    19044: "21h2", 19045: "22h2",
}
_WIN11_BUILDS = {22000: "21h2", 22621: "22h2", 22631: "23h2", 26100: "24h2", 26200: "25h2"}
_WIN11_MIN_BUILD = 22000  # DOMAIN.md: a client build >= 22000 is Windows 11 whatever the caption says
_LEGACY_CLIENT_BUILDS = {2600: "5-sp3", 6000: "6-sp2", 6001: "6-sp2", 6002: "6-sp2", 6003: "6-sp2",
                         7600: "7-sp1", 7601: "7-sp1", 9200: "8", 9600: "8.1"}

# Servers share NT builds with clients, so this table is only consulted once the caption said "server".
_SERVER_BUILDS = {
    3790: "2003-sp2", 6001: "2008-sp2", 6002: "2008-sp2", 6003: "2008-sp2", 7600: "2008-r2-sp1",
    7601: "2008-r2-sp1", 9200: "2012", 9600: "2012-r2", 14393: "2016", 16299: "1709", 17134: "1803",
    17763: "2019", 18362: "1903", 18363: "1909", 19041: "2004", 19042: "20h2", 20348: "2022",
    25398: "23h2", 26100: "2025",
}
_SERVER_YEAR_CYCLES = {
    "2003": "2003-sp2", "2003 r2": "2003-sp2", "2008": "2008-sp2", "2008 r2": "2008-r2-sp1", "2012": "2012",
    "2012 r2": "2012-r2", "2016": "2016", "2019": "2019", "2022": "2022", "2025": "2025",
}
_SERVER_SAC = {"1709", "1803", "1809", "1903", "1909", "2004", "20h2", "23h2"}

# LTSB/LTSC media are named by year, not by feature update.
_LTSC_YEAR_TO_VERSION = {("10", "2015"): "1507", ("10", "2016"): "1607", ("10", "2019"): "1809",
                         ("10", "2021"): "21h2", ("11", "2024"): "24h2"}
_LTSC_VERSION_TO_YEAR = {(major, version): year for (major, year), version in _LTSC_YEAR_TO_VERSION.items()}
_WIN10_VERSIONS = set(_WIN10_BUILDS.values())
_WIN11_VERSIONS = set(_WIN11_BUILDS.values())
# Old ReleaseId values; 20H2 reported ReleaseId 2009 before DisplayVersion existed.
_RELEASE_IDS = {"1507", "1511", "1607", "1703", "1709", "1803", "1809", "1903", "1909", "2004", "2009"}

_MAC_CODENAMES = {
    "10.6": "Snow Leopard", "10.7": "Lion", "10.8": "Mountain Lion", "10.9": "Mavericks", "10.10": "Yosemite",
    "10.11": "El Capitan", "10.12": "Sierra", "10.13": "High Sierra", "10.14": "Mojave", "10.15": "Catalina",
    "11": "Big Sur", "12": "Monterey", "13": "Ventura", "14": "Sonoma", "15": "Sequoia", "26": "Tahoe",
}
_MAC_BY_CODENAME = {name.lower(): cycle for cycle, name in _MAC_CODENAMES.items()}

_UBUNTU_CODENAMES = {"trusty": "14.04", "xenial": "16.04", "bionic": "18.04", "focal": "20.04",
                     "jammy": "22.04", "lunar": "23.04", "mantic": "23.10", "noble": "24.04",
                     "oracular": "24.10", "plucky": "25.04", "questing": "25.10", "resolute": "26.04"}
_DEBIAN_CODENAMES = {"jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12",
                     "trixie": "13", "forky": "14"}


def _unknown(label: str = "Unknown OS") -> OsIdentity:
    return OsIdentity(UNKNOWN_PRODUCT, None, None, False, label, False, None)


@functools.lru_cache(maxsize=131072)
def identify_os(text: str | None, build: str | int | None = None) -> OsIdentity:
    """Identify the OS behind a free-text RMM/PSA caption; never raises.

    ``build`` is the separate "OS Build" column many RMMs export ("10.0.19045",
    "19045.4529", 19045); it wins over a build embedded in the caption. Cached
    because it is called once per row on very large exports with few distinct values.
    """
    try:
        return _identify(_clean_text(text), _parse_build_arg(build))
    except Exception:  # noqa: BLE001 - a malformed cell must never stop a batch run
        return _unknown()


def _clean_text(text: object) -> str:
    if text is None or (isinstance(text, float) and math.isnan(text)):  # pandas gives NaN for empty cells
        return ""
    cleaned = str(text).replace("\u00ae", " ").replace("\u2122", " ").replace("(R)", " ").replace("(TM)", " ")
    return " ".join(cleaned.split())


def _parse_build_arg(build: object) -> int | None:
    if build is None or isinstance(build, bool):
        return None
    if isinstance(build, float):
        return int(build) if math.isfinite(build) and build == int(build) and build > 0 else None
    if isinstance(build, int):
        return build if 0 < build < 100000 else None
    return _build_from_version_text(str(build).strip())


def _spaced(low: str) -> str:
    """Undo machine-style captions: "WINDOWS_SERVER", "Windows10Pro" -> "windows server", "windows 10 pro"."""
    low = low.replace("_", " ")
    low = re.sub(r"\b(windows|win)(?=(?:7|8|10|11|xp)(?!\d))", r"\1 ", low)
    return re.sub(r"\b(10|11)(?=(?:pro|home|enterprise|education)\b)", r"\1 ", low)


def _build_from_version_text(value: str) -> int | None:
    """'10.0.19045', '10.0.19045.4529', '19045.4529', '19045', '6.3.9600' -> the NT build."""
    match = re.fullmatch(r"(?:(\d{1,2})\.(\d{1,2})\.)?(\d{4,5})(?:\.\d+)?", value)
    if not match:
        return None
    major = match.group(1)
    if major is not None and major not in {"5", "6", "10"}:  # not an NT version, e.g. a macOS version
        return None
    return int(match.group(3))


def _build_from_text(low: str) -> int | None:
    patterns = (
        r"\b(?:5\.[12]|6\.[0-3]|10\.0)\.(\d{4,5})\b",  # 10.0.19045 / 6.3.9600
        r"\bbuild\s*[:#]?\s*(\d{4,5})\b",  # "OS Build 19045", "(Build 26100)"
        r"(?<![\d.])(\d{5})(?:\.\d{1,5})?(?![\d.])",  # bare "19045" or "19045.4529"
    )
    for pattern in patterns:
        match = re.search(pattern, low)
        if match:
            value = int(match.group(1))
            if 2600 <= value < 100000:
                return value
    return None


def _identify(text: str, build_arg: int | None) -> OsIdentity:
    low = _spaced(text.lower())
    if not low and build_arg is None:
        return _unknown()
    for detector in (_detect_apple, _detect_vmware, _detect_windows, _detect_linux, _detect_appliance):
        identity = detector(low, build_arg)
        if identity is not None:
            return identity
    return _unknown(text or "Unknown OS")


# --- Apple


def _detect_apple(low: str, build_arg: int | None) -> OsIdentity | None:
    match = re.search(r"\bmac\s*os(?:\s*x)?\b|\bos\s*x\b|\bosx\b", low)
    if not match:
        return None
    tail = low[match.end():]
    version = re.search(r"\b(\d{1,2})(?:\.(\d{1,2}))?(?:\.\d+)?\b", tail)
    cycle: str | None = None
    if version:
        major, minor = int(version.group(1)), version.group(2)
        if major == 10 and minor is not None:
            # Big Sur reports 10.16 to software built against older SDKs.
            cycle = "11" if minor == "16" else f"10.{int(minor)}"
        elif major >= 11:
            cycle = str(major)
    if cycle is None:
        cycle = next((cyc for name, cyc in _MAC_BY_CODENAME.items() if re.search(rf"\b{name}\b", low)), None)
    return OsIdentity("macos", cycle, None, False, _mac_label(cycle), False, None)


def _mac_label(cycle: str | None) -> str:
    if cycle is None:
        return "macOS"
    brand = "macOS"
    if cycle.startswith("10."):
        minor = int(cycle.split(".")[1])
        brand = "Mac OS X" if minor <= 7 else "OS X" if minor <= 11 else "macOS"
    codename = _MAC_CODENAMES.get(cycle)
    return f"{brand} {cycle} {codename}" if codename else f"{brand} {cycle}"


# --- VMware


def _detect_vmware(low: str, build_arg: int | None) -> OsIdentity | None:
    if "vcenter" in low:
        product, label = "vmware-vcenter", "VMware vCenter Server"
    elif re.search(r"\besxi?\b", low):
        product, label = "vmware-esxi", "VMware ESXi"
    else:
        return None
    version = re.search(r"\b(\d)\.(\d)(?:\.\d+)?\b", low)
    cycle = f"{version.group(1)}.{version.group(2)}" if version else None
    return OsIdentity(product, cycle, None, False, f"{label} {cycle}" if cycle else label, True, None)


# --- Windows


def _detect_windows(low: str, build_arg: int | None) -> OsIdentity | None:
    is_windows = re.search(r"\bwindows\b|\bwin\s?(?:xp|vista|7|8\.1|8|10|11)\b|\bhyper-v server\b", low)
    if not is_windows:
        # A bare NT build ("10.0.19045") in an OS column is still Windows.
        if re.fullmatch(r"(?:microsoft\s+)?(?:10\.0|6\.[0-3])\.\d{4,5}(?:\.\d+)?", low):
            return _windows_client(low, _build_from_text(low) if build_arg is None else build_arg)
        return None
    build = build_arg if build_arg is not None else _build_from_text(low)
    if re.search(r"\bserver\b", low):
        return _windows_server(low, build)
    return _windows_client(low, build)


def _windows_server(low: str, build: int | None) -> OsIdentity:
    year = re.search(r"\b(2003|2008|2012|2016|2019|2022|2025)(\s*r2)?\b", low)
    cycle: str | None = None
    if year:
        cycle = _SERVER_YEAR_CYCLES.get(year.group(1) + (" r2" if year.group(2) else ""))
    if cycle is None and build is not None:
        cycle = _SERVER_BUILDS.get(build)
    if cycle is None:
        sac = re.search(r"\b(\d{2}h[12]|1709|1803|1809|1903|1909|2004)\b", low)
        if sac and sac.group(1) in _SERVER_SAC:
            cycle = sac.group(1)
    return OsIdentity("windows-server", cycle, None, False, _server_label(cycle), True, build)


def _server_label(cycle: str | None) -> str:
    if cycle is None:
        return "Windows Server"
    if cycle in _SERVER_SAC:
        return f"Windows Server {cycle.upper()}"
    year = cycle.split("-")[0]
    return f"Windows Server {year}{' R2' if '-r2' in cycle else ''}"


def _windows_client(low: str, build: int | None) -> OsIdentity:
    major = _client_major(low, build)
    edition, edition_word, assumed = _client_edition(low)
    if major in (None, "xp", "vista", "7", "8", "8.1"):
        cycle = _legacy_cycle(major, build)
        label = _join("Windows", _LEGACY_NAMES.get(major or ""), edition_word)
        return OsIdentity("windows", cycle, edition, assumed, label, False, build)
    version, cycle_assumed = _client_version(low, major, build, edition)
    cycle = f"{major}-{version}" if version else None
    # The label states only what the caption said; an assumed version is reported by status().
    label = _client_label(major, None if cycle_assumed else version, edition, edition_word)
    return OsIdentity("windows", cycle, edition, assumed, label, False, build, cycle_assumed)


_LEGACY_NAMES = {"xp": "XP", "vista": "Vista", "7": "7", "8": "8", "8.1": "8.1"}
_LEGACY_CYCLES = {"xp": "5-sp3", "vista": "6-sp2", "7": "7-sp1", "8": "8", "8.1": "8.1"}


def _client_major(low: str, build: int | None) -> str | None:
    # The build is machine-generated and beats the caption (Windows 11 often reports "Windows 10").
    if build is not None:
        if build in _WIN11_BUILDS or _WIN11_MIN_BUILD <= build < 30000:
            return "11"
        if build in _WIN10_BUILDS or 10240 <= build < _WIN11_MIN_BUILD:
            return "10"
        legacy = _LEGACY_CLIENT_BUILDS.get(build)
        if legacy:
            return {v: k for k, v in _LEGACY_CYCLES.items()}[legacy]
    match = re.search(r"\b(?:windows|win)\s*(?:nt\s*)?(xp|vista|8\.1|11|10|8|7)\b", low)
    return match.group(1) if match else None


def _legacy_cycle(major: str | None, build: int | None) -> str | None:
    if major is not None:
        return _LEGACY_CYCLES[major]
    return _LEGACY_CLIENT_BUILDS.get(build) if build is not None else None


def _client_version(low: str, major: str, build: int | None, edition: str | None) -> tuple[str | None, bool]:
    """Feature-update version ("22h2", "1809") and whether it was assumed."""
    known = _WIN11_BUILDS if major == "11" else _WIN10_BUILDS
    if build is not None and build in known:
        return known[build], False
    if edition in (LTSC, IOT_LTSC):
        year = re.search(r"\blts[bc]\s*(20\d\d)\b|\b(20\d\d)\s*lts[bc]\b", low)
        if year:
            return _LTSC_YEAR_TO_VERSION.get((major, year.group(1) or year.group(2))), False
        return None, False  # LTSC without year or build: 2019 and 2021 end years apart, do not guess
    valid = _WIN11_VERSIONS if major == "11" else _WIN10_VERSIONS
    token = re.search(r"\b(\d{2}h[12])\b", low)
    if token and token.group(1) in valid:
        return token.group(1), False
    for release_id in re.findall(r"\b(\d{4})\b", low):
        if release_id in _RELEASE_IDS and major == "10":
            return ("20h2" if release_id == "2009" else release_id), False
    if major == "10" and build is None:
        # Every Windows 10 release before 22H2 is already out of support, so 22H2 is the
        # most favourable reading of a bare "Windows 10"; status() says it was assumed.
        return "22h2", True
    return None, False


# Ordered: the first pattern that matches decides (e.g. "pro education" before "education").
_EDITION_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (r"\biot\b.*\blts[bc]\b|\blts[bc]\b.*\biot\b", IOT_LTSC, "IoT Enterprise LTSC"),
    (r"\blts[bc]\b|\benterprise\s?s\b|\benterprises\b", LTSC, "Enterprise LTSC"),
    (r"\bpro(?:fessional)?\s+education\b", HOME_PRO, "Pro Education"),
    (r"\bpro(?:fessional)?\s+for\s+workstations?\b", HOME_PRO, "Pro for Workstations"),
    (r"\benterprise\b.*\bmulti-?session\b", ENTERPRISE, "Enterprise multi-session"),
    (r"\biot\s+enterprise\b", ENTERPRISE, "IoT Enterprise"),
    (r"\benterprise\b", ENTERPRISE, "Enterprise"),
    (r"\beducation\b", ENTERPRISE, "Education"),
    (r"\bultimate\b", HOME_PRO, "Ultimate"),
    (r"\bpro(?:fessional)?\b", HOME_PRO, "Pro"),
    (r"\bhome\b|\bcore\b|\bsingle language\b", HOME_PRO, "Home"),
    (r"\bbusiness\b", HOME_PRO, "Business"),
)


def _client_edition(low: str) -> tuple[str, str | None, bool]:
    """(edition, display word, assumed). Unknown -> Home/Pro, the earlier end date, flagged."""
    for pattern, edition, word in _EDITION_PATTERNS:
        if re.search(pattern, low):
            return edition, word, False
    return HOME_PRO, None, True


def _client_label(major: str, version: str | None, edition: str, edition_word: str | None) -> str:
    if edition in (LTSC, IOT_LTSC):
        year = _LTSC_VERSION_TO_YEAR.get((major, version or ""))
        channel = "LTSB" if year in ("2015", "2016") else "LTSC"
        base = "IoT Enterprise" if edition == IOT_LTSC else "Enterprise"
        return _join("Windows", major, base, f"{channel} {year}" if year else channel)
    return _join("Windows", major, edition_word, version.upper() if version else None)


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


# --- Linux


def _first_version(low: str, start: int) -> re.Match[str] | None:
    return re.search(r"\b(\d{1,2})(?:\.(\d{1,2}))?(?:\.\d+)*\b", low[start:])


def _detect_linux(low: str, build_arg: int | None) -> OsIdentity | None:
    for detector in (_detect_ubuntu, _detect_debian, _detect_rhel_family):
        identity = detector(low)
        if identity is not None:
            return identity
    return None


def _detect_ubuntu(low: str) -> OsIdentity | None:
    anchor = re.search(r"\bubuntu\b", low)
    if not anchor:
        return None
    version = re.search(r"\b(\d{1,2})\.(\d{2})\b", low[anchor.end():])
    cycle = f"{int(version.group(1))}.{version.group(2)}" if version else None
    if cycle is None:
        cycle = next((c for name, c in _UBUNTU_CODENAMES.items() if re.search(rf"\b{name}\b", low)), None)
    lts = cycle is not None and cycle.endswith(".04") and int(cycle.split(".")[0]) % 2 == 0
    label = _join("Ubuntu", cycle, "LTS" if lts else None)
    return OsIdentity("ubuntu", cycle, None, False, label, False, None)


def _detect_debian(low: str) -> OsIdentity | None:
    anchor = re.search(r"\bdebian\b", low)
    if not anchor:
        return None
    version = _first_version(low, anchor.end())
    cycle = str(int(version.group(1))) if version else None
    if cycle is None:
        cycle = next((c for name, c in _DEBIAN_CODENAMES.items() if re.search(rf"\b{name}\b", low)), None)
    codename = next((name.title() for name, c in _DEBIAN_CODENAMES.items() if c == cycle), None)
    label = _join("Debian", cycle, f"({codename})" if codename else None)
    return OsIdentity("debian", cycle, None, False, label, False, None)


# endoflife.date slugs; only rhel is in the built-in catalog, the others resolve once imported.
_RHEL_FAMILY = (
    (r"\bred\s*hat\s+enterprise\s+linux\b|\brhel\b", "rhel", "Red Hat Enterprise Linux"),
    (r"\bcentos\s+stream\b", "centos-stream", "CentOS Stream"),
    (r"\bcentos\b", "centos", "CentOS Linux"),
    (r"\brocky\s*linux\b|\brocky\b", "rocky-linux", "Rocky Linux"),
    (r"\balma\s*linux\b", "almalinux", "AlmaLinux"),
)


def _detect_rhel_family(low: str) -> OsIdentity | None:
    for pattern, product, name in _RHEL_FAMILY:
        anchor = re.search(pattern, low)
        if anchor:
            version = _first_version(low, anchor.end())
            cycle = str(int(version.group(1))) if version else None
            return OsIdentity(product, cycle, None, False, _join(name, cycle), False, None)
    return None


# --- network/storage appliances (local-addition products)

_APPLIANCES = (
    # pattern, product, label, cycle granularity ("major" or "minor")
    (r"\bsonic\s*os\b|\bsonicwall\b", "sonicwall-sonicos", "SonicWall SonicOS", "minor"),
    (r"\bsynology\b|\bdsm\s+\d", "synology-dsm", "Synology DSM", "minor"),
    (r"\bfireware\b|\bwatchguard\b", "watchguard-fireware", "WatchGuard Fireware", "major"),
    (r"\bsophos\s+utm\b|\butm\s*9\b", "sophos-utm", "Sophos UTM", "major"),
    (r"\bsfos\b|\bsophos\s+(?:xgs?\s+)?firewall\b|\bsophos\s+xgs?\b", "sophos-firewall", "Sophos Firewall", "minor"),
    (r"\bmeraki\b.*\bmx\b|\bmeraki\s+mx\b", "meraki-mx", "Cisco Meraki MX", "major"),
    (r"\bunifi\s*os\b", "unifi-os", "UniFi OS", "major"),
)


def _detect_appliance(low: str, build_arg: int | None) -> OsIdentity | None:
    for pattern, product, label, granularity in _APPLIANCES:
        anchor = re.search(pattern, low)
        if not anchor:
            continue
        # "v2025.1" and "7.1.1-5145" count; a model number glued to letters ("tz370") does not.
        version = re.search(r"(?<![\w.])v?(\d{1,4})\.(\d{1,3})", low[anchor.start():])
        cycle: str | None = None
        if version:
            cycle = version.group(1) if granularity == "major" else f"{version.group(1)}.{version.group(2)}"
        elif product == "sophos-utm":
            cycle = "9"
        return OsIdentity(product, cycle, None, False, _join(label, cycle), False, None)
    return None


# --------------------------------------------------------------------------- catalog


def _maintained(data: dict[str, Any]) -> bool | None:
    """endoflife.date's isMaintained, else the opposite of isEol; None when the row says neither."""
    if data.get("isMaintained") is not None:
        return bool(data["isMaintained"])
    if data.get("isEol") is not None:
        return not data["isEol"]
    return None



@dataclass(frozen=True)
class SupportStatus:
    identity: OsIdentity
    eol: date | None  # end of (mainstream/security) support for this edition
    extended_end: date | None  # ESU / extended support end, if any
    release_label: str
    feature_update_only: bool  # Windows 11 GA channel: once past eol, the fix is a feature update, not new hardware
    source: str  # e.g. "endoflife.date windows, snapshot 2026-08-01"
    note: str | None  # e.g. "edition unknown: Home/Pro date assumed"
    maintained: bool | None = None  # the catalog says the release is still supported, with or without an end date


class _Readable(Protocol):
    """Path or importlib Traversable: enough to list and read catalog files."""

    name: str

    def read_text(self, encoding: str | None = ...) -> str: ...


@dataclass(frozen=True)
class _Release:
    """One catalog row plus where it came from (for the "as of" line)."""

    data: dict[str, Any]
    product: str
    origin: str  # "endoflife.date", "local addition", ...
    snapshot: date
    base_cycle: str  # lower-case cycle, edition suffix removed
    edition: str | None  # None = applies to every edition


# endoflife.date encodes the Windows edition channel as a suffix of the release name.
_WINDOWS_SUFFIXES = (("-iot-lts", IOT_LTSC), ("-e-lts", LTSC), ("-iot", "iot"), ("-w", HOME_PRO), ("-e", ENTERPRISE))
_EDITION_FALLBACKS = {IOT_LTSC: (IOT_LTSC, LTSC), LTSC: (LTSC,), ENTERPRISE: (ENTERPRISE,), HOME_PRO: (HOME_PRO,)}


def _split_release_name(product: str, name: str, explicit_edition: Any) -> tuple[str, str | None]:
    base = name.strip().lower()
    edition = explicit_edition if isinstance(explicit_edition, str) and explicit_edition else None
    if product == "windows":
        for suffix, suffix_edition in _WINDOWS_SUFFIXES:
            if base.endswith(suffix):
                return base[: -len(suffix)], edition or suffix_edition
    return base, edition


class LifecycleCatalog:
    """End-of-support dates by product and release, loaded from JSON data files."""

    snapshot_date: date  # the oldest snapshot among loaded files (printed in every report)

    def __init__(self, documents: Iterable[dict[str, Any]]) -> None:
        self._labels: dict[str, str] = {}
        self._rows: dict[str, dict[str, _Release]] = {}
        snapshots: list[date] = []
        for doc in documents:  # later documents override earlier ones, release by release
            snapshots.append(self._add(doc))
        if not snapshots:
            raise CatalogError("lifecycle catalog: no data files loaded")
        self.snapshot_date = min(snapshots)

    @classmethod
    def load(cls, extra_dirs: Sequence[Path] = ()) -> "LifecycleCatalog":
        """Built-in data, then each extra dir in order (same file shape; later wins per release)."""
        builtin = data_path("lifecycle")
        documents = [_read_document(entry) for entry in _json_entries(builtin.iterdir())]
        for directory in extra_dirs:
            directory = Path(directory)
            if not directory.is_dir():
                raise CatalogError(f"lifecycle catalog: {directory} is not a directory")
            documents.extend(_read_document(entry) for entry in _json_entries(directory.iterdir()))
        return cls(documents)

    def _add(self, doc: dict[str, Any]) -> date:
        product = doc["product"]
        snapshot = _parse_date(doc["snapshot"])
        if snapshot is None:
            raise CatalogError(f"lifecycle catalog: {product}: bad snapshot {doc['snapshot']!r}")
        origin = str(doc.get("source") or "local addition")
        self._labels[product] = str(doc.get("label") or self._labels.get(product) or product)
        rows = self._rows.setdefault(product, {})
        for release in doc["releases"]:
            name = str(release.get("name") or "").strip()
            if not name:
                continue
            if doc.get("unverified") and "unverified" not in release:
                release = {**release, "unverified": True}
            base, edition = _split_release_name(product, name, release.get("edition"))
            rows[name.lower()] = _Release(release, product, origin, snapshot, base, edition)
        return snapshot

    def products(self) -> list[str]:
        return sorted(self._rows)

    def label(self, product: str) -> str:
        return self._labels.get(product, product)

    def releases(self, product: str) -> list[dict[str, Any]]:
        """Copies of a product's release rows, newest first (for `vcio lifecycle show`)."""
        rows = self._rows.get(product, {}).values()
        ordered = sorted(rows, key=lambda r: (str(r.data.get("releaseDate") or ""), r.data["name"]), reverse=True)
        return [json.loads(json.dumps(r.data)) for r in ordered]

    def status(self, identity: OsIdentity) -> SupportStatus | None:
        """Dates for an identified OS; None when the catalog does not know the product/cycle."""
        if identity.cycle is None or identity.product not in self._rows:
            return None
        row = self._pick(identity)
        if row is None:
            return None
        data = row.data
        notes = _status_notes(identity, row)
        suffix = " (unverified)" if data.get("unverified") else ""
        return SupportStatus(
            identity=identity,
            eol=_parse_date(data.get("eolFrom")),
            extended_end=_parse_date(data.get("eoesFrom") or data.get("esu_end")),
            release_label=str(data.get("label") or data["name"]),
            feature_update_only=_is_feature_update_channel(identity, row),
            source=f"{row.origin} {row.product}, snapshot {row.snapshot.isoformat()}{suffix}",
            note="; ".join(notes) or None,
            maintained=_maintained(data),
        )

    def _pick(self, identity: OsIdentity) -> _Release | None:
        cycle = identity.cycle.lower() if identity.cycle else ""
        candidates = [r for r in self._rows[identity.product].values() if r.base_cycle == cycle]
        wanted = _EDITION_FALLBACKS.get(identity.edition or "", ())
        for edition in wanted:
            for row in candidates:
                if row.edition == edition:
                    return row
        # A row without an edition covers every edition (e.g. Windows 10 22H2, all servers).
        return next((r for r in candidates if r.edition is None), None)


def _status_notes(identity: OsIdentity, row: _Release) -> list[str]:
    notes: list[str] = []
    if identity.cycle_assumed:
        notes.append(f"version unknown: {row.data.get('label') or row.data['name']} assumed "
                     "(the last release; all earlier ones are already out of support)")
    if identity.edition_assumed and row.edition is not None:
        notes.append("edition unknown: Home/Pro date assumed")
    if identity.edition == IOT_LTSC and row.edition == LTSC:
        notes.append("IoT Enterprise LTSC: Enterprise LTSC dates used")
    if row.data.get("unverified"):
        notes.append(str(row.data.get("note") or "unverified local data"))
    return notes


def _is_feature_update_channel(identity: OsIdentity, row: _Release) -> bool:
    # Hardware that runs any Windows 11 GA release can take the next feature update for free,
    # so an expired 11 release is an update task, not a replacement. LTSC has no such path.
    return identity.product == "windows" and row.base_cycle.startswith("11-") and row.edition in (HOME_PRO, ENTERPRISE)


# --------------------------------------------------------------------------- reading / importing


def _json_entries(entries: Iterable[Any]) -> list[Any]:
    return sorted((e for e in entries if e.name.endswith(".json") and e.is_file()), key=lambda e: e.name)


def _read_document(entry: _Readable) -> dict[str, Any]:
    try:
        raw = json.loads(entry.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"lifecycle catalog: cannot read {entry.name}: {exc}") from exc
    fallback = _mtime_date(entry)
    try:
        return _normalise_document(raw, Path(entry.name).stem, fallback)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"lifecycle catalog: {entry.name} is not a lifecycle file: {exc}") from exc


def _mtime_date(entry: Any) -> date | None:
    try:
        return datetime.fromtimestamp(Path(entry).stat().st_mtime, tz=timezone.utc).date()
    except (OSError, TypeError):
        return None


def _normalise_document(raw: Any, product_hint: str | None, fallback_snapshot: date | None) -> dict[str, Any]:
    """Accept our catalog file, an endoflife.date v1 product response, or a legacy v0 cycle list."""
    if isinstance(raw, dict) and "releases" in raw and "product" in raw:
        doc = dict(raw)  # already our shape
        doc["releases"] = [dict(r) for r in raw["releases"]]
        if not doc.get("snapshot"):
            doc["snapshot"] = _require_snapshot(fallback_snapshot, doc["product"])
        return doc
    if isinstance(raw, dict) and isinstance(raw.get("result"), dict):  # v1: {"schema_version", "result": {...}}
        result = raw["result"]
        snapshot = _parse_date(raw.get("last_modified") or raw.get("generated_at")) or fallback_snapshot
        return _catalog_doc(result.get("name") or product_hint, result.get("label"), snapshot,
                            [dict(r) for r in result["releases"]], raw.get("schema_version"))
    if isinstance(raw, dict) and "releases" in raw and "name" in raw:  # v1 "result" object saved alone
        return _catalog_doc(raw["name"], raw.get("label"), fallback_snapshot, [dict(r) for r in raw["releases"]], None)
    if isinstance(raw, list):  # legacy /api/{product}.json
        snapshot = fallback_snapshot
        return _catalog_doc(product_hint, None, snapshot, [_v0_to_v1(c, snapshot) for c in raw], None)
    raise ValueError("expected a catalog file, an endoflife.date v1 product response or a v0 cycle list")


def _catalog_doc(product: Any, label: Any, snapshot: date | None, releases: list[dict[str, Any]],
                 schema: Any) -> dict[str, Any]:
    if not product:
        raise ValueError("product name missing; pass product=")
    source = "endoflife.date" + (f" API v{schema}" if schema else "")
    return {"product": str(product), "label": str(label or product),
            "snapshot": _require_snapshot(snapshot, str(product)), "source": "endoflife.date",
            "source_url": f"https://endoflife.date/{product}", "notes": [f"Imported from {source}."],
            "releases": releases}


def _require_snapshot(snapshot: date | None, product: str) -> str:
    if snapshot is None:
        raise ValueError(f"{product}: no snapshot date (no generated_at/last_modified and no file date)")
    return snapshot.isoformat()


def _v0_to_v1(cycle: dict[str, Any], snapshot: date | None) -> dict[str, Any]:
    """Legacy fields (eol may be a date or a bool) to the v1 release shape."""
    def phase(value: Any) -> tuple[bool | None, str | None]:
        if isinstance(value, bool):
            return value, None
        parsed = _parse_date(value)
        if parsed is None:
            return None, None
        return (snapshot is not None and parsed <= snapshot), parsed.isoformat()

    is_eoas, eoas = phase(cycle.get("support"))
    is_eol, eol = phase(cycle.get("eol"))
    is_eoes, eoes = phase(cycle.get("extendedSupport"))
    latest = cycle.get("latest")
    return {
        "name": str(cycle.get("cycle")), "codename": cycle.get("codename"),
        "label": str(cycle.get("releaseLabel") or cycle.get("cycle")), "releaseDate": cycle.get("releaseDate"),
        "isLts": bool(cycle.get("lts")), "ltsFrom": None, "isEoas": bool(is_eoas), "eoasFrom": eoas,
        "isEol": bool(is_eol), "eolFrom": eol, "isEoes": is_eoes, "eoesFrom": eoes, "isMaintained": not is_eol,
        "latest": ({"name": str(latest), "date": cycle.get("latestReleaseDate"), "link": cycle.get("link")}
                   if latest else None),
        "custom": None,
    }


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def import_endoflife_json(source: Path, dest_dir: Path, product: str | None = None) -> Path:
    """Convert an endoflife.date export (v1 product response, or legacy v0 list) into a catalog file.

    Offline on purpose: the MSP downloads https://endoflife.date/api/v1/products/<slug> once
    and vcio reads the file. The snapshot is the export's last_modified/generated_at date,
    else the file's modification date. Returns the written path (dest_dir/<product>.json).
    """
    source = Path(source)
    try:
        raw = json.loads(source.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"cannot read endoflife.date export {source}: {exc}") from exc
    hint = product or source.stem
    try:
        doc = _normalise_document(raw, hint, _mtime_date(source))
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{source} is not an endoflife.date export: {exc}") from exc
    if product:
        doc["product"] = product
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"{doc['product']}.json"
    target.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


# --------------------------------------------------------------------------- display


def format_product(catalog: LifecycleCatalog, product: str) -> str:
    """Plain-text table of a product's releases for `vcio lifecycle show PRODUCT`.

    An unknown product yields a one-line message listing the known ones (no exception),
    so a typo on the command line prints help rather than a traceback.
    """
    rows = catalog.releases(product)
    if not rows:
        return f"unknown product {product!r}; known: {', '.join(catalog.products())}"
    header = ("Release", "Label", "Released", "End of support", "Extended/ESU", "Edition")
    table = [
        (
            str(r.get("name")) + (" *" if r.get("unverified") else ""),
            str(r.get("label") or ""),
            str(r.get("releaseDate") or "-"),
            str(r.get("eolFrom") or "-"),
            str(r.get("eoesFrom") or r.get("esu_end") or "-"),
            str(_split_release_name(product, str(r.get("name")), r.get("edition"))[1] or "all"),
        )
        for r in rows
    ]
    lines = [f"{catalog.label(product)} ({product}) - catalog snapshot {catalog.snapshot_date.isoformat()}",
             *text_table(header, table)]
    if any(r.get("unverified") for r in rows):
        lines.append("* unverified local data: check the vendor's lifecycle page")
    return "\n".join(lines)
