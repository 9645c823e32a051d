"""The sync on its own thread and connection, beside the vault's worker (issue 7, section 1).

A sync over a slow link can wait minutes on the network: it works over its own connection to
the unlocked vault (`Session.open_for_sync`), so saves and searches answer meanwhile. Locking
stops it with VaultLocked and loses nothing. A background sync never asks for the password and
makes no unlock attempt. See docs/adr/0012-threads-and-connections.md.

The stuck server is a plain socket on 127.0.0.1 that accepts and never says a word; the client's
timeouts are an hour, so only the lock can end the sync. Nothing here waits on a timer: the
tests wait for events (a connection accepted, a thread ended) with generous limits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fieldapp import session as sessions
from fieldapp.errors import VaultLocked
from fieldapp.store.replica import SERVER_URL, Replica
from fieldapp.vault.vault import STATE_FILE
from sync.client.engine import RetryPolicy, SyncEngine, background_sync
from sync.client.enroll import SERVER_CERT_FILE
from sync.client.report import SyncReport
from sync.client.transport import Transport
from sync.protocol import PushRequest, PushResponse
from tests.drivers.device import Device
from tests.drivers.server_admin import new_officer
from tests.drivers.silent_server import SilentServer
from tests.records import PERSON
from tests.server.serverproc import RunningServer

HOUR = 3600.0
PATIENCE = 60.0  # seconds an event may take on a loaded machine before the test gives up


@pytest.fixture
def device(server: RunningServer, tmp_path: Path) -> Device:
    """An enrolled device that has synced once (so it holds record numbers: the next sync
    starts with the push) and has two records waiting in its outbox."""
    laptop = Device(tmp_path / "laptop")
    laptop.enroll(server, new_officer(server))
    laptop.sync()
    laptop.add("person", PERSON)
    laptop.add("person", {**PERSON, "first_name": "علي"})
    return laptop


def transport_for(
    device: Device, access: sessions.SyncAccess, kind: type[Transport] = Transport, **extra: Any
) -> Transport:
    """The device's pinned transport, with timeouts so long that only a lock ends a wait."""
    identity = Replica(access.store).identity()
    assert identity is not None
    cert = device.data_dir / SERVER_CERT_FILE
    return kind(
        identity.server_url,
        cert,
        identity.device_id,
        identity.token,
        connect_timeout=HOUR,
        read_timeout=HOUR,
        **extra,
    )


@dataclass
class SyncThread:
    """`engine.sync()` on a thread of its own; what it returned or raised."""

    engine: SyncEngine
    report: SyncReport | None = None
    error: BaseException | None = None
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.report = self.engine.sync()
        except BaseException as exc:
            self.error = exc

    def join(self) -> None:
        self.thread.join(PATIENCE)
        assert not self.thread.is_alive(), "the sync did not stop"


@dataclass
class StuckSync:
    session: sessions.Session
    access: sessions.SyncAccess
    sync: SyncThread


@pytest.fixture
def stuck(device: Device, silent: SilentServer) -> Iterator[StuckSync]:
    """The device unlocked, its server address moved to the silent server, and a sync on its
    own thread blocked in the push (the server has accepted the connection)."""
    session = device.session()
    session.store.set_state(SERVER_URL, silent.url)
    access = session.open_for_sync()
    link = transport_for(device, access)
    engine = SyncEngine.over(access, link, policy=RetryPolicy(max_attempts=1))
    running = SyncThread(engine)
    assert silent.accepted.wait(PATIENCE), "the sync never reached the server"
    yield StuckSync(session, access, running)
    session.close()
    running.join()
    link.close()


def test_saves_and_searches_answer_while_a_sync_waits_on_a_silent_server(
    stuck: StuckSync,
) -> None:
    store = stuck.session.store
    saved = store.add("person", {**PERSON, "first_name": "زينب", "sex": "female"})
    hits = store.search("زينب")
    assert [hit.record.id for hit in hits] == [saved.id]
    assert store.pending_count() == 3
    assert stuck.sync.thread.is_alive()  # still waiting: the answers did not wait for it


def test_locking_stops_a_stuck_sync_with_vault_locked(stuck: StuckSync) -> None:
    stuck.session.close()
    stuck.sync.join()
    assert isinstance(stuck.sync.error, VaultLocked)
    assert stuck.access.locked


def test_a_sync_stopped_by_a_lock_keeps_its_outbox(stuck: StuckSync, device: Device) -> None:
    stuck.session.close()
    stuck.sync.join()
    status = device.status()
    assert (status["pending"], status["rejected"]) == (2, 0)


def test_a_sync_stopped_by_a_lock_delivers_everything_after_the_next_unlock(
    stuck: StuckSync, device: Device, server: RunningServer
) -> None:
    stuck.session.close()
    stuck.sync.join()
    with device.session() as session:
        session.store.set_state(SERVER_URL, server.base_url)
    assert device.sync()["pushed"] == 2
    assert device.status()["pending"] == 0


class LockAfterPush(Transport):
    """The server commits the push; the vault locks before the device has read the answer."""

    def __init__(self, *args: Any, lock: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = lock

    def push(self, request: PushRequest) -> PushResponse:
        response = super().push(request)
        self._lock()
        return response


def test_a_lock_between_the_servers_answer_and_the_bookkeeping_loses_nothing(
    device: Device,
) -> None:
    session = device.session()
    access = session.open_for_sync()
    link = transport_for(device, access, LockAfterPush, lock=session.close)
    engine = SyncEngine.over(access, link, policy=RetryPolicy(max_attempts=1))
    with pytest.raises(VaultLocked):
        engine.sync()
    link.close()
    assert device.status()["pending"] == 2  # the answer was never written down
    assert device.sync()["pushed"] == 2  # the replay is answered as the first delivery was
    assert device.status()["pending"] == 0


# --- background sync on the unlocked session ---------------------------------------------------


def test_a_background_sync_makes_no_unlock_attempt(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = device.session()
    monkeypatch.delenv("FIELDAPP_PASSWORD")  # nothing could answer a password prompt now
    # An unlock attempt, right or wrong, would rewrite or remove this file.
    state = device.data_dir / STATE_FILE
    state.write_bytes(b'{"version": 2, "failures": [1000.0], "in_flight": []}')
    before = state.read_bytes()
    reports: list[SyncReport] = []
    done = threading.Event()

    def reported(report: SyncReport) -> None:
        reports.append(report)
        done.set()

    def failed(exc: BaseException) -> None:
        done.set()

    try:
        with session.open_for_sync() as access:
            link = transport_for(device, access)
            helper = background_sync(
                access,
                link,
                interval=HOUR,
                on_report=reported,
                on_error=failed,
            )
            helper.start()
            assert done.wait(PATIENCE)
            helper.stop()
            link.close()
    finally:
        session.close()
    assert [report.pushed for report in reports] == [2]
    assert state.read_bytes() == before


def test_a_background_sync_ends_with_vault_locked_when_the_vault_locks(
    device: Device, silent: SilentServer
) -> None:
    session = device.session()
    session.store.set_state(SERVER_URL, silent.url)
    errors: list[BaseException] = []
    ended = threading.Event()

    def failed(exc: BaseException) -> None:
        errors.append(exc)
        ended.set()

    access = session.open_for_sync()
    link = transport_for(device, access)
    helper = background_sync(access, link, interval=HOUR, on_error=failed)
    helper.start()
    assert silent.accepted.wait(PATIENCE)  # its probe is waiting on the silent server
    session.close()
    assert ended.wait(PATIENCE)
    helper.stop()
    link.close()
    assert [type(error) for error in errors] == [VaultLocked]
