"""The client sync engine: push the outbox, pull the feed, top up record numbers, send files.

One `sync()` is one resumable conversation (docs/SYNC.md "Client engine"):

1. record numbers: when fewer than 20 are left for this year, ask for a block (first, so that
   records made offline carry their number when they are pushed);
2. push the outbox oldest first, 200 changes a batch, until it is empty; the replica marks each
   batch attempted before it leaves and settles it only when the results are in;
3. pull pages from the stored cursor until the server says there is no more; each page and the
   cursor after it are written in one transaction;
4. attachments of pushed records that the server lacks are uploaded chunk by chunk (only the
   missing chunks: a cut upload resumes);
5. files the pulled heads list that are not here yet are downloaded chunk by chunk, each
   chunk committed as it arrives (a cut download resumes), and checked against their SHA-256;
6. the audit entries the server has not acknowledged are shipped (metadata only), so that a
   later rewrite of the local chain is caught by the server (`ship_audit`).

Cutting the line anywhere loses nothing: the next `sync()` resends what was not settled and the
server's replay answers as the first delivery did. Connection failures, timeouts, 429 and 5xx
are retried with exponential backoff and full jitter; no other answer is. A revoked device is
wiped (crypto-shredded) before the error goes up.

The engine runs on a thread of its own, over the sync's own connection to the vault
(`fieldapp.session.Session.open_for_sync`), so the vault's worker never waits for the network.
`stop()` (called when the vault locks) cuts the network call in flight and the waits between
retries; `sync()` then raises VaultLocked, and whatever it was writing is rolled back
(docs/adr/0012-threads-and-connections.md).
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError

from fieldapp.errors import InvalidInput, VaultLocked
from fieldapp.session import SyncAccess
from fieldapp.store.audit import ChainLink
from fieldapp.store.records import PendingChange
from fieldapp.store.replica import ChangeOutcome, FileRef, Replica, ResultTally, ServerHead
from sync.client.report import ProgressListener, SyncProgress
from sync.client.report import SyncReport as SyncReport  # long imported from here too
from sync.client.transport import (
    RETRYABLE,
    BadResponse,
    DeviceRevokedError,
    RetryLater,
    SyncError,
    SyncRejected,
    Transport,
)
from sync.protocol import (
    CHUNK_SIZE,
    MAX_AUDIT_ENTRIES,
    MAX_PUSH_CHANGES,
    MIN_CHUNK_SIZE,
    AttachmentAnnounce,
    AuditLink,
    AuditUpload,
    Change,
    ChangeResult,
    NumberBlockRequest,
    PushRequest,
    RecordState,
)

T = TypeVar("T")

CHUNK_SECONDS = 3.0  # a chunk should cross the link in about this long
UNMEASURED_CHUNK = 16 * 1024  # before the link's speed is known
PUSH_BATCH = MAX_PUSH_CHANGES
PULL_PAGE = 200
LOW_NUMBERS = 20
NUMBER_BLOCK = 100


class Wipeable(Protocol):
    """What the engine needs of the vault: crypto-shred it (`fieldapp.vault.vault.Vault.wipe`)."""

    def wipe(self) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: before retry n (0-based) sleep a uniformly random
    time in [0, min(cap, base * 2**n)]; `max_attempts` counts the first try.

    A server that answers "busy, come back in s seconds" (429/503 with Retry-After) is there,
    so it gets `BUSY_FACTOR` times as many retries, and each waits a random time in [s, 2s]:
    with one fixed Retry-After, every device turned away in the same second would otherwise
    come back in the same second, and be turned away together again."""

    base: float = 1.0
    cap: float = 300.0
    max_attempts: int = 6

    BUSY_FACTOR = 4

    @property
    def busy_attempts(self) -> int:
        return 1 + self.BUSY_FACTOR * (self.max_attempts - 1)

    def delay(self, retry: int, rng: Callable[[], float]) -> float:
        ceiling = min(self.cap, self.base * 2.0 ** min(retry, 62))
        return rng() * ceiling

    def busy_delay(self, retry: int, retry_after: float, rng: Callable[[], float]) -> float:
        wait = min(retry_after, self.cap)
        return min(self.cap, max(self.delay(retry, rng), wait + rng() * wait))


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None],
    rng: Callable[[], float],
) -> T:
    """`call()`, retried per `policy` on `ServerUnreachable` and `RetryLater` only.

    A server's Retry-After is honoured, spread by jitter (never beyond the policy's cap)."""
    failed = busy = 0
    while True:
        try:
            return call()
        except RETRYABLE as exc:
            retry = failed + busy
            if isinstance(exc, RetryLater) and exc.seconds is not None:
                busy += 1
                if busy >= policy.busy_attempts:
                    raise
                sleep(policy.busy_delay(retry, exc.seconds, rng))
            else:
                failed += 1
                if failed >= policy.max_attempts:
                    raise
                sleep(policy.delay(retry, rng))


