"""Households: searchable as you type (names in Arabic or Sorani spelling, numbers, phones).

Enter or a double-click opens the household's page; "New household" starts its form.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from fieldapp.store.listing import PageKey, RecordListing, RecordPage, RecordSummary
from ui.lists.model import Column, SummaryModel
from ui.lists.search_list import SearchableList
from ui.workspace import Workspace

HOUSEHOLD = "household"
COLUMNS = (Column.NUMBER, Column.DISTRICT, Column.TITLE)


def household_page(
    listing: RecordListing, after: PageKey | None, limit: int, lang: str
) -> RecordPage:
    return listing.page(HOUSEHOLD, after=after, limit=limit, lang=lang)


def household_hits(
    listing: RecordListing, query: str, limit: int, lang: str
) -> list[RecordSummary]:
    """Households found by `query`, best first: found themselves (number, phone, place) or
    through a person found by name or phone who lives in one. Runs on the vault's worker."""
    wanted: list[str] = []
    for hit in listing.search(query, limit=limit, lang=lang):
        summary = hit.summary
        found = summary.id if summary.type == HOUSEHOLD else summary.household_id
        if found is not None and summary.type in (HOUSEHOLD, "person"):
            wanted.append(found)
    known = listing.by_ids(wanted, lang=lang)
    shown = (known.get(i) for i in dict.fromkeys(wanted))
    return [s for s in shown if s is not None and s.type == HOUSEHOLD and not s.deleted]


class HouseholdList(QWidget):
    """The households screen."""

    open_record = Signal(str)
    start_record = Signal(str, object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SummaryModel(workspace, COLUMNS, household_page, household_hits, self)
        self.list = SearchableList(workspace, self.model, self)
        self.new_button = QPushButton(self)
        self.new_button.setShortcut(QKeySequence("Ctrl+N"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        self.list.open_record.connect(self.open_record)
        self.new_button.clicked.connect(lambda: self.start_record.emit(HOUSEHOLD, {}))
        self.retranslate()
        self.model.reload()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.new_button.setText(self.tr("&New household"))
        self.new_button.setAccessibleName(self.tr("New household"))
