"""Under Arabic, text keeps its own direction: list cells, a phone field, a combo box.

Each check renders the real widget, crops its ink and compares it with the same text drawn by
Qt's text layout in the right direction and in the wrong one (what naive painting gives)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
)
from pytestqt.qtbot import QtBot

from tests.ui.ink import drawn, ink, ink_box, large_font, looks_like
from tests.ui.keyboard import type_text
from ui.widgets.bidi import BidiDelegate, LeftToRightLineEdit, add_isolated_items

LTR, RTL = Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft
PHONE = "0770 123 4567"


@pytest.fixture
def arabic_layout(qapp: QApplication) -> Iterator[None]:
    """The app laid out right to left, as it is under Arabic and Sorani."""
    qapp.setLayoutDirection(RTL)
    yield
    qapp.setLayoutDirection(LTR)


def table_of(qtbot: QtBot, texts: list[str]) -> QTableView:
    model = QStandardItemModel(len(texts), 1)
    for row, text in enumerate(texts):
        model.setItem(row, 0, QStandardItem(text))
    view = QTableView()
    qtbot.addWidget(view)
    view.setFont(large_font())
    view.setModel(model)
    view.setItemDelegate(BidiDelegate(view))
    view.setShowGrid(False)
    view.horizontalHeader().hide()
    view.verticalHeader().hide()
    view.setColumnWidth(0, 700)
    view.verticalHeader().setDefaultSectionSize(50)
    view.resize(720, 60 * len(texts))
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.usefixtures("arabic_layout")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PHONE, (PHONE, LTR)),
        ("٠٧٧٠ ١٢٣ ٤٥٦٧", ("\u202d٠٧٧٠ ١٢٣ ٤٥٦٧\u202c", LTR)),
        ("123 Main St.", ("123 Main St.", LTR)),
        # Arabic first: the line reads right to left, the phone at its end still in order.
        ("علي Smith " + PHONE, (PHONE + " Smith علي", LTR)),
    ],
    ids=["phone", "arabic-indic phone", "latin line", "arabic latin and phone"],
)
def test_a_list_cell_is_painted_in_its_own_texts_direction(
    qtbot: QtBot, text: str, expected: tuple[str, Qt.LayoutDirection]
) -> None:
    view = table_of(qtbot, [text])
    rect = view.visualRect(view.model().index(0, 0))
    painted = ink(view.viewport().grab(rect))
    right = drawn(expected[0], view.font(), expected[1])
    naive = drawn(text, view.font(), RTL)
    assert looks_like(painted, right, naive)


@pytest.mark.usefixtures("arabic_layout")
def test_a_latin_cell_lines_up_on_the_reading_side_of_an_arabic_list(qtbot: QtBot) -> None:
    view = table_of(qtbot, ["Save the Children"])
    rect = view.visualRect(view.model().index(0, 0))
    picture = view.viewport().grab(rect).toImage()
    box = ink_box(picture.convertToFormat(QImage.Format.Format_Grayscale8))
    assert rect.width() - box.right() < box.left()  # nearer the right edge


def field_ink(field: QLineEdit) -> QImage:
    inner = field.rect().adjusted(4, 4, -4, -4)  # inside the frame
    return ink(field.grab(), inner)


@pytest.mark.usefixtures("arabic_layout")
def test_a_phone_field_keeps_the_number_in_order_on_its_left_inside_an_arabic_form(
    qtbot: QtBot,
) -> None:
    field = LeftToRightLineEdit()
    qtbot.addWidget(field)
    field.setFont(large_font())
    field.resize(500, 50)
    type_text(field, PHONE)
    assert field.text() == PHONE
    font = field.font()
    assert looks_like(field_ink(field), drawn(PHONE, font, LTR), drawn(PHONE, font, RTL))
    box = ink_box(field.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8))
    assert box.left() < field.width() - box.right()  # starts at the left, as typed


@pytest.mark.usefixtures("arabic_layout")
def test_an_empty_phone_field_has_its_caret_on_the_left(qtbot: QtBot) -> None:
    field = LeftToRightLineEdit()
    qtbot.addWidget(field)
    field.resize(300, 30)
    field.show()
    qtbot.waitExposed(field)
    field.setFocus()
    assert field.layoutDirection() == LTR
    assert field.cursorRect().center().x() < field.width() / 2


def combo_ink(combo: QComboBox) -> QImage:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return ink(combo.grab(), field.adjusted(2, 2, -2, -2))


@pytest.mark.usefixtures("arabic_layout")
@pytest.mark.parametrize("text", [PHONE, "English (UK) 2.0."], ids=["phone", "bracketed"])
def test_a_combo_box_item_keeps_its_brackets_and_digits_under_arabic(
    qtbot: QtBot, text: str
) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.setFont(large_font())
    combo.resize(500, 50)
    add_isolated_items(combo, [("العربية", "ar"), (text, "x")])
    combo.setCurrentIndex(1)
    font = combo.font()
    assert combo.currentData() == "x"
    assert looks_like(combo_ink(combo), drawn(text, font, LTR), drawn(text, font, RTL))


@pytest.mark.usefixtures("arabic_layout")
def test_arabic_combo_items_stay_as_written_so_typing_finds_them(qtbot: QtBot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    add_isolated_items(combo, [("مفتوحة", "open"), ("مغلقة", "closed")])
    assert [combo.itemText(i) for i in range(2)] == ["مفتوحة", "مغلقة"]
