"""Officers work with record numbers (issue 9, section 1): every command that takes a record takes
its number, typed in any digit script; lists lead with the number and the record type; a record
has a number to read out from the moment it is saved, provisional until the device holds a block
of real ones, and the provisional one still finds it afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.messages import translate
from fieldapp.store.replica import Replica
from fieldapp.text import isolate
from tests.drivers.cli import PASSWORD, STATION, CliResult, core_cli, use_device_environment
from tests.records import PERSON, household

YEAR = datetime.now().year
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
LANGS = ("ar", "ckb", "en")


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A vault never enrolled, at station B12."""
    use_device_environment(monkeypatch, lang=None)
    data_dir = str(tmp_path / "vault")
    result = core_cli("--data-dir", data_dir, "init", "--officer", "ali.h", "--station", STATION)
    assert result.code == 0, result.err
    yield data_dir


def cli(vault: str, lang: str, *argv: str) -> CliResult:
    return core_cli("--data-dir", vault, "--lang", lang, *argv)


def add(vault: str, kind: str, fields: object) -> str:
    result = core_cli("--data-dir", vault, "add", kind, "--json", json.dumps(fields))
    assert result.code == 0, result.err
    return result.out.strip()


def receive_block(vault: str, first: int, last: int) -> int:
    """The server's answer to a request for numbers, kept as a sync keeps it."""
    with sessions.unlock(Path(vault), PASSWORD) as s:
        return Replica(s.store).add_number_block(STATION, YEAR, first, last)


def number_of(vault: str, record_id: str) -> str:
    number: str = cli(vault, "en", "show", record_id, "--json").json()["number"]
    return number


# --- a number from the moment a record is saved ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "marked"),
    [
        ("ar", f"P/{YEAR}/1 (مؤقت)"),
        ("ckb", f"P/{YEAR}/1 (کاتی)"),
        ("en", f"P/{YEAR}/1 (provisional)"),
    ],
)
def test_a_record_saved_in_a_vault_never_enrolled_shows_a_provisional_number(
    vault: str, lang: str, marked: str
) -> None:
    record_id = add(vault, "person", PERSON)
    shown = cli(vault, lang, "show", record_id)
    assert shown.code == 0, shown.err
    assert shown.lines[0].replace("\u2068", "").replace("\u2069", "").startswith(marked)


def test_provisional_numbers_count_up_in_the_order_records_are_saved(vault: str) -> None:
    first = add(vault, "person", PERSON)
    second = add(vault, "household", household())
    assert (number_of(vault, first), number_of(vault, second)) == (f"P/{YEAR}/1", f"P/{YEAR}/2")


def test_a_block_replaces_provisional_numbers_oldest_first(vault: str) -> None:
    first = add(vault, "person", PERSON)
    second = add(vault, "person", PERSON)
    assert receive_block(vault, 41, 60) == 2
    assert number_of(vault, first) == f"{STATION}-{YEAR}-41"
    assert number_of(vault, second) == f"{STATION}-{YEAR}-42"


def test_a_record_saved_while_the_device_holds_a_block_gets_a_real_number_at_once(
    vault: str,
) -> None:
    receive_block(vault, 1, 10)
    assert number_of(vault, add(vault, "person", PERSON)) == f"{STATION}-{YEAR}-1"


@pytest.mark.parametrize("lang", LANGS)
def test_a_replaced_provisional_number_still_opens_its_record(vault: str, lang: str) -> None:
    record_id = add(vault, "person", PERSON)
    receive_block(vault, 7, 9)
    shown = cli(vault, lang, "show", f"p/{YEAR}/1".translate(ARABIC_INDIC))
    assert shown.code == 0, shown.err
    assert translate("presentation.id_label", lang, id=record_id) in shown.lines
    assert f"{STATION}-{YEAR}-7" in shown.lines[0]


def test_a_replaced_provisional_number_is_still_found_by_search(vault: str) -> None:
    record_id = add(vault, "person", PERSON)
    receive_block(vault, 7, 9)
    found = cli(vault, "en", "search", f"P/{YEAR}/1", "--json").json()
    assert [hit["id"] for hit in found] == [record_id]
    assert found[0]["number"] == f"{STATION}-{YEAR}-7"


