"""The start screens' page: a centred column of a readable width, wrapped text never clipped."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

TITLE_SCALE = 1.4


class TitleLabel(QLabel):
    """The screen's one heading: larger than the text and bold, following the officer's text
    size when it changes (a font set on a widget would otherwise keep its old size)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self._follow_text_size()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.fontChanged.connect(self._follow_text_size)

    def _follow_text_size(self, _font: QFont | None = None) -> None:
        font = QFont(QGuiApplication.font())
        font.setPointSizeF(font.pointSizeF() * TITLE_SCALE)
        font.setBold(True)
        self.setFont(font)


def title_label(parent: QWidget) -> QLabel:
    """The screen's one heading."""
    return TitleLabel(parent)


def message_label(parent: QWidget, alignment: Qt.AlignmentFlag | None = None) -> QLabel:
    """Where the screen says what went wrong (wrapped: core messages can be long)."""
    message = QLabel(parent)
    message.setWordWrap(True)
    if alignment is not None:
        message.setAlignment(alignment)
    return message


def lay_out_page(screen: QWidget, items: Sequence[QWidget | int], max_width: int) -> None:
    """Stack `items` (widgets, or an int: that much space) in a column at most `max_width`
    wide, in the middle of `screen`, a little above its centre.

    Stretches on both sides rather than an alignment flag: an aligned widget gets its size hint,
    and word-wrapped labels in it are cut off."""
    page = QWidget(screen)
    page.setMaximumWidth(max_width)
    column = QVBoxLayout(page)
    for item in items:
        if isinstance(item, int):
            column.addSpacing(item)
        else:
            column.addWidget(item)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(page, 4)
    row.addStretch(1)
    outer = QVBoxLayout(screen)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
