"""The first run: a password typed twice and judged as it is typed, then the vault is made."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from fieldapp import session as sessions
from fieldapp.errors import WeakPassword
from fieldapp.messages import translate
from fieldapp.session import Session
from fieldapp.vault.passwords import check_password_strength
from tests.ui.keyboard import press, type_text
from tests.ui.shell import STRONG_PASSWORD
from ui.preferences import Preferences
from ui.start.first_run import FirstRunScreen
from ui.tasks import TaskRunner

WEAK = "abcd1234"


def weak_reason(password: str) -> str:
    with pytest.raises(WeakPassword) as refused:
        check_password_strength(password)
    return refused.value.message("ar")


@pytest.fixture
def first_run(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner, preferences: Preferences
) -> FirstRunScreen:
    screen = FirstRunScreen(tmp_path / "vault", tasks, preferences)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_a_weak_password_is_refused_with_the_reason_in_arabic(first_run: FirstRunScreen) -> None:
    first_run.local_choice.click()
    type_text(first_run.password.first, WEAK)
    type_text(first_run.password.second, WEAK)
    assert first_run.password.reason.text() == weak_reason(WEAK)
    assert not first_run.create_button.isEnabled()


def test_two_different_passwords_are_refused_until_they_match(first_run: FirstRunScreen) -> None:
    first_run.local_choice.click()
    type_text(first_run.password.first, STRONG_PASSWORD)
    type_text(first_run.password.second, STRONG_PASSWORD[:-1])
    assert first_run.password.reason.text() != ""
    assert not first_run.create_button.isEnabled()
    type_text(first_run.password.second, STRONG_PASSWORD[-1])
    assert first_run.password.reason.text() == ""
    assert first_run.create_button.isEnabled()


def test_a_strong_password_typed_twice_makes_a_vault_on_this_laptop(
    qtbot: QtBot, tmp_path: Path, first_run: FirstRunScreen
) -> None:
    opened: list[Session] = []
    first_run.opened.connect(opened.append)
    first_run.local_choice.click()
    type_text(first_run.password.first, STRONG_PASSWORD)
    type_text(first_run.password.second, STRONG_PASSWORD)
    press(first_run.create_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    opened[0].close()
    with sessions.unlock(tmp_path / "vault", STRONG_PASSWORD) as again:
        assert again.vault.is_unlocked


def test_enrolling_needs_what_the_station_gave(first_run: FirstRunScreen) -> None:
    type_text(first_run.password.first, STRONG_PASSWORD)
    type_text(first_run.password.second, STRONG_PASSWORD)
    assert not first_run.create_button.isEnabled()
    type_text(first_run.server, "https://127.0.0.1:9")
    type_text(first_run.code, "ABCD-EFGH")
    type_text(first_run.fingerprint, "AB:CD")
    assert first_run.create_button.isEnabled()


def test_a_mistyped_fingerprint_is_reported_before_any_vault_is_made(
    qtbot: QtBot, tmp_path: Path, first_run: FirstRunScreen
) -> None:
    type_text(first_run.server, "https://127.0.0.1:9")
    type_text(first_run.code, "ABCD-EFGH")
    type_text(first_run.fingerprint, "AB:CD")
    type_text(first_run.password.first, STRONG_PASSWORD)
    type_text(first_run.password.second, STRONG_PASSWORD)
    first_run.create_button.click()
    expected = translate("sync.bad_fingerprint", "ar")
    qtbot.waitUntil(lambda: first_run.message.text() == expected, timeout=10_000)
    assert not (tmp_path / "vault").exists()
    assert first_run.create_button.isEnabled()  # the officer corrects it and tries again


def test_a_crash_log_written_before_the_first_vault_does_not_stop_it_being_made(
    qtbot: QtBot, tmp_path: Path, first_run: FirstRunScreen
) -> None:
    logs = tmp_path / "vault" / "logs"
    logs.mkdir(parents=True)
    (logs / "fieldapp.log").write_text("earlier\n", encoding="utf-8")
    opened: list[Session] = []
    first_run.opened.connect(opened.append)
    first_run.local_choice.click()
    type_text(first_run.password.first, STRONG_PASSWORD)
    type_text(first_run.password.second, STRONG_PASSWORD)
    first_run.create_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    opened[0].close()
    assert (logs / "fieldapp.log").read_text(encoding="utf-8") == "earlier\n"


def test_tab_goes_through_the_enrollment_fields_in_reading_order(
    qtbot: QtBot, first_run: FirstRunScreen
) -> None:
    first_run.activateWindow()
    qtbot.waitUntil(first_run.isActiveWindow, timeout=10_000)
    first_run.server.setFocus()
    visited: list[QWidget | None] = []
    for _ in range(3):
        QTest.keyClick(QApplication.focusWidget() or first_run, Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == [first_run.code, first_run.fingerprint, first_run.password.first]
