"""`fieldapp.display`: how one stored value enters a line a person reads."""

from __future__ import annotations

import pytest

from fieldapp.display import isolated, local_phone, shown
from fieldapp.forms.definitions import load_forms
from fieldapp.forms.reference import load_reference
from fieldapp.numerals import Digits
from fieldapp.text import FSI, PDI

FORMS = load_forms()
PERSON = FORMS.get("person")
HOUSEHOLD = FORMS.get("household")


def test_an_iraqi_mobile_is_written_as_officers_write_it() -> None:
    assert local_phone("+9647701234567") == "0770 123 4567"


@pytest.mark.parametrize("stored", ["+441632960000", "+96417001234", "07701234567", ""])
def test_a_number_that_is_not_a_stored_iraqi_mobile_is_left_as_it_is(stored: str) -> None:
    assert local_phone(stored) == stored


@pytest.mark.parametrize(
    ("lang", "digits", "expected"),
    [
        ("ar", None, "٠٧٧٠\u200e ١٢٣\u200e ٤٥٦٧"),
        ("ckb", None, "٠٧٧٠\u200e ١٢٣\u200e ٤٥٦٧"),
        ("en", None, "0770 123 4567"),
        ("ar", "latn", "0770 123 4567"),
        ("en", "arab", "٠٧٧٠\u200e ١٢٣\u200e ٤٥٦٧"),
    ],
)
def test_a_phone_is_shown_isolated_in_the_local_form_and_the_readers_digits(
    lang: str, digits: Digits | None, expected: str
) -> None:
    field = PERSON.field("phone")
    assert shown(field, "+9647701234567", lang, digits=digits) == f"{FSI}{expected}{PDI}"


def test_a_foreign_phone_keeps_the_international_form_isolated() -> None:
    field = PERSON.field("phone")
    assert shown(field, "+441632960000", "ar", digits="latn") == f"{FSI}+441632960000{PDI}"


def test_a_national_id_is_in_the_readers_digits() -> None:
    field = PERSON.field("national_id")
    assert shown(field, "198503120045", "ar") == f"{FSI}١٩٨٥٠٣١٢٠٠٤٥{PDI}"


def test_a_name_keeps_the_digits_it_was_written_with() -> None:
    field = PERSON.field("first_name")
    assert shown(field, "John 2", "ar") == f"{FSI}John 2{PDI}"


def test_a_choice_reads_as_its_label_in_the_language() -> None:
    field = PERSON.field("sex")
    assert shown(field, "female", "ckb") == f"{FSI}{field.choice_label('female', 'ckb')}{PDI}"


def test_a_district_reads_as_its_name() -> None:
    field = HOUSEHOLD.field("district")
    reference = load_reference()
    name = reference.district_name("IQG08Q01", "en")
    assert name and shown(field, "IQG08Q01", "en", reference=reference) == f"{FSI}{name}{PDI}"


def test_an_empty_value_is_nothing_to_show() -> None:
    assert shown(PERSON.field("phone"), None, "ar") == ""


def test_control_and_bidi_characters_of_the_data_show_escaped_inside_the_isolates() -> None:
    assert isolated("علي\u202e\x1b") == f"{FSI}علي\\u202e\\u001b{PDI}"


def test_each_line_of_a_multi_line_value_is_isolated_on_its_own() -> None:
    assert isolated("one\ntwo", multiline=True) == f"{FSI}one{PDI}\n{FSI}two{PDI}"
