"""What every connector provides: its credentials, its units of work, a dry-run plan and the fetch itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .http import HttpClient
from .secrets import Credentials
from .writer import Table


@dataclass
class Fetched:
    """Everything one unit (a tool, or one Microsoft 365 tenant) pulled, before anything is written."""

    tables: list[Table] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # records read per endpoint, for the manifest
    warnings: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # endpoints the licence or consent does not allow


class Connector:
    name = ""
    title = ""
    api_version = ""
    credential_keys: tuple[str, ...] = ()
    rate_limit: tuple[int, float] | None = None
    filenames: tuple[str, ...] = ()  # the files a successful pull writes (what a failed one keeps)

    def check(self, settings: dict[str, Any]) -> None:
        """Raise UsageError for a setting the pull cannot do without."""

    def units(self, settings: dict[str, Any]) -> list[str]:
        return [""]

    def credentials_section(self, unit: str) -> tuple[str, ...]:
        return ()

    def folder(self, root: Path, unit: str) -> Path:
        return root

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        raise NotImplementedError

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        raise NotImplementedError


def base_url(settings: dict[str, Any], key: str = "base_url") -> str:
    return str(settings.get(key) or "").rstrip("/")


def oauth_token(client: HttpClient, response_json: dict, what: str) -> str:
    """The access token of an OAuth answer, registered with the client as a secret."""
    from .errors import PullFailed

    token = response_json.get("access_token") if isinstance(response_json, dict) else None
    if not token:
        raise PullFailed(f"{what}: the token endpoint answered without an access_token")
    client.add_secret(str(token))
    return str(token)
