"""`fieldapp --demo`: the app on a demo world, and `--screenshots DIR`: every main screen to PNG.

The demo world (sync.client.demo_world) is a real local `fieldapp-server` on loopback with
three stations, their officers and generated records, and this laptop enrolled to it, in a
temporary folder of its own that is removed when the demo ends (the server stops with it). The
unlock screen has the demo password filled in: the officer presses Enter.

Without a display (or on Qt's offscreen platform) `--demo` says so and writes the screenshots
instead, then ends with 0 (`make demo` on a server or in CI).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from fieldapp.messages import LANGUAGES, translate
from fieldapp.session import Session
from sync.client.demo_world import DemoSize, DemoWorld, build, server_available
from ui.desktop import Desktop
from ui.forms.editor import RecordEditor
from ui.i18n import Language
from ui.main_window import SECTIONS
from ui.preferences import Choices, Preferences
from ui.screens import FieldScreens
from ui.start.unlock import UnlockScreen
from ui.tasks import TaskRunner

T = TypeVar("T")

SCREEN_SIZE = (1366, 768)
SETTLE_TIMEOUT = 30.0
DEFAULT_SCREENSHOTS = Path("demo-screenshots")


@dataclass(frozen=True)
class DemoOptions:
    lang: str
    screenshots: Path | None  # None: open the app
    households: int = DemoSize.households
    langs: Sequence[str] = LANGUAGES


def shows_windows(environ: dict[str, str]) -> bool:
    """Whether a person can see a window here: not Qt's offscreen platform, and on Linux an
    X or Wayland display."""
    if environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return False
    if not sys.platform.startswith("linux"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


OpenApp = Callable[[Path, str], int]  # the app on a data folder, the password filled in


def run_demo(options: DemoOptions, environ: dict[str, str], open_app: OpenApp) -> int:
    """Build the demo world, show the app on it with `open_app` (or write the screenshots);
    the exit code."""
    say = _sayer(options.lang)
    if not server_available():
        say("shell.demo_needs_server")
        return 1
    screenshots = options.screenshots
    if screenshots is None and not shows_windows(environ):
        screenshots = DEFAULT_SCREENSHOTS
        say("shell.demo_no_display", folder=str(screenshots.resolve()))
    if screenshots is not None and not shows_windows(environ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # pictures need no screen
    folder = Path(tempfile.mkdtemp(prefix="fieldapp-demo-"))
    try:
        say("shell.demo_building", households=options.households)
        world = build(folder / "world", DemoSize(households=options.households))
        try:
            if screenshots is not None:
                written = write_screenshots(world, screenshots, options.langs)
                say("shell.demo_screenshots_written", count=len(written), folder=str(screenshots))
                return 0
            return open_app(world.laptop, world.password)
        finally:
            world.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sayer(lang: str) -> Callable[..., None]:
    def say(key: str, **params: object) -> None:
        sys.stdout.write(translate(key, lang, **params) + "\n")
        sys.stdout.flush()

    return say


# --- screenshots ------------------------------------------------------------------------------


def write_screenshots(world: DemoWorld, folder: Path, langs: Sequence[str]) -> list[Path]:
    """Every main screen of the app on `world`, in each of `langs`, as PNG files in `folder`
    (`ar-01-unlock.png`, ...); the paths written."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for lang in langs:
        written += _screens_in(app, world, folder, lang)
    return written


def _screens_in(app: QApplication, world: DemoWorld, folder: Path, lang: str) -> list[Path]:
    preferences = Preferences(Choices(language=lang))
    language = Language(app, preferences)
    problems: list[BaseException] = []
    tasks = TaskRunner(on_unhandled=problems.append)
    wired = FieldScreens(background_sync_minutes=60)
    desktop = Desktop(world.laptop, tasks, preferences, wired.factories())
    desktop.opened.connect(lambda: wired.attach(desktop.opened_window()))
    shots = _Shots(folder, lang, tasks)
    try:
        desktop.show()
        start = desktop.start_window
        assert start is not None
        unlock = start.start_screen
        assert isinstance(unlock, UnlockScreen)
        start.resize(*SCREEN_SIZE)
        shots.take(start, "unlock")
        unlock.password.setText(world.password)
        QTest.keyClick(unlock.password, Qt.Key.Key_Return)
        _wait(lambda: desktop.main_window is not None)
        window = desktop.opened_window()
        window.resize(*SCREEN_SIZE)
        for section in ("today", "households", "activities", "sync", "settings"):
            window.show_section(SECTIONS.index(section))
            shots.take(window, section)
        household, dispute = _on_vault(tasks, lambda: _examples(window.workspace.session))
        window.open_record(household)
        _wait(lambda: window.records.current is not None)
        shots.take(window, "household-page")
        window.open_record(dispute)
        shots.take(window, "record-page")
        window.start_record("family_dispute", {})
        form = window.records.current
        assert isinstance(form, RecordEditor)
        QTest.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # refused
        shots.take(window, "new-family-dispute")
    finally:
        desktop.close_session()
        if desktop.main_window is not None:
            desktop.main_window.close()
        tasks.shutdown()
        language.close()
    if problems:
        raise RuntimeError(f"the demo's screens met errors: {[type(p).__name__ for p in problems]}")
    return shots.written


def _examples(session: Session) -> tuple[str, str]:
    """A household with people and activities, and a family dispute, to show."""
    listing = session.store.listing
    disputes = listing.page("family_dispute", limit=1).items
    households = listing.page("household", limit=1).items
    dispute = disputes[0].id if disputes else households[0].id
    record = session.store.get(dispute)
    home = record.fields.get("household_id") if disputes else None
    return (str(home) if home else households[0].id), dispute


class _Shots:
    def __init__(self, folder: Path, lang: str, tasks: TaskRunner) -> None:
        self.folder, self.lang, self.tasks = folder, lang, tasks
        self.written: list[Path] = []

    def take(self, widget: QWidget, name: str) -> None:
        _settle(self.tasks)
        path = self.folder / f"{self.lang}-{len(self.written) + 1:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.written.append(path)


def _wait(done: Callable[[], bool], timeout: float = SETTLE_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the demo's screen did not come")
        QCoreApplication.processEvents()
        QThread.msleep(10)


def _settle(tasks: TaskRunner) -> None:
    """Until the screens' work is done and painted: no task pending for a few turns."""
    quiet = 0

    def settled() -> bool:
        nonlocal quiet
        quiet = quiet + 1 if tasks.pending == 0 else 0
        return quiet >= 20

    _wait(settled)


def _on_vault(tasks: TaskRunner, work: Callable[[], T]) -> T:
    future: Future[T] = tasks.vault(work)
    _wait(future.done)
    return future.result()
