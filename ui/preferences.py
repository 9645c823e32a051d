"""What the officer chose for this app: language, digits, idle lock, text size.

Screens read `Preferences` (passed in, never global) and listen to `changed` to re-translate or
re-render without losing open work. Nothing here is record data; the values are kept by
`PreferencesStore` outside the vault so the unlock screen can already speak the chosen language.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from fieldapp.messages import LANGUAGES
from fieldapp.numerals import Digits, default_digits

MAX_IDLE_LOCK_MINUTES = 30
DEFAULT_IDLE_LOCK_MINUTES = 10
TEXT_SIZES = (10, 11, 12, 14, 16)  # points
DEFAULT_TEXT_SIZE = 11


@dataclass(frozen=True)
class Choices:
    """One set of preferences (a value: compare, copy with `replace`)."""

    language: str = "ar"
    digits: Digits | None = None  # None: the language's own (Arabic-Indic for ar and ckb)
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    text_size: int = DEFAULT_TEXT_SIZE

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"unknown language {self.language!r}")
        if not 1 <= self.idle_lock_minutes <= MAX_IDLE_LOCK_MINUTES:
            raise ValueError("the idle lock is 1 to 30 minutes")

    @property
    def shown_digits(self) -> Digits:
        """The digits numbers are shown in."""
        return self.digits or default_digits(self.language)


class Preferences(QObject):
    """The current choices; `changed` carries the new ones after every change."""

    changed = Signal(object)

    def __init__(self, choices: Choices | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices = choices or Choices()

    @property
    def choices(self) -> Choices:
        return self._choices

    @property
    def language(self) -> str:
        return self._choices.language

    @property
    def digits(self) -> Digits:
        return self._choices.shown_digits

    def update(self, new: Choices) -> None:
        """Take `new` choices (e.g. `replace(p.choices, language="en")`); `changed` is emitted
        when anything differs."""
        if new != self._choices:
            self._choices = new
            self.changed.emit(new)
