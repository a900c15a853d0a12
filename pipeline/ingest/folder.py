"""Ingest a folder of exports: detect each file's format, map and parse its rows,
resolve each row's client, and account for every row (accepted or rejected)."""

from __future__ import annotations

import fnmatch
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping

from ..gcpause import gc_paused
from .clients import ClientResolver, Match
from .decode import DATA_SUFFIXES, DecodeError, Table, read_table
from .profiles import Profile, ProfileError, closest, detect, header_key, load_profiles
from .schema import CLIENT_SCOPED, ENTITIES, IDENTITY_FIELDS
from .values import DATE_TYPES, PARSERS

# Folders and files that hold configuration, not data: ignored by design.
IGNORED_DIRS = {"profiles", "config", ".git", "__pycache__"}
IGNORED_NAMES = {"readme", "readme.md", "readme.txt", "notes.txt"}
# Dates that tell how fresh an export is.
FRESHNESS_FIELDS = ("report_date", "last_seen")


@dataclass
class Reject:
    file: str
    line: int
    column: str
    value: str
    reason: str


@dataclass
class FileReport:
    path: str
    format: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    entity: str = ""
    encoding: str = ""
    newest_date: str | None = None
    verified: str = ""

    def as_manifest(self) -> dict:
        return {"path": self.path, "format": self.format, "rows": self.rows, "accepted": self.accepted,
                "rejected": self.rejected, "warnings": self.warnings, "entity": self.entity,
                "encoding": self.encoding, "newest_date": self.newest_date}


@dataclass
class Unrecognised:
    path: str
    closest_format: str | None
    missing_columns: list[str]
    error: str | None = None

    def as_manifest(self) -> dict:
        data = {"path": self.path, "closest_format": self.closest_format, "missing_columns": self.missing_columns}
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class IngestResult:
    records: dict[str, list[dict]]
    files: list[FileReport]
    rejects: list[Reject]
    unrecognised: list[Unrecognised]
    clients: list[str]
    unknown_clients: dict[str, int]
    suggestions: dict[str, list[str]]
    references: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return sum(f.rows for f in self.files)


@dataclass
class IngestOptions:
    as_of: date
    stale_days: int = 30
    format_overrides: Mapping[str, str] = field(default_factory=dict)  # glob on relative path -> profile name
    profile_dirs: tuple[Path, ...] = ()


def discover(inputs: Path) -> list[Path]:
    """Every data file below ``inputs`` that is not configuration, in a stable order."""
    found = []
    for path in sorted(inputs.rglob("*")):
        relative = path.relative_to(inputs)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if any(part.lower() in IGNORED_DIRS for part in relative.parts[:-1]):
            continue
        if path.name.lower() in IGNORED_NAMES or path.suffix.lower() not in DATA_SUFFIXES:
            continue
        found.append(path)
    return found


@gc_paused
def ingest_folder(inputs: Path, options: IngestOptions) -> IngestResult:
    profiles = load_profiles([inputs / "profiles", *options.profile_dirs])
    by_name = {p.name: p for p in profiles}
    reports: list[FileReport] = []
    rejects: list[Reject] = []
    unrecognised: list[Unrecognised] = []
    parsed: list[tuple[str, Profile, Table, FileReport]] = []

    for path in discover(inputs):
        relative = PurePosixPath(path.relative_to(inputs).as_posix()).as_posix()
        try:
            table = read_table(path)
        except (DecodeError, OSError) as exc:
            unrecognised.append(Unrecognised(relative, None, [], error=str(exc)))
            continue
        profile = _override(relative, options.format_overrides, by_name) or detect(table.header, profiles)
        if profile is None:
            near, missing = closest(table.header, profiles)
            unrecognised.append(Unrecognised(relative, near.name if near else None, missing))
            continue
        report = FileReport(relative, profile.name, entity=profile.entity, encoding=table.encoding,
                            warnings=list(table.warnings), verified=profile.verified)
        duplicates = [h for h, n in Counter(header_key(h) for h in table.header).items() if n > 1 and h]
        if duplicates:
            report.warnings.append(f"duplicate column headers {duplicates}: the first of each is used")
        parsed.append((relative, profile, table, report))

    # The roster first: every other file's rows are resolved against it.  Without a roster the
    # PSA's companies define the clients, so PSA files come next (other tools' spellings are
    # then matched to the PSA's names, not the other way round).
    has_roster = any(item[1].entity == "client" for item in parsed)
    order = sorted(parsed, key=lambda item: (item[1].entity != "client",
                                             not has_roster and item[1].source_kind != "psa"))
    records: dict[str, list[dict]] = defaultdict(list)
    references: dict[str, list[dict]] = defaultdict(list)
    resolver: ClientResolver | None = None
    unknown: Counter[str] = Counter()
    for relative, profile, table, report in order:
        rows = _map_rows(relative, profile, table, report, rejects)
        if profile.entity == "client":
            records["client"].extend(rows)
            continue
        if resolver is None:
            resolver = _build_resolver(records.get("client", []))
        if profile.entity not in ENTITIES:
            references[profile.entity].extend(rows)
            report.accepted = report.rows - report.rejected
            reports.append(report)
            continue
        _resolve_clients(relative, profile, rows, report, resolver, rejects, unknown, table.header)
        records[profile.entity].extend(r for r in rows if "_reject" not in r)
        for row in rows:
            row.pop("_reject", None)
        _check_freshness(profile, rows, report, options)
        _check_concealed_upns(profile, rows, report)
        report.accepted = report.rows - report.rejected
        reports.append(report)
    for relative, profile, table, report in order:
        if profile.entity == "client":
            report.accepted = report.rows - report.rejected
            reports.append(report)
    if resolver is None:
        resolver = _build_resolver(records.get("client", []))
    reports.sort(key=lambda r: r.path)
    for row in records.get("client", []):
        row.pop("_reject", None)
    suggestions = {name: resolver.suggestions(name) for name in unknown}
    return IngestResult(dict(records), reports, rejects, unrecognised, list(resolver.names),
                        dict(unknown), suggestions, dict(references))


