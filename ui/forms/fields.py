"""One input per field type of the form definitions, and the registry from type to input.

Each input holds what the officer typed, as typed: `value()` is the raw JSON value the core's
validator cleans (a date as typed, a phone with its spaces, digits in any script), so a draft
keeps exactly what was on the screen and the validator says what is wrong with it. Phones,
national IDs, numbers and dates are left-to-right editors inside the right-to-left form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from fieldapp.dates import day_text
from fieldapp.forms.definitions import FieldDef
from fieldapp.forms.reference import AdminReference, AdminUnit
from fieldapp.forms.values import parse_typed_date
from fieldapp.messages import translate
from fieldapp.numerals import Digits
from fieldapp.text import to_ascii_digits
from ui.workspace import Workspace


@dataclass
class FieldContext:
    """What an input needs besides its definition: the workspace (links search the vault on its
    worker) and the administrative reference (names of governorates and districts)."""

    workspace: Workspace
    reference: AdminReference

    @property
    def lang(self) -> str:
        return self.workspace.lang

    @property
    def digits(self) -> Digits:
        return self.workspace.preferences.digits


class FieldInput(QWidget):
    """The input of one field. `edited` when the officer changes it, `left` when focus leaves
    it; `set_value` fills it without emitting `edited` (a loaded record, a draft, a prefill)."""

    edited = Signal()
    left = Signal()

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__()
        self.field = field
        self.context = context
        self._filling = False
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        """The value as typed (None or "" when empty)."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._filling = True
        try:
            self._fill(value)
        finally:
            self._filling = False

    def _fill(self, value: Any) -> None:
        raise NotImplementedError

    def show_language(self, lang: str) -> None:
        """Re-render the core's texts (choice labels, place names) in `lang`."""

    def retranslate(self) -> None:
        """Re-read the app's own words (Qt translations) after a change of language."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def focus_widget(self) -> QWidget:
        """The control the field's label points at and focus goes to."""
        return self

    def set_accessible_name(self, name: str) -> None:
        self.focus_widget().setAccessibleName(name)

    def _changed(self, *_args: object) -> None:
        if not self._filling:
            self.edited.emit()

    def _watch_focus(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        return super().eventFilter(watched, event)


class TypedDigits(QValidator):
    """Takes what `pattern` allows, with the digits of any script written as Latin ones as they
    are typed. In a left-to-right field, Arabic-Indic digit groups separated by spaces or dashes
    still come out in reverse order (the bidi algorithm makes a space between two Arabic
    numbers right to left): "٠٧٧٠ ١٢٣ ٤٥٦٧" would read "٤٥٦٧ ١٢٣ ٠٧٧٠". The value is the same
    either way; the core stores these digits as ASCII."""

    def __init__(self, pattern: str, parent: QObject) -> None:
        super().__init__(parent)
        self._pattern = re.compile(pattern)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        latin = to_ascii_digits(text)  # one character for one: the caret stays where it was
        if self._pattern.fullmatch(latin):
            return QValidator.State.Acceptable, latin, pos
        return QValidator.State.Invalid, text, pos


def left_to_right(editor: QLineEdit, pattern: str) -> QLineEdit:
    """A phone, ID, number or date stays left to right, caret and text on the left, whatever
    the form's direction; it takes what `pattern` allows, digits of any script."""
    editor.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    editor.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    editor.setValidator(TypedDigits(pattern, editor))
    return editor


class TextInput(FieldInput):
    """Free text: one line, or a text area for a long (multi-line) field."""

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__(field, context)
        self.editor: QLineEdit | QPlainTextEdit
        if field.multiline:
            area = QPlainTextEdit()
            area.setTabChangesFocus(True)  # Tab moves on, as in every other field
            area.setFixedHeight(area.fontMetrics().lineSpacing() * 4 + 12)
            area.textChanged.connect(self._changed)
            self.editor = area
        else:
            line = QLineEdit()
            line.setMaxLength(field.max_length or 32767)
            # As wide as what it holds (an alley's number is short), never the whole screen.
            shown = min(field.max_length or 60, 60) + 4
            line.setFixedWidth(line.fontMetrics().averageCharWidth() * shown + 16)
            line.textEdited.connect(self._changed)
            self.editor = line
        self._watch_focus(self.editor)
        self._layout.addWidget(self.editor)
        if not field.multiline:
            self._layout.addStretch(1)  # the short line starts where the officer reads from

    def value(self) -> Any:
        if isinstance(self.editor, QPlainTextEdit):
            return self.editor.toPlainText()
        return self.editor.text()

    def _fill(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(text)
        else:
            self.editor.setText(text)

    def focus_widget(self) -> QWidget:
        return self.editor


class LineInput(FieldInput):
    """One left-to-right line for numbers, phones and national IDs, accepting the digits of any
    script (and spaces, dashes and + where the type allows them)."""

    PATTERNS: ClassVar[dict[str, str]] = {
        "int": "[+-]?[0-9]*",
        "phone": "[+0-9 -]*",
        "national_id": "[0-9 -]*",
    }
    PLACEHOLDERS: ClassVar[dict[str, str]] = {
        "phone": "07XX XXX XXXX",
        "national_id": "XXXX XXXX XXXX",
    }

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__(field, context)
        self.editor = left_to_right(QLineEdit(), self.PATTERNS[field.type])
        self.editor.setMaxLength(40)
        self.editor.setPlaceholderText(self.PLACEHOLDERS.get(field.type, ""))
        self.editor.textEdited.connect(self._changed)
        self._watch_focus(self.editor)
        self._layout.addWidget(self.editor)
        self._layout.addStretch(1)

    def value(self) -> Any:
        return self.editor.text()

    def _fill(self, value: Any) -> None:
        self.editor.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.editor


class ChoiceInput(FieldInput):
    """An enum as a drop-down list (first entry: not chosen); a yes/no field the same way, so
    "no" and "not asked" stay different."""

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__(field, context)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumWidth(self.combo.fontMetrics().averageCharWidth() * 16)
        self.combo.addItem("", None)
        for key in self._keys():
            self.combo.addItem("", key)
        self.show_language(context.lang)
        self.combo.currentIndexChanged.connect(self._changed)
        self._watch_focus(self.combo)
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)

    def _keys(self) -> Sequence[Any]:
        return (True, False) if self.field.type == "bool" else self.field.choice_keys()

    def _label(self, key: Any, lang: str) -> str:
        if isinstance(key, bool):
            return translate("forms.value.yes" if key else "forms.value.no", lang)
        return self.field.choice_label(str(key), lang)

    def show_language(self, lang: str) -> None:
        for index in range(1, self.combo.count()):
            self.combo.setItemText(index, self._label(self.combo.itemData(index), lang))
        self.combo.adjustSize()

    def value(self) -> Any:
        return self.combo.currentData()

    def _fill(self, value: Any) -> None:
        index = next(
            (
                i
                for i in range(1, self.combo.count())
                if type(self.combo.itemData(i)) is type(value) and self.combo.itemData(i) == value
            ),
            0,
        )
        self.combo.setCurrentIndex(index)

    def focus_widget(self) -> QWidget:
        return self.combo


class MultiChoiceInput(FieldInput):
    """Several choices as tick boxes, three to a row."""

    COLUMNS = 3

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__(field, context)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, key in enumerate(field.choice_keys()):
            box = QCheckBox()
            box.toggled.connect(self._changed)
            self._watch_focus(box)
            grid.addWidget(box, i // self.COLUMNS, i % self.COLUMNS)
            self.boxes[key] = box
        self._layout.addLayout(grid)
        self._layout.addStretch(1)
        self.show_language(context.lang)

    def show_language(self, lang: str) -> None:
        for key, box in self.boxes.items():
            label = self.field.choice_label(key, lang)
            box.setText(label)
            box.setAccessibleName(f"{self.field.label(lang)}: {label}")

    def value(self) -> Any:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def _fill(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)

    def set_accessible_name(self, name: str) -> None:
        self.show_language(self.context.lang)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))


