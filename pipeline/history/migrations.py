"""Versioned schema migrations for the history store, without Alembic.

``schema_version`` holds one row per applied migration. ``MIGRATIONS`` is the ordered list of
(version, description, function); ``migrate`` applies, in one transaction each, every migration
newer than the database's version and records it. A migration is frozen once released: change
the schema by appending a new migration, never by editing an old one (the DDL below therefore
builds its own Table objects instead of sharing the query definitions in ``tables.py``).

Portable across SQLite and PostgreSQL: plain SQLAlchemy Core types, no dialect-specific DDL.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import SchemaTooNew

Migration = tuple[int, str, Callable[[Connection], None]]

# An arbitrary constant: PostgreSQL advisory lock id serialising concurrent migrators.
_PG_LOCK_ID = 0x7643_696F  # "vcio"


def _version_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "schema_version", metadata,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.String(40), nullable=False),
    )


def _v1_snapshots(conn: Connection) -> None:
    """Per client and quarter: findings, risks, grades, initiatives (with their findings) and the budget."""
    md = sa.MetaData()
    snapshots = sa.Table(
        "snapshots", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_key", sa.String(300), nullable=False),  # casefolded name: the identity
        sa.Column("client", sa.String(300), nullable=False),  # the name as last written
        sa.Column("quarter", sa.String(7), nullable=False),  # "2026-Q4": sorts as text
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("vcio_version", sa.String(40), nullable=False, server_default=""),
        sa.Column("finding_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("budget_next_four", sa.Float, nullable=True),
        sa.Column("budget_one_time", sa.Float, nullable=True),
        sa.Column("budget_recurring", sa.Float, nullable=True),
        sa.Column("budget_savings", sa.Float, nullable=True),
        sa.UniqueConstraint("client_key", "quarter", name="uq_snapshots_client_quarter"),
    )
    fk = dict(ondelete="CASCADE")
    sa.Table(
        "snapshot_findings", md,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", **fk), primary_key=True),
        sa.Column("finding_id", sa.String(40), primary_key=True),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("subject_kind", sa.String(40), nullable=True),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("estimated_cost", sa.Float, nullable=True),
        sa.Column("cost_kind", sa.String(20), nullable=True),
    )
    sa.Table(
        "snapshot_risks", md,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", **fk), primary_key=True),
        sa.Column("risk_id", sa.String(40), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("category", sa.String(60), nullable=True),
        sa.Column("likelihood", sa.Integer, nullable=True),
        sa.Column("impact", sa.Integer, nullable=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("band", sa.String(20), nullable=True),
        sa.Column("cost_of_inaction", sa.Text, nullable=True),
        sa.Column("finding_count", sa.Integer, nullable=True),
    )
    sa.Table(
        "snapshot_grades", md,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", **fk), primary_key=True),
        sa.Column("area", sa.String(40), primary_key=True),
        sa.Column("label", sa.String(60), nullable=False),
        sa.Column("percent", sa.Float, nullable=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("colour", sa.String(10), nullable=True),
        sa.Column("assessed", sa.Integer, nullable=True),
        sa.Column("affected", sa.Integer, nullable=True),
    )
    sa.Table(
        "snapshot_initiatives", md,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", **fk), primary_key=True),
        sa.Column("initiative_id", sa.String(40), primary_key=True),
        sa.Column("rank", sa.Integer, nullable=True),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("severity", sa.String(20), nullable=True),
        sa.Column("phase", sa.String(40), nullable=True),
        sa.Column("target_quarter", sa.String(7), nullable=True),
        sa.Column("one_time_cost", sa.Float, nullable=True),
        sa.Column("annual_recurring", sa.Float, nullable=True),
        sa.Column("owner", sa.String(200), nullable=True),
    )
    sa.Table(
        "snapshot_initiative_findings", md,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", **fk), primary_key=True),
        sa.Column("initiative_id", sa.String(40), primary_key=True),
        sa.Column("finding_id", sa.String(40), primary_key=True),
    )
    sa.Table(
        "snapshot_budget", md,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", **fk), primary_key=True),
        sa.Column("budget_quarter", sa.String(7), primary_key=True),
        sa.Column("category", sa.String(40), primary_key=True),
        sa.Column("amount", sa.Float, nullable=False),
    )
    sa.Index("ix_snapshots_client_quarter", snapshots.c.client_key, snapshots.c.quarter)
    md.create_all(conn)


def _v2_decisions(conn: Connection) -> None:
    """The decisions record in force at each snapshot, so declined items stay visible in later quarters."""
    md = sa.MetaData()
    sa.Table("snapshots", md, sa.Column("id", sa.Integer, primary_key=True))  # for the foreign key only
    sa.Table(
        "snapshot_decisions", md,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("item_id", sa.String(60), primary_key=True),
        sa.Column("item_kind", sa.String(20), nullable=False),  # initiative | finding | unknown
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),  # accepted | declined | deferred | done
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("revisit_quarter", sa.String(7), nullable=True),
        sa.Column("risk_of_inaction", sa.Text, nullable=True),
        sa.Column("finding_ids", sa.Text, nullable=False, server_default=""),  # ";"-joined, all ever linked
        sa.Column("completed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("first_quarter", sa.String(7), nullable=True),  # quarter the decision was first recorded
    )
    md.create_all(conn, tables=[md.tables["snapshot_decisions"]])


MIGRATIONS: list[Migration] = [
    (1, "snapshots, findings, risks, grades, initiatives, budget", _v1_snapshots),
    (2, "decisions record per snapshot", _v2_decisions),
]
LATEST = MIGRATIONS[-1][0]



def current_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    md = sa.MetaData()
    table = _version_table(md)
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.version), 0))).scalar_one())


def migrate(engine: Engine, migrations: list[Migration] | None = None) -> list[int]:
    """Apply every pending migration in order; return the versions applied (empty when up to date)."""
    migrations = MIGRATIONS if migrations is None else migrations
    versions = [m[0] for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError("migrations must have unique, increasing versions")
    applied: list[int] = []
    md = sa.MetaData()
    version_table = _version_table(md)
    with _transaction(engine) as conn:
        _lock(conn)
        md.create_all(conn, checkfirst=True)
    for version, description, function in migrations:
        with _transaction(engine) as conn:
            _lock(conn)  # a concurrent migrator waits here, then sees the version recorded
            current = current_version(conn)
            if current > versions[-1]:
                raise SchemaTooNew(f"the history database is at schema version {current}, newer than this vcio "
                                   f"supports ({versions[-1]}): upgrade vcio")
            if version <= current:
                continue
            function(conn)
            conn.execute(version_table.insert().values(
                version=version, description=description,
                applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
            applied.append(version)
    return applied


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction (on SQLite the store's engine then starts it with BEGIN IMMEDIATE)."""
    with engine.connect() as conn:
        conn.execution_options(vcio_write=True)
        with conn.begin():
            yield conn


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
    # SQLite: every transaction starts with BEGIN IMMEDIATE (see store.py), which already serialises writers.
