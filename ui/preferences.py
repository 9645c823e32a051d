"""What the officer chose for this app: language, digits, idle lock, text size.

Screens read `Preferences` (passed in, never global) and listen to `changed` to re-translate or
re-render without losing open work. Nothing here is record data; the values are kept by
`PreferencesStore` outside the vault so the unlock screen can already speak the chosen language.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from fieldapp.atomic import atomic_write
from fieldapp.errors import StorageFull
from fieldapp.messages import LANGUAGES
from fieldapp.numerals import DIGIT_CHOICES, Digits, default_digits
from fieldapp.vault.vault import HEADER_FILE

MAX_IDLE_LOCK_MINUTES = 30
DEFAULT_IDLE_LOCK_MINUTES = 10
TEXT_SIZES = (10, 11, 12, 14, 16)  # points
DEFAULT_TEXT_SIZE = 11
PREFERENCES_FILE = "preferences.json"  # beside the vault: choices only, never record data
_MAX_FILE = 4096


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


def read_choices(data_dir: Path) -> Choices | None:
    """The choices kept beside the vault in `data_dir`, or None when there are none (or the
    file is not what this app writes: it is then ignored, and replaced at the next change)."""
    try:
        text = (data_dir / PREFERENCES_FILE).read_text(encoding="utf-8")[:_MAX_FILE]
        kept = json.loads(text)
        digits = kept.get("digits")
        size = int(kept["text_size"])
        if digits not in (None, *DIGIT_CHOICES) or size not in TEXT_SIZES:
            return None
        return Choices(
            language=str(kept["language"]),
            digits=digits,
            idle_lock_minutes=int(kept["idle_lock_minutes"]),
            text_size=size,
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_choices(data_dir: Path, choices: Choices) -> None:
    """Keep `choices` beside the vault (atomically), so the next start speaks the language
    chosen; nothing is written where there is no vault (a first run needs an empty folder).
    A full disk is not worth a dialog here: the choices then last until the app closes."""
    if not (data_dir / HEADER_FILE).is_file():
        return
    with contextlib.suppress(StorageFull):
        atomic_write(data_dir / PREFERENCES_FILE, json.dumps(asdict(choices)).encode("utf-8"))
