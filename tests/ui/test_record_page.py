"""The record page: fields with labels in the officer's language, links that open records,
history with what changed, buttons that ask the main window to edit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabWidget, QTreeWidget
from pytestqt.qtbot import QtBot

from fieldapp.display import display_value
from fieldapp.messages import translate
from fieldapp.numerals import in_digits
from fieldapp.store.replica import Replica
from tests.records import server_person
from tests.ui.conftest import assert_no_unhandled
from tests.ui.record_steps import first_record, on_vault, open_page, titles_and_numbers
from ui.record.page import RecordPage
from ui.workspace import Workspace


def detail_texts(page: RecordPage) -> list[str]:
    """The labels and values on the page's details, as the officer reads them."""
    return [label.text() for label in page.details.findChildren(QLabel)]


def test_the_page_shows_a_households_fields_with_arabic_labels(
    qtbot: QtBot, filled_workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    household = first_record(filled_workspace, "household", with_field="mahalla")
    form = filled_workspace.session.store.forms.get("household")
    reference = filled_workspace.session.store.reference

    page = open_page(qtbot, filled_workspace, household.id)

    texts = detail_texts(page)
    assert "المحلة" in texts
    assert household.fields["mahalla"] in texts
    governorate = display_value(
        form.field("governorate"), household.fields["governorate"], "ar", reference
    )
    assert "المحافظة" in texts
    assert governorate in texts
    assert_no_unhandled(unhandled_errors)


def test_the_page_shows_a_households_members_by_title_and_number(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    household = first_record(filled_workspace, "household", with_field="member_ids")
    members = titles_and_numbers(filled_workspace, household.fields["member_ids"])

    page = open_page(qtbot, filled_workspace, household.id)

    links = [button.text() for button in page.link_buttons]
    for title, number in members:
        assert any(title in link and number in link for link in links), (title, number, links)


def test_clicking_a_linked_record_asks_to_open_it(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    household = first_record(filled_workspace, "household", with_field="head_id")
    page = open_page(qtbot, filled_workspace, household.id)
    ((head_title, _),) = titles_and_numbers(filled_workspace, [household.fields["head_id"]])
    button = next(b for b in page.link_buttons if head_title in b.text())

    with qtbot.waitSignal(page.open_record, timeout=5_000) as opened:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    assert opened.args == [household.fields["head_id"]]


def test_the_edit_button_asks_to_edit_the_record(qtbot: QtBot, filled_workspace: Workspace) -> None:
    household = first_record(filled_workspace, "household")
    page = open_page(qtbot, filled_workspace, household.id)

    with qtbot.waitSignal(page.edit_record, timeout=5_000) as asked:
        QTest.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)

    assert asked.args == [household.id]


def test_history_after_an_edit_shows_the_changed_fields_label_and_both_values(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    household = first_record(filled_workspace, "household", with_field="landmark")
    old = household.fields["landmark"]
    on_vault(filled_workspace, lambda s: s.edit(household.id, {"landmark": "قرب جامع الرحمن"}))
    page = open_page(qtbot, filled_workspace, household.id)

    page.tabs.setCurrentWidget(page.history)
    qtbot.waitUntil(lambda: page.history.loaded, timeout=10_000)

    assert ["أقرب نقطة دالة", old, "قرب جامع الرحمن"] in page.history.rows()


def test_history_names_a_changed_link_by_the_linked_records_title_and_number(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    household = first_record(filled_workspace, "household", with_field="member_ids")
    old_head = household.fields["head_id"]
    new_head = next(i for i in household.fields["member_ids"] if i != old_head)
    on_vault(filled_workspace, lambda s: s.edit(household.id, {"head_id": new_head}))
    (old_title, old_number), (new_title, new_number) = titles_and_numbers(
        filled_workspace, [old_head, new_head]
    )
    page = open_page(qtbot, filled_workspace, household.id)

    page.tabs.setCurrentWidget(page.history)
    qtbot.waitUntil(lambda: page.history.loaded, timeout=10_000)

    change = next(row for row in page.history.rows() if row[0] == "رب الأسرة" and row[1])
    assert old_title in change[1] and old_number in change[1]
    assert new_title in change[2] and new_number in change[2]


def test_a_household_has_no_pledge_to_print(qtbot: QtBot, filled_workspace: Workspace) -> None:
    household = first_record(filled_workspace, "household")

    page = open_page(qtbot, filled_workspace, household.id)

    assert page.print_button.isVisible()
    assert not page.pledge_button.isVisible()


def test_conflicting_values_show_with_who_entered_each(qtbot: QtBot, workspace: Workspace) -> None:
    person_id = "0190f0aa-0000-7000-8000-000000000001"
    entered = [("hassan.m", 36, "c7"), ("zainab.r", 37, "c8")]
    conflict = {
        "field": "age",
        "base": 35,
        "values": [
            {"value": age, "username": who, "rev": rev, "change_id": change}
            for rev, (who, age, change) in enumerate(entered, start=4)
        ],
    }
    pulled = server_person(person_id, conflicts=(conflict,))
    on_vault(workspace, lambda s: Replica(s).apply_pull([pulled], 1))

    page = open_page(qtbot, workspace, person_id)

    assert page.conflicts_box.isVisible()
    lines = [label.text() for label in page.conflicts_box.findChildren(QLabel)]
    assert "العمر" in lines
    for who, age, _change in entered:
        age_read = in_digits(str(age), "arab")  # Arabic-Indic digits by default in Arabic
        assert any(age_read in line and who in line for line in lines), (who, lines)
    assert page.notice.text() == "(تعارض بانتظار الحل)"


def test_the_page_speaks_english_after_the_officer_switches_language(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    household = first_record(filled_workspace, "household", with_field="mahalla")
    page = open_page(qtbot, filled_workspace, household.id)
    preferences = filled_workspace.preferences

    preferences.update(replace(preferences.choices, language="en"))

    qtbot.waitUntil(lambda: "Neighbourhood (mahalla)" in detail_texts(page), timeout=10_000)
    assert "المحلة" not in detail_texts(page)


def test_a_record_not_in_the_vault_is_said_so_in_arabic(
    qtbot: QtBot, workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    missing = "0190f0aa-0000-7000-8000-0000000000ff"
    page = RecordPage(workspace, missing)
    qtbot.addWidget(page)
    page.show()

    expected = translate("store.record_not_found", "ar", id=missing)
    qtbot.waitUntil(lambda: page.message.text() == expected, timeout=10_000)
    assert not page.edit_button.isEnabled()
    assert_no_unhandled(unhandled_errors)


def test_every_control_on_the_page_has_an_accessible_name(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    dispute = first_record(filled_workspace, "family_dispute", with_field="party_ids")

    page = open_page(qtbot, filled_workspace, dispute.id)

    controls = [
        *page.findChildren(QAbstractButton),
        *page.findChildren(QTabWidget),
        *page.findChildren(QTreeWidget),
        page.files.list,
    ]
    unnamed = [c for c in controls if c.isVisibleTo(page) and not c.accessibleName()]
    assert not unnamed, [c.text() if isinstance(c, QAbstractButton) else c for c in unnamed]


@pytest.fixture
def right_to_left(qapp: QApplication) -> Iterator[None]:
    """The app laid out right to left, as the shell sets it for Arabic."""
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def value_label(page: RecordPage, text: str) -> QLabel:
    return next(label for label in page.details.findChildren(QLabel) if label.text() == text)


def test_a_number_on_an_arabic_page_stands_on_the_right_beside_its_label(
    qtbot: QtBot, filled_workspace: Workspace, right_to_left: None
) -> None:
    household = first_record(filled_workspace, "household", with_field="house")
    assert household.fields["house"].isdigit()  # a value with no letter to set its direction

    page = open_page(qtbot, filled_workspace, household.id)

    house = value_label(page, household.fields["house"])
    assert house.alignment() & Qt.AlignmentFlag.AlignRight
    assert house.alignment() & Qt.AlignmentFlag.AlignAbsolute


def test_a_phone_on_an_arabic_page_reads_left_to_right(
    qtbot: QtBot, filled_workspace: Workspace, right_to_left: None
) -> None:
    household = first_record(filled_workspace, "household", with_field="phone")

    page = open_page(qtbot, filled_workspace, household.id)

    form = filled_workspace.session.store.forms.get("household")
    phone = value_label(page, display_value(form.field("phone"), household.fields["phone"], "ar"))
    assert phone.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert page.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_a_pulled_conflict_reads_as_one_in_the_history_with_who_made_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    person_id = "0190f0aa-0000-7000-8000-0000000000c1"
    first = server_person(person_id)
    clash = replace(
        first,
        rev=4,
        seq=2,
        fields={**first.fields, "age": 52},
        changed_by="omar.j",
        changed_on="omar-phone",
        change_status="conflict",
    )
    on_vault(workspace, lambda s: Replica(s).apply_pull([first], 1))
    on_vault(workspace, lambda s: Replica(s).apply_pull([clash], 2))
    page = open_page(qtbot, workspace, person_id)

    page.tabs.setCurrentWidget(page.history)
    qtbot.waitUntil(lambda: page.history.loaded, timeout=10_000)

    newest = page.history.rows()[0][0]
    assert "تعارض" in newest and "omar.j" in newest and "omar-phone" in newest
    assert ["العمر", "٤٠", "٥٢"] in page.history.rows()


def test_a_deleted_record_says_so_and_cannot_be_edited(
    qtbot: QtBot, filled_workspace: Workspace
) -> None:
    household = first_record(filled_workspace, "household")
    on_vault(filled_workspace, lambda s: s.delete(household.id))

    page = open_page(qtbot, filled_workspace, household.id)

    assert page.notice.text() == "(محذوف)"
    assert not page.edit_button.isEnabled()
