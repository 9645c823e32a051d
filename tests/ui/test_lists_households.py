"""The households list, driven from the keyboard over a real vault of 30 generated households:
names in Arabic or Sorani spelling, phones as typed, record numbers, lazy pages, Enter opens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.errors import InvalidInput
from fieldapp.store.listing import RecordSummary
from tests.ui.conftest import assert_no_unhandled
from tests.ui.keyboard import press, type_text
from tests.ui.tables import column_texts, on_screen, settled
from ui.lists.households import HouseholdList
from ui.lists.model import Column
from ui.workspace import Workspace

# Arabic first names the generator uses, as a Sorani keyboard spells them.
SORANI = {"أحمد": "ئەحمەد", "محمد": "محەمەد", "علي": "عەلی", "حسين": "حوسێن"}


@pytest.fixture
def screen(qtbot: QtBot, filled_workspace: Workspace) -> HouseholdList:
    households = HouseholdList(filled_workspace)
    on_screen(qtbot, households)
    settled(qtbot, households.list)
    return households


def people(ws: Workspace) -> list[RecordSummary]:
    """The vault's persons (read before the screen works, on the test's thread)."""
    return list(ws.session.store.listing.page("person", limit=500).items)


def households(ws: Workspace) -> dict[str, RecordSummary]:
    return {h.id: h for h in ws.session.store.listing.page("household", limit=500).items}


def shown_numbers(screen: HouseholdList) -> list[str]:
    return column_texts(screen.list.table, Column.NUMBER)


def search(qtbot: QtBot, screen: HouseholdList, text: str) -> None:
    type_text(screen.list.search_box, text)
    settled(qtbot, screen.list)


def test_typing_an_arabic_name_key_by_key_shows_the_households_it_lives_in(
    qtbot: QtBot,
    screen: HouseholdList,
    filled_workspace: Workspace,
    unhandled_errors: list[BaseException],
) -> None:
    person = next(p for p in people(filled_workspace) if p.household_id)
    home = households(filled_workspace)[str(person.household_id)]
    name = " ".join(person.title.split()[:2])  # first and father's name
    search(qtbot, screen, name)
    assert home.number in shown_numbers(screen)
    assert len(shown_numbers(screen)) < 30  # narrowed, not the whole list
    assert_no_unhandled(unhandled_errors)


def test_a_sorani_spelling_finds_the_household_of_the_arabic_name(
    qtbot: QtBot, screen: HouseholdList, filled_workspace: Workspace
) -> None:
    person = next(
        p for p in people(filled_workspace) if p.household_id and p.title.split()[0] in SORANI
    )
    first, father = person.title.split()[:2]
    home = households(filled_workspace)[str(person.household_id)]
    search(qtbot, screen, f"{SORANI[first]} {father}")
    assert home.number in shown_numbers(screen)


def test_a_phone_typed_with_spaces_finds_its_household(
    qtbot: QtBot, screen: HouseholdList, filled_workspace: Workspace
) -> None:
    store = filled_workspace.session.store
    home, phone = next(
        (h, store.get(h.id).fields["phone"])
        for h in households(filled_workspace).values()
        if store.get(h.id).fields.get("phone")
    )
    digits = "".join(ch for ch in phone if ch.isdigit())
    local = "0" + digits[3:] if digits.startswith("964") else digits
    search(qtbot, screen, f"{local[:4]} {local[4:7]} {local[7:]}")
    assert shown_numbers(screen)[0] == home.number


def test_a_record_number_finds_its_household_first(
    qtbot: QtBot, screen: HouseholdList, filled_workspace: Workspace
) -> None:
    home = list(households(filled_workspace).values())[7]
    search(qtbot, screen, str(home.number))
    assert shown_numbers(screen) == [home.number]


def test_enter_in_the_search_box_opens_the_first_household_found(
    qtbot: QtBot, screen: HouseholdList, filled_workspace: Workspace
) -> None:
    home = list(households(filled_workspace).values())[3]
    search(qtbot, screen, str(home.number))
    with qtbot.waitSignal(screen.open_record, timeout=5_000) as opened:
        press(screen.list.search_box, Qt.Key.Key_Return)
    assert opened.args == [home.id]


def test_enter_on_a_row_opens_that_household(qtbot: QtBot, screen: HouseholdList) -> None:
    table = screen.list.table
    press(screen.list.search_box, Qt.Key.Key_Down)  # into the rows, on the first
    press(table, Qt.Key.Key_Down)
    second = screen.model.summary_at(1)
    assert second is not None
    with qtbot.waitSignal(screen.open_record, timeout=5_000) as opened:
        press(table, Qt.Key.Key_Return)
    assert opened.args == [second.id]


def test_a_search_that_matches_nothing_says_so(qtbot: QtBot, screen: HouseholdList) -> None:
    search(qtbot, screen, "qqxxzz")
    assert shown_numbers(screen) == []
    assert "qqxxzz" in screen.list.status.text()
    assert "Nothing matched" in screen.list.status.text()


def test_two_letters_keep_the_whole_list_until_a_third_narrows_it(
    qtbot: QtBot, screen: HouseholdList
) -> None:
    search(qtbot, screen, "مح")
    assert len(shown_numbers(screen)) == 30
    search(qtbot, screen, "م")
    assert len(shown_numbers(screen)) < 30


def test_the_status_line_counts_the_households_shown(screen: HouseholdList) -> None:
    assert screen.model.rowCount() == 30
    assert screen.list.status.text().startswith("٣٠")


def test_new_household_asks_for_an_empty_household_form(
    qtbot: QtBot, screen: HouseholdList
) -> None:
    with qtbot.waitSignal(screen.start_record, timeout=5_000) as started:
        screen.new_button.setFocus()
        press(screen.new_button, Qt.Key.Key_Space)
    assert started.args == ["household", {}]


def test_a_result_asked_for_before_the_query_changed_is_never_shown(
    qtbot: QtBot, screen: HouseholdList, filled_workspace: Workspace
) -> None:
    home = list(households(filled_workspace).values())[5]
    model = screen.model
    search(qtbot, screen, "محمد")
    assert len(shown_numbers(screen)) > 1  # a common name: many households
    model.reload()  # the same search again, overtaken by a number (unless it is back already)
    model.search_as_typed(str(home.number))
    shown: list[int] = []
    model.state_changed.connect(lambda state: shown.append(state.shown))
    model.reload()
    settled(qtbot, screen.list)
    assert shown_numbers(screen) == [home.number]
    assert max(shown) <= 1  # the stale "every household" result was dropped, not painted


@pytest.fixture
def right_to_left(qapp: QApplication) -> Iterator[None]:
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.mark.usefixtures("right_to_left")
@pytest.mark.parametrize("preferences", ["ar", "ckb"], indirect=True)
def test_the_list_reads_right_to_left_under_arabic_and_kurdish(screen: HouseholdList) -> None:
    header = screen.list.table.horizontalHeader()
    columns = screen.model.columns
    number = header.sectionViewportPosition(columns.index(Column.NUMBER))
    title = header.sectionViewportPosition(columns.index(Column.TITLE))
    assert number > title  # the first column on the right
    button = screen.new_button.geometry()
    assert button.center().x() > screen.width() / 2


def test_an_empty_vault_says_there_are_no_records_yet(qtbot: QtBot, workspace: Workspace) -> None:
    empty = HouseholdList(workspace)
    on_screen(qtbot, empty)
    settled(qtbot, empty.list)
    assert empty.model.rowCount() == 0
    assert empty.list.status.text() == "No records yet."


def test_a_query_too_long_is_refused_in_arabic_under_the_search_box(
    qtbot: QtBot, screen: HouseholdList, unhandled_errors: list[BaseException]
) -> None:
    search(qtbot, screen, "ب" * 201)
    expected = InvalidInput("store.query_too_long", limit=200).message("ar")
    qtbot.waitUntil(lambda: screen.list.status.text() == expected, timeout=10_000)
    assert_no_unhandled(unhandled_errors)
