"""The sync's status bar on a device not enrolled yet: it says so, offers no sync, shows no
error (the sync itself is tested against a real server in tests/sync/test_app_sync.py)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.conftest import assert_no_unhandled
from ui.sync_status import Connectivity, SyncController, SyncStatusBar
from ui.workspace import Workspace


def test_a_device_not_enrolled_shows_not_enrolled_and_no_sync_button(
    workspace: Workspace, qtbot: QtBot, unhandled_errors: list[BaseException]
) -> None:
    controller = SyncController(workspace)
    failures: list[BaseException] = []
    controller.failed.connect(failures.append)
    bar = SyncStatusBar(workspace, controller)
    qtbot.addWidget(bar)
    controller.start()
    qtbot.waitUntil(
        lambda: controller.connectivity is Connectivity.NOT_ENROLLED and not controller.running,
        timeout=10_000,
    )
    controller.stop()
    assert bar.state_label.text() == "Not enrolled"
    assert not bar.sync_button.isEnabled()
    assert failures == []
    assert_no_unhandled(unhandled_errors)
