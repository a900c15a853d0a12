#!/usr/bin/env python3
"""Generate the deterministic sample exports under ``inputs/`` for six fictional clients.

Run from the repository root::

    .venv/bin/python tools/make_samples.py

Standard library only.  Everything comes from one ``random.Random(20261120)`` consumed in a
fixed order, so two runs produce byte-identical files.  The review date ("as of") of the
samples is 2026-11-20 (quarter 2026-Q4); every "last seen", refresh and activity date is
relative to it.

The script rewrites the sample data completely: it deletes the folders it owns
(``psa/ rmm/ m365/ pax8/ warranty/``) and the top-level files it owns, then writes them again,
plus ``inputs/README.md``.  Anything else in ``inputs/`` (for example user ingest profiles in
``inputs/profiles/``) is left alone.

It also writes ``tests/samples_expected.json``: facts computed from the generator's own data
structures (not by re-reading the CSVs) that a test can check after ingest.

Layout of this file: catalogs (operating systems, hardware models) -> data classes ->
random helpers -> one builder per client (its story lives there) -> one writer per file
(the formats themselves, headers, encodings and date styles, are in tools/exports.py, shared with the
benchmark and ingest-fixture generators) -> expected facts -> README -> main().
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: make tools.exports importable
from tools.exports import (CW_AGREEMENTS, CW_CONFIGURATIONS, DATTO_DEVICE_DETAILS, DATTO_PATCH_SUMMARY,  # noqa: E402
                           DATTO_STORAGE, DECISIONS, GOALS, M365_ACTIVE_USER_DETAIL, M365_SERVICES, M365_USERS,
                           M365_USERS_EXCEL, NINJAONE_DEVICES, PAX8_SUBSCRIPTIONS, PSWARRANTY,
                           PSWARRANTY_LOOKUP_FAILED, ROSTER, ExportFormat, ExportWriter, datto_datetime,
                           epoch_date, epoch_seconds, gigabytes, iso_z, m365_bool, m365_datetime, us_datetime)

SEED = 20261120
AS_OF = date(2026, 11, 20)                    # the review date of the samples
REPORT_REFRESH = date(2026, 11, 18)           # M365 usage report refresh date
EXPORT_TIME = datetime(2026, 11, 20, 7, 45)   # local (EST) time the RMM reports ran
EST = timezone(timedelta(hours=-5))
INACTIVE_DAYS = 90

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
EXPECTED = ROOT / "tests" / "samples_expected.json"
OWNED_DIRS = ("psa", "rmm", "m365", "pax8", "warranty")
OWNED_FILES = ("clients.csv", "goals.csv", "decisions.csv", "README.md")

rng = random.Random(SEED)


# --------------------------------------------------------------------------------------
# Catalogs
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OSInfo:
    key: str
    caption: str          # Datto RMM "Operating System"
    psa_type: str         # ConnectWise osType
    psa_info: str         # ConnectWise osInfo (version / build)
    family: str           # windows10 | windows11 | server | macos | network
    eol: date | None      # end of support (DOMAIN.md section 5), None = not tracked here
    ninja_name: str = ""  # NinjaOne os.name
    ninja_build: str = ""  # NinjaOne os.buildNumber


OSES: dict[str, OSInfo] = {o.key: o for o in [
    OSInfo("win10", "Microsoft Windows 10 Pro 10.0.19045", "Microsoft Windows 10 Pro x64",
           "10.0.19045", "windows10", date(2025, 10, 14), "Windows 10 Professional Edition", "19045"),
    OSInfo("win10ltsc", "Microsoft Windows 10 Enterprise LTSC 10.0.19044",
           "Microsoft Windows 10 Enterprise LTSC x64", "10.0.19044", "windows10", date(2027, 1, 12)),
    OSInfo("win11_23h2", "Microsoft Windows 11 Pro 10.0.22631", "Microsoft Windows 11 Pro x64",
           "10.0.22631", "windows11", date(2025, 11, 11), "Windows 11 Professional Edition", "22631"),
    OSInfo("win11_24h2", "Microsoft Windows 11 Pro 10.0.26100", "Microsoft Windows 11 Pro x64",
           "10.0.26100", "windows11", date(2026, 10, 13), "Windows 11 Professional Edition", "26100"),
    OSInfo("win11_25h2", "Microsoft Windows 11 Pro 10.0.26200", "Microsoft Windows 11 Pro x64",
           "10.0.26200", "windows11", date(2027, 10, 12), "Windows 11 Professional Edition", "26200"),
    OSInfo("srv2012r2", "Microsoft Windows Server 2012 R2 Standard 6.3.9600",
           "Microsoft Windows Server 2012 R2 Standard x64", "6.3.9600", "server", date(2023, 10, 10)),
    OSInfo("srv2016", "Microsoft Windows Server 2016 Standard 10.0.14393",
           "Microsoft Windows Server 2016 Standard x64", "10.0.14393", "server", date(2027, 1, 12)),
    OSInfo("srv2019", "Microsoft Windows Server 2019 Standard 10.0.17763",
           "Microsoft Windows Server 2019 Standard x64", "10.0.17763", "server", date(2029, 1, 9)),
    OSInfo("srv2022", "Microsoft Windows Server 2022 Standard 10.0.20348",
           "Microsoft Windows Server 2022 Standard x64", "10.0.20348", "server", date(2031, 10, 14)),
    OSInfo("srv2022dc", "Microsoft Windows Server 2022 Datacenter 10.0.20348",
           "Microsoft Windows Server 2022 Datacenter x64", "10.0.20348", "server", date(2031, 10, 14)),
    OSInfo("macos14", "macOS Sonoma 14.7.1", "macOS Sonoma", "14.7.1", "macos", None,
           "macOS Sonoma", "14.7.1"),
    OSInfo("macos15", "macOS Sequoia 15.6.1", "macOS Sequoia", "15.6.1", "macos", None,
           "macOS Sequoia", "15.6.1"),
    OSInfo("sonicos", "SonicOS 7.1.1", "SonicOS", "7.1.1-7058", "network", None),
    OSInfo("fortios", "FortiOS 7.4.8", "FortiOS", "7.4.8", "network", None),
    OSInfo("arubaos", "ArubaOS-Switch 16.11", "ArubaOS-Switch", "16.11.0021", "network", None),
    OSInfo("arubacx", "AOS-CX 10.13", "AOS-CX", "10.13.1000", "network", None),
    OSInfo("arubaap", "ArubaOS 8.12", "ArubaOS (Instant)", "8.12.0.1", "network", None),
    OSInfo("unifi", "UniFi AP 6.7", "UniFi", "6.7.31", "network", None),
    OSInfo("ciscocbs", "Cisco CBS350 3.3", "Cisco CBS", "3.3.0.16", "network", None),
    OSInfo("dsm", "Synology DSM 7.2.2", "Synology DSM", "7.2.2-72806", "network", None),
]}


@dataclass(frozen=True)
class Model:
    key: str
    rmm_manufacturer: str   # what the BIOS / agent reports (Datto "Manufacturer")
    psa_manufacturer: str   # ConnectWise manufacturer.name
    name: str               # model name (PSA modelNumber, Datto "Device Model")
    kind: str               # Desktop | Laptop | Server | Firewall | Switch | Access Point | NAS
    serial_style: str
    cpu: str = ""
    cores: int = 0
    mem_gb: int = 0
    disk_gb: float = 0.0    # C: capacity as Windows reports it
    ninja_model: str = ""   # NinjaOne system.model (Apple model identifier)


MODELS: dict[str, Model] = {m.key: m for m in [
    # Dell
    Model("opt7060", "Dell Inc.", "Dell", "OptiPlex 7060", "Desktop", "dell",
          "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz", 6, 8, 237.9),
    Model("opt7070", "Dell Inc.", "Dell", "OptiPlex 7070", "Desktop", "dell",
          "Intel(R) Core(TM) i5-9500 CPU @ 3.00GHz", 6, 16, 237.9),
    Model("opt5080", "Dell Inc.", "Dell", "OptiPlex 5080", "Desktop", "dell",
          "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", 6, 16, 237.9),
    Model("opt7090", "Dell Inc.", "Dell", "OptiPlex 7090", "Desktop", "dell",
          "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz", 8, 16, 476.3),
    Model("opt7010", "Dell Inc.", "Dell", "OptiPlex Micro 7010", "Desktop", "dell",
          "13th Gen Intel(R) Core(TM) i5-13500T", 14, 16, 476.3),
    Model("opt7020", "Dell Inc.", "Dell", "OptiPlex Micro 7020", "Desktop", "dell",
          "14th Gen Intel(R) Core(TM) i5-14500T", 14, 16, 476.3),
    Model("lat5480", "Dell Inc.", "Dell", "Latitude 5480", "Laptop", "dell",
          "Intel(R) Core(TM) i5-7300U CPU @ 2.60GHz", 2, 8, 237.9),
    Model("lat5490", "Dell Inc.", "Dell", "Latitude 5490", "Laptop", "dell",
          "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", 4, 8, 237.9),
    Model("lat5400", "Dell Inc.", "Dell", "Latitude 5400", "Laptop", "dell",
          "Intel(R) Core(TM) i5-8365U CPU @ 1.60GHz", 4, 16, 237.9),
    Model("lat5410", "Dell Inc.", "Dell", "Latitude 5410", "Laptop", "dell",
          "Intel(R) Core(TM) i5-10310U CPU @ 1.70GHz", 4, 16, 237.9),
    Model("lat5420", "Dell Inc.", "Dell", "Latitude 5420", "Laptop", "dell",
          "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 4, 16, 237.9),
    Model("lat5440", "Dell Inc.", "Dell", "Latitude 5440", "Laptop", "dell",
          "13th Gen Intel(R) Core(TM) i5-1345U", 10, 16, 476.3),
    Model("lat7440", "Dell Inc.", "Dell", "Latitude 7440", "Laptop", "dell",
          "13th Gen Intel(R) Core(TM) i7-1365U", 10, 32, 476.3),
    Model("xps9530", "Dell Inc.", "Dell", "XPS 15 9530", "Laptop", "dell",
          "13th Gen Intel(R) Core(TM) i7-13700H", 14, 32, 953.3),
    Model("r730", "Dell Inc.", "Dell", "PowerEdge R730", "Server", "dell",
          "Intel(R) Xeon(R) CPU E5-2640 v4 @ 2.40GHz", 20, 64, 278.9),
    Model("t440", "Dell Inc.", "Dell", "PowerEdge T440", "Server", "dell",
          "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz", 8, 64, 278.9),
    Model("r640", "Dell Inc.", "Dell", "PowerEdge R640", "Server", "dell",
          "Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz", 10, 128, 446.6),
    Model("r740", "Dell Inc.", "Dell", "PowerEdge R740", "Server", "dell",
          "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", 32, 256, 446.6),
    Model("r650", "Dell Inc.", "Dell", "PowerEdge R650", "Server", "dell",
          "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", 32, 128, 446.6),
    Model("t350", "Dell Inc.", "Dell", "PowerEdge T350", "Server", "dell",
          "Intel(R) Xeon(R) E-2334 CPU @ 3.40GHz", 4, 32, 446.6),
    # HP
    Model("ed800g6", "HP", "HP", "HP EliteDesk 800 G6 SFF", "Desktop", "hp_dt",
          "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", 6, 16, 237.9),
    Model("ed800g9", "HP", "HP", "HP EliteDesk 800 G9 Mini", "Desktop", "hp_dt",
          "12th Gen Intel(R) Core(TM) i5-12500T", 6, 16, 476.3),
    Model("eb840g8", "HP", "HP", "HP EliteBook 840 G8", "Laptop", "hp_nb",
          "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 4, 16, 237.9),
    Model("eb840g10", "HP", "HP", "HP EliteBook 840 G10", "Laptop", "hp_nb",
          "13th Gen Intel(R) Core(TM) i5-1345U", 10, 16, 476.3),
    Model("dl380g9", "HPE", "HPE", "ProLiant DL380 Gen9", "Server", "hp_srv",
          "Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", 16, 64, 278.9),
    # Lenovo
    Model("m70q3", "LENOVO", "Lenovo", "ThinkCentre M70q Gen 3", "Desktop", "lenovo_dt",
          "12th Gen Intel(R) Core(TM) i5-12400T", 6, 16, 476.3),
    Model("t490", "LENOVO", "Lenovo", "ThinkPad T490", "Laptop", "lenovo_nb",
          "Intel(R) Core(TM) i5-8265U CPU @ 1.60GHz", 4, 8, 237.9),
    Model("t14g3", "LENOVO", "Lenovo", "ThinkPad T14 Gen 3", "Laptop", "lenovo_nb",
          "12th Gen Intel(R) Core(TM) i5-1245U", 10, 16, 476.3),
    Model("t14g4", "LENOVO", "Lenovo", "ThinkPad T14 Gen 4", "Laptop", "lenovo_nb",
          "13th Gen Intel(R) Core(TM) i5-1345U", 10, 16, 476.3),
    Model("x1c11", "LENOVO", "Lenovo", "ThinkPad X1 Carbon Gen 11", "Laptop", "lenovo_nb",
          "13th Gen Intel(R) Core(TM) i7-1365U", 10, 32, 476.3),
    # Custom builds (whitebox): the BIOS placeholders are what the agent reports
    Model("wb_asus", "System manufacturer", "Custom Build", "System Product Name", "Desktop",
          "whitebox", "Intel(R) Core(TM) i7-9700 CPU @ 3.00GHz", 8, 32, 476.3),
    Model("wb_asrock", "To Be Filled By O.E.M.", "Custom Build", "To Be Filled By O.E.M.",
          "Desktop", "whitebox", "Intel(R) Core(TM) i7-10700K CPU @ 3.80GHz", 8, 32, 953.3),
    Model("wb_gigabyte", "Gigabyte Technology Co., Ltd.", "Custom Build", "B460M DS3H",
          "Desktop", "whitebox", "Intel(R) Core(TM) i5-10400 CPU @ 2.90GHz", 6, 16, 476.3),
    # Apple
    Model("mbp16_1", "Apple Inc.", "Apple", "MacBook Pro (16-inch, 2019)", "Laptop", "apple_old",
          "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz", 6, 16, 500.3, "MacBookPro16,1"),
    Model("mbp18_3", "Apple Inc.", "Apple", "MacBook Pro (14-inch, 2021)", "Laptop", "apple_new",
          "Apple M1 Pro", 8, 16, 494.4, "MacBookPro18,3"),
    Model("mba14_2", "Apple Inc.", "Apple", "MacBook Air (M2, 2022)", "Laptop", "apple_new",
          "Apple M2", 8, 16, 494.4, "Mac14,2"),
    Model("mbp15_3", "Apple Inc.", "Apple", "MacBook Pro (14-inch, M3, Nov 2023)", "Laptop",
          "apple_new", "Apple M3", 8, 16, 994.7, "Mac15,3"),
    Model("mbp16_1m4", "Apple Inc.", "Apple", "MacBook Pro (14-inch, M4, 2024)", "Laptop",
          "apple_new", "Apple M4", 10, 24, 994.7, "Mac16,1"),
    # Network and storage appliances (PSA only)
    Model("tz370", "SonicWall", "SonicWall", "TZ370", "Firewall", "sonicwall"),
    Model("nsa2700", "SonicWall", "SonicWall", "NSa 2700", "Firewall", "sonicwall"),
    Model("fg60f", "Fortinet", "Fortinet", "FortiGate 60F", "Firewall", "fortinet60"),
    Model("fg100f", "Fortinet", "Fortinet", "FortiGate 100F", "Firewall", "fortinet100"),
    Model("cbs350", "Cisco", "Cisco", "CBS350-24P-4G", "Switch", "cisco"),
    Model("hp2930f", "Aruba", "Aruba", "Aruba 2930F 48G PoE+ 4SFP+", "Switch", "aruba"),
    Model("hp2530", "Aruba", "Aruba", "Aruba 2530 24G PoE+", "Switch", "aruba"),
    Model("cx6100", "Aruba", "Aruba", "Aruba CX 6100 48G Class4 PoE", "Switch", "aruba"),
    Model("ap515", "Aruba", "Aruba", "AP-515", "Access Point", "aruba"),
    Model("u6pro", "Ubiquiti", "Ubiquiti", "U6-Pro", "Access Point", "ubiquiti"),
    Model("u6ent", "Ubiquiti", "Ubiquiti", "U6-Enterprise", "Access Point", "ubiquiti"),
    Model("ds920", "Synology", "Synology", "DS920+", "NAS", "synology"),
]}

NETWORK_OS = {"tz370": "sonicos", "nsa2700": "sonicos", "fg60f": "fortios", "fg100f": "fortios",
              "cbs350": "ciscocbs", "hp2930f": "arubaos", "hp2530": "arubaos", "cx6100": "arubacx",
              "ap515": "arubaap", "u6pro": "unifi", "u6ent": "unifi", "ds920": "dsm"}

WARRANTY_PRODUCTS = {
    "Dell": ["ProSupport", "ProSupport Plus for PCs", "Basic Hardware Service"],
    "Dell-Server": ["ProSupport Next Business Day Onsite", "ProSupport Plus Mission Critical 4Hr"],
    "Lenovo": ["Premier Support", "Onsite Warranty", "Depot Warranty"],
    "HP": ["Wty: HP HW Maintenance Onsite Support", "HP Care Pack - Next Business Day Onsite"],
    "HPE": ["HPE Foundation Care NBD Service"],
}

# Friendly licence names (M365 admin center) -> services they carry in the usage report.
SUITE = ("Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams")
PRODUCT_SERVICES = {
    "Microsoft 365 Business Premium": SUITE,
    "Microsoft 365 Business Standard": SUITE,
    "Microsoft 365 Business Basic": SUITE,
    "Microsoft 365 F3": SUITE,
    "Exchange Online (Plan 1)": ("Exchange",),
    "Microsoft Teams Phone Standard": (),
    "Microsoft Defender for Office 365 (Plan 1)": (),
}
SERVICES = M365_SERVICES

PAX8_PRODUCT_IDS: dict[str, str] = {}   # filled lazily, deterministic order of first use


# --------------------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------------------

@dataclass
class Device:
    hostname: str                   # canonical: upper case, no domain suffix ("" = none)
    model: Model
    serial: str                     # as the hardware reports it (may be a junk placeholder)
    os: OSInfo | None
    purchase: date | None
    warranty_years: int = 3
    site: str = ""                  # Datto site or NinjaOne organization
    rmm: str | None = "datto"       # "datto" | "ninja" | None (PSA only)
    in_psa: bool = True
    psa_status: str = "Active"
    psa_name: str = ""              # the PSA's spelling of the hostname (default = hostname)
    psa_os: OSInfo | None = None    # a stale OS recorded in the PSA (default = os)
    psa_bad: str | None = None      # reason the PSA row must be rejected by ingest
    psa_bad_field: str = ""         # which PSA column carries the bad value
    psa_bad_value: str = ""
    warranty_lookup: str = "ok"     # ok | fail (lookup failed) | skip (not in the file)
    warranty_product: str = ""
    # RMM state (filled by finish_rmm unless preset)
    last_seen_days: float | None = None
    last_seen: datetime | None = None
    last_reboot: datetime | None = None
    enrolled: datetime | None = None
    av: str = ""
    patch_status: str = ""
    offline: bool = False
    int_ip: str = ""
    ext_ip: str = ""
    agent: str = ""
    drives: list[tuple[str, float, float]] = field(default_factory=list)
    psa_id: int = 0
    vendor: str = ""

    @property
    def warranty_end(self) -> date | None:
        if self.purchase is None or self.model.serial_style == "whitebox":
            return None
        return add_years(self.purchase, self.warranty_years)

    @property
    def live_os(self) -> OSInfo | None:
        """The OS a merged record should show: the RMM's when the RMM knows the device."""
        return self.os if self.rmm else (self.psa_os or self.os)

    @property
    def valid(self) -> bool:
        return self.psa_bad is None


