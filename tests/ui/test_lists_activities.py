"""The activities list over a real vault: lazy pages as the officer scrolls, filters chosen
from the keyboard narrowing what the store returns, search as you type within a filter."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from fieldapp.store.listing import ActivityFilter, RecordSummary
from tests.ui.conftest import assert_no_unhandled
from tests.ui.keyboard import press, type_text
from tests.ui.tables import column_texts, on_screen, settled
from ui.lists.activities import ActivityList
from ui.lists.model import Column
from ui.workspace import Workspace


@pytest.fixture
def screen(qtbot: QtBot, filled_workspace: Workspace) -> ActivityList:
    activities = ActivityList(filled_workspace)
    on_screen(qtbot, activities)
    settled(qtbot, activities.list)
    return activities


def every_activity(ws: Workspace) -> list[RecordSummary]:
    """All the vault's activities (read on the test's thread while the worker is idle)."""
    listing = ws.session.store.listing
    return [s for s in listing.page(limit=500).items if s.type not in ("household", "person")]


def test_scrolling_to_the_bottom_fetches_the_next_page_and_never_everything(
    qtbot: QtBot, screen: ActivityList, filled_workspace: Workspace
) -> None:
    total = len(every_activity(filled_workspace))
    model, table = screen.model, screen.list.table
    model.page_size = 10
    table.resize(1366, 200)  # ten rows more than fill it
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() >= 10, timeout=10_000)
    counts = [model.rowCount()]
    while model.state.more or model.state.loading:
        table.setFocus()
        # Ctrl+End: to the last row shown; the view asks the model for more.
        press(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(
            lambda: model.rowCount() > counts[-1] or not model.state.more, timeout=10_000
        )
        counts.append(model.rowCount())
    assert counts[0] < total
    assert all(b - a <= 10 for a, b in pairwise(counts))  # page by page
    assert counts[-1] == total
    assert "scroll" not in screen.list.status.text()


def choose(qtbot: QtBot, screen: ActivityList, box_name: str, steps: int) -> None:
    box = getattr(screen, box_name)
    box.setFocus()
    for _ in range(steps):
        press(box, Qt.Key.Key_Down)
    settled(qtbot, screen.list)


def test_choosing_a_type_shows_only_activities_of_that_type(
    qtbot: QtBot, screen: ActivityList, filled_workspace: Workspace
) -> None:
    before = screen.model.rowCount()
    choose(qtbot, screen, "type_box", 1)
    form = filled_workspace.session.store.forms.get(screen.type_box.currentData())
    chosen = form.label("ar")
    types = column_texts(screen.list.table, Column.TYPE)
    assert types
    assert set(types) == {chosen}
    assert len(types) < before


def test_choosing_a_status_keeps_only_activities_in_that_status(
    qtbot: QtBot, screen: ActivityList, filled_workspace: Workspace
) -> None:
    choose(qtbot, screen, "status_box", 1)
    wanted = screen.status_box.currentData()
    expected = {s.id for s in every_activity(filled_workspace) if s.status == wanted}
    shown = {
        s.id for s in (screen.model.summary_at(r) for r in range(screen.model.rowCount())) if s
    }
    assert shown == expected
    assert len(set(column_texts(screen.list.table, Column.STATUS))) == 1  # one status label


def test_a_date_range_keeps_only_activities_dated_within_it(
    qtbot: QtBot, screen: ActivityList, filled_workspace: Workspace
) -> None:
    dates = sorted(str(s.date) for s in every_activity(filled_workspace) if s.date)
    low, high = dates[len(dates) // 4], dates[len(dates) // 2]
    screen.date_from.setDate(QDate.fromString(low, "yyyy-MM-dd"))
    screen.date_to.setDate(QDate.fromString(high, "yyyy-MM-dd"))
    screen.use_dates.setFocus()
    press(screen.use_dates, Qt.Key.Key_Space)
    settled(qtbot, screen.list)
    assert screen.narrowed.date_from == low
    shown = [screen.model.summary_at(r) for r in range(screen.model.rowCount())]
    expected = [s for s in every_activity(filled_workspace) if s.date and low <= s.date <= high]
    assert [s.id for s in shown if s] == [s.id for s in expected]


def test_search_within_a_filter_finds_an_activity_by_its_number(
    qtbot: QtBot, screen: ActivityList, filled_workspace: Workspace
) -> None:
    target = every_activity(filled_workspace)[4]
    screen.set_filter(ActivityFilter(types=(target.type,)))
    settled(qtbot, screen.list)
    type_text(screen.list.search_box, str(target.number))
    settled(qtbot, screen.list)
    assert column_texts(screen.list.table, Column.NUMBER) == [target.number]
    with qtbot.waitSignal(screen.open_record, timeout=5_000) as opened:
        press(screen.list.search_box, Qt.Key.Key_Return)
    assert opened.args == [target.id]


def test_a_filter_that_excludes_the_searched_activity_says_nothing_matched(
    qtbot: QtBot, screen: ActivityList, filled_workspace: Workspace
) -> None:
    target = every_activity(filled_workspace)[2]
    other = next(s.type for s in every_activity(filled_workspace) if s.type != target.type)
    screen.set_filter(ActivityFilter(types=(other,)))
    type_text(screen.list.search_box, str(target.number))
    settled(qtbot, screen.list)
    assert screen.model.rowCount() == 0
    assert "Nothing matched" in screen.list.status.text()


def test_choosing_english_shows_the_types_in_english_without_losing_the_filter(
    qtbot: QtBot, screen: ActivityList, filled_workspace: Workspace
) -> None:
    choose(qtbot, screen, "type_box", 1)
    chosen = screen.type_box.currentData()
    prefs = filled_workspace.preferences
    prefs.update(replace(prefs.choices, language="en"))
    settled(qtbot, screen.list)
    english = filled_workspace.session.store.forms.get(chosen).label("en")
    assert set(column_texts(screen.list.table, Column.TYPE)) == {english}
    assert screen.type_box.currentData() == chosen


def test_a_closed_screen_ignores_a_later_language_change(
    qtbot: QtBot, filled_workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    activities = ActivityList(filled_workspace)
    settled(qtbot, activities.list)
    destroyed: list[bool] = []
    activities.destroyed.connect(lambda: destroyed.append(True))
    activities.deleteLater()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=5_000)
    prefs = filled_workspace.preferences
    with qtbot.captureExceptions() as raised:
        prefs.update(replace(prefs.choices, language="ckb"))
        qtbot.wait(0)  # any queued work runs
    assert raised == []
    assert_no_unhandled(unhandled_errors)
