"""Issue 9, sections 5 and 2: values inside the lines an officer reads keep their own direction
(isolated), phones read in the local form and the reader's digits while scripts get the stored
values, and an invalid field is named by its label for people and by key and rule for scripts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.forms.definitions import load_forms
from fieldapp.messages import translate
from fieldapp.store.replica import Replica
from fieldapp.text import FSI, isolate
from tests.drivers.cli import PASSWORD, STATION, CliResult, core_cli, use_device_environment
from tests.records import PERSON

TYPED_PHONE = "٠٧٧٠١٢٣٤٥٦٧"  # as an officer types it on an Arabic keyboard
LOCAL_PHONE = {"arab": "٠٧٧٠\u200e ١٢٣\u200e ٤٥٦٧", "latn": "0770 123 4567"}
LANGS = ("ar", "ckb", "en")
PERSON_FORM = load_forms().get("person")


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    use_device_environment(monkeypatch, lang=None)
    monkeypatch.delenv("FIELDAPP_DIGITS", raising=False)
    data_dir = str(tmp_path / "vault")
    result = core_cli("--data-dir", data_dir, "init", "--officer", "ali.h", "--station", STATION)
    assert result.code == 0, result.err
    yield data_dir


def cli(vault: str, lang: str, *argv: str) -> CliResult:
    result = core_cli("--data-dir", vault, "--lang", lang, *argv)
    assert result.code == 0, result.err
    return result


def add(vault: str, fields: object) -> str:
    return cli(vault, "ar", "add", "person", "--json", json.dumps(fields)).out.strip()


def label(key: str, lang: str) -> str:
    return PERSON_FORM.field(key).label(lang)


def test_a_phone_typed_in_arabic_indic_digits_reads_in_the_local_form_in_an_arabic_line(
    vault: str,
) -> None:
    record_id = add(vault, {**PERSON, "phone": TYPED_PHONE})
    lines = cli(vault, "ar", "show", record_id).lines
    assert f"{label('phone', 'ar')}: {isolate(LOCAL_PHONE['arab'])}" in lines


@pytest.mark.parametrize("lang", LANGS)
def test_with_latin_digits_chosen_the_phone_reads_0770_123_4567(
    vault: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = add(vault, {**PERSON, "phone": TYPED_PHONE})
    monkeypatch.setenv("FIELDAPP_DIGITS", "latn")
    lines = cli(vault, lang, "show", record_id).lines
    assert f"{label('phone', lang)}: {isolate(LOCAL_PHONE['latn'])}" in lines


@pytest.mark.parametrize(("lang", "digits"), [("ckb", "arab"), ("en", "latn")])
def test_the_phone_is_in_the_languages_own_digits_unless_the_reader_chose(
    vault: str, lang: str, digits: str
) -> None:
    record_id = add(vault, {**PERSON, "phone": TYPED_PHONE})
    lines = cli(vault, lang, "show", record_id).lines
    assert f"{label('phone', lang)}: {isolate(LOCAL_PHONE[digits])}" in lines


def test_arabic_indic_digits_chosen_in_english_are_used_for_the_phone(
    vault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = add(vault, {**PERSON, "phone": TYPED_PHONE})
    monkeypatch.setenv("FIELDAPP_DIGITS", "arab")
    lines = cli(vault, "en", "show", record_id).lines
    assert f"Mobile phone: {isolate(LOCAL_PHONE['arab'])}" in lines


def test_show_json_keeps_the_phone_in_international_form_without_isolates(vault: str) -> None:
    record_id = add(vault, {**PERSON, "phone": TYPED_PHONE})
    shown = cli(vault, "ar", "show", record_id, "--json")
    assert shown.json()["fields"]["phone"] == "+9647701234567"
    assert FSI not in shown.out


def test_list_json_keeps_the_stored_phone(vault: str) -> None:
    add(vault, {**PERSON, "phone": TYPED_PHONE})
    [record] = cli(vault, "ar", "list", "--json").json()
    assert record["fields"]["phone"] == "+9647701234567"


@pytest.mark.parametrize("lang", LANGS)
def test_a_record_number_and_a_latin_name_in_a_show_page_are_isolated(
    vault: str, lang: str
) -> None:
    receive_block(vault, 7, 7)
    record_id = add(vault, {**PERSON, "first_name": "John"})
    lines = cli(vault, lang, "show", record_id).lines
    assert lines[0].startswith(f"{isolate(f'{STATION}-{datetime.now().year}-7')}  ")
    assert f"{label('first_name', lang)}: {isolate('John')}" in lines


@pytest.mark.parametrize("lang", LANGS)
def test_a_list_row_isolates_the_number_and_the_name(vault: str, lang: str) -> None:
    receive_block(vault, 7, 7)
    add(vault, {**PERSON, "first_name": "John"})
    [row] = cli(vault, lang, "list").lines
    number = isolate(f"{STATION}-{datetime.now().year}-7")
    assert row.startswith(f"{number}  ")
    assert f"  {isolate('John جاسم حسن')}  " in row


@pytest.mark.parametrize(("lang", "digits"), [("ar", "arab"), ("ckb", "arab"), ("en", "latn")])
def test_history_shows_a_changed_phone_in_the_local_form(
    vault: str, lang: str, digits: str
) -> None:
    record_id = add(vault, {**PERSON, "phone": TYPED_PHONE})
    cli(vault, lang, "edit", record_id, "--json", json.dumps({"phone": "+964 771 222 3333"}))
    lines = cli(vault, lang, "history", record_id).lines
    new = {"arab": "٠٧٧١\u200e ٢٢٢\u200e ٣٣٣٣", "latn": "0771 222 3333"}[digits]
    change = f"  {label('phone', lang)}: {isolate(LOCAL_PHONE[digits])} → {isolate(new)}"
    assert change in lines


# --- validation lines --------------------------------------------------------------------------


def refused(vault: str, lang: str, *extra: str) -> CliResult:
    fields = json.dumps({**PERSON, "national_id": "12"})
    argv = ("--data-dir", vault, "--lang", lang, "add", "person", "--json", fields, *extra)
    result = core_cli(*argv)
    assert result.code == 2 and result.out == ""
    return result


@pytest.mark.parametrize("lang", LANGS)
def test_a_validation_line_starts_with_the_fields_label_and_has_no_field_key(
    vault: str, lang: str
) -> None:
    heading, line = refused(vault, lang).err.splitlines()
    assert heading == translate("forms.validation_failed", lang, count=1)
    assert line == f"{label('national_id', lang)}: {translate('forms.rule.national_id', lang)}"
    assert "national_id" not in line


@pytest.mark.parametrize("lang", LANGS)
def test_with_json_errors_a_script_gets_each_fields_key_and_rule(vault: str, lang: str) -> None:
    result = refused(vault, lang, "--json-errors")
    [error] = json.loads(result.err)["errors"]
    assert (error["field"], error["rule"]) == ("national_id", "national_id")
    assert error["message"].startswith(label("national_id", lang))


def receive_block(vault: str, first: int, last: int) -> None:
    """Record numbers as a sync keeps the block the server reserved for the device."""
    with sessions.unlock(Path(vault), PASSWORD) as s:
        Replica(s.store).add_number_block(STATION, datetime.now().year, first, last)
