"""Today: what the officer has to do and what is stuck.

Visits, follow-ups, aftercare and shelter reviews overdue or due within a week (the core's
`Agenda`, earliest first, a page at a time); drafts (a place kept for the drafts list, which
the lead wires in: `drafts_section`); changes waiting to be sent; changes the server refused,
with its reasons in the officer's language; records in conflict. Every row opens its record
(`open_record(id)`). Counts agree with their nouns (the core's counted messages) and are in the
officer's digits. Everything is read in one task on the vault's worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.dates import day_text
from fieldapp.messages import translate, translate_in
from fieldapp.store.agenda import Agenda, AgendaCounts, AgendaItem, AgendaKey, AgendaPage
from fieldapp.store.listing import RecordSummary
from fieldapp.store.replica import Replica
from fieldapp.store.store import Store
from ui.record_items import RecordItems, in_direction_of, island
from ui.screen_parts import TranslatedWidget, heading_label
from ui.sync_screen import RefusedChange, refused_changes
from ui.workspace import Workspace

AGENDA_DAYS = 7  # "due" means within the coming week
AGENDA_PAGE = 50
LIST_LIMIT = 50


@dataclass(frozen=True)
class TodayData:
    """What the Today screen shows, read in one go on the vault's worker."""

    today: date
    counts: AgendaCounts
    agenda: tuple[AgendaItem, ...]
    more_agenda: AgendaKey | None
    pending: int
    waiting: tuple[RecordSummary, ...]
    refused: tuple[RefusedChange, ...]
    conflicts: tuple[RecordSummary, ...]  # the first LIST_LIMIT of them
    conflict_count: int


def read_today(store: Store, lang: str) -> TodayData:
    """The officer's day from the vault (on the vault's worker)."""
    today = store.today()
    until = today + timedelta(days=AGENDA_DAYS)
    agenda = Agenda(store.connection, store.listing)
    page = agenda.page(until, limit=AGENDA_PAGE, lang=lang)
    waiting_ids = [c.record_id for c in store.pending_changes(limit=LIST_LIMIT)]
    waiting = store.listing.by_ids(waiting_ids, lang=lang)
    replica = Replica(store)
    rejected = replica.rejected_changes()
    return TodayData(
        today=today,
        counts=agenda.counts(today, until),
        agenda=page.items,
        more_agenda=page.next_key,
        pending=store.pending_count(),
        waiting=tuple(waiting[i] for i in dict.fromkeys(waiting_ids) if i in waiting),
        refused=tuple(refused_changes(store, tuple(rejected), lang)),
        conflicts=tuple(agenda.in_conflict(limit=LIST_LIMIT, lang=lang)),
        conflict_count=replica.counts().conflicts,
    )


