"""Alembic environment for the server database.

Run programmatically by `sync.server.database.upgrade_database`, which hands over an open
connection in `config.attributes["connection"]`; no alembic.ini is needed at runtime.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from sync.server.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Fallback for the `alembic` command line with a URL in the config.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported")
run_migrations_online()
