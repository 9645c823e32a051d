"""The sync screen over a real vault: what waits, the changes the server refused with its
reasons in Arabic (each opens its record), and the device not enrolled yet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.messages import translate
from fieldapp.store.replica import ChangeOutcome, Replica
from tests.records import PERSON
from tests.ui.conftest import assert_no_unhandled
from tests.ui.keyboard import press
from ui.sync_screen import SyncScreen
from ui.sync_status import SyncController
from ui.workspace import Workspace


def refuse_everything_waiting(workspace: Workspace, reason: str) -> None:
    """The server's answer to the outbox: every change refused for `reason`."""
    replica = Replica(workspace.session.store)
    batch = replica.outbox_batch(50)
    replica.apply_results(
        [ChangeOutcome(c.change_id, c.record_id, "rejected", reason=reason) for c in batch]
    )


@pytest.fixture
def screen(workspace: Workspace, qtbot: QtBot) -> Iterator[SyncScreen]:
    controller = SyncController(workspace)
    shown = SyncScreen(workspace, controller)
    qtbot.addWidget(shown)
    yield shown
    controller.stop()


def wait_loaded(screen: SyncScreen, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: screen.counts_label.text() != "", timeout=10_000)


def test_a_refused_change_shows_the_servers_reason_in_arabic(
    workspace: Workspace, qtbot: QtBot, unhandled_errors: list[BaseException]
) -> None:
    workspace.session.store.add("person", PERSON)
    refuse_everything_waiting(workspace, "forbidden_station")
    shown = SyncScreen(workspace, SyncController(workspace))
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: len(shown.refused_list.record_ids()) == 1, timeout=10_000)
    assert "السجل تابع لمخفر آخر." in shown.refused_list.item(0).text()
    assert_no_unhandled(unhandled_errors)


def test_enter_on_a_refused_change_opens_its_record(workspace: Workspace, qtbot: QtBot) -> None:
    record = workspace.session.store.add("person", PERSON)
    refuse_everything_waiting(workspace, "invalid")
    shown = SyncScreen(workspace, SyncController(workspace))
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: shown.refused_list.count() == 1, timeout=10_000)
    shown.refused_list.setCurrentRow(0)
    with qtbot.waitSignal(shown.open_record, timeout=5_000) as opened:
        press(shown.refused_list, Qt.Key.Key_Return)
    assert opened.args == [record.id]


def test_changes_waiting_are_counted_in_arabic(
    workspace: Workspace, screen: SyncScreen, qtbot: QtBot
) -> None:
    workspace.session.store.add("person", PERSON)
    workspace.session.store.add("person", PERSON)
    screen.reload()
    expected = translate("today.pending_count", "ar", count=2)
    qtbot.waitUntil(lambda: expected in screen.counts_label.text(), timeout=10_000)
    assert expected == "تغييران بانتظار الإرسال"


def test_a_device_not_enrolled_says_so(screen: SyncScreen, qtbot: QtBot) -> None:
    wait_loaded(screen, qtbot)
    assert screen.identity_label.text() == translate("sync.status_not_enrolled", "ar")
