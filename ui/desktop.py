"""From start to the main window: the first run or the unlock screen opens a Session, then the
main window works on a Workspace over it. `ui.app` builds this once per process."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from fieldapp.session import Session
from ui.main_window import MainWindow, ScreenFactory
from ui.preferences import Preferences
from ui.start import opening
from ui.start.first_run import FirstRunScreen
from ui.start.unlock import UnlockScreen
from ui.tasks import TaskRunner
from ui.workspace import Workspace


class StartWindow(QWidget):
    """The window before the vault is open: the first run, or the unlock screen."""

    def __init__(self, screen: QWidget) -> None:
        super().__init__()
        self.start_screen = screen
        QVBoxLayout(self).addWidget(screen)
        self.setFocusProxy(screen)
        self.resize(900, 640)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Community police field app"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class Desktop(QObject):
    """The app's windows over the vault in `data_dir`; `opened` once the main window shows."""

    opened = Signal()

    def __init__(
        self,
        data_dir: Path,
        tasks: TaskRunner,
        preferences: Preferences,
        screens: Mapping[str, ScreenFactory],
    ) -> None:
        super().__init__()
        self._data_dir = data_dir
        self._tasks = tasks
        self._preferences = preferences
        self._screens = screens
        self.main_window: MainWindow | None = None
        # A file check of the vault's header, before the event loop runs: nothing waits on it.
        screen: FirstRunScreen | UnlockScreen
        if opening.vault_exists(data_dir):
            screen = UnlockScreen(data_dir, tasks, preferences)
            screen.unlocked.connect(self._open)
        else:
            screen = FirstRunScreen(data_dir, tasks, preferences)
            screen.opened.connect(self._open)
        self.start_window: StartWindow | None = StartWindow(screen)

    def fill_in_password(self, password: str) -> None:
        """Type `password` into the unlock screen (the demo's, whose vault holds generated
        records only); the officer presses Enter."""
        if self.start_window is not None and isinstance(
            self.start_window.start_screen, UnlockScreen
        ):
            self.start_window.start_screen.password.setText(password)

    def opened_window(self) -> MainWindow:
        """The main window, once `opened` was emitted."""
        if self.main_window is None:
            raise RuntimeError("the main window is not open yet")
        return self.main_window

    def show(self) -> None:
        if self.start_window is not None:
            self.start_window.show()

    def close_session(self) -> None:
        """Lock the vault at exit, after the vault work already asked for."""
        if self.main_window is not None and not self.main_window.is_locked:
            self._tasks.vault(self.main_window.workspace.session.close)

    def _open(self, session: Session) -> None:
        workspace = Workspace(session, self._tasks, self._preferences, self._data_dir)
        self.main_window = MainWindow(workspace, self._screens)
        self.main_window.show()
        if self.start_window is not None:
            self.start_window.close()
            self.start_window.deleteLater()
            self.start_window = None
        self.opened.emit()
