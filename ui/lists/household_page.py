"""A household's page: its details, its members and a timeline of every activity with it.

Everything is read in one task on the vault's worker: the household opened for reading (an
audited view), the persons and activities linked to it. "Add member" and "Start an activity"
ask the main window for a new form already linked to the household.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldapp.display import standing_alone
from fieldapp.numerals import format_count
from fieldapp.presentation import RecordView, number_text, record_view
from fieldapp.session import Session
from fieldapp.store.listing import RecordSummary
from ui.lists.model import LEFT_TO_RIGHT, Column, SummaryModel
from ui.widgets.bidi import BidiDelegate, digits_left_to_right, reading_side
from ui.workspace import Workspace

LINK_FIELD = "household_id"
MEMBER_COLUMNS = (Column.NUMBER, Column.TITLE)
TIMELINE_COLUMNS = (Column.DATE, Column.NUMBER, Column.STATUS, Column.TYPE)


@dataclass(frozen=True)
class HouseholdContents:
    """What the page shows of one household."""

    view: RecordView
    members: tuple[RecordSummary, ...]
    activities: tuple[RecordSummary, ...]  # newest first


def read_household(session: Session, household_id: str, lang: str) -> HouseholdContents:
    """The household, its members and its activities (newest first). On the vault worker."""
    store = session.store
    view = record_view(store, household_id, lang)
    linking = store.listing.referring_to(household_id, lang=lang)
    listed: list[str] = []
    for key in ("head_id", "member_ids"):
        value = view.record.fields.get(key)
        listed += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    people = {s.id: s for s in linking if s.type == "person"}
    for summary in store.listing.by_ids(listed, lang=lang).values():
        if summary.type == "person" and not summary.deleted:
            people.setdefault(summary.id, summary)
    kinds = {f.type for f in store.forms if f.kind == "activity"}
    activities = sorted(
        (s for s in linking if s.type in kinds),
        key=lambda s: (s.date or "", s.updated_at),
        reverse=True,
    )
    return HouseholdContents(view, tuple(people.values()), tuple(activities))


class HouseholdPage(QWidget):
    """One household: details, members, timeline; add a member or start an activity."""

    open_record = Signal(str)
    start_record = Signal(str, object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.household_id: str | None = None
        self.contents: HouseholdContents | None = None
        self.title = QLabel(self)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details = QFormLayout()
        self.members_label = QLabel(self)
        self.members = self._table(MEMBER_COLUMNS)
        self.timeline_label = QLabel(self)
        self.timeline = self._table(TIMELINE_COLUMNS)
        self.add_member = QPushButton(self)
        self.start_activity = QPushButton(self)
        self.activity_menu = QMenu(self)
        self.start_activity.setMenu(self.activity_menu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_member)
        buttons.addWidget(self.start_activity)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.members_label)
        layout.addWidget(self.members, 1)
        layout.addWidget(self.timeline_label)
        layout.addWidget(self.timeline, 2)
        self.add_member.clicked.connect(lambda: self._start("person"))
        # A bound method: Qt drops the connection when this screen is destroyed.
        workspace.preferences.changed.connect(self._preferences_changed)
        self.retranslate()

    def _table(self, columns: tuple[Column, ...]) -> QTableView:
        model = SummaryModel(self._ws, columns, None, None, self)
        table = QTableView(self)
        table.setModel(model)
        ltr = [i for i, c in enumerate(columns) if c in LEFT_TO_RIGHT]
        table.setItemDelegate(BidiDelegate(table, left_to_right_columns=ltr))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.activated.connect(lambda index: self._open(model, index))
        return table

    def show_household(self, household_id: str) -> None:
        """Read and show the household `household_id`."""
        self.household_id = household_id
        self._reload()

    def _reload(self) -> None:
        if self.household_id is None:
            return
        session, household_id, lang = self._ws.session, self.household_id, self._ws.lang
        self.title.setText(self.tr("Loading…"))
        self._ws.tasks.vault(
            lambda: read_household(session, household_id, lang),
            self._show,
            context=self,
        )

    def _show(self, contents: HouseholdContents) -> None:
        if contents.view.record.id != self.household_id:
            return  # another household was asked for meanwhile
        self.contents = contents
        view = contents.view
        number = number_text(view.record.number, self._ws.lang)
        self.title.setText(digits_left_to_right(f"{view.title}  {number}"))
        self.title.setAlignment(reading_side(self))
        while self.details.rowCount():
            self.details.removeRow(0)
        for field in view.fields:
            if field.key in ("head_id", "member_ids"):
                continue  # the members table shows them
            value = QLabel(digits_left_to_right(standing_alone(field.value)), self)
            value.setWordWrap(True)
            value.setAlignment(reading_side(self))
            value.setAccessibleName(field.label)
            self.details.addRow(field.label, value)
        self.table_model(self.members).show_rows(contents.members)
        self.table_model(self.timeline).show_rows(contents.activities)
        self.retranslate()

    @staticmethod
    def table_model(table: QTableView) -> SummaryModel:
        model = table.model()
        assert isinstance(model, SummaryModel)
        return model

    def _open(self, model: SummaryModel, index: QModelIndex) -> None:
        summary = model.summary_at(index.row())
        if summary is not None:
            self.open_record.emit(summary.id)

    def _start(self, record_type: str) -> None:
        if self.household_id is not None:
            self.start_record.emit(record_type, {LINK_FIELD: self.household_id})

    def _preferences_changed(self, _choices: object) -> None:
        self._reload()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang = self._ws.lang
        members = len(self.contents.members) if self.contents else 0
        activities = len(self.contents.activities) if self.contents else 0
        digits = self._ws.preferences.digits
        self.members_label.setText(
            self.tr("Members: {count}").format(count=format_count(members, lang, digits))
        )
        self.timeline_label.setText(
            self.tr("Activities, newest first: {count}").format(
                count=format_count(activities, lang, digits)
            )
        )
        self.members.setAccessibleName(self.tr("Members"))
        self.timeline.setAccessibleName(self.tr("Activities with this household"))
        self.add_member.setText(self.tr("Add &member"))
        self.add_member.setAccessibleName(self.tr("Add member"))
        self.start_activity.setText(self.tr("Start an &activity"))
        self.start_activity.setAccessibleName(self.tr("Start an activity"))
        self.activity_menu.clear()
        for form in self._ws.session.store.forms:
            if form.kind == "activity" and form.has(LINK_FIELD):
                action = self.activity_menu.addAction(form.label(lang))
                action.triggered.connect(lambda _c=False, t=form.type: self._start(t))
