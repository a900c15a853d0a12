"""Ingest a folder of exports: detect each file's format, map and parse its rows,
resolve each row's client, and account for every row (accepted or rejected)."""

from __future__ import annotations

import fnmatch
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import compress, repeat
from operator import is_, itemgetter, methodcaller, not_
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping, Sequence

from ..gcpause import gc_paused
from .clients import ClientResolver, resolve_distinct, resolve_in_order, roster_conflicts
from ..errors import DecodeError, ProfileError
from .decode import DATA_SUFFIXES, Table, read_table
from .own_outputs import OwnOutputs
from .profiles import Profile, cell_parser, detect, header_key, load_profiles
from .schema import CLIENT_SCOPED, ENTITIES, IDENTITY_FIELDS
from .suggest import closest_format
from .values import DATE_TYPES, ColumnParser, joinable_upn

# Folders and files that hold configuration, not data: ignored by design.
IGNORED_DIRS = {"profiles", "config", ".git", "__pycache__"}
IGNORED_NAMES = {"readme", "readme.md", "readme.txt", "notes.txt"}
# Dates that tell how fresh an export is: the report's own date first, then the times the tool saw something.
FRESHNESS_FIELDS = ("report_date", "last_seen")
OBSERVATION_FIELDS = ("last_seen", "last_reboot", "last_backup", "exchange_last_activity", "onedrive_last_activity",
                      "sharepoint_last_activity", "teams_last_activity", "skype_last_activity", "yammer_last_activity")
REPORT_DATE, NEWEST_TIMESTAMP, FILE_MODIFIED = "report date", "newest timestamp", "file modified"


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
    source_kind: str = "other"  # the profile's: rmm | psa | warranty | m365 | distributor | vcio | other
    observed_on: str | None = None  # the date the tool observed what the file says (ISO)
    observed_from: str | None = None  # "report date" | "newest timestamp" | "file modified"
    stale: bool = False  # observed (from its data) more than thresholds.stale_input_days before --as-of

    @property
    def data_date(self) -> date | None:
        """The observation date when the file's own data gives it (not its modification time)."""
        if self.observed_on and self.observed_from in (REPORT_DATE, NEWEST_TIMESTAMP):
            return date.fromisoformat(self.observed_on)
        return None

    def as_manifest(self) -> dict:
        return {"path": self.path, "format": self.format, "rows": self.rows, "accepted": self.accepted,
                "rejected": self.rejected, "warnings": self.warnings, "entity": self.entity,
                "encoding": self.encoding, "newest_date": self.newest_date, "observed_on": self.observed_on,
                "observed_from": self.observed_from, "stale": self.stale}


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
    roster_errors: list[str] = field(default_factory=list)  # rows of the roster that contradict each other
    skipped_outputs: list[str] = field(default_factory=list)  # vcio output folders below the inputs, not read
    warnings: list[str] = field(default_factory=list)  # about the inputs folder as a whole

    @property
    def rows_read(self) -> int:
        return sum(f.rows for f in self.files)


@dataclass
class IngestOptions:
    as_of: date
    stale_days: int = 30
    format_overrides: Mapping[str, str] = field(default_factory=dict)  # glob on relative path -> profile name
    profile_dirs: tuple[Path, ...] = ()
    follow_symlinks_outside: bool = False  # read files that symbolic links under the inputs lead to elsewhere
    out: Path | None = None  # this run's output folder: never read, even when it lies inside the inputs
    progress: Callable[[str, int, int], None] | None = None  # (stage, files done, files in all)


def discover(inputs: Path, follow_outside: bool = False,
             skipped: list[Unrecognised] | None = None) -> list[Path]:
    """Every data file below ``inputs`` that is not configuration, in a stable order.

    A symbolic link (to a file or a folder) that leads outside ``inputs`` is not followed unless
    ``follow_outside``: it goes to ``skipped`` with the reason, so the manifest and `vcio validate` say so.
    A link to a folder inside ``inputs`` is not followed either: its files are read where they are.
    """
    root = inputs.resolve()
    found: list[Path] = []
    visited = {root}
    for folder, dirs, files in os.walk(inputs, followlinks=follow_outside):
        here = Path(folder)
        for name in list(dirs):
            path = here / name
            if not path.is_symlink():
                continue
            target = path.resolve()
            if target.is_relative_to(root) or target in visited:
                dirs.remove(name)  # read where it is (or already being read): never twice
            elif not follow_outside:
                dirs.remove(name)
                _skip_link(inputs, path, target, skipped)
            else:
                visited.add(target)
        for name in files:
            path = here / name
            relative = path.relative_to(inputs)
            if any(part.startswith(".") for part in relative.parts):
                continue
            if any(part.lower() in IGNORED_DIRS for part in relative.parts[:-1]):
                continue
            if path.name.lower() in IGNORED_NAMES or path.suffix.lower() not in DATA_SUFFIXES:
                continue
            if path.is_symlink() and not follow_outside and not path.resolve().is_relative_to(root):
                _skip_link(inputs, path, path.resolve(), skipped)
                continue
            if path.is_file():
                found.append(path)
    return sorted(found)


