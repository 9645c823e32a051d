"""Dates as officers type them (any digit script, day first) and as they read them."""

from __future__ import annotations

from datetime import date

import pytest

from fieldapp.dates import day_text
from fieldapp.forms.values import parse_typed_date


@pytest.mark.parametrize(
    "typed",
    ["2026-01-05", "5/1/2026", "05.01.2026", "٥/١/٢٠٢٦", "۵-۱-۲۰۲۶", "٢٠٢٦-٠١-٠٥", " 5 / 1 / 2026"],
)
def test_a_date_typed_in_any_digit_script_day_first_is_understood(typed: str) -> None:
    assert parse_typed_date(typed) == date(2026, 1, 5)


@pytest.mark.parametrize("typed", ["", "5/1", "31/2/2026", "2026-13-01", "أمس", "5/1/26"])
def test_what_is_not_a_whole_calendar_date_is_not_taken_for_one(typed: str) -> None:
    assert parse_typed_date(typed) is None


def test_a_date_reads_with_the_iraqi_month_name_in_arabic_digits() -> None:
    assert day_text(date(2026, 1, 5), "ar") == "٥ كانون الثاني ٢٠٢٦"


def test_a_date_reads_in_latin_digits_when_the_reader_chose_them() -> None:
    assert day_text(date(2026, 4, 9), "ar", "latn") == "9 نيسان 2026"
    assert day_text(date(2026, 4, 9), "en") == "9 April 2026"
