"""A due date as an officer reads it: the Iraqi month name, the reader's digits."""

from __future__ import annotations

from datetime import date

from fieldapp.dates import local_date


def test_a_day_is_written_with_the_iraqi_month_name_in_arabic_indic_digits() -> None:
    assert local_date(date(2026, 1, 5), "ar") == "٥ كانون الثاني ٢٠٢٦"


def test_a_reader_who_chose_latin_digits_gets_them() -> None:
    assert local_date(date(2026, 1, 5), "ar", "latn") == "5 كانون الثاني 2026"


def test_english_readers_get_the_english_month() -> None:
    assert local_date(date(2026, 11, 20), "en") == "20 November 2026"
