"""The server's storage API: what the FastAPI app and the `fieldapp-server` CLI call.

`ServerStorage` keeps no state between calls (every fact lives in the database), so any number
of server processes may share one database. Each public method is one or more short
transactions; the work is done by the modules it composes:

    accounts.py     stations, users, enrollment codes, devices, token authentication
    push.py         push, one transaction per change, re-validation, three-way merge (merge.py)
    feed.py         feed positions (seq) and pull
    numbers.py      record number blocks
    attachments.py  chunked, resumable, hash-checked files
    device_audit.py the audit trails devices ship, and the flag on a device whose chain breaks

Errors are the typed ones of `sync.server.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select

from fieldapp.forms.definitions import FormRegistry
from fieldapp.forms.reference import AdminReference
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    MAX_PUSH_CHANGES,
    AttachmentAnnounce,
    AttachmentManifest,
    AuditAck,
    AuditUpload,
    DeviceStatus,
    EnrollResponse,
    NumberBlock,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.server import schema as t
from sync.server.accounts import (
    Accounts,
    DeviceIdentity,
    DeviceInfo,
    StationInfo,
    UserInfo,
)
from sync.server.attachments import Attachments
from sync.server.database import reading, writing
from sync.server.device_audit import DeviceAuditTrails
from sync.server.errors import BadRequest, TooLarge
from sync.server.feed import FeedSequencer, count_heads, read_heads
from sync.server.numbers import NumberBlocks
from sync.server.push import PushApplier
from sync.server.schema import iso

__all__ = [
    "ConflictInfo",
    "DeviceIdentity",
    "DeviceInfo",
    "RejectionInfo",
    "ServerStorage",
    "StationInfo",
    "UserInfo",
    "utcnow",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ConflictInfo:
    """An open conflict, for the clerk's queue: `values` are `protocol.ConflictValue`s as JSON
    (value, change_id, username, rev), the head's value first."""

    id: int
    record_id: str
    station: str
    field: str
    base: Any
    values: list[dict[str, Any]]
    status: str
    created_at: str


@dataclass(frozen=True)
class RejectionInfo:
    """A refused change, kept for the clerk."""

    change_id: str
    record_id: str
    station: str | None
    device_id: str
    username: str
    reason: str
    problems: list[dict[str, Any]]
    change: dict[str, Any]
    at: str


