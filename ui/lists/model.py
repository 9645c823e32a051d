"""A lazy table of record summaries: keyset pages fetched as the view scrolls, or search hits.

The model never holds the vault: it holds the summaries shown so far and the key after the last
one. Pages and searches run on the vault's worker (`workspace.tasks.vault`); each request
carries the generation it was asked in, and a result of an older generation (the officer typed
another letter meanwhile, or changed a filter) is dropped. Typing is debounced so that a burst
of keys costs one search.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from fieldapp.display import standing_alone
from fieldapp.errors import InvalidInput
from fieldapp.numerals import in_digits
from fieldapp.presentation import number_text
from fieldapp.store.listing import PageKey, RecordListing, RecordPage, RecordSummary
from ui.workspace import Workspace

PAGE_SIZE = 50
SEARCH_LIMIT = 50  # a screenful and more; a larger limit makes the store rank and join more
TYPING_PAUSE_MS = 150
# Shorter queries browse. The store searches from two letters, but on 50,000 records a two-letter
# prefix (مح, 07) costs 200-300 ms to rank and a three-letter one 50-100 ms (docs/PERFORMANCE.md,
# "Desktop lists"): the list waits for the third letter, the officer rarely for the result.
MIN_SEARCH_CHARS = 3

Index = QModelIndex | QPersistentModelIndex
PageFetch = Callable[[RecordListing, PageKey | None, int, str], RecordPage]
SearchFetch = Callable[[RecordListing, str, int, str], list[RecordSummary]]


class Column(Enum):
    NUMBER = "number"
    TYPE = "type"
    TITLE = "title"
    DATE = "date"
    DISTRICT = "district"
    STATUS = "status"


_SHOWN_ROLES = frozenset(
    {int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.AccessibleTextRole.value)}
)
_ID_ROLE = int(Qt.ItemDataRole.UserRole.value)

# Columns that always read left to right (the delegate keeps them so).
LEFT_TO_RIGHT = frozenset({Column.NUMBER, Column.DATE})


@dataclass(frozen=True)
class ListState:
    """What the status line says: how many rows, whether more exist, what was searched."""

    shown: int
    more: bool
    query: str
    loading: bool


class SummaryModel(QAbstractTableModel):
    """Rows of record summaries, fetched page by page (`browse`) or by search (`search`), or
    given whole (`show_rows`, with no fetchers)."""

    state_changed = Signal(object)  # ListState, after every delivered page or search
    refused = Signal(str)  # why the store refused the query, in the officer's language

    def __init__(
        self,
        workspace: Workspace,
        columns: Sequence[Column],
        browse: PageFetch | None,
        search: SearchFetch | None,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.page_size = page_size
        self.columns = tuple(columns)
        self._browse = browse
        self._search = search
        self._rows: list[RecordSummary] = []
        # What each row's cells show, made once when the row arrives (a paint asks many times).
        self._texts: list[tuple[str, ...]] = []
        self._next: PageKey | None = None
        self._exhausted = True  # nothing to fetch until `reload`
        self._in_flight = False
        self._generation = 0
        self._query = ""
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.reload)

    # --- what the view asks -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in _SHOWN_ROLES:
            return self._texts[index.row()][index.column()]
        if role == _ID_ROLE:
            return self._rows[index.row()].id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.columns):
            return None
        return self._header(self.columns[section])

    def _header(self, column: Column) -> str:
        return {
            Column.NUMBER: self.tr("Number"),
            Column.TYPE: self.tr("Type"),
            Column.TITLE: self.tr("Title"),
            Column.DATE: self.tr("Date"),
            Column.DISTRICT: self.tr("District"),
            Column.STATUS: self.tr("Status"),
        }[column]

    def cell_text(self, summary: RecordSummary, column: Column) -> str:
        """What one cell shows, in the officer's language and digits."""
        lang = self._ws.lang
        store = self._ws.session.store  # forms and place names: loaded data, no disk access
        known = summary.type in store.forms
        if column is Column.NUMBER:
            return standing_alone(number_text(summary.number, lang))
        if column is Column.TYPE:
            return store.forms.get(summary.type).label(lang) if known else summary.type
        if column is Column.TITLE:
            return summary.title
        if column is Column.DATE:
            return in_digits(summary.date, self._ws.preferences.digits) if summary.date else ""
        if column is Column.DISTRICT:
            return store.reference.district_name(summary.district, lang) if summary.district else ""
        if summary.status is None or not known:
            return ""
        form = store.forms.get(summary.type)
        return form.field("status").choice_label(summary.status, lang) if form.has("status") else ""

    def _row_texts(self, summaries: Sequence[RecordSummary]) -> list[tuple[str, ...]]:
        return [tuple(self.cell_text(s, c) for c in self.columns) for s in summaries]

    def summary_at(self, row: int) -> RecordSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def state(self) -> ListState:
        loading = self._in_flight or self._typing.isActive()
        return ListState(len(self._rows), self._next is not None, self._query, loading)

    # --- lazy pages -----------------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return (
            not parent.isValid()
            and self._browse is not None
            and not self._exhausted
            and not self._in_flight
        )

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._in_flight = True
        generation, after, lang = self._generation, self._next, self._ws.lang
        browse, session, size = self._browse, self._ws.session, self.page_size
        assert browse is not None  # canFetchMore
        self._ws.tasks.vault(
            lambda: browse(session.store.listing, after, size, lang),
            lambda page: self._take_page(generation, page),
            lambda error: self._failed(generation, error),
            context=self,
        )

    def _take_page(self, generation: int, page: RecordPage) -> None:
        if generation != self._generation:
            return  # asked before the query or filter changed
        self._in_flight = False
        if page.items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._rows += page.items
            self._texts += self._row_texts(page.items)
            self.endInsertRows()
        self._next = page.next_key
        self._exhausted = page.next_key is None
        self.state_changed.emit(self.state)

    # --- search ---------------------------------------------------------------------------------

    def search_as_typed(self, query: str) -> None:
        """The search box changed: search again once typing pauses."""
        self._query = query.strip()
        self._typing.start()
        self.state_changed.emit(self.state)

    def show_rows(self, summaries: Sequence[RecordSummary]) -> None:
        """Show these summaries and fetch nothing more (a household's members, its timeline)."""
        self._typing.stop()
        self._generation += 1
        self.beginResetModel()
        self._rows = list(summaries)
        self._texts = self._row_texts(summaries)
        self._next = None
        self._exhausted = True
        self._in_flight = False
        self.endResetModel()
        self.state_changed.emit(self.state)

    def set_source(self, browse: PageFetch | None, search: SearchFetch | None) -> None:
        """Fetch from now on with `browse` and `search` (e.g. under a new filter), from the top."""
        self._browse, self._search = browse, search
        self.reload()

    def reload(self) -> None:
        """Start again from the first page (or the search) with the current query and source;
        what was asked before is dropped when it arrives."""
        self._typing.stop()
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._texts = []
        self._next = None
        self._in_flight = False
        self._exhausted = len(self._query) >= MIN_SEARCH_CHARS
        self.endResetModel()
        if self._exhausted and self._search is not None:
            self._run_search(self._query)
        else:
            self.fetchMore(QModelIndex())

    def _run_search(self, query: str) -> None:
        assert self._search is not None  # reload
        self._in_flight = True
        generation, lang, search, session = (
            self._generation,
            self._ws.lang,
            self._search,
            self._ws.session,
        )
        self._ws.tasks.vault(
            lambda: search(session.store.listing, query, SEARCH_LIMIT, lang),
            lambda found: self._take_hits(generation, found),
            lambda error: self._failed(generation, error),
            context=self,
        )

    def _take_hits(self, generation: int, found: list[RecordSummary]) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self.beginResetModel()
        self._rows = list(found)
        self._texts = self._row_texts(found)
        self.endResetModel()
        self.state_changed.emit(self.state)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._exhausted = True
        self.state_changed.emit(self.state)
        if isinstance(error, InvalidInput):  # e.g. a query too long: said where it was typed
            self.refused.emit(error.message(self._ws.lang))
        else:  # a damaged vault, a bug: the app's handler reports it
            self._ws.tasks.report(error)
