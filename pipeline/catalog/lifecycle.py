"""Lifecycle catalog: end-of-support dates by product and release.

Data, not code: one JSON file per product in the endoflife.date v1 API release shape
(``pipeline/data/lifecycle``), plus local additions from extra directories, so dates can be
refreshed from an endoflife.date export without a code change. Every answer names the catalog
snapshot it came from, because a QBR must say "as of" for every date it shows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..errors import CatalogError
from ..resources import data_path
from ..texttable import text_table
from .os_identity import ENTERPRISE, HOME_PRO, IOT_LTSC, LTSC, OsIdentity

__all__ = [
    "CatalogError",
    "LifecycleCatalog",
    "SupportStatus",
    "format_product",
    "freshness_warning",
    "import_endoflife_json",
]


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
    newer_than_catalog: bool = False  # a release the catalog does not list yet, newer than every one it does


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
        """Dates for an identified OS; None when the catalog does not know the product/cycle. A release newer than
        every one the catalog lists is supported (the catalog is older than the release), with no end date."""
        if identity.cycle is None or identity.product not in self._rows:
            return None
        row = self._pick(identity)
        if row is None:
            return self._newer_than_catalog(identity)
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

    def newer_release(self, identity: OsIdentity) -> dict[str, Any] | None:
        """The newest release a device on this one can move to in place (same product, same Windows major and
        edition channel), if the catalog knows one released after it; None when it is already on the newest."""
        if identity.cycle is None or identity.product not in self._rows:
            return None
        current = self._pick(identity)
        if current is None:
            return None
        mine = _cycle_key(identity.product, current.base_cycle)
        later = [r for r in self._rows[identity.product].values()
                 if r.edition == current.edition and r.data.get("upgradeTarget") is not False
                 and _same_line(identity.product, r.base_cycle, current.base_cycle)
                 and _cycle_key(identity.product, r.base_cycle) > mine]
        if not later:
            return None
        return max(later, key=lambda r: _cycle_key(identity.product, r.base_cycle)).data

    def _newer_than_catalog(self, identity: OsIdentity) -> SupportStatus | None:
        cycle = (identity.cycle or "").lower()
        known = [r.base_cycle for r in self._rows[identity.product].values() if _same_line(identity.product, r.base_cycle, cycle)]
        mine = _cycle_key(identity.product, cycle)
        if not known or not mine or any(_cycle_key(identity.product, k) >= mine for k in known):
            return None
        snapshot = min(r.snapshot for r in self._rows[identity.product].values())
        return SupportStatus(identity=identity, eol=None, extended_end=None, release_label=identity.label,
                             feature_update_only=False, source=f"newer than the catalog (snapshot {snapshot.isoformat()})",
                             note=f"supported (newer than the catalog, snapshot {snapshot.isoformat()})",
                             maintained=True, newer_than_catalog=True)

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


def _cycle_key(product: str, cycle: str) -> tuple[int, ...]:
    """Orders releases of one product: "11-25h2" -> (11, 25, 2); Windows 10's "1809" -> (10, 18, 2); "22.04" ->
    (22, 4). Empty when the name holds no number."""
    if product == "windows":
        match = re.match(r"(\d+)-(\d{2})h([12])\b", cycle)
        if match:
            return tuple(int(g) for g in match.groups())
        match = re.match(r"(\d+)-(\d{2})(\d{2})\b", cycle)
        if match:
            return int(match.group(1)), int(match.group(2)), 1 if int(match.group(3)) <= 6 else 2
    return tuple(int(n) for n in re.findall(r"\d+", cycle))


def _same_line(product: str, cycle: str, other: str) -> bool:
    """Releases a device moves between in place: one Windows major (10 or 11); Server's year releases, not its
    semi-annual channel; any release of other products."""
    if product == "windows":
        return cycle.split("-")[0] == other.split("-")[0]
    if product == "windows-server":
        return cycle.isdigit() == other.isdigit() and not cycle.startswith("sbs") and not other.startswith("sbs")
    return True


CATALOG_STALE_DAYS = 90


def freshness_warning(catalog: "LifecycleCatalog", as_of: date) -> str | None:
    """One warning when the review date is well past the catalog snapshot: releases and end dates published since
    are unknown to it, so a release missing from it reads as unknown and a date it lacks reads as supported."""
    age = (as_of - catalog.snapshot_date).days
    if age <= CATALOG_STALE_DAYS:
        return None
    return (f"the lifecycle catalog is a snapshot of {catalog.snapshot_date.isoformat()}, {age} days before the review "
            f"date {as_of.isoformat()}: releases and end-of-support dates published since are not in it; refresh it "
            "with `vcio lifecycle update --from <endoflife.date export>`")


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
