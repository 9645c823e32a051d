"""Driving the record form as an officer does: type into a field, pick from a list, search for a
link, press Ctrl+S; and reading back what the vault holds (on the vault's worker, as the app)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from fieldapp.store.records import Record
from tests.ui.keyboard import press, type_text
from ui.forms import RecordEditor
from ui.forms.fields import ChoiceInput, MultiChoiceInput, PlaceInput
from ui.forms.links import LinkInput
from ui.workspace import Workspace

T = TypeVar("T")
WAIT = 10_000


def in_vault(workspace: Workspace, work: Callable[[], T]) -> T:
    """Run `work` on the vault's worker (its connection's thread) and return its result."""
    return workspace.tasks.vault(work).result(timeout=WAIT / 1000)


@contextmanager
def right_to_left() -> Iterator[None]:
    """The layout direction the app sets for Arabic and Sorani, for the length of a test."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.layoutDirection()
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        yield
    finally:
        app.setLayoutDirection(before)


def open_editor(
    qtbot: QtBot, workspace: Workspace, record_type: str, **kwargs: Any
) -> RecordEditor:
    """A record form on screen, 1366x768 as on the officers' laptops."""
    editor = RecordEditor(workspace, record_type, **kwargs)
    return show(qtbot, editor)


def show(qtbot: QtBot, editor: RecordEditor) -> RecordEditor:
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    with qtbot.waitActive(editor):  # keys and focus go where an officer's would
        editor.show()
        editor.activateWindow()
    return editor


def type_into(editor: RecordEditor, key: str, text: str) -> None:
    """Focus field `key` and type `text` one key at a time, then leave it (Tab)."""
    widget = editor.inputs[key].focus_widget()
    widget.setFocus()
    type_text(widget, text)
    press(widget, Qt.Key.Key_Tab)


def choose(editor: RecordEditor, key: str, value: Any) -> None:
    """Pick the entry of `value` (a choice key, True or False) in field `key`'s list."""
    box = editor.inputs[key]
    assert isinstance(box, ChoiceInput)
    index = next(
        i
        for i in range(box.combo.count())
        if type(box.combo.itemData(i)) is type(value) and box.combo.itemData(i) == value
    )
    box.combo.setFocus()
    box.combo.setCurrentIndex(index)


def tick(editor: RecordEditor, key: str, *choices: str) -> None:
    """Tick the boxes of `choices` in a several-choice field."""
    box = editor.inputs[key]
    assert isinstance(box, MultiChoiceInput)
    for choice in choices:
        box.boxes[choice].click()


def pick_place(qtbot: QtBot, editor: RecordEditor, key: str, name: str) -> None:
    """Type a governorate's or district's name into its list and press Enter."""
    box = editor.inputs[key]
    assert isinstance(box, PlaceInput)
    combo: QComboBox = box.combo
    combo.setFocus()
    combo.clearEditText()
    line = combo.lineEdit()
    assert line is not None
    type_text(line, name)
    press(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.pcode() != "", timeout=WAIT)


def search_link(qtbot: QtBot, editor: RecordEditor, key: str, typed: str) -> LinkInput:
    """Type `typed` into a link field's search line and wait for its results."""
    box = editor.inputs[key]
    assert isinstance(box, LinkInput)
    box.search.setFocus()
    box.search.clear()
    with qtbot.waitSignal(box.searched, timeout=WAIT):
        type_text(box.search, typed)
    return box


def pick_result(box: LinkInput, containing: str) -> None:
    """Go down the results with the arrow key to the one showing `containing`, press Enter."""
    texts = box.result_texts()
    row = next(i for i, text in enumerate(texts) if containing in text)
    press(box.search, Qt.Key.Key_Down)
    for _ in range(row):
        press(box.results, Qt.Key.Key_Down)
    press(box.results, Qt.Key.Key_Return)


def ctrl_s(editor: RecordEditor) -> None:
    """The officer's save key, pressed in the form (QTest goes through the shortcut map)."""
    focused = QApplication.focusWidget()
    target = focused if focused is not None and editor.isAncestorOf(focused) else editor
    QTest.keyClick(target, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def fill_person(editor: RecordEditor, name: str, sex: str, age: str) -> None:
    """What a person needs: the three names (`name` is "first father grandfather"), typed; the
    sex chosen from its list; the age typed."""
    keys = ("first_name", "father_name", "grandfather_name")
    for key, part in zip(keys, name.split(), strict=True):
        type_into(editor, key, part)
    choose(editor, "sex", sex)
    type_into(editor, "age", age)


def save(qtbot: QtBot, editor: RecordEditor) -> str:
    """Press Ctrl+S and wait for the record to be saved; its id."""
    with qtbot.waitSignal(editor.saved, timeout=WAIT) as saved:
        ctrl_s(editor)
    return str(saved.args[0])


def save_refused(qtbot: QtBot, editor: RecordEditor) -> None:
    """Press Ctrl+S and wait for the store's refusal to be on screen."""
    ctrl_s(editor)
    qtbot.waitUntil(lambda: not editor.banner.isHidden(), timeout=WAIT)


def stored(workspace: Workspace, record_id: str) -> Record:
    store = workspace.session.store
    return in_vault(workspace, lambda: store.get(record_id))
