"""Settings: the built-in defaults (data/default_config.toml) merged with the user's vcio.toml, validated once.

The result is a frozen dataclass tree: every command (run, validate, templates check, the workers) reads the
same typed values, so they agree on every bad value, which is refused at load time with exit status 2 and a
message naming the file, the section and the key. `data/default_config.toml` is the one source of defaults
and of the documentation of each key: a key it lacks is unknown, and every field below must appear in it.

Per-client overrides (`[clients."<roster name>"]` with the same sections) are merged and validated at load
time too; `Settings.for_client(name)` returns the client's own tree.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import logging
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, Mapping

from .errors import ConfigError
from .resources import data_path

DEFAULTS_FILE = data_path("default_config.toml")
log = logging.getLogger("vcio")

# Settings still accepted (their fields kept, so older vcio.toml files load) that no longer change anything.
DEPRECATED: dict[tuple[str, str], str] = {
    ("documents", "roadmap_appendix_rows"): "the roadmap's appendix lists one line per kind of finding, and the "
                                            "findings workbook lists every row",
    ("documents", "deck_appendix_rows"): "the deck's appendix lists one line per kind of finding, and the findings "
                                         "workbook lists every row",
}
_WARNED: set[str] = set()


def _check(*, minimum: float | None = None, maximum: float | None = None, choices: tuple[str, ...] = ()) -> Any:
    """A field with the bounds or choices a value must respect."""
    return field(metadata={"minimum": minimum, "maximum": maximum, "choices": choices})


@dataclass(frozen=True)
class MspSettings:
    name: str
    logo: Path | None
    contact: str
    internal_view: bool


@dataclass(frozen=True)
class LocaleSettings:
    language: str = _check(choices=("en-US", "en-GB"))
    currency: str = _check()
    currency_symbol: str = _check()
    date_format: str = _check()  # empty: the language's own format

    @property
    def effective_date_format(self) -> str:
        return self.date_format or _LANGUAGE_DATE_FORMATS[self.language]


_LANGUAGE_DATE_FORMATS = {"en-US": "%b %d, %Y", "en-GB": "%d %b %Y"}


@dataclass(frozen=True)
class Thresholds:
    eol_medium_months: int = _check(minimum=0, maximum=120)
    eol_low_months: int = _check(minimum=0, maximum=120)
    warranty_expiring_days: int = _check(minimum=0, maximum=3650)
    renewal_horizon_days: int = _check(minimum=0, maximum=3650)
    renewal_soon_days: int = _check(minimum=0, maximum=3650)
    inactive_user_days: int = _check(minimum=1, maximum=3650)
    agent_offline_days: int = _check(minimum=1, maximum=3650)
    missing_patches: int = _check(minimum=1, maximum=100000)
    backup_max_age_days: int = _check(minimum=1, maximum=3650)
    stale_input_days: int = _check(minimum=0, maximum=3650)
    retired_after_days: int = _check(minimum=1, maximum=3650)


@dataclass(frozen=True)
class MaxAgeYears:
    desktop: float = _check(minimum=1, maximum=30)
    laptop: float = _check(minimum=1, maximum=30)
    server: float = _check(minimum=1, maximum=30)
    network: float = _check(minimum=1, maximum=30)
    storage: float = _check(minimum=1, maximum=30)


@dataclass(frozen=True)
class HardwareSettings:
    replace_servers_at_warranty_end: bool
    line_of_business_pattern: str
    max_age_years: MaxAgeYears

    def max_age(self, device_type: str) -> float | None:
        """The replacement age of a device type; None for types without one (virtual machines, phones)."""
        return getattr(self.max_age_years, device_type, None)


@dataclass(frozen=True)
class Prices:
    desktop: float = _check(minimum=0)
    laptop: float = _check(minimum=0)
    server: float = _check(minimum=0)
    network: float = _check(minimum=0)
    storage: float = _check(minimum=0)
    other: float = _check(minimum=0)
    feature_update: float = _check(minimum=0)
    default_license_monthly: float = _check(minimum=0)
    warranty_extension_server: float = _check(minimum=0)
    warranty_extension_network: float = _check(minimum=0)
    warranty_extension_storage: float = _check(minimum=0)
    firewall_security_services: float = _check(minimum=0)
    windows10_esu_first_year: float = _check(minimum=0)

    def warranty_extension(self, device_type: str) -> float:
        """One year of extended warranty or support for a server, network or storage device."""
        return getattr(self, f"warranty_extension_{device_type}", self.warranty_extension_server)

    def device(self, device_type: str) -> float:
        """The one-time replacement price of a device type (`other` for types without their own)."""
        if device_type in _DEVICE_PRICE_FIELDS:
            return getattr(self, device_type)
        return self.other


_DEVICE_PRICE_FIELDS = frozenset({"desktop", "laptop", "server", "network", "storage", "other"})


@dataclass(frozen=True)
class BudgetSettings:
    quarters: int = _check(minimum=1, maximum=40)
    annual_escalation_percent: float = _check(minimum=0, maximum=100)
    fiscal_year_naming: str = _check(choices=("end", "start"))


@dataclass(frozen=True)
class DocumentSettings:
    deck_appendix_rows: int = _check(minimum=1)
    roadmap_appendix_rows: int = _check(minimum=1)
    roadmap_template: Path | None = _check()
    qbr_template: Path | None = _check()
    roadmap_charts: str = _check(choices=("native", "picture"))
    render_timeout_seconds: int = _check(minimum=0)
    allow_external_links: bool = _check()


@dataclass(frozen=True)
class IngestSettings:
    reject_rate_threshold: float = _check(minimum=0, maximum=1)
    formats: dict[str, str] = _check()
    follow_symlinks_outside: bool = _check()


@dataclass(frozen=True)
class HistorySettings:
    url: str


@dataclass(frozen=True)
class ConnectWisePull:
    base_url: str
    codebase: str
    api_version: str


@dataclass(frozen=True)
class AutotaskPull:
    base_url: str


@dataclass(frozen=True)
class HaloPull:
    base_url: str
    auth_url: str
    tenant: str
    scope: str


@dataclass(frozen=True)
class BaseUrlPull:
    base_url: str


@dataclass(frozen=True)
class Pax8Pull:
    base_url: str
    token_url: str


@dataclass(frozen=True)
class M365Pull:
    tenants: list[str]
    authority: str
    graph_url: str
    report_period: str = _check(choices=("D7", "D30", "D90", "D180"))


@dataclass(frozen=True)
class PullSettings:
    """`vcio pull` only: never part of a run's fingerprint (pulling differently changes no document)."""

    credentials_file: Path | None
    timeout_seconds: int = _check(minimum=1)
    total_timeout_seconds: int = _check(minimum=1)
    max_retries: int = _check(minimum=0)
    connectwise: ConnectWisePull = _check()
    autotask: AutotaskPull = _check()
    halopsa: HaloPull = _check()
    ninjaone: BaseUrlPull = _check()
    datto_rmm: BaseUrlPull = _check()
    pax8: Pax8Pull = _check()
    m365: M365Pull = _check()


