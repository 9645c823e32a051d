"""The start screens' page: a centred column of a readable width, wrapped text never clipped."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

TITLE_SCALE = 1.4


def title_label(parent: QWidget) -> QLabel:
    """The screen's one heading: larger, bold, wrapped."""
    title = QLabel(parent)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * TITLE_SCALE)
    font.setBold(True)
    title.setFont(font)
    title.setWordWrap(True)
    return title


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
