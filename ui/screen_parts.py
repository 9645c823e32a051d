"""Pieces every screen of this area shares: re-translation on a language change, a heading."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget


class TranslatedWidget(QWidget):
    """A widget whose `retranslate()` runs again when the app's language changes (the Qt
    strings); core text is re-rendered by each screen on `preferences.changed`."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every Qt string again with `self.tr` (subclasses)."""


def heading_label() -> QLabel:
    """A screen's title: bold, a third larger than the text around it."""
    label = QLabel()
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.3)
    label.setFont(font)
    return label
