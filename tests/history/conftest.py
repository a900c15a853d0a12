"""History fixtures: a store on SQLite (always) and on PostgreSQL (when VCIO_TEST_POSTGRES_URL is set).

VCIO_TEST_POSTGRES_URL is a SQLAlchemy URL of a database the tests may write to, e.g.
postgresql+psycopg://vcio:secret@localhost/vcio_test. Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_URL = os.environ.get("VCIO_TEST_POSTGRES_URL", "").strip()
PG_SKIP = "VCIO_TEST_POSTGRES_URL is not set: the PostgreSQL variant of the history tests is skipped"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """None (= sqlite OUT/history.sqlite under tmp_path) or a PostgreSQL URL bound to a fresh schema."""
    if request.param == "sqlite":
        yield None
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    schema = f"vcio_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_url, tmp_path):
    from pipeline.history import HistoryStore

    opened = HistoryStore.open(store_url, tmp_path)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def budget_insert_fails(monkeypatch):
    """Make every insert into the budget table fail (a full disk mid-snapshot); undo with the returned callable."""
    from pipeline.history import store as store_module

    real_insert = store_module._insert

    def failing(conn, table, rows):
        if table is store_module.t.budget:
            raise RuntimeError("disk full")
        real_insert(conn, table, rows)

    def arm() -> None:
        monkeypatch.setattr(store_module, "_insert", failing)

    def disarm() -> None:
        monkeypatch.setattr(store_module, "_insert", real_insert)

    return arm, disarm
