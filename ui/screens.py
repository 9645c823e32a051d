"""The app's screens wired together, in one place: the main window's sections, where records
open, the drafts on Today, and the sync (its controller shared by the status bar and the Sync
section, paused while the app is locked).

`FieldScreens` is made once per app; `ui.app` hands its `factories()` to the main window and
calls `attach(window)` when the window opens.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.drafts_list import DraftsList
from ui.lists.activities import ActivityList
from ui.lists.households import HouseholdList
from ui.main_window import MainWindow, ScreenFactory
from ui.new_record import NewRecordScreen
from ui.settings import SettingsScreen
from ui.sync_screen import SyncScreen
from ui.sync_status import BACKGROUND_MINUTES, SyncController, SyncStatusBar
from ui.today import TodayScreen
from ui.workspace import Workspace


class FieldScreens:
    """Builds each section's screen and keeps the one sync controller of the window."""

    def __init__(self, *, background_sync_minutes: float | None = None) -> None:
        self._minutes = background_sync_minutes
        self.controller: SyncController | None = None

    def factories(self) -> dict[str, ScreenFactory]:
        """The main window's sections, by name (ui.main_window.SECTIONS)."""
        return {
            "today": self._today,
            "households": HouseholdList,
            "activities": ActivityList,
            "new_record": NewRecordScreen,
            "sync": lambda ws: SyncScreen(ws, self.sync_controller(ws)),
            "settings": SettingsScreen,
        }

    def sync_controller(self, workspace: Workspace) -> SyncController:
        """The window's sync controller (made on first use)."""
        if self.controller is None:
            minutes = BACKGROUND_MINUTES if self._minutes is None else self._minutes
            self.controller = SyncController(workspace, interval_minutes=minutes)
        return self.controller

    def attach(self, window: MainWindow) -> None:
        """Put the sync in the status bar and start it; pause it while locked (the lock cuts a
        sync in flight), take it up again after the unlock; read the status after a save."""
        controller = self.sync_controller(window.workspace)
        controller.setParent(window)
        window.set_sync_widget(SyncStatusBar(window.workspace, controller))
        window.locked.connect(controller.pause)
        window.unlocked.connect(controller.resume)
        window.record_saved.connect(controller.refresh_status)
        controller.start()

    @staticmethod
    def _today(workspace: Workspace) -> QWidget:
        today = TodayScreen(workspace)
        today.set_drafts_widget(DraftsList(workspace))
        return today
