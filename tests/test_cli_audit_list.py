# ruff: noqa: F811 (`vault` is the fixture imported from tests.test_cli)
"""Issue 9, section 6: `audit list` shows the newest entries first, a page at a time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.drivers.cli import CliResult, core_cli
from tests.records import PERSON
from tests.test_cli import add, env, vault  # noqa: F401 (fixtures)

MORE = {
    "en": "Older entries follow: continue with --before",
    "ar": "توجد قيود أقدم: تابع باستخدام",
    "ckb": "تۆماری کۆنتر هەیە: بە",
}


def audit_list(vault: str, *argv: str, lang: str = "en") -> CliResult:
    result = core_cli("--data-dir", vault, "--lang", lang, "audit", "list", *argv)
    assert result.code == 0, result.err
    return result


def entries(vault: str, *argv: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(audit_list(vault, "--json", *argv).out)
    return found


def test_audit_list_shows_the_newest_entry_first(vault: str) -> None:
    add(vault, "person", PERSON)
    seqs = [e["seq"] for e in entries(vault)]
    assert len(seqs) > 2 and seqs == sorted(seqs, reverse=True)


def test_audit_list_limit_shows_only_that_many_of_the_newest(vault: str) -> None:
    for _ in range(3):
        add(vault, "person", PERSON)
    page = entries(vault, "--limit", "2")
    everything = entries(vault)  # this run's unlock is newer than the page
    assert page == [e for e in everything if e["seq"] <= page[0]["seq"]][:2]
    assert page[0]["seq"] > everything[-1]["seq"] + 2


def test_before_continues_with_the_next_older_page(vault: str) -> None:
    for _ in range(3):
        add(vault, "person", PERSON)
    first = entries(vault, "--limit", "2")
    second = entries(vault, "--limit", "2", "--before", str(first[-1]["seq"]))
    assert [e["seq"] for e in second] == [first[-1]["seq"] - 1, first[-1]["seq"] - 2]


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_a_cut_page_says_how_to_continue_in_the_language(vault: str, lang: str) -> None:
    add(vault, "person", PERSON)
    result = audit_list(vault, "--limit", "1", lang=lang)
    assert len(result.lines) == 1
    assert MORE[lang] in result.err
    assert result.lines[0].split()[0] in result.err  # the seq to continue before


def test_a_page_that_reaches_the_oldest_entry_says_nothing_more(vault: str) -> None:
    result = audit_list(vault, "--limit", "500")
    assert result.err == ""


def test_audit_list_limit_below_one_is_refused(vault: str) -> None:
    result = core_cli("--data-dir", vault, "audit", "list", "--limit", "0")
    assert result.code == 2