def _outcome(result: ChangeResult) -> ChangeOutcome:
    return ChangeOutcome(
        change_id=result.change_id,
        record_id=result.record_id,
        status=result.status,
        rev=result.rev,
        reason=result.reason,
        problems=tuple(p.model_dump() for p in result.problems),
    )


def _head(state: RecordState) -> ServerHead:
    return ServerHead(
        record_id=state.record_id,
        record_type=state.record_type,
        form_version=state.form_version,
        station=state.station,
        rev=state.rev,
        seq=state.seq,
        deleted=state.deleted,
        fields=state.fields,
        created_by=state.created_by,
        updated_at=state.updated_at,
        number=state.number,
        conflicts=tuple(c.model_dump() for c in state.conflicts),
        changed_by=state.changed_by,
        changed_on=state.changed_on,
        changed_on_name=state.changed_on_name,
        change_status=state.change_status,
        attachments=tuple(
            FileRef(f.sha256, f.size, f.chunk_size, f.name, f.mime) for f in state.attachments
        ),
    )


class SyncEngine:
    """Runs syncs of one replica with one server: one sync at a time, on one thread (the
    replica's connection is the sync's own); `stop()` may be called from any thread."""

    def __init__(
        self,
        replica: Replica,
        transport: Transport,
        *,
        sleep: Callable[[float], None] | None = None,
        rng: Callable[[], float] = random.random,
        policy: RetryPolicy | None = None,
        vault: Wipeable | None = None,
        batch_size: int = PUSH_BATCH,
        pull_limit: int = PULL_PAGE,
        number_block: int = NUMBER_BLOCK,
        progress: ProgressListener | None = None,
    ) -> None:
        self.replica = replica
        self.transport = transport
        self._stopped = threading.Event()
        # The default wait between retries ends early when the engine is stopped.
        self._sleep = sleep or self._wait
        self._rng = rng
        self.policy = policy or RetryPolicy()
        self._vault = vault
        self._batch_size = max(1, min(batch_size, MAX_PUSH_CHANGES))
        self._pull_limit = pull_limit
        self._number_block = number_block
        # Called on the sync's thread; a listener hands it on (the desktop: by queued signal).
        self._progress = progress
        self._sent = self._to_send = self._received = 0

    @classmethod
    def over(cls, access: SyncAccess, transport: Transport, **options: Any) -> SyncEngine:
        """An engine on the sync's own access to the vault: it syncs with the vault's data
        key already in memory (no password, no unlock attempt) and stops when the vault locks
        (`options`: as for the constructor)."""
        options.setdefault("vault", access.vault)
        engine = cls(Replica(access.store), transport, **options)
        access.on_lock(engine.stop)
        return engine

    def _wait(self, seconds: float) -> None:
        self._stopped.wait(seconds)

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def stop(self) -> None:
        """Stop the sync running on another thread: the network call in flight is cut, a wait
        between retries ends, and `sync()` raises VaultLocked. From any thread; the engine
        stays stopped."""
        self._stopped.set()
        self.transport.abort()

    def _retrying(self, call: Callable[[], T]) -> T:
        def attempt() -> T:
            if self._stopped.is_set():
                raise VaultLocked()  # not retryable: the loop ends here
            return call()

        return call_with_retries(attempt, self.policy, sleep=self._sleep, rng=self._rng)

    def sync(self) -> SyncReport:
        """Numbers, push, pull, attachments. Raises the typed transport errors; on
        `DeviceRevokedError` the vault has been wiped when it arrives; VaultLocked when the
        engine was stopped (the vault locked) under it: nothing is lost, the next sync after
        an unlock resumes."""
        try:
            return self._sync()
        except DeviceRevokedError:
            if self._vault is not None:
                self._vault.wipe()
            raise
        except Exception as exc:
            # Whatever a stop broke (a cut call, a closed connection) means one thing.
            if self._stopped.is_set() and not isinstance(exc, VaultLocked):
                raise VaultLocked() from exc
            raise

    def _report_progress(self, stage: str) -> None:
        if self._progress is None:
            return
        self._progress(
            SyncProgress(
                stage=stage,
                sent=self._sent,
                to_send=self._to_send,
                received=self._received,
                bytes_sent=self.transport.bytes_sent,
                bytes_received=self.transport.bytes_received,
            )
        )

    def _sync(self) -> SyncReport:
        self._sent = self._received = 0
        self._to_send = self.replica.counts().pending
        self._report_progress("numbers")
        numbered = self.top_up_numbers()
        tally = self.push()
        pulled = self.pull()
        sent = self.upload_attachments()
        received = self.download_attachments()
        audit_sent = self.ship_audit()
        report = SyncReport(
            pushed=tally.accepted,
            pulled=pulled,
            merged=tally.merged,
            conflicts=tally.conflicts,
            rejected=tally.rejected,
            numbered=numbered,
            attachments_sent=sent,
            attachments_received=received,
            audit_sent=audit_sent,
        )
        self.replica.finish_sync(report.to_json())
        return report

    # -- steps --

    def top_up_numbers(self) -> int:
        """Ask for a block of record numbers when fewer than 20 are left for this year;
        returns how many waiting records got a number."""
        identity = self.replica.identity()
        if identity is None or identity.role == "supervisor" or not identity.station:
            return 0
        year = self.replica.store.today().year
        if self.replica.numbers_remaining(identity.station, year) >= LOW_NUMBERS:
            return 0
        request = NumberBlockRequest(year=year, count=self._number_block)
        try:
            block = self._retrying(lambda: self.transport.numbers(request))
        except SyncRejected:
            return 0  # numbers are a convenience; a refusal must not hold back the push
        return self.replica.add_number_block(block.station, block.year, block.first, block.last)

    def push(self) -> ResultTally:
        """Send the whole outbox, batch by batch; returns what became of it."""
        total = ResultTally()
        while True:
            batch = self.replica.outbox_batch(self._batch_size)
            if not batch:
                return total
            changes, unsendable = self._changes(batch)
            tally = self.replica.apply_results(unsendable) if unsendable else ResultTally()
            if changes:
                request = PushRequest(batch_id=str(uuid.uuid4()), changes=changes)
                response = self._retrying(partial(self.transport.push, request))
                tally = _add(
                    tally, self.replica.apply_results([_outcome(r) for r in response.results])
                )
            self._sent += tally.settled
            self._report_progress("push")
            if tally.settled == 0:
                # The server answered without a result for any change we sent: sending the same
                # batch again would loop forever. Stop; the outbox is untouched.
                raise BadResponse("push_incomplete")
            total = _add(total, tally)

    def _changes(self, batch: Sequence[PendingChange]) -> tuple[list[Change], list[ChangeOutcome]]:
        """The wire form of each change; one that cannot be expressed is rejected locally so
        it cannot hold back the rest (it stays visible in status)."""
        numbers = self.replica.record_numbers([c.record_id for c in batch])
        changes: list[Change] = []
        unsendable: list[ChangeOutcome] = []
        for c in batch:
            try:
                changes.append(
                    Change.model_validate(
                        {
                            "change_id": c.change_id,
                            "record_id": c.record_id,
                            "record_type": c.record_type,
                            "form_version": c.form_version,
                            "op": c.op,
                            "base_rev": c.base_rev,
                            "prev_change_id": c.prev_change_id,
                            "number": numbers.get(c.record_id),
                            "created_at": c.created_at,
                            "fields": dict(c.fields),
                        }
                    )
                )
            except ValidationError:
                unsendable.append(
                    ChangeOutcome(c.change_id, c.record_id, "rejected", reason="unsendable")
                )
        return changes, unsendable

    def pull(self) -> int:
        """Fetch pages from the stored cursor until the server has no more; returns how many
        heads changed something here."""
        cursor = self.replica.cursor()
        changed = 0
        while True:
            page = self._retrying(partial(self.transport.pull, cursor, self._pull_limit))
            changed += self.replica.apply_pull([_head(r) for r in page.records], page.next_cursor)
            self._received += len(page.records)
            self._report_progress("pull")
            if not page.more:
                return changed
            if page.next_cursor <= cursor:
                raise BadResponse("pull_stalled")
            cursor = page.next_cursor

    def upload_attachments(self) -> int:
        """Send the files of pushed records that the server does not hold completely yet."""
        sent = 0
        files = self.replica.store.attachments
        for item in self.replica.attachments_to_upload():
            announce = AttachmentAnnounce(
                size=item.size,
                record_id=item.record_id,
                name=item.name,
                mime=item.mime,
                chunk_size=chunk_size_for(self.transport.link_rate),
            )
            manifest = self._retrying(
                partial(self.transport.announce_attachment, item.sha256, announce)
            )
            step = manifest.chunk_size  # the file's own, fixed when it was first announced
            for index in [] if manifest.complete else sorted(manifest.missing):
                data = files.read_range(item.sha256, index * step, step)
                manifest = self._retrying(
                    partial(self.transport.put_chunk, item.sha256, index, data)
                )
                self._report_progress("files_up")
            if manifest.complete:
                self.replica.mark_attachment_sent(item.record_id, item.sha256)
                sent += 1
        return sent

    def download_attachments(self) -> int:
        """Fetch the missing chunks of the files pulled heads listed; returns how many files
        arrived whole. A file whose bytes do not match its SHA-256 is fetched again next time."""
        received = 0
        for item in self.replica.attachments_to_download():
            try:
                for index in item.missing:
                    data = self._retrying(partial(self.transport.get_chunk, item.sha256, index))
                    self.replica.keep_downloaded_chunk(item.sha256, index, data)
                    self._report_progress("files_down")
            except SyncRejected:
                continue  # e.g. no longer readable here: the other files still come
            except InvalidInput:
                continue  # a chunk of the wrong size: asked for again next time
            if self.replica.finish_download(item.sha256):
                received += 1
        return received

    def ship_audit(self) -> int:
        """Send the audit entries the server has not acknowledged, oldest first, a page at a
        time; returns how many it acknowledged. A server without the audit trail (404) is
        left alone; so is a page the server does not acknowledge (it flagged the chain) or
        refuses: the records are what must get through."""
        acknowledged = 0
        while True:
            shipment = self.replica.audit_to_ship(MAX_AUDIT_ENTRIES)
            try:
                upload = AuditUpload(
                    base_seq=shipment.base_seq,
                    base_hash=shipment.base_hash,
                    entries=[_link(link) for link in shipment.links],
                )
            except ValidationError:
                return acknowledged  # an entry the protocol cannot carry: the server flags it
            try:
                ack = self._retrying(partial(self.transport.audit, upload))
            except SyncRejected:
                return acknowledged  # the audit trail never holds back a sync; next time
            if ack is None:
                return acknowledged
            self.replica.audit_acknowledged(ack.acknowledged_seq)
            self._report_progress("audit")
            advanced = ack.acknowledged_seq - shipment.base_seq
            acknowledged += max(0, advanced)
            if advanced <= 0 or len(shipment.links) < MAX_AUDIT_ENTRIES:
                return acknowledged


