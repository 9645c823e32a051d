"""Read-backs the server tests need and the server itself does not: straight from the database,
so production classes carry no test-only methods."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from sync.protocol import RecordState
from sync.server import schema as t
from sync.server.accounts import DeviceIdentity
from sync.server.database import reading
from sync.server.feed import conflicts_by_record, files_by_record, record_state


def audit_entries(engine: Engine, limit: int = 100) -> list[dict[str, Any]]:
    """The latest audit entries, newest first."""
    a = t.audit_log
    with reading(engine) as conn:
        rows = conn.execute(select(a).order_by(a.c.id.desc()).limit(limit)).all()
    return [dict(r._mapping) for r in rows]


def head(engine: Engine, identity: DeviceIdentity, record_id: str) -> RecordState | None:
    """One record's head as a pull would show it, if it is in the caller's stations."""
    with reading(engine, snapshot=True) as conn:
        row = conn.execute(
            select(t.records).where(
                t.records.c.id == record_id, t.records.c.station.in_(identity.stations)
            )
        ).first()
        if row is None:
            return None
        files = files_by_record(conn, [(row.id, row.station)]).get(row.id, [])
        return record_state(row, conflicts_by_record(conn, [row.id]).get(row.id, []), files)
