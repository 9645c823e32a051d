"""`fieldapp`: the officer's desktop app (also `python -m ui`).

`main()` reads the options, then starts what they ask for: the app itself, or with `--demo` the
app on a local demo server (`--screenshots DIR`: its screens as PNG; ui.demo). `--version`
answers without loading Qt.

The start: the language (translations, the Arabic font, the direction) is applied before any
window; one error handler takes task errors and uncaught exceptions; the first run or the unlock
screen opens a Session; then the main window gets a Workspace over it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from fieldapp import data_folder
from fieldapp.data_folder import DATA_DIR_ENV
from fieldapp.errors import UserFacingError
from fieldapp.messages import DEFAULT_LANGUAGE, LANGUAGES, translate

if TYPE_CHECKING:
    from ui.main_window import ScreenFactory

EXIT_NO_DISPLAY = 1  # argparse already uses 2 for a wrong option
EXIT_MISSING_EXTRA = 1
EXIT_NO_DATA_DIR = 1
# The top-level packages of the `desktop` extra (pyproject.toml).
DESKTOP_EXTRA_PACKAGES = ("PySide6", "shiboken6")


def app_version() -> str:
    try:
        return version("fieldapp")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


@dataclass(frozen=True)
class Options:
    data_dir: Path
    lang: str
    lang_given: bool = False  # --lang on the command line: over the language chosen in Settings


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldapp", description="The community police field app (desktop)."
    )
    parser.add_argument("--version", action="version", version=f"fieldapp {app_version()}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help=f"the vault's folder (default: ${DATA_DIR_ENV}, else the per-user data folder)",
    )
    parser.add_argument("--lang", choices=LANGUAGES)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a local server with generated records and open the app enrolled to it",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        metavar="DIR",
        help="with --demo: write every main screen in each language to DIR as PNG, then exit",
    )
    # How big the demo world is (tests make a small one quickly).
    parser.add_argument("--demo-households", type=int, default=500, help=argparse.SUPPRESS)
    return parser


def options_from(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> Options:
    """The options of parsed `args`; the vault folder found as fieldapp-cli finds it
    (`fieldapp.data_folder`). InvalidInput when there is no home folder to look in."""
    folder = data_folder.data_dir(args.data_dir, environ=environ)
    lang = args.lang or DEFAULT_LANGUAGE
    return Options(data_dir=folder.expanduser(), lang=lang, lang_given=args.lang is not None)


def parse_options(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> Options:
    return options_from(argument_parser().parse_args(list(argv)), environ)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app; the process's exit code."""
    args = argument_parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    try:
        options = options_from(args)
    except UserFacingError as error:
        sys.stderr.write(error.message(args.lang or DEFAULT_LANGUAGE) + "\n")
        return EXIT_NO_DATA_DIR
    missing = missing_desktop_package()
    if missing is not None:
        # The console script comes with every install, also the base one without Qt.
        message = translate("shell.desktop_extra_missing", options.lang, package=missing)
        sys.stderr.write(message + "\n")
        return EXIT_MISSING_EXTRA
    if args.demo or args.screenshots is not None:
        from ui.demo import DemoOptions, run_demo

        households = max(0, min(args.demo_households, 5_000))
        demo = DemoOptions(options.lang, args.screenshots, households=households)
        return run_demo(
            demo,
            dict(os.environ),
            lambda folder, password: start_desktop(
                Options(data_dir=folder, lang=options.lang), demo_password=password
            ),
        )
    if not has_display(os.environ):
        # Qt would abort with its own English message; say it in the officer's language.
        sys.stderr.write(translate("shell.no_display", options.lang) + "\n")
        return EXIT_NO_DISPLAY
    return start_desktop(options)


def missing_desktop_package() -> str | None:
    """The first package of the `desktop` extra that cannot be imported here, if any."""
    for name in DESKTOP_EXTRA_PACKAGES:
        try:
            found = importlib.util.find_spec(name)
        except ValueError:  # listed as absent in sys.modules
            found = None
        if found is None:
            return name
    return None


def has_display(environ: Mapping[str, str]) -> bool:
    """Whether Qt can open a window: a platform chosen (offscreen, a test's) or, on Linux, an
    X or Wayland display to draw on. Other systems always have their own."""
    if environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def start_desktop(
    options: Options,
    screens: Mapping[str, ScreenFactory] | None = None,
    *,
    demo_password: str | None = None,
) -> int:
    """Open the app's window and run until it is closed. `demo_password` is filled in on the
    unlock screen (the demo's vault of generated records only)."""
    # Qt is loaded here, not at the top: `fieldapp --version` must not need it.
    from PySide6.QtWidgets import QApplication

    from ui.desktop import Desktop
    from ui.errors import LOG_FOLDER, ErrorReporter
    from ui.i18n import Language
    from ui.preferences import Choices, Preferences, read_choices, write_choices
    from ui.screens import FieldScreens
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("fieldapp")
    app.setApplicationVersion(app_version())
    kept = read_choices(options.data_dir)
    if kept is None or options.lang_given:
        kept = replace(kept or Choices(), language=options.lang)
    preferences = Preferences(kept)
    language = Language(app, preferences)
    reporter = ErrorReporter(
        options.data_dir / LOG_FOLDER, preferences, window=QApplication.activeWindow
    )
    hooks = sys.excepthook, threading.excepthook
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_excepthook
    tasks = TaskRunner(on_unhandled=reporter.report)
    # Kept on the vault's worker, after the work asked for before (never on the GUI thread).
    preferences.changed.connect(
        lambda choices: tasks.vault(lambda: write_choices(options.data_dir, choices))
    )
    wired = FieldScreens()
    desktop = Desktop(
        options.data_dir, tasks, preferences, wired.factories() if screens is None else screens
    )
    if screens is None:
        desktop.opened.connect(lambda: wired.attach(desktop.opened_window()))
    if demo_password is not None:
        desktop.fill_in_password(demo_password)
    desktop.show()
    try:
        return app.exec()
    finally:
        desktop.close_session()
        tasks.shutdown()
        language.close()
        sys.excepthook, threading.excepthook = hooks  # no dialogs once the app is gone


def run() -> None:
    """The `fieldapp` console script."""
    sys.exit(main())
