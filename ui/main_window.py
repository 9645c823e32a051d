"""The main window: navigation between the screens, the status bar, and the lock.

It wires screens together and does none of their work (STYLE.md point 2). The screens are built
by factories handed in (`screens`), each on its first visit, so the app wires every area in one
place (`ui.app`) and a section not built yet shows a placeholder.

Locking (Ctrl+L, or the idle time) shows the unlock screen instead of the data: the screens are
hidden, never destroyed, so unlocking returns to the same screen with its unsaved form. The
session's vault is closed on the vault's worker after the work already asked for (a save in
flight is kept); unlocking opens a new Session and puts it in `workspace.session`, which screens
read inside their tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from fieldapp.session import Session
from fieldapp.store.drafts import Draft
from ui.i18n import printing_font
from ui.idle import IdleWatch
from ui.record_area import RecordArea
from ui.start.unlock import UnlockScreen
from ui.workspace import Workspace

ScreenFactory = Callable[[Workspace], QWidget]

SECTIONS = ("today", "households", "activities", "new_record", "sync", "settings")
MINIMUM_SIZE = (960, 600)
DEFAULT_SIZE = (1280, 680)  # fits a 1366x768 screen with the taskbar and the title bar


@dataclass
class _Section:
    name: str
    page: QWidget  # holds the screen once built
    screen: QWidget | None = None


class MainWindow(QMainWindow):
    """The unlocked app. `locked` / `unlocked` tell others (the sync widget) when the session
    closed and when `workspace.session` holds the new one."""

    locked = Signal()
    unlocked = Signal()
    record_saved = Signal(str)  # a form saved a record (the sync reads what waits again)

    def __init__(
        self,
        workspace: Workspace,
        screens: Mapping[str, ScreenFactory],
        *,
        idle: IdleWatch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`idle`: the idle-lock watch (default: the officer's minutes on the real clock)."""
        super().__init__(parent)
        self.workspace = workspace
        self._factories = dict(screens)
        self._is_locked = False
        self._focus_before_lock: QWidget | None = None
        self._hidden_dialogs: list[QDialog] = []
        self.unlock_screen: UnlockScreen | None = None
        self._placeholders: list[QLabel] = []
        self._records: RecordArea | None = None

        self.navigation = QListWidget(self)
        self.navigation.setMaximumWidth(220)
        self.navigation.setSpacing(3)
        self.navigation.currentRowChanged.connect(self._show_section)
        # A click on the section already chosen still leaves an open record for it.
        self.navigation.itemClicked.connect(
            lambda _item: self._show_section(self.navigation.currentRow())
        )
        self.lock_button = QPushButton(self)
        self.lock_button.clicked.connect(self.lock)
        self.screens = QStackedWidget(self)
        self._sections: list[_Section] = []
        for name in SECTIONS:
            page = QWidget(self.screens)
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self.screens.addWidget(page)
            self._sections.append(_Section(name, page))
            self.navigation.addItem("")

        side = QVBoxLayout()
        side.addWidget(self.navigation, 1)
        side.addWidget(self.lock_button)
        self.data_page = QWidget(self)
        row = QHBoxLayout(self.data_page)
        row.addLayout(side)
        row.addWidget(self.screens, 1)
        self.top = QStackedWidget(self)
        self.top.addWidget(self.data_page)
        self.setCentralWidget(self.top)

        self._section_actions: list[QAction] = []
        for index in range(len(SECTIONS)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.show_section(i))
            self.addAction(action)
            self._section_actions.append(action)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.addAction(self.lock_action)

        self.idle = idle or IdleWatch(workspace.preferences)
        self.idle.setParent(self)
        self.idle.idle.connect(self.lock)
        self.idle.start()

        self.statusBar()  # made now: the sync widget's slot, and a stable layout
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*DEFAULT_SIZE)
        self.retranslate()
        self.navigation.setCurrentRow(0)

    # -- language --

    def retranslate(self) -> None:
        # No record data in the title: it shows in the task bar and the window switcher.
        self.setWindowTitle(self.tr("Community police field app"))
        labels = {
            "today": self.tr("Today"),
            "households": self.tr("Households"),
            "activities": self.tr("Activities"),
            "new_record": self.tr("New record"),
            "sync": self.tr("Sync"),
            "settings": self.tr("Settings"),
        }
        for index, section in enumerate(self._sections):
            label = labels[section.name]
            shortcut = QKeySequence(f"Ctrl+{index + 1}").toString(
                QKeySequence.SequenceFormat.NativeText
            )
            item = self.navigation.item(index)
            item.setText(label)
            item.setToolTip(shortcut)
            self._section_actions[index].setText(label)
        self.navigation.setAccessibleName(self.tr("Sections"))
        self.lock_button.setText(self.tr("&Lock"))
        self.lock_button.setAccessibleName(self.tr("Lock the app"))
        self.lock_button.setToolTip(self.tr("Lock now (Ctrl+L)"))
        self.screens.setAccessibleName(self.tr("Current section"))
        for placeholder in self._placeholders:
            placeholder.setText(self._placeholder_text())
            placeholder.setAccessibleName(self._placeholder_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- navigation --

    @property
    def current_section(self) -> str:
        return self._sections[self.screens.currentIndex()].name

    def section_screen(self, name: str) -> QWidget | None:
        """The screen of section `name`, if it was visited (built) already."""
        return self._sections[SECTIONS.index(name)].screen

    def show_section(self, index: int) -> None:
        if not self._is_locked:
            self.navigation.setCurrentRow(index)

    def _show_section(self, index: int) -> None:
        if index < 0:
            return
        section = self._sections[index]
        if section.screen is None:
            section.screen = self._build(section.name)
            layout = section.page.layout()
            assert layout is not None
            layout.addWidget(section.screen)
        self.screens.setCurrentIndex(index)

    def _build(self, name: str) -> QWidget:
        factory = self._factories.get(name)
        if factory is None:
            placeholder = QLabel(self._placeholder_text())
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            placeholder.setAccessibleName(self._placeholder_text())
            self._placeholders.append(placeholder)
            return placeholder
        screen = factory(self.workspace)
        self._wire(screen)
        return screen

    def _placeholder_text(self) -> str:
        return self.tr("This part of the app is not ready yet.")

    def _wire(self, screen: QWidget) -> None:
        """Connect a screen's requests to go elsewhere (signals it may have) to the hooks."""
        hooks: dict[str, Callable[..., None]] = {
            "open_record": self.open_record,
            "start_record": self.start_record,
            "edit_record": self.edit_record,
            "open_draft": self.open_draft,
        }
        for signal_name, hook in hooks.items():
            signal = getattr(screen, signal_name, None)
            if signal is not None:
                signal.connect(hook)

    # -- where screens ask to go: the record area, over the sections --

    @property
    def records(self) -> RecordArea:
        """Where records and forms open (made on first use)."""
        if self._records is None:
            self._records = RecordArea(self.workspace, font_family=printing_font())
            self._records.opened.connect(lambda: self.screens.setCurrentWidget(self._records))
            self._records.closed.connect(lambda: self._show_section(self.navigation.currentRow()))
            self._records.record_saved.connect(self.record_saved)
            self.screens.addWidget(self._records)
        return self._records

    def open_record(self, record_id: str) -> None:
        """A screen asked to show the record `record_id`."""
        self.records.open_record(record_id)

    def start_record(self, record_type: str, prefilled: object) -> None:
        """A screen asked for a new record of `record_type` with `prefilled` fields."""
        self.records.start_record(record_type, prefilled)

    def edit_record(self, record_id: str) -> None:
        """A screen asked to edit the record `record_id`."""
        self.records.edit_record(record_id)

    def open_draft(self, draft: object) -> None:
        """Today asked to take up an unsaved form again."""
        if isinstance(draft, Draft):
            self.records.open_draft(draft)

    # -- status bar --

    def set_sync_widget(self, widget: QWidget) -> None:
        """Put the sync state (online/offline, last sync) in the status bar."""
        self.statusBar().addPermanentWidget(widget)

    # -- lock --

    @property
    def is_locked(self) -> bool:
        return self._is_locked

    def lock(self) -> None:
        """Hide every screen behind the unlock screen and close the vault (the key leaves
        memory once the vault work already asked for is done)."""
        if self._is_locked:
            return
        self._is_locked = True
        self.idle.stop()
        self._focus_before_lock = QApplication.focusWidget()
        # Dialogs of the screens (a file chooser, a confirmation) may show record data.
        self._hidden_dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        if self.unlock_screen is None:
            self.unlock_screen = UnlockScreen(
                self.workspace.data_dir, self.workspace.tasks, self.workspace.preferences
            )
            self.unlock_screen.unlocked.connect(self._unlocked)
            self.top.addWidget(self.unlock_screen)
        else:
            self.unlock_screen.refresh()
        self.top.setCurrentWidget(self.unlock_screen)
        self.statusBar().hide()  # what other areas put there is theirs to say, not the lock's
        self._set_actions_enabled(False)
        self.unlock_screen.password.setFocus()
        session = self.workspace.session
        self.workspace.tasks.vault(session.close)
        self.locked.emit()

    def _unlocked(self, session: Session) -> None:
        self.workspace.session = session
        self._is_locked = False
        self.top.setCurrentWidget(self.data_page)
        self.statusBar().show()
        self._set_actions_enabled(True)
        for dialog in self._hidden_dialogs:
            dialog.show()
        self._hidden_dialogs = []
        focus = self._focus_before_lock
        if focus is not None and isValid(focus) and focus.isVisible():
            focus.setFocus()
        self.idle.start()
        self.unlocked.emit()

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in self._section_actions:
            action.setEnabled(enabled)
        self.lock_action.setEnabled(enabled)
