"""A new password typed twice, judged by the core's strength rules as the officer types."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from fieldapp.errors import WeakPassword
from fieldapp.vault.passwords import check_password_strength
from ui.preferences import Preferences


class NewPasswordFields(QWidget):
    """Two password fields and, under them, why the password cannot be used yet.

    The reason comes from the core (`vault.weak_password_*`, in the officer's language) or says
    the two differ. `acceptable_changed` tells the screen when its button may be enabled."""

    acceptable_changed = Signal(bool)

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._acceptable = False
        self.first = QLineEdit(self)
        self.second = QLineEdit(self)
        for field in (self.first, self.second):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._judge)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self._first_label = QLabel(self)
        self._second_label = QLabel(self)
        self._first_label.setBuddy(self.first)
        self._second_label.setBuddy(self.second)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self._first_label, self.first)
        layout.addRow(self._second_label, self.second)
        layout.addRow(self.reason)
        preferences.changed.connect(lambda _choices: self._judge())
        self.retranslate()

    def retranslate(self) -> None:
        self._first_label.setText(self.tr("New &password:"))
        self._second_label.setText(self.tr("&Again:"))
        self.first.setAccessibleName(self.tr("New password"))
        self.second.setAccessibleName(self.tr("New password again"))
        self.reason.setAccessibleName(self.tr("Why the password cannot be used yet"))
        self.first.setPlaceholderText(self.tr("a few words only you know"))
        self._judge()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def acceptable(self) -> bool:
        return self._acceptable

    def password(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()

    def _judge(self) -> None:
        text = self.first.text()
        reason = ""
        if text:
            try:
                check_password_strength(text)
            except WeakPassword as weak:
                reason = weak.message(self._preferences.language)
            else:
                if text != self.second.text():
                    reason = self.tr("The two passwords are not the same yet.")
        self.reason.setText(reason)
        acceptable = bool(text) and not reason
        if acceptable != self._acceptable:
            self._acceptable = acceptable
            self.acceptable_changed.emit(acceptable)