def _skip_link(inputs: Path, path: Path, target: Path, skipped: list[Unrecognised] | None) -> None:
    if skipped is None:
        return
    what = "folder" if target.is_dir() else "file"
    skipped.append(Unrecognised(path.relative_to(inputs).as_posix(), None, [], error=(
        f"a symbolic link to a {what} outside --inputs ({target}): not read; copy the export into the inputs "
        "folder, or set [ingest] follow_symlinks_outside = true")))


@gc_paused
def ingest_folder(inputs: Path, options: IngestOptions) -> IngestResult:
    profiles = load_profiles([inputs / "profiles", *options.profile_dirs])
    by_name = {p.name: p for p in profiles}
    reports: list[FileReport] = []
    rejects: list[Reject] = []
    unrecognised: list[Unrecognised] = []
    parsed: list[tuple[str, Profile, Table, FileReport]] = []
    detected: dict[tuple[str, ...], Profile | None] = {}
    modified: dict[str, date | None] = {}
    own = OwnOutputs(inputs, options.out)
    paths = [path for path in discover(inputs, options.follow_symlinks_outside, unrecognised) if not own.holds(path)]
    tell = options.progress or _silent

    for done, path in enumerate(paths):
        tell("reading", done, len(paths))
        relative = PurePosixPath(path.relative_to(inputs).as_posix()).as_posix()
        try:
            table = read_table(path)
        except (DecodeError, OSError) as exc:
            unrecognised.append(Unrecognised(relative, None, [], error=str(exc)))
            continue
        profile = _override(relative, options.format_overrides, by_name) or _detect(table.header, profiles, detected)
        if profile is None:
            near, missing = closest_format(table.header, profiles)
            unrecognised.append(Unrecognised(relative, near.name if near else None, missing))
            continue
        report = FileReport(relative, profile.name, entity=profile.entity, encoding=table.encoding,
                            warnings=list(table.warnings), verified=profile.verified, source_kind=profile.source_kind)
        modified[relative] = _modified_day(path)
        duplicates = [h for h, n in Counter(_header_key(h) for h in table.header).items() if n > 1 and h]
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
    distinct_hints: dict[tuple[str, str], bool] = {}
    for done, (relative, profile, table, report) in enumerate(order):
        tell("mapping", done, len(order))
        rows = _map_rows(relative, profile, table, report, rejects, distinct_hints)
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
        failed = _resolve_clients(relative, profile, rows, report, resolver, rejects, unknown, table.header)
        if failed:
            unresolved = set(map(id, failed))
            records[profile.entity].extend(r for r in rows if id(r) not in unresolved)
        else:
            records[profile.entity].extend(rows)
        _check_freshness(profile, rows, report, options, modified.get(relative))
        _check_concealed_upns(profile, rows, report)
        report.accepted = report.rows - report.rejected
        reports.append(report)
    for relative, profile, table, report in order:
        if report.observed_on is None and modified.get(relative):
            report.observed_on, report.observed_from = modified[relative].isoformat(), FILE_MODIFIED
        if profile.entity == "client":
            report.accepted = report.rows - report.rejected
            reports.append(report)
    if resolver is None:
        resolver = _build_resolver(records.get("client", []))
    reports.sort(key=lambda r: r.path)
    suggestions = {name: resolver.suggestions(name) for name in unknown}
    tell("mapping", len(order), len(order))
    return IngestResult(dict(records), reports, rejects, unrecognised, list(resolver.names),
                        dict(unknown), suggestions, dict(references), roster_conflicts(records.get("client", [])),
                        skipped_outputs=own.describe(), warnings=own.warnings())


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _detect(header: list[str], profiles: list[Profile], detected: dict) -> Profile | None:
    """detect(), once per distinct header: a folder of tenant exports repeats one header thousands of times."""
    key = tuple(header)
    if key not in detected:
        detected[key] = detect(header, profiles)
    return detected[key]


