"""The device's side of sync, over the store's connection: what to push, what the server said,
what was pulled, and who this device is (docs/SYNC.md, DESIGN.md section 5).

This is core code: it speaks plain values (the dataclasses below), never HTTP or the wire
models; `sync.client.engine` converts between the two. Every method that writes is one transaction:

- `outbox_batch` marks the changes it hands out as attempted before they are sent, so a later
  local edit of the same record queues a follow-up change (chained by `prev_change_id`) instead
  of rewriting one that may already be on the server;
- `apply_results` removes a change from the outbox only when the server's result for it is in
  hand (invariant 1); a rejected change is kept, with its reason and problems (invariant 5);
- `apply_pull` writes one page of server heads and the cursor after it together, and never
  overwrites a record that has a change waiting to be pushed (invariant 9).

The device token lives in `sync_state`, which is inside the encrypted database: like everything
else in the vault it is unreadable without the officer's password and gone after a wipe.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from fieldapp.auditchain import GENESIS
from fieldapp.errors import UserFacingError
from fieldapp.forms.validation import validate
from fieldapp.store.audit import ChainLink
from fieldapp.store.db import DatabaseError, transaction, translate_db_error
from fieldapp.store.numbers import is_provisional
from fieldapp.store.records import IDENTITY_STATION, IDENTITY_USER, PendingChange
from fieldapp.store.store import Store

# Keys in sync_state (the identity keys, shared with fieldapp.session, are in records).
DEVICE_ID = "sync.device_id"
SERVER_URL = "sync.server_url"
TOKEN = "sync.token"  # noqa: S105 (the name of the setting, not a secret)
ROLE = "sync.role"
STATION_NAME = "sync.station_name"
ENROLLED_AT = "sync.enrolled_at"
PULL_CURSOR = "sync.pull_cursor"
LAST_SYNC = "sync.last_sync"
AUDIT_ACKED = "sync.audit_acked"  # the last audit entry the server acknowledged

ACCEPTED = frozenset({"applied", "merged", "conflict"})
# A pulled record the local validator refuses is kept as the server has it (dropping it would
# hide the station's data) and carries this flag, so a person sees it needs a clerk's correction.
PULLED_INVALID_FLAG = "invalid_from_server"
SERVER_AUTHOR = "server"


@dataclass(frozen=True)
class ChangeOutcome:
    """The server's answer for one pushed change (`sync.protocol.ChangeResult`, as values)."""

    change_id: str
    record_id: str
    status: str  # applied | merged | conflict | rejected
    rev: int | None = None
    reason: str | None = None
    problems: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class ServerHead:
    """The server's current state of one record (`sync.protocol.RecordState`, as values)."""

    record_id: str
    record_type: str
    form_version: int
    station: str
    rev: int
    seq: int
    deleted: bool
    fields: Mapping[str, Any]
    created_by: str
    updated_at: str
    number: str | None = None
    conflicts: tuple[Mapping[str, Any], ...] = ()
    attachments: tuple[FileRef, ...] = ()
    changed_by: str | None = None
    changed_on: str | None = None
    change_status: str | None = None
    changed_on_name: str | None = None


@dataclass(frozen=True)
class FileRef:
    """A file of a record that the server holds completely (`sync.protocol.AttachmentRef`)."""

    sha256: str
    size: int
    chunk_size: int
    name: str
    mime: str


@dataclass(frozen=True)
class SyncIdentity:
    """Who this device is to the server. The token never appears in `repr`."""

    device_id: str
    server_url: str
    username: str
    station: str
    role: str
    station_name: str
    token: str = field(repr=False)


@dataclass(frozen=True)
class RejectedChange:
    """A change the server refused, kept on the device for the officer to see."""

    change_id: str
    record_id: str
    record_type: str
    op: str
    created_at: str
    reason: str | None
    problems: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class ResultTally:
    """What one batch of results did to the outbox."""

    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0

    @property
    def accepted(self) -> int:
        return self.applied + self.merged + self.conflicts

    @property
    def settled(self) -> int:
        return self.accepted + self.rejected


@dataclass(frozen=True)
class AttachmentToSend:
    record_id: str
    sha256: str
    name: str
    mime: str
    size: int
    chunk_size: int


@dataclass(frozen=True)
class AttachmentToFetch:
    """A file listed by the server that is not (wholly) on this device yet."""

    sha256: str
    size: int
    missing: tuple[int, ...]


@dataclass(frozen=True)
class AuditShipment:
    """Audit entries to ship: those after `base_seq` (the last one the server acknowledged),
    with this device's hash of entry `base_seq` (the server checks that it is the one it holds)."""

    base_seq: int
    base_hash: str
    links: tuple[ChainLink, ...]