def _link(link: ChainLink) -> AuditLink:
    return AuditLink.model_validate(
        {
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
        }
    )


def chunk_size_for(link_rate: float | None) -> int:
    """The attachment chunk size for a link carrying `link_rate` bytes/s: the largest power of
    two from 8 to 64 KiB that crosses it in about `CHUNK_SECONDS`, so a cut loses at most a few
    seconds of sending (at 64 kbit/s: 16 KiB; on a LAN: 64 KiB)."""
    if link_rate is None:
        return UNMEASURED_CHUNK
    size = CHUNK_SIZE
    while size > MIN_CHUNK_SIZE and size > link_rate * CHUNK_SECONDS:
        size //= 2
    return size


def _add(a: ResultTally, b: ResultTally) -> ResultTally:
    return ResultTally(
        a.applied + b.applied,
        a.merged + b.merged,
        a.conflicts + b.conflicts,
        a.rejected + b.rejected,
    )


# --- background ---------------------------------------------------------------------------------


def server_reachable(transport: Transport) -> bool:
    """A cheap probe (`GET /v1/device`): False only when the server cannot be reached now."""
    try:
        transport.device()
    except RETRYABLE:
        return False
    except SyncError:
        return True  # it answered; the sync itself will deal with what it said
    return True


class BackgroundSync:
    """Runs `run_sync` whenever the server is reachable: a daemon thread that probes, syncs,
    and waits `interval` seconds (or, while the server cannot be reached or the sync fails,
    a backoff with full jitter) before trying again. `sync_now()` cuts the wait short.

    `run_sync` is called on this helper's thread, and the sync runs right there, over its own
    connection to the vault (`background_sync` builds one so): the vault's worker stays free
    for saves and searches. When the vault locks, or the device is revoked, the error goes to
    `on_error` and the thread ends. No Qt here; results and errors go to the callbacks.
    """

    def __init__(
        self,
        run_sync: Callable[[], SyncReport],
        probe: Callable[[], bool],
        *,
        interval: float = 300.0,
        policy: RetryPolicy | None = None,
        rng: Callable[[], float] = random.random,
        on_report: Callable[[SyncReport], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._run_sync = run_sync
        self._probe = probe
        self._interval = interval
        self._policy = policy or RetryPolicy(base=5.0, cap=300.0)
        self._rng = rng
        self._on_report = on_report
        self._on_error = on_error
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="background-sync", daemon=True)
        self._thread.start()

    def sync_now(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        failures = 0
        while not self._stopping:
            wait = self._interval
            try:
                if self._probe():
                    report = self._run_sync()
                    failures = 0
                    if self._on_report is not None:
                        self._on_report(report)
                else:
                    failures += 1
            except (DeviceRevokedError, VaultLocked) as exc:  # no vault to sync any more
                self._report_error(exc)
                return
            except Exception as exc:  # keep the thread alive; the app shows or logs it
                failures += 1
                if not isinstance(exc, RETRYABLE):
                    self._report_error(exc)
            if failures:
                wait = self._policy.delay(failures - 1, self._rng)
            self._wake.wait(wait)
            self._wake.clear()

    def _report_error(self, exc: BaseException) -> None:
        if self._on_error is not None:
            self._on_error(exc)


def background_sync(
    access: SyncAccess,
    transport: Transport,
    *,
    interval: float = 300.0,
    on_report: Callable[[SyncReport], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    **engine_options: Any,
) -> BackgroundSync:
    """Background syncs of the unlocked session behind `access` (`Session.open_for_sync`).

    Each sync works with the key the session already holds: no password is asked for, no
    unlock attempt is made or counted. When the vault locks, the sync in flight stops (its
    network call cut, its transaction rolled back), `on_error` gets VaultLocked and the
    helper's thread ends. Call `start()` on the result.
    """
    engine = SyncEngine.over(access, transport, **engine_options)

    def probe() -> bool:
        if engine.stopped:
            raise VaultLocked()
        return server_reachable(transport)

    helper = BackgroundSync(
        engine.sync, probe, interval=interval, on_report=on_report, on_error=on_error
    )
    access.on_lock(helper.sync_now)  # a helper waiting for its next turn ends at once
    return helper
