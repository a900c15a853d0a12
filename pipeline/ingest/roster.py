"""The roster's client names, read before the ingest: `vcio run --client NAME` is checked against them at once,
not after every export has been read.

Only each file's first lines are read to find the roster (by its header, as the ingest finds it); the roster
itself is then read and mapped as the ingest does.
"""

from __future__ import annotations

import csv
import difflib
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from ..errors import DecodeError
from .decode import decode_bytes, looks_binary, read_table, sniff_delimiter
from .folder import FileReport, IngestOptions, _map_rows, discover
from .own_outputs import OwnOutputs
from .profiles import Profile, detect, load_profiles

HEAD_BYTES = 64 * 1024  # enough for any header row


def read_header(path: Path) -> list[str] | None:
    """The header row of a delimited file from its first bytes (None when there is none to read)."""
    if path.suffix.lower() == ".xlsx":
        try:
            return read_table(path).header
        except (DecodeError, OSError):
            return None
    try:
        with path.open("rb") as handle:
            raw = handle.read(HEAD_BYTES)
    except OSError:
        return None
    if not raw.strip() or looks_binary(raw):
        return None
    text = decode_bytes(raw)[0].lstrip("\ufeff")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#TYPE "):
            return next(csv.reader([line], delimiter=sniff_delimiter(line, path.suffix.lower())), None)
    return None


def roster_entries(inputs: Path, options: IngestOptions) -> list[dict] | None:
    """The roster rows (name, aliases ...) found below ``inputs``; None when there is no roster."""
    profiles = load_profiles([inputs / "profiles", *options.profile_dirs])
    own = OwnOutputs(inputs, options.out)
    found: list[dict] | None = None
    for path in discover(inputs):
        if own.holds(path):
            continue
        header = read_header(path)
        profile = detect(header, profiles) if header else None
        if profile is None or profile.entity != "client":
            continue
        found = (found or []) + _rows(inputs, path, profile)
    return found


def _rows(inputs: Path, path: Path, profile: Profile) -> list[dict]:
    relative = PurePosixPath(path.relative_to(inputs).as_posix()).as_posix()
    try:
        table = read_table(path)
    except (DecodeError, OSError):
        return []
    return _map_rows(relative, profile, table, FileReport(relative, profile.name), [])


def match_client_names(requested: Sequence[str], roster: Iterable[dict]) -> tuple[list[str], list[str]]:
    """(the roster name of each requested name, found by name or alias, case-insensitively; a line per name the
    roster does not hold, with the closest names)."""
    entries = list(roster)
    spellings = {str(row["name"]).casefold(): str(row["name"]) for row in entries if row.get("name")}
    for row in entries:
        for alias in row.get("aliases") or []:
            spellings.setdefault(alias.casefold(), str(row["name"]))
    found, problems = [], []
    for wanted in requested:
        if wanted.casefold() in spellings:
            found.append(spellings[wanted.casefold()])
            continue
        close = difflib.get_close_matches(wanted.casefold(), list(spellings), n=3, cutoff=0.6)
        hint = ", ".join(dict.fromkeys(repr(spellings[c]) for c in close))
        problems.append(f"{wanted!r} is not in the roster" + (f"; did you mean {hint}?" if hint else ""))
    return found, problems
