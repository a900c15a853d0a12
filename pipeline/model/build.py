"""Build each client's canonical model from the ingested records.

Devices seen by several tools become one asset (serial first, then hostname), with
conflicting values resolved by source priority and counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime

from ..gcpause import gc_paused
from ..ingest import IngestResult
from ..ingest.profiles import load_profiles
from ..ingest.values import joinable_upn
from .entities import (Asset, ClientData, Contract, Decision, Exclusion, Goal, Subscription, User)
from ..catalog.apple_models import apple_model
from ..catalog.skus import friendly_product

# A fact made of several fields comes whole from one record, never field by field: an OS name from the RMM and a
# build from a stale PSA would describe a machine that does not exist.
FACT_GROUPS: dict[str, tuple[str, ...]] = {
    "os": ("os", "os_build"),
    "warranty": ("warranty_start", "warranty_end"),
    "last_seen": ("last_seen",),
    "last_reboot": ("last_reboot",),
    "antivirus": ("av_product", "av_status"),
    "patches": ("patch_status", "patches_missing", "patches_installed", "patches_not_approved"),
    "backup": ("last_backup", "backup_status"),
}
# Facts a tool observes on the device as it is now: the freshest observation wins, then the source priority.
# The others are records (what was bought when, the warranty entitlement, what the asset register says): the
# source that keeps that record wins, whatever the date of the export it came in.
OBSERVED_FACTS = {"os", "last_seen", "last_reboot", "antivirus", "patches", "backup"}
# Which tool wins when two disagree, per fact (first wins); unnamed facts: vcio, rmm, psa, warranty, other.
SOURCE_PRIORITY: dict[str, tuple[str, ...]] = {
    "warranty": ("vcio", "warranty", "rmm", "psa"),
    "device_type": ("vcio", "psa", "rmm"),
    "purchase_date": ("vcio", "psa", "rmm"),
    "install_date": ("vcio", "psa", "rmm"),
    "status": ("vcio", "psa", "rmm"),
    "role": ("vcio", "psa", "rmm"),
}
DEFAULT_PRIORITY = ("vcio", "rmm", "psa", "warranty", "other")
_GROUPED = {name for names in FACT_GROUPS.values() for name in names}
_ASSET_FIELDS = [f.name for f in fields(Asset) if f.name not in {"sources", "tools", "conflicts", "provenance"}]
FACTS: dict[str, tuple[str, ...]] = {**FACT_GROUPS, **{n: (n,) for n in _ASSET_FIELDS if n not in _GROUPED}}
_QUIET_CONFLICTS = {"hostname", "site", "av_product", "os", "os_build", "last_seen", "last_reboot"}


@dataclass(frozen=True)
class SourceFiles:
    """What the model needs to know about each input file: its tool and when the tool observed its data."""

    kinds: dict[str, str]  # profile name -> source kind
    observed: dict[str, date]  # path -> observation date (report date, newest timestamp or file date)
    data_dates: dict[str, date]  # path -> observation date when the file's own data gives it

    @classmethod
    def of(cls, result: IngestResult) -> "SourceFiles":
        kinds = {p.name: p.source_kind for p in load_profiles()}
        kinds.update({f.format: f.source_kind for f in result.files})  # the user's own profiles included
        observed = {f.path: date.fromisoformat(f.observed_on) for f in result.files if f.observed_on}
        data_dates = {f.path: f.data_date for f in result.files if f.data_date}
        return cls(kinds, observed, data_dates)

    def kind(self, record: dict) -> str:
        return self.kinds.get(record.get("_profile", ""), "other")

    def path(self, record: dict) -> str:
        return record["_src"].rsplit(":", 1)[0]


def host_key(hostname: str | None) -> str | None:
    """Hostnames compare case-insensitively without their DNS domain."""
    if not hostname:
        return None
    return hostname.strip().split(".")[0].casefold() or None


@gc_paused
def build_clients(result: IngestResult) -> dict[str, ClientData]:
    files = SourceFiles.of(result)
    clients: dict[str, ClientData] = {}
    for row in result.records.get("client", []):
        clients.setdefault(row["name"], ClientData(
            name=row["name"], tier=row.get("tier"), vcio=row.get("vcio"),
            fiscal_year_start=_month(row.get("fiscal_year_start")), cadence=(row.get("cadence") or "quarterly").lower(),
            domains=list(row.get("domains") or [])))
    for name in result.clients:
        clients.setdefault(name, ClientData(name=name))

    grouped = _by_client(result.records)
    for name, entities in grouped.items():
        client = clients.setdefault(name, ClientData(name=name))
        client.input_rows = dict(sorted(Counter(r["_src"].rsplit(":", 1)[0] for rows in entities.values()
                                                for r in rows).items()))
        client.assets, client.merge_conflicts = merge_assets(entities.get("device", []), entities.get("warranty", []), files)
        client.concealed_activity_rows = sum(1 for r in entities.get("user_activity", []) if not joinable_upn(r["upn"]))
        client.users = merge_users(entities.get("user", []), entities.get("user_activity", []), entities.get("mfa", []),
                                   files)
        client.subscriptions = [_subscription(r) for r in entities.get("subscription", [])]
        client.contracts = [_contract(r) for r in entities.get("contract", [])]
        client.goals = [_goal(r) for r in entities.get("goal", [])]
        client.decisions = [_decision(r) for r in entities.get("decision", [])]
        client.exclusions = [_exclusion(r) for r in entities.get("exclusion", [])]
    return clients


def _month(value) -> int:
    return value if isinstance(value, int) and 1 <= value <= 12 else 1


def _by_client(records: dict[str, list[dict]]) -> dict[str, dict[str, list[dict]]]:
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for entity, rows in records.items():
        if entity == "client":
            continue
        for row in rows:
            grouped[row["client"]][entity].append(row)
    return grouped


def merge_assets(devices: list[dict], warranties: list[dict], files: "SourceFiles | dict[str, str]") -> tuple[list[Asset], int]:
    """Group device records by serial, then attach serial-less records by hostname."""
    groups: list[list[dict]] = []
    by_serial: dict[str, int] = {}
    by_host: dict[str, set[int]] = defaultdict(set)
    for record in devices:
        serial = record.get("serial")
        if serial:
            index = by_serial.get(serial)
            if index is None:
                index = len(groups)
                groups.append([])
                by_serial[serial] = index
            groups[index].append(record)
            if host_key(record.get("hostname")):
                by_host[host_key(record.get("hostname"))].add(index)
    for record in devices:
        if record.get("serial"):
            continue
        key = host_key(record.get("hostname"))
        candidates = by_host.get(key, set())
        if len(candidates) == 1:
            groups[next(iter(candidates))].append(record)
        elif candidates:
            # Two devices share this hostname (a re-imaged or replaced machine): the newest wins.
            groups[max(candidates)].append(record)
        else:
            index = len(groups)
            groups.append([record])
            by_host[key].add(index)
    if not isinstance(files, SourceFiles):  # a plain {profile: kind} map (tests, callers without ingest reports)
        files = SourceFiles(dict(files), {}, {})
    warranty_by_serial = {}
    for record in warranties:
        if record.get("serial") and (record.get("warranty_end") or record.get("warranty_start")):
            warranty_by_serial.setdefault(record["serial"], []).append(record)
    assets, conflicts = [], 0
    for group in groups:
        serial = next((r["serial"] for r in group if r.get("serial")), None)
        asset = _merge_group(group + warranty_by_serial.get(serial, []), files)
        conflicts += len(asset.conflicts)
        assets.append(asset)
    assets.sort(key=lambda a: (a.name or "").casefold())
    return assets, conflicts


def _merge_group(records: list[dict], files: SourceFiles) -> Asset:
    asset = Asset(hostname=None)
    for fact, names in FACTS.items():
        present = [r for r in records if any(r.get(n) not in (None, "") for n in names)]
        if not present:
            continue
        present.sort(key=lambda r: _rank(fact, r, files))
        chosen = present[0]
        for name in names:
            values = [r[name] for r in present if r.get(name) not in (None, "")]
            if name == "hostname":
                value = _preferred_hostname(values)
            else:
                value = chosen.get(name)
                value = None if value == "" else value
            if len({_comparable(v) for v in values}) > 1 and name not in _QUIET_CONFLICTS:
                asset.conflicts.append(name)
            if value is not None:
                setattr(asset, name, value)
        if fact in FACT_GROUPS or fact in SOURCE_PRIORITY or fact in {"purchase_date", "install_date", "enrolled_date"}:
            path = files.path(chosen)
            asset.provenance[fact] = {"source": chosen["_src"], "tool": files.kind(chosen),
                                      "observed": files.observed.get(path)}
    asset.device_type = refine_device_type(asset.device_type or "other", asset.model)
    asset.sources = sorted({r["_src"] for r in records}, key=_source_order)
    asset.tools = sorted({files.kind(r) for r in records})
    return asset


def _rank(fact: str, record: dict, files: SourceFiles) -> tuple:
    """Sort key: the record to take a fact from comes first."""
    kind = files.kind(record)
    priority = SOURCE_PRIORITY.get(fact, DEFAULT_PRIORITY)
    order = priority.index(kind) if kind in priority else len(priority)
    if kind == "vcio":
        return (0, 0, order)  # the MSP's own canonical file always wins
    if fact in OBSERVED_FACTS:
        seen = _own_date(record) or files.data_dates.get(files.path(record))
        return (1, -seen.toordinal() if seen else 0, order)
    seen = _own_date(record) or files.data_dates.get(files.path(record))
    return (1, order, -seen.toordinal() if seen else 0)


def _own_date(record: dict) -> date | None:
    """When the tool last saw this device: the record's own last-seen or report date."""
    for name in ("last_seen", "report_date"):
        value = record.get(name)
        if value:
            return value.date() if isinstance(value, datetime) else value
    return None


