"""Settings driven from the keyboard over a real vault: each choice changes the preferences at
once; an idle lock over 30 minutes is refused in words; a weak new password is refused with the
core's reason; a good one opens the vault afterwards."""

from __future__ import annotations

from dataclasses import replace

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from fieldapp import session as sessions
from fieldapp.errors import WeakPassword, WrongPassword
from fieldapp.messages import translate
from fieldapp.vault.passwords import check_password_strength
from tests.conftest import TEST_PASSWORD
from tests.ui.conftest import assert_no_unhandled
from tests.ui.keyboard import press, type_text
from ui.settings import SettingsScreen
from ui.workspace import Workspace

GOOD_NEW_PASSWORD = "نخلة-على-ضفاف-دجلة-1987"
WEAK_NEW_PASSWORD = "password1"


@pytest.fixture
def screen(workspace: Workspace, qtbot: QtBot) -> SettingsScreen:
    shown = SettingsScreen(workspace)
    qtbot.addWidget(shown)
    return shown


def choose_next(box: QComboBox) -> None:
    """The officer moves to the next entry of a combo box with the arrow key."""
    box.setFocus()
    press(box, Qt.Key.Key_Down)


def enter_idle_minutes(screen: SettingsScreen, typed: str) -> None:
    """The officer replaces the minutes with `typed` and presses Enter."""
    screen.idle_box.selectAll()
    type_text(screen.idle_box, typed)
    press(screen.idle_box, Qt.Key.Key_Return)


def test_choosing_sorani_changes_the_language(workspace: Workspace, screen: SettingsScreen) -> None:
    choose_next(screen.language_box)
    assert workspace.preferences.language == "ckb"


def test_choosing_latin_digits_changes_the_digits(
    workspace: Workspace, screen: SettingsScreen
) -> None:
    choose_next(screen.digits_box)
    assert workspace.preferences.digits == "latn"


def test_choosing_a_larger_text_size_changes_it(
    workspace: Workspace, screen: SettingsScreen
) -> None:
    before = workspace.preferences.choices.text_size
    choose_next(screen.text_size_box)
    assert workspace.preferences.choices.text_size > before


def test_typing_fifteen_idle_minutes_changes_the_idle_lock(
    workspace: Workspace, screen: SettingsScreen
) -> None:
    enter_idle_minutes(screen, "15")
    assert workspace.preferences.choices.idle_lock_minutes == 15


def test_more_than_thirty_idle_minutes_is_refused_in_words(
    workspace: Workspace, screen: SettingsScreen
) -> None:
    before = workspace.preferences.choices.idle_lock_minutes
    enter_idle_minutes(screen, "45")
    assert workspace.preferences.choices.idle_lock_minutes == before
    assert screen.idle_error.text() == translate("vault.idle_timeout_invalid", "ar", minutes=30)


def test_each_language_is_shown_in_its_own_name(screen: SettingsScreen) -> None:
    names = [screen.language_box.itemText(i) for i in range(screen.language_box.count())]
    assert names == ["\u2068العربية\u2069", "\u2068کوردی\u2069", "\u2068English\u2069"]


def change_password(screen: SettingsScreen, current: str, new: str, repeat: str) -> None:
    type_text(screen.current_password, current)
    type_text(screen.new_password, new)
    type_text(screen.repeat_password, repeat)
    press(screen.repeat_password, Qt.Key.Key_Return)


def test_a_weak_new_password_is_refused_with_the_reason(
    screen: SettingsScreen, qtbot: QtBot
) -> None:
    with pytest.raises(WeakPassword) as refused:
        check_password_strength(WEAK_NEW_PASSWORD)
    reason = refused.value.message("ar")
    change_password(screen, TEST_PASSWORD, WEAK_NEW_PASSWORD, WEAK_NEW_PASSWORD)
    qtbot.waitUntil(lambda: screen.password_message.text() == reason, timeout=10_000)


def test_new_passwords_that_differ_are_refused_before_anything_changes(
    screen: SettingsScreen,
) -> None:
    change_password(screen, TEST_PASSWORD, GOOD_NEW_PASSWORD, GOOD_NEW_PASSWORD + "x")
    assert screen.password_message.text() == translate("cli.passwords_differ", "ar")


def test_a_wrong_current_password_is_refused(screen: SettingsScreen, qtbot: QtBot) -> None:
    change_password(screen, "not-the-password", GOOD_NEW_PASSWORD, GOOD_NEW_PASSWORD)
    wrong = WrongPassword().message("ar")
    qtbot.waitUntil(lambda: screen.password_message.text() == wrong, timeout=10_000)


def test_after_a_password_change_the_vault_opens_with_the_new_one(
    workspace: Workspace,
    screen: SettingsScreen,
    qtbot: QtBot,
    unhandled_errors: list[BaseException],
) -> None:
    with qtbot.waitSignal(screen.password_changed, timeout=20_000):
        change_password(screen, TEST_PASSWORD, GOOD_NEW_PASSWORD, GOOD_NEW_PASSWORD)
    assert screen.password_message.text() == translate("cli.password_changed", "ar")
    assert screen.new_password.text() == ""
    with sessions.unlock(workspace.data_dir, GOOD_NEW_PASSWORD) as reopened:
        assert reopened.vault.is_unlocked
    assert_no_unhandled(unhandled_errors)


def test_idle_minutes_typed_in_arabic_indic_digits_are_taken(
    workspace: Workspace, screen: SettingsScreen
) -> None:
    enter_idle_minutes(screen, "٢٠")
    assert workspace.preferences.choices.idle_lock_minutes == 20
    assert screen.idle_box.text() == "٢٠"


def test_a_closed_settings_screen_leaves_later_preference_changes_alone(
    workspace: Workspace, qtbot: QtBot
) -> None:
    closed = SettingsScreen(workspace)
    shiboken6.delete(closed)
    workspace.preferences.update(replace(workspace.preferences.choices, language="en"))
    assert workspace.preferences.language == "en"
