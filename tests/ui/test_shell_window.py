"""The main window's frame: it fits a 1366x768 laptop and sends screens' requests on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from fieldapp import session as sessions
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD
from ui.forms.editor import RecordEditor
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.start.first_run import FirstRunScreen
from ui.start.unlock import UnlockScreen
from ui.tasks import TaskRunner
from ui.workspace import Workspace


class StartsRecords(QWidget):
    """A screen with a button-less request: start a home visit for a household."""

    start_record = Signal(str, object)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()


def test_the_window_fits_a_1366_by_768_screen(qtbot: QtBot, workspace: Workspace) -> None:
    window = MainWindow(workspace, {})
    qtbot.addWidget(window)
    window.show()
    smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert smallest.width() <= 1366 and smallest.height() <= 700  # the rest: title and taskbar
    assert window.width() <= 1366 and window.height() <= 700


def test_a_screen_asking_for_a_new_record_opens_its_form_over_the_sections(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = MainWindow(workspace, {"households": StartsRecords})
    qtbot.addWidget(window)
    window.show_section(1)
    screen = window.section_screen("households")
    assert isinstance(screen, StartsRecords)
    screen.start_record.emit("home_visit", {"household_id": "h1"})
    form = window.records.current
    assert isinstance(form, RecordEditor)
    assert form.record_type == "home_visit"
    assert window.screens.currentWidget() is window.records
    window.records.back()  # the form closes: back to the section it was started from
    assert window.screens.currentWidget() is not window.records
    assert window.current_section == "households"


def test_the_sync_widget_shows_in_the_status_bar(qtbot: QtBot, workspace: Workspace) -> None:
    window = MainWindow(workspace, {})
    qtbot.addWidget(window)
    sync_state = QLabel("online")
    window.set_sync_widget(sync_state)
    window.show()
    assert sync_state.isVisible()
    assert window.statusBar().isAncestorOf(sync_state)


def test_every_control_of_the_start_screens_has_an_accessible_name(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner, preferences: Preferences
) -> None:
    folder = tmp_path / "vault"
    first_run = FirstRunScreen(folder, tasks, preferences)
    sessions.create(folder, TEST_PASSWORD, kdf=KdfParams.for_tests()).close()
    unlock = UnlockScreen(folder, tasks, preferences)
    for screen in (first_run, unlock):
        qtbot.addWidget(screen)
        unnamed = [
            type(control).__name__
            for kind in (QAbstractButton, QLineEdit)
            for control in screen.findChildren(kind)
            if not control.accessibleName()
        ]
        assert not unnamed, type(screen).__name__
