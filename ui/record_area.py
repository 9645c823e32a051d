"""Where records open: a record's page (a household's own page), the form to edit it, a new
record's form, a draft taken up again.

Opened one over another, like pages in a folder: Back (Alt+Left) returns to the one before and,
from the first, to the section the officer came from (`closed`). An open form stays alive here
while the officer looks elsewhere or the app is locked, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from fieldapp.session import Session
from fieldapp.store.drafts import Draft
from ui.forms.editor import RecordEditor
from ui.lists.household_page import HouseholdPage
from ui.record.page import RecordPage
from ui.screen_parts import TranslatedWidget
from ui.workspace import Workspace

HOUSEHOLD = "household"


class RecordArea(TranslatedWidget):
    """The records and forms the officer opened, the newest on top. `opened` when one is
    shown (the main window brings the area forward), `closed` when the last one is closed."""

    opened = Signal()
    closed = Signal()
    record_saved = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        *,
        font_family: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._font_family = font_family
        self.back_button = QPushButton(self)
        self.back_button.clicked.connect(self.back)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)
        self.pages = QStackedWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("&Back"))
        self.back_button.setAccessibleName(self.tr("Back to the previous page"))
        self.back_button.setToolTip(self.tr("Back (Alt+Left)"))

    @property
    def current(self) -> QWidget | None:
        return self.pages.currentWidget()

    # --- what screens ask for ---

    def open_record(self, record_id: str) -> None:
        """Show the record: a household on its own page (members, timeline), any other on
        the record page. Its type is read on the vault's worker first."""

        def record_type(session: Session = self._workspace.session) -> str:
            return session.store.get(record_id).type

        self._workspace.tasks.vault(
            record_type,
            lambda kind: self._show_record(record_id, kind),
            context=self,
        )

    def edit_record(self, record_id: str) -> None:
        """The record's form, filled with what it holds now."""

        def record_type(session: Session = self._workspace.session) -> str:
            return session.store.get(record_id).type

        self._workspace.tasks.vault(
            record_type,
            lambda kind: self._push(RecordEditor(self._workspace, kind, record_id)),
            context=self,
        )

    def start_record(self, record_type: str, prefilled: object = None) -> None:
        """A new record of `record_type`, with `prefilled` fields (e.g. the household)."""
        prefill: Mapping[str, Any] = prefilled if isinstance(prefilled, Mapping) else {}
        self._push(RecordEditor(self._workspace, record_type, None, prefill))

    def open_draft(self, draft: Draft) -> None:
        """A form the officer left unsaved, as it was left."""
        self._push(RecordEditor.from_draft(self._workspace, draft))

    def back(self) -> None:
        """Close the page on top (an unsaved form keeps its draft); after the last, `closed`."""
        page = self.pages.currentWidget()
        if page is None:
            self.closed.emit()
            return
        self.pages.removeWidget(page)
        page.close()  # a form writes its draft now
        page.deleteLater()
        if self.pages.count() == 0:
            self.closed.emit()

    # --- pages ---

    def _show_record(self, record_id: str, kind: str) -> None:
        page: QWidget
        if kind == HOUSEHOLD:
            household = HouseholdPage(self._workspace)
            household.show_household(record_id)
            page = household
        else:
            page = RecordPage(self._workspace, record_id, font_family=self._font_family)
        self._push(page)

    def _push(self, page: QWidget) -> None:
        if isinstance(page, RecordEditor):  # a saved form asks for its record's page itself
            page.saved.connect(lambda record_id, form=page: self._saved(form, record_id))
        for name, hook in (
            ("open_record", self.open_record),
            ("edit_record", self.edit_record),
            ("start_record", self.start_record),
        ):
            signal = getattr(page, name, None)
            if signal is not None and not isinstance(page, RecordEditor):
                signal.connect(hook)
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        page.setFocus(Qt.FocusReason.OtherFocusReason)
        self.opened.emit()

    def _saved(self, form: RecordEditor, record_id: str) -> None:
        """A saved form gives way to the record's page."""
        self.record_saved.emit(record_id)
        if self.pages.currentWidget() is form:
            self.pages.removeWidget(form)
            form.deleteLater()
        self.open_record(record_id)