# Header names repeat across files and profiles; their comparison key is worked out once.
_header_key = lru_cache(maxsize=8192)(header_key)


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
        positions.setdefault(_header_key(name), index)
    mapping = {}
    for field_name, alternatives in profile.columns.items():
        for alternative in alternatives:
            index = positions.get(_header_key(alternative))
            if index is not None:
                mapping[field_name] = (index, header[index])
                break
    return mapping


def _map_rows(relative: str, profile: Profile, table: Table, report: FileReport,
              rejects: list[Reject], distinct_hints: dict[tuple[str, str], bool] | None = None) -> list[dict]:
    """Parse every row into a canonical record; a row with any unreadable value is rejected.

    Works a chunk of rows at a time, column by column: each distinct cell value of a column is parsed once
    and the records are assembled in bulk, so the per-row Python work is a dict and little else."""
    columns = _column_indexes(profile, table.header)
    # Which columns were all distinct in the last file of this format (thousands of tenant files share one).
    hints = {} if distinct_hints is None else distinct_hints
    plan = [_Field(ColumnParser(field_name, cell_parser(profile, field_name), _is_plain_text(profile, field_name),
                                all_distinct=hints.get((profile.name, field_name), False)), index, column_name)
            for field_name, (index, column_name) in columns.items()]
    mapper = _ChunkMapper(relative, profile, columns, plan, len(table.header))
    out: list[dict] = []
    for lines, rows in table.chunks():
        report.rows += len(rows)
        out += mapper.map(lines, rows, report, rejects)
    for field_ in plan:
        hints[(profile.name, field_.name)] = field_.parser.seen_distinct
    return out


@dataclass(eq=False)
class _Field:
    """A mapped field: where its cells are and how they parse."""

    parser: ColumnParser
    index: int  # in the header
    column_name: str  # as the header spells it, for rejects

    @property
    def name(self) -> str:
        return self.parser.name


def _is_plain_text(profile: Profile, field_name: str) -> bool:
    """Text that needs no parsing when it is clean, which is checked for a whole column at once."""
    return profile.field_type(field_name) == "text" and not profile.values.get(field_name)


