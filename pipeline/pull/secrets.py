"""API credentials: from environment variables or an owner-only credentials file, never logged or written.

The credentials file is TOML with one table per tool (and per Microsoft 365 tenant when tenants use different
app registrations):

    [connectwise]
    company_id = "yourmsp"
    public_key = "..."

    [m365."contoso.onmicrosoft.com"]
    client_secret = "..."

An environment variable wins over the file, so a secret manager can inject one value without a file.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from .errors import CredentialError

REDACTED = "[redacted]"


def env_name(tool: str, key: str) -> str:
    """VCIO_CONNECTWISE_PUBLIC_KEY, VCIO_DATTO_RMM_API_KEY ..."""
    return f"VCIO_{tool}_{key}".upper().replace("-", "_")


@dataclass(frozen=True)
class Credentials:
    tool: str
    values: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)

    def secrets(self) -> tuple[str, ...]:
        return tuple(v for v in self.values.values() if v)

    def __repr__(self) -> str:  # a traceback or a debug print shows names, never values
        return f"Credentials({self.tool!r}, keys={sorted(self.values)})"


def read_credentials_file(path: Path | None) -> dict:
    """The parsed file, after refusing one that others can read; {} when no file is configured."""
    if path is None:
        return {}
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise CredentialError(f"credentials file not found: {path}") from None
    except OSError as exc:
        raise CredentialError(f"cannot read the credentials file {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialError(f"refusing the credentials file {path}: it is readable by group or others "
                              f"(mode {stat.S_IMODE(mode):04o}); run: chmod 600 {path}")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CredentialError(f"cannot read the credentials file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        # The decoder's message quotes the offending line, which may hold a secret.
        raise CredentialError(f"the credentials file {path} is not valid TOML") from None


def load_credentials(tool: str, keys: Iterable[str], file_data: Mapping, file_path: Path | None,
                     section: Iterable[str] = (), environ: Mapping[str, str] | None = None) -> Credentials:
    """Every key from the environment or the file's [tool] table (a nested table such as a tenant's wins over
    its parent); a missing one is named with both places it could come from."""
    environ = os.environ if environ is None else environ
    tables = [file_data.get(tool, {})]
    node = tables[0]
    for part in section:
        node = node.get(part, {}) if isinstance(node, dict) else {}
        tables.append(node)
    values, missing = {}, []
    for key in keys:
        variable = env_name(tool, key)
        value = environ.get(variable) or next(
            (str(t[key]) for t in reversed(tables) if isinstance(t, dict) and t.get(key)), "")
        if value:
            values[key] = value.strip()
        else:
            missing.append(variable)
    if missing:
        where = (f" or {', '.join(k.lower().removeprefix(env_name(tool, '').lower()) for k in missing)} under "
                 f"[{'.'.join([tool, *(repr(s) for s in section)])}] in {file_path}") if file_path else \
            " (or name a credentials file in vcio.toml: [pull] credentials_file)"
        raise CredentialError(f"{tool}: missing credential: set {', '.join(missing)}{where}")
    return Credentials(tool, values)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
