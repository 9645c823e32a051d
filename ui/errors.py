"""The app's one handler of errors nobody else handled (task errors, sys.excepthook).

A UserFacingError is something the officer can act on: its message, in their language, in a
message box. Anything else is a bug: a short apology dialog (no traceback on a field officer's
screen) and an entry in `<data dir>/logs/fieldapp.log` with the exception's type and the code
locations it passed through, never its message text or local values, which may quote record data.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

from fieldapp.errors import UserFacingError
from ui.preferences import Preferences

LOG_FOLDER = "logs"  # in the data folder
LOG_FILE = "fieldapp.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 2
MAX_CHAINED = 5  # causes and contexts followed from one error

log = logging.getLogger(__name__)


def crash_report(error: BaseException) -> str:
    """What the log keeps of a bug: exception types and file:line in function, for the error
    and the errors it was raised from. No message text, no source lines, no locals."""
    lines: list[str] = []
    current: BaseException | None = error
    for _ in range(MAX_CHAINED):
        if current is None:
            break
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        lines.extend(
            f"  {frame.filename}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_tb(current.__traceback__)
        )
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("raised while handling:")
    return "\n".join(lines)


def versions() -> str:
    """What ran: the app, Python and Qt (the IT officer's first question)."""
    try:
        app = version("fieldapp")
    except PackageNotFoundError:
        app = "unknown"
    return f"fieldapp {app}, Python {platform.python_version()}, Qt {qVersion()}"


def crash_log(log_dir: Path) -> logging.Logger:
    """A logger writing to `log_dir/fieldapp.log` (0600, rotated at 1 MB)."""
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    path.touch(mode=0o600, exist_ok=True)
    logger = logging.getLogger(f"fieldapp.crash.{log_dir}")
    logger.propagate = False  # never to a console an onlooker could read
    logger.setLevel(logging.ERROR)
    if not logger.handlers:
        handler = RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        logger.addHandler(handler)
    return logger


class ErrorReporter(QObject):
    """Shows an unhandled error to the officer and logs bugs without record data.

    `window` names the widget dialogs are shown over (None: the dialog is a window of its own).
    """

    _from_thread = Signal(object)

    def __init__(
        self,
        log_dir: Path,
        preferences: Preferences,
        window: Callable[[], QWidget | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._from_thread.connect(self.report)
        self.log_dir = log_dir
        self._preferences = preferences
        self._window = window
        self.last_dialog: QMessageBox | None = None

    @property
    def log_file(self) -> Path:
        return self.log_dir / LOG_FILE

    def report(self, error: BaseException) -> None:
        """Show `error` (for TaskRunner's `on_unhandled`)."""
        if isinstance(error, UserFacingError):
            self._show(
                QMessageBox.Icon.Warning, self.tr("Cannot do that"), error.message(self._lang)
            )
            return
        self._log(error)
        if self._crash_dialog_shown():
            return  # a bug met again and again (say, while painting): one dialog is enough
        self._show(
            QMessageBox.Icon.Critical,
            self.tr("Something went wrong"),
            self.tr(
                "The app met a problem it did not expect. What you saved is safe. "
                "If it happens again, tell the station's IT officer; the details are in "
                "the log file {path} (it holds no record data)."
            ).format(path=f"\u2066{self.log_file}\u2069"),  # a path reads left to right
        )

    def excepthook(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        """For `sys.excepthook`: an error in a Qt slot or event handler."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(trace)
        self.report(error)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """For `threading.excepthook`: an error that ended a thread of ours. Shown on the GUI
        thread (the signal is queued across threads)."""
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            self._from_thread.emit(args.exc_value)

    @property
    def _lang(self) -> str:
        return self._preferences.language

    def _log(self, error: BaseException) -> None:
        try:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            crash_log(self.log_dir).error(
                "%s unexpected error in %s\n%s", stamp, versions(), crash_report(error)
            )
        except OSError:
            log.warning("the crash log cannot be written")  # the dialog is still shown

    def _crash_dialog_shown(self) -> bool:
        shown = self.last_dialog
        return (
            shown is not None
            and isValid(shown)
            and shown.isVisible()
            and shown.icon() == QMessageBox.Icon.Critical
        )

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window())
        box.setAccessibleName(title)
        box.button(QMessageBox.StandardButton.Ok).setText(self.tr("&OK"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the app keeps running; the box is modal to its window
        self.last_dialog = box
