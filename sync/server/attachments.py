"""Attachments: content-addressed (SHA-256), stored per station in chunks, resumable.

A device announces a file (size, record), uploads the chunks the manifest lists as missing
(each upload idempotent), and the server checks the SHA-256 when the last chunk arrives: a
mismatch discards the chunks so the upload starts over. The device picks the chunk size
(8-64 KiB) at the first announce, to suit its link. Files are keyed by (station, sha256):
a station can neither read nor learn of another station's files.

Each announce links the file to its record (`record_files`; one file may serve several
records). When a file becomes complete, or a complete file is linked to another record, the
records concerned move to a new feed position (same revision), so every device pulls their
heads again, now listing the file, and downloads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update

from sync.protocol import AttachmentAnnounce, AttachmentManifest
from sync.server import schema as t
from sync.server.accounts import DeviceIdentity
from sync.server.database import insert_ignoring_duplicates, reading, writing
from sync.server.errors import BadRequest, Forbidden, NotFound, QuotaExceeded
from sync.server.feed import FeedSequencer
from sync.server.schema import iso

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


class Attachments:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime], sequencer: FeedSequencer
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._sequencer = sequencer

    def announce(
        self,
        identity: DeviceIdentity,
        sha256: str,
        announce: AttachmentAnnounce,
        *,
        quota_bytes: int | None = None,
    ) -> AttachmentManifest:
        """Register a file the device is about to upload (idempotent); its manifest.

        A new file that would take the files this device announced past `quota_bytes` (their
        sizes added up) is refused with `QuotaExceeded`; one the station already has costs
        nothing, so linking it to another record always works."""
        _check_sha(sha256)
        if not identity.can_write:
            raise Forbidden("this role does not upload")
        a = t.attachments
        with writing(self._engine) as conn:
            owner = conn.scalar(
                select(t.records.c.station).where(t.records.c.id == announce.record_id)
            )
            if owner is not None and owner != identity.station:
                raise Forbidden("the record belongs to another station")
            row = _find(conn, [identity.station], sha256)
            if row is not None:
                if row.size != announce.size:
                    raise BadRequest("size_mismatch", "announced with another size before")
                if self._link(conn, identity.station, sha256, announce) and row.complete:
                    self._refeed(conn, identity.station, [announce.record_id])
                return _manifest(conn, row)
            if quota_bytes is not None:
                used = conn.scalar(
                    select(func.coalesce(func.sum(a.c.size), 0)).where(
                        a.c.device_id == identity.device_id
                    )
                )
                if int(used or 0) + announce.size > quota_bytes:
                    raise QuotaExceeded(quota_bytes, int(used or 0))
            chunk_size = announce.chunk_size
            if chunk_size & (chunk_size - 1):
                raise BadRequest("bad_chunk_size", "chunk_size must be a power of two")
            chunks = -(-announce.size // chunk_size)
            empty = announce.size == 0
            if empty and sha256 != EMPTY_SHA256:
                raise BadRequest("hash_mismatch", "an empty file has another SHA-256")
            now = iso(self._clock())
            conn.execute(
                insert(a).values(
                    station=identity.station,
                    sha256=sha256,
                    size=announce.size,
                    chunk_size=chunk_size,
                    chunks=chunks,
                    record_id=announce.record_id,
                    name=announce.name,
                    mime=announce.mime,
                    complete=empty,
                    device_id=identity.device_id,
                    created_at=now,
                    completed_at=now if empty else None,
                )
            )
            self._link(conn, identity.station, sha256, announce)
            if empty:
                self._refeed(conn, identity.station, [announce.record_id])
            return _manifest(conn, _require(conn, [identity.station], sha256))

    def _link(
        self, conn: Connection, station: str, sha256: str, announce: AttachmentAnnounce
    ) -> bool:
        """Link the file to the announced record; False if it was linked already."""
        return insert_ignoring_duplicates(
            conn,
            t.record_files,
            {
                "record_id": announce.record_id,
                "sha256": sha256,
                "station": station,
                "name": announce.name,
                "mime": announce.mime,
                "created_at": iso(self._clock()),
            },
        )

    def _refeed(self, conn: Connection, station: str, record_ids: list[str]) -> None:
        """Give each existing record of `station` among `record_ids` a new feed position.
        Called last in the writing transaction (the counter lock is then held to commit)."""
        r = t.records
        existing = conn.scalars(
            select(r.c.id).where(r.c.id.in_(record_ids), r.c.station == station).order_by(r.c.id)
        ).all()
        for record_id in existing:
            seq = self._sequencer.at_end(conn, self._sequencer.at_start(conn))
            conn.execute(update(r).where(r.c.id == record_id).values(seq=seq))

    def put_chunk(
        self, identity: DeviceIdentity, sha256: str, index: int, data: bytes
    ) -> tuple[AttachmentManifest, str]:
        """Store chunk `index` (again: no harm). After the last one the file's SHA-256 is
        checked: on a mismatch every chunk is dropped and `BadRequest(hash_mismatch)` raised."""
        _check_sha(sha256)
        if not identity.can_write:
            raise Forbidden("this role does not upload")
        with writing(self._engine) as conn:
            row = _require(conn, [identity.station], sha256)
            if not 0 <= index < row.chunks:
                raise BadRequest("bad_chunk_index", f"chunk index must be 0..{row.chunks - 1}")
            expected = min(row.chunk_size, row.size - index * row.chunk_size)
            if len(data) != expected:
                raise BadRequest("bad_chunk_size", f"chunk {index} must be {expected} bytes")
            if not row.complete:
                insert_ignoring_duplicates(
                    conn,
                    t.attachment_chunks,
                    {"station": identity.station, "sha256": sha256, "idx": index, "data": data},
                )
            manifest = _manifest(conn, row)
        if manifest.complete or manifest.missing:
            return manifest, row.record_id
        return self._verify(identity.station, sha256), row.record_id

    def _verify(self, station: str, sha256: str) -> AttachmentManifest:
        a, c = t.attachments, t.attachment_chunks
        key = (a.c.station == station) & (a.c.sha256 == sha256)
        with writing(self._engine) as conn:
            row = conn.execute(select(a).where(key).with_for_update()).one()
            if row.complete:
                return _manifest(conn, row)
            digest = hashlib.sha256()
            for index in range(row.chunks):  # one chunk in memory at a time
                digest.update(
                    conn.execute(
                        select(c.c.data).where(
                            c.c.station == station, c.c.sha256 == sha256, c.c.idx == index
                        )
                    ).scalar_one()
                )
            if digest.hexdigest() == sha256:
                conn.execute(
                    update(a).where(key).values(complete=True, completed_at=iso(self._clock()))
                )
                linked = t.record_files
                record_ids = conn.scalars(
                    select(linked.c.record_id).where(
                        linked.c.station == station, linked.c.sha256 == sha256
                    )
                ).all()
                manifest = _manifest(conn, conn.execute(select(a).where(key)).one())
                self._refeed(conn, station, list(record_ids))
                return manifest
            conn.execute(delete(c).where(c.c.station == station, c.c.sha256 == sha256))
            manifest = _manifest(conn, row)
        raise BadRequest(
            "hash_mismatch",
            "the chunks do not add up to this SHA-256; upload them again",
            {"manifest": manifest.model_dump(mode="json")},
        )

    def manifest(self, identity: DeviceIdentity, sha256: str) -> tuple[AttachmentManifest, str]:
        """The manifest of a file of one of the caller's stations, and its record id."""
        _check_sha(sha256)
        with reading(self._engine) as conn:
            row = _require(conn, identity.stations, sha256)
            return _manifest(conn, row), row.record_id

    def get_chunk(self, identity: DeviceIdentity, sha256: str, index: int) -> tuple[bytes, str]:
        """Chunk `index` of a complete file of one of the caller's stations."""
        _check_sha(sha256)
        c = t.attachment_chunks
        with reading(self._engine) as conn:
            row = _require(conn, identity.stations, sha256)
            if not row.complete:
                raise NotFound("the upload of this file is not complete")
            data = conn.scalar(
                select(c.c.data).where(
                    c.c.station == row.station, c.c.sha256 == sha256, c.c.idx == index
                )
            )
        if data is None:
            raise NotFound(f"no chunk {index}")
        return bytes(data), row.record_id


def _check_sha(sha256: str) -> None:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise BadRequest("bad_sha256", "not a lower-case hex SHA-256")


def _find(conn: Connection, stations: Any, sha256: str) -> Row[Any] | None:
    a = t.attachments
    return conn.execute(
        select(a).where(a.c.sha256 == sha256, a.c.station.in_(list(stations))).order_by(a.c.station)
    ).first()


def _require(conn: Connection, stations: Any, sha256: str) -> Row[Any]:
    row = _find(conn, stations, sha256)
    if row is None:
        raise NotFound("unknown attachment")
    return row


def _manifest(conn: Connection, row: Row[Any]) -> AttachmentManifest:
    c = t.attachment_chunks
    have = set(
        conn.scalars(select(c.c.idx).where(c.c.station == row.station, c.c.sha256 == row.sha256))
    )
    missing = [] if row.complete else [i for i in range(row.chunks) if i not in have]
    return AttachmentManifest(
        sha256=row.sha256,
        size=row.size,
        chunk_size=row.chunk_size,
        chunks=row.chunks,
        missing=missing,
        complete=bool(row.complete),
    )