class _ChunkMapper:
    """Turns a chunk of a file's rows into records and rejects, column by column."""

    def __init__(self, relative: str, profile: Profile, columns: dict[str, tuple[int, str]], plan: list[_Field],
                 width: int):
        self.relative, self.profile, self.plan, self.width = relative, profile, plan, width
        self.identity = IDENTITY_FIELDS.get(profile.entity, ())
        names = [columns[f][1] for f in self.identity if f in columns] or list(self.identity)
        self.identity_reject = (" / ".join(names), "", f"no {' or '.join(self.identity)}: the row identifies nothing")
        # "_src" and "_profile" are set first: a field of that name (a reference profile) never overrides them.
        self.kept = [f for f in plan if f.name not in ("_src", "_profile")]
        self.keys = ("_src", "_profile", *(f.name for f in self.kept))
        self.src_prefix = f"{relative}:"
        self.needed = sorted({f.index for f in plan})

    def map(self, lines: list[int], rows: list[list[str]], report: FileReport, rejects: list[Reject]) -> list[dict]:
        problems: dict[int, tuple[str, str, str]] = {}  # row position -> (column, value, reason) of its reject
        rows = self._square(rows, problems)
        parsed, maybe_empty = self._parse(rows, problems)
        for position in self._unidentified(parsed, len(rows)):
            problems.setdefault(position, self.identity_reject)
        if problems:
            for position in sorted(problems):
                _reject(rejects, report, self.relative, lines[position], *problems[position])
            keep = [position not in problems for position in range(len(rows))]
            lines = list(compress(lines, keep))
            parsed = {name: list(compress(values, keep)) for name, values in parsed.items()}
        records = self._records(lines, parsed, maybe_empty)
        self._finish(records)
        return records

    def _parse(self, rows: list[list[str]], problems: dict) -> tuple[dict[str, Sequence], list[str]]:
        """(each field's values, the fields where a value may be missing); a row with a cell that does not
        parse becomes a problem, named after the first such field."""
        columns = {index: list(map(itemgetter(index), rows)) for index in self.needed}
        parsed: dict[str, Sequence] = {}
        maybe_empty: list[str] = []
        plain: dict[int, tuple[Sequence, bool]] = {}  # two plain text fields of one column (client, site)
        for field_ in self.plan:
            column, parser = columns[field_.index], field_.parser
            if parser.plain_text and field_.index in plain:
                values, has_none = plain[field_.index]
            else:
                values, has_none = parser.values(column)
                if parser.plain_text:
                    plain[field_.index] = values, has_none
            if parser.failing and not parser.failing.isdisjoint(column):
                for position, raw in enumerate(column):
                    if raw in parser.failing and position not in problems:
                        problems[position] = (field_.column_name, raw, values[position].reason)
            parsed[field_.name] = values
            if has_none:
                maybe_empty.append(field_.name)
        return parsed, maybe_empty

    def _records(self, lines: list[int], parsed: dict[str, Sequence], maybe_empty: list[str]) -> list[dict]:
        sources = list(map(self.src_prefix.__add__, map(str, lines)))
        value_columns = [parsed[f.name] for f in self.kept]
        records = list(map(dict, map(zip, repeat(self.keys),
                                     zip(sources, repeat(self.profile.name), *value_columns))))
        for name in maybe_empty:  # a value that parsed to nothing leaves its key out, as if never set
            if name in ("_src", "_profile"):
                continue
            values = parsed[name]
            for position in compress(range(len(values)), map(is_, values, repeat(None))):
                del records[position][name]
        return records

    def _square(self, rows: list[list[str]], problems: dict) -> list[list[str]]:
        """Every row cut or padded to the header's width; a row with text beyond it is a reject."""
        width = self.width
        if all(map(width.__eq__, map(len, rows))):
            return rows
        square = []
        for position, cells in enumerate(rows):
            size = len(cells)
            if size > width:
                problem = _row_shape_problem(cells, width)
                if problem:
                    problems[position] = ("", "|".join(cells)[:200], problem)
                    cells = [""] * width
                else:
                    cells = cells[:width]
            elif size < width:
                cells = cells + [""] * (width - size)
            square.append(cells)
        return square

    def _unidentified(self, parsed: dict[str, list], count: int) -> list[int]:
        """Rows where no identity field has a value (constants count, as the records get them)."""
        if not self.identity:
            return []
        constants = self.profile.constants
        present = [parsed[f] for f in self.identity if f in parsed and f not in constants]
        if any(f in constants for f in self.identity):
            # Rare: a constant stands in for a missing value; check each row as the record will be.
            for f in self.identity:
                if f in constants:
                    present.append([constants[f] if v is None else v for v in parsed[f]] if f in parsed
                                   else [constants[f]] * count)
        if not present:
            return list(range(count))
        identified = map(any, zip(*present)) if len(present) > 1 else map(bool, present[0])
        return list(compress(range(count), map(not_, identified)))

    def _finish(self, records: list[dict]) -> None:
        profile = self.profile
        if profile.constants:
            for record in records:
                for key, value in profile.constants.items():
                    record.setdefault(key, value)
        if profile.amount_period == "annual":
            for record in records:
                if record.get("amount") is not None:
                    record["amount"] = record["amount"] / 12  # canonical contract amounts are monthly