def _override(relative: str, overrides: Mapping[str, str], by_name: dict[str, Profile]) -> Profile | None:
    for pattern, name in overrides.items():
        if fnmatch.fnmatch(relative, pattern):
            if name not in by_name:
                raise ProfileError(f"configuration names format {name!r} for {pattern!r}, but no profile has that name")
            return by_name[name]
    return None


def _column_indexes(profile: Profile, header: list[str]) -> dict[str, tuple[int, str]]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(header_key(name), index)
    mapping = {}
    for field_name, alternatives in profile.columns.items():
        for alternative in alternatives:
            index = positions.get(header_key(alternative))
            if index is not None:
                mapping[field_name] = (index, header[index])
                break
    return mapping


def _map_rows(relative: str, profile: Profile, table: Table, report: FileReport,
              rejects: list[Reject]) -> list[dict]:
    """Parse every row into a canonical record; a row with any unreadable value is rejected."""
    columns = _column_indexes(profile, table.header)
    identity = IDENTITY_FIELDS.get(profile.entity, ())
    width = len(table.header)
    out: list[dict] = []
    # Exports repeat the same values (OS strings, dates, statuses) across thousands of rows:
    # each distinct cell value of a column is parsed once.
    plan = [(field_name, index, column_name, {}, cell_parser(profile, field_name))
            for field_name, (index, column_name) in columns.items()]
    for line, cells in table.rows:
        report.rows += 1
        if len(cells) > width:
            problem = _row_shape_problem(cells, width)
            if problem:
                _reject(rejects, report, relative, line, "", "|".join(cells)[:200], problem)
                continue
        record: dict = {"_src": f"{relative}:{line}", "_profile": profile.name}
        failure = None
        for field_name, index, column_name, memo, parse in plan:
            raw = cells[index] if index < len(cells) else ""
            value = memo.get(raw, _MISSING)
            if value is _MISSING:
                try:
                    value = parse(raw)
                except ValueError as exc:
                    value = _Failure(f"{field_name}: {exc}")
                if len(memo) < MEMO_LIMIT:  # unique columns (hostnames) gain nothing from a memo
                    memo[raw] = value
            if type(value) is _Failure:
                failure = (column_name, raw, value.reason)
                break
            if value is not None and value != [] and field_name not in record:
                record[field_name] = value
        if failure:
            _reject(rejects, report, relative, line, *failure)
            continue
        for key, value in profile.constants.items():
            record.setdefault(key, value)
        if profile.amount_period == "annual" and record.get("amount") is not None:
            record["amount"] = record["amount"] / 12  # canonical contract amounts are monthly
        if identity and not any(record.get(f) for f in identity):
            names = [columns[f][1] for f in identity if f in columns] or list(identity)
            _reject(rejects, report, relative, line, " / ".join(names), "",
                    f"no {' or '.join(identity)}: the row identifies nothing")
            continue
        out.append(record)
    return out


