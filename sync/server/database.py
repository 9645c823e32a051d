"""Engines and migrations for the server database (SQLite file or PostgreSQL).

`make_engine(url)` configures each backend so the storage code can rely on the same guarantees:

- SQLite: WAL (readers never block the writer), `busy_timeout` (several server processes may
  share the file), foreign keys on, `synchronous=FULL` (a committed change survives power loss).
  The driver's own transaction handling is switched off and a connection opened for writing
  starts with `BEGIN IMMEDIATE`, so a writer takes the database write lock up front: no
  read-then-upgrade deadlocks, and writers are serialised, which is what keeps the feed in
  commit order (docs/adr/0004).
- PostgreSQL: READ COMMITTED (the default); ordering comes from the `feed_counter` row lock.

`upgrade_database(url_or_engine)` runs the Alembic migrations to head without an alembic.ini.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
WRITE_OPTION = "fieldapp_write"  # execution option: this connection's transaction writes
SQLITE_BUSY_TIMEOUT_S = 30.0
_MIGRATION_LOCK_KEY = 0x6669656C64617070  # "fieldapp": one migrator at a time on PostgreSQL


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url` with the per-backend settings described above."""
    parsed = make_url(url)
    # Errors never quote statement parameters: they are record content (logs hold none).
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
        connect_args.update(kwargs.pop("connect_args", {}))
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let us issue BEGIN ourselves (pysqlite would otherwise begin lazily, deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations (no ini file)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade_database(url_or_engine: str | Engine, revision: str = "head") -> None:
    """Create or upgrade the server schema to `revision` (forward-only). Safe to call at every
    start: an up-to-date database is left as it is; concurrent callers on PostgreSQL wait for
    each other."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                    )
                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None if never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: on SQLite it takes the write lock up front (BEGIN IMMEDIATE)."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            yield conn


@contextmanager
def reading(engine: Engine, *, snapshot: bool = False) -> Iterator[Connection]:
    """A read-only transaction; `snapshot` makes every statement see the same snapshot on
    PostgreSQL (REPEATABLE READ; SQLite's WAL read transactions always do)."""
    with engine.connect() as conn:
        if snapshot and conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


# PostgreSQL SQLSTATEs worth one more try: serialization failure, deadlock.
_RETRY_SQLSTATES = {"40001", "40P01"}


def is_transient(error: DBAPIError) -> bool:
    """A failure that a fresh transaction may not meet again (lost race, deadlock, busy)."""
    if isinstance(error, IntegrityError):
        return True  # two writers created the same row: the retry sees the winner's row
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _RETRY_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


def retrying(work: Callable[[], T], *, attempts: int = 5) -> T:
    """Run `work` (which opens its own transaction) again after a transient failure."""
    for attempt in range(attempts):
        try:
            return work()
        except DBAPIError as error:
            if attempt == attempts - 1 or not is_transient(error):
                raise
            time.sleep(random.uniform(0, 0.01 * (2**attempt)))  # noqa: S311 - jitter only
    raise AssertionError("unreachable")


def insert_ignoring_duplicates(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT that does nothing if the primary key exists; True if a row was added."""
    if conn.dialect.name == "postgresql":
        statement: Any = pg_insert(table).values(**values).on_conflict_do_nothing()
    else:
        statement = sqlite_insert(table).values(**values).on_conflict_do_nothing()
    return bool(conn.execute(statement).rowcount == 1)
