"""Links to other records (a household, a victim, the parties of a dispute), chosen by search.

The officer types part of a name, a phone or a record number; the vault is searched on its
worker (`workspace.tasks.vault`) and the results listed under the search line; Enter, a double
click or Down-then-Enter picks one. Each search carries a number: the results of an older search
that arrive after a newer one was asked for are dropped, so the list never shows what the officer
typed two keys ago. A chosen record shows as its title and number, never as its id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.errors import UserFacingError
from fieldapp.forms.definitions import FieldDef
from fieldapp.presentation import number_text
from fieldapp.store.listing import MIN_QUERY_CHARS, RecordSummary
from fieldapp.text import isolate
from ui.forms.fields import FieldContext, FieldInput, register

SEARCH_DELAY_MS = 150  # a burst of keys asks once
RESULTS = 20
_ID = Qt.ItemDataRole.UserRole


def link_text(summary: RecordSummary, lang: str) -> str:
    """A linked record as the officer knows it: its title and its number."""
    return f"{isolate(summary.title)} · {isolate(number_text(summary.number, lang))}"


class LinkInput(FieldInput):
    """A `record_id` (one record) or `record_ids` (several, e.g. a dispute's parties) field."""

    searched = Signal()  # results of the latest search are on screen (tests wait on it)

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__(field, context)
        self.multiple = field.type == "record_ids"
        self._chosen: list[str] = []
        self._known: dict[str, RecordSummary] = {}
        self._search_number = 0
        holder = QWidget()  # as wide as a name and a number need, not the whole screen
        holder.setMaximumWidth(holder.fontMetrics().averageCharWidth() * 72)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(holder, 3)
        self._layout.addStretch(1)

        self.chosen_list = QListWidget()  # the chosen records, one per row
        self.chosen_list.setMaximumHeight(self.chosen_list.fontMetrics().lineSpacing() * 4 + 8)
        self.chosen_list.installEventFilter(self)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.clicked.connect(self._remove_current)
        self._chosen_row = QWidget()
        row = QHBoxLayout(self._chosen_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.chosen_list, 1)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addWidget(self._chosen_row)

        self.search = QLineEdit()
        self.search.setMaxLength(100)
        self.search.textEdited.connect(self._typed)
        self.search.installEventFilter(self)
        self._watch_focus(self.search)
        column.addWidget(self.search)
        self.results = QListWidget()
        self.results.setMaximumHeight(self.results.fontMetrics().lineSpacing() * 6 + 8)
        self.results.itemActivated.connect(self._picked)
        self.results.hide()
        column.addWidget(self.results)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        column.addWidget(self.notice)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self._show_chosen()
        self.retranslate()

    def retranslate(self) -> None:
        label = self.field.label(self.context.lang)
        self.search.setPlaceholderText(self.tr("Search by name, phone or number"))
        self.search.setAccessibleName(self.tr("Search for {field}").format(field=label))
        self.results.setAccessibleName(self.tr("Records found"))
        self.chosen_list.setAccessibleName(label)
        self.remove_button.setAccessibleName(self.tr("Remove the chosen record"))
        self.remove_button.setToolTip(self.tr("Remove the chosen record"))

    # --- the value ------------------------------------------------------------------------

    def value(self) -> Any:
        if self.multiple:
            return list(self._chosen)
        return self._chosen[0] if self._chosen else None

    def _fill(self, value: Any) -> None:
        ids = value if isinstance(value, list) else [value] if value else []
        self._chosen = [str(i) for i in ids][: self.field.max_items or 500]
        self._show_chosen()
        unknown = [i for i in self._chosen if i not in self._known]
        if unknown:
            self._look_up(unknown)

    def chosen_texts(self) -> list[str]:
        """The chosen records as shown (title and number)."""
        return [self.chosen_list.item(i).text() for i in range(self.chosen_list.count())]

    def result_texts(self) -> list[str]:
        """The records the last search found, as listed."""
        return [self.results.item(i).text() for i in range(self.results.count())]

    def _show_chosen(self) -> None:
        self.chosen_list.clear()
        for record_id in self._chosen:
            summary = self._known.get(record_id)
            text = link_text(summary, self.context.lang) if summary else "…"
            item = QListWidgetItem(text)
            item.setData(_ID, record_id)
            self.chosen_list.addItem(item)
        has = bool(self._chosen)
        self._chosen_row.setVisible(has)
        # One record chosen for a single link: the search line is for replacing it.
        self.chosen_list.setMaximumHeight(
            self.chosen_list.fontMetrics().lineSpacing() * (4 if self.multiple else 1) + 8
        )

    def _look_up(self, ids: Sequence[str]) -> None:
        store = self.context.workspace.session.store
        lang = self.context.lang
        wanted = list(ids)
        self.context.workspace.tasks.vault(
            lambda: store.listing.by_ids(wanted, lang=lang), self._learned, context=self
        )

    def _learned(self, found: dict[str, RecordSummary]) -> None:
        self._known.update(found)
        self._show_chosen()

    def show_language(self, lang: str) -> None:
        self.retranslate()
        if self._chosen:
            self._known.clear()
            self._look_up(self._chosen)

    # --- choosing ---------------------------------------------------------------------------

    def _picked(self, item: QListWidgetItem) -> None:
        record_id = str(item.data(_ID))
        if self.multiple:
            if record_id not in self._chosen:
                self._chosen.append(record_id)
        else:
            self._chosen = [record_id]
        self.search.clear()
        self.results.clear()
        self.results.hide()
        self._show_chosen()
        self.search.setFocus()
        self._changed()

    def _remove_current(self) -> None:
        row = self.chosen_list.currentRow()
        if row < 0 and self.chosen_list.count() == 1:
            row = 0
        if 0 <= row < len(self._chosen):
            del self._chosen[row]
            self._show_chosen()
            self._changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.results.currentItem() or self.results.item(0)
                if item is not None and self.results.isVisible():
                    self._picked(item)
                    return True
            if watched is self.search and key == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                self.results.setCurrentRow(0)
                return True
            if watched is self.chosen_list and key == Qt.Key.Key_Delete:
                self._remove_current()
                return True
        return super().eventFilter(watched, event)

    # --- searching --------------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self._search_number += 1  # whatever is on its way is now stale
        self._timer.start()

    def _run_search(self) -> None:
        query = self.search.text().strip()
        self._search_number += 1
        number = self._search_number
        if len(query) < MIN_QUERY_CHARS:
            self._show_results(number, [])
            return
        store = self.context.workspace.session.store
        lang = self.context.lang
        ref_type = self.field.ref_type

        def search() -> list[RecordSummary] | UserFacingError:
            try:
                hits = store.listing.search(query, limit=RESULTS, record_type=ref_type, lang=lang)
            except UserFacingError as refused:  # e.g. a pasted text over the length limit
                return refused
            return [hit.summary for hit in hits if not hit.summary.deleted]

        self.context.workspace.tasks.vault(
            search, lambda found: self._show_results(number, found), context=self
        )

    def _show_results(self, number: int, found: list[RecordSummary] | UserFacingError) -> None:
        if number != self._search_number:
            return  # an older search: the officer has typed since
        self.results.clear()
        self.notice.hide()
        if isinstance(found, UserFacingError):
            self.notice.setText(found.message(self.context.lang))
            self.notice.show()
            found = []
        for summary in found:
            self._known[summary.id] = summary
            item = QListWidgetItem(link_text(summary, self.context.lang))
            item.setData(_ID, summary.id)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        elif self.search.text().strip() and not self.notice.isVisible():
            self.notice.setText(self.tr("No record found."))
            self.notice.show()
        self.results.setVisible(bool(found))
        self.searched.emit()

    def focus_widget(self) -> QWidget:
        return self.search

    def set_accessible_name(self, name: str) -> None:
        self.retranslate()


register("record_id", LinkInput)
register("record_ids", LinkInput)
