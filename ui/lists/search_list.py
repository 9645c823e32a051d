"""A search box over a lazy table of records, with a status line: the body of every list screen.

Typing searches (debounced by the model); Down moves from the box into the rows; Enter in the
box or on a row, or a double-click, opens the row's record. The status line says how many rows
are shown and whether more exist, and says so plainly when nothing matched.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldapp.numerals import format_count
from fieldapp.text import isolate
from ui.lists.model import LEFT_TO_RIGHT, ListState, SummaryModel
from ui.widgets.bidi import BidiDelegate
from ui.workspace import Workspace


class SearchableList(QWidget):
    """The search box, the rows of `model` and the status line; `open_record` carries the id
    of the row the officer opened."""

    open_record = Signal(str)

    def __init__(
        self, workspace: Workspace, model: SummaryModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.model = model
        self.search_box = QLineEdit(self)
        self.search_box.setClearButtonEnabled(True)
        self.table = QTableView(self)
        self.table.setModel(model)
        ltr = [i for i, c in enumerate(model.columns) if c in LEFT_TO_RIGHT]
        self.table.setItemDelegate(BidiDelegate(self.table, left_to_right_columns=ltr))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the title, last, takes the room left
        header.setDefaultSectionSize(150)
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.setTabOrder(self.search_box, self.table)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)  # Ctrl+F
        find.activated.connect(self._focus_search)

        self.search_box.textChanged.connect(model.search_as_typed)
        self.search_box.installEventFilter(self)
        self.table.activated.connect(self._open)
        model.state_changed.connect(self._show_state)
        model.refused.connect(self.status.setText)
        # A bound method: Qt drops the connection when this list is destroyed.
        workspace.preferences.changed.connect(self._preferences_changed)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_box and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                self._open(
                    self.table.currentIndex()
                    if self.table.currentIndex().isValid()
                    else self.model.index(0, 0)
                )
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
                self.table.setFocus()
                if not self.table.currentIndex().isValid():
                    self.table.setCurrentIndex(self.model.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    def _preferences_changed(self, _choices: object) -> None:
        self.model.reload()  # cells show language and digits

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.search_box.setPlaceholderText(self.tr("Search by name, number or phone"))
        self.search_box.setAccessibleName(self.tr("Search"))
        self.table.setAccessibleName(self.tr("Records"))
        self.status.setAccessibleName(self.tr("List status"))
        columns = self.model.columnCount()
        if columns:  # the model's headers are translated too
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        self._show_state(self.model.state)

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _open(self, index: QModelIndex) -> None:
        summary = self.model.summary_at(index.row()) if index.isValid() else None
        if summary is not None:
            self.open_record.emit(summary.id)

    def _show_state(self, state: ListState) -> None:
        count = format_count(state.shown, self._ws.lang, self._ws.preferences.digits)
        if state.loading and not state.shown:
            text = self.tr("Searching…")
        elif not state.shown and state.query:
            text = self.tr("Nothing matched “{query}”.").format(query=isolate(state.query))
        elif not state.shown:
            text = self.tr("No records yet.")
        elif state.more:
            text = self.tr("{count} shown; scroll down for more.").format(count=count)
        else:
            text = self.tr("{count} shown.").format(count=count)
        self.status.setText(text)
