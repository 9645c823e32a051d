"""From start to the main window: the first run on an empty folder, the unlock screen on a vault."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from fieldapp import session as sessions
from fieldapp.messages import translate
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.vault import HEADER_FILE
from tests.conftest import TEST_PASSWORD
from tests.ui.keyboard import press, type_text
from tests.ui.shell import STRONG_PASSWORD
from ui.app import Options, start_desktop
from ui.desktop import Desktop, StartWindow
from ui.preferences import Preferences
from ui.start.first_run import FirstRunScreen
from ui.start.unlock import UnlockScreen
from ui.tasks import TaskRunner

Launch = Callable[[Path], Desktop]


@pytest.fixture
def launch(tasks: TaskRunner, preferences: Preferences) -> Iterator[Launch]:
    """Starts the app on a folder; sessions closed and windows gone afterwards."""
    made: list[Desktop] = []

    def start(folder: Path) -> Desktop:
        desktop = Desktop(folder, tasks, preferences, {})
        made.append(desktop)
        desktop.show()
        return desktop

    yield start
    for desktop in made:
        desktop.close_session()
        if desktop.main_window is not None:
            desktop.main_window.close()
    tasks.shutdown()


def unlocked(qtbot: QtBot, folder: Path, launch: Launch) -> Desktop:
    """Start on a folder holding a vault and unlock it from the unlock screen."""
    sessions.create(folder, TEST_PASSWORD, kdf=KdfParams.for_tests()).close()
    desktop = launch(folder)
    assert desktop.start_window is not None
    screen = desktop.start_window.start_screen
    assert isinstance(screen, UnlockScreen)
    type_text(screen.password, TEST_PASSWORD)
    press(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=10_000)
    return desktop


def test_an_empty_folder_starts_with_the_first_run_and_ends_in_the_main_window(
    qtbot: QtBot, tmp_path: Path, launch: Launch
) -> None:
    desktop = launch(tmp_path / "vault")
    assert desktop.start_window is not None
    screen = desktop.start_window.start_screen
    assert isinstance(screen, FirstRunScreen)
    screen.local_choice.click()
    type_text(screen.password.first, STRONG_PASSWORD)
    type_text(screen.password.second, STRONG_PASSWORD)
    screen.create_button.click()
    qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=10_000)
    assert desktop.main_window is not None and desktop.main_window.isVisible()
    assert desktop.start_window is None


def test_a_folder_with_a_vault_opens_the_main_window_after_the_unlock_screen(
    qtbot: QtBot, tmp_path: Path, launch: Launch
) -> None:
    desktop = unlocked(qtbot, tmp_path / "vault", launch)
    assert desktop.main_window is not None and desktop.main_window.isVisible()
    assert desktop.main_window.workspace.session.vault.is_unlocked
    assert desktop.start_window is None


def test_closing_the_app_locks_the_vault(qtbot: QtBot, tmp_path: Path, launch: Launch) -> None:
    desktop = unlocked(qtbot, tmp_path / "vault", launch)
    assert desktop.main_window is not None
    session = desktop.main_window.workspace.session
    desktop.close_session()
    qtbot.waitUntil(lambda: not session.vault.is_unlocked, timeout=10_000)


def test_the_fieldapp_command_opens_the_first_run_in_arabic_and_returns_when_quit(
    qapp: QApplication, tmp_path: Path
) -> None:
    hooks = sys.excepthook, threading.excepthook
    font = qapp.font()
    seen: list[QWidget] = []

    def look_then_quit() -> None:
        seen.extend(w for w in qapp.topLevelWidgets() if w.isVisible())
        qapp.exit(0)  # not quit(): that marks the shared test application as closing

    QTimer.singleShot(0, look_then_quit)
    try:
        assert start_desktop(Options(data_dir=tmp_path / "vault", lang="ar")) == 0
        [window] = [w for w in seen if isinstance(w, StartWindow)]
        assert isinstance(window.start_screen, FirstRunScreen)
        assert window.isRightToLeft()
        assert (sys.excepthook, threading.excepthook) == hooks  # given back at the end
    finally:
        qapp.setFont(font)
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        QLocale.setDefault(QLocale.c())


def test_a_damaged_vault_starts_with_the_unlock_screen_saying_so(
    qtbot: QtBot, tmp_path: Path, launch: Launch
) -> None:
    folder = tmp_path / "vault"
    sessions.create(folder, TEST_PASSWORD, kdf=KdfParams.for_tests()).close()
    (folder / HEADER_FILE).write_text("{ not a header", encoding="utf-8")
    desktop = launch(folder)
    assert desktop.start_window is not None
    screen = desktop.start_window.start_screen
    assert isinstance(screen, UnlockScreen)
    expected = translate("vault.damaged", "ar")
    qtbot.waitUntil(lambda: screen.message.text() == expected, timeout=10_000)
