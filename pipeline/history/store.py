"""The history store: one snapshot per client and quarter, in SQLite by default or any SQLAlchemy URL.

Only the driver process talks to the store. Workers get a ``ClientHistory`` (plain, picklable data
loaded by ``HistoryStore.client_view``) when they need the past to build a client's documents.
"""

from __future__ import annotations

import os

import difflib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import (ArgumentError, DBAPIError, DisconnectionError, InterfaceError, NoSuchModuleError,
                            OperationalError, SQLAlchemyError)

from ..quarters import Quarter
from ..errors import ExitStatus, HistoryDataError, HistoryError, HistoryUnavailable, SchemaTooNew
from . import tables as t
from .migrations import current_version, migrate
from .records import (AREAS, budget_record, decision_records, finding_record, grade_record, initiative_record,
                      quarter_label, risk_record, text)

DEFAULT_FILE = "history.sqlite"
TREND_QUARTERS = 8  # grade trend: up to 8 quarters, the current one included


def _environment(message: str) -> HistoryError:
    return HistoryError(message, ExitStatus.ENVIRONMENT)


def _database_message(exc: SQLAlchemyError) -> str:
    """The driver's own words, first line only: SQLAlchemy's text adds the statement and its parameters."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return f"{type(original).__name__}: {lines[0] if lines else 'no detail'}"[:300]


def client_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def normalise_quarter(label: str) -> str:
    try:
        return Quarter.parse(str(label)).label
    except ValueError as exc:
        raise HistoryError(str(exc)) from None


@dataclass
class Snapshot:
    """One recorded quarter of one client, as plain records (see records.py for their keys)."""

    client: str
    quarter: str
    as_of: date
    findings: dict[str, dict] = field(default_factory=dict)  # finding_id -> record
    grades: dict[str, dict] = field(default_factory=dict)  # area -> record
    risks: list[dict] = field(default_factory=list)
    initiatives: dict[str, dict] = field(default_factory=dict)  # initiative_id -> record with finding_ids
    budget: dict = field(default_factory=dict)
    decisions: dict[str, dict] = field(default_factory=dict)  # item_id -> decision record


@dataclass
class SnapshotInput:
    """One client's quarter to record: what ``record_snapshot`` takes, as one value (see its docstring)."""

    client: str
    quarter: str
    as_of: date | str
    findings: list
    grades: list
    risks: list
    initiatives: list
    budget: Any = None
    decisions: Any = None
    vcio_version: str = ""


@dataclass
class _Prepared:
    key: str
    quarter: str
    head: dict  # the snapshots row, without its id
    children: dict  # child table -> rows without snapshot_id


@dataclass
class ClientHistory:
    """What a worker needs from the past of one client to build this quarter's changes and decisions."""

    client: str
    quarter: str  # the quarter being built; everything here is strictly earlier
    previous: Snapshot | None = None  # the most recent earlier snapshot
    first_seen: dict[str, str] = field(default_factory=dict)  # finding in previous -> quarter its open run began
    grade_history: list[dict] = field(default_factory=list)  # earlier quarters, oldest first, at most 7
    initiative_findings: dict[str, set[str]] = field(default_factory=dict)  # every finding ever in an initiative
    known_items: dict[str, dict] = field(default_factory=dict)  # id -> {"kind", "title", "rule"}, latest seen

    @property
    def previous_quarter(self) -> str | None:
        return self.previous.quarter if self.previous else None

    @property
    def first_review(self) -> bool:
        return self.previous is None

    @property
    def carried_decisions(self) -> dict[str, dict]:
        """Decisions in force at the previous snapshot, except those whose items were already completed."""
        if not self.previous:
            return {}
        return {k: v for k, v in self.previous.decisions.items() if not v.get("completed")}


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(Path(path).resolve()))


def resolve_url(url: str | None, out_dir: Path | str | None) -> URL:
    """None -> sqlite file OUT/history.sqlite; a URL ("postgresql+psycopg://...") as given; a bare path -> sqlite."""
    if url is None or not str(url).strip():
        if out_dir is None:
            raise HistoryError("no history database: give --db URL or the output folder (--out)")
        return _sqlite_url(Path(out_dir) / DEFAULT_FILE)
    url = str(url).strip()
    if "://" not in url:
        return _sqlite_url(Path(url).expanduser())
    try:
        return make_url(url)
    except ArgumentError:
        raise HistoryError(f"not a database URL: {url!r} (e.g. postgresql+psycopg://user@host/vcio)") from None


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised through every test
            dbapi_connection.isolation_level = None  # pysqlite must not manage transactions: we BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover
            # Writers take the lock up front (no lock upgrade, no SQLITE_BUSY half-way through a snapshot).
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("vcio_write") else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


