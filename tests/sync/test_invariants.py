"""The sync invariants (DESIGN.md section 5) against real faults: a real `fieldapp-server`
process, real devices driven through fieldapp-cli (`sync.client.cli`), and a real TCP proxy on
loopback that cuts connections at random bytes (tests/netfault.py).

Trial counts come from the environment (defaults in brackets):
FIELDAPP_PROXY_CUTS [200] connections cut by the proxy, FIELDAPP_SYNC_KILLS [50] `sync`
processes killed with SIGKILL, FIELDAPP_SERVER_KILLS [5] servers killed mid-sync,
FIELDAPP_FAULT_SEED [20261118] the seed of every random choice here.

Verification reads the server's SQLite database directly (read-only): heads, revisions and the
idempotency table, so "exactly once" is checked on what the server stored, not on what it said.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from fieldapp.vault.vault import STATE_FILE
from tests.drivers.device import Device, Head, canonical, sync_in_turn
from tests.drivers.server_admin import conflicts, new_officer, records_count
from tests.netfault import NetFaultProxy, ProxyStats
from tests.records import PERSON, household
from tests.server.serverproc import RunningServer, start_server

SEED = int(os.environ.get("FIELDAPP_FAULT_SEED", "20261118"))
PROXY_CUTS = int(os.environ.get("FIELDAPP_PROXY_CUTS", "200"))
SYNC_KILLS = int(os.environ.get("FIELDAPP_SYNC_KILLS", "50"))
SERVER_KILLS = int(os.environ.get("FIELDAPP_SERVER_KILLS", "5"))
EXIT_OK, EXIT_UNREACHABLE = 0, 5

pytestmark = pytest.mark.slow


def add_people(device: Device, count: int, rng: random.Random) -> list[str]:
    """`count` people of random ages saved on `device` in one go; their ids."""
    return device.add_many("person", [{**PERSON, "age": rng.randint(18, 90)} for _ in range(count)])


def edit_some(device: Device, ids: list[str], rng: random.Random, n: int) -> None:
    """New random ages for `n` of `ids` (all if fewer), saved through the store."""
    with device.session() as s:
        for record_id in rng.sample(ids, min(n, len(ids))):
            s.store.edit(record_id, {"age": rng.randint(18, 90)})


class ServerDb:
    """Read-only look at the server's SQLite database."""

    def __init__(self, server: RunningServer) -> None:
        self.path = server.data_dir / "server.db"

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def heads(self, created_by: str | None = None) -> dict[str, Head]:
        """Heads of one user's records, or of every record (all in the test station)."""
        rows = self._rows(
            "SELECT id, rev, deleted, conflict, fields, number FROM records"
            " WHERE created_by = ? OR ? IS NULL",
            (created_by, created_by),
        )
        return {r[0]: (r[1], bool(r[2]), bool(r[3]), canonical(r[4]), r[5]) for r in rows}

    def revisions(self, record_ids: set[str]) -> dict[str, list[tuple[int, str]]]:
        out: dict[str, list[tuple[int, str]]] = {}
        for record_id, rev, change_id in self._rows(
            "SELECT record_id, rev, change_id FROM revisions ORDER BY record_id, rev"
        ):
            if record_id in record_ids:
                out.setdefault(record_id, []).append((rev, change_id))
        return out

    def accepted_changes(self, record_ids: set[str]) -> set[str]:
        rows = self._rows("SELECT change_id, record_id FROM changes WHERE status != 'rejected'")
        return {change_id for change_id, record_id in rows if record_id in record_ids}

    def rejections(self) -> list[tuple[str, str, str]]:
        return [(r[0], r[1], r[2]) for r in self._rows(
            "SELECT change_id, record_id, reason FROM rejections"
        )]  # fmt: skip


def assert_exactly_once(db: ServerDb, heads: dict[str, Head]) -> None:
    """Every revision of every record is there once: revs 1..head, no change id twice, and
    exactly the accepted changes became revisions (a replay added none)."""
    ids = set(heads)
    revisions = db.revisions(ids)
    assert set(revisions) == ids
    change_ids: list[str] = []
    for record_id, revs in revisions.items():
        assert [rev for rev, _ in revs] == list(range(1, heads[record_id][0] + 1)), record_id
        change_ids += [change_id for _, change_id in revs]
    assert len(change_ids) == len(set(change_ids)), "a change became two revisions"
    assert set(change_ids) == db.accepted_changes(ids)


