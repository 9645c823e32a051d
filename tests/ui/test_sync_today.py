"""The Today screen over a real vault, in Arabic: visits due and overdue (each opens its record),
counts that agree with their nouns in Arabic-Indic digits, refused changes with the server's
reason, records in conflict, the place kept for drafts, and more visits on demand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from fieldapp.messages import translate
from fieldapp.store.replica import ChangeOutcome, Replica
from tests.records import PERSON, home_visit, household, server_person
from tests.ui.conftest import assert_no_unhandled
from tests.ui.keyboard import press
from ui.today import AGENDA_PAGE, TodayScreen
from ui.workspace import Workspace

WAIT = 10_000


def add_visit(workspace: Workspace, days_ago: int, next_in_days: int) -> str:
    """A home visit `days_ago` to a household of its own, next visit due in `next_in_days`
    (negative: overdue)."""
    store = workspace.session.store
    today = date.today()
    fields = home_visit(
        household_id=store.add("household", household()).id,
        date=(today - timedelta(days=days_ago)).isoformat(),
        next_visit_date=(today + timedelta(days=next_in_days)).isoformat(),
    )
    return store.add("home_visit", fields).id


def opened(workspace: Workspace, qtbot: QtBot) -> TodayScreen:
    screen = TodayScreen(workspace)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitUntil(lambda: screen.summary_label.text() != "", timeout=WAIT)
    return screen


def test_an_overdue_visit_says_how_late_it_is(workspace: Workspace, qtbot: QtBot) -> None:
    add_visit(workspace, days_ago=20, next_in_days=-3)
    screen = opened(workspace, qtbot)
    assert "متأخر ٣ أيام" in screen.agenda_list.item(0).text()


def test_enter_on_a_due_visit_opens_its_record(
    workspace: Workspace, qtbot: QtBot, unhandled_errors: list[BaseException]
) -> None:
    visit_id = add_visit(workspace, days_ago=10, next_in_days=2)
    screen = opened(workspace, qtbot)
    screen.agenda_list.setCurrentRow(0)
    with qtbot.waitSignal(screen.open_record, timeout=WAIT) as signal:
        press(screen.agenda_list, Qt.Key.Key_Return)
    assert signal.args == [visit_id]
    assert_no_unhandled(unhandled_errors)


def test_counts_agree_with_their_nouns_in_arabic_indic_digits(
    workspace: Workspace, qtbot: QtBot
) -> None:
    for late in (1, 2, 3):
        add_visit(workspace, days_ago=20, next_in_days=-late)
    screen = opened(workspace, qtbot)
    assert "٣ مواعيد متأخرة" in screen.summary_label.text()


def test_a_refused_change_is_listed_with_the_servers_reason(
    workspace: Workspace, qtbot: QtBot
) -> None:
    workspace.session.store.add("person", PERSON)
    replica = Replica(workspace.session.store)
    [change] = replica.outbox_batch(10)
    replica.apply_results(
        [ChangeOutcome(change.change_id, change.record_id, "rejected", reason="too_large")]
    )
    screen = opened(workspace, qtbot)
    assert screen.refused_list.record_ids() == [change.record_id]
    assert translate("sync.reason_too_large", "ar") in screen.refused_list.item(0).text()


def test_a_record_in_conflict_is_listed(workspace: Workspace, qtbot: QtBot) -> None:
    record_id = "0190f0aa-0000-7000-8000-0000000000c2"
    conflict = {"field": "age", "base": 40, "values": [{"value": 41}, {"value": 42}]}
    Replica(workspace.session.store).apply_pull(
        [server_person(record_id, conflicts=(conflict,))], 1
    )
    screen = opened(workspace, qtbot)
    assert screen.conflicts_list.record_ids() == [record_id]


def test_records_waiting_to_be_sent_are_listed(workspace: Workspace, qtbot: QtBot) -> None:
    saved = workspace.session.store.add("person", PERSON)
    screen = opened(workspace, qtbot)
    assert screen.waiting_list.record_ids() == [saved.id]


def test_the_drafts_section_shows_what_is_put_there(workspace: Workspace, qtbot: QtBot) -> None:
    screen = opened(workspace, qtbot)
    assert not screen.drafts_section.isVisible()
    screen.set_drafts_widget(QLabel("مسودة"))
    assert screen.drafts_section.isVisible()


def test_show_more_brings_the_visits_after_the_first_page(
    workspace: Workspace, qtbot: QtBot
) -> None:
    for _ in range(AGENDA_PAGE + 2):
        add_visit(workspace, days_ago=10, next_in_days=1)
    screen = opened(workspace, qtbot)
    assert len(screen.agenda_list.record_ids()) == AGENDA_PAGE
    screen.more_button.click()
    qtbot.waitUntil(lambda: len(screen.agenda_list.record_ids()) == AGENDA_PAGE + 2, timeout=WAIT)
    assert not screen.more_button.isVisible()


def test_under_right_to_left_a_row_reads_right_to_left_whatever_it_starts_with(
    workspace: Workspace, qtbot: QtBot
) -> None:
    add_visit(workspace, days_ago=20, next_in_days=-1)
    screen = TodayScreen(workspace)
    qtbot.addWidget(screen)
    screen.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    screen.show()
    qtbot.waitUntil(lambda: screen.agenda_list.count() == 1, timeout=WAIT)
    lines = screen.agenda_list.item(0).text().split("\n")
    assert [line[0] for line in lines] == ["\u200f", "\u200f"]


def test_tab_goes_from_the_visits_to_the_refused_changes(
    workspace: Workspace, qtbot: QtBot
) -> None:
    add_visit(workspace, days_ago=20, next_in_days=-1)
    screen = opened(workspace, qtbot)
    screen.activateWindow()
    screen.agenda_list.setFocus()
    qtbot.waitUntil(screen.agenda_list.hasFocus, timeout=WAIT)
    QTest.keyClick(screen.agenda_list, Qt.Key.Key_Tab)
    assert screen.refused_list.hasFocus()  # "show more" is hidden: nothing more to show


@pytest.mark.parametrize("preferences", ["en"], indirect=True)
def test_a_visit_due_today_says_so_in_english(workspace: Workspace, qtbot: QtBot) -> None:
    add_visit(workspace, days_ago=20, next_in_days=0)
    screen = opened(workspace, qtbot)
    assert screen.agenda_list.item(0).text().endswith("due today\u2069")


def test_an_activity_title_keeps_the_cores_isolates_and_shows_no_escapes(
    workspace: Workspace, qtbot: QtBot
) -> None:
    visit_id = add_visit(workspace, days_ago=20, next_in_days=-1)
    title = workspace.session.store.listing.by_ids([visit_id])[visit_id].title
    screen = opened(workspace, qtbot)
    first_line = screen.agenda_list.item(0).text().split("\n")[0]
    assert title in first_line and "\\u" not in first_line
