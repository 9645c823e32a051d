# ruff: noqa: F811 (`vault` is the fixture imported from tests.test_cli)
"""Issue 9, section 6: `delete` asks for confirmation on a terminal, is refused to a script
without --yes, and says which records refer to the one being deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.drivers.cli import CliResult, cli_environment, core_cli
from tests.records import PERSON, home_visit, household
from tests.test_cli import add, env, vault  # noqa: F401 (fixtures)

NEEDS_YES = {
    "en": "Add --yes to delete",
    "ar": "أضف --yes لحذف",
    "ckb": "--yes زیاد بکە بۆ سڕینەوەی",
}
REFERRED = {
    "en": "1 record(s) refer to the one being deleted:",
    "ar": "سجلات تشير إلى السجل المراد حذفه (العدد: 1):",
    "ckb": "تۆمارگەلێک ئاماژە بەو تۆمارە دەکەن کە دەسڕدرێتەوە (ژمارە: 1):",
}


def listed_ids(vault: str) -> list[str]:
    return [r["id"] for r in json.loads(core_cli("--data-dir", vault, "list", "--json").out)]


def delete_on_a_terminal(vault: str, answer: str, lang: str = "en") -> CliResult:
    """`fieldapp-cli delete` with its stdin on a pseudo-terminal, answering `answer`."""
    [record_id] = add(vault, "person", PERSON).lines
    main, child = os.openpty()
    os.write(main, (answer + "\n").encode())
    proc = subprocess.run(
        [sys.executable, "-m", "fieldapp.cli.app", "--data-dir", vault, "--lang", lang,
         "delete", record_id],
        stdin=child, capture_output=True, text=True, env=cli_environment(), timeout=120,
    )  # fmt: skip
    os.close(child)
    os.close(main)
    assert "Traceback" not in proc.stderr, proc.stderr
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_delete_from_a_script_without_yes_is_refused_and_says_to_add_yes(
    vault: str, lang: str
) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    result = core_cli("--data-dir", vault, "--lang", lang, "delete", record_id)
    assert result.code == 2 and result.out == ""
    assert NEEDS_YES[lang] in result.err
    assert listed_ids(vault) == [record_id]


def test_delete_with_yes_deletes_without_asking(vault: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    result = core_cli("--data-dir", vault, "delete", record_id, "--yes")
    assert result.code == 0 and result.lines == [record_id]
    assert listed_ids(vault) == []


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_delete_names_the_records_that_refer_to_it(vault: str, lang: str) -> None:
    [home] = add(vault, "household", household()).lines
    [visit] = add(vault, "home_visit", home_visit(household_id=home)).lines
    result = core_cli("--data-dir", vault, "--lang", lang, "delete", home, "--yes")
    assert result.code == 0, result.err
    assert REFERRED[lang] in result.err
    assert visit in result.err


def test_delete_of_a_record_nothing_refers_to_names_none(vault: str) -> None:
    [home] = add(vault, "household", household()).lines
    add(vault, "home_visit", home_visit())
    result = core_cli("--data-dir", vault, "--lang", "en", "delete", home, "--yes")
    assert result.code == 0 and result.err == ""


@pytest.mark.parametrize(("lang", "answer"), [("en", "y"), ("ar", "نعم"), ("ckb", "بەڵێ")])
def test_delete_on_a_terminal_deletes_after_yes(vault: str, lang: str, answer: str) -> None:
    result = delete_on_a_terminal(vault, answer, lang)
    assert result.code == 0, result.err
    assert listed_ids(vault) == []


def test_delete_on_a_terminal_keeps_the_record_on_any_other_answer(vault: str) -> None:
    result = delete_on_a_terminal(vault, "n")
    assert result.code == 1 and "Not deleted." in result.err
    assert "[y/N]" in result.err
    assert len(listed_ids(vault)) == 1