class HistoryStore:
    """Snapshots per (client, quarter). Open with ``HistoryStore.open``; it migrates the schema."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.applied_migrations: list[int] = []  # versions the last open() applied

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, url: str | None = None, out_dir: Path | str | None = None, *, create: bool = True) -> "HistoryStore":
        """Open (and migrate) the store. create=False refuses to create a missing SQLite file (read commands)."""
        resolved = resolve_url(url, out_dir)
        if resolved.get_backend_name() == "sqlite" and resolved.database not in (None, "", ":memory:"):
            path = Path(resolved.database)
            if not path.exists():
                if not create:
                    raise HistoryError(f"no history database at {path}: `vcio run` records one in the output folder")
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    # Every client's findings for every quarter: readable by its owner only.
                    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
                except OSError as exc:
                    raise _environment(f"cannot create {path}: {exc.strerror}") from None
        try:
            engine = _create_engine(resolved)
        except (NoSuchModuleError, ImportError) as exc:
            raise _environment(f"no database driver for {resolved.drivername}: {exc}") from None
        store = cls(engine)
        try:
            store.applied_migrations = migrate(engine)
        except DBAPIError as exc:  # unreachable, refused, or not a database at all
            engine.dispose()
            raise _environment(f"cannot open the history database {store.describe()}: "
                               f"{_database_message(exc)}") from exc
        except SchemaTooNew as exc:
            engine.dispose()
            raise _environment(f"{store.describe()}: {exc}") from None
        return store

    def describe(self) -> str:
        """The URL without its password, for messages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def schema_version(self) -> int:
        with self._read() as conn:
            return current_version(conn)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._errors("record in"), self.engine.connect() as conn:
            conn.execution_options(vcio_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors("read"), self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Database errors as HistoryUnavailable (the store is gone) or HistoryDataError (these rows are
        refused), with the driver's message and no SQL; the original stays as the cause, for debug logs."""
        try:
            yield
        except (OperationalError, InterfaceError, DisconnectionError) as exc:
            raise HistoryUnavailable(f"cannot {doing} the history store {self.describe()}: "
                                     f"{_database_message(exc)}") from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise HistoryUnavailable(f"lost the connection to the history store {self.describe()}: "
                                         f"{_database_message(exc)}") from exc
            raise HistoryDataError(f"the history store {self.describe()} refused the data: "
                                   f"{_database_message(exc)}") from exc

    # ------------------------------------------------------------ writing
    def record_snapshot(self, client: str, quarter: str, as_of: date | str, findings: list, grades: list,
                        risks: list, initiatives: list, budget: Any = None, decisions: Any = None, *,
                        vcio_version: str = "") -> int:
        """Replace the (client, quarter) snapshot in one transaction; other quarters are never touched.

        Takes the render context's lists/dicts (findings, grades, risks, initiatives, budget) or the roll-up
        objects. ``decisions`` is the decisions record in force: the dict ``decisions_context`` returned
        (recommended: it carries titles and risk statements forward) or a list of decisions.csv rows.
        Returns the snapshot's id.
        """
        return self.record_snapshots([SnapshotInput(client, quarter, as_of, findings, grades, risks, initiatives,
                                                    budget, decisions, vcio_version=vcio_version)])[0]

    def record_snapshots(self, snapshots: Iterable[SnapshotInput]) -> list[int]:
        """Record several snapshots in one transaction: all of them or, on any error, none.

        Each replaces its (client, quarter) as ``record_snapshot`` would, and a later item for the same
        client and quarter replaces an earlier one. Returns the snapshot ids, in the order given.
        A run records its clients in batches: with a transaction per client (a commit, so fsyncs on SQLite)
        and seven inserts per client, history was the largest part of the driver's work per client.
        """
        prepared = [self._prepare(s) for s in snapshots]
        if not prepared:
            return []
        final = {(p.key, p.quarter): p for p in prepared}  # the last one of a (client, quarter) wins
        with self._write() as conn:
            ids = _replace_snapshots(conn, list(final.values()))
        return [ids[(p.key, p.quarter)] for p in prepared]

    def _prepare(self, item: SnapshotInput) -> _Prepared:
        """Every row of one snapshot, built before the write transaction so it holds the lock briefly."""
        quarter = normalise_quarter(item.quarter)
        day = item.as_of if isinstance(item.as_of, date) else date.fromisoformat(str(item.as_of)[:10])
        if isinstance(day, datetime):
            day = day.date()
        finding_rows = _unique(finding_record(f) for f in item.findings or [])
        finding_rows = {k: v for k, v in finding_rows.items() if k}
        grade_rows = {g["area"]: g for g in (grade_record(g) for g in item.grades or []) if g["area"]}
        risk_rows = {r["risk_id"]: r for r in (risk_record(r) for r in item.risks or []) if r["risk_id"]}
        initiative_rows = {i["initiative_id"]: i for i in (initiative_record(i) for i in item.initiatives or [])
                           if i["initiative_id"]}
        money = budget_record(item.budget)
        decision_rows = self._decision_rows(decision_records(item.decisions), finding_rows, initiative_rows, quarter)
        head = {"client_key": client_key(item.client), "client": " ".join(item.client.split()), "quarter": quarter,
                "as_of": day, "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "vcio_version": item.vcio_version or "", "finding_count": len(finding_rows),
                "budget_next_four": money["next_four"], "budget_one_time": money["one_time"],
                "budget_recurring": money["recurring"], "budget_savings": money["savings"]}
        children = {
            t.findings: list(finding_rows.values()),
            t.grades: list(grade_rows.values()),
            t.risks: list(risk_rows.values()),
            t.initiatives: [_without(row, "finding_ids") for row in initiative_rows.values()],
            t.initiative_findings: [{"initiative_id": iid, "finding_id": fid}
                                    for iid, row in initiative_rows.items() for fid in row["finding_ids"]],
            t.budget: [{"budget_quarter": q, "category": c, "amount": a}
                       for q, c, a in _unique_amounts(money["amounts"])],
            t.decisions: decision_rows,
        }
        return _Prepared(head["client_key"], quarter, head, children)

    @staticmethod
    def _decision_rows(records: list[dict], findings: dict, initiatives: dict, quarter: str) -> list[dict]:
        rows: dict[str, dict] = {}
        for record in records:
            item = record["item_id"]
            kind = record["item_kind"]
            title = record["title"]
            finding_ids = record["finding_ids"]
            if item in initiatives:
                kind = kind or "initiative"
                title = title or initiatives[item]["title"]
                finding_ids = finding_ids or initiatives[item]["finding_ids"]
            elif item in findings:
                kind = kind or "finding"
                title = title or findings[item]["title"]
                finding_ids = finding_ids or [item]
            rows[item] = {  # one row per item: a later row for the same item wins
                "item_id": item, "item_kind": kind or "unknown", "title": title or item,
                "decision": record["decision"], "decided_on": record["decided_on"],
                "decided_by": record["decided_by"], "note": record["note"],
                "revisit_quarter": record["revisit_quarter"] or record["revisit_raw"],
                "risk_of_inaction": record["risk_of_inaction"], "finding_ids": ";".join(finding_ids),
                "completed": record["completed"], "first_quarter": record["first_quarter"] or quarter,
            }
        return list(rows.values())

    # ------------------------------------------------------------ reading
    def clients(self) -> list[str]:
        with self._read() as conn:
            rows = conn.execute(sa.select(t.snapshots.c.client_key, t.snapshots.c.client, t.snapshots.c.quarter)
                                .order_by(t.snapshots.c.quarter)).all()
        names = {k: name for k, name, _q in rows}  # the latest spelling
        return sorted(names.values(), key=str.casefold)

    def resolve_client(self, name: str) -> str:
        """The stored spelling of a client name; HistoryError naming close matches when unknown."""
        known = self.clients()
        by_key = {client_key(n): n for n in known}
        if client_key(name) in by_key:
            return by_key[client_key(name)]
        close = difflib.get_close_matches(client_key(name), list(by_key), n=3, cutoff=0.6)
        hint = (f"; did you mean {', '.join(repr(by_key[c]) for c in close)}?" if close else
                f"; clients in the history: {', '.join(known[:20])}{' ...' if len(known) > 20 else ''}" if known
                else "; the history is empty")
        raise HistoryError(f"no history for client {name!r}{hint}")

    def quarters(self, client: str) -> list[str]:
        """Recorded quarters of a client, oldest first."""
        with self._read() as conn:
            return list(conn.execute(sa.select(t.snapshots.c.quarter)
                                     .where(t.snapshots.c.client_key == client_key(client))
                                     .order_by(t.snapshots.c.quarter)).scalars())

    def previous_quarter(self, client: str, quarter: str) -> str | None:
        """The most recent recorded quarter strictly before ``quarter``."""
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.max(t.snapshots.c.quarter)).where(
                t.snapshots.c.client_key == client_key(client),
                t.snapshots.c.quarter < normalise_quarter(quarter))).scalar_one_or_none()

    def snapshot(self, client: str, quarter: str) -> Snapshot | None:
        with self._read() as conn:
            row = conn.execute(sa.select(t.snapshots.c.id, t.snapshots.c.client, t.snapshots.c.quarter,
                                         t.snapshots.c.as_of).where(
                t.snapshots.c.client_key == client_key(client),
                t.snapshots.c.quarter == normalise_quarter(quarter))).first()
            return _load_snapshot(conn, row) if row else None

    def first_seen(self, client: str, quarter: str) -> dict[str, str]:
        """For each finding of the ``quarter`` snapshot, the quarter its unbroken run of snapshots began."""
        with self._read() as conn:
            return _streak_starts(_finding_sets(conn, client_key(client), upto=normalise_quarter(quarter)))

    def client_view(self, client: str, quarter: str) -> ClientHistory:
        """Everything the changes and decisions of ``quarter`` need from strictly earlier snapshots."""
        quarter = normalise_quarter(quarter)
        key = client_key(client)
        view = ClientHistory(client=client, quarter=quarter)
        with self._read() as conn:
            earlier = conn.execute(sa.select(t.snapshots.c.id, t.snapshots.c.client, t.snapshots.c.quarter,
                                             t.snapshots.c.as_of)
                                   .where(t.snapshots.c.client_key == key, t.snapshots.c.quarter < quarter)
                                   .order_by(t.snapshots.c.quarter)).all()
            if not earlier:
                return view
            view.previous = _load_snapshot(conn, earlier[-1])
            sets = _finding_sets(conn, key, before=quarter)
            view.first_seen = _streak_starts(sets)
            recent = earlier[-(TREND_QUARTERS - 1):]
            view.grade_history = _grade_rows(conn, recent)
            links = conn.execute(sa.select(t.initiative_findings.c.initiative_id, t.initiative_findings.c.finding_id)
                                 .join(t.snapshots, t.snapshots.c.id == t.initiative_findings.c.snapshot_id)
                                 .where(t.snapshots.c.client_key == key, t.snapshots.c.quarter < quarter)).all()
            for iid, fid in links:
                view.initiative_findings.setdefault(iid, set()).add(fid)
            for fid, title, rule, _q in conn.execute(
                    sa.select(t.findings.c.finding_id, t.findings.c.title, t.findings.c.rule, t.snapshots.c.quarter)
                    .join(t.snapshots, t.snapshots.c.id == t.findings.c.snapshot_id)
                    .where(t.snapshots.c.client_key == key, t.snapshots.c.quarter < quarter)
                    .order_by(t.snapshots.c.quarter)):
                view.known_items[fid] = {"kind": "finding", "title": title, "rule": rule}
            for iid, title, kind, _q in conn.execute(
                    sa.select(t.initiatives.c.initiative_id, t.initiatives.c.title, t.initiatives.c.kind,
                              t.snapshots.c.quarter)
                    .join(t.snapshots, t.snapshots.c.id == t.initiatives.c.snapshot_id)
                    .where(t.snapshots.c.client_key == key, t.snapshots.c.quarter < quarter)
                    .order_by(t.snapshots.c.quarter)):
                view.known_items[iid] = {"kind": "initiative", "title": title, "initiative_kind": kind}
        return view

    def history_rows(self, client: str) -> list[dict]:
        """Per recorded quarter, oldest first: as_of, grades, finding counts by severity, budget figures."""
        key = client_key(client)
        with self._read() as conn:
            snaps = conn.execute(sa.select(t.snapshots).where(t.snapshots.c.client_key == key)
                                 .order_by(t.snapshots.c.quarter)).mappings().all()
            ids = [s["id"] for s in snaps]
            grade_rows = conn.execute(sa.select(t.grades.c.snapshot_id, t.grades.c.area, t.grades.c.percent)
                                      .where(t.grades.c.snapshot_id.in_(ids))).all() if ids else []
            severity_rows = conn.execute(
                sa.select(t.findings.c.snapshot_id, t.findings.c.severity, sa.func.count())
                .where(t.findings.c.snapshot_id.in_(ids))
                .group_by(t.findings.c.snapshot_id, t.findings.c.severity)).all() if ids else []
            sets = _finding_sets(conn, key)
        grades_by: dict[int, dict] = {}
        for sid, area, percent in grade_rows:
            grades_by.setdefault(sid, {})[area] = percent
        counts: dict[int, dict] = {}
        for sid, severity, n in severity_rows:
            counts.setdefault(sid, {})[severity] = int(n)
        rows = []
        previous: set[str] | None = None
        by_quarter = dict(sets)
        for snap in snaps:
            ids_now = by_quarter.get(snap["quarter"], set())
            by_severity = counts.get(snap["id"], {})
            rows.append({
                "quarter": snap["quarter"], "as_of": snap["as_of"].isoformat() if snap["as_of"] else "",
                "grades": {a: grades_by.get(snap["id"], {}).get(a) for a in AREAS},
                "findings": sum(by_severity.values()),
                **{s: by_severity.get(s, 0) for s in ("critical", "high", "medium", "low")},
                "new": None if previous is None else len(ids_now - previous),
                "resolved": None if previous is None else len(previous - ids_now),
                "budget_next_four": snap["budget_next_four"], "savings": snap["budget_savings"],
            })
            previous = ids_now
        return rows


