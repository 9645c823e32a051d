"""The idle lock's clock: `idle` fires once the officer's chosen minutes passed without input."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from ui.preferences import Choices, Preferences

# What counts as the officer being there: a key, a click, the mouse moving, the wheel, a touch.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
CHECK_MS = 1000


class IdleWatch(QObject):
    """Notes the time of every input event of the application (an event filter on it) and
    emits `idle` once, when the last one is the idle time old.

    `clock` (monotonic seconds) and `check_ms` let a test move time itself instead of waiting
    minutes; `interval_ms` overrides the preferences' minutes."""

    idle = Signal()

    def __init__(
        self,
        preferences: Preferences,
        *,
        clock: Callable[[], float] = time.monotonic,
        check_ms: int = CHECK_MS,
        interval_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._fixed_ms = interval_ms
        self._interval_s = 0.0
        self._last_input = clock()
        self.checks = 0  # how many times the idle time was looked at (tests wait on it)
        self._check = QTimer(self)
        self._check.setInterval(check_ms)
        self._check.timeout.connect(self._look)
        self._set_interval(preferences.choices)
        preferences.changed.connect(self._set_interval)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return round(self._interval_s * 1000)

    @property
    def running(self) -> bool:
        return self._check.isActive()

    def start(self) -> None:
        """Watch from now (the time before counts as input)."""
        self._last_input = self._clock()
        self._check.start()

    def stop(self) -> None:
        self._check.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last_input = self._clock()
        return False

    def _look(self) -> None:
        self.checks += 1
        if self._clock() - self._last_input >= self._interval_s:
            self._check.stop()
            self.idle.emit()

    def _set_interval(self, choices: Choices) -> None:
        minutes_ms = choices.idle_lock_minutes * 60_000
        self._interval_s = (self._fixed_ms if self._fixed_ms is not None else minutes_ms) / 1000
