"""The [pull] settings for the connectors, read through one function over the typed settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PullSettings:
    credentials_file: Path | None = None
    timeout: float = 60.0
    total_timeout: float = 1800.0
    max_retries: int = 5
    tools: dict[str, dict[str, Any]] = field(default_factory=dict)

    def tool(self, name: str) -> dict[str, Any]:
        return dict(self.tools.get(name.replace("-", "_"), {}))


def pull_settings(config_path: Path | None, inputs: Path | None) -> PullSettings:
    """[pull] of vcio.toml (found as `vcio run` finds it), validated with every other setting."""
    from ..config import find_config, load_settings

    pull = load_settings(find_config(config_path, inputs)).pull
    tools = {name: value for name, value in asdict(pull).items() if isinstance(value, dict)}
    return PullSettings(credentials_file=pull.credentials_file, timeout=float(pull.timeout_seconds),
                        total_timeout=float(pull.total_timeout_seconds), max_retries=pull.max_retries, tools=tools)