_LAPTOP_MODELS = ("macbook", "thinkpad", "latitude", "elitebook", "probook", "zbook", "surface laptop",
                  "surface pro", "xps 13", "xps 15", "inspiron 14", "inspiron 15", "vostro 14", "vostro 15",
                  "ideapad", "yoga", "spectre", "envy x360", "chromebook", "toughbook", "galaxy book")


def refine_device_type(device_type: str, model: str | None) -> str:
    """RMMs call every Mac or Windows client a workstation: the model name tells a laptop apart (an Apple model
    identifier by the catalog's table: "Mac15,3" is a 14-inch MacBook Pro)."""
    if device_type not in {"desktop", "other", "laptop"} or not model:
        return device_type
    apple = apple_model(model)
    if apple:
        return apple[1]
    if device_type != "laptop" and any(word in model.lower() for word in _LAPTOP_MODELS):
        return "laptop"
    return device_type


def _preferred_hostname(names: list[str]) -> str:
    """The short name without a DNS domain, as people say it; an upper-case spelling (how Windows reports
    its own name) wins over a PSA's hand-typed mixed case."""
    short = [n for n in names if "." not in n] or [n.split(".")[0] for n in names]
    first = short[0]
    same = [n for n in short if n.casefold() == first.casefold()]
    return next((n for n in same if n.isupper()), first)