_MISSING = object()
MEMO_LIMIT = 20_000


class _Failure:
    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


def _row_shape_problem(cells: list[str], width: int) -> str | None:
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return f"the row has {len(cells)} cells but the header has {width} (a stray delimiter or unquoted text?)"
    return None


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
            # Several entitlements in one cell (warranty lookups): the latest date counts.
            values = [parser(p, dayfirst) for p in text.splitlines() if p.strip()]
            values = [v for v in values if v is not None]
            return max(values) if values else None
        if kind == "text":
            if "\n" in text:
                return " / ".join(p.strip() for p in text.splitlines() if p.strip()) or None
            if text.isprintable() and "  " not in text:
                return text or None  # the common case: nothing for clean_text to do
        return parser(text)

    return parse


def _reject(rejects: list[Reject], report: FileReport, file: str, line: int, column: str, value: str,
            reason: str) -> None:
    rejects.append(Reject(file, line, column, value, reason))
    report.rejected += 1


def _build_resolver(roster: list[dict]) -> ClientResolver:
    """Without a roster, the clients are whatever names the exports use (the PSA's companies)."""
    if roster:
        return ClientResolver.from_roster_rows(roster)
    return ClientResolver(from_roster=False)


def _resolve_clients(relative: str, profile: Profile, rows: list[dict], report: FileReport,
                     resolver: ClientResolver, rejects: list[Reject], unknown: Counter,
                     header: list[str] | None = None) -> None:
    if profile.entity not in CLIENT_SCOPED:
        return
    guesses: Counter[tuple[str, str, str]] = Counter()
    folder_parts = tuple(PurePosixPath(relative).parts[:-1])
    present = _column_indexes(profile, header or [])  # reject rows under the header the file really has
    client_column = present["client"][1] if "client" in present else \
        next((alts[0] for f, alts in profile.columns.items() if f == "client"), "client")
    upn_column = present["upn"][1] if "upn" in present else "User principal name"
    for row in rows:
        raw = row.get("client")
        match: Match | None = None
        if profile.client_from == "upn_domain" and row.get("upn"):
            match = resolver.by_upn(row["upn"])
        if match is None and raw:
            match = resolver.by_name(raw)
            if match is None and not resolver.from_roster:
                resolver.add(raw)
                match = Match(raw, False, "first seen")
        if match is None and not raw:
            match = resolver.by_folder(folder_parts)
        if match is None:
            upn = row.get("upn") or ""
            name = raw or (upn.rsplit("@", 1)[-1] if "@" in upn else "") or "(none)"
            unknown[name] += 1
            row["_reject"] = True
            column = client_column if raw else (upn_column if row.get("upn") else client_column)
            _reject(rejects, report, relative, int(row["_src"].rsplit(":", 1)[1]), column, raw or row.get("upn", ""),
                    f"unknown client: {name}")
            continue
        if match.guessed:
            guesses[(raw or "/".join(folder_parts), match.client, match.how)] += 1
        row["client"] = match.client
    for (raw, client, how), count in sorted(guesses.items()):
        report.warnings.append(f"client {raw!r} matched to roster client {client!r} by {how} ({count} rows): "
                               f"add it to the roster's aliases to confirm")


def _check_freshness(profile: Profile, rows: list[dict], report: FileReport, options: IngestOptions) -> None:
    newest = None
    for row in rows:
        for name in FRESHNESS_FIELDS:
            value = row.get(name)
            if value is not None:
                day = value.date() if isinstance(value, datetime) else value
                if newest is None or day > newest:
                    newest = day
    if newest is None:
        return
    report.newest_date = newest.isoformat()
    if newest < options.as_of - timedelta(days=options.stale_days):
        report.warnings.append(f"stale data: the newest date in this file is {newest.isoformat()}, "
                               f"more than {options.stale_days} days before {options.as_of.isoformat()}")


def _check_concealed_upns(profile: Profile, rows: list[dict], report: FileReport) -> None:
    if profile.entity not in {"user", "user_activity", "mfa"} or not rows:
        return
    concealed = sum(1 for r in rows if r.get("upn") and "@" not in r["upn"])
    if concealed:
        report.warnings.append(
            f"{concealed} of {len(rows)} user names are concealed (hashed): the tenant hides user details in "
            "usage reports, so activity cannot be joined to users; turn off 'Display concealed user, group, "
            "and site names in all reports' in the Microsoft 365 admin center (Settings > Org settings > Reports)")
