"""New record: the record types the forms define, by their names in the officer's language;
choosing one starts its form (Enter, a double-click or the button)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QVBoxLayout

from ui.screen_parts import TranslatedWidget, heading_label
from ui.workspace import Workspace


class NewRecordScreen(TranslatedWidget):
    """Pick the kind of record to make."""

    start_record = Signal(str, object)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self._workspace = workspace
        self.heading = heading_label()
        self.types = QListWidget(self)
        self.types.itemActivated.connect(self._start)
        self.start_button = QPushButton(self)
        self.start_button.clicked.connect(lambda: self._start(self.types.currentItem()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.types, 1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeading)
        workspace.preferences.changed.connect(self._fill)
        self._fill()
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("New record"))
        self.types.setAccessibleName(self.tr("Kind of record"))
        self.start_button.setText(self.tr("&Start"))
        self.start_button.setAccessibleName(self.tr("Start a record of the chosen kind"))

    def _fill(self, _changed: object = None) -> None:
        # The form definitions are data loaded at unlock: no disk or connection is touched.
        forms = self._workspace.session.store.forms
        lang = self._workspace.lang
        chosen = self.types.currentItem()
        kept = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.types.clear()
        for record_type in forms.types():
            item = QListWidgetItem(forms.get(record_type).label(lang))
            item.setData(Qt.ItemDataRole.UserRole, record_type)
            self.types.addItem(item)
            if record_type == kept:
                self.types.setCurrentItem(item)
        if self.types.currentRow() < 0:
            self.types.setCurrentRow(0)

    def _start(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.start_record.emit(str(item.data(Qt.ItemDataRole.UserRole)), {})
