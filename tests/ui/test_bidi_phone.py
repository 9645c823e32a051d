"""A phone shown in Arabic-Indic digits reads 0770 first, on the left, inside an Arabic line and
alone: what Qt's bidi layout draws, measured by where each group's ink lands."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextCharFormat, QTextLayout, QTextOption
from pytestqt.qtbot import QtBot

from fieldapp.display import shown, standing_alone
from fieldapp.forms.definitions import load_forms
from fieldapp.messages import translate

RED = QColor("red")
DIRECTIONS = [Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight]


def left_edge_of(text: str, part: str, direction: Qt.LayoutDirection) -> int:
    """The leftmost x of `part`'s ink when `text` is laid out in a paragraph of `direction`."""
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(direction)
    layout.setTextOption(option)
    marked = QTextCharFormat()
    marked.setForeground(RED)
    span = QTextLayout.FormatRange()
    span.start, span.length, span.format = text.index(part), len(part), marked
    layout.setFormats([span])
    layout.beginLayout()
    layout.createLine().setLineWidth(800)
    layout.endLayout()
    image = QImage(820, 50, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    layout.draw(painter, QPointF(10, 10))
    painter.end()
    inked = [
        x
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).green() < 90
    ]
    assert inked, f"{part!r} drew nothing"
    return min(inked)


@pytest.fixture
def phone() -> str:
    field = load_forms().get("person").field("phone")
    return shown(field, "+9647701234567", "ar", digits="arab")


@pytest.mark.parametrize(
    "direction", [Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight]
)
def test_a_phone_in_an_arabic_line_reads_0770_first_on_the_left(
    qtbot: QtBot, phone: str, direction: Qt.LayoutDirection
) -> None:
    line = translate("presentation.changed_at", "ar", at=phone)  # any Arabic sentence
    assert left_edge_of(line, "٠٧٧٠", direction) < left_edge_of(line, "٤٥٦٧", direction)


def test_a_phone_on_its_own_in_a_left_to_right_field_reads_0770_first_on_the_left(
    qtbot: QtBot, phone: str
) -> None:
    # Phone fields and cells stay left to right inside an Arabic form (issue 10's RTL traps).
    alone = standing_alone(phone)
    ltr = Qt.LayoutDirection.LeftToRight
    assert left_edge_of(alone, "٠٧٧٠", ltr) < left_edge_of(alone, "٤٥٦٧", ltr)