class TodayScreen(TranslatedWidget):
    """The officer's day; `open_record(id)` when a row is opened."""

    open_record = Signal(str)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self._workspace = workspace
        self._data: TodayData | None = None
        self._agenda: list[AgendaItem] = []
        self._more: AgendaKey | None = None
        self.heading = heading_label()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)

        self.agenda_group, self.agenda_list = self._section()
        self.more_button = QPushButton()
        self.more_button.clicked.connect(self._load_more)
        agenda_layout = self.agenda_group.layout()
        if agenda_layout is not None:
            agenda_layout.addWidget(self.more_button)
        # Drafts: the lead puts the drafts list here (`set_drafts_widget`).
        self.drafts_section = QGroupBox()
        self.drafts_section.setLayout(QVBoxLayout())
        self.drafts_section.hide()
        self.waiting_group, self.waiting_list = self._section()
        self.refused_group, self.refused_list = self._section()
        self.conflicts_group, self.conflicts_list = self._section()

        grid = QGridLayout()
        grid.addWidget(self.agenda_group, 0, 0, 3, 1)
        grid.addWidget(self.refused_group, 0, 1)
        grid.addWidget(self.conflicts_group, 1, 1)
        grid.addWidget(self.waiting_group, 2, 1)
        grid.addWidget(self.drafts_section, 3, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary_label)
        layout.addLayout(grid, 1)
        # Tab goes through the sections in the order they are read, not the order made in.
        order = [
            self.agenda_list,
            self.more_button,
            self.refused_list,
            self.conflicts_list,
            self.waiting_list,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        # Bound methods, not lambdas: Qt cuts them when this widget is destroyed, while
        # the preferences and the controller live on.
        workspace.preferences.changed.connect(self.reload)
        self.retranslate()

    def _section(self) -> tuple[QGroupBox, RecordItems]:
        group = QGroupBox()
        items = RecordItems()
        items.open_record.connect(self.open_record)
        QVBoxLayout(group).addWidget(items)
        return group, items

    def set_drafts_widget(self, widget: QWidget) -> None:
        """Show the drafts list (built elsewhere) in its place on this screen."""
        layout = self.drafts_section.layout()
        if layout is not None:
            layout.addWidget(widget)
        self.drafts_section.show()

    def showEvent(self, event: QShowEvent) -> None:
        self.reload()
        super().showEvent(event)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Today"))
        self.agenda_group.setTitle(self.tr("Visits and follow-ups"))
        self.drafts_section.setTitle(self.tr("Drafts"))
        self.waiting_group.setTitle(self.tr("Waiting to be sent"))
        self.refused_group.setTitle(self.tr("Refused by the server"))
        self.conflicts_group.setTitle(self.tr("Records in conflict"))
        self.more_button.setText(self.tr("Show &more"))
        names = {
            self.agenda_list: self.tr("Visits and follow-ups due"),
            self.waiting_list: self.tr("Records waiting to be sent"),
            self.refused_list: self.tr("Changes the server refused"),
            self.conflicts_list: self.tr("Records in conflict"),
            self.more_button: self.tr("Show more visits and follow-ups"),
            self.summary_label: self.tr("Summary of the day"),
        }
        for widget, name in names.items():
            widget.setAccessibleName(name)
        self.show_data()

    # --- reading ---

    def reload(self, _changed: object = None) -> None:
        """Read the day again on the vault's worker (after a save, a sync, a language)."""
        store, lang = self._workspace.session.store, self._workspace.lang
        self._workspace.tasks.vault(
            lambda: read_today(store, lang),
            self._loaded,
            lambda _exc: None,  # a locked vault: the lock screen shows instead
            context=self,
        )

    def _loaded(self, data: TodayData) -> None:
        self._data = data
        self._agenda = list(data.agenda)
        self._more = data.more_agenda
        self.show_data()

    def _load_more(self) -> None:
        if self._more is None or self._data is None:
            return
        store, lang, after = self._workspace.session.store, self._workspace.lang, self._more
        until = self._data.today + timedelta(days=AGENDA_DAYS)
        self._workspace.tasks.vault(
            lambda: Agenda(store.connection, store.listing).page(
                until, after=after, limit=AGENDA_PAGE, lang=lang
            ),
            self._more_loaded,
            lambda _exc: None,
            context=self,
        )

    def _more_loaded(self, page: AgendaPage) -> None:
        self._agenda.extend(page.items)
        self._more = page.next_key
        self.show_data()

    # --- showing ---

    def _counted(self, key: str, count: int, **extra: int) -> str:
        prefs = self._workspace.preferences
        return translate_in(key, prefs.language, prefs.digits, count=count, **extra)

    def show_data(self) -> None:
        data = self._data
        if data is None:
            return
        counts = data.counts
        self.summary_label.setText(
            in_direction_of(
                self,
                " · ".join(
                    island(text)
                    for text in (
                        self._counted("today.overdue_count", counts.overdue),
                        self._counted("today.due_count", counts.due),
                        self._counted("today.pending_count", data.pending),
                        self._counted("today.rejected_count", len(data.refused)),
                        self._counted("today.conflicts_count", data.conflict_count),
                    )
                ),
            )
        )
        self._show_agenda(data.today)
        self.more_button.setVisible(self._more is not None)
        self.waiting_list.clear()
        for summary in data.waiting:
            self.waiting_list.add_record(summary.id, island(summary.title))
        if not data.waiting:
            self.waiting_list.add_note(self.tr("Everything has been sent."))
        self.refused_list.clear()
        for refused in data.refused:
            self.refused_list.add_record(
                refused.record_id, island(refused.title), " ".join(refused.reasons)
            )
        if not data.refused:
            self.refused_list.add_note(self.tr("The server has refused nothing."))
        self.conflicts_list.clear()
        for summary in data.conflicts:
            self.conflicts_list.add_record(summary.id, island(summary.title))
        if not data.conflicts:
            self.conflicts_list.add_note(self.tr("No record is in conflict."))

    def _show_agenda(self, today: date) -> None:
        prefs = self._workspace.preferences
        kinds = {
            "visit": self.tr("Next home visit"),
            "follow_up": self.tr("Follow-up"),
            "aftercare": self.tr("Aftercare"),
            "review": self.tr("Shelter review"),
        }
        self.agenda_list.clear()
        for item in self._agenda:
            late = item.days_late(today)
            if late > 0:
                when = self._counted("today.days_late", late, days=late)
            elif late == 0:
                when = translate("today.due_today", prefs.language)
            else:
                when = self._counted("today.days_ahead", -late, days=-late)
            due = day_text(item.due, prefs.language, prefs.digits)
            self.agenda_list.add_record(
                item.summary.id,
                f"{island(kinds.get(item.kind, item.kind))} — {island(item.summary.title)}",
                f"{island(due)} · {island(when)}",
            )
        if not self._agenda:
            self.agenda_list.add_note(self.tr("Nothing is due this week."))
