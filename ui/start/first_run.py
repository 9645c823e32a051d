"""The first run: enroll this laptop with the station's server, or make a vault here only.

Enrolling needs what the station handed over (the server's address, a one-time code and the
server certificate's fingerprint); either way the officer chooses a password, typed twice and
judged by the core's strength rules as they type. The work runs on the vault's worker.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from fieldapp.errors import UserFacingError
from fieldapp.messages import translate
from fieldapp.session import Session
from ui.preferences import Preferences
from ui.start import opening
from ui.start.layout import lay_out_page, message_label, title_label
from ui.start.new_password import NewPasswordFields
from ui.tasks import TaskRunner


class FirstRunScreen(QWidget):
    """Makes the officer's vault in `data_dir`; `opened` carries its Session."""

    opened = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        tasks: TaskRunner,
        preferences: Preferences,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._tasks = tasks
        self._preferences = preferences
        self._busy = False
        self._error: UserFacingError | None = None

        self.title = title_label(self)
        self.enroll_choice = QRadioButton(self)
        self.local_choice = QRadioButton(self)
        self.enroll_choice.setChecked(True)
        choices = QButtonGroup(self)
        choices.addButton(self.enroll_choice)
        choices.addButton(self.local_choice)
        choices.buttonToggled.connect(lambda _b, _on: self._choice_changed())

        self.enroll_box = QGroupBox(self)
        self.server = QLineEdit(self.enroll_box)
        self.code = QLineEdit(self.enroll_box)
        self.fingerprint = QLineEdit(self.enroll_box)
        enroll_form = QFormLayout(self.enroll_box)
        self._server_label = QLabel(self.enroll_box)
        self._code_label = QLabel(self.enroll_box)
        self._fingerprint_label = QLabel(self.enroll_box)
        for label, field in (
            (self._server_label, self.server),
            (self._code_label, self.code),
            (self._fingerprint_label, self.fingerprint),
        ):
            # Addresses, codes and hex stay left to right inside a right-to-left form.
            field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            field.setAlignment(Qt.AlignmentFlag.AlignLeft)
            field.textChanged.connect(self._update_button)
            label.setBuddy(field)
            enroll_form.addRow(label, field)

        self.password = NewPasswordFields(preferences, self)
        self.password.acceptable_changed.connect(lambda _ok: self._update_button())
        self.create_button = QPushButton(self)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_vault)
        self.message = message_label(self)

        lay_out_page(
            self,
            [
                self.title,
                12,
                self.enroll_choice,
                self.enroll_box,
                self.local_choice,
                12,
                self.password,
                self.create_button,
                self.message,
            ],
            max_width=640,
        )
        # In reading order: the enrollment fields come before the other choice.
        chain = [
            self.enroll_choice,
            self.server,
            self.code,
            self.fingerprint,
            self.local_choice,
            self.password.first,
            self.password.second,
            self.create_button,
        ]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.setFocusProxy(self.enroll_choice)
        preferences.changed.connect(lambda _choices: self._render_error())
        self.retranslate()
        self._choice_changed()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome. This laptop has no vault yet."))
        self.enroll_choice.setText(self.tr("&Enroll with my station's server"))
        self.local_choice.setText(self.tr("Only on &this laptop for now (enroll later)"))
        self.enroll_box.setTitle(self.tr("What the station gave you"))
        self._server_label.setText(self.tr("Server &address:"))
        self._code_label.setText(self.tr("One-time &code:"))
        self._fingerprint_label.setText(self.tr("Server &fingerprint:"))
        self.server.setPlaceholderText("https://")
        for widget, name in (
            (self.enroll_choice, self.tr("Enroll with the station's server")),
            (self.local_choice, self.tr("Only on this laptop")),
            (self.server, self.tr("Server address")),
            (self.code, self.tr("One-time code")),
            (self.fingerprint, self.tr("Server fingerprint")),
            (self.create_button, self.tr("Create the vault")),
            (self.message, self.tr("Why the vault was not created")),
        ):
            widget.setAccessibleName(name)
        self.create_button.setText(self.tr("C&reate the vault"))
        self._render_error()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def create_vault(self) -> None:
        if not self.create_button.isEnabled():
            return
        self._busy = True
        self._show_error(None)
        self._update_button()
        data_dir, password = self._data_dir, self.password.password()
        if self.enroll_choice.isChecked():
            server, code, fingerprint = (
                self.server.text(),
                self.code.text(),
                self.fingerprint.text(),
            )
            self._tasks.vault(
                lambda: opening.enroll_new_vault(data_dir, password, server, code, fingerprint),
                self._done,
                self._failed,
                context=self,
            )
        else:
            self._tasks.vault(
                lambda: opening.create_on_this_laptop(data_dir, password),
                self._done,
                self._failed,
                context=self,
            )

    def _done(self, session: Session) -> None:
        self._busy = False
        self.password.clear()
        self._update_button()
        self._render_error()
        self.opened.emit(session)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_button()
        self._render_error()
        if not isinstance(error, UserFacingError):
            raise error  # a bug: the app's error handler logs it and says so
        self._show_error(error)

    def _show_error(self, error: UserFacingError | None) -> None:
        self._error = error
        self._render_error()

    def _render_error(self) -> None:
        error = self._error
        if error is not None:
            self.message.setText(translate(error.key, self._preferences.language, **error.params))
        elif self._busy:  # the KDF, and for an enrollment the server: a few seconds at most
            self.message.setText(
                self.tr("Enrolling with the station's server…")
                if self.enroll_choice.isChecked()
                else self.tr("Making the vault…")
            )
        else:
            self.message.setText("")

    def _choice_changed(self) -> None:
        self.enroll_box.setEnabled(self.enroll_choice.isChecked())
        self._update_button()

    def _update_button(self) -> None:
        enrolling = self.enroll_choice.isChecked()
        station_gave = all(f.text().strip() for f in (self.server, self.code, self.fingerprint))
        self.create_button.setEnabled(
            not self._busy and self.password.acceptable and (station_gave or not enrolling)
        )
