"""A short list of records a screen points the officer to (due visits, refused changes,
conflicts): each row is one record; Enter or a double click opens it.

Screens wrap each value put into a row's text in bidi isolates (`island`, or
`fieldapp.display.isolated` for raw record data), so a Latin name, a number or a bracket inside
an Arabic line keeps its own direction and stays in place. Each line starts with a mark of the
layout's direction: a line that starts with an isolate would otherwise take its direction from
nothing (the isolate is skipped) and read left to right under Arabic.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from fieldapp.text import FSI, PDI

RLM, LRM = "\u200f", "\u200e"
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole


def island(text: str) -> str:
    """Text already fit to show (a title from the core, which may hold isolates of its own; a
    translated phrase) as one bidi island. Raw record data goes through
    `fieldapp.display.isolated` instead, which also makes it printable (and would show the
    core's isolates as escapes)."""
    return f"{FSI}{text}{PDI}"


def in_direction_of(widget: QWidget, text: str) -> str:
    """`text` read in `widget`'s layout direction, whatever its first letter is."""
    mark = RLM if widget.isRightToLeft() else LRM
    return "\n".join(mark + line for line in text.split("\n"))


class RecordItems(QListWidget):
    """Rows that each open a record: `open_record(id)` on Enter or a double click."""

    open_record = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setAlternatingRowColors(True)  # a row of two lines stays one row to the eye
        self.itemActivated.connect(self._open)

    def add_record(self, record_id: str, text: str, detail: str = "") -> QListWidgetItem:
        """One row for `record_id`: `text`, and a second line `detail` when given."""
        item = QListWidgetItem(in_direction_of(self, text if not detail else f"{text}\n{detail}"))
        item.setData(RECORD_ID_ROLE, record_id)
        item.setToolTip(detail or text)
        self.addItem(item)
        return item

    def add_note(self, text: str) -> QListWidgetItem:
        """A row that opens nothing (e.g. "nothing due")."""
        item = QListWidgetItem(in_direction_of(self, text))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.addItem(item)
        return item

    def record_ids(self) -> list[str]:
        """The records shown, top to bottom."""
        found = (self.item(i).data(RECORD_ID_ROLE) for i in range(self.count()))
        return [value for value in found if isinstance(value, str)]

    def _open(self, item: QListWidgetItem) -> None:
        record_id = item.data(RECORD_ID_ROLE)
        if isinstance(record_id, str):
            self.open_record.emit(record_id)
