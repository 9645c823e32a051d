"""The feed: positions (`seq`) for changed heads, and the pull that reads them in order.

Why pull never skips (DESIGN.md invariant 4, docs/adr/0004): a writing transaction takes its
`seq` from the single `feed_counter` row with `UPDATE ... RETURNING` at its very end, after all
its checks and merge work. The row lock is held until commit, so the next writer can only get
the next seq after this one has committed: commit order == seq order. A reader's snapshot
therefore holds a prefix of the seq order, and "everything above my cursor" can never later
gain a smaller seq. On SQLite every writer holds the database write lock from BEGIN IMMEDIATE
to commit, which gives the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from sqlalchemy import Connection, Row, func, select, update

from sync.protocol import (
    MAX_RECORD_FILES,
    AttachmentRef,
    ConflictValue,
    FieldConflict,
    RecordState,
)
from sync.server import schema as t
from sync.server.merge import DELETED


class FeedSequencer:
    """Hands out feed positions to writing transactions.

    The storage calls `at_start` first thing in every writing transaction of a change and
    `at_end` last, passing back what `at_start` returned. Production uses this class as it
    is; the hooks exist so the concurrency test can inject a deliberately broken strategy and
    prove that it would catch a skip.
    """

    def at_start(self, conn: Connection) -> int | None:
        return None

    def at_end(self, conn: Connection, reserved: int | None) -> int:
        counter = t.feed_counter
        return int(
            conn.execute(
                update(counter)
                .where(counter.c.id == 1)
                .values(seq=counter.c.seq + 1)
                .returning(counter.c.seq)
            ).scalar_one()
        )


def read_heads(
    conn: Connection, stations: Sequence[str], since: int, limit: int
) -> tuple[list[RecordState], bool]:
    """Heads of `stations` with seq > `since`, in seq order, at most `limit`; and whether
    more follow."""
    rows = conn.execute(
        select(t.records)
        .where(t.records.c.station.in_(stations), t.records.c.seq > since)
        .order_by(t.records.c.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    open_conflicts = conflicts_by_record(conn, [r.id for r in rows if r.conflict])
    files = files_by_record(conn, [(r.id, r.station) for r in rows])
    makers = head_makers(conn, [r.id for r in rows])
    return [
        record_state(r, open_conflicts.get(r.id, []), files.get(r.id, []), makers.get(r.id))
        for r in rows
    ], more


_STATUSES: dict[str, Literal["applied", "merged", "conflict"]] = {
    "applied": "applied",
    "merged": "merged",
    "conflict": "conflict",
}


Maker = tuple[str, str, str, str | None]
"""Who made a head revision: username, device id, status, the device's name."""


def head_makers(conn: Connection, record_ids: list[str]) -> dict[str, Maker]:
    """Who made each record's head revision, on which device (id and name), with what status."""
    if not record_ids:
        return {}
    rv = t.revisions
    rows = conn.execute(
        select(rv.c.record_id, rv.c.username, rv.c.device_id, rv.c.status, t.devices.c.name)
        .join(t.records, (t.records.c.id == rv.c.record_id) & (t.records.c.rev == rv.c.rev))
        .outerjoin(t.devices, t.devices.c.id == rv.c.device_id)
        .where(rv.c.record_id.in_(record_ids))
    ).all()
    return {row.record_id: (row.username, row.device_id, row.status, row.name) for row in rows}


def record_state(
    row: Row[Any],
    conflicts: list[FieldConflict],
    files: Sequence[Row[Any]] = (),
    maker: Maker | None = None,
) -> RecordState:
    return RecordState(
        record_id=row.id,
        record_type=row.type,
        form_version=row.form_version,
        station=row.station,
        number=row.number,
        rev=row.rev,
        seq=row.seq,
        deleted=row.deleted,
        fields=dict(row.fields),
        created_by=row.created_by,
        updated_at=row.updated_at,
        conflicts=conflicts,
        changed_by=maker[0] if maker is not None else None,
        changed_on=maker[1] if maker is not None else None,
        changed_on_name=maker[3] if maker is not None else None,
        change_status=_STATUSES.get(maker[2]) if maker is not None else None,
        attachments=[
            AttachmentRef(
                sha256=f.sha256, size=f.size, chunk_size=f.chunk_size, name=f.name, mime=f.mime
            )
            for f in files[:MAX_RECORD_FILES]
        ],
    )


def files_by_record(conn: Connection, records: list[tuple[str, str]]) -> dict[str, list[Any]]:
    """The complete files of each (record id, station), as rows of record_files + size."""
    if not records:
        return {}
    f, a = t.record_files, t.attachments
    rows = conn.execute(
        select(f.c.record_id, f.c.station, f.c.sha256, f.c.name, f.c.mime, a.c.size, a.c.chunk_size)
        .join(a, (a.c.station == f.c.station) & (a.c.sha256 == f.c.sha256))
        .where(f.c.record_id.in_([record_id for record_id, _ in records]), a.c.complete.is_(True))
        .order_by(f.c.record_id, f.c.created_at, f.c.sha256)
    ).all()
    stations = dict(records)
    found: dict[str, list[Any]] = {}
    for row in rows:
        if stations.get(row.record_id) == row.station:
            found.setdefault(row.record_id, []).append(row)
    return found


def conflicts_by_record(
    conn: Connection, record_ids: Iterable[str]
) -> dict[str, list[FieldConflict]]:
    """The open conflicts of each record, oldest first."""
    ids = list(record_ids)
    if not ids:
        return {}
    rows = conn.execute(
        select(t.conflicts)
        .where(t.conflicts.c.record_id.in_(ids), t.conflicts.c.status == "open")
        .order_by(t.conflicts.c.id)
    ).all()
    found: dict[str, list[FieldConflict]] = {}
    for row in rows:
        found.setdefault(row.record_id, []).append(
            field_conflict(row.field, row.base, row._mapping["values"])
        )
    return found


def field_conflict(field: str, base: Any, values: list[dict[str, Any]]) -> FieldConflict:
    entries = [ConflictValue.model_validate(v) for v in values]
    if field == DELETED:
        # `_deleted` is not a form key, and protocol.Key refuses a leading underscore; until
        # the protocol admits it, build this one message without the pattern check.
        return FieldConflict.model_construct(field=field, base=base, values=entries)
    return FieldConflict(field=field, base=base, values=entries)


def count_heads(conn: Connection, station: str | None, *, include_deleted: bool = False) -> int:
    query = select(func.count()).select_from(t.records)
    if station is not None:
        query = query.where(t.records.c.station == station)
    if not include_deleted:
        query = query.where(t.records.c.deleted.is_(False))
    return int(conn.execute(query).scalar_one())
