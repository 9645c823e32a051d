"""The one validator: each rule with a record it accepts and one it refuses, asserting on what
the officer sees (field, rule, and the message naming the field by its Arabic label)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.errors import InvalidInput
from fieldapp.forms.definitions import HARD_MAX_STRING, FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.forms.validation import (
    FieldError,
    ValidatedFields,
    ValidationFailed,
    person_age,
    validate,
    validate_patch,
)

TODAY = datetime.date(2026, 11, 20)
A = "0193a1b2-0000-7000-8000-00000000000a"
B = "0193a1b2-0000-7000-8000-00000000000b"
H = "0193a1b2-0000-7000-8000-0000000000f1"
FORMS: FormRegistry = load_forms()
REFERENCE: AdminReference = load_reference()

HEADER = {"date": "2026-11-18", "governorate": "IQG08", "district": "IQG08Q01"}
MINIMAL: dict[str, dict[str, Any]] = {
    "household": {"governorate": "IQG08", "district": "IQG08Q01", "mahalla": "حي الجامعة"},
    "person": {
        "first_name": "محمد",
        "father_name": "جاسم",
        "grandfather_name": "حسن",
        "sex": "male",
        "age": 34,
    },
    "home_visit": {
        **HEADER,
        "reason": "follow_up",
        "observations": "الأسرة بحاجة إلى سلة غذائية",
        "action": "advice",
    },
    "family_dispute": {
        **HEADER,
        "dispute_type": "spousal",
        "violence": "verbal",
        "party_ids": [A, B],
        "summary": "خلاف بين الزوجين حول السكن",
        "outcome": "under_follow_up",
        "status": "open",
    },
    "domestic_violence": {
        **HEADER,
        "victim_id": A,
        "violence_types": ["physical"],
        "summary": "اعتداء بالضرب",
        "referral_to": "family_protection",
        "status": "open",
    },
    "cyber_extortion": {
        **HEADER,
        "victim_id": A,
        "platform": "instagram",
        "summary": "تهديد بنشر صور",
        "outcome": "under_follow_up",
        "status": "open",
    },
    "runaway_return": {
        **HEADER,
        "person_id": A,
        "returned_to": "parents",
        "aftercare_plan": "زيارة أسبوعية لمدة شهر",
        "status": "follow_up",
    },
    "neighbour_dispute": {
        **HEADER,
        "cause": "generator",
        "violence": "none",
        "party_ids": [A, B],
        "summary": "خلاف على أسلاك المولدة",
        "outcome": "under_follow_up",
        "status": "open",
    },
    "tribal_liaison": {
        **HEADER,
        "tribe_name": "البو محمد",
        "purpose": "introduction",
        "agreed_points": "التعاون في نبذ الرمي العشوائي",
    },
    "awareness_session": {
        **HEADER,
        "venue_type": "school",
        "venue_name": "إعدادية الكرخ للبنين",
        "topics": ["drugs"],
        "audience_size": 120,
    },
    "humanitarian_aid": {
        **HEADER,
        "aid_kinds": ["food_basket"],
        "quantity": 1,
        "partner": "الهلال الأحمر العراقي",
    },
    "shelter_case": {
        **HEADER,
        "person_id": A,
        "shelter_name": "دار الحنان",
        "reason": "no_guardian",
        "admission_date": "2026-11-18",
        "referral_body": "محكمة الأحداث",
        "referral_ref": "1234",
        "status": "placed",
    },
}
RECONCILED = {
    **MINIMAL["family_dispute"],
    "outcome": "reconciliation",
    "pledge_signed": True,
    "follow_up_until": "2026-12-02",
    "status": "follow_up",
}


def check(type_key: str, fields: dict[str, Any], **kw: Any) -> ValidatedFields:
    kw.setdefault("today", TODAY)
    return validate(FORMS.get(type_key), fields, reference=REFERENCE, **kw)


def refusals(type_key: str, fields: dict[str, Any], **kw: Any) -> list[FieldError]:
    with pytest.raises(ValidationFailed) as caught:
        check(type_key, fields, **kw)
    return caught.value.errors


def refused(type_key: str, fields: dict[str, Any], field: str, rule: str, **kw: Any) -> FieldError:
    """The error on `field` by `rule`; its Arabic message names the field by its Arabic label."""
    errors = refusals(type_key, fields, **kw)
    found = [e for e in errors if e.field == field and e.rule == rule]
    assert found, [(e.field, e.rule) for e in errors]
    label = FORMS.get(type_key).field(field).label("ar")
    assert found[0].message("ar").startswith(label + ": ")
    return found[0]


def person(**changes: Any) -> dict[str, Any]:
    return {**MINIMAL["person"], **changes}


# --- minimal records -------------------------------------------------------------------------


@pytest.mark.parametrize("type_key", sorted(MINIMAL))
def test_minimal_record_of_every_type_is_valid(type_key: str) -> None:
    assert check(type_key, MINIMAL[type_key]).fields


def test_every_type_has_a_minimal_example() -> None:
    assert set(MINIMAL) == set(FORMS.types())


def test_failure_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        check("person", {})
    assert caught.value.key == "forms.validation_failed"


# --- required, unknown, types ----------------------------------------------------------------


def test_required_field_missing_is_refused() -> None:
    fields = person()
    del fields["first_name"]
    error = refused("person", fields, "first_name", "required")
    assert error.message("ar") == "الاسم: حقل مطلوب"
    assert error.message("en") == "First name: is required"


def test_required_field_of_only_spaces_counts_as_missing() -> None:
    refused("person", person(father_name="   "), "father_name", "required")


def test_all_problems_are_reported_not_just_the_first() -> None:
    errors = refusals("person", {"sex": "x", "national_id": "1", "nickname": "أبو علي"})
    found = {(e.field, e.rule) for e in errors}
    assert {
        ("first_name", "required"),
        ("father_name", "required"),
        ("grandfather_name", "required"),
        ("sex", "choice"),
        ("national_id", "national_id"),
        ("nickname", "unknown_field"),
        ("birth_date", "at_least_one"),
    } <= found


def test_unknown_field_is_refused() -> None:
    errors = refusals("person", person(nickname="أبو علي"))
    assert [(e.field, e.rule) for e in errors] == [("nickname", "unknown_field")]
    assert "ليس حقلاً في هذا النموذج" in errors[0].message("ar")


def test_fields_that_are_not_an_object_are_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        from_the_wire: Any = json.loads('["محمد"]')  # a device may send any JSON
        validate(FORMS.get("person"), from_the_wire, reference=REFERENCE, today=TODAY)
    assert caught.value.key == "forms.fields_not_an_object"


def test_unknown_field_is_refused_even_when_empty() -> None:
    refusals("person", person(nickname=None))


@pytest.mark.parametrize(
    ("field", "value"),
    [("age", "abc"), ("age", True), ("age", 34.5), ("first_name", 12), ("sex", 1)],
)
def test_value_of_the_wrong_type_is_refused(field: str, value: Any) -> None:
    refused("person", person(**{field: value}), field, "type")


def test_string_of_digits_is_accepted_for_a_number_in_any_script() -> None:
    assert check("person", person(age="٣٤")).fields["age"] == 34
    assert check("person", person(age=" ۳۴ ")).fields["age"] == 34


def test_bool_must_be_a_real_boolean() -> None:
    refused("family_dispute", {**RECONCILED, "pledge_signed": "true"}, "pledge_signed", "type")
    assert check("family_dispute", RECONCILED).fields["pledge_signed"] is True


def test_list_field_needs_a_list() -> None:
    refused("family_dispute", {**RECONCILED, "party_ids": A}, "party_ids", "type")


# --- text ------------------------------------------------------------------------------------


def test_text_is_stripped_and_its_digits_folded() -> None:
    fields = check("household", {**MINIMAL["household"], "house": " ١٢/٤ ", "alley": "۷"}).fields
    assert fields["house"] == "12/4" and fields["alley"] == "7"


def test_text_at_its_limit_is_accepted_and_one_more_is_refused() -> None:
    assert check("person", person(first_name="م" * 60)).fields["first_name"] == "م" * 60
    error = refused("person", person(first_name="م" * 61), "first_name", "max_length")
    assert error.params == {"max": 60, "length": 61}
    assert "60" in error.message("ar")


def test_no_string_may_pass_the_hard_cap_whatever_the_field() -> None:
    refused("person", person(sex="m" * (HARD_MAX_STRING + 1)), "sex", "too_long")
    # A text field past the cap names its own limit, not the cap (issue 8).
    notes = refused("person", person(notes="x" * (HARD_MAX_STRING + 1)), "notes", "max_length")
    assert notes.params["max"] == FORMS.get("person").field("notes").max_length


@pytest.mark.parametrize("bad", ["\u202e", "\u2066", "\u200f", "\x00", "\x1b"])
def test_bidi_and_control_characters_are_refused(bad: str) -> None:
    error = refused(
        "person", person(first_name=f"محمد{bad}علي"), "first_name", "forbidden_character"
    )
    assert error.params["code"] == f"U+{ord(bad):04X}"


def test_newline_and_tab_only_in_multiline_fields() -> None:
    refused("person", person(first_name="محمد\nعلي"), "first_name", "forbidden_character")
    notes = check("person", person(notes="سطر أول\r\n\tسطر ثان")).fields["notes"]
    assert notes == "سطر أول\n\tسطر ثان"


def test_zero_width_non_joiner_of_kurdish_spelling_is_kept() -> None:
    assert check("person", person(first_name="ئاسۆ\u200cی")).fields["first_name"] == "ئاسۆ\u200cی"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["2026/11/18", "18-11-2026", "2026-02-30", "2026-1-5", "أمس"])
def test_date_in_another_format_is_refused(bad: str) -> None:
    refused("home_visit", {**MINIMAL["home_visit"], "date": bad}, "date", "date_format")


def test_date_with_arabic_indic_digits_is_stored_ascii() -> None:
    fields = check("home_visit", {**MINIMAL["home_visit"], "date": "٢٠٢٦-١١-١٨"}).fields
    assert fields["date"] == "2026-11-18"


def test_date_object_is_accepted() -> None:
    fields = check("home_visit", {**MINIMAL["home_visit"], "date": datetime.date(2026, 11, 1)})
    assert fields.fields["date"] == "2026-11-01"


def test_activity_dated_today_is_accepted_and_tomorrow_refused() -> None:
    assert check("home_visit", {**MINIMAL["home_visit"], "date": "2026-11-20"})
    error = refused(
        "home_visit", {**MINIMAL["home_visit"], "date": "2026-11-21"}, "date", "future_date"
    )
    assert "2026-11-20" in error.message("en")


def test_the_validator_uses_the_given_today_not_the_clock() -> None:
    record = {**MINIMAL["home_visit"], "date": "2030-01-01"}
    assert check("home_visit", record, today=datetime.date(2030, 1, 1))
    refused("home_visit", record, "date", "future_date", today=datetime.date(2029, 12, 31))


def test_next_visit_may_be_the_same_day_but_not_before() -> None:
    visit = MINIMAL["home_visit"]
    assert check("home_visit", {**visit, "next_visit_date": "2026-11-18"})
    assert check("home_visit", {**visit, "next_visit_date": "2027-01-15"})  # future is fine here
    error = refused(
        "home_visit", {**visit, "next_visit_date": "2026-11-17"}, "next_visit_date", "date_order"
    )
    assert "التاريخ" in error.message("ar")


# --- enums -----------------------------------------------------------------------------------


def test_enum_value_outside_its_choices_is_refused() -> None:
    assert check("person", person(sex="female")).fields["sex"] == "female"
    error = refused("person", person(sex="F"), "sex", "choice")
    assert "الجنس" in error.message("ar")


def test_multi_enum_is_stored_in_declared_order() -> None:
    visit = {**MINIMAL["home_visit"], "needs": ["legal", "food"]}
    assert check("home_visit", visit).fields["needs"] == ["food", "legal"]


def test_multi_enum_refuses_unknown_and_repeated_keys() -> None:
    refused("home_visit", {**MINIMAL["home_visit"], "needs": ["food", "cars"]}, "needs", "choice")
    refused(
        "home_visit", {**MINIMAL["home_visit"], "needs": ["food", "food"]}, "needs", "duplicate"
    )


# --- national ID and phone -------------------------------------------------------------------


@pytest.mark.parametrize(
    "good", ["198503120045", "١٩٨٥٠٣١٢٠٠٤٥", "۱۹۸۵ ۰۳۱۲ ۰۰۴۵", "1985-0312-0045"]
)
def test_national_id_of_12_digits_in_any_script_is_stored_ascii(good: str) -> None:
    assert check("person", person(national_id=good)).fields["national_id"] == "198503120045"


@pytest.mark.parametrize("bad", ["19850312004", "1985031200451", "19850312004X", "١٩٨٥٠٣١٢٠٠٤"])
def test_national_id_that_is_not_12_digits_is_refused(bad: str) -> None:
    error = refused("person", person(national_id=bad), "national_id", "national_id")
    assert error.message("en") == "National ID: must be exactly 12 digits"
    assert error.message("ar").startswith("رقم البطاقة الوطنية: ")


@pytest.mark.parametrize(
    "good",
    [
        "07701234567",
        "0770 123 4567",
        "0770-123-4567",
        "+964 770 123 4567",
        "+9647701234567",
        "00964 770 123 4567",
        "٠٧٧٠١٢٣٤٥٦٧",
        "+٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧",
    ],
)
def test_mobile_number_is_stored_in_international_form(good: str) -> None:
    assert check("person", person(phone=good)).fields["phone"] == "+9647701234567"


@pytest.mark.parametrize(
    "bad",
    ["0770123456", "077012345678", "07201234567", "+964 1 234 5678", "7701234567", "0770.123.4567"],
)
def test_number_that_is_not_an_iraqi_mobile_is_refused(bad: str) -> None:
    error = refused("person", person(phone=bad), "phone", "phone")
    assert "07XX XXX XXXX" in error.message("ar")


# --- governorate and district ----------------------------------------------------------------


def test_district_of_the_governorate_is_accepted_in_any_case() -> None:
    fields = check(
        "household", {**MINIMAL["household"], "governorate": "iqg08", "district": "iqg08q03"}
    )
    assert (fields.fields["governorate"], fields.fields["district"]) == ("IQG08", "IQG08Q03")


def test_unknown_governorate_is_refused() -> None:
    refused(
        "household", {**MINIMAL["household"], "governorate": "IQG99"}, "governorate", "governorate"
    )


def test_district_of_another_governorate_is_refused_naming_the_governorate() -> None:
    error = refused(
        "household", {**MINIMAL["household"], "governorate": "IQG01"}, "district", "district"
    )
    assert "الأنبار" in error.message("ar")
    assert "Al-Anbar" in error.message("en")


def test_unknown_district_is_refused() -> None:
    error = refused(
        "household", {**MINIMAL["household"], "district": "IQG08Q99"}, "district", "district"
    )
    assert "IQG08Q99" in error.message("ar")


# --- record ids ------------------------------------------------------------------------------


def test_record_id_is_stored_lower_case() -> None:
    fields = check("household", {**MINIMAL["household"], "head_id": A.upper()}).fields
    assert fields["head_id"] == A


def test_record_id_that_is_not_a_uuid_is_refused() -> None:
    refused("household", {**MINIMAL["household"], "head_id": "42"}, "head_id", "record_id")


# --- person ----------------------------------------------------------------------------------


def test_person_needs_a_birth_date_or_an_age() -> None:
    fields = person()
    del fields["age"]
    error = refused("person", fields, "birth_date", "at_least_one")
    assert "تاريخ الميلاد" in error.message("ar") and "العمر" in error.message("ar")
    assert (
        check("person", {**fields, "birth_date": "1990-03-01"}).fields["birth_date"] == "1990-03-01"
    )


@pytest.mark.parametrize(("age", "rule"), [(-1, "min"), (121, "max")])
def test_age_outside_0_to_120_is_refused(age: int, rule: str) -> None:
    refused("person", person(age=age), "age", rule)


def test_ages_0_and_120_are_accepted() -> None:
    assert check("person", person(age=0)) and check("person", person(age=120))


def test_birth_date_in_the_future_is_refused() -> None:
    refused("person", person(birth_date="2027-01-01"), "birth_date", "future_date")


def test_a_person_under_18_is_flagged_minor() -> None:
    assert "minor" in check("person", person(age=17)).flags
    assert "minor" not in check("person", person(age=18)).flags
    assert "minor" in check("person", person(age=None, birth_date="2008-11-21")).flags
    assert "minor" not in check("person", person(age=None, birth_date="2008-11-20")).flags


def test_person_age_prefers_the_birth_date() -> None:
    assert person_age({"birth_date": "2010-06-01", "age": 40}, TODAY) == 16
    assert person_age({"age": 40}, TODAY) == 40
    assert person_age({}, TODAY) is None


# --- family dispute --------------------------------------------------------------------------


def test_dispute_needs_at_least_two_distinct_parties() -> None:
    error = refused("family_dispute", {**RECONCILED, "party_ids": [A]}, "party_ids", "min_items")
    assert "2" in error.message("ar")
    refused("family_dispute", {**RECONCILED, "party_ids": [A, A]}, "party_ids", "duplicate")


@pytest.mark.parametrize("outcome", ["reconciliation", "pledge"])
def test_serious_violence_cannot_end_in_reconciliation_or_pledge(outcome: str) -> None:
    record = {**RECONCILED, "violence": "serious_physical", "outcome": outcome}
    error = refused("family_dispute", record, "outcome", "restrict")
    assert "العنف الجسدي الجسيم" in error.message("ar")
    assert "إحالة إلى حماية الأسرة" in error.message("ar")


def test_serious_violence_with_a_referral_is_accepted() -> None:
    record = {
        **MINIMAL["family_dispute"],
        "violence": "serious_physical",
        "outcome": "referral_family_protection",
        "referral_body": "مديرية حماية الأسرة - الرصافة",
        "referral_ref": "٢٣٤/ح",
    }
    assert check("family_dispute", record).fields["referral_ref"] == "234/ح"


def test_serious_violence_left_unresolved_is_refused() -> None:
    record = {**MINIMAL["family_dispute"], "violence": "serious_physical", "outcome": "unresolved"}
    refused("family_dispute", record, "outcome", "restrict")


def test_referral_outcome_needs_the_body_and_the_reference_number() -> None:
    record = {**MINIMAL["family_dispute"], "outcome": "referral_court"}
    errors = refusals("family_dispute", record)
    assert {(e.field, e.rule) for e in errors} == {
        ("referral_body", "requires"),
        ("referral_ref", "requires"),
    }
    message = next(e for e in errors if e.field == "referral_ref").message("ar")
    assert message.startswith("رقم كتاب الإحالة: ") and "إحالة إلى المحكمة" in message


@pytest.mark.parametrize("signed", [None, False])
def test_reconciliation_and_pledge_need_a_signed_pledge(signed: bool | None) -> None:
    for outcome in ("reconciliation", "pledge"):
        record = {**RECONCILED, "outcome": outcome, "pledge_signed": signed}
        error = refused("family_dispute", record, "pledge_signed", "restrict")
        assert "توقيع تعهد" in error.message("ar")


def test_reconciliation_needs_a_follow_up_date() -> None:
    refused(
        "family_dispute", {**RECONCILED, "follow_up_until": None}, "follow_up_until", "requires"
    )


@pytest.mark.parametrize(
    ("until", "ok"),
    [("2026-12-01", False), ("2026-12-02", True), ("2026-12-18", True), ("2026-12-19", False)],
)
def test_follow_up_ends_14_to_30_days_after_the_dispute(until: str, ok: bool) -> None:
    record = {**RECONCILED, "follow_up_until": until}
    if ok:
        assert check("family_dispute", record)
    else:
        error = refused("family_dispute", record, "follow_up_until", "date_window")
        assert error.params["min_days"] == 14 and error.params["max_days"] == 30
        assert "14" in error.message("ar") and "30" in error.message("ar")


def test_reconciliation_cannot_be_closed_before_14_days() -> None:
    record = {**RECONCILED, "status": "closed"}
    error = refused("family_dispute", record, "status", "waiting_period")
    assert error.params["earliest"] == "2026-12-02"
    assert "2026-12-02" in error.message("ar") and "حالة القضية" in error.message("ar")
    assert check("family_dispute", record, today=datetime.date(2026, 12, 2))


def test_a_pledge_case_may_close_at_once() -> None:
    record = {**RECONCILED, "outcome": "pledge", "status": "closed", "follow_up_until": None}
    assert check("family_dispute", record)


# --- juvenile flag ---------------------------------------------------------------------------


def test_minor_involved_tick_flags_for_juvenile_review() -> None:
    assert (
        "juvenile_review" in check("family_dispute", {**RECONCILED, "minor_involved": True}).flags
    )
    assert not check("family_dispute", {**RECONCILED, "minor_involved": False}).flags


def test_a_party_under_18_flags_for_juvenile_review() -> None:
    assert "juvenile_review" in check("family_dispute", RECONCILED, party_ages={A: 40, B: 16}).flags


def test_adult_or_unknown_ages_raise_no_flag() -> None:
    assert not check("family_dispute", RECONCILED, party_ages={A: 40, B: None}).flags
    assert not check("family_dispute", RECONCILED, party_ages={}).flags
    assert not check("family_dispute", RECONCILED).flags


def test_a_minor_victim_of_blackmail_is_flagged() -> None:
    assert (
        "juvenile_review"
        in check("cyber_extortion", MINIMAL["cyber_extortion"], party_ages={A: 15}).flags
    )


# --- other types' rules ----------------------------------------------------------------------


def test_cash_aid_needs_an_amount() -> None:
    record = {**MINIMAL["humanitarian_aid"], "aid_kinds": ["cash"]}
    refused("humanitarian_aid", record, "cash_amount_iqd", "requires")
    assert (
        check("humanitarian_aid", {**record, "cash_amount_iqd": "٢٥٠٠٠٠"}).fields["cash_amount_iqd"]
        == 250000
    )


def test_runaway_missing_since_cannot_be_after_the_return() -> None:
    record = {**MINIMAL["runaway_return"], "missing_since": "2026-11-19"}
    refused("runaway_return", record, "missing_since", "date_order")
    assert check("runaway_return", {**record, "missing_since": "2026-11-10"})


def test_shelter_exit_needs_an_exit_date_not_before_admission() -> None:
    record = {**MINIMAL["shelter_case"], "status": "returned_to_family"}
    refused("shelter_case", record, "exit_date", "requires")
    refused("shelter_case", {**record, "exit_date": "2026-11-17"}, "exit_date", "date_order")
    assert check("shelter_case", {**record, "exit_date": "2026-11-19"})


# --- edits -----------------------------------------------------------------------------------


def _patch(
    current: dict[str, Any], patch: dict[str, Any], type_key: str = "person"
) -> ValidatedFields:
    return validate_patch(FORMS.get(type_key), current, patch, reference=REFERENCE, today=TODAY)


def test_patch_is_merged_onto_the_current_fields() -> None:
    current = check("person", person(phone="07701234567")).fields
    result = _patch(current, {"surname": "الجبوري"})
    assert result.fields["surname"] == "الجبوري" and result.fields["phone"] == "+9647701234567"


def test_null_in_a_patch_clears_an_optional_field() -> None:
    current = check("person", person(phone="07701234567")).fields
    assert "phone" not in _patch(current, {"phone": None}).fields


def test_null_in_a_patch_cannot_clear_a_required_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _patch(person(), {"first_name": None})
    assert [(e.field, e.rule) for e in caught.value.errors] == [("first_name", "required")]


def test_patch_is_checked_as_a_whole_record() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _patch(RECONCILED, {"violence": "serious_physical"}, "family_dispute")
    assert ("outcome", "restrict") in {(e.field, e.rule) for e in caught.value.errors}


def test_patch_with_an_unknown_key_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        _patch(person(), {"nickname": "أبو علي"})


# --- messages and transport ------------------------------------------------------------------


def test_failure_message_lists_every_problem_in_the_language_asked() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check("person", person(national_id="1", phone="1"))
    arabic = caught.value.message("ar")
    assert "رقم البطاقة الوطنية" in arabic and "رقم الهاتف المحمول" in arabic
    assert arabic.startswith("يرجى تصحيح حقلين:")  # two fields: the dual, not "(2)"
    assert "ژمارەی کارتی نیشتمانی" in caught.value.message("ckb")


def test_field_error_survives_the_wire() -> None:
    error = refused("family_dispute", {**RECONCILED, "party_ids": [A]}, "party_ids", "min_items")
    again = FieldError.from_dict(error.to_dict())
    assert again == error and again.message("ar") == error.message("ar")


def test_field_error_of_a_batch_item_names_the_item() -> None:
    error = refused("person", person(sex="x"), "sex", "choice").at_item(3)
    assert error.field == "[3].sex" and error.params["item"] == 3
    assert error.message("ar").startswith("السجل ٤: الجنس: ")  # people count from 1


# --- digits in any script (property) ---------------------------------------------------------

SCRIPTS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")


def _render(digits: str, choices: list[int]) -> str:
    return "".join(SCRIPTS[c][int(d)] for d, c in zip(digits, choices, strict=True))


@given(
    st.text("0123456789", min_size=12, max_size=12),
    st.lists(st.integers(0, 2), min_size=12, max_size=12),
)
def test_national_id_in_any_mix_of_scripts_is_stored_the_same(
    digits: str, scripts: list[int]
) -> None:
    assert (
        check("person", person(national_id=_render(digits, scripts))).fields["national_id"]
        == digits
    )


@given(
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=8, max_size=8),
    st.lists(st.integers(0, 2), min_size=10, max_size=10),
    st.sampled_from(["0", "+964 ", "00964-"]),
    st.sampled_from(["", " ", "-"]),
)
def test_mobile_in_any_script_and_layout_is_stored_the_same(
    second: str, rest: str, scripts: list[int], prefix: str, sep: str
) -> None:
    local = "7" + second + rest
    shown = _render(local, scripts)
    written = prefix + shown[:3] + sep + shown[3:6] + sep + shown[6:]
    assert check("person", person(phone=written)).fields["phone"] == "+964" + local


@given(st.integers(0, 120), st.integers(0, 2))
def test_age_in_any_script_is_stored_as_the_same_number(age: int, script: int) -> None:
    text = _render(str(age), [script] * len(str(age)))
    assert check("person", person(age=text)).fields["age"] == age