# --- every command takes the number ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["show", "--json"],
        ["history", "--json"],
        ["files", "--json"],
        ["edit", "--json", json.dumps({"father_name": "كاظم"})],
        ["delete", "--yes"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_command_on_a_record_takes_its_number_in_arabic_indic_digits(
    vault: str, command: list[str]
) -> None:
    receive_block(vault, 170, 180)
    add(vault, "person", PERSON)
    record_id = add(vault, "person", {**PERSON, "first_name": "حسين"})
    typed = f"{STATION}-{YEAR}-171".translate(ARABIC_INDIC)
    result = cli(vault, "ar", command[0], typed, *command[1:])
    assert result.code == 0, result.err
    assert record_id in result.out or command[0] == "files"
    if command[0] == "delete":
        assert cli(vault, "en", "show", record_id, "--json").json()["deleted"] is True
    if command[0] == "edit":
        assert cli(vault, "en", "show", record_id, "--json").json()["fields"]["father_name"] == (
            "كاظم"
        )


@pytest.mark.parametrize(
    ("lang", "digits"),
    [("ar", "٠١٢٣٤٥٦٧٨٩"), ("ckb", "۰۱۲۳۴۵۶۷۸۹"), ("en", "0123456789")],
)
def test_show_takes_a_number_in_the_digits_of_each_language(
    vault: str, lang: str, digits: str
) -> None:
    receive_block(vault, 170, 180)
    record_id = add(vault, "person", PERSON)
    typed = f" {STATION}-{YEAR}-170 ".translate(str.maketrans("0123456789", digits))
    shown = cli(vault, lang, "show", typed)
    assert shown.code == 0, shown.err
    assert translate("presentation.id_label", lang, id=record_id) in shown.lines


def test_attach_takes_a_record_number(vault: str, tmp_path: Path) -> None:
    record_id = add(vault, "person", PERSON)
    photo = tmp_path / "pledge.txt"
    photo.write_bytes(b"signed pledge")
    attached = cli(vault, "en", "attach", f"P/{YEAR}/1", str(photo), "--json")
    assert attached.code == 0, attached.err
    files = cli(vault, "en", "files", record_id, "--json").json()
    assert [f["name"] for f in files] == ["pledge.txt"]


def test_a_command_still_takes_the_record_id(vault: str) -> None:
    record_id = add(vault, "person", PERSON)
    assert cli(vault, "en", "show", record_id, "--json").json()["id"] == record_id


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ar", "لا يوجد سجل"), ("ckb", "هیچ تۆمارێک"), ("en", "No record with the id or number")],
)
def test_a_number_no_record_has_is_refused_naming_what_was_typed(
    vault: str, lang: str, words: str
) -> None:
    add(vault, "person", PERSON)
    result = cli(vault, lang, "show", "B12-٢٠٢٦-٩٩٩")
    assert result.code == 2
    assert words in result.err and "B12-٢٠٢٦-٩٩٩" in result.err
    assert "Traceback" not in result.err


# --- lists lead with the number and the record type --------------------------------------------


@pytest.mark.parametrize(("lang", "label"), [("ar", "شخص"), ("ckb", "کەس"), ("en", "Person")])
def test_list_lines_lead_with_the_number_and_the_record_type(
    vault: str, lang: str, label: str
) -> None:
    receive_block(vault, 176, 176)
    add(vault, "person", PERSON)
    [line] = cli(vault, lang, "list").lines
    assert line.startswith(f"{isolate(f'{STATION}-{YEAR}-176')}  {label}  ")


@pytest.mark.parametrize(("lang", "label"), [("ar", "شخص"), ("ckb", "کەس"), ("en", "Person")])
def test_search_lines_lead_with_the_number_and_the_record_type(
    vault: str, lang: str, label: str
) -> None:
    receive_block(vault, 176, 176)
    add(vault, "person", PERSON)
    [line] = cli(vault, lang, "search", "محمد").lines
    assert line.startswith(f"{isolate(f'{STATION}-{YEAR}-176')}  {label}  ")


def test_show_leads_with_the_number_and_the_record_type(vault: str) -> None:
    receive_block(vault, 176, 176)
    record_id = add(vault, "person", PERSON)
    shown = cli(vault, "en", "show", record_id).lines[0]
    assert shown == f"{isolate(f'{STATION}-{YEAR}-176')}  Person"


def test_list_shows_a_linked_household_by_title_not_by_id(vault: str) -> None:
    home = add(vault, "household", household())
    add(vault, "person", {**PERSON, "household_id": home})
    listed = cli(vault, "en", "list").out
    assert listed.count(home) == 1  # the household's own row ends with its id; no other line
