"""A record's history: each revision (created, edited, merged, a conflict, deleted), who made
it, when in Baghdad time and on which device, and the fields it changed, old and new value."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from fieldapp.history import FieldChange, HistoryView, history_view
from fieldapp.presentation import LinkedRecord
from fieldapp.store.store import Store
from ui.workspace import Workspace

LINK_TYPES = frozenset({"record_id", "record_ids"})


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def readable_history(store: Store, record_id: str, lang: str) -> HistoryView:
    """The record's history (audited), with changed links named by the linked records' titles
    and numbers rather than their ids (runs on the vault worker)."""
    history = history_view(store, record_id, lang)
    form = store.forms.get(store.get(record_id).type)
    links = {f.key for f in form.fields if f.type in LINK_TYPES}
    changes = [c for r in history.revisions for c in r.changes if c.key in links]
    ids = sorted({i for c in changes for value in (c.old, c.new) for i in _ids(value)})
    if not ids:
        return history
    known = store.listing.by_ids(ids, lang=lang)
    separator = ", " if lang == "en" else "، "

    def named(value: Any) -> str:
        shown = []
        for i in _ids(value):
            summary = known.get(i)
            link = LinkedRecord(i, summary.number, summary.title, True) if summary else None
            shown.append(link.text(lang) if link else LinkedRecord(i, None, "", False).text(lang))
        return separator.join(shown)

    def readable(change: FieldChange) -> FieldChange:
        if change.key not in links:
            return change
        return replace(change, old_shown=named(change.old), new_shown=named(change.new))

    revisions = tuple(
        replace(r, changes=tuple(readable(c) for c in r.changes)) for r in history.revisions
    )
    return replace(history, revisions=revisions)


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
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
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
            lambda: readable_history(store, record_id, lang), self._show, context=self
        )

    def _show(self, history: HistoryView) -> None:
        self.tree.clear()
        for revision in reversed(history.revisions):  # newest first: what changed last on top
            head = QTreeWidgetItem([revision.lines(history.lang, history.digits)[0]])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for change in revision.changes:
                texts = [change.label, change.old_shown, change.new_shown]
                item = QTreeWidgetItem(head, texts)
                for column, text in enumerate(texts):
                    item.setToolTip(column, text)  # a long summary is cut in its cell
            head.setExpanded(True)
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
