"""Links chosen by search: a household for a home visit, the parties of a family dispute."""

from __future__ import annotations

import threading
from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.store.records import Record
from tests.ui.conftest import assert_no_unhandled
from tests.ui.form_driver import (
    choose,
    in_vault,
    open_editor,
    pick_place,
    pick_result,
    save,
    search_link,
    stored,
    type_into,
)
from tests.ui.keyboard import press, type_text
from ui.forms import RecordEditor
from ui.forms.links import LinkInput
from ui.workspace import Workspace

TODAY_AR = date.today().strftime("%d/%m/%Y").translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def first_of(workspace: Workspace, record_type: str, count: int = 1) -> list[Record]:
    store = workspace.session.store
    return in_vault(workspace, lambda: store.records(record_type, limit=count))


def fill_place(qtbot: QtBot, editor: RecordEditor) -> None:
    type_into(editor, "date", TODAY_AR)
    pick_place(qtbot, editor, "governorate", "بغداد")
    pick_place(qtbot, editor, "district", "الكرخ")


def test_a_home_visit_is_linked_to_a_household_found_by_typing_its_mahalla_in_arabic(
    qtbot: QtBot, filled_workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    (household,) = first_of(filled_workspace, "household")
    editor = open_editor(qtbot, filled_workspace, "home_visit")
    fill_place(qtbot, editor)
    box = search_link(qtbot, editor, "household_id", household.fields["mahalla"])
    pick_result(box, str(household.number))
    (shown,) = box.chosen_texts()
    assert household.fields["mahalla"] in shown and str(household.number) in shown
    choose(editor, "reason", "follow_up")
    type_into(editor, "observations", "الأسرة بحاجة إلى متابعة بعد شهر")
    choose(editor, "action", "advice")
    record = stored(filled_workspace, save(qtbot, editor))
    assert record.fields["household_id"] == household.id
    assert_no_unhandled(unhandled_errors)


def test_a_family_dispute_between_two_parties_found_by_name_is_saved(
    qtbot: QtBot, filled_workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    wife, husband = first_of(filled_workspace, "person", 2)
    editor = open_editor(qtbot, filled_workspace, "family_dispute")
    fill_place(qtbot, editor)
    choose(editor, "dispute_type", "spousal")
    choose(editor, "violence", "verbal")
    for party in (wife, husband):
        typed = f"{party.fields['first_name']} {party.fields['father_name']}"
        pick_result(search_link(qtbot, editor, "party_ids", typed), str(party.number))
    type_into(editor, "summary", "خلاف بين الزوجين على مصروف البيت")
    choose(editor, "outcome", "pledge")
    choose(editor, "pledge_signed", True)
    choose(editor, "status", "open")
    record = stored(filled_workspace, save(qtbot, editor))
    assert record.fields["party_ids"] == [wife.id, husband.id]
    assert record.fields["pledge_signed"] is True
    assert_no_unhandled(unhandled_errors)


def test_a_dispute_with_one_party_is_told_it_needs_two(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    (party,) = first_of(filled_workspace, "person")
    editor = open_editor(qtbot, filled_workspace, "family_dispute")
    pick_result(search_link(qtbot, editor, "party_ids", party.fields["first_name"]), "")
    assert editor.problem_text("party_ids").startswith("أطراف النزاع: ")


def test_a_chosen_party_is_removed_with_the_delete_key(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    first, second = first_of(filled_workspace, "person", 2)
    editor = open_editor(qtbot, filled_workspace, "family_dispute")
    for party in (first, second):
        typed = f"{party.fields['first_name']} {party.fields['father_name']}"
        pick_result(search_link(qtbot, editor, "party_ids", typed), str(party.number))
    box = editor.inputs["party_ids"]
    assert isinstance(box, LinkInput)
    assert box.value() == [first.id, second.id]
    box.chosen_list.setFocus()
    box.chosen_list.setCurrentRow(0)
    press(box.chosen_list, Qt.Key.Key_Delete)
    assert box.value() == [second.id]


def test_a_search_that_finds_nothing_says_so(qtbot: QtBot, filled_workspace: Workspace) -> None:
    editor = open_editor(qtbot, filled_workspace, "home_visit")
    box = search_link(qtbot, editor, "household_id", "لايوجدمثلهذاالاسم")
    assert box.result_texts() == []
    assert box.notice.text() == "No record found."


def test_results_of_a_search_overtaken_by_more_typing_are_never_shown(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    (person,) = first_of(filled_workspace, "person")
    name = f"{person.fields['first_name']} {person.fields['father_name']}"
    editor = open_editor(qtbot, filled_workspace, "family_dispute")
    box = editor.inputs["party_ids"]
    assert isinstance(box, LinkInput)
    shown: list[list[str]] = []
    box.searched.connect(lambda: shown.append(box.result_texts()))
    tasks = filled_workspace.tasks
    held = threading.Event()
    tasks.vault(lambda: held.wait(30))  # the worker is busy: searches queue behind this
    box.search.setFocus()
    type_text(box.search, name[:2])
    qtbot.waitUntil(lambda: tasks.pending == 2, timeout=10_000)  # the first search is queued
    type_text(box.search, name[2:])
    qtbot.waitUntil(lambda: tasks.pending == 3, timeout=10_000)
    held.set()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    assert len(shown) == 1
    assert any(str(person.number) in text for text in shown[0])