def _comparable(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return value.casefold()
    return value


def _source_order(src: str) -> tuple[str, int]:
    path, _, line = src.rpartition(":")
    return path, int(line) if line.isdecimal() else 0


def merge_users(users: list[dict], activity: list[dict], mfa: list[dict],
                files: SourceFiles | None = None) -> list[User]:
    merged: dict[str, User] = {}

    def get(upn: str) -> User:
        key = upn.strip().casefold()
        if key not in merged:
            merged[key] = User(upn=upn.strip())
        return merged[key]

    for row in users:
        user = get(row["upn"])
        user.display_name = row.get("display_name") or user.display_name
        user.blocked = bool(row.get("blocked")) or row.get("account_enabled") is False
        user.licenses = [friendly_product(p) for p in row.get("licenses") or []]
        user.created = _day(row.get("created"))
        user.department = row.get("department")
        user.is_guest = "#ext#" in user.upn.casefold() or (row.get("user_type") or "").lower() == "guest"
        user.sources.append(row["_src"])
    for row in activity:
        if not joinable_upn(row["upn"]):
            continue  # concealed (hashed) names cannot be joined to users; ingest warned about the file
        user = get(row["upn"])
        user.activity_known = True
        observed = _day(row.get("report_date")) or (files.observed.get(files.path(row)) if files else None)
        if observed and (user.activity_observed is None or observed > user.activity_observed):
            user.activity_observed = observed
        dates = [row.get(k) for k in row if k.endswith("_last_activity") and row.get(k)]
        user.last_activity = max([_day(d) for d in dates] + ([user.last_activity] if user.last_activity else []), default=None)
        user.deleted = bool(row.get("is_deleted"))
        if not user.licenses and row.get("assigned_products"):
            user.licenses = [friendly_product(p) for p in row["assigned_products"]]
        user.display_name = user.display_name or row.get("display_name")
        user.is_guest = user.is_guest or "#ext#" in user.upn.casefold()
        user.sources.append(row["_src"])
    for row in mfa:
        user = get(row["upn"])
        user.mfa_registered = row.get("mfa_registered")
        user.is_admin = bool(row.get("is_admin"))
        user.sources.append(row["_src"])
    return sorted(merged.values(), key=lambda u: u.upn.casefold())


def _day(value) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _subscription(row: dict) -> Subscription:
    return Subscription(
        product=friendly_product(row["product"]), quantity=row.get("quantity") or 0,
        billing_term=row.get("billing_term"), commitment_end=_day(row.get("commitment_end")),
        start_date=_day(row.get("start_date")), end_date=_day(row.get("end_date")), price=row.get("price"),
        partner_cost=row.get("partner_cost"), status=row.get("status"), vendor=row.get("vendor"),
        sources=[row["_src"]])


def _contract(row: dict) -> Contract:
    return Contract(
        name=row["name"], type=row.get("type"), start_date=_day(row.get("start_date")),
        end_date=_day(row.get("end_date")), monthly_amount=row.get("amount"), no_end=bool(row.get("no_end")),
        cancelled=bool(row.get("cancelled")), sources=[row["_src"]])


def _goal(row: dict) -> Goal:
    return Goal(goal=row["goal"], target_date=_day(row.get("target_date")), owner=row.get("owner"),
                success_metric=row.get("success_metric"), priority=row.get("priority"),
                tags=[t.lower() for t in row.get("tags") or []], initiative=row.get("initiative"), source=row["_src"])


def _decision(row: dict) -> Decision:
    return Decision(item_id=row["item_id"], decision=(row.get("decision") or "").lower(),
                    decided_on=_day(row.get("decided_on")), decided_by=row.get("decided_by"), note=row.get("note"),
                    revisit_quarter=row.get("revisit_quarter"), source=row["_src"])


def _exclusion(row: dict) -> Exclusion:
    return Exclusion(subject=row["subject"], rule=row.get("rule") or "*", reason=row.get("reason") or "",
                     until=_day(row.get("until")), source=row["_src"])

