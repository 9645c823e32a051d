"""Locking: Ctrl+L or idle time hides every screen behind the unlock screen and closes the vault;
unlocking returns to the same screen with what was typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_PASSWORD
from tests.ui.keyboard import press, type_text
from tests.ui.shell import MovableClock, RecordNames, visible_texts
from ui.idle import IdleWatch
from ui.main_window import MainWindow
from ui.workspace import Workspace

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: QtBot, filled_workspace: Workspace) -> Iterator[MainWindow]:
    """The main window over 30 households; its Households section lists people's names."""
    main = MainWindow(filled_workspace, {"households": RecordNames})
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main


def names_screen(qtbot: QtBot, window: MainWindow) -> RecordNames:
    """Go to Households (Ctrl+2) and wait for the names it reads from the vault."""
    QTest.keyClick(window, Qt.Key.Key_2, CTRL)
    screen = window.section_screen("households")
    assert isinstance(screen, RecordNames)
    qtbot.waitUntil(lambda: screen.names.text() != "", timeout=10_000)
    return screen


def unlock(qtbot: QtBot, window: MainWindow) -> None:
    assert window.unlock_screen is not None
    field = window.unlock_screen.password
    qtbot.waitUntil(field.isVisible, timeout=10_000)
    type_text(field, TEST_PASSWORD)
    press(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=10_000)


def test_ctrl_l_hides_every_name_shown_before(qtbot: QtBot, window: MainWindow) -> None:
    screen = names_screen(qtbot, window)
    name = screen.names.text().split("، ")[0]
    assert any(name in text for text in visible_texts(window))
    QTest.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.is_locked
    assert not window.data_page.isVisible()
    assert not window.statusBar().isVisible()
    assert not any(name in text for text in visible_texts(window))


def test_the_locked_window_draws_no_record_data(qtbot: QtBot, window: MainWindow) -> None:
    screen = names_screen(qtbot, window)
    where = screen.names.mapTo(window, QPoint(0, 0))
    shown = screen.names.grab().toImage()
    window.lock()
    drawn = window.grab().toImage().copy(where.x(), where.y(), shown.width(), shown.height())
    assert drawn.convertToFormat(shown.format()) != shown


def test_locking_closes_the_vault(qtbot: QtBot, window: MainWindow) -> None:
    session = window.workspace.session
    QTest.keyClick(window, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: not session.vault.is_unlocked, timeout=10_000)


def test_unlocking_returns_to_the_same_screen_with_the_unsaved_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    screen = names_screen(qtbot, window)
    screen.note.setFocus()
    type_text(screen.note, "زيارة منزلية لم تحفظ بعد")
    window.lock()
    unlock(qtbot, window)
    assert window.current_section == "households"
    assert window.section_screen("households") is screen
    assert screen.note.text() == "زيارة منزلية لم تحفظ بعد"
    assert screen.note.isVisible()


def test_after_unlocking_screens_work_on_the_new_session(qtbot: QtBot, window: MainWindow) -> None:
    before = window.workspace.session
    window.lock()
    unlock(qtbot, window)
    after = window.workspace.session
    assert after is not before
    assert after.vault.is_unlocked and not before.vault.is_unlocked


def test_sections_cannot_be_switched_while_locked(qtbot: QtBot, window: MainWindow) -> None:
    window.lock()
    QTest.keyClick(window, Qt.Key.Key_3, CTRL)
    assert window.current_section == "today"


@pytest.fixture
def watched(qtbot: QtBot, filled_workspace: Workspace) -> tuple[MainWindow, MovableClock]:
    """The main window whose idle lock reads a clock the test moves (looked at every 10 ms)."""
    clock = MovableClock()
    idle = IdleWatch(filled_workspace.preferences, clock=clock, check_ms=10)
    main = MainWindow(filled_workspace, {"households": RecordNames}, idle=idle)
    qtbot.addWidget(main)
    main.show()
    return main, clock


def test_the_window_locks_itself_after_the_idle_time(
    qtbot: QtBot, watched: tuple[MainWindow, MovableClock]
) -> None:
    main, clock = watched
    minutes = main.workspace.preferences.choices.idle_lock_minutes
    clock.advance(minutes * 60)
    qtbot.waitUntil(lambda: main.is_locked, timeout=10_000)
    assert not main.data_page.isVisible()


def test_typing_puts_off_the_idle_lock(
    qtbot: QtBot, watched: tuple[MainWindow, MovableClock]
) -> None:
    main, clock = watched
    minutes = main.workspace.preferences.choices.idle_lock_minutes
    screen = names_screen(qtbot, main)
    clock.advance(minutes * 60 - 1)
    type_text(screen.note, "م")
    clock.advance(minutes * 60 - 1)
    # Another check of the idle time ran after the move: the window is still open.
    ticks = main.idle.checks
    qtbot.waitUntil(lambda: main.idle.checks > ticks + 1, timeout=10_000)
    assert not main.is_locked
    clock.advance(1)
    qtbot.waitUntil(lambda: main.is_locked, timeout=10_000)


def test_the_idle_time_is_the_officers_choice_in_minutes(
    qtbot: QtBot, workspace: Workspace
) -> None:
    main = MainWindow(workspace, {})
    qtbot.addWidget(main)
    prefs = workspace.preferences
    assert main.idle.interval_ms == prefs.choices.idle_lock_minutes * 60_000
    prefs.update(type(prefs.choices)(language="ar", idle_lock_minutes=3))
    assert main.idle.interval_ms == 3 * 60_000


def test_ctrl_and_a_digit_opens_that_section(qtbot: QtBot, window: MainWindow) -> None:
    QTest.keyClick(window, Qt.Key.Key_3, CTRL)
    assert window.current_section == "activities"
    placeholder = window.section_screen("activities")
    assert placeholder is not None and placeholder.isVisible()


def test_every_control_of_the_window_has_an_accessible_name(window: MainWindow) -> None:
    window.lock()
    unnamed = [
        type(w).__name__
        for w in window.findChildren(QLineEdit)
        if w.isVisible() and not w.accessibleName()
    ]
    assert window.navigation.accessibleName() and window.lock_button.accessibleName()
    assert not unnamed
