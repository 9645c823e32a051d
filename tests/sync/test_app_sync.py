"""The sync in the desktop app against a real server (tests/sync/conftest.py): "Sync now" in the
status bar, progress, the last sync shown; a server that accepts and never answers does not hold
the app (the GUI keeps processing events, saves and searches answer, a stop or a lock ends the
sync); with the server down the bar says offline and no error is shown; a server without the
pinned certificate is explained on the sync screen in Arabic; a background sync takes what was
saved after the last one.

Real widgets on the offscreen platform, a real vault of an enrolled device. No translator is
installed here, so the texts are the English sources; numbers are in the officer's digits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from fieldapp.dates import local_time
from fieldapp.errors import UserFacingError
from fieldapp.numerals import format_count
from fieldapp.store.records import Record
from fieldapp.store.replica import SERVER_URL
from sync.client.engine import RetryPolicy
from sync.client.enroll import SERVER_CERT_FILE
from sync.client.report import SyncReport
from sync.client.transport import ServerNotTrusted
from sync.server import tls
from tests.drivers.device import Device
from tests.drivers.server_admin import records_count
from tests.drivers.silent_server import SilentServer
from tests.records import PERSON
from tests.server.serverproc import RunningServer, free_port
from ui.preferences import Choices, Preferences
from ui.sync_screen import SyncScreen
from ui.sync_status import Connectivity, LinkOptions, SyncController, SyncStatusBar
from ui.tasks import TaskRunner
from ui.workspace import Workspace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HOUR = 3600.0
WAIT = 30_000  # ms a result may take on a loaded machine
ONCE = RetryPolicy(max_attempts=1)

T = TypeVar("T")


class App:
    """What the officer has open: the workspace, the sync controller and its status bar."""

    def __init__(
        self, device: Device, qtbot: QtBot, link: LinkOptions, interval_minutes: float = 5.0
    ) -> None:
        self.unhandled: list[BaseException] = []
        self.failures: list[BaseException] = []
        self.tasks = TaskRunner(on_unhandled=self.unhandled.append)
        self.workspace = Workspace(
            session=device.session(),
            tasks=self.tasks,
            preferences=Preferences(Choices(language="ar")),
            data_dir=device.data_dir,
        )
        self.controller = SyncController(
            self.workspace, link=link, interval_minutes=interval_minutes
        )
        self.controller.failed.connect(self.failures.append)
        self.bar = SyncStatusBar(self.workspace, self.controller)
        qtbot.addWidget(self.bar)
        self.qtbot = qtbot

    def run_in_vault(self, fn: Callable[[], T]) -> T:
        """`fn()` on the vault's worker, as a screen asks for it; its result."""
        results: list[T] = []
        self.tasks.vault(fn, results.append)
        self.qtbot.waitUntil(lambda: bool(results), timeout=WAIT)
        return results[0]

    def close(self) -> None:
        self.controller.stop()
        self.qtbot.waitUntil(lambda: not self.controller.running, timeout=WAIT)
        self.tasks.shutdown()
        self.workspace.session.close()


@pytest.fixture
def enrolled(server: RunningServer, officer: str, device: Device) -> Device:
    device.enroll(server, officer)
    return device


@pytest.fixture
def app(enrolled: Device, qtbot: QtBot) -> Iterator[App]:
    opened = App(enrolled, qtbot, LinkOptions(policy=ONCE))
    yield opened
    opened.close()


def save_person(app: App, first_name: str) -> Record:
    store = app.workspace.session.store
    return app.run_in_vault(lambda: store.add("person", {**PERSON, "first_name": first_name}))


def sync_and_wait(app: App) -> None:
    QTest.mouseClick(app.bar.sync_button, Qt.MouseButton.LeftButton)
    app.qtbot.waitUntil(lambda: not app.controller.running, timeout=WAIT)


def test_sync_now_sends_a_record_saved_in_the_app(app: App, server: RunningServer) -> None:
    save_person(app, "زينب")
    sync_and_wait(app)
    assert records_count(server) == 1
    assert app.failures == [] and app.unhandled == []


def test_after_sync_now_the_bar_shows_the_new_last_sync_time(app: App) -> None:
    app.controller.refresh_status()
    app.qtbot.waitUntil(lambda: app.controller.status is not None, timeout=WAIT)
    assert app.bar.last_sync_label.text() == "Never synced"
    sync_and_wait(app)
    app.qtbot.waitUntil(lambda: "Last sync" in app.bar.last_sync_label.text(), timeout=WAIT)
    status = app.controller.status
    assert status is not None and status.last_sync is not None
    shown = local_time(status.last_sync, "ar")
    assert app.bar.last_sync_label.text() == f"Last sync: {shown}"
    assert app.bar.state_label.text() == "Online"


