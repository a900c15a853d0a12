"""Configuration: built-in defaults (data/default_config.toml) deep-merged with the user's vcio.toml."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .resources import data_path

DEFAULTS_FILE = data_path("default_config.toml")


class ConfigError(ValueError):
    """The configuration file is unreadable or holds a wrong value; the message says which."""


def deep_merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@dataclass
class Config:
    data: dict[str, Any]
    path: Path | None = None
    clients: dict[str, dict] = field(default_factory=dict)

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def for_client(self, name: str) -> "Config":
        override = self.clients.get(name)
        if not override:
            return self
        return Config(deep_merge(self.data, override), self.path, {})

    def resolve_path(self, value: str) -> Path | None:
        if not value:
            return None
        path = Path(value)
        if not path.is_absolute() and self.path is not None:
            path = self.path.parent / path
        return path


def load_config(path: Path | None) -> Config:
    defaults = tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    if path is None:
        return Config(defaults)
    try:
        user = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    clients = user.pop("clients", {}) or {}
    unknown = sorted(set(user) - set(defaults))
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {unknown}; known: {sorted(defaults)}")
    config = Config(deep_merge(defaults, user), path, clients)
    _check_choices(config, path, "")
    for name in clients:
        _check_choices(config.for_client(name), path, name)
    return config


CHOICES = {"documents.roadmap_charts": ("native", "picture")}


def _check_choices(config: Config, path: Path, client: str) -> None:
    for key, allowed in CHOICES.items():
        value = config.get(key)
        if value not in allowed:
            where = f' (clients."{client}")' if client else ""
            raise ConfigError(f"{path}{where}: {key} = {value!r} is not one of {', '.join(map(repr, allowed))}")


def find_config(explicit: Path | None, inputs: Path | None) -> Path | None:
    """--config wins; else vcio.toml beside the inputs folder or inside it; else none (defaults)."""
    if explicit is not None:
        return explicit
    if inputs is not None:
        for candidate in (inputs / "vcio.toml", inputs.parent / "vcio.toml"):
            if candidate.is_file():
                return candidate
    return None