def _unique(rows) -> dict[str, dict]:
    result: dict[str, dict] = {}
    for row in rows:
        result.setdefault(row["finding_id"], row)
    return result


def _unique_amounts(amounts: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    merged: dict[tuple[str, str], float] = {}
    for quarter, category, amount in amounts:
        merged[(quarter, category)] = round(merged.get((quarter, category), 0.0) + amount, 2)
    return [(q, c, a) for (q, c), a in merged.items()]


def _without(row: dict, *names: str) -> dict:
    return {k: v for k, v in row.items() if k not in names}


# The same statements for every batch: built once, not per execute.
_INSERTS = {table: sa.insert(table) for table in (t.snapshots, *t.CHILD_TABLES)}
_DELETES = {table: sa.delete(table).where(table.c.snapshot_id.in_(sa.bindparam("ids", expanding=True)))
            for table in t.CHILD_TABLES}
_DELETE_SNAPSHOTS = sa.delete(t.snapshots).where(t.snapshots.c.id.in_(sa.bindparam("ids", expanding=True)))
_SNAPSHOT_IDS = sa.select(t.snapshots.c.client_key, t.snapshots.c.id).where(
    t.snapshots.c.quarter == sa.bindparam("quarter"),
    t.snapshots.c.client_key.in_(sa.bindparam("keys", expanding=True)))
# Bound parameters per statement stay well under SQLite's oldest limit (999 variables).
_IN_CHUNK = 500


def _chunks(items: list, size: int = _IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _snapshot_ids(conn: Connection, quarter: str, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        found.update(conn.execute(_SNAPSHOT_IDS, {"quarter": quarter, "keys": chunk}).all())
    return found


def _replace_snapshots(conn: Connection, batch: list[_Prepared]) -> dict[tuple[str, str], int]:
    """Delete the batch's (client, quarter) snapshots, insert the new ones, return their ids.

    The same number of statements for a batch of 2 clients or 500: executemany for the rows, and the new
    ids read back by (client_key, quarter), which is unique, rather than with dialect-specific RETURNING.
    """
    keys_by_quarter: dict[str, list[str]] = {}
    for item in batch:
        keys_by_quarter.setdefault(item.quarter, []).append(item.key)
    stale = [sid for quarter, keys in keys_by_quarter.items() for sid in _snapshot_ids(conn, quarter, keys).values()]
    for chunk in _chunks(stale):
        for table in t.CHILD_TABLES:
            conn.execute(_DELETES[table], {"ids": chunk})
        conn.execute(_DELETE_SNAPSHOTS, {"ids": chunk})
    _insert(conn, t.snapshots, [item.head for item in batch])
    ids = {(key, quarter): sid for quarter, keys in keys_by_quarter.items()
           for key, sid in _snapshot_ids(conn, quarter, keys).items()}
    for table in batch[0].children:
        _insert(conn, table, [{"snapshot_id": ids[(item.key, item.quarter)], **row}
                              for item in batch for row in item.children[table]])
    return ids


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    if rows:
        conn.execute(_INSERTS[table], rows)


def _finding_sets(conn: Connection, key: str, before: str | None = None,
                  upto: str | None = None) -> list[tuple[str, set[str]]]:
    """(quarter, finding ids) per snapshot of a client, oldest first."""
    query = (sa.select(t.snapshots.c.quarter, t.findings.c.finding_id)
             .select_from(t.snapshots.outerjoin(t.findings, t.findings.c.snapshot_id == t.snapshots.c.id))
             .where(t.snapshots.c.client_key == key))
    if before is not None:
        query = query.where(t.snapshots.c.quarter < before)
    if upto is not None:
        query = query.where(t.snapshots.c.quarter <= upto)
    sets: dict[str, set[str]] = {}
    for quarter, fid in conn.execute(query):
        bucket = sets.setdefault(quarter, set())
        if fid:
            bucket.add(fid)
    return sorted(sets.items())


def _streak_starts(sets: list[tuple[str, set[str]]]) -> dict[str, str]:
    """For each finding of the last snapshot: the first quarter of its unbroken run of snapshots."""
    starts: dict[str, str] = {}
    for quarter, ids in sets:
        starts = {fid: starts.get(fid, quarter) for fid in ids}
    return starts


def _grade_rows(conn: Connection, snaps) -> list[dict]:
    ids = [s.id for s in snaps]
    found: dict[int, dict] = {}
    for sid, area, percent in conn.execute(sa.select(t.grades.c.snapshot_id, t.grades.c.area, t.grades.c.percent)
                                           .where(t.grades.c.snapshot_id.in_(ids))):
        found.setdefault(sid, {})[area] = percent
    return [{"quarter": s.quarter, **{a: found.get(s.id, {}).get(a) for a in AREAS}} for s in snaps]


def _load_snapshot(conn: Connection, row) -> Snapshot:
    sid = row.id
    snap = Snapshot(client=row.client, quarter=row.quarter, as_of=row.as_of)

    def rows(table):
        columns = [c for c in table.c if c.name != "snapshot_id"]
        return conn.execute(sa.select(*columns).where(table.c.snapshot_id == sid)).mappings().all()

    snap.findings = {r["finding_id"]: dict(r) for r in rows(t.findings)}
    snap.grades = {r["area"]: dict(r) for r in rows(t.grades)}
    snap.risks = sorted((dict(r) for r in rows(t.risks)), key=lambda r: (-(r["score"] or 0), r["title"]))
    links: dict[str, list[str]] = {}
    for r in rows(t.initiative_findings):
        links.setdefault(r["initiative_id"], []).append(r["finding_id"])
    snap.initiatives = {r["initiative_id"]: {**dict(r), "finding_ids": sorted(links.get(r["initiative_id"], []))}
                        for r in rows(t.initiatives)}
    amounts = rows(t.budget)
    head = conn.execute(sa.select(t.snapshots.c.budget_next_four, t.snapshots.c.budget_one_time,
                                  t.snapshots.c.budget_recurring, t.snapshots.c.budget_savings)
                        .where(t.snapshots.c.id == sid)).one()
    snap.budget = {"amounts": [(r["budget_quarter"], r["category"], r["amount"]) for r in amounts],
                   "next_four": head[0], "one_time": head[1], "recurring": head[2], "savings": head[3]}
    snap.decisions = {}
    for r in rows(t.decisions):
        record = dict(r)
        record["finding_ids"] = [i for i in (record["finding_ids"] or "").split(";") if i]
        record["revisit_quarter"] = quarter_label(record["revisit_quarter"]) or text(record["revisit_quarter"]) or None
        snap.decisions[record["item_id"]] = record
    return snap
