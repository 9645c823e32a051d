"""The officer's language on screen: direction, translations, the Arabic font, digits and text
size, applied at start and again on a change without losing open work."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import type_text
from tests.ui.shell import RecordNames
from ui.i18n import Language
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.start.unlock import UnlockScreen
from ui.workspace import Workspace

TODAY = {"ar": "اليوم", "ckb": "ئەمڕۆ", "en": "Today"}
DIRECTION = {
    "ar": Qt.LayoutDirection.RightToLeft,
    "ckb": Qt.LayoutDirection.RightToLeft,
    "en": Qt.LayoutDirection.LeftToRight,
}


@pytest.mark.parametrize("preferences", ["ar", "ckb", "en"], indirect=True)
def test_the_window_reads_in_the_languages_direction(
    qtbot: QtBot, workspace: Workspace, language: Language, qapp: QApplication
) -> None:
    window = MainWindow(workspace, {})
    qtbot.addWidget(window)
    lang = workspace.lang
    assert qapp.layoutDirection() == DIRECTION[lang]
    assert window.layoutDirection() == DIRECTION[lang]
    assert window.navigation.isRightToLeft() == (lang != "en")


@pytest.mark.parametrize("preferences", ["ar", "ckb", "en"], indirect=True)
def test_the_window_speaks_the_officers_language(
    qtbot: QtBot, workspace: Workspace, language: Language
) -> None:
    window = MainWindow(workspace, {})
    qtbot.addWidget(window)
    assert window.navigation.item(0).text() == TODAY[workspace.lang]


def test_arabic_text_is_drawn_with_the_shipped_noto_font(
    language: Language, qapp: QApplication
) -> None:
    assert language.arabic_family == "Noto Sans Arabic"
    assert qapp.font().families()[0] == "Noto Sans Arabic"


def test_switching_language_keeps_what_was_typed(
    qtbot: QtBot, workspace: Workspace, language: Language, qapp: QApplication
) -> None:
    window = MainWindow(workspace, {"households": RecordNames})
    qtbot.addWidget(window)
    window.show_section(1)
    screen = window.section_screen("households")
    assert isinstance(screen, RecordNames)
    type_text(screen.note, "ملاحظة لم تحفظ")
    prefs: Preferences = workspace.preferences
    prefs.update(replace(prefs.choices, language="en"))
    # Qt posts LanguageChange to every widget: the text changes once the events are delivered.
    qtbot.waitUntil(lambda: window.navigation.item(0).text() == "Today", timeout=10_000)
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert screen.note.text() == "ملاحظة لم تحفظ"
    assert window.section_screen("households") is screen


@pytest.mark.parametrize("preferences", ["ar", "ckb"], indirect=True)
def test_numbers_follow_the_digits_chosen(language: Language, preferences: Preferences) -> None:
    assert QLocale().toString(2026).replace("٬", "") == "٢٠٢٦"
    preferences.update(replace(preferences.choices, digits="latn"))
    assert QLocale().toString(2026).replace(",", "") == "2026"


def test_the_text_size_follows_the_officers_choice(
    language: Language, preferences: Preferences, qapp: QApplication
) -> None:
    preferences.update(replace(preferences.choices, text_size=14))
    assert qapp.font().pointSize() == 14


def test_the_unlock_screens_title_grows_with_the_text_size(
    qtbot: QtBot,
    workspace: Workspace,
    language: Language,
    preferences: Preferences,
) -> None:
    screen = UnlockScreen(workspace.data_dir, workspace.tasks, preferences)
    qtbot.addWidget(screen)
    before = screen.title.font().pointSizeF()
    preferences.update(replace(preferences.choices, text_size=16))
    # Qt tells the widgets of a new application font by events: wait for them.
    qtbot.waitUntil(lambda: screen.title.font().pointSizeF() > before, timeout=10_000)
    assert screen.title.font().bold()
