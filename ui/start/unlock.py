"""The unlock screen: the password, a wrong one said plainly, the back-off as a live countdown,
and how the station can recover a forgotten password (docs/SECURITY.md "Recovery").

Used at start and when the window is locked. The unlock itself (the KDF, about half a second)
runs on the vault's worker; the countdown is a QTimer reading a clock, so it shows the seconds
really left whatever the timer's jitter.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from fieldapp.errors import UnlockBackoff, UserFacingError
from fieldapp.messages import translate
from fieldapp.session import Session
from fieldapp.vault.vault import Vault
from ui.preferences import Preferences
from ui.start import opening
from ui.start.layout import lay_out_page, message_label, title_label
from ui.tasks import TaskRunner

TICK_MS = 200


class UnlockScreen(QWidget):
    """Asks for the password of the vault in `data_dir`; `unlocked` carries the new Session.

    `clock` (monotonic seconds) drives the countdown; tests pass one they move forward."""

    unlocked = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        tasks: TaskRunner,
        preferences: Preferences,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._tasks = tasks
        self._preferences = preferences
        self._clock = clock
        self._busy = False
        self._deadline: float | None = None
        self._message_key: str | None = None  # a core message shown (re-rendered on a change)
        self._message_params: dict[str, object] = {}
        self._recovery_fingerprint: str | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._show_countdown)

        self.title = title_label(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_label = QLabel(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label.setBuddy(self.password)
        self.password.returnPressed.connect(self.try_unlock)
        self.password.textChanged.connect(self._update_button)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.message = message_label(self, Qt.AlignmentFlag.AlignCenter)
        self.recovery = QLabel(self)
        self.recovery.setWordWrap(True)
        self.recovery.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)

        lay_out_page(
            self,
            [
                self.title,
                16,
                self.password_label,
                self.password,
                self.unlock_button,
                self.message,
                24,
                self.recovery,
            ],
            max_width=520,
        )
        self.setFocusProxy(self.password)
        preferences.changed.connect(lambda _choices: self._render_core_text())
        self.retranslate()
        self.refresh()

    # -- what the officer sees --

    def retranslate(self) -> None:
        self.title.setText(self.tr("The vault is locked"))
        self.password_label.setText(self.tr("&Password:"))
        self.password.setAccessibleName(self.tr("Password"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        self.message.setAccessibleName(self.tr("Unlock message"))
        self.recovery.setAccessibleName(self.tr("If you forgot your password"))
        self._render_core_text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def seconds_left(self) -> int:
        """Whole seconds before the next try is allowed (0: the officer may try now)."""
        if self._deadline is None:
            return 0
        return max(0, math.ceil(self._deadline - self._clock()))

    def refresh(self) -> None:
        """Look again at the back-off the vault folder records (another start may have failed)
        and at its recovery key; clears the password."""
        self.password.clear()
        self._set_message(None)
        data_dir = self._data_dir

        def look() -> tuple[int, str | None]:
            return opening.backoff_seconds(data_dir), Vault.open(data_dir).recovery_fingerprint

        self._tasks.vault(look, self._looked, self._failed, context=self)

    def try_unlock(self) -> None:
        if self._busy or self.seconds_left or not self.password.text():
            return
        self._busy = True
        self._set_message(None)
        self._update_button()
        data_dir, password = self._data_dir, self.password.text()
        self._tasks.vault(
            lambda: opening.unlock(data_dir, password), self._done, self._failed, context=self
        )

    # -- results --

    def _looked(self, found: tuple[int, str | None]) -> None:
        wait, self._recovery_fingerprint = found
        if wait:
            self._start_countdown(wait)
        self._render_core_text()

    def _done(self, session: Session) -> None:
        self._busy = False
        self.password.clear()
        self._update_button()
        self._render_core_text()
        self.unlocked.emit(session)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_button()
        self._render_core_text()
        if isinstance(error, UnlockBackoff):
            self._start_countdown(error.wait_seconds)
        elif isinstance(error, UserFacingError):
            self.password.selectAll()
            self._set_message(error.key, error.params)
        else:
            raise error  # a bug: the app's error handler logs it and says so
        self.password.setFocus()

    # -- the countdown --

    def _start_countdown(self, seconds: int) -> None:
        self._deadline = self._clock() + seconds
        self._tick.start()
        self._show_countdown()

    def _show_countdown(self) -> None:
        left = self.seconds_left
        if left <= 0:
            self._tick.stop()
            self._deadline = None
            self._set_message(None)
        else:
            self._set_message("vault.backoff", {"seconds": left})
        self._update_button()

    # -- helpers --

    def _set_message(self, key: str | None, params: dict[str, object] | None = None) -> None:
        self._message_key = key
        self._message_params = params or {}
        self._render_core_text()

    def _render_core_text(self) -> None:
        lang = self._preferences.language
        key = self._message_key
        if key:
            self.message.setText(translate(key, lang, **self._message_params))
        else:  # the key derivation takes about half a second
            self.message.setText(self.tr("Checking the password…") if self._busy else "")
        steps = self.tr(
            "Forgot your password? Bring this laptop and your police ID card to your station. "
            "If the station set up recovery for this vault, its IT officer opens it with the "
            "station's key and you choose a new password: nothing is lost. Without that key "
            "nobody can open the vault, not even the station."
        )
        if self._recovery_fingerprint:
            # Isolated: a Latin hex run inside an Arabic sentence keeps its order.
            key_line = self.tr("This vault's station key begins with {key}.").format(
                key=f"\u2066{self._recovery_fingerprint[:16]}\u2069"
            )
        else:
            key_line = self.tr("This vault has no station recovery key yet.")
        self.recovery.setText(f"{steps}\n\n{key_line}")

    def _update_button(self) -> None:
        self.unlock_button.setEnabled(
            not self._busy and not self.seconds_left and bool(self.password.text())
        )
