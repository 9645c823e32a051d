"""The record form in Arabic: typed key by key, checked as it is typed, saved by Ctrl+S."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget
from pytestqt.qtbot import QtBot

from fieldapp.messages import translate
from tests.ui.conftest import assert_no_unhandled
from tests.ui.form_driver import (
    choose,
    fill_person,
    in_vault,
    open_editor,
    pick_place,
    right_to_left,
    save,
    save_refused,
    stored,
    type_into,
)
from tests.ui.keyboard import press
from ui.forms.fields import DateInput, LineInput, PlaceInput
from ui.workspace import Workspace

REQUIRED_AR = translate("forms.rule.required", "ar")


def test_a_required_field_left_empty_is_named_in_arabic_beside_it_and_save_keeps_the_input(
    qtbot: QtBot, workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    type_into(editor, "first_name", "زينب")
    type_into(editor, "father_name", "حسن")
    save_refused(qtbot, editor)
    assert editor.problem_text("grandfather_name") == f"اسم الجد: {REQUIRED_AR}"
    assert editor.problem_text("first_name") == ""
    assert editor.inputs["first_name"].value() == "زينب"
    assert editor.inputs["father_name"].value() == "حسن"
    assert in_vault(workspace, lambda: workspace.session.store.count("person")) == 0
    assert_no_unhandled(unhandled_errors)


def test_a_required_field_is_named_once_the_officer_leaves_it_empty(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    assert editor.problem_text("first_name") == ""
    type_into(editor, "first_name", "")
    assert editor.problem_text("first_name") == f"الاسم: {REQUIRED_AR}"


def test_a_serious_violence_case_closed_by_reconciliation_is_told_why_at_the_outcome(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "family_dispute")
    choose(editor, "violence", "serious_physical")
    choose(editor, "outcome", "reconciliation")
    message = editor.problem_text("outcome")
    assert message.startswith("النتيجة: ")
    assert translate("forms.rule.serious_violence_needs_referral", "ar").split(":")[0] in message
    choose(editor, "outcome", "referral_court")
    assert editor.problem_text("outcome") == ""


def test_a_field_a_rule_requires_now_gets_its_star(qtbot: QtBot, workspace: Workspace) -> None:
    editor = open_editor(qtbot, workspace, "family_dispute")
    assert not editor.labels["referral_body"].text().endswith("*")
    choose(editor, "outcome", "referral_court")
    assert editor.labels["referral_body"].text() == "جهة الإحالة *"


def test_phone_and_national_id_editors_stay_left_to_right_in_an_arabic_form(
    qtbot: QtBot, workspace: Workspace
) -> None:
    with right_to_left():
        editor = open_editor(qtbot, workspace, "person")
        assert editor.isRightToLeft()
        for key in ("phone", "national_id", "age"):
            box = editor.inputs[key]
            assert isinstance(box, LineInput)
            assert not box.editor.isRightToLeft(), key
            assert box.editor.alignment() & box.editor.alignment().AlignLeft, key
        assert editor.inputs["first_name"].focus_widget().isRightToLeft()


def test_a_phone_typed_in_arabic_digits_with_spaces_reads_in_order_and_is_stored_in_one_form(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    fill_person(editor, "زينب حسن علي", "female", "٣٤")
    type_into(editor, "phone", "٠٧٧٠ ١٢٣ ٤٥٦٧")
    # Shown with Latin digits, groups in the order typed (Arabic-Indic ones would be reversed).
    assert editor.inputs["phone"].value() == "0770 123 4567"
    record = stored(workspace, save(qtbot, editor))
    assert record.fields["phone"] == "+9647701234567"
    assert record.fields["age"] == 34


def test_sorani_letters_and_extended_digits_typed_key_by_key_are_stored_as_typed(
    qtbot: QtBot, workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    fill_person(editor, "ڕێبوار کۆسرەت عەبدوڵڵا", "male", "۴۲")
    type_into(editor, "occupation", "مامۆستای قوتابخانەی ژمارە ۱۲")
    record = stored(workspace, save(qtbot, editor))
    assert record.fields["first_name"] == "ڕێبوار"
    assert record.fields["father_name"] == "کۆسرەت"
    assert record.fields["grandfather_name"] == "عەبدوڵڵا"
    # Letters as typed; digits of any script are kept as their values (docs/DOMAIN.md).
    assert record.fields["occupation"] == "مامۆستای قوتابخانەی ژمارە 12"
    assert record.fields["age"] == 42
    assert_no_unhandled(unhandled_errors)


def test_a_date_typed_in_arabic_digits_reads_with_its_iraqi_month_name(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    type_into(editor, "birth_date", "٥/١/١٩٩٠")
    box = editor.inputs["birth_date"]
    assert isinstance(box, DateInput)
    assert box.reading.text() == "٥ كانون الثاني ١٩٩٠"
    assert box.value() == "1990-01-05"


def test_the_district_list_follows_the_chosen_governorate(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "household")
    pick_place(qtbot, editor, "governorate", "الأنبار")
    district = editor.inputs["district"]
    assert isinstance(district, PlaceInput)
    names = [district.combo.itemText(i) for i in range(1, district.combo.count())]
    assert "الفلوجة" in names and "الرمادي" in names
    assert "الكرخ" not in names
    pick_place(qtbot, editor, "district", "الفلوجة")
    assert editor.inputs["district"].value() == "IQG01Q01"


def test_an_edit_changes_the_saved_record_and_keeps_its_other_fields(
    qtbot: QtBot, workspace: Workspace
) -> None:
    store = workspace.session.store
    person = in_vault(
        workspace,
        lambda: store.add(
            "person",
            {
                "first_name": "علي",
                "father_name": "حسن",
                "grandfather_name": "كاظم",
                "sex": "male",
                "age": 40,
            },
        ),
    )
    editor = open_editor(qtbot, workspace, "person", record_id=person.id)
    qtbot.waitUntil(editor.isEnabled, timeout=10_000)
    assert editor.inputs["first_name"].value() == "علي"
    type_into(editor, "phone", "07801234567")
    record = stored(workspace, save(qtbot, editor))
    assert record.fields["phone"] == "+9647801234567"
    assert record.fields["grandfather_name"] == "كاظم"
    assert record.local_seq == 2


def test_a_follow_up_date_too_soon_after_the_dispute_is_shown_at_that_date(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "family_dispute")
    today = date.today()
    type_into(editor, "date", today.isoformat())
    type_into(editor, "follow_up_until", (today + timedelta(days=3)).isoformat())
    assert editor.problem_text("follow_up_until").startswith("المتابعة لغاية: ")


def test_a_date_picked_on_the_calendar_fills_the_field(qtbot: QtBot, workspace: Workspace) -> None:
    editor = open_editor(qtbot, workspace, "family_dispute")
    box = editor.inputs["date"]
    assert isinstance(box, DateInput)
    box.calendar_button.click()
    calendar = QApplication.activePopupWidget()
    assert isinstance(calendar, QCalendarWidget)
    calendar.setSelectedDate(QDate(2026, 4, 9))
    press(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert box.value() == "2026-04-09"
    assert box.reading.text() == "٩ نيسان ٢٠٢٦"
    assert QApplication.activePopupWidget() is None


def test_a_governorate_typed_in_full_is_chosen_and_its_districts_follow(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "household")
    type_into(editor, "governorate", "بغداد")
    governorate, district = editor.inputs["governorate"], editor.inputs["district"]
    assert isinstance(governorate, PlaceInput) and isinstance(district, PlaceInput)
    assert governorate.pcode() == "IQG08"
    assert district.combo.findText("الكرخ") > 0


def test_editing_a_record_that_is_not_here_says_so_in_arabic(
    qtbot: QtBot, workspace: Workspace, unhandled_errors: list[BaseException]
) -> None:
    missing = "01890000-0000-7000-8000-000000000000"
    editor = open_editor(qtbot, workspace, "person", record_id=missing)
    qtbot.waitUntil(lambda: not editor.banner.isHidden(), timeout=10_000)
    assert editor.banner.text() == translate("store.record_not_found", "ar", id=missing)
    assert not editor.isEnabled()
    assert_no_unhandled(unhandled_errors)


def test_a_saved_record_is_asked_to_be_opened(qtbot: QtBot, workspace: Workspace) -> None:
    editor = open_editor(qtbot, workspace, "person")
    opened: list[str] = []
    editor.open_record.connect(opened.append)
    fill_person(editor, "سارة كريم جواد", "female", "٢٧")
    saved_id = save(qtbot, editor)
    assert opened == [saved_id]
    assert stored(workspace, saved_id).fields["first_name"] == "سارة"
