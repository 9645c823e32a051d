"""The idle lock's clock: `idle` fires after the officer's chosen minutes without any input."""

from __future__ import annotations

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


class IdleWatch(QObject):
    """Watches every input event of the application (an event filter on it) and emits `idle`
    once no input came for the interval. `interval_ms` overrides the preferences' minutes
    (tests use a few hundred milliseconds instead of minutes)."""

    idle = Signal()

    def __init__(
        self,
        preferences: Preferences,
        *,
        interval_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fixed_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._set_interval(preferences.choices)
        preferences.changed.connect(self._set_interval)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restarts the wait from now
        return False

    def _set_interval(self, choices: Choices) -> None:
        minutes_ms = choices.idle_lock_minutes * 60_000
        self._timer.setInterval(self._fixed_ms if self._fixed_ms is not None else minutes_ms)
