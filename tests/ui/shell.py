"""What the shell's tests share: a movable clock, a screen that shows record data as a real one
would, and the texts a window shows. (The `language` fixture is in conftest.py.)"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from ui.workspace import Workspace

STRONG_PASSWORD = "قمر بغداد يضيء فوق الجسر الخامس"


class MovableClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordNames(QWidget):
    """A screen as the real ones work: it lists people's names read on the vault's worker, and
    has a field the officer types into."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.names = QLabel(self)
        self.names.setAccessibleName("names")
        self.note = QLineEdit(self)
        self.note.setAccessibleName("note")
        self.note.move(0, 40)
        self.note.resize(400, 30)
        self.names.resize(800, 30)

        def titles() -> list[str]:
            page = workspace.session.store.listing.page("person", limit=3)
            return [summary.title for summary in page.items]

        workspace.tasks.vault(titles, lambda found: self.names.setText("، ".join(found)))


def visible_texts(window: QWidget) -> list[str]:
    """Every text a person could read in `window` now: labels, fields and buttons shown."""
    texts: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
    return texts
