"""The main window's frame: it fits a 1366x768 laptop and sends screens' requests on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
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


def test_a_screen_asking_for_a_new_record_brings_the_new_record_section(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = MainWindow(workspace, {"households": StartsRecords})
    qtbot.addWidget(window)
    window.show_section(1)
    screen = window.section_screen("households")
    assert isinstance(screen, StartsRecords)
    screen.start_record.emit("home_visit", {"household_id": "h1"})
    assert window.current_section == "new_record"
