"""Operating-system identification: free-text RMM/PSA captions to an endoflife.date product and release.

``identify_os`` turns the OS strings exports carry ("Microsoft Windows 11 Pro 10.0.26100",
"macOS Sonoma 14.5", ...) into an ``OsIdentity``: a product slug, a release cycle and an edition.
It knows nothing about dates, so it never goes stale and is cheap to cache; the dates live in
``pipeline.catalog.lifecycle``.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

__all__ = ["OsIdentity", "identify_os", "UNKNOWN_PRODUCT", "HOME_PRO", "ENTERPRISE", "LTSC", "IOT_LTSC"]


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
_WIN11_BUILDS = {22000: "21h2", 22621: "22h2", 22631: "23h2", 26100: "24h2", 26200: "25h2", 28000: "26h1"}
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
    sbs = re.search(r"\b(?:small\s+business\s+server|sbs)\s*2011\b", low)
    if sbs:  # built on Server 2008 R2 SP1 (build 7601) but with its own lifecycle entry
        essentials = "essentials" in low
        cycle = "sbs-2011-essentials" if essentials else "sbs-2011"
        label = f"Windows Small Business Server 2011{' Essentials' if essentials else ''}"
        return OsIdentity("windows-server", cycle, None, False, label, True, build)
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
    if token and (token.group(1) in valid or (major == "11" and token.group(1) > max(_WIN11_VERSIONS))):
        # A Windows 11 version newer than any this table knows is still that version: the catalog says whether
        # it knows it, or that it is newer than the catalog.
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
