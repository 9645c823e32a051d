# ruff: noqa: F811 (`vault` is the fixture imported from tests.test_cli)
"""Issue 9, section 6: governorate and district are accepted by their names in Arabic, Kurdish
or English as well as by p-code; an unknown one suggests the closest names."""

from __future__ import annotations

import json

import pytest

from fieldapp.text import isolate
from tests.drivers.cli import core_cli
from tests.records import household
from tests.test_cli import add, env, vault  # noqa: F401 (fixtures)


def stored(vault: str, record_id: str) -> tuple[str, str]:
    record = json.loads(core_cli("--data-dir", vault, "show", record_id, "--json").out)
    return record["fields"]["governorate"], record["fields"]["district"]


@pytest.mark.parametrize(
    ("governorate", "district"),
    [
        ("Baghdad", "Al-Karkh"),
        ("بغداد", "الكرخ"),
        ("بەغدا", "كرخ"),
        ("baghdad", "karkh"),
        ("iqg08", "iqg08q03"),
    ],
)
def test_a_place_typed_by_name_in_any_language_is_stored_as_its_code(
    vault: str, governorate: str, district: str
) -> None:
    added = add(vault, "household", household(governorate=governorate, district=district))
    assert added.code == 0, added.err
    assert stored(vault, added.lines[0]) == ("IQG08", "IQG08Q03")


@pytest.mark.parametrize(
    ("lang", "suggestion"),
    [
        ("en", "Did you mean: Baghdad?"),
        ("ar", "هل تقصد: بغداد؟"),
        ("ckb", "مەبەستت ئەمەیە: بەغدا؟"),
    ],
)
def test_an_unknown_governorate_suggests_the_closest_names(
    vault: str, lang: str, suggestion: str
) -> None:
    fields = json.dumps(household(governorate="Bagdad", district="IQG08Q03"))
    result = core_cli("--data-dir", vault, "--lang", lang, "add", "household", "--json", fields)
    assert result.code == 2
    assert suggestion in result.err


def test_an_unknown_district_suggests_districts_of_its_governorate(vault: str) -> None:
    fields = json.dumps(household(governorate="Baghdad", district="Karh"))
    result = core_cli("--data-dir", vault, "--lang", "en", "add", "household", "--json", fields)
    assert result.code == 2
    assert "Did you mean: Al-Karkh" in result.err


def test_a_name_nothing_resembles_is_refused_without_suggestions(vault: str) -> None:
    fields = json.dumps(household(governorate="Atlantis", district="IQG08Q03"))
    result = core_cli("--data-dir", vault, "--lang", "en", "add", "household", "--json", fields)
    assert result.code == 2
    assert f"is not a known governorate: {isolate('ATLANTIS')}" in result.err