class DateInput(FieldInput):
    """A date typed in any digit script (`5/1/2026`, `٥/١/٢٠٢٦`, `2026-01-05`) or picked on a
    calendar; beside it, the date as read with its Iraqi month name ("٥ كانون الثاني ٢٠٢٦")."""

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__(field, context)
        self.editor = left_to_right(QLineEdit(), "[0-9/.\\- ]*")
        self.editor.setMaxLength(20)
        self.editor.setPlaceholderText("DD/MM/YYYY")
        self.editor.setFixedWidth(self.editor.fontMetrics().horizontalAdvance("0" * 14))
        self.editor.textEdited.connect(self._changed)
        self.editor.textChanged.connect(self._show_reading)
        self._watch_focus(self.editor)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▾")
        self.calendar_button.clicked.connect(self._open_calendar)
        self.reading = QLabel()
        self._layout.addWidget(self.editor)
        self._layout.addWidget(self.calendar_button)
        self._layout.addWidget(self.reading, 1)
        self._calendar: QCalendarWidget | None = None
        self.show_language(context.lang)

    def value(self) -> Any:
        typed = self.editor.text()
        day = parse_typed_date(typed)
        return day.isoformat() if day else typed

    def _fill(self, value: Any) -> None:
        self.editor.setText("" if value is None else str(value))

    def show_language(self, lang: str) -> None:
        self._show_reading()
        self.retranslate()

    def retranslate(self) -> None:
        label = self.field.label(self.context.lang)
        self.calendar_button.setAccessibleName(self.tr("Calendar: {field}").format(field=label))

    def _show_reading(self, *_args: object) -> None:
        day = parse_typed_date(self.editor.text())
        self.reading.setText(day_text(day, self.context.lang, self.context.digits) if day else "")

    def _open_calendar(self) -> None:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setGridVisible(True)
        day = parse_typed_date(self.editor.text()) or date.today()
        calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        calendar.activated.connect(self._picked)
        calendar.clicked.connect(self._picked)
        below = self.editor.mapToGlobal(self.editor.rect().bottomLeft())
        calendar.move(below)
        calendar.show()
        calendar.setFocus()
        self._calendar = calendar

    def _picked(self, picked: QDate) -> None:
        self.editor.setText(date(picked.year(), picked.month(), picked.day()).isoformat())
        self._changed()
        if self._calendar is not None:
            self._calendar.close()
            self._calendar = None
        self.editor.setFocus()

    def focus_widget(self) -> QWidget:
        return self.editor


