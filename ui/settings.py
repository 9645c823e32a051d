"""Settings: language, digits, idle-lock minutes, text size (each applied at once through
`Preferences.update`; the app re-translates and re-renders on `changed`), and a new password.

Each language is listed in its own name, isolated from the line around it, so no bracket or
Latin word jumps sides under Arabic. The idle lock takes 1 to 30 minutes; more is refused next
to the field and nothing changes. The password is changed on the vault's worker: the key is
re-wrapped under the new password (the core's strength rules, the officer's name and station
count as guessable), never the database re-encrypted.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldapp.errors import UserFacingError
from fieldapp.messages import translate, translate_in
from fieldapp.numerals import DIGIT_CHOICES, Digits, format_count
from fieldapp.session import Session
from fieldapp.vault import kdf_policy
from fieldapp.vault.passwords import check_password_strength
from ui.preferences import MAX_IDLE_LOCK_MINUTES, TEXT_SIZES, Choices
from ui.record_items import island
from ui.screen_parts import TranslatedWidget, heading_label
from ui.workspace import Workspace

log = logging.getLogger(__name__)

# Each language in its own name (not translated: an officer looking for theirs finds it).
LANGUAGE_NAMES = (("ar", "العربية"), ("ckb", "کوردی"), ("en", "English"))
DIGIT_SAMPLES: dict[Digits, str] = {"arab": "٠١٢٣٤٥٦٧٨٩", "latn": "0123456789"}
ERROR_STYLE = "color: #a40000;"
BODY_WIDTH = 640


def change_password(session: Session, current: str, new: str) -> None:
    """Re-wrap the vault's key under `new` (on the vault's worker); WeakPassword says why a
    new password is refused, WrongPassword (throttled like an unlock) a wrong current one."""
    store = session.store
    check_password_strength(new, personal=(store.actor, store.station_id or ""))
    session.vault.change_password(current, new, kdf=kdf_policy.requested_kdf())
    store.record_audit("password_changed")


class SettingsScreen(TranslatedWidget):
    """The officer's choices and the password; `password_changed` after a change."""

    password_changed = Signal()

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self._workspace = workspace
        self._password_error: BaseException | None = None
        self._password_done = False
        self.heading = heading_label()

        self.language_box = QComboBox()
        for code, name in LANGUAGE_NAMES:
            self.language_box.addItem(island(name), code)
        self.digits_box = QComboBox()
        for digits in DIGIT_CHOICES:
            self.digits_box.addItem("", digits)
        self.idle_box = QSpinBox()
        # Wider than allowed, so that a larger number is refused in words, not clipped.
        self.idle_box.setRange(1, 999)
        self.idle_box.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.idle_error = QLabel()
        self.idle_error.setStyleSheet(ERROR_STYLE)
        self.idle_error.setWordWrap(True)
        self.text_size_box = QComboBox()
        for size in TEXT_SIZES:
            self.text_size_box.addItem("", size)
        self.choices_form = QFormLayout()
        self.language_label = QLabel()
        self.digits_label = QLabel()
        self.idle_label = QLabel()
        self.text_size_label = QLabel()
        self.choices_form.addRow(self.language_label, self.language_box)
        self.choices_form.addRow(self.digits_label, self.digits_box)
        self.choices_form.addRow(self.idle_label, self.idle_box)
        self.choices_form.addRow("", self.idle_error)
        self.choices_form.addRow(self.text_size_label, self.text_size_box)
        for label, box in (
            (self.language_label, self.language_box),
            (self.digits_label, self.digits_box),
            (self.idle_label, self.idle_box),
            (self.text_size_label, self.text_size_box),
        ):
            label.setBuddy(box)

        self.password_group = QGroupBox()
        self.current_password = QLineEdit()
        self.new_password = QLineEdit()
        self.repeat_password = QLineEdit()
        for field in (self.current_password, self.new_password, self.repeat_password):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_button = QPushButton()
        self.password_message = QLabel()
        self.password_message.setWordWrap(True)
        self.current_label = QLabel()
        self.new_label = QLabel()
        self.repeat_label = QLabel()
        password_form = QFormLayout(self.password_group)
        password_form.addRow(self.current_label, self.current_password)
        password_form.addRow(self.new_label, self.new_password)
        password_form.addRow(self.repeat_label, self.repeat_password)
        password_form.addRow("", self.password_message)
        password_form.addRow("", self.password_button)
        self.current_label.setBuddy(self.current_password)
        self.new_label.setBuddy(self.new_password)
        self.repeat_label.setBuddy(self.repeat_password)

        # A column of readable width at the start side (right under Arabic), not fields
        # stretched across a wide screen.
        body = QWidget()
        body.setMaximumWidth(BODY_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.choices_form)
        column.addWidget(self.password_group)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(body, 0, Qt.AlignmentFlag.AlignLeft)  # mirrored under right to left
        layout.addStretch(1)

        self.language_box.activated.connect(self._language_chosen)
        self.digits_box.activated.connect(self._digits_chosen)
        self.text_size_box.activated.connect(self._text_size_chosen)
        self.idle_box.editingFinished.connect(self._idle_entered)
        self.password_button.clicked.connect(self._change_password)
        self.repeat_password.returnPressed.connect(self._change_password)
        # Bound methods, not lambdas: Qt cuts them when this widget is destroyed, while
        # the preferences and the controller live on.
        workspace.preferences.changed.connect(self.show_choices)
        self.retranslate()

    # --- showing ---

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Settings"))
        self.language_label.setText(self.tr("&Language"))
        self.digits_label.setText(self.tr("&Digits"))
        self.idle_label.setText(self.tr("Lock after &idle minutes"))
        self.text_size_label.setText(self.tr("&Text size"))
        self.password_group.setTitle(self.tr("Change password"))
        self.current_label.setText(self.tr("C&urrent password"))
        self.new_label.setText(self.tr("&New password"))
        self.repeat_label.setText(self.tr("&Repeat the new password"))
        self.password_button.setText(self.tr("Change &password"))
        names = {
            self.language_box: self.tr("Language"),
            self.digits_box: self.tr("Digits"),
            self.idle_box: self.tr("Lock after idle minutes"),
            self.text_size_box: self.tr("Text size"),
            self.current_password: self.tr("Current password"),
            self.new_password: self.tr("New password"),
            self.repeat_password: self.tr("Repeat the new password"),
            self.password_button: self.tr("Change password"),
            self.idle_error: self.tr("Idle lock problem"),
            self.password_message: self.tr("Password change result"),
        }
        for widget, name in names.items():
            widget.setAccessibleName(name)
        digit_names = {"arab": self.tr("Arabic-Indic digits"), "latn": self.tr("Latin digits")}
        for i in range(self.digits_box.count()):
            digits = self.digits_box.itemData(i)
            sample = island(DIGIT_SAMPLES[digits])
            self.digits_box.setItemText(i, f"{digit_names[digits]}  {sample}")
        self.show_choices()

    def show_choices(self, _changed: object = None) -> None:
        """The current choices, and the core's messages in the current language."""
        prefs = self._workspace.preferences
        choices, lang = prefs.choices, prefs.language
        self.language_box.setCurrentIndex(self.language_box.findData(choices.language))
        self.digits_box.setCurrentIndex(self.digits_box.findData(choices.shown_digits))
        # The minutes in the officer's digits; both kinds are accepted when typed.
        arabic = QLocale(QLocale.Language.Arabic, QLocale.Country.Iraq)
        self.idle_box.setLocale(arabic if prefs.digits == "arab" else QLocale.c())
        self.idle_box.setValue(choices.idle_lock_minutes)
        for i in range(self.text_size_box.count()):
            size = format_count(self.text_size_box.itemData(i), lang, prefs.digits)
            self.text_size_box.setItemText(i, self.tr("{size} points").format(size=size))
        self.text_size_box.setCurrentIndex(self.text_size_box.findData(choices.text_size))
        if self.idle_error.text():
            self._refuse_idle()
        self._show_password_result()

    # --- choosing ---

    def _update(self, new: Choices) -> None:
        self._workspace.preferences.update(new)

    def _language_chosen(self, index: int) -> None:
        code = str(self.language_box.itemData(index))
        self._update(replace(self._workspace.preferences.choices, language=code))

    def _digits_chosen(self, index: int) -> None:
        digits: Digits = "arab" if self.digits_box.itemData(index) == "arab" else "latn"
        self._update(replace(self._workspace.preferences.choices, digits=digits))

    def _text_size_chosen(self, index: int) -> None:
        size = int(self.text_size_box.itemData(index))
        self._update(replace(self._workspace.preferences.choices, text_size=size))

    def _idle_entered(self) -> None:
        minutes = self.idle_box.value()
        if minutes > MAX_IDLE_LOCK_MINUTES:
            self._refuse_idle()
            return
        self.idle_error.clear()
        self._update(replace(self._workspace.preferences.choices, idle_lock_minutes=minutes))

    def _refuse_idle(self) -> None:
        prefs = self._workspace.preferences
        self.idle_error.setText(
            translate_in(
                "vault.idle_timeout_invalid",
                prefs.language,
                prefs.digits,
                minutes=MAX_IDLE_LOCK_MINUTES,
            )
        )

    # --- the password ---

    def _change_password(self) -> None:
        current, new = self.current_password.text(), self.new_password.text()
        self._password_done = False
        if new != self.repeat_password.text():
            self._password_error = _PasswordsDiffer()
            self._show_password_result()
            self.repeat_password.setFocus()
            return
        self._password_error = None
        self.password_button.setEnabled(False)
        session = self._workspace.session
        self._workspace.tasks.vault(
            lambda: change_password(session, current, new),
            lambda _none: self._password_result(None),
            self._password_result,
            context=self,
        )

    def _password_result(self, error: BaseException | None) -> None:
        self.password_button.setEnabled(True)
        self._password_error = error
        self._password_done = error is None
        if error is None:
            for field in (self.current_password, self.new_password, self.repeat_password):
                field.clear()
            self.password_changed.emit()
        elif not isinstance(error, UserFacingError):
            log.error("password change failed: %s", type(error).__name__)
        self._show_password_result()

    def _show_password_result(self) -> None:
        lang, error = self._workspace.lang, self._password_error
        if error is None:
            done = translate("cli.password_changed", lang) if self._password_done else ""
            self.password_message.setStyleSheet("")
            self.password_message.setText(done)
            return
        if isinstance(error, _PasswordsDiffer):
            text = translate("cli.passwords_differ", lang)
        elif isinstance(error, UserFacingError):
            text = error.message(lang)
        else:
            text = translate("error.generic", lang)
        self.password_message.setStyleSheet(ERROR_STYLE)
        self.password_message.setText(text)


class _PasswordsDiffer(Exception):
    """The new password and its repetition differ (checked before any work)."""
