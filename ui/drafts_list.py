"""The forms the officer left unsaved, newest first, each by its kind and when it was last
typed in; opening one takes the form up again as it was left (Today shows this list)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from fieldapp.dates import local_time
from fieldapp.session import Session
from fieldapp.store.drafts import Draft
from ui.screen_parts import TranslatedWidget
from ui.workspace import Workspace


class DraftsList(TranslatedWidget):
    """Unsaved forms; `open_draft(Draft)` when the officer opens one."""

    open_draft = Signal(object)
    counted = Signal(int)  # how many drafts there are, after each reading

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.drafts: list[Draft] = []
        self.items = QListWidget(self)
        self.items.itemActivated.connect(self._open)
        QVBoxLayout(self).addWidget(self.items)
        workspace.preferences.changed.connect(lambda _c: self._show(self.drafts))
        self.retranslate()

    def retranslate(self) -> None:
        self.items.setAccessibleName(self.tr("Unsaved forms"))
        self._show(self.drafts)

    def reload(self) -> None:
        """Read the drafts again (on the vault's worker)."""

        def drafts(session: Session = self._workspace.session) -> list[Draft]:
            return session.store.drafts.list()

        self._workspace.tasks.vault(drafts, self._show, context=self)

    def _show(self, drafts: list[Draft]) -> None:
        self.drafts = sorted(drafts, key=lambda d: d.updated_at, reverse=True)
        forms = self._workspace.session.store.forms
        lang, digits = self._workspace.lang, self._workspace.preferences.digits
        self.items.clear()
        for draft in self.drafts:
            kind = forms.get(draft.record_type).label(lang) if draft.record_type in forms else ""
            when = local_time(draft.updated_at, lang, digits)
            text = self.tr("{kind}, last typed {when}").format(kind=kind, when=when)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, draft.draft_id)
            self.items.addItem(item)
        self.counted.emit(len(self.drafts))

    def _open(self, item: QListWidgetItem) -> None:
        wanted = item.data(Qt.ItemDataRole.UserRole)
        for draft in self.drafts:
            if draft.draft_id == wanted:
                self.open_draft.emit(draft)
                return
