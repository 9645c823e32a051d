"""`fieldapp-cli search` as an officer uses it, in Arabic, Kurdish and English: phones however
typed, Sorani and Arabic spellings of a name, record numbers, and what it says about the count."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp import session
from fieldapp.messages import translate
from fieldapp.text import isolate
from tests.drivers.cli import PASSWORD, CliResult, core_cli, use_device_environment
from tests.records import PERSON

LANGS = ("ar", "ckb", "en")
PERSON_LABEL = {"ar": "شخص", "ckb": "کەس", "en": "Person"}


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    use_device_environment(monkeypatch, lang=None)
    data_dir = str(tmp_path / "vault")
    result = core_cli("--data-dir", data_dir, "init", "--officer", "ali.h", "--station", "B12")
    assert result.code == 0, result.err
    yield data_dir


def add(vault: str, fields: object) -> str:
    result = core_cli("--data-dir", vault, "add", "person", "--json", json.dumps(fields))
    assert result.code == 0, result.err
    return result.lines[0]


def search(vault: str, lang: str, *args: str) -> CliResult:
    result = core_cli("--data-dir", vault, "--lang", lang, "search", *args)
    assert result.code == 0, result.err
    return result


def found_ids(result: CliResult) -> list[str]:
    return [line.split()[-1] for line in result.lines]


def reserve_numbers(vault: str, first: int, last: int) -> None:
    """A block of record numbers, as the server reserves one for the device at enrollment."""
    s = session.unlock(Path(vault), PASSWORD)
    try:
        s.store.connection.execute("BEGIN")
        s.store.numbers.add_block("B12", 2026, first, last)
        s.store.connection.execute("COMMIT")
    finally:
        s.close()


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("ar", "٠٧٧٠ ١٢٣ ٤٥٦٧"), ("ckb", "۰۷۷۰-۱۲۳-۴۵۶۷"), ("en", "+964 (770) 123-4567")],
)
def test_a_phone_typed_with_spaces_dashes_or_country_code_finds_the_person(
    vault: str, lang: str, typed: str
) -> None:
    wanted = add(vault, {**PERSON, "phone": "07701234567"})
    add(vault, {**PERSON, "phone": "07711234567"})
    assert found_ids(search(vault, lang, typed)) == [wanted]


@pytest.mark.parametrize("lang", LANGS)
def test_a_sorani_spelling_finds_the_arabic_one_after_the_exact_match(
    vault: str, lang: str
) -> None:
    arabic = add(vault, {**PERSON, "first_name": "أحمد"})
    sorani = add(vault, {**PERSON, "first_name": "ئەحمەد"})
    add(vault, {**PERSON, "first_name": "زينب"})
    assert found_ids(search(vault, lang, "ئەحمەد")) == [sorani, arabic]
    assert found_ids(search(vault, lang, "أحمد")) == [arabic, sorani]


@pytest.mark.parametrize("lang", LANGS)
def test_a_record_number_in_any_digit_script_finds_that_record_alone(vault: str, lang: str) -> None:
    reserve_numbers(vault, 1, 12)
    ids = [add(vault, {**PERSON, "age": 20 + i}) for i in range(12)]
    result = search(vault, lang, "B12-۲۰۲۶-۱")
    assert found_ids(result) == [ids[0]]
    assert result.lines[0].split()[0] == isolate("B12-2026-1")


@pytest.mark.parametrize("lang", LANGS)
def test_each_result_says_the_record_type_and_number(vault: str, lang: str) -> None:
    reserve_numbers(vault, 7, 9)
    wanted = add(vault, {**PERSON, "first_name": "كريم"})
    [line] = search(vault, lang, "كريم").lines
    number, label, *_, record_id = line.split("  ")
    assert (number, label, record_id) == (isolate("B12-2026-7"), PERSON_LABEL[lang], wanted)


@pytest.mark.parametrize("lang", LANGS)
def test_search_says_how_many_records_matched(vault: str, lang: str) -> None:
    add(vault, {**PERSON, "first_name": "كريم"})
    add(vault, {**PERSON, "first_name": "كريم"})
    result = search(vault, lang, "كريم")
    assert len(result.lines) == 2
    assert result.err.strip() == translate("cli.search_found", lang, count=2)


@pytest.mark.parametrize("lang", LANGS)
def test_search_says_more_records_match_beyond_the_limit(vault: str, lang: str) -> None:
    for _ in range(3):
        add(vault, {**PERSON, "first_name": "كريم"})
    result = search(vault, lang, "كريم", "--limit", "2")
    assert len(result.lines) == 2
    assert result.err.strip() == translate("cli.search_more", lang, count=2)


@pytest.mark.parametrize("lang", LANGS)
def test_search_says_clearly_when_nothing_matched(vault: str, lang: str) -> None:
    add(vault, {**PERSON, "first_name": "كريم"})
    result = search(vault, lang, "زينب")
    assert result.out == ""
    assert result.err.strip() == translate("cli.search_none", lang, query=isolate("زينب"))


@pytest.mark.parametrize("lang", LANGS)
def test_a_one_letter_search_asks_for_more_letters(vault: str, lang: str) -> None:
    add(vault, {**PERSON, "first_name": "كريم"})
    result = search(vault, lang, "ك")
    assert result.out == ""
    assert result.err.strip() == translate("cli.search_too_short", lang, min=2)


def test_a_limit_below_one_is_refused(vault: str) -> None:
    result = core_cli("--data-dir", vault, "--lang", "en", "search", "كريم", "--limit", "0")
    assert result.code == 2 and result.out == ""
    assert translate("cli.bad_limit", "en") in result.err
