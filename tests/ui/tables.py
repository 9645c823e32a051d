"""What a list screen shows, read as the officer reads it: the cells of a column, the status
line; and waiting for a list to settle after typing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

from ui.lists.model import Column, SummaryModel
from ui.lists.search_list import SearchableList


def column_texts(table: QTableView, column: Column) -> list[str]:
    """The texts shown in one column, top to bottom."""
    model = table.model()
    assert isinstance(model, SummaryModel)
    index = model.columns.index(column)
    return [
        str(model.data(model.index(row, index), Qt.ItemDataRole.DisplayRole))
        for row in range(model.rowCount())
    ]


def settled(qtbot: QtBot, screen: SearchableList) -> None:
    """Wait until the typing pause passed and the list's results arrived."""
    qtbot.waitUntil(lambda: not screen.model.state.loading, timeout=10_000)


def on_screen(qtbot: QtBot, widget: QWidget) -> None:
    """Show `widget` at the size of the officers' laptops (1366x768), closed after the test."""
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
