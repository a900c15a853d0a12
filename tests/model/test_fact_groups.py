"""A fact made of several fields (an operating system, a warranty) comes whole from one source: the freshest
observation for what a tool sees on the device, the record-keeping source for records; the asset says which."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pipeline.catalog.os_identity import identify_os
from pipeline.ingest import IngestOptions, ingest_folder
from pipeline.model import build_clients, merge_assets
from pipeline.model.build import SourceFiles

AS_OF = date(2026, 11, 20)
ROSTER = "name,aliases,domains\nNorthwind Logistics,Northwind Logistics - HQ,northwindlogistics.com\n"
CW_HEADER = ("id,name,type.name,status.name,company.identifier,company.name,serialNumber,modelNumber,purchaseDate,"
             "installationDate,warrantyExpirationDate,osType,osInfo,manufacturer.name,vendor.name\n")
DATTO_HEADER = ("Device Hostname,Site Name,Device Type,Operating System,Last Seen,Last Reboot,Device CPU,"
                "Physical CPU Cores,Memory,Security,Ext IP Addr,Int IP Addr,Agent Version,Enrollment Date\n")


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def assets_of(root: Path):
    clients = build_clients(ingest_folder(root, IngestOptions(as_of=AS_OF)))
    return {a.name: a for a in clients["Northwind Logistics"].assets}


# The shape of the Northwind Logistics sample: the PSA still says Windows 10 build 19045, the RMM saw Windows 11
# 25H2 (build 26200 in its caption) two days before the review.
NORTHWIND = {
    "clients.csv": ROSTER,
    "psa/cw_configurations.csv": CW_HEADER
    + "2260,NWL-WS-003,Workstation,Active,NorthwindLogistics,Northwind Logistics,MXL9123E15,HP EliteDesk 800 G9 Mini,"
      "2024-10-27T00:00:00Z,2024-11-10T00:00:00Z,2027-10-27T00:00:00Z,Microsoft Windows 10 Pro x64,10.0.19045,HP,"
      "TD SYNNEX\n",
    "rmm/DeviceDetailsExport.csv": DATTO_HEADER
    + "NWL-WS-003,Northwind Logistics - HQ,Desktop,Microsoft Windows 11 Pro 10.0.26200,2026-11-18 07:34:06 EST,"
      "2026-11-18 06:00:00 EST,12th Gen Intel(R) Core(TM) i5-12500T,6,16 GB,SentinelOne: running,192.0.2.10,"
      "10.40.0.53,4.4.2298.2298,2024-10-31 15:06:42 EST\n",
}


def test_the_operating_system_comes_whole_from_the_freshest_source(tmp_path):
    asset = assets_of(write(tmp_path, NORTHWIND))["NWL-WS-003"]
    assert asset.os == "Microsoft Windows 11 Pro 10.0.26200"
    assert asset.os_build is None  # the PSA's 10.0.19045 is not mixed in
    assert identify_os(asset.os, asset.os_build).cycle == "11-25h2"
    assert asset.provenance["os"] == {"source": "rmm/DeviceDetailsExport.csv:2", "tool": "rmm",
                                      "observed": date(2026, 11, 18)}


def test_a_fresher_psa_record_wins_over_a_stale_rmm_agent():
    devices = [
        {"_src": "rmm/old.csv:2", "_profile": "rmm", "hostname": "PC-1", "serial": "S1",
         "os": "Microsoft Windows 10 Pro", "os_build": "10.0.19045", "last_seen": datetime(2025, 3, 1)},
        {"_src": "psa/configs.csv:2", "_profile": "psa", "hostname": "PC-1", "serial": "S1",
         "os": "Microsoft Windows 11 Pro", "os_build": "10.0.26200", "last_seen": datetime(2026, 11, 1)},
    ]
    files = SourceFiles({"rmm": "rmm", "psa": "psa"}, {}, {})
    (asset,), _ = merge_assets(devices, [], files)
    assert (asset.os, asset.os_build) == ("Microsoft Windows 11 Pro", "10.0.26200")
    assert asset.provenance["os"]["tool"] == "psa"


def test_without_dates_the_documented_priority_decides_and_the_group_stays_whole():
    devices = [
        {"_src": "psa/configs.csv:2", "_profile": "psa", "hostname": "PC-1", "serial": "S1",
         "os": "Microsoft Windows 10 Pro x64", "os_build": "10.0.19045"},
        {"_src": "rmm/devices.csv:2", "_profile": "rmm", "hostname": "PC-1", "serial": "S1",
         "os": "Microsoft Windows 11 Pro 24H2"},
    ]
    (asset,), _ = merge_assets(devices, [], {"psa": "psa", "rmm": "rmm"})
    assert (asset.os, asset.os_build) == ("Microsoft Windows 11 Pro 24H2", None)


def test_the_warranty_start_and_end_come_from_one_lookup():
    devices = [{"_src": "psa/configs.csv:2", "_profile": "psa", "hostname": "SRV-1", "serial": "S1",
                "warranty_start": date(2019, 1, 1), "warranty_end": date(2022, 1, 1)}]
    warranties = [{"_src": "warranty/pswarranty.csv:2", "_profile": "warranty", "serial": "S1",
                   "warranty_end": date(2025, 6, 30)}]  # the lookup knows only the end of the extension
    (asset,), _ = merge_assets(devices, warranties, {"psa": "psa", "warranty": "warranty"})
    assert (asset.warranty_start, asset.warranty_end) == (None, date(2025, 6, 30))
    assert asset.provenance["warranty"]["source"] == "warranty/pswarranty.csv:2"


def test_a_user_profile_declared_rmm_is_merged_as_the_rmm(tmp_path):
    files = dict(NORTHWIND)
    files.pop("rmm/DeviceDetailsExport.csv")
    files["profiles/our_grid.toml"] = (
        'name = "our_grid"\nentity = "device"\nsource_kind = "rmm"\nrequired = ["Machine", "Customer", "OS Name"]\n'
        '[columns]\nhostname = "Machine"\nclient = "Customer"\nos = "OS Name"\n')
    files["exports/grid.csv"] = "Machine,Customer,OS Name\nNWL-WS-003,Northwind Logistics,Microsoft Windows 11 Pro 25H2\n"
    asset = assets_of(write(tmp_path, files))["NWL-WS-003"]
    assert asset.os == "Microsoft Windows 11 Pro 25H2"  # neither dated: the RMM outranks the PSA
    assert asset.provenance["os"]["tool"] == "rmm"
    assert "rmm" in asset.tools