@dataclass
class User:
    upn: str
    display: str
    first: str = ""
    last: str = ""
    kind: str = "member"            # member | shared | guest
    licenses: list[str] = field(default_factory=list)
    blocked: bool = False
    created: datetime | None = None
    title: str = ""
    department: str = ""
    state: str = "active"           # active | inactive | never | departed
    departed: date | None = None
    activity: dict[str, date | None] = field(default_factory=dict)
    assigned: date | None = None
    pw_never_expires: bool = False
    pw_changed: datetime | None = None
    mobile: str = ""
    phone: str = ""
    dirsync: bool = False
    guest_mail: str = ""

    def last_activity(self) -> date | None:
        dates = [d for d in self.activity.values() if d]
        return max(dates) if dates else None


@dataclass
class Subscription:
    product: str
    quantity: int
    billing_term: str               # Monthly | Annual
    commitment_term: str            # 1-Year | Monthly
    commitment_end: date | None
    start: date
    price: float
    partner_cost: float
    status: str = "Active"
    end: date | None = None
    price_text: str = ""            # overrides the written price (currency-symbol quirk)
    id: str = ""


@dataclass
class Agreement:
    name: str
    type: str
    start: date
    end: date | None
    amount: float
    no_end: bool = False
    cancelled: bool = False
    id: int = 0


@dataclass
class Goal:
    goal: str
    target: date
    owner: str
    metric: str
    priority: str
    tags: list[str]


@dataclass
class Client:
    name: str                       # roster name
    psa_id: str                     # ConnectWise company identifier
    psa_name: str
    pax8_name: str | None
    domain: str                     # primary M365 domain (folder name under inputs/m365)
    tenant: str                     # *.onmicrosoft.com
    extra_domains: list[str]
    rmm_sites: list[str]
    ninja_org: str | None
    tier: str
    vcio: str
    fy_start: int
    cadence: str
    city: str
    state_code: str
    postal: str
    street: str
    area: str                       # phone area code
    onboarded: date
    us_dates_in_psa: bool = False
    users_cp1252: bool = False
    conceal_activity: bool = False
    dirsync: bool = False
    devices: list[Device] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    subs: list[Subscription] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    pax8_company_id: str = ""

    @property
    def aliases(self) -> list[str]:
        out: list[str] = []
        for a in [self.psa_name, *self.rmm_sites, self.ninja_org, self.pax8_name]:
            if a and a != self.name and a not in out:
                out.append(a)
        return out


# --------------------------------------------------------------------------------------
# Random helpers
# --------------------------------------------------------------------------------------

_serials_used: set[str] = set()
_hex_used: set[str] = set()
DELL_CHARS = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
APPLE_CHARS = "0123456789CDFGHJKLMNPQRTVWXY"


