"""The [pull] settings, read through one function so the typed settings can replace it in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..status import UsageError


@dataclass(frozen=True)
class PullSettings:
    credentials_file: Path | None = None
    timeout: float = 60.0
    total_timeout: float = 1800.0
    max_retries: int = 5
    tools: dict[str, dict[str, Any]] = field(default_factory=dict)

    def tool(self, name: str) -> dict[str, Any]:
        return dict(self.tools.get(name, {}))


def pull_settings(config_path: Path | None, inputs: Path | None) -> PullSettings:
    """[pull] from vcio.toml (found as `vcio run` finds it) over the built-in defaults."""
    from ..config import ConfigError, find_config, load_config

    try:
        config = load_config(find_config(config_path, inputs))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    section = config.get("pull", {}) or {}
    numbers = {}
    for key, minimum in (("timeout_seconds", 1), ("total_timeout_seconds", 1), ("max_retries", 0)):
        value = section.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise UsageError(f"pull.{key} must be a number of at least {minimum}, not {value!r}")
        numbers[key] = value
    credentials = config.resolve_path(str(section.get("credentials_file") or ""))
    tools = {k: dict(v) for k, v in section.items() if isinstance(v, dict)}
    return PullSettings(credentials_file=credentials, timeout=float(numbers["timeout_seconds"]),
                        total_timeout=float(numbers["total_timeout_seconds"]), max_retries=int(numbers["max_retries"]),
                        tools=tools)
