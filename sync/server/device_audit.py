"""The audit trails devices ship: checked, kept, and a device flagged when its chain breaks.

A device's audit log is hash-chained, but whoever holds the vault's password can rewrite it
and recompute every hash. Once entries are here, they cannot be rewritten unnoticed: each upload
must extend the chain the server holds for the device (docs/SYNC.md "Audit trail",
docs/SECURITY.md "The audit trail"):

1. inside the upload, entries follow `base_seq` one by one, each linked to the one before it
   (the first to `base_hash`), and each format-2 hash recomputes from the metadata and the
   details digest; format-1 entries (older vaults) are accepted only before the first format-2
   entry held for the device, since the server cannot recompute them;
2. against what is held: `base_hash` is the hash held at `base_seq`, and entries the server
   holds already (a replay after a lost answer) carry the same hashes.

An upload that extends the chain is stored and acknowledged. One that does not flags the device
(`devices.audit_flagged_at`, `audit_problem`) and writes a server audit entry,
`device_audit_break`. Its entries, if consistent in themselves, start a new segment beside the
old one (which stays as the evidence), so the device keeps syncing and later rewrites are caught
too. An inconsistent upload is kept nowhere and acknowledged no further. The flag stays until an
admin clears it (`fieldapp-server device clear-audit-flag`, audited by the CLI).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from fieldapp.auditchain import FORMAT_DIGEST, FORMAT_LEGACY, GENESIS, entry_hash
from sync.protocol import AuditAck, AuditLink, AuditUpload
from sync.server import schema as t
from sync.server.accounts import DeviceIdentity
from sync.server.database import writing
from sync.server.errors import NotFound
from sync.server.schema import iso

BREAK_ACTION = "device_audit_break"


def upload_problem(upload: AuditUpload) -> str | None:
    """What is wrong inside an upload on its own (None: consistent)."""
    prev_seq, prev_hash, digested = upload.base_seq, upload.base_hash, False
    for link in upload.entries:
        if link.seq != prev_seq + 1:
            return "gap"
        if link.prev_hash != prev_hash:
            return "chain_break"
        if link.format == FORMAT_DIGEST:
            recomputed = entry_hash(
                link.prev_hash,
                link.seq,
                link.at,
                link.actor,
                link.action,
                link.record_id,
                link.outcome,
                link.details_digest,
            )
            if recomputed != link.hash:
                return "hash_mismatch"
            digested = True
        elif digested:
            return "format"
        prev_seq, prev_hash = link.seq, link.hash
    return None


class DeviceAuditTrails:
    """Receives uploads (`receive`) and clears flags (`clear_flag`)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    def receive(self, identity: DeviceIdentity, upload: AuditUpload, where: str) -> AuditAck:
        """Check the upload against the chain held for the device; keep it, or flag the
        device and audit the break (one transaction)."""
        now = iso(self._clock())
        inconsistent = upload_problem(upload)
        with writing(self._engine) as conn:
            device = conn.execute(
                select(t.devices).where(t.devices.c.id == identity.device_id).with_for_update()
            ).one()
            segment, held_seq = device.audit_segment, device.audit_seq
            if inconsistent is not None:
                self._flag(conn, identity, device, inconsistent, upload, where, now)
                return AuditAck(acknowledged_seq=held_seq or 0, server_time=now)
            problem = self._problem_against_held(conn, identity.device_id, device, upload)
            if problem is not None:
                self._flag(conn, identity, device, problem, upload, where, now)
                segment, fresh = segment + 1, list(upload.entries)
            elif held_seq is None:
                segment, fresh = max(segment, 1), list(upload.entries)
            else:
                fresh = [e for e in upload.entries if e.seq > held_seq]
            self._store(conn, identity.device_id, segment, fresh, now)
            if problem is not None or held_seq is None or fresh:
                last = fresh[-1] if fresh else None
                conn.execute(
                    update(t.devices)
                    .where(t.devices.c.id == identity.device_id)
                    .values(
                        audit_segment=segment,
                        audit_seq=last.seq if last else upload.base_seq,
                        audit_hash=last.hash if last else upload.base_hash,
                    )
                )
                held_seq = last.seq if last else upload.base_seq
        return AuditAck(acknowledged_seq=held_seq, server_time=now)

    def _problem_against_held(
        self, conn: Connection, device_id: str, device: Any, upload: AuditUpload
    ) -> str | None:
        """How the upload fails to extend the chain held (None: it extends it)."""
        if device.audit_seq is None:
            legacy = any(e.format == FORMAT_LEGACY for e in upload.entries)
            return "format" if legacy and self._holds_digested(conn, device_id) else None
        if upload.base_seq > device.audit_seq:
            return "gap"  # entries the server never received are missing
        held = self._held_hashes(conn, device_id, device.audit_segment, upload)
        held[device.audit_seq] = device.audit_hash
        if held.get(upload.base_seq) != upload.base_hash:
            return "chain_rewritten"
        for link in upload.entries:
            if link.seq <= device.audit_seq and held.get(link.seq) != link.hash:
                return "chain_rewritten"
        legacy = any(e.format == FORMAT_LEGACY for e in upload.entries if e.seq > device.audit_seq)
        return "format" if legacy and self._holds_digested(conn, device_id) else None

    @staticmethod
    def _held_hashes(
        conn: Connection, device_id: str, segment: int, upload: AuditUpload
    ) -> dict[int, str]:
        """Hashes held in the current segment from `base_seq` on (the segment's first entry
        also gives the hash before it, its anchor)."""
        d = t.device_audit
        rows = conn.execute(
            select(d.c.seq, d.c.prev_hash, d.c.hash).where(
                d.c.device_id == device_id, d.c.segment == segment, d.c.seq >= upload.base_seq
            )
        ).all()
        held: dict[int, str] = {}
        for seq, prev_hash, digest in rows:
            held[seq] = digest
            held.setdefault(seq - 1, prev_hash)
        if upload.base_seq == 0:
            held.setdefault(0, GENESIS)
        return held

    @staticmethod
    def _holds_digested(conn: Connection, device_id: str) -> bool:
        d = t.device_audit
        found = conn.execute(
            select(d.c.id).where(d.c.device_id == device_id, d.c.format == FORMAT_DIGEST).limit(1)
        ).first()
        return found is not None

    @staticmethod
    def _store(
        conn: Connection, device_id: str, segment: int, links: Sequence[AuditLink], now: str
    ) -> None:
        if not links:
            return
        conn.execute(
            insert(t.device_audit),
            [
                {
                    "device_id": device_id,
                    "segment": segment,
                    "seq": link.seq,
                    "at": link.at,
                    "actor": link.actor,
                    "action": link.action,
                    "record_id": link.record_id,
                    "outcome": link.outcome,
                    "format": link.format,
                    "details_digest": link.details_digest,
                    "prev_hash": link.prev_hash,
                    "hash": link.hash,
                    "received_at": now,
                }
                for link in links
            ],
        )

    @staticmethod
    def _flag(
        conn: Connection,
        identity: DeviceIdentity,
        device: Any,
        problem: str,
        upload: AuditUpload,
        where: str,
        now: str,
    ) -> None:
        """Flag the device (the first problem found stays until cleared) and audit the break."""
        if device.audit_flagged_at is None:
            conn.execute(
                update(t.devices)
                .where(t.devices.c.id == identity.device_id)
                .values(audit_flagged_at=now, audit_problem=f"{problem} after {upload.base_seq}")
            )
        conn.execute(
            insert(t.audit_log).values(
                at=now,
                who=identity.who[:120],
                action=BREAK_ACTION,
                where=where[:200],
                outcome=f"{problem} after {upload.base_seq}"[:60],
                record_ids=[],
            )
        )

    def clear_flag(self, device_id: str) -> bool:
        """Clear a device's flag (the entries and segments stay); True if it was flagged."""
        with writing(self._engine) as conn:
            row = conn.execute(
                select(t.devices.c.audit_flagged_at).where(t.devices.c.id == device_id)
            ).first()
            if row is None:
                raise NotFound(f"unknown device {device_id}")
            if row.audit_flagged_at is None:
                return False
            conn.execute(
                update(t.devices)
                .where(t.devices.c.id == device_id)
                .values(audit_flagged_at=None, audit_problem=None)
            )
        return True