@dataclass(frozen=True)
class Settings:
    msp: MspSettings
    locale: LocaleSettings
    thresholds: Thresholds
    hardware: HardwareSettings
    prices: Prices
    budget: BudgetSettings
    documents: DocumentSettings
    ingest: IngestSettings
    history: HistorySettings
    pull: PullSettings
    path: Path | None = field(default=None, compare=False)  # the vcio.toml read, None for the defaults
    deprecations: tuple[str, ...] = field(default=(), compare=False, repr=False)  # warnings about obsolete keys
    clients: Mapping[str, "Settings"] = field(default_factory=dict, compare=False, repr=False)
    merged: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)  # the merged TOML

    def for_client(self, name: str) -> "Settings":
        """The client's own settings: its `[clients."<name>"]` overrides merged over these."""
        return self.clients.get(name, self)

    def fingerprint(self) -> str:
        """Changes whenever any value of these settings changes (the resume fingerprint uses it)."""
        text = json.dumps({k: v for k, v in self.merged.items() if k != "pull"}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


SECTIONS = tuple(f.name for f in fields(Settings) if f.name not in {"path", "deprecations", "clients", "merged"})


def deep_merge(base: Mapping, override: Mapping) -> dict:
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def default_values() -> dict:
    return tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def load_settings(path: Path | None) -> Settings:
    """The defaults, merged with the file at `path` (None: the defaults alone), validated."""
    if path is None:
        return settings_from({}, None)
    try:
        user = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"configuration file {path} is a folder") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return settings_from(user, path)


