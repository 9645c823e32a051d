"""A record's history: each revision (created, edited, merged, a conflict, deleted), who made
it, when in Baghdad time and on which device, and the fields it changed, old and new value."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from fieldapp.history import HistoryView, history_view
from ui.workspace import Workspace


class HistoryPanel(QWidget):
    """The history of one record, read on the vault worker when first asked for."""

    def __init__(self, workspace: Workspace, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._record_id = record_id
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        self.loaded = False
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Field"), self.tr("Before"), self.tr("After")])
        self.tree.setAccessibleName(self.tr("History of the record"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def load(self) -> None:
        """Read the history again (e.g. after an edit or a change of language)."""
        store = self._workspace.session.store
        record_id, lang = self._record_id, self._workspace.lang
        self._workspace.tasks.vault(
            lambda: history_view(store, record_id, lang), self._show, context=self
        )

    def _show(self, history: HistoryView) -> None:
        self.tree.clear()
        for revision in reversed(history.revisions):  # newest first: what changed last on top
            head = QTreeWidgetItem([revision.lines(history.lang)[0]])
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for change in revision.changes:
                QTreeWidgetItem(head, [change.label, change.old_shown, change.new_shown])
            head.setExpanded(True)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self.loaded = True

    def rows(self) -> list[list[str]]:
        """What the officer reads, row by row (revision heads and their changed fields)."""
        shown = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            if head is None:
                continue
            shown.append([head.text(0)])
            children = (head.child(j) for j in range(head.childCount()))
            shown += [[c.text(k) for k in range(3)] for c in children if c is not None]
        return shown