class PlaceInput(FieldInput):
    """A governorate or district: a drop-down list searched by typing any part of the name in
    the officer's language. Stores the p-code; a name typed that is not in the list is given to
    the validator as typed, which names the closest places."""

    place_changed = Signal(str)  # the chosen p-code ("" when none)

    def __init__(self, field: FieldDef, context: FieldContext) -> None:
        super().__init__(field, context)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        typing = QLineEdit()
        self.combo.setLineEdit(typing)
        # Any part of the name finds the place: "موصل" finds "الموصل".
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.combo.currentIndexChanged.connect(self._index_changed)
        typing.textEdited.connect(self._typed)
        self._watch_focus(self.combo)
        self.combo.setMaximumWidth(self.combo.fontMetrics().averageCharWidth() * 44)
        self._layout.addWidget(self.combo, 1)
        self._layout.addStretch(0)
        self._governorate = ""
        self._fill_list()

    def units(self) -> tuple[AdminUnit, ...]:
        reference = self.context.reference
        if self.field.type == "governorate":
            return reference.governorates()
        return reference.districts(self._governorate) if self._governorate else ()

    def _fill_list(self) -> None:
        chosen = self.pcode()
        self._filling = True
        try:
            self.combo.clear()
            self.combo.addItem("", "")
            lang = self.context.lang
            for unit in sorted(self.units(), key=lambda u: u.name(lang)):
                self.combo.addItem(unit.name(lang), unit.pcode)
            self.combo.setCurrentIndex(max(self.combo.findData(chosen), 0))
        finally:
            self._filling = False

    def set_governorate(self, pcode: str) -> None:
        """A district list follows its governorate; a district of another one is dropped."""
        if pcode != self._governorate:
            self._governorate = pcode
            self._fill_list()

    def pcode(self) -> str:
        """The p-code of the place chosen in the list ("" when the text is not one of them)."""
        index = self.combo.currentIndex()
        if index > 0 and self.combo.currentText() == self.combo.itemText(index):
            return str(self.combo.itemData(index))
        return ""

    def _typed(self, text: str) -> None:
        # A whole name typed is that place, chosen (its districts follow) without Enter.
        index = self.combo.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
        if index > 0 and index != self.combo.currentIndex():
            self.combo.setCurrentIndex(index)  # emits edited through _index_changed
            return
        self._changed()

    def _index_changed(self, _index: int) -> None:
        self.place_changed.emit(self.pcode())
        self._changed()

    def value(self) -> Any:
        return self.pcode() or self.combo.currentText()

    def _fill(self, value: Any) -> None:
        text = "" if value is None else str(value)
        index = self.combo.findData(text) if text else 0
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setCurrentIndex(0)
            self.combo.setEditText(text)
        self.place_changed.emit(self.pcode())

    def show_language(self, lang: str) -> None:
        typed = "" if self.pcode() else self.combo.currentText()
        self._fill_list()
        if typed:
            self.combo.setEditText(typed)

    def focus_widget(self) -> QWidget:
        return self.combo


InputFactory = Callable[[FieldDef, FieldContext], FieldInput]

INPUTS: dict[str, InputFactory] = {
    "text": TextInput,
    "int": LineInput,
    "phone": LineInput,
    "national_id": LineInput,
    "bool": ChoiceInput,
    "enum": ChoiceInput,
    "multi_enum": MultiChoiceInput,
    "date": DateInput,
    "governorate": PlaceInput,
    "district": PlaceInput,
}


def register(field_type: str, factory: InputFactory) -> None:
    """Give `field_type` its input (the link inputs register themselves from `ui.forms.links`)."""
    INPUTS[field_type] = factory


def input_for(field: FieldDef, context: FieldContext) -> FieldInput:
    """A new input for `field`, by its type."""
    return INPUTS[field.type](field, context)
