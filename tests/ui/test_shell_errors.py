"""Errors nobody handled: the officer's own in their language, bugs as a short dialog and a log
without record data, never a traceback on screen."""

from __future__ import annotations

import platform
import sys
import threading
from importlib.metadata import version
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from fieldapp.errors import WrongPassword
from fieldapp.messages import translate
from ui.errors import ErrorReporter
from ui.preferences import Preferences
from ui.tasks import TaskRunner

RECORD_TEXT = "هادي رعد الخفاجي 07719935181"


def save_household(name: str) -> None:
    """A bug deep in some work, with record data in its message and its locals."""
    phone = "07719935181"
    raise KeyError(f"{name} {phone}")


def reported_bug(reporter: ErrorReporter) -> QMessageBox:
    """The dialog shown for a bug met while saving a household."""
    try:
        save_household(RECORD_TEXT)
    except KeyError as error:
        reporter.report(error)
    assert reporter.last_dialog is not None
    return reporter.last_dialog


def test_a_user_facing_error_is_shown_in_the_officers_language(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    reporter.report(WrongPassword())
    box = reporter.last_dialog
    assert box is not None and box.isVisible()
    assert box.text() == translate("vault.wrong_password", "ar")
    assert box.icon() == QMessageBox.Icon.Warning
    assert not (tmp_path / "logs").exists()  # not a bug: nothing to log
    box.close()


def test_a_bug_shows_a_short_dialog_without_the_traceback_or_record_data(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    box = reported_bug(reporter)
    assert box.isVisible()
    assert box.icon() == QMessageBox.Icon.Critical
    shown = box.text() + box.informativeText() + box.detailedText()
    for leak in ("Traceback", "KeyError", "save_household", "هادي", "0771"):
        assert leak not in shown
    assert str(reporter.log_file) in shown  # where the IT officer finds the details
    box.close()


def test_a_bug_is_logged_with_its_type_and_stack_but_no_record_data(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    reported_bug(reporter).close()
    log = reporter.log_file.read_text(encoding="utf-8")
    assert "builtins.KeyError" in log
    assert "in save_household" in log
    assert "test_shell_errors.py" in log
    for leak in ("هادي", "0771", "phone"):
        assert leak not in log
    assert reporter.log_file.stat().st_mode & 0o077 == 0


def test_an_exception_escaping_a_slot_reaches_the_crash_dialog_through_the_excepthook(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    try:
        save_household(RECORD_TEXT)
    except KeyError:
        kind, error, trace = sys.exc_info()
        assert kind is not None and error is not None
        reporter.excepthook(kind, error, trace)
    box = reporter.last_dialog
    assert box is not None and box.icon() == QMessageBox.Icon.Critical
    assert "in save_household" in reporter.log_file.read_text(encoding="utf-8")
    box.close()


def test_a_failing_task_without_its_own_handler_reaches_the_crash_dialog(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    runner = TaskRunner(on_unhandled=reporter.report)
    try:
        runner.vault(lambda: save_household(RECORD_TEXT))
        qtbot.waitUntil(lambda: reporter.last_dialog is not None, timeout=10_000)
    finally:
        runner.shutdown()
    assert "in save_household" in reporter.log_file.read_text(encoding="utf-8")
    assert reporter.last_dialog is not None
    reporter.last_dialog.close()


def test_a_bug_met_again_and_again_opens_one_dialog_and_logs_each_time(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    first = reported_bug(reporter)
    again = reported_bug(reporter)
    assert again is first and first.isVisible()
    assert reporter.log_file.read_text(encoding="utf-8").count("in save_household") == 2
    first.close()


def test_the_log_says_which_version_of_the_app_python_and_qt_ran(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    reported_bug(reporter).close()
    log = reporter.log_file.read_text(encoding="utf-8")
    assert f"fieldapp {version('fieldapp')}, Python {platform.python_version()}, Qt " in log


def test_a_bug_that_ends_a_thread_is_shown_on_the_gui_thread_and_logged(
    qtbot: QtBot, tmp_path: Path, preferences: Preferences
) -> None:
    reporter = ErrorReporter(tmp_path / "logs", preferences)
    thread = threading.Thread(target=save_household, args=(RECORD_TEXT,))
    original = threading.excepthook
    threading.excepthook = reporter.thread_excepthook
    try:
        thread.start()
        thread.join()
    finally:
        threading.excepthook = original
    qtbot.waitUntil(lambda: reporter.last_dialog is not None, timeout=10_000)
    assert "in save_household" in reporter.log_file.read_text(encoding="utf-8")
    assert reporter.last_dialog is not None
    reporter.last_dialog.close()
