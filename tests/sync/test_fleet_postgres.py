"""A fleet on PostgreSQL: 8 devices push while 4 pull, and nothing is lost, doubled or skipped.

What runs: a real `fieldapp-server serve` process over HTTPS on a loopback port, its database a
fresh throwaway PostgreSQL database (created from `FIELDAPP_TEST_DATABASE_URL`, dropped after).
Twelve real devices, each a SQLCipher vault enrolled with a one-time code and the pinned
certificate (fieldapp-cli `enroll`, in process), each synced by the real `Replica`,
`SyncEngine` and `Transport` on its own thread:

- 8 officers push in rounds, all starting a round together: each creates records, edits some
  of its own, deletes one of its own, and edits a few shared records that every officer holds
  (officers i and i+4 write the same field, so the server both merges and records conflicts);
  in one round officer 0 deletes a shared record that the others are editing at that moment
  (a delete racing edits: a `_deleted` conflict);
- 4 other devices of the station (a clerk and three officers) pull in a loop, in small pages,
  for as long as the officers push.

Then every device syncs once more, and the test checks, reading the server's database directly
(SQLAlchemy, one read-only REPEATABLE READ snapshot) and every device's vault:

- every record made on any device is on the server exactly once, and nothing else is;
- every change a device sent has one answer, was accepted, and is in `changes` once with that
  answer; every record's revisions are 1..head with no gap, each accepted change is exactly one
  revision; an officer's own records hold exactly its last saved state; every value written to
  a shared record is in one of its revisions or kept in an open conflict;
- every device converges: the same record ids as the server and, for each record, the server
  head's rev, deleted flag, fields and number, the conflict flag exactly where the server has
  open conflicts, an empty outbox, and its cursor at the server's last feed position;
- every pull page came in feed order above its cursor, and each puller's (record id, rev) set
  equals the server's: its cursor never skipped a change (DESIGN.md section 5, invariant 4).

Trial settings (environment, defaults in brackets; the defaults take ~40 s on 2 cores):
FIELDAPP_FLEET_ROUNDS [4] push rounds, FIELDAPP_FLEET_RECORDS [4] records each officer creates
per round, FIELDAPP_FLEET_EDITS [3] of its own records each officer edits per round,
FIELDAPP_FLEET_SHARED [3] records every officer edits (one of them deleted in round 2),
FIELDAPP_FLEET_SEED [20261207] the seed of every random choice. Skipped unless
FIELDAPP_TEST_DATABASE_URL is set; fails if it is set and PostgreSQL cannot be reached.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from fieldapp.store.records import Record
from fieldapp.store.replica import Replica
from fieldapp.store.store import Store
from sync.client.engine import RetryPolicy, SyncEngine
from sync.client.enroll import SERVER_CERT_FILE
from sync.client.transport import Transport
from sync.protocol import Change, ChangeResult, PullResponse, PushRequest, PushResponse
from sync.server import schema
from tests.drivers.cli import STATION
from tests.drivers.device import Device as Laptop
from tests.drivers.device import Head, canonical
from tests.drivers.server_admin import ADD_STATION, admin_here
from tests.records import PERSON
from tests.server.serverproc import RunningServer, running_server

ENV_URL = "FIELDAPP_TEST_DATABASE_URL"
ROUNDS = max(1, int(os.environ.get("FIELDAPP_FLEET_ROUNDS", "4")))
NEW_PER_ROUND = int(os.environ.get("FIELDAPP_FLEET_RECORDS", "4"))
EDITS_PER_ROUND = int(os.environ.get("FIELDAPP_FLEET_EDITS", "3"))
SHARED = max(1, int(os.environ.get("FIELDAPP_FLEET_SHARED", "3")))
SEED = int(os.environ.get("FIELDAPP_FLEET_SEED", "20261207"))
PUSHERS, PULLERS = 8, 4
DELETE_ROUND = min(1, ROUNDS - 1)  # officers delete one own record; officer 0 a shared one
SHARED_FIELDS = ("surname", "mother_name", "occupation", "notes")  # officer i: field i % 4
ACCEPTED = frozenset({"applied", "merged", "conflict"})
WAIT = 300.0  # seconds any thread waits for the others before the test gives up

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get(ENV_URL), reason=f"{ENV_URL} is not set"),
]

Answer = tuple[str, str, int | None]  # record id, status, rev


def same_value(a: Any, b: Any) -> bool:
    return json.dumps(a, ensure_ascii=False, sort_keys=True) == json.dumps(
        b, ensure_ascii=False, sort_keys=True
    )


# --- the throwaway PostgreSQL database and the server on it ------------------------------------


@pytest.fixture
def fleet_database() -> Iterator[str]:
    """A new empty database on the PostgreSQL server of FIELDAPP_TEST_DATABASE_URL (the
    server's `init` migrates it); dropped afterwards."""
    server_url = os.environ[ENV_URL]
    admin = create_engine(
        server_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"fieldapp_fleet_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except SQLAlchemyError as error:
        admin.dispose()
        pytest.fail(f"{ENV_URL} is set but PostgreSQL cannot be reached: {error}")
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def fleet_server(tmp_path: Path, fleet_database: str) -> Iterator[RunningServer]:
    with running_server(tmp_path, database_url=fleet_database) as running:
        admin_here(running, *ADD_STATION)
        yield running


# --- devices -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    since: int
    seqs: tuple[int, ...]
    next_cursor: int
    while_pushing: bool  # asked while the officers were still pushing


@dataclass
class Snapshot:
    """What a device holds after its last sync."""

    heads: dict[str, Head]
    unsettled: list[tuple[str, int, int]]  # records with rev != base_rev: id, rev, base_rev
    outbox: list[tuple[str, str, str]]  # change id, record id, state
    cursor: int
    saves: dict[str, list[str]]  # record id -> change ids of its local saves, oldest first


@dataclass(repr=False)
class Device:
    """A device of the fleet: its laptop's data folder (driven as `tests.drivers` `Device`) and
    the bookkeeping of what it did (pushes, pull pages, its own records, shared writes)."""

    name: str
    username: str
    data_dir: Path
    pull_limit: int = 200
    device_id: str = ""
    pushes: list[tuple[list[Change], list[ChangeResult]]] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    retries: int = 0
    syncs: int = 0
    own: dict[str, tuple[str, bool]] = field(default_factory=dict)  # id -> (fields, deleted)
    shared_writes: list[tuple[str, str, str]] = field(default_factory=list)  # id, field, value
    snapshot: Snapshot | None = None

    def __repr__(self) -> str:
        return f"Device({self.name})"

    def cli(self, *argv: str) -> str:
        """A fieldapp-cli command on this laptop that must succeed; its output."""
        return Laptop(self.data_dir).ok(*argv).out

    def enroll(self, server: RunningServer) -> None:
        Laptop(self.data_dir).enroll(server, self.username, device_name=self.name)

    def _slept(self, seconds: float) -> None:
        self.retries += 1
        time.sleep(seconds)

    @contextlib.contextmanager
    def opened(self, fleet: Fleet) -> Iterator[tuple[Store, SyncEngine]]:
        """The unlocked vault and a sync engine over the recording transport."""
        with Laptop(self.data_dir).session() as session:
            replica = Replica(session.store)
            identity = replica.identity()
            assert identity is not None
            self.device_id = identity.device_id
            link = RecordingTransport(
                self, fleet, identity.server_url, self.data_dir / SERVER_CERT_FILE,
                identity.device_id, identity.token,
            )  # fmt: skip
            engine = SyncEngine(
                replica,
                link,
                sleep=self._slept,
                policy=RetryPolicy(base=0.1, cap=1.0, max_attempts=5),
                vault=session.vault,
                pull_limit=self.pull_limit,
            )
            try:
                yield session.store, engine
            finally:
                link.close()

    def sync(self, engine: SyncEngine) -> None:
        engine.sync()
        self.syncs += 1

    def sync_once(self, fleet: Fleet) -> None:
        with self.opened(fleet) as (_store, engine):
            self.sync(engine)

    def take_snapshot(self, store: Store) -> None:
        conn = store.connection
        rows = conn.execute(
            "SELECT id, rev, base_rev, deleted, conflict, fields, number FROM records"
        ).fetchall()
        outbox = conn.execute("SELECT change_id, record_id, state FROM outbox").fetchall()
        saves: dict[str, list[str]] = {}
        for record_id, change_id in conn.execute(
            "SELECT record_id, change_id FROM revisions WHERE origin = 'local' ORDER BY id"
        ):
            saves.setdefault(record_id, []).append(change_id)
        self.snapshot = Snapshot(
            heads={r[0]: (r[1], bool(r[3]), bool(r[4]), canonical(r[5]), r[6]) for r in rows},
            unsettled=[(r[0], r[1], r[2]) for r in rows if r[1] != r[2]],
            outbox=[(o[0], o[1], o[2]) for o in outbox],
            cursor=Replica(store).cursor(),
            saves=saves,
        )


class RecordingTransport(Transport):
    """The real transport, keeping every push (changes sent, results) and every pull page."""

    def __init__(
        self,
        device: Device,
        fleet: Fleet,
        base_url: str,
        cert_path: Path,
        device_id: str | None,
        token: str | None,
    ) -> None:
        super().__init__(base_url, cert_path, device_id, token)
        self._device = device
        self._fleet = fleet

    def push(self, request: PushRequest) -> PushResponse:
        response = super().push(request)
        self._device.pushes.append((list(request.changes), list(response.results)))
        return response

    def pull(self, since: int, limit: int) -> PullResponse:
        pushing = self._fleet.started.is_set() and not self._fleet.all_pushed.is_set()
        page = super().pull(since, limit)
        self._device.pages.append(
            Page(
                since=since,
                seqs=tuple(r.seq for r in page.records),
                next_cursor=page.next_cursor,
                while_pushing=pushing,
            )
        )
        return page


def _state(record: Record) -> tuple[str, bool]:
    return canonical(dict(record.fields)), record.deleted


@dataclass(repr=False)
class Fleet:
    """The threads' shared coordination: rounds start together; pullers stop once every
    officer has finished pushing; the first failure stops everyone."""

    pushers: list[Device]
    pullers: list[Device]
    shared: list[str]
    round_start: threading.Barrier = field(init=False)
    started: threading.Event = field(default_factory=threading.Event)
    all_pushed: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pushed: int = 0
    errors: list[BaseException] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.round_start = threading.Barrier(len(self.pushers))

    def __repr__(self) -> str:
        return f"Fleet({len(self.pushers)} pushing, {len(self.pullers)} pulling)"

    def fail(self, error: BaseException) -> None:
        with self.lock:
            self.errors.append(error)
        self.round_start.abort()
        self.all_pushed.set()

    def done_pushing(self) -> None:
        with self.lock:
            self.pushed += 1
            if self.pushed == len(self.pushers):
                self.all_pushed.set()

    # -- the officers who push --

    def run_pusher(self, index: int) -> None:
        device = self.pushers[index]
        rng = random.Random(SEED * 100 + index)
        try:
            with device.opened(self) as (store, engine):
                for round_ in range(ROUNDS):
                    self.round_start.wait(WAIT)
                    self._local_work(device, index, store, round_, rng)
                    device.sync(engine)
                self.done_pushing()
                if not self.all_pushed.wait(WAIT):
                    raise AssertionError(f"{device.name}: the others never finished pushing")
                device.sync(engine)  # the final round: nothing to push, everything to pull
                device.take_snapshot(store)
        except BaseException as error:  # reported by the main thread
            self.fail(error)

    def _local_work(
        self, device: Device, index: int, store: Store, round_: int, rng: random.Random
    ) -> None:
        for _ in range(NEW_PER_ROUND):
            made = store.add("person", {**PERSON, "age": rng.randint(18, 90)})
            device.own[made.id] = _state(made)
        live = sorted(rid for rid, (_, deleted) in device.own.items() if not deleted)
        for rid in rng.sample(live, min(EDITS_PER_ROUND, len(live))):
            patch = {"age": rng.randint(18, 90), "occupation": f"مهنة {device.name} {round_}"}
            device.own[rid] = _state(store.edit(rid, patch))
        if round_ == DELETE_ROUND and live:
            victim = rng.choice(live)
            device.own[victim] = _state(store.delete(victim))
        contested = self.shared[0]
        key = SHARED_FIELDS[index % len(SHARED_FIELDS)]
        for rid in self.shared:
            if store.get(rid, audit=False).deleted:
                continue  # deleted on the server meanwhile: nothing to edit here
            racing = rid == contested and round_ == DELETE_ROUND
            if racing and index == 0:
                store.delete(rid)
                continue
            if not racing and rng.random() < 0.4:
                continue
            value = f"{device.name} r{round_}"
            store.edit(rid, {key: value})
            device.shared_writes.append((rid, key, value))

    # -- the devices that pull meanwhile --

    def run_puller(self, index: int) -> None:
        device = self.pullers[index]
        rng = random.Random(SEED * 1000 + index)
        try:
            with device.opened(self) as (store, engine):
                while True:
                    finishing = self.all_pushed.is_set()  # read first: nothing pushed after
                    device.sync(engine)
                    if finishing:
                        break
                    time.sleep(rng.uniform(0.0, 0.05))
                if self.errors:
                    return
                device.take_snapshot(store)
        except BaseException as error:
            self.fail(error)

    def run(self) -> float:
        threads = [
            threading.Thread(target=self.run_pusher, args=(n,), name=f"push-{n}")
            for n in range(len(self.pushers))
        ] + [
            threading.Thread(target=self.run_puller, args=(n,), name=f"pull-{n}")
            for n in range(len(self.pullers))
        ]
        started = time.monotonic()
        self.started.set()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        alive = [t.name for t in threads if t.is_alive()]
        if self.errors:
            raise self.errors[0]
        assert not alive, f"threads still running after {WAIT} s: {alive}"
        return time.monotonic() - started


# --- the server's database, read only ----------------------------------------------------------


@dataclass
class ServerState:
    heads: dict[str, Head]
    stations: set[str]
    seqs: dict[str, int]
    revisions: list[tuple[str, int, str, str]]  # record id, rev, change id, status
    revision_fields: dict[str, list[dict[str, Any]]]  # record id -> fields of every revision
    changes: dict[str, tuple[str, str, int | None]]  # change id -> record id, status, rev
    change_devices: dict[str, str]  # change id -> device id
    open_conflicts: dict[str, dict[str, list[Any]]]  # record id -> field -> values
    rejections: int
    counter: int
    head_rows: int


def read_server(url: str) -> ServerState:
    """One consistent, read-only snapshot of what the server stored."""
    engine = create_engine(url)
    try:
        with engine.connect() as raw:
            conn = raw.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with conn.begin():
                return _read(conn)
    finally:
        engine.dispose()


def _read(conn: Connection) -> ServerState:
    r, v, c, k = schema.records, schema.revisions, schema.changes, schema.conflicts
    rows = conn.execute(
        select(r.c.id, r.c.rev, r.c.deleted, r.c.conflict, r.c.fields, r.c.number,
               r.c.station, r.c.seq)
    ).all()  # fmt: skip
    revisions = conn.execute(
        select(v.c.record_id, v.c.rev, v.c.change_id, v.c.status, v.c.fields).order_by(
            v.c.record_id, v.c.rev
        )
    ).all()
    revision_fields: dict[str, list[dict[str, Any]]] = {}
    for row in revisions:
        revision_fields.setdefault(row.record_id, []).append(dict(row.fields))
    changes = conn.execute(
        select(c.c.change_id, c.c.record_id, c.c.status, c.c.rev, c.c.device_id)
    ).all()
    open_conflicts: dict[str, dict[str, list[Any]]] = {}
    for record_id, key, entries in conn.execute(
        select(k.c.record_id, k.c.field, k.c["values"]).where(k.c.status == "open")
    ).all():
        values = [entry["value"] for entry in entries]
        open_conflicts.setdefault(record_id, {}).setdefault(key, []).extend(values)
    return ServerState(
        heads={
            row.id: (row.rev, row.deleted, row.conflict, canonical(row.fields), row.number)
            for row in rows
        },
        stations={row.station for row in rows},
        seqs={row.id: int(row.seq) for row in rows},
        revisions=[(x.record_id, x.rev, x.change_id, x.status) for x in revisions],
        revision_fields=revision_fields,
        changes={x.change_id: (x.record_id, x.status, x.rev) for x in changes},
        change_devices={x.change_id: x.device_id for x in changes},
        open_conflicts=open_conflicts,
        rejections=len(conn.execute(select(schema.rejections.c.id)).all()),
        counter=int(conn.execute(select(schema.feed_counter.c.seq)).scalar_one()),
        head_rows=len(rows),
    )


# --- the checks --------------------------------------------------------------------------------


def _sample(items: Any, n: int = 5) -> list[Any]:
    return sorted(items, key=str)[:n]


def check_exactly_once(fleet: Fleet, created: set[str], server: ServerState) -> Counter[str]:
    """Records, answers, changes and revisions: each exactly once, none lost. Returns how
    many changes got each status."""
    assert server.head_rows == len(server.heads), "a record id is on the server twice"
    missing, extra = created - set(server.heads), set(server.heads) - created
    assert not missing, f"{len(missing)} records made on devices are not on the server"
    assert not extra, f"{len(extra)} records on the server that no device made"
    assert server.stations == {STATION}
    # Every change sent got one answer, the same one each time it was sent (a retried push is
    # a replay), and every answer is an acceptance.
    answers: dict[str, Answer] = {}
    for device in fleet.pushers + fleet.pullers:
        for changes, results in device.pushes:
            sent = [change.change_id for change in changes]
            assert [result.change_id for result in results] == sent, device.name
            for change, result in zip(changes, results, strict=True):
                answer = (change.record_id, result.status, result.rev)
                assert answers.setdefault(change.change_id, answer) == answer, change.change_id
    statuses = Counter(status for _, status, _ in answers.values())
    assert set(statuses) <= ACCEPTED, f"changes refused: {statuses}"
    assert server.rejections == 0
    # The idempotency table holds exactly the accepted changes, with the answers given.
    lost = set(answers) - set(server.changes)
    unknown = set(server.changes) - set(answers)
    assert not lost, f"{len(lost)} accepted changes are not in `changes`: {_sample(lost)}"
    assert not unknown, f"{len(unknown)} changes the devices never sent: {_sample(unknown)}"
    wrong = {cid for cid, answer in answers.items() if server.changes[cid] != answer}
    assert not wrong, f"`changes` differs from the answers for {_sample(wrong)}"
    # Revisions: 1..head per record, each accepted change exactly one revision (its own).
    revs: dict[str, list[int]] = {}
    strays = []
    for record_id, rev, change_id, status in server.revisions:
        revs.setdefault(record_id, []).append(rev)
        if answers.get(change_id) != (record_id, status, rev):
            strays.append((record_id, rev, change_id, status))
    assert not strays, (
        f"{len(strays)} revisions are not what the server answered for their change (stored"
        f" twice, or under another rev): {_sample(strays, 3)}"
    )
    gaps = {
        rid: revs.get(rid, [])
        for rid, head in server.heads.items()
        if revs.get(rid, []) != list(range(1, head[0] + 1))
    }
    assert not gaps, f"revisions not 1..head: {_sample(gaps.items())}"
    per_change = Counter(change_id for _, _, change_id, _ in server.revisions)
    doubled = {cid for cid, n in per_change.items() if n > 1}
    assert not doubled, f"changes stored as two revisions: {_sample(doubled)}"
    assert set(per_change) == set(answers), "an accepted change is not a revision"
    assert len(server.revisions) == len(answers)
    return statuses


def check_device_changes(fleet: Fleet, server: ServerState) -> None:
    """Each device sent only changes it made (the change id of one of its local saves), each
    is filed under that device, and the last save of every record it touched is on the server
    (earlier saves not sent yet may have been folded into a later one: one change per push)."""
    for device in fleet.pushers + fleet.pullers:
        assert device.snapshot is not None, device.name
        made = {cid for saves in device.snapshot.saves.values() for cid in saves}
        sent = {change.change_id for changes, _ in device.pushes for change in changes}
        foreign = sent - made
        assert not foreign, f"{device.name} sent changes it never made: {_sample(foreign)}"
        misfiled = {cid for cid in sent if server.change_devices.get(cid) != device.device_id}
        assert not misfiled, f"{device.name}: changes filed under another device"
        unsent = {
            rid: saves[-1]
            for rid, saves in device.snapshot.saves.items()
            if server.changes.get(saves[-1], ("", "", None))[1] not in ACCEPTED
        }
        assert not unsent, f"{device.name}: last saves not on the server: {_sample(unsent)}"


def check_nothing_lost(fleet: Fleet, server: ServerState) -> None:
    """Own records hold the officer's last save; shared edits are in a revision or kept in an
    open conflict; the delete that raced edits is a conflict for the clerk."""
    for device in fleet.pushers:
        for rid, (fields, deleted) in device.own.items():
            rev, head_deleted, _, head_fields, _ = server.heads[rid]
            assert (head_fields, head_deleted) == (fields, deleted), (device.name, rid, rev)
        for rid, key, value in device.shared_writes:
            kept = [f.get(key) for f in server.revision_fields[rid]]
            kept += server.open_conflicts.get(rid, {}).get(key, [])
            assert any(same_value(value, k) for k in kept), (device.name, rid, key, value)
    contested = fleet.shared[0]
    assert "_deleted" in server.open_conflicts.get(contested, {}), (
        "a delete racing edits must be a conflict for the clerk"
    )
    for rid, head in server.heads.items():
        assert head[2] == bool(server.open_conflicts.get(rid)), f"{rid}: conflict flag"


def check_converged(fleet: Fleet, server: ServerState) -> None:
    """Every device holds the server's heads; every pull page came in feed order."""
    last_seq = max(server.seqs.values())
    assert last_seq == server.counter, "a head carries a seq the feed counter never gave"
    problems: list[str] = []
    for device in fleet.pushers + fleet.pullers:
        problems += _device_problems(device, server, last_seq)
    assert not problems, "some devices did not converge:\n" + "\n".join(problems)


def _device_problems(device: Device, server: ServerState, last_seq: int) -> list[str]:
    snap = device.snapshot
    if snap is None:
        return [f"{device.name}: no snapshot"]
    found: list[str] = []
    if snap.outbox:
        found.append(f"changes left in the outbox: {_sample(snap.outbox, 3)}")
    if snap.unsettled:
        found.append(f"rev != base_rev: {_sample(snap.unsettled, 3)}")
    expected = {(rid, head[0]) for rid, head in server.heads.items()}
    seen = {(rid, head[0]) for rid, head in snap.heads.items()}
    if expected - seen:
        found.append(f"lacks {len(expected - seen)} heads {_sample(expected - seen, 3)}")
    if seen - expected:
        found.append(f"holds heads the server lacks {_sample(seen - expected, 3)}")
    differ = {rid for rid, head in server.heads.items() if snap.heads.get(rid, head) != head} - {
        rid for rid, _ in expected - seen
    }
    if differ:
        found.append(f"differs from the server on {len(differ)} records {_sample(differ, 3)}")
    if snap.cursor != last_seq:
        found.append(f"cursor {snap.cursor}, the feed ends at {last_seq}")
    for page in device.pages:
        if list(page.seqs) != sorted(set(page.seqs)) or any(s <= page.since for s in page.seqs):
            found.append(f"a page out of feed order after {page.since}: {page.seqs}")
        elif page.seqs and page.next_cursor != page.seqs[-1]:
            found.append(f"a page's cursor {page.next_cursor} is not its last seq")
    return [f"{device.name}: {problem}" for problem in found]


# --- the test ----------------------------------------------------------------------------------


def _users(server: RunningServer) -> tuple[list[Device], list[Device]]:
    pushers, pullers = [], []
    for n in range(PUSHERS):
        username = f"officer{n}"
        admin_here(server, "user", "add", username, "--role", "officer", "--station", STATION)
        pushers.append(Device(f"laptop-{n}", username, Path()))
    roles = ["clerk"] + ["officer"] * (PULLERS - 1)
    for n, role in enumerate(roles):
        username = f"watcher{n}"
        admin_here(server, "user", "add", username, "--role", role, "--station", STATION)
        pullers.append(Device(f"reader-{n}", username, Path(), pull_limit=5 + 2 * n))
    return pushers, pullers


def test_eight_devices_push_while_four_pull_and_all_converge_exactly_once(
    fleet_server: RunningServer, fleet_database: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    pushers, pullers = _users(fleet_server)
    for device in pushers + pullers:
        device.data_dir = tmp_path / device.name
        device.enroll(fleet_server)
    # Officer 0 makes the shared records; every device syncs once, so each officer holds
    # them before the rounds start (and has a block of record numbers).
    people = json.dumps([{**PERSON, "age": 40 + n} for n in range(SHARED)])
    shared = pushers[0].cli("add", "person", "--json", people).split()
    assert len(shared) == SHARED
    fleet = Fleet(pushers, pullers, shared)
    for device in pushers + pullers:
        device.sync_once(fleet)
    setup = time.monotonic() - started

    busy = fleet.run()

    server = read_server(fleet_database)
    created = set(shared).union(*(set(device.own) for device in pushers))
    statuses = check_exactly_once(fleet, created, server)
    check_device_changes(fleet, server)
    check_nothing_lost(fleet, server)
    check_converged(fleet, server)
    assert statuses["merged"] > 0 and statuses["conflict"] > 0, statuses
    pulled_meanwhile = [
        sum(len(page.seqs) for page in device.pages if page.while_pushing) for device in pullers
    ]
    assert all(pulled_meanwhile), f"a puller got nothing while others pushed: {pulled_meanwhile}"
    print(
        f"\nfleet: {len(created)} records, {len(server.revisions)} revisions"
        f" ({dict(statuses)}), {sum(map(len, server.open_conflicts.values()))} open conflicts;"
        f" pullers: {[d.syncs for d in pullers]} syncs, {pulled_meanwhile} heads while pushing;"
        f" retries {sum(d.retries for d in pushers + pullers)};"
        f" setup {setup:.1f} s, push/pull {busy:.1f} s"
    )
