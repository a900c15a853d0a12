"""Declarative ingest profiles: loading, validation and detection by header signature."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..errors import ProfileError
from ..resources import profiles_dir
from .schema import ENTITIES
from .values import DATE_TYPES, PARSERS, plain_iso_datetime

BUILTIN_DIR = profiles_dir()
REFERENCE_ENTITIES = {"sku_reference"}



def header_key(text: str) -> str:
    """Compare headers case-, whitespace- and BOM-insensitively."""
    return re.sub(r"[\s\u00a0\ufeff_]+", " ", text).strip().lower()


@dataclass(frozen=True)
class Profile:
    name: str
    entity: str
    title: str
    required: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    types: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    verified: str = "no"
    verified_note: str = ""
    dayfirst: bool = False
    client_from: str = "column"
    amount_period: str = "monthly"
    source_kind: str = "other"  # rmm | psa | warranty | m365 | distributor | vcio: decides merge priority
    path: str = ""
    tool: str = ""  # the product that writes the file, as people name it ("Datto RMM")

    def field_type(self, name: str) -> str:
        return self.types.get(name) or ENTITIES.get(self.entity, {}).get(name, "text")

    def match_score(self, header_keys: set[str]) -> tuple[int, int] | None:
        """None when a required header is missing, else (headers recognised, required count)."""
        if any(header_key(h) not in header_keys for h in self.required):
            return None
        mapped = sum(1 for alts in self.columns.values() if any(header_key(a) in header_keys for a in alts))
        return mapped + len(self.required), len(self.required)

    def missing(self, header_keys: set[str]) -> list[str]:
        return [h for h in self.required if header_key(h) not in header_keys]


def _as_tuple(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ProfileError(f"{where}: expected a header name or a list of header names")


def load_profile(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path.name}: not valid TOML: {exc}") from None
    for key in ("name", "entity", "required", "columns"):
        if key not in data:
            raise ProfileError(f"{path.name}: missing key {key!r}")
    entity = data["entity"]
    if entity not in ENTITIES and entity not in REFERENCE_ENTITIES:
        raise ProfileError(f"{path.name}: unknown entity {entity!r} (one of {', '.join(sorted(ENTITIES))})")
    columns = {k: _as_tuple(v, f"{path.name} [columns] {k}") for k, v in data["columns"].items()}
    if entity in ENTITIES:
        unknown = sorted(set(columns) - set(ENTITIES[entity]))
        if unknown:
            raise ProfileError(f"{path.name}: [columns] maps unknown {entity} fields {unknown}")
    types = dict(data.get("types", {}))
    bad_types = sorted(t for t in types.values() if t not in PARSERS)
    if bad_types:
        raise ProfileError(f"{path.name}: [types] names unknown parsers {bad_types}")
    return Profile(
        name=str(data["name"]),
        entity=entity,
        title=str(data.get("title", data["name"])),
        required=_as_tuple(data["required"], f"{path.name} required"),
        columns=columns,
        types=types,
        values={k: {header_key(a): b for a, b in v.items()} for k, v in data.get("values", {}).items()},
        constants=dict(data.get("constants", {})),
        verified=str(data.get("verified", "no")),
        verified_note=str(data.get("verified_note", "")),
        dayfirst=bool(data.get("dayfirst", False)),
        client_from=str(data.get("client_from", "column")),
        amount_period=str(data.get("amount_period", "monthly")),
        source_kind=str(data.get("source_kind") or _guess_source_kind(str(data["name"]))),
        path=str(path),
        tool=str(data.get("tool") or data.get("title", data["name"])),
    )


_KIND_PREFIXES = {
    "rmm": ("datto", "ninja", "nable", "n_able", "kaseya", "cw_automate", "automate", "atera", "syncro"),
    "psa": ("cw_manage", "connectwise", "autotask", "halo"),
    "warranty": ("pswarranty", "warranty"),
    "m365": ("m365", "entra", "azure", "ms_"),
    "distributor": ("pax8", "distributor", "sherweb", "ingram", "synnex"),
    "vcio": ("vcio",),
}


def _guess_source_kind(name: str) -> str:
    for kind, prefixes in _KIND_PREFIXES.items():
        if name.lower().startswith(prefixes):
            return kind
    return "other"


def load_profiles(extra_dirs: Iterable[Path] = ()) -> list[Profile]:
    """Built-in profiles, then the user's (a user profile with the same name replaces the built-in)."""
    by_name: dict[str, Profile] = {}
    for directory in [BUILTIN_DIR, *extra_dirs]:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            profile = load_profile(path)
            by_name[profile.name] = profile
    return list(by_name.values())


def detect(header: Sequence[str], profiles: Sequence[Profile]) -> Profile | None:
    keys = {header_key(h) for h in header}
    scored = [(p.match_score(keys), p) for p in profiles]
    matches = [(score, p) for score, p in scored if score is not None]
    if not matches:
        return None
    return max(matches, key=lambda item: item[0])[1]


def closest(header: Sequence[str], profiles: Sequence[Profile]) -> tuple[Profile | None, list[str]]:
    """The profile missing the smallest share of its required headers, and what it misses; among equals, the one
    whose mapped columns the header holds most of."""
    keys = {header_key(h) for h in header}
    best: tuple[tuple[float, int], Profile] | None = None
    for profile in profiles:
        present = len(profile.required) - len(profile.missing(keys))
        share = present / max(len(profile.required), 1)
        mapped = sum(1 for alts in profile.columns.values() if any(header_key(a) in keys for a in alts))
        if best is None or (share, mapped) > best[0]:
            best = ((share, mapped), profile)
    if best is None or best[0][0] == 0:
        return None, []  # no required header at all in common: naming a profile would mislead
    return best[1], best[1].missing(keys)


earliest = min


def cell_parser(profile: Profile, field_name: str) -> Callable[[str], object]:
    """The function that turns one raw cell of this field into its canonical value (or raises ValueError)."""
    value_map = profile.values.get(field_name)
    kind = profile.field_type(field_name)
    parser = PARSERS[kind]
    dayfirst = profile.dayfirst

    def parse(raw: str):
        text = raw.strip()
        if value_map and text:
            text = value_map.get(header_key(text), text)
        if kind in DATE_TYPES:
            if "\n" not in text:
                return parser(text, dayfirst)
            # Several entitlements in one cell (warranty lookups): cover runs from the earliest start to the
            # latest end.
            values = [parser(p, dayfirst) for p in text.splitlines() if p.strip()]
            values = [v for v in values if v is not None]
            return (earliest if field_name.endswith("_start") else max)(values) if values else None
        if kind == "text":
            if "\n" in text:
                return " / ".join(p.strip() for p in text.splitlines() if p.strip()) or None
            if text.isprintable() and "  " not in text:
                return text or None  # the common case: nothing for clean_text to do
        return parser(text)

    if kind in DATE_TYPES and not value_map:
        as_date = kind == "date"

        def parse_iso_first(raw: str):
            # Most exports write one ISO shape: this skips the general parser's layers for it.
            quick = plain_iso_datetime(raw)
            if quick is None:
                return parse(raw)
            return quick.date() if as_date else quick

        return parse_iso_first
    return parse