@dataclass(frozen=True)
class SyncCounts:
    pending: int
    rejected: int
    conflicts: int


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Replica:
    """Sync bookkeeping of one unlocked store. Not thread-safe: one thread uses it, over a
    connection of its own (`fieldapp.session.Session.open_for_sync`)."""

    def __init__(self, store: Store, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self._store = store
        self._conn = store.connection
        self._clock = clock

    @property
    def store(self) -> Store:
        return self._store

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            with transaction(self._conn):
                yield
        except DatabaseError as exc:
            raise translate_db_error(exc) from exc

    def _set(self, key: str, value: str) -> None:
        """Write one sync_state value inside the caller's transaction."""
        self._conn.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- identity ----------------------------------------------------------------------------

    def identity(self) -> SyncIdentity | None:
        """The enrollment this device holds, or None before enrollment."""
        get = self._store.get_state
        device_id, url, token = get(DEVICE_ID), get(SERVER_URL), get(TOKEN)
        if not (device_id and url and token):
            return None
        return SyncIdentity(
            device_id=device_id,
            server_url=url,
            username=get(IDENTITY_USER) or "",
            station=get(IDENTITY_STATION) or "",
            role=get(ROLE) or "",
            station_name=get(STATION_NAME) or "",
            token=token,
        )

    def set_identity(self, identity: SyncIdentity) -> None:
        """Keep the enrollment (token included) in the vault, all at once.

        Records made before enrollment belong to no station yet, or to the one typed when the
        vault was made (perhaps mistyped); none of them has reached a server, so they all join
        the enrolled station, which is where the server will file and number them.
        """
        with self._transaction():
            self._set(DEVICE_ID, identity.device_id)
            self._set(SERVER_URL, identity.server_url)
            self._set(TOKEN, identity.token)
            self._set(IDENTITY_USER, identity.username)
            self._set(IDENTITY_STATION, identity.station)
            self._set(ROLE, identity.role)
            self._set(STATION_NAME, identity.station_name)
            self._set(ENROLLED_AT, self._clock().isoformat(timespec="seconds"))
            self._set(AUDIT_ACKED, "0")  # a new enrollment is a new chain on the server: all of it
            self._conn.execute(
                "UPDATE records SET station_id = ? WHERE rev = 0"
                " AND (station_id IS NULL OR station_id != ?)",
                (identity.station, identity.station),
            )
            self._store.audit.append(
                identity.username,
                "sync",
                details={"event": "enrolled", "device_id": identity.device_id},
            )
        self._store.actor = identity.username
        self._store.station_id = identity.station

    # --- push --------------------------------------------------------------------------------

    def outbox_batch(self, limit: int) -> list[PendingChange]:
        """The oldest pending changes, marked as attempted before they leave the device."""
        with self._transaction():
            batch = self._store.pending_changes(limit=max(1, int(limit)))
            self._conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?",
                [(change.seq,) for change in batch],
            )
        return [replace(change, attempts=change.attempts + 1) for change in batch]

    def record_numbers(self, record_ids: Sequence[str]) -> dict[str, str | None]:
        """The current number of each record (a number may arrive after the change was made);
        None for a provisional one, which only this device knows (the server refuses it)."""
        numbers: dict[str, str | None] = {}
        for record_id in record_ids:
            row = self._conn.execute(
                "SELECT number FROM records WHERE id = ?", (record_id,)
            ).fetchone()
            number = None if row is None else row[0]
            numbers[record_id] = None if is_provisional(number) else number
        return numbers

    def apply_results(self, results: Sequence[ChangeOutcome]) -> ResultTally:
        """Settle the outbox with the server's results, in one transaction.

        A result for a change no longer pending (a replayed batch) changes nothing. An accepted
        change leaves the outbox and the record learns its revision. After `applied` the local
        fields are exactly that revision, so edits are now based on it; after `merged` or
        `conflict` they are not (the merged head arrives with the next pull), so `base_rev`
        stays and an edit made before that pull is merged three-way again by the server rather
        than overwriting what the other device changed.
        """
        counts = {"applied": 0, "merged": 0, "conflict": 0, "rejected": 0}
        with self._transaction():
            for result in results:
                row = self._conn.execute(
                    "SELECT seq, record_id FROM outbox WHERE change_id = ? AND state = 'pending'",
                    (result.change_id,),
                ).fetchone()
                if row is None or row[1] != result.record_id:
                    continue
                if result.status in ACCEPTED and result.rev is not None and result.rev > 0:
                    self._accept(row[0], row[1], result)
                elif result.status == "rejected":
                    self._reject(row[0], result)
                else:
                    continue  # not a result we understand: the change stays pending
                counts[result.status] += 1
        return ResultTally(
            counts["applied"], counts["merged"], counts["conflict"], counts["rejected"]
        )

    def _accept(self, seq: int, record_id: str, result: ChangeOutcome) -> None:
        self._conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
        newer = self._conn.execute(
            "SELECT 1 FROM outbox WHERE record_id = ? AND state = 'pending' LIMIT 1",
            (record_id,),
        ).fetchone()
        rebase = result.status == "applied" and newer is None
        self._conn.execute(
            "UPDATE records SET rev = max(rev, ?),"
            " base_rev = CASE WHEN ? THEN max(base_rev, ?) ELSE base_rev END,"
            " conflict = CASE WHEN ? THEN 1 ELSE conflict END WHERE id = ?",
            (result.rev, int(rebase), result.rev, int(result.status == "conflict"), record_id),
        )

    def _reject(self, seq: int, result: ChangeOutcome) -> None:
        problems = [dict(p) for p in result.problems[:100]]
        self._conn.execute(
            "UPDATE outbox SET state = 'rejected', reason = ?, problems = ? WHERE seq = ?",
            ((result.reason or "rejected")[:200], _dumps(problems), seq),
        )

    def rejected_changes(self) -> list[RejectedChange]:
        """Changes the server refused, oldest first, with its reasons."""
        rows = self._conn.execute(
            "SELECT change_id, record_id, record_type, op, created_at, reason, problems"
            " FROM outbox WHERE state = 'rejected' ORDER BY seq"
        ).fetchall()
        rejected = []
        for change_id, record_id, record_type, op, created_at, reason, raw in rows:
            problems = tuple(json.loads(raw)) if raw else ()
            rejected.append(
                RejectedChange(change_id, record_id, record_type, op, created_at, reason, problems)
            )
        return rejected

    # --- pull --------------------------------------------------------------------------------

    def cursor(self) -> int:
        """The feed position up to which every server change is on this device."""
        return int(self._store.get_state(PULL_CURSOR) or 0)

    def apply_pull(self, heads: Sequence[ServerHead], next_cursor: int) -> int:
        """Write one page of server heads and the cursor after it, in one transaction.

        Returns how many heads changed something here (a head this device already has, e.g.
        its own change coming back, counts for nothing).
        """
        changed = 0
        with self._transaction():
            for head in heads:
                changed += self._apply_head(head)
            if next_cursor > self.cursor():
                self._set(PULL_CURSOR, str(int(next_cursor)))
        return changed

    def _apply_head(self, head: ServerHead) -> bool:
        row = self._conn.execute(
            "SELECT rev, base_rev, deleted, conflict, number, fields FROM records WHERE id = ?",
            (head.record_id,),
        ).fetchone()
        conflict = bool(head.conflicts)
        if row is None:
            self._insert_head(head, conflict)
            self._keep_details(head)
            return True
        rev, base_rev, deleted, had_conflict, number, fields = row
        if head.rev < rev:
            return False  # older than what this device already knows
        pending = self._conn.execute(
            "SELECT 1 FROM outbox WHERE record_id = ? AND state = 'pending' LIMIT 1",
            (head.record_id,),
        ).fetchone()
        new_number = self._usable_number(head)
        if pending is not None:
            # Invariant 9: the local change keeps its fields and base_rev; the server's state is
            # kept beside it and the server merges the change when it is pushed.
            self._conn.execute(
                "UPDATE records SET rev = ?, conflict = ?, number = coalesce(number, ?)"
                " WHERE id = ?",
                (head.rev, int(conflict), new_number, head.record_id),
            )
            self._keep_server_revision(head)
            new_files = self._keep_details(head)
            return head.rev != rev or conflict != bool(had_conflict) or new_files
        same = (
            head.rev == rev == base_rev
            and head.deleted == bool(deleted)
            and conflict == bool(had_conflict)
            and (new_number is None or new_number == number)
            and json.loads(fields) == dict(head.fields)
        )
        new_files = self._keep_details(head)
        if same:
            return new_files
        self._conn.execute(
            "UPDATE records SET type = ?, form_version = ?, station_id = ?,"
            " number = coalesce(?, number), updated_at = ?, rev = ?, base_rev = ?, deleted = ?,"
            " conflict = ?, flags = ?, fields = ? WHERE id = ?",
            (
                head.record_type,
                head.form_version,
                head.station,
                new_number,
                head.updated_at,
                head.rev,
                head.rev,
                int(head.deleted),
                int(conflict),
                _dumps(self._flags(head)),
                _dumps(dict(head.fields)),
                head.record_id,
            ),
        )
        self._keep_server_revision(head)
        self._store.reindex(head.record_id)
        return True

    def _insert_head(self, head: ServerHead, conflict: bool) -> None:
        self._conn.execute(
            "INSERT INTO records (id, type, form_version, station_id, number, created_by,"
            " created_at, updated_at, rev, base_rev, local_seq, deleted, conflict, flags, fields)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?,?,?)",
            (
                head.record_id,
                head.record_type,
                head.form_version,
                head.station,
                self._usable_number(head),
                head.created_by,
                head.updated_at,
                head.updated_at,
                head.rev,
                head.rev,
                int(head.deleted),
                int(conflict),
                _dumps(self._flags(head)),
                _dumps(dict(head.fields)),
            ),
        )
        self._keep_server_revision(head)
        self._store.reindex(head.record_id)

    def _keep_details(self, head: ServerHead) -> bool:
        """The head's open conflicts (both values each) and its files; True if a file that
        this record did not list before arrived."""
        if head.conflicts:
            self._conn.execute(
                "INSERT INTO record_conflicts (record_id, conflicts) VALUES (?, ?)"
                " ON CONFLICT(record_id) DO UPDATE SET conflicts = excluded.conflicts",
                (head.record_id, _dumps([dict(c) for c in head.conflicts])),
            )
        else:
            self._conn.execute(
                "DELETE FROM record_conflicts WHERE record_id = ?", (head.record_id,)
            )
        added = False
        for ref in head.attachments:
            self._store.attachments.expect(ref.sha256, ref.size, ref.chunk_size)
            linked = self._conn.execute(
                "INSERT INTO record_attachments (record_id, sha256, name, mime, added_at,"
                " on_server) VALUES (?, ?, ?, ?, ?, 1)"
                " ON CONFLICT(record_id, sha256) DO UPDATE SET on_server = 1"
                " WHERE on_server = 0",
                (head.record_id, ref.sha256, ref.name[:200], ref.mime[:100], head.updated_at),
            )
            added = added or linked.rowcount > 0
        return added

    def conflicts_of(self, record_id: str) -> list[dict[str, Any]]:
        """The record's open conflicts as the server last reported them: each a field (or
        `_deleted`), its value at the common base, and every disagreeing value with who made
        it. Empty when there is none."""
        return self._store.listing.conflicts_of(record_id)

    def _usable_number(self, head: ServerHead) -> str | None:
        """The server's number for the record, unless another record here already holds it."""
        if not head.number:
            return None
        taken = self._conn.execute(
            "SELECT 1 FROM records WHERE number = ? AND id != ?", (head.number, head.record_id)
        ).fetchone()
        return None if taken else head.number

    def _keep_server_revision(self, head: ServerHead) -> None:
        """The server's state as a revision of the record's history (once per revision)."""
        known = self._conn.execute(
            "SELECT 1 FROM revisions WHERE record_id = ? AND rev = ? AND origin = 'server'",
            (head.record_id, head.rev),
        ).fetchone()
        if known:
            return
        self._conn.execute(
            "INSERT INTO revisions (record_id, local_seq, rev, base_rev, deleted, fields, author,"
            " at, origin, change_id, device, status, device_name)"
            " SELECT id, local_seq, ?, ?, ?, ?, ?, ?, 'server', NULL, ?, ?, ?"
            " FROM records WHERE id = ?",
            (
                head.rev,
                head.rev,
                int(head.deleted),
                _dumps(dict(head.fields)),
                head.changed_by or SERVER_AUTHOR,
                head.updated_at,
                head.changed_on,
                head.change_status,
                head.changed_on_name,
                head.record_id,
            ),
        )

    def _flags(self, head: ServerHead) -> list[str]:
        """Flags the local rules derive from the server's fields; `PULLED_INVALID_FLAG` alone
        when they do not pass (the same validator as a local save)."""
        try:
            form = self._store.forms.get(head.record_type)
            checked = validate(
                form, head.fields, reference=self._store.reference, today=self._store.today()
            )
        except UserFacingError:  # unknown type or fields the local rules refuse
            return [PULLED_INVALID_FLAG]
        return sorted(checked.flags)

    # --- record numbers ------------------------------------------------------------------------

    def numbers_remaining(self, station: str, year: int) -> int:
        return self._store.numbers.remaining(station, year)

    def add_number_block(self, station: str, year: int, first: int, last: int) -> int:
        """Keep a block the server reserved and number the records waiting for one.

        Returns how many records got a number. A block this device already holds (the answer
        to a request repeated after a cut connection) is not added twice.
        """
        with self._transaction():
            held = self._conn.execute(
                "SELECT 1 FROM number_blocks WHERE station = ? AND year = ? AND first = ?"
                " AND last = ?",
                (station, year, first, last),
            ).fetchone()
            if held is None:
                self._store.numbers.add_block(station, year, first, last)
            numbered = self._store.numbers.assign_waiting(station)
            for record_id in numbered:  # the new number finds it (and the provisional still does)
                self._store.reindex(record_id)
            return len(numbered)

    # --- status --------------------------------------------------------------------------------

    def counts(self) -> SyncCounts:
        row = self._conn.execute(
            "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending'),"
            " (SELECT count(*) FROM outbox WHERE state = 'rejected'),"
            " (SELECT count(*) FROM records WHERE conflict = 1)"
        ).fetchone()
        return SyncCounts(int(row[0]), int(row[1]), int(row[2]))

    def last_sync(self) -> str | None:
        """When this device last finished a sync (UTC, ISO 8601), or None."""
        return self._store.get_state(LAST_SYNC)

    def finish_sync(self, details: Mapping[str, int]) -> str:
        """Note a completed sync (time and counts, in the audit log too); returns the time."""
        at = self._clock().astimezone(UTC).isoformat(timespec="seconds")
        with self._transaction():
            self._set(LAST_SYNC, at)
            self._store.audit.append(self._store.actor, "sync", details=dict(details))
        return at

    # --- the audit trail ------------------------------------------------------------------------

    def audit_to_ship(self, limit: int) -> AuditShipment:
        """The next audit entries the server has not acknowledged, at most `limit` (metadata
        and a digest of the details only: `fieldapp.store.audit.ChainLink`)."""
        acked = int(self._store.get_state(AUDIT_ACKED) or 0)
        audit = self._store.audit
        # An entry missing here (cut off the log) still has to be answered for: the server
        # compares this hash with the one it holds.
        base_hash = audit.hash_at(acked) or GENESIS
        return AuditShipment(acked, base_hash, tuple(audit.links_after(acked, limit)))

    def audit_acknowledged(self, seq: int) -> None:
        """The server holds the chain up to `seq`: the next shipment starts after it."""
        with self._transaction():
            self._set(AUDIT_ACKED, str(max(0, int(seq))))

    # --- attachments ---------------------------------------------------------------------------

    def attachments_to_upload(self) -> list[AttachmentToSend]:
        """Complete files of records the server knows (rev > 0) that it does not hold yet."""
        rows = self._conn.execute(
            "SELECT ra.record_id, ra.sha256, ra.name, ra.mime, a.size, a.chunk_size"
            " FROM record_attachments ra JOIN attachments a ON a.sha256 = ra.sha256"
            " JOIN records r ON r.id = ra.record_id"
            " WHERE a.complete = 1 AND r.rev > 0 AND ra.on_server = 0 ORDER BY ra.added_at"
        ).fetchall()
        return [AttachmentToSend(*row) for row in rows]

    def mark_attachment_sent(self, record_id: str, sha256: str) -> None:
        with self._transaction():
            self._conn.execute(
                "UPDATE record_attachments SET on_server = 1 WHERE record_id = ? AND sha256 = ?",
                (record_id, sha256),
            )

    def attachments_to_download(self) -> list[AttachmentToFetch]:
        """Files the server listed for records here that have not wholly arrived, with the
        chunks still missing (a cut download resumes at the first of them)."""
        rows = self._conn.execute(
            "SELECT DISTINCT a.sha256, a.size FROM attachments a"
            " JOIN record_attachments ra ON ra.sha256 = a.sha256"
            " JOIN records r ON r.id = ra.record_id"
            " WHERE a.complete = 0 AND r.deleted = 0 ORDER BY a.sha256"
        ).fetchall()
        files = self._store.attachments
        return [
            AttachmentToFetch(sha, size, tuple(files.missing_chunks(sha))) for sha, size in rows
        ]

    def keep_downloaded_chunk(self, sha256: str, index: int, data: bytes) -> None:
        """One chunk of a file being downloaded, committed on its own (so a cut loses at most
        the chunk in flight)."""
        with self._transaction():
            self._store.attachments.put_chunk(sha256, index, data)

    def finish_download(self, sha256: str) -> bool:
        """Check the arrived file against its SHA-256 and make it usable. False when the
        bytes do not match: the chunks are dropped and the next sync fetches them again."""
        with self._transaction():
            return self._store.attachments.finish(sha256) is not None