def test_progress_shows_the_changes_sent_of_those_waiting_in_arabic_digits(app: App) -> None:
    for name in ("زينب", "علي", "حسن"):
        save_person(app, name)
    shown: list[str] = []
    app.controller.progressed.connect(lambda _p: shown.append(app.bar.progress_label.text()))
    sync_and_wait(app)
    three = format_count(3, "ar")
    assert any(text.startswith(f"Sent {three} of {three}") for text in shown), shown


def test_a_record_saved_after_a_sync_leaves_with_the_next_background_sync(
    enrolled: Device, qtbot: QtBot
) -> None:
    app = App(enrolled, qtbot, LinkOptions(policy=ONCE), interval_minutes=0.005)
    try:
        reports: list[SyncReport] = []
        app.controller.finished.connect(reports.append)
        app.controller.start()
        qtbot.waitUntil(lambda: len(reports) >= 1, timeout=WAIT)
        save_person(app, "زينب")
        qtbot.waitUntil(lambda: any(r.pushed == 1 for r in reports), timeout=WAIT)
        assert app.failures == [] and app.unhandled == []
    finally:
        app.close()


# --- a server that accepts and never answers ----------------------------------------------


@pytest.fixture
def stuck(enrolled: Device, silent: SilentServer, qtbot: QtBot) -> Iterator[App]:
    """The app of a device whose server accepts and never answers, a sync waiting on it
    (timeouts of an hour: only a stop or a lock ends the wait)."""
    opened = App(enrolled, qtbot, LinkOptions(HOUR, HOUR, ONCE))
    store = opened.workspace.session.store
    opened.run_in_vault(lambda: store.set_state(SERVER_URL, silent.url))
    opened.controller.sync_now()
    qtbot.waitUntil(silent.accepted.is_set, timeout=WAIT)
    yield opened
    opened.close()


def test_the_event_loop_keeps_ticking_while_a_sync_waits(stuck: App, qtbot: QtBot) -> None:
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=WAIT)
    timer.stop()
    assert stuck.controller.running


def test_a_record_is_saved_and_found_while_a_sync_waits(stuck: App) -> None:
    saved = save_person(stuck, "نرجس")
    store = stuck.workspace.session.store
    hits = stuck.run_in_vault(lambda: store.listing.search("نرجس"))
    assert [h.summary.id for h in hits] == [saved.id]
    assert stuck.controller.running


def test_stopping_ends_a_sync_that_waits(stuck: App, qtbot: QtBot) -> None:
    stuck.controller.stop()
    qtbot.waitUntil(lambda: not stuck.controller.running, timeout=WAIT)
    assert stuck.failures == [] and stuck.unhandled == []


def test_locking_ends_a_sync_that_waits(stuck: App, qtbot: QtBot) -> None:
    stuck.workspace.session.close()
    qtbot.waitUntil(lambda: not stuck.controller.running, timeout=WAIT)
    assert stuck.failures == []


# --- the server down ----------------------------------------------------------------------


def test_with_the_server_down_the_bar_shows_offline_and_no_error(
    enrolled: Device, qtbot: QtBot, tmp_path: Path
) -> None:
    app = App(enrolled, qtbot, LinkOptions(policy=ONCE))
    try:
        store = app.workspace.session.store
        closed_port = f"https://127.0.0.1:{free_port()}"
        app.run_in_vault(lambda: store.set_state(SERVER_URL, closed_port))
        app.controller.sync_now()
        qtbot.waitUntil(lambda: app.controller.connectivity is Connectivity.OFFLINE, timeout=WAIT)
        assert app.bar.state_label.text() == "Offline"
        assert app.failures == [] and app.unhandled == []
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        assert not any(w.isVisible() for w in shown)
    finally:
        app.close()


def test_a_server_without_the_pinned_certificate_is_explained_in_arabic(
    enrolled: Device, qtbot: QtBot
) -> None:
    (enrolled.data_dir / SERVER_CERT_FILE).write_bytes(tls.make_certificate().cert_pem)
    app = App(enrolled, qtbot, LinkOptions(policy=ONCE))
    try:
        screen = SyncScreen(app.workspace, app.controller)
        qtbot.addWidget(screen)
        app.controller.sync_now()
        qtbot.waitUntil(lambda: bool(app.failures), timeout=WAIT)
        assert screen.error_label.text() == ServerNotTrusted().message("ar")
        assert app.bar.state_label.text() == "Sync problem"
        assert app.unhandled == []
    finally:
        app.close()


def test_a_missing_server_certificate_is_explained_and_nothing_is_tried(
    enrolled: Device, qtbot: QtBot
) -> None:
    (enrolled.data_dir / SERVER_CERT_FILE).unlink()
    app = App(enrolled, qtbot, LinkOptions(policy=ONCE))
    try:
        app.controller.sync_now()
        qtbot.waitUntil(lambda: bool(app.failures), timeout=WAIT)
        [error] = app.failures
        assert isinstance(error, UserFacingError) and error.key == "sync.certificate_missing"
        assert app.unhandled == []
    finally:
        app.close()