def _chars(alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def new_serial(style: str) -> str:
    """A unique, realistic serial number for a manufacturer's style."""
    while True:
        if style == "dell":
            s = _chars(DELL_CHARS, 7)
        elif style == "lenovo_nb":
            s = "PF" + _chars(ALNUM, 6)
        elif style == "lenovo_dt":
            s = "MJ0" + _chars(ALNUM, 5)
        elif style == "hp_nb":
            s = "5CG" + _chars("0123456789", 4) + _chars(ALNUM, 3)
        elif style == "hp_dt":
            s = "MXL" + _chars("0123456789", 4) + _chars(ALNUM, 3)
        elif style == "hp_srv":
            s = "CZJ" + _chars("0123456789", 4) + _chars(ALNUM, 3)
        elif style == "apple_old":
            s = "C02" + _chars(APPLE_CHARS, 9)
        elif style == "apple_new":
            s = _chars(APPLE_CHARS, 10)
        elif style == "sonicwall":
            s = "2CB8ED" + _chars("0123456789ABCDEF", 6)
        elif style == "fortinet60":
            s = "FGT60FTK" + _chars("0123456789", 8)
        elif style == "fortinet100":
            s = "FG100FTK" + _chars("0123456789", 8)
        elif style == "cisco":
            s = "PSZ" + _chars("0123456789", 4) + _chars(ALNUM, 4)
        elif style == "aruba":
            s = "CN" + _chars("0123456789", 2) + _chars(ALNUM, 6)
        elif style == "ubiquiti":
            s = "F4E2C6" + _chars("0123456789ABCDEF", 6)
        elif style == "synology":
            s = "2290PDN" + _chars("0123456789", 6)
        else:
            raise ValueError(style)
        if s not in _serials_used:
            _serials_used.add(s)
            return s


def new_guid() -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_hash() -> str:
    while True:
        h = f"{rng.getrandbits(128):032X}"
        if h not in _hex_used:
            _hex_used.add(h)
            return h


def rand_date(start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def rand_time(d: date, h0: int = 7, h1: int = 18) -> datetime:
    return datetime(d.year, d.month, d.day, rng.randint(h0, h1 - 1), rng.randint(0, 59),
                    rng.randint(0, 59))


def add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:              # 29 February
        return d.replace(year=d.year + n, day=28)


def days_ago(n: float, base: datetime = EXPORT_TIME) -> datetime:
    return (base - timedelta(days=n)).replace(microsecond=0)


def weighted(options: list[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def ascii_name(s: str) -> str:
    s = s.translate(str.maketrans({"Ł": "L", "ł": "l", "ø": "o", "ß": "ss", "'": ""}))
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().replace(" ", "")


FIRST_NAMES = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony",
    "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
    "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian",
    "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Laura",
    "Edward", "Sharon", "Jeffrey", "Cynthia", "Ryan", "Kathleen", "Jacob", "Amy", "Gary", "Angela",
    "Nicholas", "Shirley", "Eric", "Brenda", "Jonathan", "Emma", "Stephen", "Anna", "Larry",
    "Pamela", "Justin", "Nicole", "Scott", "Samantha", "Brandon", "Katherine", "Benjamin",
    "Christine", "Samuel", "Rachel", "Gregory", "Carolyn", "Alexander", "Janet", "Frank", "Maria",
    "Raymond", "Olivia", "Jack", "Heather", "Dennis", "Helen", "Tyler", "Catherine", "Aaron",
    "Diane", "Priya", "Wei", "Hiroshi", "Aisha", "Mateo", "Fatima", "Kwame", "Mei", "Arjun",
    "Leila", "Diego", "Yuki", "Omar", "Ingrid", "Tomas", "Nadia", "Rafael", "Chloe", "Ethan",
]
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner",
    "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales",
    "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
    "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks",
    "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez",
    "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Chen", "Shah",
    "Tanaka", "Okafor", "Novak", "Larsen", "Fischer", "Kowalski", "Haddad", "Singh", "Osei",
]


class NamePool:
    """Unique person names per tenant, with a few fixed ones injected first."""

    def __init__(self, fixed: list[tuple[str, str]] | None = None):
        self.fixed = list(fixed or [])
        self.used: set[tuple[str, str]] = set(self.fixed)

    def take(self) -> tuple[str, str]:
        if self.fixed:
            return self.fixed.pop(0)
        while True:
            n = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
            if n not in self.used:
                self.used.add(n)
                return n


# --------------------------------------------------------------------------------------
# Building devices
# --------------------------------------------------------------------------------------

def dev(host: str, model_key: str, os_key: str | None, purchase: date | None, years: int = 3,
        **kw) -> Device:
    """One device; ``serial`` defaults to a fresh serial of the model's style."""
    model = MODELS[model_key]
    if os_key is None and model_key in NETWORK_OS:
        os_key = NETWORK_OS[model_key]
    serial = kw.pop("serial", None)
    if serial is None:
        serial = new_serial(model.serial_style)
    d = Device(hostname=host, model=model, serial=serial, os=OSES[os_key] if os_key else None,
               purchase=purchase, warranty_years=years, **kw)
    if model.kind in ("Firewall", "Switch", "Access Point", "NAS"):
        d.rmm = None
    return d


def win11(weights: tuple[float, float, float] = (0.0, 0.2, 0.8)) -> str:
    return weighted([("win11_23h2", weights[0]), ("win11_24h2", weights[1]),
                     ("win11_25h2", weights[2])])


def finish_devices(c: Client, av_product: str, subnets: dict[str, str], ext: dict[str, str]):
    """Fill in RMM state, vendors and warranty products for every device of a client."""
    for d in c.devices:
        m = d.model
        # PSA
        if not d.psa_name:
            d.psa_name = d.hostname
        if not d.vendor:
            d.vendor = {
                "Dell": rng.choice(["Dell Technologies", "Dell Technologies", "CDW"]),
                "HP": rng.choice(["CDW", "TD SYNNEX"]), "HPE": "TD SYNNEX",
                "Lenovo": rng.choice(["CDW", "TD SYNNEX"]), "Apple": "Apple Business",
                "Custom Build": "Chesapeake Dental Imaging",
            }.get(m.psa_manufacturer, rng.choice(["CDW", "TD SYNNEX", "Ingram Micro"]))
        if not d.warranty_product and d.warranty_end:
            key = m.psa_manufacturer + ("-Server" if m.kind == "Server" and
                                        m.psa_manufacturer == "Dell" else "")
            d.warranty_product = rng.choice(WARRANTY_PRODUCTS.get(key, ["Standard Warranty"]))
        if d.rmm is None:
            continue
        # RMM
        if d.last_seen is None:
            if d.last_seen_days is None:
                if m.kind == "Server":
                    d.last_seen_days = rng.uniform(0.0005, 0.01)
                elif m.kind == "Desktop":        # online now, or switched off overnight
                    r = rng.random()
                    d.last_seen_days = rng.uniform(0.001, 0.02) if r < 0.6 else rng.uniform(0.3, 2.5)
                else:                               # laptops travel and sleep
                    r = rng.random()
                    d.last_seen_days = (rng.uniform(0.001, 0.05) if r < 0.6 else
                                        rng.uniform(0.4, 3.0) if r < 0.9 else rng.uniform(3.0, 9.0))
            d.last_seen = days_ago(d.last_seen_days)
        if d.last_reboot is None:
            back = rng.uniform(0.2, 6.0) if d.patch_status != "Reboot Required" else rng.uniform(
                18, 41)
            d.last_reboot = d.last_seen - timedelta(days=back, seconds=rng.randint(0, 3000))
            d.last_reboot = d.last_reboot.replace(microsecond=0)
        if d.enrolled is None:
            start = max(c.onboarded, (d.purchase or c.onboarded) + timedelta(days=rng.randint(2, 20)))
            start = min(start, AS_OF - timedelta(days=3))
            d.enrolled = rand_time(start, 8, 17)
        if not d.av:
            d.av = av_product if m.kind != "Server" else "Windows Defender: running, up to date"
        if not d.patch_status:
            d.patch_status = weighted([("Fully Patched", 0.78), ("Approved Pending", 0.16),
                                       ("Reboot Required", 0.06)])
        if d.rmm == "datto":
            site_net = subnets[d.site]
            d.int_ip = f"{site_net}.{rng.randint(20, 250)}"
            d.ext_ip = ext[d.site] if (m.kind != "Laptop" or rng.random() < 0.7) else \
                f"198.51.100.{rng.randint(2, 254)}"
            d.agent = weighted([("4.4.2298.2298", 0.85), ("4.4.2191.2191", 0.15)])
        if not d.drives:
            used = rng.uniform(0.35, 0.85)
            d.drives = [("C:", m.disk_gb, round(m.disk_gb * (1 - used), 1))]
            if m.kind == "Server":
                cap = rng.choice([1862.9, 3725.9, 7451.8])
                d.drives.append(("D:", cap, round(cap * rng.uniform(0.12, 0.6), 1)))
            elif m.kind == "Desktop" and rng.random() < 0.12:
                d.drives.append(("D:", 931.5, round(931.5 * rng.uniform(0.2, 0.9), 1)))


# --------------------------------------------------------------------------------------
# Building users
# --------------------------------------------------------------------------------------

def activity_for(u: User, c: Client) -> None:
    """Last-activity and licence-assign dates for the usage report."""
    services = set()
    for lic in u.licenses:
        services.update(PRODUCT_SERVICES.get(lic, ()))
    u.activity = {s: None for s in SERVICES}
    if not u.licenses or u.kind != "member":
        return
    ref = REPORT_REFRESH

    def recent(lo: int, hi: int) -> date:
        return ref - timedelta(days=rng.randint(lo, hi))

    if u.state == "active":
        u.activity["Exchange"] = recent(0, 6) if "Exchange" in services else None
        if "OneDrive" in services and rng.random() < 0.75:
            u.activity["OneDrive"] = recent(0, 35)
        if "SharePoint" in services and rng.random() < 0.65:
            u.activity["SharePoint"] = recent(0, 45)
        if "Teams" in services and rng.random() < 0.9:
            u.activity["Teams"] = recent(0, 14)
        if "Yammer" in services and rng.random() < 0.05:
            u.activity["Yammer"] = recent(10, 50)
    elif u.state == "inactive":
        last = ref - timedelta(days=rng.randint(125, 400))
        u.activity["Exchange"] = last if "Exchange" in services else None
        if "Teams" in services and rng.random() < 0.5:
            u.activity["Teams"] = last - timedelta(days=rng.randint(0, 40))
    elif u.state == "departed":
        assert u.departed
        u.activity["Exchange"] = u.departed
        if "Teams" in services:
            u.activity["Teams"] = u.departed - timedelta(days=rng.randint(0, 2))
        if "OneDrive" in services and rng.random() < 0.7:
            u.activity["OneDrive"] = u.departed - timedelta(days=rng.randint(0, 10))
    # state "never": all empty
    created = u.created.date() if u.created else AS_OF
    u.assigned = created if rng.random() < 0.7 else rand_date(created, min(AS_OF, created +
                                                                         timedelta(days=400)))


def add_users(c: Client, pool: NamePool, n: int, licenses: list[str], roles: list[tuple[str, str]],
              state: str = "active", upn_style: str = "first.last", created_from: date | None = None,
              departed_range: tuple[int, int] | None = None) -> list[User]:
    """Add ``n`` member users holding ``licenses`` with (department, title) drawn from roles."""
    out = []
    for _ in range(n):
        first, last = pool.take()
        fa, la = ascii_name(first).lower(), ascii_name(last).lower()
        local = {"first.last": f"{fa}.{la}", "flast": f"{fa[0]}{la}", "first": fa}[upn_style]
        upn = f"{local}@{c.domain}"
        while any(x.upn == upn for x in c.users):
            local += str(rng.randint(2, 9))
            upn = f"{local}@{c.domain}"
        dept, title = rng.choice(roles)
        created = rand_time(rand_date(created_from or c.onboarded - timedelta(days=700),
                                      AS_OF - timedelta(days=150)), 0, 24)
        u = User(upn=upn, display=f"{first} {last}", first=first, last=last,
                 licenses=list(licenses), created=created, title=title, department=dept,
                 state=state, dirsync=c.dirsync)
        if state == "departed":
            lo, hi = departed_range or (130, 300)
            u.departed = AS_OF - timedelta(days=rng.randint(lo, hi))
            u.blocked = True
        u.pw_never_expires = rng.random() < 0.08
        last_pw = (u.departed or AS_OF) - timedelta(days=rng.randint(3, 380))
        u.pw_changed = rand_time(max(last_pw, created.date()), 0, 24)
        u.mobile = f"+1 {c.area} 555 {rng.randint(100, 199):04d}" if rng.random() < 0.6 else ""
        u.phone = f"+1 {c.area} 555 {rng.randint(200, 299):04d}" if rng.random() < 0.5 else ""
        c.users.append(u)
        out.append(u)
    return out


def add_shared(c: Client, local: str, display: str) -> None:
    created = rand_time(rand_date(c.onboarded, AS_OF - timedelta(days=200)), 0, 24)
    c.users.append(User(upn=f"{local}@{c.domain}", display=display, kind="shared",
                        blocked=True, created=created, pw_never_expires=False,
                        pw_changed=created, state="never"))


def add_guest(c: Client, mail: str, display: str) -> None:
    user, dom = mail.split("@")
    created = rand_time(rand_date(AS_OF - timedelta(days=700), AS_OF - timedelta(days=20)), 0, 24)
    c.users.append(User(upn=f"{user}_{dom}#EXT#@{c.tenant}", display=display, kind="guest",
                        created=created, guest_mail=mail, state="never",
                        pw_changed=created))


def sub(product: str, qty: int, billing: str, term: str, commit_end: date | None, start: date,
        price: float, cost: float, **kw) -> Subscription:
    return Subscription(product, qty, billing, term, commit_end, start, price, cost, **kw)


# --------------------------------------------------------------------------------------
# Client 1: Harbor Point Dental (the messy one)
# --------------------------------------------------------------------------------------

def build_harbor() -> Client:
    c = Client(
        name="Harbor Point Dental", psa_id="HarborPointDental", psa_name="Harbor Point Dental, Inc.",
        pax8_name="HARBOR POINT DENTAL", domain="harborpointdental.com",
        tenant="harborpointdental.onmicrosoft.com", extra_domains=["hpdental.com"],
        rmm_sites=["Harbor Point Dental - Main", "Harbor Pt Dental - Annex"], ninja_org=None,
        tier="Standard", vcio="Dana Whitfield", fy_start=1, cadence="quarterly",
        city="Annapolis", state_code="MD", postal="21403", street="410 Severn Ave, Suite 200",
        area="410", onboarded=date(2021, 11, 3), us_dates_in_psa=True, users_cp1252=True)
    main, annex = c.rmm_sites
    D = c.devices
    D.append(dev("HPD-FS01", "t440", "srv2016", date(2019, 6, 12), 5, site=main,
                 warranty_product="ProSupport Next Business Day Onsite\nKeep Your Hard Drive for Enterprise"))
    D.append(dev("FRONTDESK-01", "opt7090", "win11_25h2", date(2021, 10, 18), site=main))
    D.append(dev("FRONTDESK-02", "opt7090", "win11_24h2", date(2021, 10, 18), site=main))
    D.append(dev("OFFICEMGR-01", "ed800g6", "win10", date(2020, 8, 27), site=main))
    for i, (model, os_key, bought) in enumerate([
            ("opt7060", "win10", date(2018, 9, 4)), ("opt7060", "win10", date(2018, 9, 4)),
            ("opt7070", "win10", date(2019, 11, 21)), ("opt7070", "win10", date(2019, 11, 21)),
            ("m70q3", "win11_25h2", date(2023, 2, 9)), ("m70q3", "win11_25h2", date(2023, 2, 9))], 1):
        D.append(dev(f"OP-{i:02d}", model, os_key, bought, site=main))
    # Integrator-built imaging PCs: their BIOS serials are placeholders in every tool.
    D.append(dev("IMAGING-01", "wb_asrock", "win10", date(2020, 3, 2), site=main,
                 serial="To be filled by O.E.M."))
    D.append(dev("IMAGING-02", "wb_asus", "win10", date(2020, 3, 2), site=main,
                 serial="Default string"))
    D.append(dev("PANO-01", "wb_asus", "win10", date(2019, 5, 14), site=main,
                 serial="Default string"))
    D.append(dev("BILLING-01", "wb_gigabyte", "win10", date(2021, 1, 11), site=main,
                 serial="System Serial Number"))
    D.append(dev("CONSULT-01", "wb_gigabyte", "win10", date(2021, 1, 11), site=main,
                 serial="None"))
    D.append(dev("DRSMITH-LT", "t14g3", "win11_25h2", date(2022, 12, 5), site=main))
    D.append(dev("DRPATEL-LT", "lat5440", "win11_25h2", date(2024, 4, 16), site=main))
    D.append(dev("HYG-LT-01", "eb840g8", "win11_24h2", date(2022, 3, 30), site=main,
                 in_psa=False))
    D.append(dev("ANNEX-FD-01", "opt7010", "win11_25h2", date(2024, 7, 8), site=annex))
    D.append(dev("ANNEX-OP-01", "m70q3", "win10", date(2022, 6, 20), site=annex))
    D.append(dev("ANNEX-OP-02", "m70q3", "win11_25h2", date(2023, 9, 12), site=annex))
    D.append(dev("ANNEX-LT-01", "eb840g10", "win11_25h2", date(2024, 10, 1), site=annex,
                 in_psa=False))
    # PSA only: network gear and a retired laptop
    D.append(dev("HPD-FW01", "tz370", None, date(2023, 3, 15), 3, warranty_lookup="skip"))
    D.append(dev("HPD-SW01", "cbs350", None, date(2021, 11, 10), 5, warranty_lookup="skip"))
    D.append(dev("HPD-AP01", "u6pro", None, date(2022, 1, 19), 1, warranty_lookup="skip"))
    D.append(dev("HPD-AP02", "u6pro", None, date(2022, 1, 19), 1, warranty_lookup="skip"))
    D.append(dev("DR-OLD-LT", "lat5480", "win10", date(2018, 2, 20), rmm=None,
                 psa_status="Inactive"))
    # Rows ingest must reject (PSA only, so rejecting them removes the device).
    D.append(dev("OLD-XRAY-PC", "opt7060", "win10", date(2018, 1, 8), rmm=None,
                 psa_bad="unparseable purchaseDate", psa_bad_field="purchaseDate",
                 psa_bad_value="TBD", warranty_lookup="skip"))
    D.append(dev("STERI-01", "opt7060", "win10", date(2018, 1, 8), rmm=None,
                 psa_bad="unparseable warrantyExpirationDate",
                 psa_bad_field="warrantyExpirationDate", psa_bad_value="31/31/2020",
                 warranty_lookup="skip"))
    D.append(dev("", "opt7090", None, None, rmm=None, serial="",
                 psa_bad="no hostname and no serial", warranty_lookup="skip"))
    # Hostname quirk: the PSA holds the FQDN in mixed case, the RMM the bare NetBIOS name.
    for d in D:
        if d.hostname and d.in_psa:
            stem = rng.choice([d.hostname, d.hostname, d.hostname.lower(), d.hostname.title()])
            d.psa_name = f"{stem}.hpd.local"
    D[1].psa_name = "FRONTDESK-01.hpd.local"
    # Warranty lookup: one HP failed
    next(d for d in D if d.hostname == "HYG-LT-01").warranty_lookup = "fail"
    finish_devices(c, "Windows Defender: running, up to date",
                   {main: "192.168.10", annex: "192.168.20"},
                   {main: "203.0.113.18", annex: "203.0.113.77"})
    next(d for d in D if d.hostname == "PANO-01").patch_status = "Install Error"

    # Users (cp1252 file, Excel re-save)
    pool = NamePool([("José", "Ramírez"), ("Renée", "Côté"), ("Maria", "Alvarez")])
    roles_front = [("Front Office", "Receptionist"), ("Front Office", "Billing Coordinator"),
                   ("Front Office", "Treatment Coordinator")]
    roles_clin = [("Clinical", "Dental Hygienist"), ("Clinical", "Dental Assistant"),
                  ("Clinical", "Dentist")]
    bp = ["Microsoft 365 Business Premium"]
    add_users(c, pool, 1, bp, [("Clinical", "Dental Hygienist")])        # José Ramírez
    add_users(c, pool, 1, bp, [("Front Office", "Office Manager")])     # Renée Côté
    add_users(c, pool, 1, bp, [("Clinical", "Dentist / Owner")])       # Maria Alvarez
    add_users(c, pool, 11, bp, roles_front + roles_clin)
    add_users(c, pool, 1, bp, [("Clinical", "Dental Hygienist")], state="departed",
              departed_range=(160, 200))
    add_users(c, pool, 2, ["Exchange Online (Plan 1)"], [("Clinical", "Dental Assistant")])
    add_users(c, pool, 1, ["Exchange Online (Plan 1)"], [("Clinical", "Dental Assistant")],
              state="inactive")
    add_users(c, pool, 2, [], [("Clinical", "Dental Assistant"), ("Front Office", "Receptionist")],
              state="never")
    add_shared(c, "frontdesk", "Front Desk")
    add_shared(c, "billing", "Billing")

    c.subs = [
        sub("Microsoft 365 Business Premium", 16, "Monthly", "1-Year", date(2027, 6, 30),
            date(2025, 7, 1), 22.00, 18.48, price_text="$22.00"),
        sub("Exchange Online (Plan 1)", 4, "Monthly", "Monthly", None, date(2024, 2, 1), 4.80, 4.00),
    ]
    c.agreements = [
        Agreement("Harbor Point - Managed Services", "Managed Services", date(2024, 1, 1),
                  date(2026, 12, 31), 3250.00),
        Agreement("Harbor Point - BCDR (SIRIS)", "Backup", date(2025, 3, 1), date(2028, 2, 29), 450.00),
    ]
    c.goals = [
        Goal("Pass the 2027 HIPAA Security Risk Assessment with no high-risk findings",
             date(2027, 6, 30), "Dr. Maria Alvarez", "SRA report with zero High findings", "High",
             ["compliance", "security"]),
        Goal("Open two more operatories at the Annex without clinical downtime", date(2027, 3, 31),
             "Renée Côté", "Annex rooms live with imaging; no cancelled appointments", "Medium",
             ["growth", "continuity"]),
        Goal("Move patient intake to tablets to cut check-in time", date(2027, 9, 30),
             "Renée Côté", "Average check-in under 5 minutes", "Low", ["productivity"]),
    ]
    return c


# --------------------------------------------------------------------------------------
# Client 2: Granite Ridge Manufacturing (servers past end of life)
# --------------------------------------------------------------------------------------

def build_granite() -> Client:
    c = Client(
        name="Granite Ridge Manufacturing", psa_id="GraniteRidge",
        psa_name="Granite Ridge Manufacturing", pax8_name="Granite Ridge Manufacturing Inc",
        domain="graniteridgemfg.com", tenant="graniteridgemfg.onmicrosoft.com", extra_domains=[],
        rmm_sites=["Granite Ridge Mfg - Plant", "Granite Ridge Mfg - Office"], ninja_org=None,
        tier="Premium", vcio="Marcus Oyelaran", fy_start=7, cadence="quarterly",
        city="Manchester", state_code="NH", postal="03103", street="1200 Industrial Park Dr",
        area="603", onboarded=date(2019, 8, 12), dirsync=True)
    plant, office = c.rmm_sites
    D = c.devices
    D.append(dev("GRM-ERP01", "r730", "srv2012r2", date(2016, 4, 18), 5, site=plant,
                 patch_status="No Policy"))
    D.append(dev("GRM-FS01", "dl380g9", "srv2012r2", date(2016, 9, 7), 5, site=plant))
    D.append(dev("GRM-DC01", "r640", "srv2016", date(2018, 3, 22), 5, site=office))
    D.append(dev("GRM-HV01", "r740", "srv2019", date(2020, 2, 11), 5, site=office))
    D.append(dev("GRM-DC02", "r640", "srv2019", date(2020, 2, 11), 5, site=office))
    D.append(dev("GRM-FW01", "nsa2700", None, date(2022, 5, 3), 3, warranty_lookup="skip"))
    D.append(dev("GRM-SW-CORE", "hp2930f", None, date(2019, 9, 16), 5, warranty_lookup="skip"))
    D.append(dev("GRM-SW-PLANT1", "hp2530", None, date(2019, 9, 16), 5, warranty_lookup="skip"))
    D.append(dev("GRM-SW-PLANT2", "hp2530", None, date(2019, 9, 16), 5, warranty_lookup="skip"))
    # 40 Windows 10 desktops on the shop floor and in the office, bought 2018-2020
    for i in range(1, 71):
        host = f"GRM-WS-{i:03d}"
        if i <= 40:
            model = rng.choice(["opt7060", "opt7070", "opt5080"])
            bought = rand_date(date(2018, 3, 1), date(2020, 12, 15))
            d = dev(host, model, "win10", bought, site=plant if i <= 28 else office)
        else:
            model = rng.choice(["opt7010", "opt7020", "ed800g9"])
            bought = rand_date(date(2022, 6, 1), date(2026, 8, 31))
            d = dev(host, model, win11(), bought, site=office if i <= 60 else plant)
        D.append(d)
    # Laptops: 25 bought 2019-11..2022-10 (4-7 years old, warranty expired), 16 newer
    for i in range(1, 42):
        host = f"GRM-LT-{i:03d}"
        if i <= 25:
            model = rng.choice(["lat5490", "lat5400", "lat5410", "lat5420", "t490"])
            bought = rand_date(date(2019, 11, 1), date(2022, 10, 31))
            os_key = win11((0.0, 0.35, 0.65))
        else:
            model = rng.choice(["lat5440", "lat7440", "t14g4"])
            bought = rand_date(date(2023, 1, 10), date(2026, 9, 30))
            os_key = win11()
        D.append(dev(host, model, os_key, bought, site=office))
    # Two retired PCs still in the PSA (Inactive), not in the RMM
    for host in ("GRM-WS-071", "GRM-WS-072"):
        D.append(dev(host, "opt7060", "win10", date(2018, 5, 2), rmm=None, psa_status="Inactive"))
    # A spare laptop in the PSA only
    D.append(dev("GRM-LT-042", "lat5440", "win11_25h2", date(2025, 2, 14), rmm=None))
    # RMM-only endpoints (never added to the PSA)
    for host in ("GRM-WS-012", "GRM-WS-033", "GRM-WS-047", "GRM-WS-058", "GRM-WS-066",
                 "GRM-LT-009", "GRM-LT-030", "GRM-LT-038"):
        next(d for d in D if d.hostname == host).in_psa = False
    by = {d.hostname: d for d in D}
    for h in ("GRM-WS-007", "GRM-WS-019", "GRM-WS-031"):
        by[h].av = "Windows Defender: not running"
    for h in ("GRM-WS-004", "GRM-WS-015", "GRM-WS-026", "GRM-LT-011", "GRM-FS01"):
        by[h].patch_status = "Install Error"
    for h in ("GRM-WS-002", "GRM-WS-021", "GRM-WS-038", "GRM-WS-044", "GRM-LT-003",
              "GRM-LT-017", "GRM-DC01"):
        by[h].patch_status = "Reboot Required"
    by["GRM-LT-007"].last_seen_days = 52.3
    by["GRM-WS-063"].last_seen_days = 47.8
    for d in D:   # HP / Lenovo lookups sometimes fail; a few devices never looked up
        if d.rmm and d.model.serial_style.startswith(("hp", "lenovo")) and rng.random() < 0.15:
            d.warranty_lookup = "fail"
    by["GRM-LT-036"].warranty_lookup = "skip"
    finish_devices(c, "Windows Defender: running, up to date",
                   {plant: "10.10.20", office: "10.10.10"},
                   {plant: "203.0.113.40", office: "203.0.113.41"})

    pool = NamePool()
    office_roles = [("Engineering", "Manufacturing Engineer"), ("Quality", "Quality Manager"),
                    ("Purchasing", "Buyer"), ("Finance", "Accounts Payable Specialist"),
                    ("Sales", "Inside Sales Representative"), ("Engineering", "CAD Designer"),
                    ("Operations", "Production Planner"), ("Finance", "Controller")]
    floor_roles = [("Production", "Machine Operator"), ("Production", "Shift Supervisor"),
                   ("Shipping & Receiving", "Shipping Clerk"), ("Maintenance", "Maintenance Tech"),
                   ("Quality", "QC Inspector")]
    add_users(c, pool, 46, ["Microsoft 365 Business Premium"], office_roles)
    add_users(c, pool, 2, ["Microsoft 365 Business Premium"], office_roles, state="inactive")
    add_users(c, pool, 27, ["Microsoft 365 F3"], floor_roles)
    add_users(c, pool, 1, ["Microsoft 365 F3"], floor_roles, state="never")
    add_users(c, pool, 4, [], floor_roles, state="never")
    add_shared(c, "orders", "Customer Orders")
    add_shared(c, "quality", "Quality Alerts")
    add_guest(c, "k.brandt@erp-consult.example", "Klaus Brandt (ERP Consulting)")

    c.subs = [
        sub("Microsoft 365 Business Premium", 50, "Annual", "1-Year", date(2027, 8, 31),
            date(2026, 9, 1), 22.00, 18.70),
        sub("Microsoft 365 F3", 30, "Monthly", "Monthly", None, date(2023, 4, 1), 8.00, 6.80),
    ]
    c.agreements = [
        Agreement("Granite Ridge - Managed Services Premium", "Managed Services", date(2025, 7, 1),
                  date(2027, 6, 30), 11800.00),
        Agreement("Granite Ridge - Managed Security (EDR/SOC)", "Security", date(2025, 7, 1),
                  date(2027, 6, 30), 1450.00),
        Agreement("Granite Ridge - Server Backup", "Backup", date(2023, 7, 1), date(2028, 6, 30),
                  690.00),
    ]
    c.goals = [
        Goal("Keep the ERP available 99.9% during production shifts", date(2027, 12, 31),
             "Tom Reyes (Plant Manager)", "ERP downtime under 2 hours per quarter", "High",
             ["continuity"]),
        Goal("Meet the automotive customer's supplier cybersecurity requirements",
             date(2027, 6, 30), "Linda Park (CFO)", "Supplier questionnaire passed with no open items",
             "High", ["security", "compliance"]),
        Goal("Give shift supervisors tablets for digital work orders", date(2027, 9, 30),
             "Tom Reyes (Plant Manager)", "Paper travellers retired on both lines", "Medium",
             ["productivity"]),
    ]
    return c


# --------------------------------------------------------------------------------------
# Client 3: Bluebird Creative Studio (cloud-only, NinjaOne, Macs)
# --------------------------------------------------------------------------------------

def build_bluebird() -> Client:
    c = Client(
        name="Bluebird Creative Studio", psa_id="BluebirdCreative",
        psa_name="Bluebird Creative Studio", pax8_name="Bluebird Creative Studio LLC",
        domain="bluebirdcreative.co", tenant="bluebirdcreative.onmicrosoft.com", extra_domains=[],
        rmm_sites=[], ninja_org="Bluebird Creative", tier="Essentials", vcio="Dana Whitfield",
        fy_start=1, cadence="quarterly", city="Austin", state_code="TX", postal="78702",
        street="901 E 6th St, Studio 4", area="512", onboarded=date(2023, 5, 1),
        conceal_activity=True)
    org = c.ninja_org
    D = c.devices
    macs = [("mbp16_1", "macos14", date(2020, 1, 14)), ("mbp16_1", "macos14", date(2020, 1, 14)),
            ("mbp18_3", "macos15", date(2022, 2, 3)), ("mbp18_3", "macos14", date(2022, 2, 3)),
            ("mba14_2", "macos15", date(2023, 3, 21)), ("mba14_2", "macos15", date(2023, 3, 21)),
            ("mbp15_3", "macos15", date(2024, 1, 9)), ("mbp15_3", "macos15", date(2024, 6, 18)),
            ("mbp16_1m4", "macos15", date(2025, 2, 25))]
    for i, (model, os_key, bought) in enumerate(macs, 1):
        D.append(dev(f"BB-MBP-{i:02d}", model, os_key, bought, rmm="ninja", site=org,
                     warranty_lookup="skip", in_psa=i not in (4, 8)))
    D.append(dev("BB-MBP-10", "mbp16_1m4", "macos15", date(2025, 8, 12), rmm=None,
                 warranty_lookup="skip"))       # spare in the closet, PSA only
    D.append(dev("BB-WIN-01", "xps9530", "win11_25h2", date(2023, 10, 2), rmm="ninja", site=org))
    D.append(dev("BB-WIN-02", "t14g4", "win11_25h2", date(2024, 5, 7), rmm="ninja", site=org))
    D.append(dev("BB-WIN-03", "t14g3", "win11_24h2", date(2022, 11, 15), rmm="ninja", site=org,
                 in_psa=False))
    D.append(dev("BB-AP01", "u6ent", None, date(2024, 3, 4), 1, warranty_lookup="skip"))
    by = {d.hostname: d for d in D}
    by["BB-MBP-06"].last_seen_days = 12.4
    by["BB-MBP-06"].offline = True
    for d in D:   # AppleCare+ on the newer Macs: 3 years
        if d.model.psa_manufacturer == "Apple":
            d.warranty_product = "AppleCare+ for Business" if d.purchase.year >= 2023 else \
                "Limited Warranty"
            d.warranty_years = 3 if d.purchase.year >= 2023 else 1
    finish_devices(c, "", {org: ""}, {org: ""})

    pool = NamePool()
    roles = [("Design", "Senior Designer"), ("Design", "Art Director"), ("Video", "Motion Designer"),
             ("Studio", "Producer"), ("Accounts", "Account Manager"), ("Design", "Designer")]
    add_users(c, pool, 13, ["Microsoft 365 Business Premium"], roles, upn_style="first")
    add_users(c, pool, 2, ["Microsoft 365 Business Basic"], [("Freelance", "Contract Illustrator")],
              upn_style="first")
    add_shared(c, "hello", "Hello Bluebird")
    add_guest(c, "maya.chen@brightloop.example", "Maya Chen (Brightloop)")
    add_guest(c, "sam.ortiz@harvestcoffee.example", "Sam Ortiz (Harvest Coffee)")

    c.subs = [
        sub("Microsoft 365 Business Premium", 14, "Monthly", "Monthly", None, date(2025, 3, 1),
            26.40, 22.00),
        sub("Microsoft 365 Business Basic", 2, "Monthly", "Monthly", None, date(2025, 3, 1),
            7.20, 6.00),
        sub("Microsoft 365 Business Standard", 12, "Monthly", "Monthly", None, date(2023, 5, 1),
            15.00, 12.50, status="Cancelled", end=date(2025, 2, 28)),
    ]
    c.agreements = [
        Agreement("Bluebird - Managed Cloud Workplace", "Managed Services", date(2023, 5, 1), None,
                  1650.00, no_end=True),
    ]
    c.goals = [
        Goal("Let every designer work securely from anywhere, on any Wi-Fi", date(2027, 3, 31),
             "Ava Brooks (Founder)", "100% of devices encrypted and MFA on every account", "High",
             ["remote-work", "security"]),
        Goal("Keep IT spend under $150 per person per month", date(2027, 12, 31),
             "Ava Brooks (Founder)", "Monthly IT cost / headcount <= $150", "Medium", ["cost"]),
    ]
    return c


# --------------------------------------------------------------------------------------
# Client 4: Cedar & Finch LLP (licence waste)
# --------------------------------------------------------------------------------------

def build_cedar() -> Client:
    c = Client(
        name="Cedar & Finch LLP", psa_id="CedarFinch", psa_name="Cedar and Finch",
        pax8_name="Cedar & Finch, LLP", domain="cedarfinchlaw.com",
        tenant="cedarfinchllp.onmicrosoft.com", extra_domains=[],
        rmm_sites=["Cedar & Finch LLP"], ninja_org=None, tier="Premium", vcio="Marcus Oyelaran",
        fy_start=4, cadence="quarterly", city="Seattle", state_code="WA", postal="98101",
        street="1420 Fifth Ave, 22nd Floor", area="206", onboarded=date(2022, 4, 1))
    site = c.rmm_sites[0]
    D = c.devices
    D.append(dev("CF-SRV01", "t350", "srv2022", date(2022, 5, 16), 5, site=site))
    D.append(dev("CF-FW01", "fg60f", None, date(2022, 4, 20), 3, warranty_lookup="skip"))
    D.append(dev("CF-SW01", "cx6100", None, date(2022, 4, 20), 5, warranty_lookup="skip"))
    for i in range(1, 23):
        model = rng.choice(["x1c11", "t14g4", "t14g3"])
        bought = rand_date(date(2022, 5, 1), date(2026, 6, 30))
        D.append(dev(f"CF-LAW-{i:02d}", model, win11(), bought, site=site))
    for i in range(1, 15):
        old = i in (3, 9, 12)
        model = "opt5080" if old else rng.choice(["opt7010", "opt7020"])
        bought = rand_date(date(2020, 6, 1), date(2021, 3, 1)) if old else \
            rand_date(date(2023, 1, 15), date(2026, 5, 1))
        D.append(dev(f"CF-STAFF-{i:02d}", model, "win10" if old else win11(), bought, site=site))
    by = {d.hostname: d for d in D}
    for h in ("CF-LAW-05", "CF-LAW-18", "CF-STAFF-11"):
        by[h].in_psa = False
    by["CF-LAW-21"].rmm = None                 # new laptop not yet enrolled
    for d in D:
        if d.rmm and d.model.serial_style.startswith("lenovo") and rng.random() < 0.1:
            d.warranty_lookup = "fail"
    finish_devices(c, "SentinelOne: running", {site: "10.50.1"}, {site: "198.51.100.20"})

    pool = NamePool()
    attorneys = [("Litigation", "Partner"), ("Litigation", "Associate"), ("Corporate", "Partner"),
                 ("Corporate", "Associate"), ("Real Estate", "Associate"), ("Real Estate", "Of Counsel")]
    staff = [("Litigation", "Paralegal"), ("Corporate", "Paralegal"),
             ("Administration", "Office Administrator"), ("Administration", "Docketing Clerk"),
             ("Finance", "Billing Specialist")]
    bp = ["Microsoft 365 Business Premium"]
    add_users(c, pool, 37, bp, attorneys + staff, upn_style="flast")
    add_users(c, pool, 3, bp, attorneys, state="inactive", upn_style="flast")
    add_users(c, pool, 2, bp, [("Litigation", "Of Counsel")], state="never", upn_style="flast")
    add_users(c, pool, 3, bp, attorneys + staff, state="departed", upn_style="flast",
              departed_range=(140, 330))
    add_users(c, pool, 3, bp, attorneys + staff, state="departed", upn_style="flast",
              departed_range=(25, 60))
    add_users(c, pool, 8, ["Exchange Online (Plan 1)"], [("Administration", "Legal Assistant"),
                                                         ("Administration", "Receptionist")],
              upn_style="flast")
    add_users(c, pool, 4, [], [("Administration", "Legal Assistant"),
                               ("Litigation", "Summer Associate")], state="never", upn_style="flast")
    add_shared(c, "docketing", "Docketing")
    add_shared(c, "reception", "Reception")
    add_guest(c, "mark.li@harlowcounsel.example", "Mark Li (Harlow Counsel)")

    c.subs = [
        sub("Microsoft 365 Business Premium", 75, "Monthly", "1-Year", date(2027, 5, 31),
            date(2026, 6, 1), 22.00, 18.48),
        sub("Exchange Online (Plan 1)", 10, "Monthly", "Monthly", None, date(2022, 6, 1), 4.80, 4.00),
    ]
    c.agreements = [
        Agreement("Cedar and Finch - Managed IT", "Managed Services", date(2024, 4, 1),
                  date(2027, 3, 31), 5400.00),
        Agreement("Cedar and Finch - Microsoft 365 Backup", "Backup", date(2025, 4, 1),
                  date(2028, 3, 31), 240.00),
    ]
    c.goals = [
        Goal("Cut IT cost per attorney by 15% in FY2028", date(2028, 3, 31),
             "Helen Finch (Managing Partner)", "IT spend / attorney down 15% vs FY2027", "High", ["cost"]),
        Goal("Meet outside-counsel security requirements from corporate clients", date(2027, 6, 30),
             "Robert Cedar (Partner)", "All client security questionnaires answered 'yes' for MFA, "
             "encryption and audit logging", "High", ["compliance", "security"]),
        Goal("Onboard five lateral partners with no day-one IT issues", date(2027, 9, 30),
             "Helen Finch (Managing Partner)", "Zero onboarding tickets older than 1 day", "Medium",
             ["growth", "productivity"]),
    ]
    return c


# --------------------------------------------------------------------------------------
# Client 5: Northwind Logistics (large annual commitment renewing next quarter)
# --------------------------------------------------------------------------------------

def build_northwind() -> Client:
    c = Client(
        name="Northwind Logistics", psa_id="NorthwindLogistics", psa_name="Northwind Logistics",
        pax8_name="Northwind Logistics Corp", domain="northwindlogistics.com",
        tenant="northwindlogistics.onmicrosoft.com", extra_domains=["nwlogistics.com"],
        rmm_sites=["Northwind Logistics - HQ", "Northwind Logistics - Warehouse 2"], ninja_org=None,
        tier="Premium", vcio="Priya Raman", fy_start=7, cadence="quarterly", city="Columbus",
        state_code="OH", postal="43215", street="250 Logistics Pkwy", area="614",
        onboarded=date(2020, 6, 15), dirsync=True)
    hq, wh2 = c.rmm_sites
    D = c.devices
    for host, model, os_key, bought in [
            ("NWL-SRV-DC01", "r640", "srv2019", date(2020, 7, 9)),
            ("NWL-SRV-FS01", "r740", "srv2019", date(2020, 7, 9)),
            ("NWL-SRV-HV01", "r740", "srv2019", date(2021, 1, 26)),
            ("NWL-SRV-DC02", "r650", "srv2022", date(2022, 8, 30)),
            ("NWL-SRV-WMS01", "r650", "srv2022dc", date(2022, 8, 30)),
            ("NWL-SRV-SQL01", "r650", "srv2022", date(2023, 3, 14))]:
        D.append(dev(host, model, os_key, bought, 5, site=hq if "WMS" not in host else wh2))
    for host, model, bought in [("NWL-FW-HQ", "fg100f", date(2023, 5, 2)),
                                ("NWL-FW-WH2", "fg60f", date(2023, 5, 2)),
                                ("NWL-SW-HQ-01", "cx6100", date(2023, 5, 2)),
                                ("NWL-SW-HQ-02", "cx6100", date(2023, 5, 2)),
                                ("NWL-SW-WH2-01", "cx6100", date(2023, 5, 2)),
                                ("NWL-AP-HQ-01", "ap515", date(2023, 5, 9)),
                                ("NWL-AP-HQ-02", "ap515", date(2023, 5, 9)),
                                ("NWL-AP-WH2-01", "ap515", date(2023, 5, 9))]:
        D.append(dev(host, model, None, bought, 3 if "FW" in host else 5, warranty_lookup="skip"))
    # Windows 11 build mix: exactly 30 on 23H2, 95 on 24H2, the rest on 25H2
    endpoints = [f"NWL-WS-{i:03d}" for i in range(1, 142)] + [f"NWL-LT-{i:03d}" for i in range(1, 141)]
    builds = ["win11_23h2"] * 30 + ["win11_24h2"] * 95 + ["win11_25h2"] * (len(endpoints) - 125)
    rng.shuffle(builds)
    for host, os_key in zip(endpoints, builds):
        laptop = "-LT-" in host
        model = rng.choice(["lat5440", "lat7440", "eb840g10", "t14g4"] if laptop else
                           ["opt7010", "opt7020", "ed800g9", "m70q3"])
        bought = rand_date(date(2021, 9, 1) if os_key != "win11_25h2" else date(2022, 6, 1),
                           date(2026, 9, 30))
        site = hq if laptop or rng.random() < 0.62 else wh2
        D.append(dev(host, model, os_key, bought, site=site))
    # Windows 10 stragglers: 4 warehouse kiosks on Pro 22H2, one on LTSC 2021
    for i, os_key in enumerate(["win10", "win10", "win10", "win10", "win10ltsc"], 1):
        D.append(dev(f"NWL-KIOSK-{i:02d}", "opt7060", os_key, date(2019, 4, 3), site=wh2))
    by = {d.hostname: d for d in D}
    # overlap: ~8% of endpoints not in the PSA, a few PSA-only
    eps = [d for d in D if d.hostname.startswith(("NWL-WS", "NWL-LT"))]
    keep = ("NWL-LT-027", "NWL-LT-088", "NWL-LT-112")      # their story needs the RMM record
    for d in rng.sample(eps, 24):
        d.in_psa = False
    for d in rng.sample([d for d in eps if d.in_psa and d.hostname not in keep], 6):
        d.rmm = None
    retired = dev("NWL-LT-141", "lat5410", "win10", date(2020, 9, 1), rmm=None, psa_status="Inactive")
    D.append(retired)
    # The PSA still records Windows 10 on two PCs the RMM shows upgraded
    stale = [d for d in eps if d.in_psa and d.rmm and d.os.key == "win11_25h2"][:2]
    for d in stale:
        d.psa_os = OSES["win10"]
    by["NWL-LT-112"].patch_status = "Install Error"
    for d in rng.sample([d for d in eps if d.rmm], 6):
        d.patch_status = "Install Error"
    for h, days in (("NWL-LT-027", 34.2), ("NWL-LT-088", 38.6)):
        by[h].last_seen_days = days
    by["NWL-KIOSK-05"].av = "No antivirus detected"
    for d in D:
        if d.rmm and d.model.serial_style.startswith("hp") and rng.random() < 0.12:
            d.warranty_lookup = "fail"
    finish_devices(c, "SentinelOne: running", {hq: "10.40.0", wh2: "10.41.0"},
                   {hq: "192.0.2.10", wh2: "192.0.2.140"})

    pool = NamePool([("Zoë", "Müller"), ("Łukasz", "Nowak"), ("Siobhán", "O'Neill")])
    office = [("Operations", "Operations Manager"), ("Dispatch", "Dispatcher"),
              ("Finance", "Staff Accountant"), ("Sales", "Account Executive"),
              ("Customer Service", "Customer Service Rep"), ("Fleet", "Fleet Coordinator"),
              ("HR", "HR Generalist"), ("IT", "Systems Administrator")]
    warehouse = [("Warehouse", "Forklift Operator"), ("Warehouse", "Picker/Packer"),
                 ("Warehouse", "Shift Lead"), ("Warehouse", "Inventory Clerk")]
    bp = ["Microsoft 365 Business Premium"]
    add_users(c, pool, 3, bp, office)
    add_users(c, pool, 172, bp, office)
    add_users(c, pool, 20, bp + ["Microsoft Teams Phone Standard"], [("Dispatch", "Dispatcher")])
    add_users(c, pool, 6, bp, office, state="inactive")
    add_users(c, pool, 2, bp, office, state="departed", departed_range=(30, 60))
    add_users(c, pool, 1, bp, office, state="never")
    add_users(c, pool, 40, ["Exchange Online (Plan 1)"], warehouse)
    add_users(c, pool, 2, ["Exchange Online (Plan 1)"], warehouse, state="inactive")
    add_users(c, pool, 4, [], warehouse, state="never")
    add_shared(c, "dispatch", "Dispatch Desk")
    add_shared(c, "ap", "Accounts Payable")
    add_guest(c, "j.howell@fleetpartner.example", "Jordan Howell (FleetPartner)")
    add_guest(c, "ana.souza@wmsvendor.example", "Ana Souza (WMS Vendor)")

    c.subs = [
        sub("Microsoft 365 Business Premium", 260, "Annual", "1-Year", date(2027, 2, 28),
            date(2026, 3, 1), 22.00, 18.70),
        sub("Exchange Online (Plan 1)", 60, "Annual", "1-Year", date(2027, 1, 31),
            date(2026, 2, 1), 4.00, 3.40),
        sub("Microsoft Teams Phone Standard", 25, "Monthly", "Monthly", None, date(2024, 9, 1),
            12.00, 10.00),
    ]
    c.agreements = [
        Agreement("Northwind - Managed Services Enterprise", "Managed Services", date(2024, 4, 1),
                  date(2027, 3, 31), 18500.00),
        Agreement("Northwind - Backup & DR", "Backup", date(2024, 4, 1), date(2027, 3, 31), 1100.00),
        Agreement("Northwind - Managed Security", "Security", date(2025, 1, 1), date(2027, 12, 31),
                  2900.00),
    ]
    c.goals = [
        Goal("Open the Reno warehouse (Warehouse 3) with 60 new staff", date(2027, 7, 31),
             "Greg Holloway (COO)", "Warehouse 3 shipping on day one with WMS, Wi-Fi and scanners",
             "High", ["growth"]),
        Goal("Keep dispatch running through any single-site outage", date(2027, 6, 30),
             "Greg Holloway (COO)", "Failover test passed twice a year; RTO under 1 hour", "High",
             ["continuity"]),
        Goal("All PCs on a supported Windows 11 build", date(2027, 3, 31), "Priya Raman",
             "0 devices on an unsupported Windows release", "Medium", ["security"]),
        Goal("Hold licence spend per employee flat through the Microsoft renewal", date(2027, 2, 28),
             "Karen Liu (CFO)", "Licence cost per user <= FY2026", "Medium", ["cost"]),
    ]
    return c


# --------------------------------------------------------------------------------------
# Client 6: Sunrise Pediatrics (the smallest; warranties lapsing)
# --------------------------------------------------------------------------------------

def build_sunrise() -> Client:
    c = Client(
        name="Sunrise Pediatrics", psa_id="SunrisePeds", psa_name="Sunrise Pediatrics PLLC",
        pax8_name=None, domain="sunrisepeds.com", tenant="sunrisepediatrics.onmicrosoft.com",
        extra_domains=[], rmm_sites=["Sunrise Pediatrics"], ninja_org=None, tier="Essentials",
        vcio="Priya Raman", fy_start=1, cadence="semiannual", city="Tucson", state_code="AZ",
        postal="85719", street="2850 N Campbell Ave, Suite 110", area="520",
        onboarded=date(2023, 1, 9))
    site = c.rmm_sites[0]
    D = c.devices
    D.append(dev("SP-FRONT-01", "opt5080", "win10", date(2021, 2, 22), site=site))
    D.append(dev("SP-EXAM-01", "opt7010", "win11_25h2", date(2023, 12, 15), site=site))
    D.append(dev("SP-EXAM-02", "opt7010", "win11_25h2", date(2024, 1, 9), site=site))
    D.append(dev("SP-DR-LT01", "lat5440", "win11_25h2", date(2025, 3, 3), site=site))
    D.append(dev("SP-NAS01", "ds920", None, date(2024, 1, 31), 3, warranty_lookup="skip"))
    finish_devices(c, "Windows Defender: running, up to date", {site: "192.168.1"},
                   {site: "203.0.113.200"})

    pool = NamePool()
    add_users(c, pool, 2, ["Microsoft 365 Business Premium"], [("Clinical", "Pediatrician")])
    add_users(c, pool, 2, ["Microsoft 365 Business Premium"], [("Clinical", "Medical Assistant")])
    add_users(c, pool, 1, ["Microsoft 365 Business Premium"], [("Front Office", "Practice Manager")])
    add_users(c, pool, 1, ["Microsoft 365 Business Basic"], [("Front Office", "Receptionist")])
    add_shared(c, "appointments", "Appointments")

    c.subs = []   # licences bought directly from Microsoft, not through Pax8
    c.agreements = [
        Agreement("Sunrise Pediatrics - Managed Services", "Managed Services", date(2025, 10, 1),
                  date(2027, 9, 30), 780.00),
        Agreement("Sunrise Pediatrics - Block Hours", "Block Time", date(2023, 1, 9),
                  date(2024, 1, 8), 300.00, cancelled=True),
    ]
    c.goals = [
        Goal("Stay HIPAA compliant with tested backups and encrypted devices", date(2027, 6, 30),
             "Dr. Elena Ruiz", "Annual risk assessment passed; quarterly restore test logged", "High",
             ["compliance", "security"]),
        Goal("Let both physicians chart securely from home", date(2027, 3, 31), "Dr. Elena Ruiz",
             "EHR reachable from home with MFA; no PHI stored on home PCs", "Medium",
             ["remote-work"]),
        Goal("Replace exam-room PCs before their warranties lapse", date(2027, 1, 31),
             "Practice Manager", "No clinical PC out of warranty", "Medium", ["continuity"]),
    ]
    return c


# --------------------------------------------------------------------------------------
# Writers (one per file format)
# --------------------------------------------------------------------------------------

class SampleFile(ExportWriter):
    """One export under inputs/, listed in the summary main() prints."""

    def __init__(self, rel: str, fmt: ExportFormat, **overrides):
        self.rel = rel
        super().__init__(INPUTS / rel, fmt, **overrides)

    def save(self) -> None:
        self.close()
        WRITTEN.append((self.rel, self.records))


WRITTEN: list[tuple[str, int]] = []
BAD_ROWS: dict[str, list[dict]] = {}


def epoch(dt: datetime) -> float:
    """Local EST wall time -> epoch seconds."""
    return epoch_seconds(dt, EST)


def write_roster(clients: list[Client]) -> None:
    out = SampleFile("clients.csv", ROSTER)
    for c in clients:
        out.row([c.name, ";".join(c.aliases), ";".join([c.domain, *c.extra_domains, c.tenant]),
                 c.psa_id, c.tier, c.vcio, c.fy_start, c.cadence])
    out.save()


def write_goals(clients: list[Client]) -> None:
    out = SampleFile("goals.csv", GOALS)
    for c in clients:
        for g in c.goals:
            out.row([c.name, g.goal, g.target.isoformat(), g.owner, g.metric, g.priority,
                     ";".join(g.tags)])
    out.save()


def write_decisions() -> None:
    out = SampleFile("decisions.csv", DECISIONS)
    out.save()


def write_cw_configurations(clients: list[Client]) -> None:
    rel = "psa/cw_configurations.csv"
    out = SampleFile(rel, CW_CONFIGURATIONS)
    next_id = 1187
    for c in clients:
        rows = [d for d in c.devices if d.in_psa]
        for d in rows:
            next_id += rng.randint(1, 9)
            d.psa_id = next_id
        messy = c.us_dates_in_psa
        fmt = us_datetime if messy else iso_z
        for n, d in enumerate(rows):
            if messy and n == 12:
                out.blank()                              # the re-saved sheet's blank line
            os_ = d.psa_os or d.os
            install = None
            if d.purchase:
                install = rand_time(d.purchase + timedelta(days=rng.randint(2, 21)), 8, 17) \
                    if messy else d.purchase + timedelta(days=rng.randint(2, 21))
            vals = {
                "purchaseDate": fmt(d.purchase), "installationDate": fmt(install),
                "warrantyExpirationDate": fmt(d.warranty_end),
            }
            if d.psa_bad_field:
                vals[d.psa_bad_field] = d.psa_bad_value
            name, serial, model = d.psa_name if d.hostname else "", d.serial, d.model.name
            if messy:                                    # trailing spaces from the sheet
                if rng.random() < 0.35 and serial:
                    serial += " "
                if rng.random() < 0.3:
                    model += "  "
                if rng.random() < 0.2 and name:
                    name += " "
            psa_type = "Workstation" if d.model.kind == "Desktop" else d.model.kind
            line = out.row([d.psa_id, name, psa_type, d.psa_status, c.psa_id, c.psa_name,
                            serial, model, vals["purchaseDate"], vals["installationDate"],
                            vals["warrantyExpirationDate"], os_.psa_type if os_ else "",
                            os_.psa_info if os_ else "", d.model.psa_manufacturer, d.vendor])
            if d.psa_bad:
                detail = f" '{d.psa_bad_value}'" if d.psa_bad_value else ""
                BAD_ROWS.setdefault(c.name, []).append(
                    {"file": rel, "line": line, "reason": f"{d.psa_bad}{detail}",
                     "hostname": d.psa_name if d.hostname else ""})
    out.save()


def write_cw_agreements(clients: list[Client]) -> None:
    out = SampleFile("psa/cw_agreements.csv", CW_AGREEMENTS)
    next_id = 301
    for c in clients:
        for a in c.agreements:
            next_id += rng.randint(1, 6)
            a.id = next_id
            out.row([a.id, a.name, a.type, c.psa_id, c.psa_name, iso_z(a.start), iso_z(a.end),
                     str(a.no_end), str(a.cancelled), f"{a.amount:.2f}", "Monthly"])
    out.save()


def datto_devices(clients: list[Client]) -> list[tuple[Client, Device]]:
    rows = [(c, d) for c in clients for d in c.devices if d.rmm == "datto" and d.valid]
    return sorted(rows, key=lambda cd: (cd[1].site, cd[1].hostname))


def write_datto(clients: list[Client]) -> None:
    rows = datto_devices(clients)
    det = SampleFile("rmm/DeviceDetailsExport.csv", DATTO_DEVICE_DETAILS)
    pat = SampleFile("rmm/DevicePatchSummaryExport.csv", DATTO_PATCH_SUMMARY)
    sto = SampleFile("rmm/DeviceStorageExport.csv", DATTO_STORAGE)
    trailing_done = False
    for c, d in rows:
        m = d.model
        det.row([d.hostname, d.site, m.kind, d.os.caption, datto_datetime(d.last_seen),
                 datto_datetime(d.last_reboot), m.cpu, m.cores, f"{m.mem_gb} GB", d.av, d.ext_ip,
                 d.int_ip, d.agent, datto_datetime(d.enrolled)])
        pending, installed, not_approved = {
            "Fully Patched": (0, rng.randint(60, 240), rng.randint(0, 4)),
            "Approved Pending": (rng.randint(1, 14), rng.randint(40, 200), rng.randint(0, 6)),
            "Reboot Required": (rng.randint(0, 3), rng.randint(40, 200), rng.randint(0, 4)),
            "Install Error": (rng.randint(2, 9), rng.randint(20, 160), rng.randint(0, 6)),
            "No Policy": (0, 0, rng.randint(35, 90)),
        }[d.patch_status]
        pat.row([d.hostname, d.site, pending, installed, not_approved, d.patch_status,
                 datto_datetime(d.last_reboot)])
        serial = d.serial
        if c.us_dates_in_psa and not trailing_done and m.serial_style == "dell":
            serial += " "                              # one trailing space in the RMM too
            trailing_done = True
        for drive, cap, free in d.drives:
            sto.row([d.hostname, d.site, drive, gigabytes(cap), gigabytes(free), serial, m.name,
                     m.rmm_manufacturer])
    det.save()
    pat.save()
    sto.save()


def write_ninja(clients: list[Client]) -> None:
    out = SampleFile("rmm/ninjaone_devices.csv", NINJAONE_DEVICES)
    next_id = 412
    for c in clients:
        for d in sorted((d for d in c.devices if d.rmm == "ninja"), key=lambda d: d.hostname):
            next_id += rng.randint(1, 5)
            mac = d.os.family == "macos"
            contact = epoch(d.last_seen) + rng.random()
            created = epoch(d.enrolled) + rng.random()
            wend = d.warranty_end
            out.row([next_id, d.hostname, f"{d.hostname}.local" if mac else d.hostname,
                     "MAC" if mac else "WINDOWS_WORKSTATION", d.site,
                     "true" if d.offline else "false", f"{contact:.3f}", f"{created:.3f}",
                     d.os.ninja_name, d.os.ninja_build, d.model.rmm_manufacturer,
                     d.model.ninja_model or d.model.name, d.serial,
                     f"{epoch_date(wend):.1f}" if wend else ""])
    out.save()


def write_pswarranty(clients: list[Client]) -> None:
    out = SampleFile("warranty/pswarranty.csv", PSWARRANTY)
    for c in clients:
        for d in c.devices:
            if not d.valid or d.warranty_lookup == "skip" or d.warranty_end is None:
                continue
            if d.model.psa_manufacturer not in ("Dell", "Lenovo", "HP", "HPE"):
                continue
            if d.warranty_lookup == "fail":
                out.row([d.serial, PSWARRANTY_LOOKUP_FAILED, "", "", "", c.psa_name])
                continue
            start = d.purchase + timedelta(days=rng.randint(0, 6))
            status = "OK" if d.warranty_end >= AS_OF else "Expired"
            out.row([d.serial, d.warranty_product, start.isoformat(), d.warranty_end.isoformat(),
                     status, c.psa_name])
    out.save()


def write_pax8(clients: list[Client]) -> None:
    out = SampleFile("pax8/subscriptions.csv", PAX8_SUBSCRIPTIONS)
    for c in clients:
        if not c.subs:
            continue
        c.pax8_company_id = new_guid()
        for s in c.subs:
            s.id = new_guid()
            pid = PAX8_PRODUCT_IDS.setdefault(s.product, new_guid())
            out.row([s.id, c.pax8_company_id, c.pax8_name, c.psa_id, pid, s.product, s.quantity,
                     s.billing_term, s.commitment_term,
                     s.commitment_end.isoformat() if s.commitment_end else "", s.start.isoformat(),
                     s.end.isoformat() if s.end else "", s.price_text or f"{s.price:.2f}",
                     f"{s.partner_cost:.2f}", "USD", s.status])
    out.save()


def write_m365(c: Client) -> None:
    excel = c.users_cp1252

    def b(v: bool) -> str:
        return m365_bool(v, excel)

    users = sorted(c.users, key=lambda u: u.display.lower())
    out = SampleFile(f"m365/{c.domain}/users.csv", M365_USERS_EXCEL if excel else M365_USERS)
    for u in users:
        member = u.kind == "member"
        synced = u.dirsync and member
        local = u.upn.split("@")[0]
        if u.kind == "guest":
            proxies = f"SMTP:{u.guest_mail}"
        else:
            proxies = f"SMTP:{u.upn}+smtp:{local}@{c.tenant}"
            if c.extra_domains and member:
                proxies += f"+smtp:{local}@{c.extra_domains[0]}"
        dirsync_time = m365_datetime(days_ago(rng.uniform(0.01, 0.4))) if synced else ""
        out.row([u.display, b(True) if synced else "", u.upn, new_guid(), u.first, u.last,
                 m365_datetime(u.created), "", u.title, u.department, "",
                 c.city if member else "", "United States" if member else "",
                 f"{c.city} Office" if member else "", c.state_code if member else "",
                 "US" if u.kind != "guest" else "", dirsync_time, b(u.blocked),
                 "+".join(u.licenses) if u.licenses else "Unlicensed", b(u.pw_never_expires),
                 m365_datetime(u.pw_changed), u.mobile, u.phone, c.postal if member else "",
                 "en-US" if member else "", c.street if member else "", "", proxies])
    out.save()

    act = SampleFile(f"m365/{c.domain}/ActiveUserDetail.csv", M365_ACTIVE_USER_DETAIL)
    for u in sorted((u for u in c.users if u.kind != "guest"), key=lambda u: u.upn):
        services = set()
        for lic in u.licenses:
            services.update(PRODUCT_SERVICES.get(lic, ()))
        has = [str(s in services) for s in SERVICES]
        last = [u.activity[s].isoformat() if u.activity.get(s) else "" for s in SERVICES]
        assign = [u.assigned.isoformat() if (s in services and u.assigned) else "" for s in SERVICES]
        upn, name = (new_hash(), new_hash()) if c.conceal_activity else (u.upn, u.display)
        act.row([REPORT_REFRESH.isoformat(), upn, name, "False", "", *has, *last, *assign,
                 "+".join(l.upper() for l in u.licenses)])
    act.save()


# --------------------------------------------------------------------------------------
# Expected facts (from the generator's own structures)
# --------------------------------------------------------------------------------------

def expected_facts(c: Client) -> dict:
    devs = [d for d in c.devices if d.valid]
    hosts = lambda ds: sorted(d.hostname for d in ds)   # noqa: E731
    win = [d for d in devs if d.live_os and d.live_os.family in ("windows10", "windows11")]
    servers = [d for d in devs if d.model.kind == "Server"]
    rmm = [d for d in devs if d.rmm]

    def warranty_known(d: Device) -> bool:
        if d.warranty_end is None:
            return False
        in_file = (d.warranty_lookup == "ok" and d.model.psa_manufacturer in
                   ("Dell", "Lenovo", "HP", "HPE"))
        return d.in_psa or in_file or d.rmm == "ninja"

    wk = [d for d in devs if warranty_known(d)]
    members = [u for u in c.users if u.kind == "member"]
    licensed = [u for u in c.users if u.licenses]
    cutoff = AS_OF - timedelta(days=INACTIVE_DAYS)
    inactive = [u for u in licensed
                if (u.last_activity() is None or u.last_activity() < cutoff)]
    assigned: dict[str, int] = {}
    for u in c.users:
        for lic in u.licenses:
            assigned[lic] = assigned.get(lic, 0) + 1
    seats = {s.product: s.quantity for s in c.subs if s.status == "Active"}
    horizon = add_years(AS_OF, 1)
    renewals = []
    for s in c.subs:
        if s.status == "Active" and s.commitment_end and AS_OF < s.commitment_end <= horizon:
            renewals.append({"source": "pax8", "name": s.product,
                             "end_date": s.commitment_end.isoformat(), "quantity": s.quantity})
    for a in c.agreements:
        if not a.cancelled and not a.no_end and a.end and AS_OF < a.end <= horizon:
            renewals.append({"source": "psa", "name": a.name, "end_date": a.end.isoformat(),
                             "monthly_amount": a.amount})
    renewals.sort(key=lambda r: (r["end_date"], r["name"]))
    patch: dict[str, int] = {}
    for d in devs:
        if d.rmm == "datto":
            patch[d.patch_status] = patch.get(d.patch_status, 0) + 1
    kinds: dict[str, int] = {}
    for d in devs:
        kind = "Workstation" if d.model.kind == "Desktop" else d.model.kind   # PSA vocabulary
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "psa_company": c.psa_name,
        "pax8_company": c.pax8_name,
        "rmm": sorted({d.rmm for d in devs if d.rmm}),
        "m365_domain": c.domain,
        "device_count": len(devs),
        "device_count_by_type": dict(sorted(kinds.items())),   # Datto "Desktop" = "Workstation"
        "psa_config_rows_accepted": sum(1 for d in devs if d.in_psa),
        "rmm_device_count": len(rmm),
        "psa_only_hostnames": hosts(d for d in devs if d.in_psa and not d.rmm),
        "rmm_only_hostnames": hosts(d for d in devs if d.rmm and not d.in_psa),
        "inactive_psa_hostnames": hosts(d for d in devs if d.psa_status == "Inactive"),
        "junk_serial_hostnames": hosts(d for d in devs if d.model.serial_style == "whitebox"),
        "server_count": len(servers),
        "server_hostnames": hosts(servers),
        "servers_past_eol": hosts(d for d in servers if d.os.eol < AS_OF),
        "servers_eol_within_12_months": hosts(d for d in servers
                                              if AS_OF <= d.os.eol <= horizon),
        "windows10_hostnames": hosts(d for d in win if d.live_os.family == "windows10"),
        "windows_client_past_eol_hostnames": hosts(d for d in win if d.live_os.eol < AS_OF),
        "windows11_past_eol_hostnames": hosts(d for d in win if d.live_os.family == "windows11"
                                              and d.live_os.eol < AS_OF),
        "psa_os_stale_hostnames": hosts(d for d in devs if d.psa_os and d.rmm),
        "mac_count": sum(1 for d in devs if d.os and d.os.family == "macos"),
        "not_seen_30d_hostnames": hosts(d for d in rmm if d.last_seen <
                                        EXPORT_TIME - timedelta(days=30)),
        "av_not_running_hostnames": hosts(d for d in rmm if "not running" in d.av),
        "av_not_detected_hostnames": hosts(d for d in rmm if d.av.startswith("No antivirus")),
        "patch_status_counts": dict(sorted(patch.items())),
        "warranty_known_count": len(wk),
        "warranty_expired_count": sum(1 for d in wk if d.warranty_end < AS_OF),
        "warranty_expiring_90d_hostnames": hosts(
            d for d in wk if AS_OF <= d.warranty_end <= AS_OF + timedelta(days=90)),
        "users_total": len(c.users),
        "member_count": len(members),
        "shared_mailbox_upns": sorted(u.upn for u in c.users if u.kind == "shared"),
        "guest_upns": sorted(u.upn for u in c.users if u.kind == "guest"),
        "unlicensed_member_upns": sorted(u.upn for u in members if not u.licenses),
        "pax8_seats": dict(sorted(seats.items())),
        "pax8_cancelled_products": sorted(s.product for s in c.subs if s.status != "Active"),
        "assigned_licenses": dict(sorted(assigned.items())),
        "unassigned_seats": {p: q - assigned.get(p, 0) for p, q in sorted(seats.items())},
        "blocked_users_with_licenses": sorted(u.upn for u in c.users if u.blocked and u.licenses),
        "inactive_90d_licensed_upns": sorted(u.upn for u in inactive),
        "activity_report_concealed": c.conceal_activity,
        "pax8_monthly_price_total": round(sum(s.quantity * s.price for s in c.subs
                                              if s.status == "Active"), 2),
        "agreements_monthly_total": round(sum(a.amount for a in c.agreements
                                              if not a.cancelled), 2),
        "renewals_within_12_months": renewals,
        "goals_count": len(c.goals),
        "bad_rows": BAD_ROWS.get(c.name, []),
    }


ACTIVITY_MARGIN_DAYS = 15


def check_activity_margin(clients: list[Client]) -> None:
    """No activity date may sit near the 90-day cut-off, so '< cutoff' vs '<= cutoff' is moot."""
    cutoff = AS_OF - timedelta(days=INACTIVE_DAYS)
    for c in clients:
        for u in c.users:
            for d in u.activity.values():
                if d and abs((d - cutoff).days) < ACTIVITY_MARGIN_DAYS:
                    raise AssertionError(f"{u.upn}: activity {d} too close to cut-off {cutoff}")


META = {
    "as_of": AS_OF.isoformat(),
    "quarter": "2026-Q4",
    "report_refresh_date": REPORT_REFRESH.isoformat(),
    "seed": SEED,
    "conventions": [
        "Top-level keys are roster names (inputs/clients.csv); this _meta key is not a client.",
        "Hostnames are canonical: upper case, domain suffix removed (the PSA spells Harbor Point's "
        "as e.g. 'Frontdesk-01.hpd.local'); lists are sorted.",
        "device_count = distinct physical devices from accepted rows of psa/cw_configurations.csv "
        "(Active and Inactive), rmm/DeviceDetailsExport.csv and rmm/ninjaone_devices.csv, merged "
        "on serial (junk placeholders such as 'Default string' ignored, trailing spaces trimmed) "
        "then on hostname. The warranty file adds no devices. Rejected rows are excluded.",
        "OS facts use the RMM's OS when the RMM knows the device, else the PSA's "
        "(psa_os_stale_hostnames: PSA says Windows 10, RMM says Windows 11).",
        "EOL dates from DOMAIN.md section 5 (Windows editions assumed Pro); 'past EOL' = end of "
        "support before as_of; 'within 12 months' = as_of <= EOL <= as_of + 1 year.",
        "not_seen_30d uses the Datto 'Last Seen' / NinjaOne lastContact against the export time "
        "2026-11-20 07:45 EST.",
        "Warranty end = PSA warrantyExpirationDate = PSWarranty EndDate = NinjaOne warranty "
        "endDate (the sources agree); devices with no warranty date anywhere are unknown.",
        "assigned_licenses counts every users.csv row holding the product, blocked users included.",
        "inactive_90d_licensed_upns: licensed in users.csv and the latest of all '... Last "
        "Activity Date' columns is before as_of - 90 days (2026-08-22) or empty. No date falls "
        "within 15 days of that cut-off. For a concealed tenant the list is computed on the real "
        "UPNs (empty by construction) and ingest should warn instead.",
        "renewals_within_12_months: Pax8 commitmentTerm.endDate of Active subscriptions and PSA "
        "agreement endDate (not cancelled, not open-ended) in (as_of, as_of + 1 year].",
        "bad_rows: 'line' is the 1-based physical line in the file (header = line 1, the blank "
        "line counts), path relative to inputs/.",
    ],
}


# --------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------

def readme(clients: list[Client], facts: dict[str, dict]) -> str:
    f = facts
    hp, gr, bb, cf, nw, sp = (f[c.name] for c in clients)
    lines = [
        "# Sample inputs",
        "",
        "Generated by `tools/make_samples.py` (deterministic, seed 20261120): do not edit by hand,",
        "change the generator and run `.venv/bin/python tools/make_samples.py` from the repo root.",
        "Review date (\"as of\") **2026-11-20**, quarter 2026-Q4. Six fictional clients; the facts a",
        "test can check after ingest are in `tests/samples_expected.json`.",
        "",
        "## Files",
        "",
        "| File | Tool and where it comes from | Encoding / line ends |",
        "|---|---|---|",
        "| `clients.csv` | The MSP's roster: one row per client with the other tools' spellings "
        "(`aliases`, `;`-separated), M365 domains incl. the `*.onmicrosoft.com` tenant, ConnectWise "
        "company identifier, tier, vCIO, fiscal-year start month, meeting cadence. | UTF-8, LF |",
        "| `goals.csv` | Business goals per client, agreed at the last planning meeting "
        "(tags from security; compliance; growth; cost; remote-work; continuity; productivity). "
        "| UTF-8, LF |",
        "| `decisions.csv` | Decisions record: header only (first review, nothing decided yet). "
        "| UTF-8, LF |",
        "| `psa/cw_configurations.csv` | ConnectWise Manage/PSA *Companies > Configurations*, "
        "pulled with the REST API (`/company/configurations`) by a PowerShell script that "
        "flattens nested fields (`type.name`, `company.identifier`...). All clients. Harbor "
        "Point's rows were re-saved from a spreadsheet: US dates `11/3/2021 2:15:00 PM`, FQDN "
        "hostnames in mixed case, trailing spaces, a blank line, junk serials and 3 rows ingest "
        "must reject. | UTF-8, CRLF |",
        "| `psa/cw_agreements.csv` | ConnectWise *Finance > Agreements* via the API "
        "(`/finance/agreements`), `billAmount` per month. | UTF-8, CRLF |",
        "| `rmm/DeviceDetailsExport.csv` | Datto RMM *Reports > Device Details* scheduled "
        "report (all Datto sites). Times with a zone abbreviation (`2026-11-19 11:24:23 EST`). "
        "| UTF-8 with BOM, CRLF |",
        "| `rmm/DevicePatchSummaryExport.csv` | Datto RMM *Patch Summary* report. "
        "| UTF-8 with BOM, CRLF |",
        "| `rmm/DeviceStorageExport.csv` | Datto RMM *Storage* report: one row per drive, the "
        "device's serial/model/manufacturer repeated on each (the only Datto file with serials). "
        "| UTF-8 with BOM, CRLF |",
        "| `rmm/ninjaone_devices.csv` | NinjaOne devices from the public API "
        "(`/v2/devices-detailed`) flattened by a Python script; epoch-second timestamps. "
        "Bluebird only. | UTF-8, LF |",
        "| `m365/<domain>/users.csv` | Microsoft 365 admin center *Users > Active users > "
        "Export users* (current layout), one folder per tenant named by its primary domain. "
        "Harbor Point's copy was re-saved in Excel: cp1252, no BOM, `TRUE`/`FALSE`. "
        "| UTF-8 with BOM (Harbor Point cp1252), CRLF |",
        "| `m365/<domain>/ActiveUserDetail.csv` | Microsoft 365 admin center *Reports > Usage > "
        "Active users*, \"Export\" (180-day period), refreshed 2026-11-18. Bluebird's tenant "
        "conceals user names (32-hex hashes instead of UPNs and names): ingest should warn. "
        "| UTF-8 with BOM, CRLF |",
        "| `pax8/subscriptions.csv` | Pax8 partner API `/subscriptions` joined with "
        "`/companies` and `/products`, flattened by a script; `price` = client price per unit "
        "per month, `partnerCost` = MSP cost. One Harbor Point price carries a `$` sign. All "
        "clients except Sunrise (which buys direct from Microsoft). | UTF-8, CRLF |",
        "| `warranty/pswarranty.csv` | PSWarranty (`Update-Warrantyinfo -ExportToCSV`) run "
        "against the Dell/Lenovo/HP serials; `Client` = the PSA company name; failed lookups "
        "say `Could not get warranty information`; one cell holds two entitlements joined by a "
        "newline. | UTF-8 with BOM, CRLF |",
        "",
        "Devices appear in the PSA and the RMM with roughly 85% overlap: network gear, spares "
        "and retired (Inactive) configurations are PSA-only, and some endpoints were never added "
        "to the PSA. The same serial is used in the PSA, Datto storage export, NinjaOne and the "
        "warranty file, so the tools join on serial, then on hostname.",
        "",
        "## Clients",
        "",
        f"**Harbor Point Dental** (dental practice, 2 sites, {hp['device_count']} devices, "
        f"{hp['member_count']} users) - the messy one. PSA company `Harbor Point Dental, Inc.`, "
        "Datto sites `Harbor Point Dental - Main` and `Harbor Pt Dental - Annex` (the second one "
        "only matches through the roster alias), Pax8 `HARBOR POINT DENTAL`. Five integrator-"
        "built imaging/billing PCs report placeholder serials (`Default string` twice, `To be "
        "filled by O.E.M.`, `System Serial Number`, `None`) and only merge by hostname "
        f"({', '.join(hp['junk_serial_hostnames'])}). Windows 10 22H2 past end of support on "
        f"{len(hp['windows10_hostnames'])} PCs (one of them the retired DR-OLD-LT, Inactive in "
        "the PSA); file server HPD-FS01 runs Windows Server 2016 "
        "(end of support 2027-01-12) on a PowerEdge T440 whose warranty ended in 2024. Rows "
        "`OLD-XRAY-PC` (purchaseDate `TBD`), `STERI-01` (warranty `31/31/2020`) and one row with "
        "neither name nor serial must be rejected. Managed-services agreement ends 2026-12-31. "
        "Goals: HIPAA risk assessment, Annex expansion.",
        "",
        f"**Granite Ridge Manufacturing** ({gr['device_count']} devices, {gr['member_count']} "
        "users) - servers past end of life: ERP server GRM-ERP01 and file server GRM-FS01 on "
        "Windows Server 2012 R2 (ESU ended 2026-10-13; the ERP has no patch policy), GRM-DC01 on "
        "2016 (EOL 2027-01-12), two 2019 hosts. "
        f"{len(gr['windows10_hostnames']) - len(gr['inactive_psa_hostnames'])} Windows 10 22H2 "
        "desktops in use (plus GRM-WS-071/072, retired but still in the PSA as Inactive); "
        "25 laptops bought "
        "2019-2022 with expired warranties; Defender not running on "
        f"{', '.join(gr['av_not_running_hostnames'])}; not seen for 45+ days: "
        f"{', '.join(gr['not_seen_30d_hostnames'])}; patch Install Error / Reboot Required on "
        f"{gr['patch_status_counts'].get('Install Error', 0)} / "
        f"{gr['patch_status_counts'].get('Reboot Required', 0)} devices. A SonicWall NSa 2700 and "
        "three Aruba switches exist only in the PSA. Goals: ERP uptime, supplier security "
        "requirements.",
        "",
        f"**Bluebird Creative Studio** ({bb['device_count']} devices, {bb['member_count']} users) "
        f"- cloud-only design studio: Microsoft 365 and NinjaOne, no servers, no Datto; "
        f"{bb['mac_count']} MacBooks (macOS 14/15) and three Windows 11 laptops. Small monthly "
        "Pax8 subscriptions (Business Premium 14, Business Basic 2, an old Business Standard "
        "subscription Cancelled). The managed-services agreement has no end date. Its usage "
        "report conceals user names (hashes). Goals: secure work from anywhere, cost per head.",
        "",
        f"**Cedar & Finch LLP** ({cf['device_count']} devices, {cf['member_count']} users) - "
        "licence waste: Pax8 holds 75 Business Premium seats (annual commitment paid monthly, "
        f"ends 2027-05-31) but only {cf['assigned_licenses'].get('Microsoft 365 Business Premium')} "
        f"are assigned; {len(cf['blocked_users_with_licenses'])} blocked (departed) users still "
        f"hold Business Premium; {len(cf['inactive_90d_licensed_upns'])} licensed users show no "
        "activity for 90+ days; four members are unlicensed. The PSA calls it `Cedar and Finch`, "
        "Pax8 `Cedar & Finch, LLP`. Goals: cut cost per attorney, client security requirements.",
        "",
        f"**Northwind Logistics** ({nw['device_count']} devices, {nw['member_count']} users) - "
        "large annual commitments renewing next quarter: Pax8 Business Premium 260 seats "
        f"(Annual, ends 2027-02-28; {nw['assigned_licenses'].get('Microsoft 365 Business Premium')} "
        "assigned), Exchange Online (Plan 1) 60 seats (Annual, ends 2027-01-31), ConnectWise "
        "managed services $18,500/month ending 2027-03-31. Windows 11 mostly: "
        f"{len(nw['windows11_past_eol_hostnames'])} PCs on 23H2/24H2 Pro are past end of support "
        "and need a feature update; five warehouse kiosks on Windows 10 (one LTSC 2021, supported "
        "to 2027-01-12); six servers (2019/2022). Goals: Reno warehouse opening, dispatch "
        "continuity.",
        "",
        f"**Sunrise Pediatrics** ({sp['device_count']} devices, {sp['member_count']} users, "
        "semiannual reviews) - the smallest: four workstations and a Synology NAS; warranties "
        f"end within 90 days on {', '.join(sp['warranty_expiring_90d_hostnames'])}; SP-FRONT-01 "
        "runs Windows 10 22H2. No Pax8 (licences bought direct). Goals: HIPAA, remote charting.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------

def clean_inputs() -> None:
    INPUTS.mkdir(exist_ok=True)
    for d in OWNED_DIRS:
        shutil.rmtree(INPUTS / d, ignore_errors=True)
    for f in OWNED_FILES:
        (INPUTS / f).unlink(missing_ok=True)


def main() -> None:
    clients = [build_harbor(), build_granite(), build_bluebird(), build_cedar(), build_northwind(),
               build_sunrise()]
    for c in clients:
        for u in c.users:
            activity_for(u, c)
    clean_inputs()
    write_roster(clients)
    write_goals(clients)
    write_decisions()
    write_cw_configurations(clients)
    write_cw_agreements(clients)
    write_datto(clients)
    write_ninja(clients)
    write_pswarranty(clients)
    write_pax8(clients)
    for c in clients:
        write_m365(c)
    check_activity_margin(clients)
    facts = {c.name: expected_facts(c) for c in clients}
    (INPUTS / "README.md").write_text(readme(clients, facts), encoding="utf-8")
    WRITTEN.append(("README.md", 0))
    EXPECTED.parent.mkdir(exist_ok=True)
    EXPECTED.write_text(json.dumps({"_meta": META, **facts}, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    for rel, n in WRITTEN:
        print(f"{n:6d}  inputs/{rel}")
    print(f"        {EXPECTED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
