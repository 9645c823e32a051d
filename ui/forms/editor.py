"""The record form: built from the record type's definition, checked as the officer types,
kept as an encrypted draft while they type, saved through the store on the vault's worker.

Validation runs the core's one validator (`fieldapp.forms.validation.validate`) on the GUI
thread: it is pure and instant. Its messages appear under the field concerned once the officer
has changed or left that field (all of them after Save, or when editing a saved record), so a
blank form does not open covered in red. Save always asks the store: its refusal is shown the
same way, field by field, and nothing typed is lost. A draft of what is on the screen is written
half a second after the last change and discarded once the record is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.dates import local_time
from fieldapp.errors import UserFacingError
from fieldapp.forms.validation import FieldError, ValidationFailed, validate
from fieldapp.ids import uuid7
from fieldapp.messages import translate
from fieldapp.presentation import number_text
from fieldapp.store.drafts import Draft
from fieldapp.store.records import Record
from fieldapp.text import isolate
from ui.forms import links as _links  # noqa: F401 (registers the link inputs)
from ui.forms.fields import FieldContext, FieldInput, PlaceInput, input_for
from ui.preferences import Choices
from ui.workspace import Workspace

T = TypeVar("T")

DRAFT_DELAY_MS = 500
_ERROR_STYLE = "color: #b00020;"


def _refusal_or(work: Callable[[], T]) -> Callable[[], T | UserFacingError]:
    """`work` for the vault's worker, returning a refusal meant for the officer instead of
    raising it (anything else still goes to the app's crash handling)."""

    def run() -> T | UserFacingError:
        try:
            return work()
        except UserFacingError as refused:
            return refused

    return run


def _has_value(value: Any) -> bool:
    return value is not None and value != "" and value != []


class RecordEditor(QWidget):
    """A new record of `record_type` (with `prefill`, e.g. its household), or the record
    `record_id` to edit. `saved` and `open_record` carry the record's id once it is saved."""

    saved = Signal(str)
    open_record = Signal(str)
    draft_saved = Signal(str)  # the draft's id, once the vault has committed it
    loaded = Signal()  # the record being edited is on screen

    def __init__(
        self,
        workspace: Workspace,
        record_type: str,
        record_id: str | None = None,
        prefill: Mapping[str, Any] | None = None,
        *,
        draft_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        store = workspace.session.store
        # The form definitions and the place names are data loaded at unlock, read-only: using
        # them here touches neither the vault's connection nor the disk.
        self.form = store.forms.get(record_type)
        self.record_type = record_type
        self.record_id = record_id
        self.draft_id = draft_id or uuid7()
        self._context = FieldContext(workspace, store.reference)
        self._current: Record | None = None
        self._touched: set[str] = set()
        self._show_all = record_id is not None
        self._saving = False
        self._done = False
        self._pending_fill = dict(prefill or {})
        self._draft_note = ""

        self._build()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self._save_draft)
        workspace.preferences.changed.connect(self._preferences_changed)
        self.retranslate()
        if record_id is None:
            self._fill(self._pending_fill)
        else:
            self.setEnabled(False)
            workspace.tasks.vault(
                _refusal_or(lambda: store.get(record_id)), self._record_loaded, context=self
            )

    @classmethod
    def from_draft(
        cls, workspace: Workspace, draft: Draft, parent: QWidget | None = None
    ) -> RecordEditor:
        """The form as the officer left it: the draft's values, kept on as the same draft."""
        editor = cls(
            workspace,
            draft.record_type,
            draft.record_id,
            draft.fields,
            draft_id=draft.draft_id,
            parent=parent,
        )
        editor._touched.update(k for k, v in draft.fields.items() if _has_value(v))
        editor._revalidate()
        return editor

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(_ERROR_STYLE)
        self.banner.hide()

        body = QWidget()
        self.rows = QFormLayout()
        page = QVBoxLayout(body)
        page.addLayout(self.rows)
        page.addStretch(1)  # a short form stays at the top, its rows their own height
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.inputs: dict[str, FieldInput] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        for field in self.form.fields:
            box = input_for(field, self._context)
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet(_ERROR_STYLE)
            error.hide()
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(box)
            column.addWidget(error)
            label = QLabel()
            label.setBuddy(box.focus_widget())
            self.rows.addRow(label, cell)
            key = field.key
            box.edited.connect(lambda key=key: self._edited(key))
            box.left.connect(lambda key=key: self._left(key))
            self.inputs[key] = box
            self.labels[key] = label
            self.errors[key] = error
        for field in self.form.fields:
            district = self.inputs[field.key]
            governorate = self.inputs.get(field.governorate_field or "")
            if isinstance(district, PlaceInput) and isinstance(governorate, PlaceInput):
                governorate.place_changed.connect(district.set_governorate)

        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(body)
        self.status = QLabel()
        self.save_button = QPushButton()
        self.save_button.setDefault(False)
        self.save_button.clicked.connect(self.save)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(footer)

    # --- languages ------------------------------------------------------------------------

    def retranslate(self) -> None:
        """The app's own words (Qt translations) in the current language."""
        lang = self.workspace.lang
        kind = self.form.label(lang)
        if self.record_id is None:
            self.heading.setText(self.tr("New: {kind}").format(kind=kind))
        else:
            number = number_text(self._current.number if self._current else None, lang)
            self.heading.setText(
                self.tr("Edit: {kind} {number}").format(kind=kind, number=isolate(number))
            )
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save the record"))
        self.save_button.setToolTip(self.tr("Save the record (Ctrl+S)"))
        self.scroller.setAccessibleName(self.tr("Fields of the record"))
        self.status.setText(self._draft_note)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _preferences_changed(self, _choices: Choices) -> None:
        lang = self.workspace.lang
        for box in self.inputs.values():
            box.show_language(lang)
        self.retranslate()
        self._revalidate()

    # --- values ---------------------------------------------------------------------------

    def typed_values(self) -> dict[str, Any]:
        """Every field with something in it, as typed (what a draft keeps)."""
        values = {key: box.value() for key, box in self.inputs.items()}
        return {key: value for key, value in values.items() if _has_value(value)}

    def _fill(self, values: Mapping[str, Any]) -> None:
        for field in self.form.fields:  # in form order: a governorate before its districts
            if field.key in values:
                self.inputs[field.key].set_value(values[field.key])
        self._revalidate()

    def _record_loaded(self, record: Record | UserFacingError) -> None:
        if isinstance(record, UserFacingError):  # e.g. a record number that is not here
            self.banner.setText(record.message(self.workspace.lang))
            self.banner.show()
            return
        self._current = record
        self._fill({**record.fields, **self._pending_fill})
        self.setEnabled(True)
        self.retranslate()
        self.loaded.emit()

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self._revalidate()
        if not self._done:
            self._draft_timer.start()

    def _left(self, key: str) -> None:
        if key not in self._touched:
            self._touched.add(key)
            self._revalidate()

    # --- validation -----------------------------------------------------------------------

    def _revalidate(self) -> list[FieldError]:
        """Check what is typed; show the problems of the fields the officer has been to."""
        typed = self.typed_values()
        try:
            validate(self.form, typed, reference=self._context.reference, today=date.today())
            problems: list[FieldError] = []
        except ValidationFailed as failed:
            problems = failed.errors
        shown = problems if self._show_all else [p for p in problems if p.field in self._touched]
        self._show_problems(shown)
        self._mark_required(typed)
        return problems

    def _show_problems(self, problems: list[FieldError]) -> None:
        lang = self.workspace.lang
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.message(lang))
        for key, label in self.errors.items():
            text = "\n".join(by_field.get(key, []))
            label.setText(text)
            label.setVisible(bool(text))
            self.inputs[key].focus_widget().setAccessibleDescription(text)

    def _mark_required(self, typed: Mapping[str, Any]) -> None:
        """Required fields carry a star, including those a rule requires right now (a
        referral's body once the outcome is a referral)."""
        required = {f.key for f in self.form.fields if f.required}
        for rule in self.form.rules:
            if rule.kind == "requires" and rule.applies(typed):
                required.update(rule.fields)
        lang = self.workspace.lang
        for field in self.form.fields:
            text = field.label(lang) + (" *" if field.key in required else "")
            self.labels[field.key].setText(text)
            self.inputs[field.key].set_accessible_name(field.label(lang))

    def problem_text(self, key: str) -> str:
        """The message shown under field `key` ("" when none)."""
        label = self.errors[key]
        return "" if label.isHidden() else label.text()

    # --- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        """Save through the store on the vault's worker; a refusal is shown at the fields."""
        if self._saving or self._done or not self.isEnabled():
            return
        self._draft_timer.stop()
        self._show_all = True
        self._revalidate()
        typed = self.typed_values()
        store = self.workspace.session.store
        record_type, record_id = self.record_type, self.record_id
        work: Callable[[], Record]
        if record_id is None:
            work = lambda: store.add(record_type, typed)  # noqa: E731
        else:
            before = self._current.fields if self._current else {}
            patch: dict[str, Any] = {k: None for k in before if k not in typed}
            patch.update(typed)
            work = lambda: store.edit(record_id, patch)  # noqa: E731
        self._saving = True
        self.save_button.setEnabled(False)
        self.workspace.tasks.vault(_refusal_or(work), self._after_save, context=self)

    def _after_save(self, outcome: Record | UserFacingError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        lang = self.workspace.lang
        if isinstance(outcome, ValidationFailed):
            self._show_problems(outcome.errors)
            self.banner.setText(translate(outcome.key, lang, **outcome.params))
            self.banner.show()
            first = next((e.field for e in outcome.errors if e.field in self.inputs), None)
            if first is not None:
                self.scroller.ensureWidgetVisible(self.inputs[first])
                self.inputs[first].focus_widget().setFocus()
            return
        if isinstance(outcome, UserFacingError):
            self.banner.setText(outcome.message(lang))
            self.banner.show()
            return
        self._done = True
        self.banner.hide()
        store, draft_id = self.workspace.session.store, self.draft_id
        # Asked for after the save on the same worker: the draft goes only once the record is in.
        self.workspace.tasks.vault(lambda: store.drafts.discard(draft_id))
        self.saved.emit(outcome.id)
        self.open_record.emit(outcome.id)

    # --- drafts ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed within half a second of the last key: keep that key too.
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self._save_draft()
        super().closeEvent(event)

    def _save_draft(self) -> None:
        if self._done or self.workspace.tasks.closed:
            return
        store = self.workspace.session.store
        draft_id, record_type, record_id = self.draft_id, self.record_type, self.record_id
        typed = self.typed_values()
        self.workspace.tasks.vault(
            _refusal_or(lambda: store.drafts.save(draft_id, record_type, record_id, typed)),
            self._draft_kept,
            context=self,
        )

    def _draft_kept(self, outcome: Draft | UserFacingError) -> None:
        lang = self.workspace.lang
        if isinstance(outcome, UserFacingError):
            self._draft_note = outcome.message(lang)
            self.status.setStyleSheet(_ERROR_STYLE)
        else:
            when = local_time(outcome.updated_at, lang, self.workspace.preferences.digits)
            self._draft_note = self.tr("Draft kept: {time}").format(time=isolate(when))
            self.status.setStyleSheet("")
            self.draft_saved.emit(outcome.draft_id)
        self.status.setText(self._draft_note)