@pytest.fixture
def proxy(server: RunningServer) -> Iterator[NetFaultProxy]:
    with NetFaultProxy(("127.0.0.1", server.port), seed=SEED) as running:
        yield running


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` every 10 ms for at most `timeout` seconds; whether it came true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _more_connections(before: int, stats: ProxyStats) -> bool:
    return stats.connections > before


def _exited_or_moved(
    process: subprocess.Popen[bytes], proxy: NetFaultProxy, start: ProxyStats, up: int, down: int
) -> bool:
    """The process has ended, or `up` and `down` more bytes went through the proxy."""
    now = proxy.stats()
    moved = now.bytes_up - start.bytes_up >= up and now.bytes_down - start.bytes_down >= down
    return process.poll() is not None or moved


def converge(devices: list[Device], db: ServerDb, officer: str) -> dict[str, Head]:
    """Clean syncs until nothing moves; every device then holds the server's heads."""
    sync_in_turn(*devices)
    station_heads = db.heads()  # every device holds every record of its station
    for device in devices:
        assert device.outbox() == []
        assert device.heads() == station_heads
    return db.heads(officer)


# --- 1. the proxy cuts connections at random bytes ---------------------------------------------


def test_cut_connections_in_both_directions_lose_nothing_and_duplicate_nothing(
    server: RunningServer, proxy: NetFaultProxy, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    officer = new_officer(server)
    device = Device(tmp_path / "laptop-a")
    device.enroll(server, officer, url=proxy.url())
    ids = add_people(device, 60, rng)
    # A clean sync of 60 new records is ~4.5 kB up and ~6.5 kB down (TLS handshake included),
    # a later one with a few changes ~1.5 kB and ~2.5 kB: these ranges land cuts in the
    # handshake, in request bodies and in response bodies. One connection in ten is spared, so
    # that the first big push gets through too.
    proxy.configure(cut_probability=0.9, up_cut=(0, 5_000), down_cut=(0, 7_000))
    runs = rounds = 0
    while proxy.stats().cuts < PROXY_CUTS:
        rounds += 1
        for failed in range(400):
            if failed and failed % 5 == 0:  # edits keep coming while the line is bad
                edit_some(device, ids, rng, 2)
            runs += 1
            if device.sync_attempt().code == EXIT_OK:
                break
        else:
            raise AssertionError("no sync got through in 400 runs")
        proxy.configure(up_cut=(0, 2_500), down_cut=(0, 3_500))
        if rounds % 4 == 0:
            ids += add_people(device, rng.randint(1, 3), rng)
        edit_some(device, ids, rng, 4)
    stats = proxy.stats()
    assert stats.cuts_up >= PROXY_CUTS // 4 and stats.cuts_down >= PROXY_CUTS // 4, stats
    proxy.configure(cut_probability=0.0)
    device.ok("sync", "--retries", "0")
    assert device.outbox() == []
    db = ServerDb(server)
    heads = db.heads(officer)
    assert sorted(heads) == sorted(ids)
    count = records_count(server)
    assert count >= len(ids)
    assert_exactly_once(db, heads)
    fresh = Device(tmp_path / "laptop-b")
    fresh.enroll(server, officer)
    assert converge([device, fresh], db, officer) == heads
    print(f"\n{stats.cuts} cuts ({stats.cuts_up} up, {stats.cuts_down} down) over {runs} syncs, "
          f"{rounds} rounds, {len(ids)} records")  # fmt: skip


def test_files_cross_a_cutting_line_both_ways_intact_and_resume_chunk_by_chunk(
    server: RunningServer, proxy: NetFaultProxy, tmp_path: Path
) -> None:
    """Invariant 8 for attachment chunks: uploads and downloads cut at random bytes resume;
    every file arrives whole (SHA-256 checked) on the server and on the other device."""
    rng = random.Random(SEED + 8)
    officer = new_officer(server)
    sender, receiver = Device(tmp_path / "laptop-a"), Device(tmp_path / "laptop-b")
    sender.enroll(server, officer, url=proxy.url())
    receiver.enroll(server, officer, url=proxy.url())
    ids = add_people(sender, 3, rng)
    photos = {record_id: rng.randbytes(rng.randint(70_000, 200_000)) for record_id in ids}
    with sender.session() as s:
        for record_id, photo in photos.items():
            s.store.attach(record_id, io.BytesIO(photo), name="photo.jpg", mime="image/jpeg")
    # Every connection is cut within its first 150 kB, inside the 64 KiB chunks (uploads, then
    # downloads); a connection whose cut would come after its last byte gets through.
    proxy.configure(cut_probability=1.0, up_cut=(10_000, 150_000), cut_direction="up")
    _, up_failures = sender.sync_until_success()
    proxy.configure(down_cut=(10_000, 150_000), cut_direction="down")
    _, down_failures = receiver.sync_until_success()
    stats = proxy.stats()
    assert up_failures and down_failures and stats.cuts_up and stats.cuts_down, stats
    proxy.configure(cut_probability=0.0)
    for device in (sender, receiver):
        with device.session() as s:
            for record_id, photo in photos.items():
                [(sha, _name, _mime, size)] = s.store.attachments_of(record_id)
                copy = io.BytesIO()
                assert s.store.read_attachment(record_id, sha, copy) == size == len(photo)
                assert copy.getvalue() == photo
    assert receiver.sync_until_success()[0]["pulled"] == 0
    print(f"\nfiles: {stats.cuts} cuts, {up_failures} failed uploads, "
          f"{down_failures} failed downloads")  # fmt: skip


# --- 2. the device's sync process is killed at random moments ---------------------------------


def check_device_after_kill(
    device: Device, saved: dict[str, str], db: ServerDb, officer: str
) -> None:
    """The vault opens, is intact, its audit chain verifies, and every saved state is either
    waiting in the outbox or on the server."""
    assert device.cli("check").code == EXIT_OK
    assert device.cli("audit", "verify").code == EXIT_OK
    local = device.local_fields()
    pending = {record_id for _, record_id, state in device.outbox() if state == "pending"}
    on_server = db.heads()  # the device holds other officers' records of its station too
    for record_id, fields in saved.items():
        assert local.get(record_id) == fields, f"{record_id}: the saved state changed"
        if record_id not in pending:
            assert record_id in on_server, f"{record_id} is neither pending nor on the server"
            assert on_server[record_id][3] == fields, f"{record_id}: server lacks the last edit"


def _interrupted_unlock(state_file: Path) -> bool:
    """Whether a killed unlock left its attempt in flight; fails if it left a failure."""
    if not state_file.exists():
        return False
    state = json.loads(state_file.read_bytes())
    assert state["failures"] == [], "a right password killed mid-unlock counted as a failure"
    return bool(state["in_flight"])


def test_killing_sync_at_random_points_loses_nothing(
    server: RunningServer, proxy: NetFaultProxy, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 2)
    officer = new_officer(server)
    device = Device(tmp_path / "laptop-a")
    device.enroll(server, officer, url=proxy.url())
    ids = add_people(device, 40, rng)
    db = ServerDb(server)
    # A little latency per chunk, so that a sync takes long enough to be killed in its middle.
    proxy.configure(chunk_delay=0.01)
    killed = finished = throttled = 0
    while killed < SYNC_KILLS:
        before = proxy.stats().connections
        saved = device.local_fields()
        process = device.spawn("sync", "--retries", "0")
        if rng.random() < 0.3:  # anywhere: while starting, opening the vault, or talking
            time.sleep(rng.uniform(0.0, 0.8))
        else:  # once it is talking to the server
            proxy.wait_until(partial(_more_connections, before), 10)
            time.sleep(rng.uniform(0.0, 0.12))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        else:
            finished += 1
        process.wait(10)
        # A process killed while unlocking leaves its attempt in flight, never a failure (the
        # password is right), and the kill freed its slot: the next unlock goes ahead at once
        # (fieldapp/vault/lockout.py).
        throttled += _interrupted_unlock(device.data_dir / STATE_FILE)
        check_device_after_kill(device, saved, db, officer)
        if rng.random() < 0.5:
            ids += add_people(device, rng.randint(1, 3), rng)
        edit_some(device, ids, rng, rng.randint(0, 3))
    proxy.configure(chunk_delay=0.0)
    saved = device.local_fields()
    device.ok("sync", "--retries", "0")
    check_device_after_kill(device, saved, db, officer)
    assert device.outbox() == []
    heads = db.heads(officer)
    assert sorted(heads) == sorted(ids)
    assert {record_id: head[3] for record_id, head in heads.items()} == {
        record_id: saved[record_id] for record_id in ids
    }
    assert_exactly_once(db, heads)
    print(
        f"\n{killed} syncs killed, {finished} finished first, {throttled} killed mid-unlock,"
        f" {len(ids)} records"
    )


# --- 3. the server is killed mid-sync and restarted ---------------------------------------------


def test_a_server_killed_mid_sync_and_restarted_is_caught_up_with(
    server: RunningServer, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 3)
    officer = new_officer(server)
    # Its own server process (the module's one must survive), on the same data folder.
    own = start_server(server.data_dir, fingerprint=server.fingerprint, log_name="kill.log")
    device = Device(tmp_path / "laptop-a")
    try:
        with NetFaultProxy(("127.0.0.1", own.port), seed=SEED, chunk_delay=0.005) as proxy:
            device.enroll(own, officer, url=proxy.url())
            ids = add_people(device, 60, rng)
            mid_sync = 0
            for _ in range(SERVER_KILLS):
                ids += add_people(device, 10, rng)
                edit_some(device, ids, rng, 10)
                process = device.spawn("sync", "--retries", "0")
                start = proxy.stats()
                up, down = rng.randint(300, 2_500), rng.randint(0, 3_000)
                wait_for(partial(_exited_or_moved, process, proxy, start, up, down), 20)
                mid_sync += process.poll() is None
                own.process.send_signal(signal.SIGKILL)
                own.process.wait(10)
                assert process.wait(30) in (EXIT_OK, EXIT_UNREACHABLE)
                assert device.sync_attempt().code == EXIT_UNREACHABLE  # nobody there
                own = start_server(server.data_dir, fingerprint=server.fingerprint)
                proxy.set_upstream(own.port)
                report, _failed = device.sync_until_success(limit=5)
                assert device.outbox() == []
                assert report["rejected"] == 0
            db = ServerDb(server)
            heads = db.heads(officer)
            assert sorted(heads) == sorted(ids)
            local = device.local_fields()
            assert {k: v[3] for k, v in heads.items()} == {k: local[k] for k in ids}
            assert_exactly_once(db, heads)
            assert mid_sync >= SERVER_KILLS // 2, "most kills should land mid-sync"
            print(f"\n{SERVER_KILLS} server kills, {mid_sync} while a sync was running")
    finally:
        own.process.kill()
        own.process.wait()


# --- 4. invariants 9, 10 and 5 end to end ------------------------------------------------------


def test_a_pull_never_overwrites_a_pending_local_change(
    server: RunningServer, proxy: NetFaultProxy, tmp_path: Path
) -> None:
    officer = new_officer(server)
    a, b = Device(tmp_path / "laptop-a"), Device(tmp_path / "laptop-b")
    a.enroll(server, officer, url=proxy.url())
    b.enroll(server, officer)
    [same, other] = a.ok("add", "person", "--json", json.dumps([PERSON, PERSON])).out.split()
    a.ok("sync", "--retries", "0")
    b.ok("sync", "--retries", "0")
    a.ok("edit", same, "--json", json.dumps({"age": 50}))  # pending on A
    a.ok("edit", other, "--json", json.dumps({"phone": "07701234567"}))  # pending on A
    b.ok("edit", same, "--json", json.dumps({"age": 60}))  # the same field: a conflict later
    b.ok("edit", other, "--json", json.dumps({"age": 61}))  # another field: merges later
    b.ok("sync", "--retries", "0")
    with a.session() as s:  # A pulls B's heads while its own edits wait (engine.pull only)
        engine = a.engine(s)
        try:
            assert engine.pull() >= 0
        finally:
            engine.transport.close()
        rows = dict(s.store.connection.execute("SELECT id, fields FROM records").fetchall())
    assert json.loads(rows[same])["age"] == 50  # not overwritten by the pull
    assert json.loads(rows[other])["age"] == PERSON["age"]
    assert {r for _, r, _ in a.outbox()} == {same, other}
    # The pending changes kept their base and are merged by the server like any other.
    report = a.ok("sync", "--json", "--retries", "0").json()
    assert (report["pushed"], report["conflicts"]) == (2, 1)
    heads = converge([a, b], ServerDb(server), officer)
    assert json.loads(heads[other][3])["age"] == 61
    assert json.loads(heads[other][3])["phone"] == "+9647701234567"
    assert heads[same][2] is True  # the conflict is visible on both devices
    assert json.loads(heads[same][3])["age"] == 60  # what reached the server first stays


def test_a_delete_racing_an_edit_is_a_conflict_on_both_devices_even_over_a_cut_line(
    server: RunningServer, proxy: NetFaultProxy, tmp_path: Path
) -> None:
    officer = new_officer(server)
    a, b = Device(tmp_path / "laptop-a"), Device(tmp_path / "laptop-b")
    a.enroll(server, officer, url=proxy.url())
    b.enroll(server, officer)
    [deleted_here, edited_here] = a.ok(
        "add", "person", "--json", json.dumps([PERSON, PERSON])
    ).out.split()
    a.ok("sync", "--retries", "0")
    b.ok("sync", "--retries", "0")
    a.ok("delete", deleted_here, "--yes")  # A deletes one, B edits it
    b.ok("edit", deleted_here, "--json", json.dumps({"age": 36}))
    a.ok("edit", edited_here, "--json", json.dumps({"age": 37}))  # and the other way round
    b.ok("delete", edited_here, "--yes")
    b.ok("sync", "--retries", "0")
    proxy.configure(cut_probability=0.7, up_cut=(0, 3_000), down_cut=(0, 4_000))
    report, _failed = a.sync_until_success()
    proxy.configure(cut_probability=0.0)
    assert report["conflicts"] + report["merged"] >= 0
    heads = converge([a, b], ServerDb(server), officer)
    for record_id in (deleted_here, edited_here):
        assert heads[record_id][2] is True, "the race must be a conflict, not silent"
    # Whatever reached the server first stays until a clerk decides: B's edit (not deleted),
    # B's delete (deleted); the other side's change is kept in the conflict.
    assert heads[deleted_here][1] is False
    assert heads[edited_here][1] is True
    assert_exactly_once(ServerDb(server), heads)
    listed = conflicts(server)
    fields = {(c["record_id"], c["field"]) for c in listed}
    assert {(deleted_here, "_deleted"), (edited_here, "_deleted")} <= fields
    for device in (a, b):
        assert device.ok("status", "--json").json()["conflicts"] >= 2


def test_one_bad_change_is_rejected_and_the_rest_go_through(
    server: RunningServer, proxy: NetFaultProxy, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 4)
    officer = new_officer(server)
    device = Device(tmp_path / "laptop-a")
    device.enroll(server, officer, url=proxy.url())
    ids = add_people(device, 20, rng)
    ids += device.ok("add", "household", "--json", json.dumps(household())).out.split()
    bad = ids[7]
    with device.session() as s:  # as from a laptop with outdated form definitions
        s.store.connection.execute(
            "UPDATE outbox SET fields = ? WHERE record_id = ?",
            (json.dumps({**PERSON, "nickname": "أبو علي"}), bad),
        )
    proxy.configure(cut_probability=0.5, up_cut=(0, 3_000), down_cut=(0, 4_000))
    report, _failed = device.sync_until_success()
    proxy.configure(cut_probability=0.0)
    assert report["rejected"] <= 1  # a run cut after the push answer may have counted it
    status = device.ok("status", "--json").json()
    assert (status["pending"], status["rejected"]) == (0, 1)
    [rejected] = status["rejected_changes"]
    assert rejected["record_id"] == bad
    assert "nickname" in {p["field"] for p in rejected["problems"]}
    db = ServerDb(server)
    heads = db.heads(officer)
    assert sorted(heads) == sorted(set(ids) - {bad})
    assert_exactly_once(db, heads)
    assert [(r[1], r[2]) for r in db.rejections() if r[1] == bad] == [(bad, rejected["reason"])]
