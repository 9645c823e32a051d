"""Activities: filtered by type, date range, status and district, and searchable as you type.

The filters go to the store (`RecordListing.activities`), which applies them while it walks its
page index: nothing loads the whole vault. A search narrows its hits by the same filter.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fieldapp.store.listing import ActivityFilter, PageKey, RecordListing, RecordPage, RecordSummary
from ui.lists.model import Column, PageFetch, SearchFetch, SummaryModel
from ui.lists.search_list import SearchableList
from ui.widgets.bidi import add_isolated_items
from ui.workspace import Workspace

COLUMNS = (Column.NUMBER, Column.TYPE, Column.DATE, Column.DISTRICT, Column.STATUS, Column.TITLE)
ISO = "yyyy-MM-dd"


def _fetchers(narrowed: ActivityFilter) -> tuple[PageFetch, SearchFetch]:
    """The store's work for one filter, run on the vault worker."""

    def page(listing: RecordListing, after: PageKey | None, limit: int, lang: str) -> RecordPage:
        return listing.activities(narrowed, after=after, limit=limit, lang=lang)

    def hits(listing: RecordListing, query: str, limit: int, lang: str) -> list[RecordSummary]:
        single = narrowed.types[0] if len(narrowed.types) == 1 else None
        kinds = {f.type for f in listing.forms if f.kind == "activity"}
        return [
            h.summary
            for h in listing.search(query, limit=limit, record_type=single, lang=lang)
            if h.summary.type in kinds and narrowed.matches(h.summary)
        ]

    return page, hits


class ActivityList(QWidget):
    """The activities screen: filters above a searchable list."""

    open_record = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.narrowed = ActivityFilter()
        browse, search = _fetchers(self.narrowed)
        self.model = SummaryModel(workspace, COLUMNS, browse, search, self)
        self.list = SearchableList(workspace, self.model, self)
        self.type_box = QComboBox(self)
        self.status_box = QComboBox(self)
        self.district_box = QComboBox(self)
        self.use_dates = QCheckBox(self)
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # an ISO date reads so
            edit.setDisplayFormat(ISO)
            edit.setEnabled(False)
        today = QDate.currentDate()
        self.date_from.setDate(today.addMonths(-1))
        self.date_to.setDate(today)
        self._labels = {
            box: QLabel(self) for box in (self.type_box, self.status_box, self.district_box)
        }
        self._filters = QFormLayout()
        for box, label in self._labels.items():
            label.setBuddy(box)
            self._filters.addRow(label, box)
        dates = QHBoxLayout()
        for part in (self.use_dates, self.date_from, self.date_to):
            dates.addWidget(part)
        self._filters.addRow("", dates)
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters)
        layout.addWidget(self.list, 1)
        self.list.open_record.connect(self.open_record)
        for box in (self.type_box, self.status_box, self.district_box):
            box.activated.connect(lambda _i: self._filter_changed())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(lambda _d: self._filter_changed())
        self.date_to.dateChanged.connect(lambda _d: self._filter_changed())
        # A bound method: Qt drops the connection when this screen is destroyed.
        workspace.preferences.changed.connect(self._preferences_changed)
        self.retranslate()
        self.model.reload()

    # --- filters ------------------------------------------------------------------------------

    def set_filter(self, narrowed: ActivityFilter) -> None:
        """Show only the activities `narrowed` keeps (what the filter boxes do)."""
        self.narrowed = narrowed
        self.model.set_source(*_fetchers(narrowed))

    def _filter_changed(self) -> None:
        chosen_type = self.type_box.currentData()
        dates = self.use_dates.isChecked()
        self.set_filter(
            replace(
                self.narrowed,
                types=(chosen_type,) if chosen_type else (),
                status=self.status_box.currentData() or None,
                district=self.district_box.currentData() or None,
                date_from=self.date_from.date().toString(ISO) if dates else None,
                date_to=self.date_to.date().toString(ISO) if dates else None,
            )
        )

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._filter_changed()

    def _fill_choices(self) -> None:
        lang = self._ws.lang
        store = self._ws.session.store  # forms and place names: loaded data, no disk access
        activity_forms = [f for f in store.forms if f.kind == "activity"]
        statuses: dict[str, str] = {}
        for form in activity_forms:
            if form.has("status"):
                field = form.field("status")
                for key in field.choice_keys():
                    statuses.setdefault(key, field.choice_label(key, lang))
        districts = [
            (d.name(lang), d.pcode)
            for g in store.reference.governorates()
            for d in store.reference.districts(g.pcode)
        ]
        fills = (
            (
                self.type_box,
                self.tr("All types"),
                [(f.label(lang), f.type) for f in activity_forms],
            ),
            (
                self.status_box,
                self.tr("Any status"),
                [(label, key) for key, label in statuses.items()],
            ),
            (self.district_box, self.tr("Any district"), sorted(districts)),
        )
        for box, everything, items in fills:
            chosen = box.currentData()
            box.clear()
            box.addItem(everything, None)
            add_isolated_items(box, items)
            box.setCurrentIndex(max(0, box.findData(chosen)))

    def _preferences_changed(self, _choices: object) -> None:
        self._fill_choices()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        labels = (
            (self.type_box, self.tr("&Type")),
            (self.status_box, self.tr("&Status")),
            (self.district_box, self.tr("&District")),
        )
        for box, text in labels:
            self._labels[box].setText(text)
            box.setAccessibleName(text.replace("&", ""))
        self.use_dates.setText(self.tr("Dates &between"))
        self.use_dates.setAccessibleName(self.tr("Filter by date"))
        self.date_from.setAccessibleName(self.tr("From date"))
        self.date_to.setAccessibleName(self.tr("To date"))
        self._fill_choices()