class ServerStorage:
    def __init__(
        self,
        engine: Engine,
        *,
        forms: FormRegistry,
        reference: AdminReference,
        clock: Callable[[], datetime] = utcnow,
        sequencer: FeedSequencer | None = None,
    ) -> None:
        """`sequencer` hands out feed positions (the default is the only correct one; the
        feed-ordering tests pass a naive one to show that their harness catches skips)."""
        self.engine = engine
        self._clock = clock
        self._accounts = Accounts(engine, reference, clock)
        sequencer = sequencer or FeedSequencer()
        self._push = PushApplier(engine, forms, reference, clock, sequencer)
        self._numbers = NumberBlocks(engine, clock)
        self._attachments = Attachments(engine, clock, sequencer)
        self._audit_trails = DeviceAuditTrails(engine, clock)

    def server_time(self) -> str:
        return iso(self._clock())

    # --- administration -------------------------------------------------------------------

    def add_station(self, code: str, name: str, governorate: str, district: str) -> None:
        self._accounts.add_station(code, name, governorate, district)

    def stations(self) -> list[StationInfo]:
        return self._accounts.stations()

    def add_user(
        self, username: str, role: str, station: str | None, stations: Sequence[str] | None = None
    ) -> None:
        self._accounts.add_user(username, role, station, stations)

    def users(self) -> list[UserInfo]:
        return self._accounts.users()

    def set_user_disabled(self, username: str, disabled: bool = True) -> None:
        self._accounts.set_user_disabled(username, disabled)

    def create_enroll_code(self, username: str, *, ttl: timedelta = timedelta(hours=24)) -> str:
        return self._accounts.create_enroll_code(username, ttl=ttl)

    def enroll(self, code: str, device_name: str) -> EnrollResponse:
        return self._accounts.enroll(code, device_name)

    def authenticate(self, device_id: str | None, token: str) -> DeviceIdentity:
        return self._accounts.authenticate(device_id, token)

    def device_status(self, identity: DeviceIdentity) -> DeviceStatus:
        return DeviceStatus(
            device_id=identity.device_id,
            username=identity.username,
            role=identity.role,  # type: ignore[arg-type]  # checked by add_user
            station=identity.station,
            revoked=False,  # a revoked device never gets an identity
            server_time=self.server_time(),
        )

    def list_devices(self, username: str | None = None) -> list[DeviceInfo]:
        return self._accounts.devices(username)

    def revoke_device(self, device_id: str) -> None:
        self._accounts.revoke_device(device_id)

    def clear_audit_flag(self, device_id: str) -> bool:
        """Clear the flag of a device whose audit chain broke (its entries stay); True if it
        was flagged. The caller audits it."""
        return self._audit_trails.clear_flag(device_id)

    # --- sync -----------------------------------------------------------------------------

    def push(self, identity: DeviceIdentity, request: PushRequest) -> PushResponse:
        """Apply the batch in order, each change in its own transaction; one result each."""
        if len(request.changes) > MAX_PUSH_CHANGES:
            raise TooLarge(f"at most {MAX_PUSH_CHANGES} changes a batch")
        results = [self._push.apply(identity, change) for change in request.changes]
        return PushResponse(results=results, server_time=self.server_time())

    def pull(
        self, identity: DeviceIdentity, since: int, limit: int = DEFAULT_PULL_LIMIT
    ) -> PullResponse:
        """Heads of the caller's stations with seq > `since`, in seq order (never skipping)."""
        if since < 0:
            raise BadRequest("bad_cursor", "since must be >= 0")
        limit = max(1, min(limit, MAX_PULL_LIMIT))
        with reading(self.engine, snapshot=True) as conn:
            records, more = read_heads(conn, identity.stations, since, limit)
        cursor = records[-1].seq if records else since
        return PullResponse(
            records=records, next_cursor=cursor, more=more, server_time=self.server_time()
        )

    def receive_audit(self, identity: DeviceIdentity, upload: AuditUpload, where: str) -> AuditAck:
        """Keep the device's audit entries if they extend the chain held for it; otherwise flag
        the device and audit the break (`where`: the client's address)."""
        return self._audit_trails.receive(identity, upload, where)

    def reserve_numbers(self, identity: DeviceIdentity, year: int, count: int) -> NumberBlock:
        return self._numbers.reserve(identity, year, count)

    # --- the clerk's queues and counts ----------------------------------------------------

    def conflicts(self, station: str | None = None) -> list[ConflictInfo]:
        c, r = t.conflicts, t.records
        query = (
            select(c, r.c.station)
            .join(r, r.c.id == c.c.record_id)
            .where(c.c.status == "open")
            .order_by(c.c.id)
        )
        if station is not None:
            query = query.where(r.c.station == station)
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return [
            ConflictInfo(
                row.id,
                row.record_id,
                row.station,
                row.field,
                row.base,
                list(row._mapping["values"]),
                row.status,
                row.created_at,
            )
            for row in rows
        ]

    def rejections(self, station: str | None = None) -> list[RejectionInfo]:
        j = t.rejections
        query = select(j).order_by(j.c.id)
        if station is not None:
            query = query.where(j.c.station == station)
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return [
            RejectionInfo(
                r.change_id,
                r.record_id,
                r.station,
                r.device_id,
                r.username,
                r.reason,
                list(r.problems),
                dict(r.change),
                r.at,
            )
            for r in rows
        ]

    def records_count(self, station: str | None = None, *, include_deleted: bool = False) -> int:
        with reading(self.engine) as conn:
            return count_heads(conn, station, include_deleted=include_deleted)

    # --- attachments ----------------------------------------------------------------------

    def announce_attachment(
        self,
        identity: DeviceIdentity,
        sha256: str,
        announce: AttachmentAnnounce,
        *,
        quota_bytes: int | None = None,
    ) -> AttachmentManifest:
        return self._attachments.announce(identity, sha256, announce, quota_bytes=quota_bytes)

    def put_attachment_chunk(
        self, identity: DeviceIdentity, sha256: str, index: int, data: bytes
    ) -> tuple[AttachmentManifest, str]:
        """Store one chunk (idempotent); the manifest after it, and the file's record id."""
        return self._attachments.put_chunk(identity, sha256, index, data)

    def attachment_manifest(
        self, identity: DeviceIdentity, sha256: str
    ) -> tuple[AttachmentManifest, str]:
        """The manifest of a file of the caller's stations, and its record id."""
        return self._attachments.manifest(identity, sha256)

    def get_attachment_chunk(
        self, identity: DeviceIdentity, sha256: str, index: int
    ) -> tuple[bytes, str]:
        """Chunk `index` of a complete file of the caller's stations, and its record id."""
        return self._attachments.get_chunk(identity, sha256, index)

    # --- audit ----------------------------------------------------------------------------

    def audit(
        self,
        *,
        who: str,
        action: str,
        where: str,
        outcome: str,
        record_ids: Sequence[str] = (),
    ) -> None:
        """Append one AU-3 entry (who, what, when = now, where, outcome, which records)."""
        with writing(self.engine) as conn:
            conn.execute(
                insert(t.audit_log).values(
                    at=iso(self._clock()),
                    who=who[:120],
                    action=action[:60],
                    where=where[:200],
                    outcome=outcome[:60],
                    record_ids=list(record_ids)[:1000],
                )
            )
