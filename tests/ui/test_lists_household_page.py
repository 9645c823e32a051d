"""A household's page over a real vault: its details, its members, every activity with it
newest first; adding a member or starting an activity asks for a form linked to it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from fieldapp.store.listing import RecordSummary
from tests.ui.keyboard import press
from tests.ui.tables import column_texts, on_screen
from ui.lists.household_page import HouseholdPage
from ui.lists.model import Column
from ui.workspace import Workspace


def busiest_household(
    ws: Workspace,
) -> tuple[RecordSummary, list[RecordSummary], list[RecordSummary]]:
    """The household with the most activities, its persons and its activities (read on the
    test's thread, straight from the vault)."""
    listing = ws.session.store.listing
    everything = listing.page(limit=500).items
    kinds = {f.type for f in listing.forms if f.kind == "activity"}
    homes = [s for s in everything if s.type == "household"]

    def activities(home: RecordSummary) -> list[RecordSummary]:
        return [s for s in everything if s.type in kinds and s.household_id == home.id]

    home = max(homes, key=lambda h: len(activities(h)))
    people = [s for s in everything if s.type == "person" and s.household_id == home.id]
    return home, people, activities(home)


@pytest.fixture
def page(qtbot: QtBot, filled_workspace: Workspace) -> HouseholdPage:
    screen = HouseholdPage(filled_workspace)
    on_screen(qtbot, screen)
    return screen


def opened(qtbot: QtBot, page: HouseholdPage, household_id: str) -> None:
    page.show_household(household_id)
    qtbot.waitUntil(lambda: page.contents is not None, timeout=10_000)


def test_the_page_lists_the_households_members(
    qtbot: QtBot, page: HouseholdPage, filled_workspace: Workspace
) -> None:
    home, people, _ = busiest_household(filled_workspace)
    opened(qtbot, page, home.id)
    assert people
    assert sorted(column_texts(page.members, Column.NUMBER)) == sorted(
        str(p.number) for p in people
    )
    assert str(home.number) in page.title.text()


def test_the_timeline_shows_every_activity_with_the_household_newest_first(
    qtbot: QtBot, page: HouseholdPage, filled_workspace: Workspace
) -> None:
    home, _, activities = busiest_household(filled_workspace)
    opened(qtbot, page, home.id)
    assert len(activities) > 1
    numbers = column_texts(page.timeline, Column.NUMBER)
    assert sorted(numbers) == sorted(str(a.number) for a in activities)
    dates = [a.date for a in sorted(activities, key=lambda a: str(a.date), reverse=True)]
    shown = [page.table_model(page.timeline).summary_at(r) for r in range(len(numbers))]
    assert [s.date for s in shown if s] == dates


def test_the_details_show_the_households_place_in_arabic(
    qtbot: QtBot, page: HouseholdPage, filled_workspace: Workspace
) -> None:
    home, _, _ = busiest_household(filled_workspace)
    opened(qtbot, page, home.id)
    store = filled_workspace.session.store
    district = store.reference.district_name(str(home.district), "ar")
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert district in texts


def test_add_member_asks_for_a_person_linked_to_the_household(
    qtbot: QtBot, page: HouseholdPage, filled_workspace: Workspace
) -> None:
    home, _, _ = busiest_household(filled_workspace)
    opened(qtbot, page, home.id)
    with qtbot.waitSignal(page.start_record, timeout=5_000) as started:
        page.add_member.setFocus()
        press(page.add_member, Qt.Key.Key_Space)
    assert started.args == ["person", {"household_id": home.id}]


def test_starting_an_activity_asks_for_that_form_linked_to_the_household(
    qtbot: QtBot, page: HouseholdPage, filled_workspace: Workspace
) -> None:
    home, _, _ = busiest_household(filled_workspace)
    opened(qtbot, page, home.id)
    label = filled_workspace.session.store.forms.get("family_dispute").label("ar")
    action = next(a for a in page.activity_menu.actions() if a.text() == label)
    with qtbot.waitSignal(page.start_record, timeout=5_000) as started:
        action.trigger()
    assert started.args == ["family_dispute", {"household_id": home.id}]


def test_enter_on_a_member_opens_that_person(
    qtbot: QtBot, page: HouseholdPage, filled_workspace: Workspace
) -> None:
    home, _, _ = busiest_household(filled_workspace)
    opened(qtbot, page, home.id)
    table = page.members
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    first = page.table_model(table).summary_at(0)
    assert first is not None
    with qtbot.waitSignal(page.open_record, timeout=5_000) as opened_signal:
        press(table, Qt.Key.Key_Return)
    assert opened_signal.args == [first.id]