def settings_from(user: Mapping[str, Any], path: Path | None) -> Settings:
    """Settings from a user's table (what a vcio.toml holds), merged over the defaults and validated."""
    user = dict(user)
    clients = user.pop("clients", {}) or {}
    where = str(path) if path else "settings"
    if not isinstance(clients, Mapping) or not all(isinstance(v, Mapping) for v in clients.values()):
        raise ConfigError(f'{where}: [clients] holds one table per client, e.g. [clients."Acme Dental".prices]')
    base_dir = path.parent if path else Path.cwd()
    merged = deep_merge(default_values(), user)
    settings = _build_settings(merged, where, base_dir, path)
    built = {}
    notes = _deprecations(user, where)
    for name, override in clients.items():
        client_where = f'{where} [clients."{name}"]'
        built[name] = _build_settings(deep_merge(merged, override), client_where, base_dir, path)
        notes += _deprecations(override, client_where)
    for note in notes:
        if note not in _WARNED:  # once per process: every command and worker loads the settings
            _WARNED.add(note)
            log.warning("%s", note)
    object.__setattr__(settings, "deprecations", tuple(notes))
    return _replace_clients(settings, built)


def _deprecations(table: Mapping[str, Any], where: str) -> list[str]:
    """A warning for each obsolete key ``table`` sets: accepted, never an error."""
    notes = []
    for (section, key), why in DEPRECATED.items():
        values = table.get(section)
        if isinstance(values, Mapping) and key in values:
            notes.append(f"{where}: [{section}] {key} is no longer used ({why}); remove it")
    return notes


def _replace_clients(settings: Settings, clients: dict[str, Settings]) -> Settings:
    object.__setattr__(settings, "clients", clients)
    return settings


def _build_settings(merged: dict, where: str, base_dir: Path, path: Path | None) -> Settings:
    unknown = sorted(set(merged) - set(SECTIONS))
    if unknown:
        raise ConfigError(f"{where}: unknown section(s) {', '.join(f'[{u}]' for u in unknown)}; "
                          f"known: {', '.join(f'[{s}]' for s in SECTIONS)}")
    values = {}
    for section in SECTIONS:
        values[section] = _build(_HINTS[Settings][section], merged[section], where, section, base_dir)
    settings = Settings(**values, path=path, merged=merged)
    _check_combinations(settings, where)
    return settings


def _build(cls: type, table: Any, where: str, section: str, base_dir: Path) -> Any:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: [{section}] must be a table of settings, not {table!r}")
    hints = _HINTS[cls]
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: [{section}] has unknown key(s) {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(known))}")
    values = {}
    for spec in fields(cls):
        if spec.name not in table:
            raise ConfigError(f"{where}: [{section}] lacks {spec.name} (the built-in defaults are incomplete)")
        hint = hints[spec.name]
        raw = table[spec.name]
        if is_dataclass(hint):
            values[spec.name] = _build(hint, raw, where, f"{section}.{spec.name}", base_dir)
        else:
            values[spec.name] = _value(hint, raw, spec.metadata, f"{where}: [{section}] {spec.name}", base_dir)
    return cls(**values)


