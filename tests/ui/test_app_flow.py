"""The app as an officer uses it, every area wired together: unlock, find a household by typing,
open it, start a home visit from its page, save it, read the saved record, go back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_PASSWORD
from tests.ui.conftest import assert_no_unhandled, new_workspace
from tests.ui.form_driver import choose, pick_place, save, type_into
from tests.ui.keyboard import press, type_text
from ui.desktop import Desktop
from ui.forms.editor import RecordEditor
from ui.lists.household_page import HouseholdPage
from ui.lists.households import HouseholdList
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.record.page import RecordPage
from ui.screens import FieldScreens
from ui.start.unlock import UnlockScreen
from ui.tasks import TaskRunner
from ui.today import TodayScreen

WAIT = 10_000
TODAY_AR = date.today().strftime("%d/%m/%Y").translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner, preferences: Preferences
) -> Iterator[MainWindow]:
    """The whole app on a vault of ten generated households, unlocked from its unlock screen."""
    folder = tmp_path / "vault"
    new_workspace(folder, tasks, preferences, households=10).session.close()
    screens = FieldScreens(background_sync_minutes=60)
    desktop = Desktop(folder, tasks, preferences, screens.factories())
    desktop.opened.connect(lambda: screens.attach(desktop.opened_window()))
    desktop.show()
    assert desktop.start_window is not None
    unlock = desktop.start_window.start_screen
    assert isinstance(unlock, UnlockScreen)
    type_text(unlock.password, TEST_PASSWORD)
    press(unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=WAIT)
    assert desktop.main_window is not None
    yield desktop.main_window
    desktop.close_session()
    desktop.main_window.close()
    tasks.shutdown()


def test_the_app_opens_on_today(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: isinstance(window.section_screen("today"), TodayScreen), timeout=WAIT)
    assert window.current_section == "today"
    assert window.isVisible()


def test_an_officer_finds_a_household_starts_a_home_visit_and_reads_it_saved(
    window: MainWindow, qtbot: QtBot, unhandled_errors: list[BaseException]
) -> None:
    store = window.workspace.session.store
    household = store.listing.page("household", limit=1).items[0]
    mahalla = store.get(household.id).fields["mahalla"]

    press(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    households = window.section_screen("households")
    assert isinstance(households, HouseholdList)
    type_text(households.list.search_box, mahalla)
    qtbot.waitUntil(lambda: households.model.summary_at(0) is not None, timeout=WAIT)
    first = households.model.summary_at(0)
    assert first is not None
    press(households.list.search_box, Qt.Key.Key_Return)

    records = window.records
    qtbot.waitUntil(lambda: isinstance(records.current, HouseholdPage), timeout=WAIT)
    page = records.current
    assert isinstance(page, HouseholdPage)
    assert window.screens.currentWidget() is records
    qtbot.waitUntil(lambda: page.household_id == first.id, timeout=WAIT)

    visit = store.forms.get("home_visit").label("ar")
    next(a for a in page.activity_menu.actions() if a.text() == visit).trigger()
    editor = records.current
    assert isinstance(editor, RecordEditor)
    type_into(editor, "date", TODAY_AR)
    pick_place(qtbot, editor, "governorate", "بغداد")
    pick_place(qtbot, editor, "district", "الكرخ")
    choose(editor, "reason", "follow_up")
    type_into(editor, "observations", "الأسرة بحاجة إلى متابعة بعد شهر")
    choose(editor, "action", "advice")
    saved_id = save(qtbot, editor)

    qtbot.waitUntil(lambda: isinstance(records.current, RecordPage), timeout=WAIT)
    shown = records.current
    assert isinstance(shown, RecordPage)
    qtbot.waitUntil(lambda: shown.opened is not None, timeout=WAIT)
    assert shown.record_id == saved_id
    assert store.get(saved_id).fields["household_id"] == first.id

    press(records, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back to the household
    assert records.current is page
    records.back()
    assert window.screens.currentWidget() is not records
    assert window.current_section == "households"
    assert_no_unhandled(unhandled_errors)
