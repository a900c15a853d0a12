#!/usr/bin/env python3
"""Synthetic, deterministic MSP exports in the real formats of ``inputs/`` for benchmarking vcio.

Two modes::

    # N clients with a realistic size mix (most 10-80 devices, ~1% with 1,000+), every format:
    .venv/bin/python bench/generate.py --clients 500 --out bench/out/data-500

    # the big ingest target: 1,000,000 device rows + 500,000 user rows (Datto RMM device details
    # and per-tenant M365 "Export users" files, plus the roster so every row resolves):
    .venv/bin/python bench/generate.py --devices 1000000 --users 500000 --out bench/out/data-1m

Formats, headers, encodings and date styles come from ``tools/exports.py``, the writer the sample and
ingest-fixture generators use too:
Datto RMM DeviceDetails / DevicePatchSummary / DeviceStorage (UTF-8 BOM, CRLF, ``YYYY-MM-DD HH:MM:SS EST``),
ConnectWise Manage configurations + agreements (API field names, ISO ``...Z`` dates), Microsoft 365
``users.csv`` + ``ActiveUserDetail.csv`` per tenant folder ``m365/<domain>/``, Pax8 subscriptions,
PSWarranty, ``clients.csv`` and ``goals.csv``.

Deterministic: one ``random.Random(seed)`` consumed in a fixed order, so the same arguments give
byte-identical files. Dates are relative to the samples' review date 2026-11-20 (run vcio with
``--as-of 2026-11-20``). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

AS_OF = date(2026, 11, 20)
REPORT_REFRESH = date(2026, 11, 18)
EXPORT_TIME = datetime(2026, 11, 20, 7, 45)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: make tools.exports importable
from tools.exports import (CW_AGREEMENTS, CW_CONFIGURATIONS, DATTO_DEVICE_DETAILS, DATTO_PATCH_SUMMARY,  # noqa: E402
                           DATTO_STORAGE, DECISIONS, M365_ACTIVE_USER_DETAIL, M365_SERVICES, M365_USERS,
                           PAX8_SUBSCRIPTIONS, PSWARRANTY, PSWARRANTY_LOOKUP_FAILED, ROSTER, ExportFormat,
                           ExportWriter, datto_datetime, iso_z, m365_bool, m365_datetime)
from tools.exports import GOALS as GOALS_FILE  # noqa: E402  (GOALS below is the goals' texts)

SERVICES = M365_SERVICES

# ----------------------------------------------------------------------------------------------
# Catalogs (a subset of make_samples.py's, same spellings)
# ----------------------------------------------------------------------------------------------
# key: (Datto "Operating System", CW osType, CW osInfo, weight for workstations, weight for servers)
OSES = {
    "win10": ("Microsoft Windows 10 Pro 10.0.19045", "Microsoft Windows 10 Pro x64", "10.0.19045", 18, 0),
    "win10ltsc": ("Microsoft Windows 10 Enterprise LTSC 10.0.19044", "Microsoft Windows 10 Enterprise LTSC x64",
                  "10.0.19044", 2, 0),
    "win11_23h2": ("Microsoft Windows 11 Pro 10.0.22631", "Microsoft Windows 11 Pro x64", "10.0.22631", 12, 0),
    "win11_24h2": ("Microsoft Windows 11 Pro 10.0.26100", "Microsoft Windows 11 Pro x64", "10.0.26100", 25, 0),
    "win11_25h2": ("Microsoft Windows 11 Pro 10.0.26200", "Microsoft Windows 11 Pro x64", "10.0.26200", 45, 0),
    "macos14": ("macOS Sonoma 14.7.1", "macOS Sonoma", "14.7.1", 4, 0),
    "macos15": ("macOS Sequoia 15.6.1", "macOS Sequoia", "15.6.1", 4, 0),
    "srv2012r2": ("Microsoft Windows Server 2012 R2 Standard 6.3.9600",
                  "Microsoft Windows Server 2012 R2 Standard x64", "6.3.9600", 0, 8),
    "srv2016": ("Microsoft Windows Server 2016 Standard 10.0.14393", "Microsoft Windows Server 2016 Standard x64",
                "10.0.14393", 0, 25),
    "srv2019": ("Microsoft Windows Server 2019 Standard 10.0.17763", "Microsoft Windows Server 2019 Standard x64",
                "10.0.17763", 0, 35),
    "srv2022": ("Microsoft Windows Server 2022 Standard 10.0.20348", "Microsoft Windows Server 2022 Standard x64",
                "10.0.20348", 0, 32),
}
NETWORK_OS = {"Firewall": ("SonicOS", "7.1.1-7058"), "Switch": ("ArubaOS-Switch", "16.11.0021"),
              "Access Point": ("UniFi", "6.7.31"), "NAS": ("Synology DSM", "7.2.2-72806")}


@dataclass(frozen=True)
class Model:
    rmm_manufacturer: str
    psa_manufacturer: str
    name: str
    kind: str  # Desktop | Laptop | Server | Firewall | Switch | Access Point | NAS
    serial_style: str
    cpu: str = ""
    cores: int = 0
    mem_gb: int = 0
    disk_gb: float = 0.0


MODELS = [
    Model("Dell Inc.", "Dell", "OptiPlex 7060", "Desktop", "dell", "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz", 6, 8, 237.9),
    Model("Dell Inc.", "Dell", "OptiPlex 7090", "Desktop", "dell", "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz", 8, 16, 476.3),
    Model("Dell Inc.", "Dell", "OptiPlex Micro 7010", "Desktop", "dell", "13th Gen Intel(R) Core(TM) i5-13500T", 14, 16, 476.3),
    Model("Dell Inc.", "Dell", "Latitude 5490", "Laptop", "dell", "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", 4, 8, 237.9),
    Model("Dell Inc.", "Dell", "Latitude 5420", "Laptop", "dell", "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 4, 16, 237.9),
    Model("Dell Inc.", "Dell", "Latitude 5440", "Laptop", "dell", "13th Gen Intel(R) Core(TM) i5-1345U", 10, 16, 476.3),
    Model("HP", "HP", "HP EliteDesk 800 G6 SFF", "Desktop", "hp", "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", 6, 16, 237.9),
    Model("HP", "HP", "HP EliteBook 840 G8", "Laptop", "hp", "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 4, 16, 237.9),
    Model("LENOVO", "Lenovo", "ThinkCentre M70q Gen 3", "Desktop", "lenovo", "12th Gen Intel(R) Core(TM) i5-12400T", 6, 16, 476.3),
    Model("LENOVO", "Lenovo", "ThinkPad T14 Gen 3", "Laptop", "lenovo", "12th Gen Intel(R) Core(TM) i5-1245U", 10, 16, 476.3),
    Model("LENOVO", "Lenovo", "ThinkPad X1 Carbon Gen 11", "Laptop", "lenovo", "13th Gen Intel(R) Core(TM) i7-1365U", 10, 32, 476.3),
    Model("System manufacturer", "Custom Build", "System Product Name", "Desktop", "whitebox",
          "Intel(R) Core(TM) i7-9700 CPU @ 3.00GHz", 8, 32, 476.3),
    Model("Apple Inc.", "Apple", "MacBook Pro (14-inch, 2021)", "Laptop", "apple", "Apple M1 Pro", 8, 16, 494.4),
    Model("Dell Inc.", "Dell", "PowerEdge T440", "Server", "dell", "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz", 8, 64, 278.9),
    Model("Dell Inc.", "Dell", "PowerEdge R650", "Server", "dell", "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", 32, 128, 446.6),
    Model("HPE", "HPE", "ProLiant DL380 Gen9", "Server", "hp", "Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", 16, 64, 278.9),
    Model("SonicWall", "SonicWall", "TZ370", "Firewall", "net"),
    Model("Aruba", "Aruba", "Aruba 2930F 48G PoE+ 4SFP+", "Switch", "net"),
    Model("Ubiquiti", "Ubiquiti", "U6-Pro", "Access Point", "net"),
    Model("Synology", "Synology", "DS920+", "NAS", "net"),
]
WORKSTATIONS = [m for m in MODELS if m.kind in ("Desktop", "Laptop")]
SERVERS = [m for m in MODELS if m.kind == "Server"]
NETWORK = [m for m in MODELS if m.kind in ("Firewall", "Switch", "Access Point", "NAS")]
WARRANTY_PRODUCTS = {"Dell": ["ProSupport", "ProSupport Plus for PCs", "Basic Hardware Service"],
                     "Lenovo": ["Premier Support", "Onsite Warranty"], "HP": ["HP Care Pack - Next Business Day Onsite"],
                     "HPE": ["HPE Foundation Care NBD Service"]}
AV = ["SentinelOne: running"] * 12 + ["Windows Defender: running"] * 5 + ["Webroot SecureAnywhere: running"] * 2 + \
     ["SentinelOne: not running", "Windows Defender: out of date", "No AV detected"]
PATCH = ["Fully Patched"] * 12 + ["Approved Pending"] * 4 + ["Reboot Required"] * 2 + ["Install Error", "No Policy"]
LICENSES = [("Microsoft 365 Business Premium", 22.0, 18.48, 40), ("Microsoft 365 Business Standard", 12.5, 10.5, 30),
            ("Microsoft 365 Business Basic", 6.0, 5.04, 15), ("Microsoft 365 E3", 36.0, 30.24, 8),
            ("Exchange Online (Plan 1)", 4.8, 4.0, 7)]
ADDONS = [("Microsoft Defender for Office 365 (Plan 1)", 2.0, 1.68), ("Microsoft Teams Phone Standard", 8.0, 6.72),
          ("Microsoft 365 E5 Security", 12.0, 10.08)]
PRODUCT_SERVICES = {"Exchange Online (Plan 1)": ("Exchange",)}  # the suites carry every service
FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen",
         "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra", "Paul", "Ashley", "Steven",
         "Emily", "Andrew", "Donna", "Kenneth", "Michelle", "Joshua", "Carol", "Kevin", "Amanda", "Brian", "Melissa",
         "Renée", "José", "Zoë", "Siobhán", "Nguyễn", "Åsa"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "O'Brien", "Côté"]
DEPTS = ["Operations", "Finance", "Sales", "Front Office", "Clinical", "Engineering", "Admin", "Warehouse", "Legal"]
ADJ = ["Harbor", "Granite", "Bluebird", "Cedar", "Northwind", "Sunrise", "Summit", "Riverbend", "Oakmont", "Lakeside",
       "Pinecrest", "Silverline", "Redwood", "Ironwood", "Maple", "Coastal", "Prairie", "Evergreen", "Highland",
       "Willow", "Falcon", "Copper", "Meadow", "Stonebridge", "Aspen", "Beacon", "Crescent", "Juniper", "Keystone"]
NOUN = ["Dental", "Logistics", "Law Group", "Manufacturing", "Pediatrics", "Creative", "Accounting", "Realty",
        "Veterinary", "Engineering", "Insurance", "Construction", "Architects", "Family Medicine", "Foods",
        "Credit Union", "Academy", "Hospitality", "Orthodontics", "Consulting", "Title & Escrow", "Distribution"]
SUFFIX = ["", "", "", " LLC", ", Inc.", " LLP", " PC", " Co."]
GOALS = [("Pass the annual security risk assessment with no high findings", "compliance;security"),
         ("Open a second location without downtime", "growth;continuity"),
         ("Cut licence spend by 10%", "cost"), ("Support hybrid work for every employee", "remote-work;productivity"),
         ("Recover from a ransomware attack within one business day", "continuity;security")]
VCIOS = ["Dana Whitfield", "Marcus Oyelaran", "Priya Raman", "Tom Becker"]


# ----------------------------------------------------------------------------------------------
# Writers
# ----------------------------------------------------------------------------------------------
class Out(ExportWriter):
    """One file of the data set under ``root``; ``rows`` counts its records for the stats."""

    def __init__(self, root: Path, rel: str, fmt: ExportFormat):
        self.rel = rel
        super().__init__(root / rel, fmt, count_lines=False)

    @property
    def rows(self) -> int:
        return self.records


def add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


# ----------------------------------------------------------------------------------------------
# Client plan
# ----------------------------------------------------------------------------------------------
@dataclass
class ClientPlan:
    index: int
    name: str
    psa_id: str
    psa_name: str
    site: str
    pax8_name: str
    domain: str
    tenant: str
    devices: int
    users: int
    prefix: str
    fy_start: int
    cadence: str
    tier: str
    vcio: str
    extra: dict = field(default_factory=dict)


def device_count(rng: random.Random) -> int:
    """Most clients 10-80 devices, ~9% 80-300, ~1% 1,000-2,500."""
    r = rng.random()
    if r < 0.01:
        return rng.randint(1000, 2500)
    if r < 0.10:
        return int(math.exp(rng.uniform(math.log(80), math.log(300))))
    # log-uniform-ish around 25-35 devices: most small MSP clients are small
    return max(10, min(80, int(rng.lognormvariate(math.log(30), 0.5))))


def plan_clients(rng: random.Random, n: int, devices: list[int] | None = None,
                 users: list[int] | None = None, big_first: bool = True) -> list[ClientPlan]:
    plans: list[ClientPlan] = []
    used: set[str] = set()
    for i in range(n):
        base = f"{ADJ[i % len(ADJ)]} {NOUN[(i // len(ADJ) + i * 5) % len(NOUN)]}"
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base} {k}"
        used.add(name)
        slug = "".join(ch for ch in name.lower() if ch.isalnum())
        nd = devices[i] if devices is not None else device_count(rng)
        nu = users[i] if users is not None else max(3, int(nd * rng.uniform(0.7, 1.3)))
        prefix = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()[:3] + f"{i:04d}"
        plans.append(ClientPlan(
            index=i, name=name, psa_id=f"{slug[:20]}{i}", psa_name=name + rng.choice(SUFFIX),
            site=f"{name} - Main", pax8_name=name.upper(), domain=f"{slug}.com", tenant=f"{slug}.onmicrosoft.com",
            devices=nd, users=nu, prefix=prefix, fy_start=rng.choice([1, 1, 1, 4, 7, 10]),
            cadence=rng.choice(["quarterly"] * 6 + ["semiannual", "annual"]),
            tier=rng.choice(["Essentials", "Standard", "Standard", "Premium"]), vcio=rng.choice(VCIOS)))
    if big_first and n >= 50 and not any(p.devices >= 1000 for p in plans):
        plans[n // 2].devices = 1000 + rng.randint(0, 500)  # at least one 1,000+ client in every mix
        plans[n // 2].users = int(plans[n // 2].devices * 0.9)
    return plans


def write_roster(root: Path, plans: list[ClientPlan]) -> None:
    out = Out(root, "clients.csv", ROSTER)
    for p in plans:
        aliases = [a for a in (p.psa_name, p.site, p.pax8_name) if a != p.name]
        out.row([p.name, ";".join(aliases), f"{p.domain};{p.tenant}", p.psa_id, p.tier, p.vcio, p.fy_start, p.cadence])
    out.close()


def write_goals(root: Path, rng: random.Random, plans: list[ClientPlan]) -> None:
    out = Out(root, "goals.csv", GOALS_FILE)
    for p in plans:
        for goal, tags in rng.sample(GOALS, rng.randint(1, 3)):
            target = AS_OF + timedelta(days=rng.randint(60, 700))
            out.row([p.name, goal, target.isoformat(), rng.choice(["Owner", "Office Manager", "CFO"]),
                     "Measured at the next QBR", rng.choice(["High", "Medium", "Low"]), tags])
    out.close()
    Out(root, "decisions.csv", DECISIONS).close()


class Serials:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.n = 0

    def next(self, style: str) -> str:
        self.n += 1
        # unique by construction: a counter in base 31, padded with random letters
        digits, x = "", self.n
        alphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
        while x:
            x, r = divmod(x, 31)
            digits = alphabet[r] + digits
        pad = "".join(self.rng.choice(alphabet) for _ in range(3))
        if style == "dell":
            return (pad + digits).rjust(7, "0")[-7:] if self.n < 31 ** 4 else pad + digits
        if style == "lenovo":
            return "PF" + (pad + digits).rjust(6, "0")
        if style == "apple":
            return "C02" + (pad + digits).rjust(9, "0")
        if style == "hp":
            return "5CG" + (pad + digits).rjust(7, "0")
        if style == "whitebox":
            return "To Be Filled By O.E.M." if self.rng.random() < 0.5 else "Default string"
        return "S" + pad + digits


def generate_full(root: Path, n_clients: int, seed: int) -> dict:
    rng = random.Random(seed)
    plans = plan_clients(rng, n_clients)
    write_roster(root, plans)
    write_goals(root, rng, plans)
    serials = Serials(rng)
    det = Out(root, "rmm/DeviceDetailsExport.csv", DATTO_DEVICE_DETAILS)
    pat = Out(root, "rmm/DevicePatchSummaryExport.csv", DATTO_PATCH_SUMMARY)
    sto = Out(root, "rmm/DeviceStorageExport.csv", DATTO_STORAGE)
    cw = Out(root, "psa/cw_configurations.csv", CW_CONFIGURATIONS)
    agr = Out(root, "psa/cw_agreements.csv", CW_AGREEMENTS)
    war = Out(root, "warranty/pswarranty.csv", PSWARRANTY)
    pax = Out(root, "pax8/subscriptions.csv", PAX8_SUBSCRIPTIONS)
    ws_os = [k for k, v in OSES.items() if v[3]]
    ws_w = [OSES[k][3] for k in ws_os]
    srv_os = [k for k, v in OSES.items() if v[4]]
    srv_w = [OSES[k][4] for k in srv_os]
    cw_id, agr_id, m365_rows = 1000, 300, 0
    for p in plans:
        # ---- devices
        n_net = max(1, int(p.devices * 0.08))
        n_srv = max(1, int(p.devices * 0.05)) if p.devices >= 15 else rng.choice([0, 1])
        n_ws = max(1, p.devices - n_net - n_srv)
        kinds = [("ws", i) for i in range(n_ws)] + [("srv", i) for i in range(n_srv)] + [("net", i) for i in range(n_net)]
        for kind, i in kinds:
            if kind == "ws":
                m = rng.choice(WORKSTATIONS)
                os_key = ("macos14" if rng.random() < 0.5 else "macos15") if m.serial_style == "apple" else \
                    rng.choices(ws_os, ws_w)[0]
                if m.serial_style != "apple" and os_key.startswith("macos"):
                    os_key = "win11_24h2"
                host = f"{p.prefix}-{'LT' if m.kind == 'Laptop' else 'WS'}-{i + 1:04d}"
                purchase = AS_OF - timedelta(days=rng.randint(60, 365 * 8))
            elif kind == "srv":
                m = rng.choice(SERVERS)
                os_key = rng.choices(srv_os, srv_w)[0]
                host = f"{p.prefix}-SRV-{i + 1:02d}"
                purchase = AS_OF - timedelta(days=rng.randint(200, 365 * 9))
            else:
                m = rng.choice(NETWORK)
                os_key = None
                host = f"{p.prefix}-{m.kind[:2].upper()}-{i + 1:02d}"
                purchase = AS_OF - timedelta(days=rng.randint(200, 365 * 7))
            serial = serials.next(m.serial_style)
            years = 5 if m.kind == "Server" else 3
            wend = None if m.serial_style in ("whitebox", "net") else add_years(purchase, years)
            in_rmm = kind != "net" and rng.random() < 0.95
            in_psa = rng.random() < 0.9 or not in_rmm
            if in_rmm:
                osd = OSES[os_key]
                seen_days = rng.expovariate(1 / 2.0) if rng.random() < 0.93 else rng.uniform(30, 200)
                last_seen = EXPORT_TIME - timedelta(days=seen_days, seconds=rng.randint(0, 3600))
                reboot = last_seen - timedelta(days=rng.uniform(0.1, 20))
                enrolled = datetime.combine(purchase, datetime.min.time()) + timedelta(days=rng.randint(3, 30), hours=9)
                det.row([host, p.site, m.kind, osd[0], datto_datetime(last_seen), datto_datetime(reboot), m.cpu, m.cores,
                         f"{m.mem_gb} GB", rng.choice(AV), f"198.51.100.{p.index % 250 + 1}",
                         f"10.{p.index % 250}.{i // 250}.{i % 250 + 1}", "4.4.2298.2298", datto_datetime(enrolled)])
                status = rng.choice(PATCH)
                pending = 0 if status in ("Fully Patched", "No Policy") else rng.randint(1, 12)
                pat.row([host, p.site, pending, rng.randint(40, 240), rng.randint(0, 6), status, datto_datetime(reboot)])
                drives = [("C:", m.disk_gb)] + ([("D:", 1862.9)] if m.kind == "Server" else [])
                for drive, cap in drives:
                    free = cap * rng.uniform(0.04, 0.8)
                    sto.row([host, p.site, drive, f"{cap:.1f} GB", f"{free:.1f} GB", serial, m.name,
                             m.rmm_manufacturer])
            if in_psa:
                cw_id += rng.randint(1, 7)
                psa_type = "Workstation" if m.kind == "Desktop" else m.kind
                if os_key:
                    os_type, os_info = OSES[os_key][1], OSES[os_key][2]
                else:
                    os_type, os_info = NETWORK_OS[m.kind]
                install = purchase + timedelta(days=rng.randint(2, 21))
                cw.row([cw_id, f"{host}.{p.domain.split('.')[0][:8]}.local" if kind != "net" else host, psa_type,
                        "Active" if rng.random() < 0.97 else "Inactive", p.psa_id, p.psa_name,
                        "" if m.serial_style == "whitebox" else serial, m.name, iso_z(purchase), iso_z(install),
                        iso_z(wend), os_type, os_info, m.psa_manufacturer, rng.choice(["CDW", "Ingram Micro", "TD SYNNEX"])])
            if wend and m.psa_manufacturer in WARRANTY_PRODUCTS and rng.random() < 0.85:
                if rng.random() < 0.03:
                    war.row([serial, PSWARRANTY_LOOKUP_FAILED, "", "", "", p.psa_name])
                else:
                    war.row([serial, rng.choice(WARRANTY_PRODUCTS[m.psa_manufacturer]),
                             (purchase + timedelta(days=rng.randint(0, 6))).isoformat(), wend.isoformat(),
                             "OK" if wend >= AS_OF else "Expired", p.psa_name])
        # ---- agreements
        for name, typ, amount in [(f"{p.name} - Managed Services", "Managed Services", p.devices * 95.0),
                                  (f"{p.name} - BCDR", "Backup", 250.0 + p.devices * 4)][: rng.randint(1, 2)]:
            agr_id += rng.randint(1, 5)
            start = date(2024 + rng.randint(0, 2), rng.randint(1, 12), 1)
            end = add_years(start, rng.choice([1, 2, 3])) - timedelta(days=1)
            agr.row([agr_id, name, typ, p.psa_id, p.psa_name, iso_z(start), iso_z(end), "False", "False",
                     f"{amount:.2f}", "Monthly"])
        # ---- users and subscriptions (licences in proportion to users)
        m365_rows += write_tenant(root, rng, p)
        for product, price, cost, qty, term, cend, start in p.extra["subs"]:
            pax.row([f"{p.index:08x}-0000-4000-8000-{zlib.crc32(product.encode()):012d}", f"c{p.index:07d}", p.pax8_name,
                     p.psa_id, f"p-{product[:12].lower().replace(' ', '-')}", product, qty, "Monthly", term,
                     cend.isoformat() if cend else "", start.isoformat(), "", f"{price:.2f}", f"{cost:.2f}", "USD",
                     "Active"])
    files = [det, pat, sto, cw, agr, war, pax]
    for f in files:
        f.close()
    return {"clients": len(plans), "devices": sum(p.devices for p in plans), "users": sum(p.users for p in plans),
            "rows": {f.rel: f.rows for f in files}, "m365_rows": m365_rows,
            "size_mix": size_mix(plans)}


def write_tenant(root: Path, rng: random.Random, p: ClientPlan, activity: bool = True, exact: bool = False) -> int:
    """users.csv (+ ActiveUserDetail.csv) of one tenant: p.users people plus shared mailboxes
    (with ``exact``, the shared mailboxes are part of p.users, so the row count is exactly p.users)."""
    users = Out(root, f"m365/{p.domain}/users.csv", M365_USERS)
    act = Out(root, f"m365/{p.domain}/ActiveUserDetail.csv", M365_ACTIVE_USER_DETAIL) if activity else None
    main_lic = rng.choices(LICENSES, [w for *_, w in LICENSES])[0]
    second = rng.choice(LICENSES)
    assigned: dict[str, int] = {}
    seen: set[str] = set()
    n_shared = max(1, p.users // 25)
    people = p.users - n_shared if exact and p.users > n_shared else p.users
    for j in range(people + n_shared if not exact else p.users):
        shared = j >= people
        if shared:
            first, last = "", ""
            local = ["info", "billing", "scans", "reception", "support", "hr", "ap", "sales"][(j - people) % 8]
            local = local if local not in seen else f"{local}{j}"
            display = local.title()
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
            local = "".join(ch for ch in local if ch.isascii())
            if local in seen:
                local = f"{local}{j}"
            display = f"{first} {last}"
        seen.add(local)
        upn = f"{local}@{p.domain}"
        r = rng.random()
        licenses = [] if shared or r < 0.08 else [main_lic[0] if r < 0.85 else second[0]]
        if licenses and rng.random() < 0.1:
            addon = rng.choice(ADDONS)[0]
            licenses.append(addon)
        for lic in licenses:
            assigned[lic] = assigned.get(lic, 0) + 1
        blocked = shared or rng.random() < 0.04
        created = datetime(2018, 1, 1) + timedelta(days=rng.randint(0, 3200), seconds=rng.randint(0, 86400))
        pw = created + timedelta(days=rng.randint(0, 400))
        users.row([display, "", upn, f"{p.index:08x}-{j:04x}-4000-8000-{rng.getrandbits(48):012x}", first, last,
                   m365_datetime(created), "", "" if shared else rng.choice(["Manager", "Associate", "Analyst", "Assistant"]),
                   "" if shared else rng.choice(DEPTS), "", "Springfield", "United States", "Springfield Office", "IL",
                   "US", "", m365_bool(blocked, excel=True), "+".join(licenses) if licenses else "Unlicensed",
                   m365_bool(False, excel=True), m365_datetime(pw), "", "", "62701", "en-US", "1 Main St", "",
                   f"SMTP:{upn}+smtp:{local}@{p.tenant}"])
        if act is not None:
            services = set()
            for lic in licenses:
                services.update(PRODUCT_SERVICES.get(lic, SERVICES if "365" in lic else ()))
            has = [str(s in services) for s in SERVICES]
            state = rng.random()
            last_days = None if state < 0.05 else (rng.randint(100, 400) if state < 0.15 else rng.randint(0, 20))
            lasts = [(REPORT_REFRESH - timedelta(days=last_days + rng.randint(0, 5))).isoformat()
                     if (last_days is not None and s in services and rng.random() < 0.8) else "" for s in SERVICES]
            assign_day = (created.date() + timedelta(days=1)).isoformat()
            assigns = [assign_day if s in services else "" for s in SERVICES]
            act.row([REPORT_REFRESH.isoformat(), upn, display, "False", "", *has, *lasts, *assigns,
                     "+".join(lic.upper() for lic in licenses)])
    users.close()
    if act is not None:
        act.close()
    subs = []
    for product, count in sorted(assigned.items()):
        price, cost = next(((pr, co) for name, pr, co, *_ in LICENSES + [(*a, 0) for a in ADDONS] if name == product),
                           (10.0, 8.4))
        spare = rng.choice([0, 0, 0, 1, 2, max(1, count // 10), max(2, count // 5)])
        annual = rng.random() < 0.6
        cend = (AS_OF + timedelta(days=rng.randint(10, 360))) if annual else None
        subs.append((product, price, cost, count + spare, "1-Year" if annual else "Monthly", cend,
                     AS_OF - timedelta(days=rng.randint(30, 1500))))
    p.extra["subs"] = subs
    return users.rows + (act.rows if act is not None else 0)


def size_mix(plans: list[ClientPlan]) -> dict:
    sizes = sorted(p.devices for p in plans)
    return {"min": sizes[0], "median": sizes[len(sizes) // 2], "p90": sizes[int(len(sizes) * 0.9)], "max": sizes[-1],
            "clients_1000_plus": sum(1 for s in sizes if s >= 1000),
            "clients_10_80": sum(1 for s in sizes if 10 <= s <= 80)}


def generate_big(root: Path, n_devices: int, n_users: int, n_clients: int, seed: int) -> dict:
    """The ingest target: ``n_devices`` Datto device-detail rows + ``n_users`` M365 users rows."""
    rng = random.Random(seed)
    weights = [device_count(rng) for _ in range(n_clients)]
    total = sum(weights)
    devices = [max(1, w * n_devices // total) for w in weights]
    devices[0] += n_devices - sum(devices)
    users = [max(1, w * n_users // total) for w in weights]
    users[0] += n_users - sum(users)
    plans = plan_clients(rng, n_clients, devices, users, big_first=False)
    write_roster(root, plans)
    det = Out(root, "rmm/DeviceDetailsExport.csv", DATTO_DEVICE_DETAILS)
    ws_os = [k for k, v in OSES.items() if v[3]]
    ws_w = [OSES[k][3] for k in ws_os]
    # Pre-render a pool of last-seen / reboot / enrolment strings: fleets repeat values, and the
    # generator stays fast (a million rows in well under a minute).
    seen_pool = [datto_datetime(EXPORT_TIME - timedelta(seconds=rng.randint(0, 86400 * 30))) for _ in range(5000)]
    enrol_pool = [datto_datetime(datetime(2019, 1, 1) + timedelta(seconds=rng.randint(0, 86400 * 2500))) for _ in range(5000)]
    for p in plans:
        for i in range(p.devices):
            m = WORKSTATIONS[rng.randrange(len(WORKSTATIONS))] if i % 20 else SERVERS[i % 3]
            if m.kind == "Server":
                os_key = ("srv2016", "srv2019", "srv2022")[i % 3]
            elif m.serial_style == "apple":
                os_key = "macos15"
            else:
                os_key = rng.choices(ws_os[:5], ws_w[:5])[0]
            det.row([f"{p.prefix}-{i + 1:05d}", p.site, m.kind, OSES[os_key][0], seen_pool[rng.randrange(5000)],
                     seen_pool[rng.randrange(5000)], m.cpu, m.cores, f"{m.mem_gb} GB", AV[rng.randrange(len(AV))],
                     f"198.51.100.{p.index % 250 + 1}", f"10.{p.index % 250}.{i // 250 % 256}.{i % 250 + 1}",
                     "4.4.2298.2298", enrol_pool[rng.randrange(5000)]])
    det.close()
    user_rows = 0
    for p in plans:
        user_rows += write_tenant(root, rng, p, activity=False, exact=True)
    return {"clients": n_clients, "rows": {det.rel: det.rows}, "m365_user_rows": user_rows,
            "size_mix": size_mix(plans)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=None, help="number of clients (full mode; default 500; big mode 2000)")
    ap.add_argument("--devices", type=int, default=None, help="big ingest mode: total Datto device rows")
    ap.add_argument("--users", type=int, default=None, help="big ingest mode: total M365 user rows")
    ap.add_argument("--seed", type=int, default=20261120)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--force", action="store_true", help="regenerate even if OUT/.generated.json matches")
    args = ap.parse_args(argv)
    big = args.devices is not None or args.users is not None
    spec = {"mode": "big" if big else "full", "clients": args.clients or (2000 if big else 500),
            "devices": args.devices or 0, "users": args.users or 0, "seed": args.seed, "version": 3}
    marker = args.out / ".generated.json"
    if marker.exists() and not args.force:
        try:
            if json.loads(marker.read_text())["spec"] == spec:
                print(f"{args.out}: already generated with {spec} (use --force to redo)")
                return 0
        except (ValueError, KeyError):
            pass
    if args.out.exists():
        import shutil
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    t0 = time.perf_counter()
    if big:
        stats = generate_big(args.out, args.devices or 1_000_000, args.users or 500_000, spec["clients"], args.seed)
    else:
        stats = generate_full(args.out, spec["clients"], args.seed)
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    stats["bytes"] = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    marker.write_text(json.dumps({"spec": spec, "stats": stats}, indent=2))
    print(json.dumps({"out": str(args.out), **stats}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
