"""Text that keeps its own direction inside a right-to-left app.

Qt paints a list cell, a combo box item or a line edit in the widget's layout direction. Under
Arabic that reverses what reads left to right: a phone `0770 123 4567` comes out as
`4567 123 0770`, and a Latin line ending in a number or a stop has them jump to the wrong
side. The pieces here give each text its own direction (its first strong letter), keep runs of
digits (phones, dates, record numbers, in any digit script) left to right, and align every
cell to the reading side of the layout so the column still reads as one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

# Left-to-right isolate + override ... pop override + pop isolate: the digits inside are shown
# left to right whatever surrounds them (Arabic-Indic digits separated by spaces reverse even in
# a left-to-right line without the override).
_LRI, _LRO, _PDF, _PDI = "\u2066", "\u202d", "\u202c", "\u2069"
_FSI = "\u2068"
_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
# A number as written: digits with Latin letters attached (B12-2026-176, P/2026/3, 12A), parts
# joined by dashes, slashes, dots or colons (dates, times, record numbers).
_TOKEN = rf"[A-Za-z]*{_DIGIT}[A-Za-z0-9\u0660-\u0669\u06f0-\u06f9]*"
_NUMBER = rf"(?:[A-Za-z]+[\-/])?{_TOKEN}(?:[\-/.:]{_TOKEN})*"
# A phone as typed, its groups split by spaces: 0770 123 4567, +964 770 123 4567. Other numbers
# split by spaces stay apart: in "حي القادسية 27 2" an Arabic reader reads 27 first.
_PHONE = rf"(?:\+|[0\u0660\u06f0]){_DIGIT}{{2,}}(?: {_DIGIT}{{3,}})+"
_DIGIT_RUN = re.compile(rf"(?<![\w+])(?:{_PHONE}|\+?{_NUMBER})")


def text_direction(text: str, fallback: Qt.LayoutDirection) -> Qt.LayoutDirection:
    """The direction `text` reads in: its first strong letter's; left to right for a text of
    digits alone (a phone, a date); `fallback` when it has neither."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
    if _DIGIT_RUN.search(text):
        return Qt.LayoutDirection.LeftToRight
    return fallback


def digits_left_to_right(text: str) -> str:
    """`text` with each number in it (a phone with its spaces, a date, a record number) held
    left to right, so that it keeps its order inside an Arabic line."""
    return _DIGIT_RUN.sub(lambda m: f"{_LRI}{_LRO}{m.group()}{_PDF}{_PDI}", text)


def isolated(text: str) -> str:
    """`text` wrapped in a first-strong isolate: an item inserted among right-to-left ones
    (`English (UK)` under Arabic) keeps its brackets and digits where it wrote them."""
    return f"{_FSI}{digits_left_to_right(text)}{_PDI}"


_RTL, _LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight
# Computed once: Qt's flag arithmetic in Python is slow enough to show in a cell's paint.
_ALIGN_RIGHT = (
    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
)
_ALIGN_LEFT = (
    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
)


@functools.lru_cache(maxsize=4096)
def _cell(text: str, right_to_left: bool, forced: bool) -> tuple[str, Qt.LayoutDirection]:
    """A cell's text as painted and its direction (cached: a list repaints the same texts)."""
    layout = _RTL if right_to_left else _LTR
    direction = _LTR if forced else text_direction(text, layout)
    return digits_left_to_right(text), direction


class BidiDelegate(QStyledItemDelegate):
    """Paints each cell in its own text's direction, aligned to the reading side of the view.

    `left_to_right_columns` always read left to right (record numbers, dates)."""

    def __init__(
        self, parent: QObject | None = None, *, left_to_right_columns: Collection[int] = ()
    ) -> None:
        super().__init__(parent)
        self._ltr_columns = frozenset(left_to_right_columns)

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        right_to_left = option.direction == _RTL  # the view's
        forced = index.column() in self._ltr_columns
        option.text, option.direction = _cell(option.text, right_to_left, forced)
        option.displayAlignment = _ALIGN_RIGHT if right_to_left else _ALIGN_LEFT


def reading_side(widget: QWidget) -> Qt.AlignmentFlag:
    """The side a line starts on in `widget`'s layout, as an absolute alignment: a label
    holding a number lines up with the Arabic ones above it."""
    side = (
        Qt.AlignmentFlag.AlignRight
        if widget.layoutDirection() == Qt.LayoutDirection.RightToLeft
        else Qt.AlignmentFlag.AlignLeft
    )
    return side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter


class LeftToRightLineEdit(QLineEdit):
    """A field for phones, national IDs and numbers: left to right, with its caret and text
    on the left, inside a right-to-left form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)


def add_isolated_items(combo: QComboBox, items: Iterable[tuple[str, Any]]) -> None:
    """Add `(text, data)` items to `combo`, each shown in its own direction: an item against
    the combo's direction, or holding a number, is `isolated`. The others stay as they are, so
    typing an item's first letters still finds it. Read choices by `currentData()`."""
    layout = combo.layoutDirection()
    for text, data in items:
        foreign = text_direction(text, layout) != layout or _DIGIT_RUN.search(text)
        combo.addItem(isolated(text) if foreign else text, data)