def _row_shape_problem(cells: list[str], width: int) -> str | None:
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return f"the row has {len(cells)} cells but the header has {width} (a stray delimiter or unquoted text?)"
    return None


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
                     header: list[str] | None = None) -> list[dict]:
    """Set each row's client to its roster name; returns the rows whose client is unknown (each rejected)."""
    if profile.entity not in CLIENT_SCOPED:
        return []
    folder_parts = tuple(PurePosixPath(relative).parts[:-1])
    by_upn = profile.client_from == "upn_domain"
    if resolver.from_roster:
        keys, outcomes = resolve_distinct(rows, by_upn, resolver, folder_parts)
        if all(client is not None and not guess for client, guess, _ in outcomes.values()):
            client_of = {key: outcome[0] for key, outcome in outcomes.items()}
            list(map(dict.__setitem__, rows, repeat("client"), map(client_of.__getitem__, keys)))
            return []
        found = list(map(outcomes.__getitem__, keys))
    else:
        found = resolve_in_order(rows, by_upn, resolver, folder_parts)
    present = _column_indexes(profile, header or [])  # reject rows under the header the file really has
    client_column = present["client"][1] if "client" in present else \
        next((alts[0] for f, alts in profile.columns.items() if f == "client"), "client")
    upn_column = present["upn"][1] if "upn" in present else "User principal name"
    guesses: Counter[tuple[str, str, str]] = Counter()
    failed: list[dict] = []
    for row, (client, guess, name) in zip(rows, found):
        if client is None:
            unknown[name] += 1
            failed.append(row)
            raw = row.get("client")
            column = client_column if raw else (upn_column if row.get("upn") else client_column)
            _reject(rejects, report, relative, int(row["_src"].rsplit(":", 1)[1]), column, raw or row.get("upn", ""),
                    f"unknown client: {name}")
            continue
        if guess:
            guesses[guess] += 1
        row["client"] = client
    for (raw, client, how), count in sorted(guesses.items()):
        report.warnings.append(f"client {raw!r} matched to roster client {client!r} by {how} ({count} rows): "
                               f"add it to the roster's aliases to confirm")
    return failed


def _check_freshness(profile: Profile, rows: list[dict], report: FileReport, options: IngestOptions,
                     modified: date | None = None) -> None:
    """Date the file's observations (report date, else its newest timestamp, else its modification time) and
    warn when its data is older than the stale threshold. A file dated only by its modification time is never
    called stale: copying or restoring a folder changes that date, not what the file says."""
    newest = _newest_day(profile, rows)
    if newest is not None:
        report.newest_date = newest.isoformat()
    report_day = _newest_of(rows, ("report_date",)) if "report_date" in profile.columns else None
    if report_day is not None:
        observed, how = report_day, REPORT_DATE
    else:
        observed = _newest_of(rows, [n for n in OBSERVATION_FIELDS if n in profile.columns])
        how = NEWEST_TIMESTAMP
        if observed is None and newest is not None:
            observed = newest
        if observed is None:
            observed, how = modified, FILE_MODIFIED
    if observed is None:
        return
    report.observed_on, report.observed_from = observed.isoformat(), how
    if how != FILE_MODIFIED and observed < options.as_of - timedelta(days=options.stale_days):
        report.stale = True
        report.warnings.append(f"stale data: this file was observed on {observed.isoformat()} ({how}), "
                               f"more than {options.stale_days} days before {options.as_of.isoformat()}")


def _newest_of(rows: list[dict], names) -> date | None:
    newest = None
    for name in names:
        for value in {row.get(name) for row in rows}:
            if value is None:
                continue
            day = value.date() if isinstance(value, datetime) else value
            if newest is None or day > newest:
                newest = day
    return newest


def _modified_day(path: Path) -> date | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).date()
    except OSError:
        return None


def _newest_day(profile: Profile, rows: list[dict]) -> date | None:
    names = [n for n in FRESHNESS_FIELDS if n in profile.columns or n in profile.constants]
    if all(profile.field_type(n) in DATE_TYPES and n not in profile.constants for n in names):
        # Parsed dates repeat across rows: compare each distinct value once.
        distinct = set()
        for name in names:
            distinct.update(map(methodcaller("get", name), rows))
        distinct.discard(None)
        return max((v.date() if isinstance(v, datetime) else v for v in distinct), default=None)
    newest = None
    for row in rows:
        for name in FRESHNESS_FIELDS:
            value = row.get(name)
            if value is not None:
                day = value.date() if isinstance(value, datetime) else value
                if newest is None or day > newest:
                    newest = day
    return newest


def _check_concealed_upns(profile: Profile, rows: list[dict], report: FileReport) -> None:
    if profile.entity not in {"user", "user_activity", "mfa"} or not rows:
        return
    concealed = sum(1 for upn in map(methodcaller("get", "upn"), rows) if upn and not joinable_upn(upn))
    if concealed:
        report.warnings.append(
            f"{concealed} of {len(rows)} user names are concealed (hashed): the tenant hides user details in "
            "usage reports, so activity cannot be joined to users; turn off 'Display concealed user, group, "
            "and site names in all reports' in the Microsoft 365 admin center (Settings > Org settings > Reports)")
