"""SQL plumbing shared by the store layers: transactions, the sqlite-utils bridge, migrations.

sqlite-utils imports `pysqlite3` when it can and catches that module's exceptions. Over a
`sqlcipher3` connection the exceptions come from `sqlcipher3`, so `alter=True` and friends fail
unless `sqlcipher3` is registered under the name `pysqlite3` before sqlite-utils is imported.
`sqlite_utils_database()` does that once.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlcipher3

from fieldapp.errors import StorageFull, VaultDamaged, VaultLocked, VaultReadOnly

Connection = Any  # sqlcipher3.Connection (untyped extension module)

# Every error class the two DB-API modules can raise, for except clauses over either.
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)


def _register_sqlcipher_as_pysqlite3() -> None:
    if "sqlite_utils" in sys.modules and "pysqlite3" not in sys.modules:
        raise RuntimeError(
            "sqlite_utils was imported before fieldapp.store.db could register sqlcipher3"
        )
    sys.modules.setdefault("pysqlite3", sqlcipher3)
    sys.modules.setdefault("pysqlite3.dbapi2", sqlcipher3.dbapi2)


_register_sqlcipher_as_pysqlite3()

import sqlite_utils  # noqa: E402  (must follow the registration above)


def sqlite_utils_database(conn: Connection) -> sqlite_utils.Database:
    """A sqlite-utils `Database` over an open (already keyed) sqlcipher3 connection."""
    return sqlite_utils.Database(conn)


def is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "full" in text or "disk i/o" in text or getattr(exc, "errno", None) == 28


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back whole on any error.

    A full disk surfaces as `StorageFull` and a corrupt page as `VaultDamaged`; in both cases
    nothing of the transaction is kept. On a vault opened read-only it raises `VaultReadOnly`.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except DatabaseError as exc:
        if is_read_only(conn):
            raise VaultReadOnly() from exc
        if _refused_after_damage(conn, exc):
            raise VaultDamaged() from exc
        raise
    try:
        yield conn
    except BaseException:
        # A connection the vault closed under us (locked) has rolled back already.
        with contextlib.suppress(*DatabaseError):
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except DatabaseError as exc:
        with contextlib.suppress(*DatabaseError):
            conn.execute("ROLLBACK")
        if is_disk_full(exc):
            raise StorageFull() from exc
        raise


def is_read_only(conn: Connection) -> bool:
    """Whether `conn` refuses every write: the vault was opened read-only (`query_only`)."""
    try:
        return bool(conn.execute("PRAGMA query_only").fetchone()[0])
    except DatabaseError:
        return False


def is_closed_connection(exc: BaseException) -> bool:
    """Whether `exc` says its connection was closed: the vault was locked under its user."""
    return isinstance(exc, DatabaseError) and "closed database" in str(exc).lower()


def _refused_after_damage(conn: Connection, exc: BaseException) -> bool:
    """True when a write is refused as "readonly" although the database file can be written.

    SQLCipher hands back a page that fails its HMAC check as zeros, without an error, and puts
    the connection in an error state: a read can pass over a damaged page (an index a query
    consults only in passing) and the damage shows only at the next write, as "attempt to write
    a readonly database". A file that is really read-only is left as it is."""
    if "readonly" not in str(exc).lower():
        return False
    try:
        path = str(conn.execute("PRAGMA database_list").fetchone()[2] or "")
    except DatabaseError:
        return False
    return bool(path) and os.access(path, os.W_OK) and os.access(os.path.dirname(path), os.W_OK)


def translate_db_error(exc: BaseException) -> BaseException:
    """The user-facing error for a low-level database failure (or the error itself)."""
    if isinstance(exc, DatabaseError):
        if is_closed_connection(exc):
            return VaultLocked()
        if is_disk_full(exc):
            return StorageFull()
        text = str(exc).lower()
        damage = ("malformed", "not a database", "corrupt", "vtable constructor failed")
        if any(marker in text for marker in damage):
            return VaultDamaged()
    return exc


def fetch_all(conn: Connection, sql: str, params: Sequence[Any]) -> list[Any]:
    """Every row of one read; a database failure as the error a person is shown."""
    try:
        return list(conn.execute(sql, params).fetchall())
    except DatabaseError as exc:  # a damaged page, for one
        raise translate_db_error(exc) from exc


Migration = Callable[[Connection], None]


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, steps: Sequence[Migration], *, target: int | None = None) -> int:
    """Bring the schema forward, one numbered step per transaction; returns the new version.

    Step N (1-based) moves the schema from version N-1 to N. Forward only: a database newer than
    this program refuses to open rather than being misread.
    """
    target = len(steps) if target is None else target
    current = schema_version(conn)
    if current > len(steps):
        raise VaultDamaged("vault.schema_too_new", version=current)
    for number in range(current + 1, target + 1):
        with transaction(conn):
            steps[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {int(number)}")
    return schema_version(conn)