def _value(hint: Any, raw: Any, rules: Mapping, key: str, base_dir: Path) -> Any:
    shown = f"{key} = {raw!r}"
    if hint is bool:
        if not isinstance(raw, bool):
            raise ConfigError(f"{shown}: expected true or false")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ConfigError(f"{shown}: expected a whole number")
        return _bounded(raw, rules, shown)
    if hint is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ConfigError(f"{shown}: expected a number")
        return _bounded(float(raw), rules, shown)
    if hint is str:
        if not isinstance(raw, str):
            raise ConfigError(f"{shown}: expected a text in quotes")
        choices = rules.get("choices") or ()
        if choices and raw not in choices:
            raise ConfigError(f"{shown}: not one of {', '.join(map(repr, choices))}")
        return raw
    if _is_optional_path(hint):
        if not isinstance(raw, str):
            raise ConfigError(f"{shown}: expected a file path in quotes (empty for none)")
        if not raw.strip():
            return None
        candidate = Path(raw).expanduser()
        # Absolute once loaded: workers (a process pool, a Dask cluster) may run in another working directory.
        return (candidate if candidate.is_absolute() else base_dir / candidate).resolve()
    if typing.get_origin(hint) is list:
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise ConfigError(f'{shown}: expected a list of texts, e.g. ["contoso.onmicrosoft.com"]')
        return list(raw)
    if typing.get_origin(hint) is dict:
        if not isinstance(raw, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            raise ConfigError(f'{shown}: expected a table of texts, e.g. "rmm/*.csv" = "vcio_devices"')
        return dict(raw)  # a plain dict: the settings travel to worker processes by pickle
    raise TypeError(f"no validation for {hint!r} ({key})")  # a field type this module does not know: a bug


def _bounded(number: float, rules: Mapping, shown: str) -> Any:
    low, high = rules.get("minimum"), rules.get("maximum")
    if low is not None and number < low:
        raise ConfigError(f"{shown}: must be at least {low:g}")
    if high is not None and number > high:
        raise ConfigError(f"{shown}: must be at most {high:g}")
    return number


def _is_optional_path(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and set(typing.get_args(hint)) == {
        Path, type(None)}


def _check_combinations(settings: Settings, where: str) -> None:
    """Rules across keys, and settings that need something installed."""
    fmt = settings.locale.date_format
    if fmt:
        try:
            shown = date(2026, 11, 20).strftime(fmt)
        except ValueError as exc:
            raise ConfigError(f"{where}: [locale] date_format = {fmt!r}: not a date format ({exc})") from None
        if shown == fmt:
            raise ConfigError(f"{where}: [locale] date_format = {fmt!r}: holds no date field such as %d, %b or %Y")
    if settings.thresholds.eol_medium_months > settings.thresholds.eol_low_months:
        raise ConfigError(f"{where}: [thresholds] eol_medium_months ({settings.thresholds.eol_medium_months}) "
                          f"must not exceed eol_low_months ({settings.thresholds.eol_low_months})")
    pattern = settings.hardware.line_of_business_pattern
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: [hardware] line_of_business_pattern = {pattern!r}: not a regular expression "
                              f"({exc})") from None
    if settings.thresholds.renewal_soon_days > settings.thresholds.renewal_horizon_days:
        raise ConfigError(f"{where}: [thresholds] renewal_soon_days must not exceed renewal_horizon_days")
    if settings.documents.roadmap_charts == "picture" and importlib.util.find_spec("matplotlib") is None:
        raise ConfigError(f"{where}: [documents] roadmap_charts = \"picture\" draws the roadmap's charts with "
                          "matplotlib, which is not installed: pip install 'vcio[pictures]', or use \"native\"")


def _type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, globalns={**globals(), "Literal": Literal})


_HINTS: dict[type, dict[str, Any]] = {}
for _cls in (Settings, MspSettings, LocaleSettings, Thresholds, MaxAgeYears, HardwareSettings, Prices,
             BudgetSettings, DocumentSettings, IngestSettings, HistorySettings, PullSettings, ConnectWisePull,
             AutotaskPull, HaloPull, BaseUrlPull, Pax8Pull, M365Pull):
    _HINTS[_cls] = _type_hints(_cls)


def find_config(explicit: Path | None, inputs: Path | None) -> Path | None:
    """--config wins; else vcio.toml beside the inputs folder or inside it; else none (defaults)."""
    if explicit is not None:
        return explicit
    if inputs is not None:
        for candidate in (inputs / "vcio.toml", inputs.parent / "vcio.toml"):
            if candidate.is_file():
                return candidate
    return None
