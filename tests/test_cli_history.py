# ruff: noqa: F811 (`vault` is the fixture imported from tests.test_cli)
"""Issue 9, section 3: `history` shows what each revision changed (label, old and new value, in
the person's language), who made it, when, on which device, and a merge or a conflict as such."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldapp import session as sessions
from fieldapp.numerals import default_digits, in_digits
from fieldapp.store.replica import Replica, ServerHead
from fieldapp.text import isolate
from tests.drivers.cli import PASSWORD, core_cli
from tests.records import PERSON
from tests.test_cli import add, env, vault  # noqa: F401 (fixtures)

SERVER_PERSON = "0190f0aa-0000-7000-8000-0000000000c1"
PHONE = "0190f0aa-0000-7000-8000-00000000d001"

# What a person reads in each language: the labels of the form and the words of history.
WORDS = {
    "en": {"sex": "Sex", "male": "Male", "female": "Female", "changed": "changed by",
           "here": "this device", "deleted": "deleted by"},
    "ar": {"sex": "الجنس", "male": "ذكر", "female": "أنثى", "changed": "عدّله",
           "here": "هذا الجهاز", "deleted": "حذفه"},
    "ckb": {"sex": "ڕەگەز", "male": "نێر", "female": "مێ", "changed": "گۆڕانکاری کرد",
            "here": "ئەم ئامێرە", "deleted": "سڕییەوە"},
}  # fmt: skip


def history(vault: str, record_id: str, lang: str) -> list[str]:
    result = core_cli("--data-dir", vault, "--lang", lang, "history", record_id)
    assert result.code == 0, result.err
    return result.lines


def pull(vault: str, **extra: Any) -> None:
    """One server head applied as `fieldapp-cli sync` applies it."""
    values: dict[str, Any] = {
        "record_id": SERVER_PERSON,
        "record_type": "person",
        "form_version": 1,
        "station": "B12",
        "rev": 1,
        "seq": 1,
        "deleted": False,
        "fields": PERSON,
        "created_by": "sara.k",
        "updated_at": "2026-11-20T10:00:00+00:00",
    }
    values.update(extra)
    with sessions.unlock(Path(vault), PASSWORD) as s:
        Replica(s.store).apply_pull([ServerHead(**values)], values["seq"])


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_an_edit_shows_the_field_label_with_old_and_new_value_in_the_language(
    vault: str, lang: str
) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    core_cli("--data-dir", vault, "edit", record_id, "--json", '{"sex": "female"}')
    words = WORDS[lang]
    lines = history(vault, record_id, lang)
    edit_at = next(i for i, line in enumerate(lines) if words["changed"] in line)
    assert "ali.h" in lines[edit_at] and words["here"] in lines[edit_at]
    assert lines[edit_at + 1 :] == [
        f"  {words['sex']}: {isolate(words['male'])} → {isolate(words['female'])}"
    ]


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_a_delete_reads_as_deleted_by_the_officer(vault: str, lang: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    assert core_cli("--data-dir", vault, "delete", record_id, "--yes").code == 0
    last = history(vault, record_id, lang)[-1]
    assert WORDS[lang]["deleted"] in last and "ali.h" in last


def test_the_first_revision_lists_every_field_entered(vault: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    lines = history(vault, record_id, "en")
    assert "created by" in lines[0] and "ali.h" in lines[0]
    assert f"  First name: - → {isolate('محمد')}" in lines
    assert f"  Age: - → {isolate('34')}" in lines


def test_each_revision_says_when_it_was_made(vault: str) -> None:
    pull(vault)
    [line] = [x for x in history(vault, SERVER_PERSON, "en") if "rev 1" in x]
    assert line.startswith(isolate("20 November 2026, 13:00"))  # Baghdad time


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "merged by the server"),
        ("ar", "دمجها الخادم"),
        ("ckb", "سێرڤەر تێکەڵی کرد"),
    ],
)
def test_a_pulled_merge_reads_as_a_merge_by_the_officer_on_their_device(
    vault: str, lang: str, words: str
) -> None:
    pull(vault, created_by="sara.k")
    pull(
        vault,
        rev=2,
        seq=2,
        fields={**PERSON, "age": 35},
        changed_by="omar.j",
        changed_on=PHONE,
        change_status="merged",
    )
    lines = history(vault, SERVER_PERSON, lang)
    merge_at = next(i for i, line in enumerate(lines) if words in line)
    assert "omar.j" in lines[merge_at] and PHONE in lines[merge_at]
    digits = default_digits(lang)
    was, now = in_digits("34", digits), in_digits("35", digits)
    assert lines[merge_at + 1].endswith(f"{isolate(was)} → {isolate(now)}")


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "conflict:"), ("ar", "تعارض:"), ("ckb", "ناکۆکی:")],
)
def test_a_pulled_conflict_reads_as_a_conflict(vault: str, lang: str, words: str) -> None:
    pull(vault)
    pull(vault, rev=2, seq=2, fields={**PERSON, "age": 36}, changed_by="omar.j",
         changed_on=PHONE, change_status="conflict")  # fmt: skip
    last_revision = [line for line in history(vault, SERVER_PERSON, lang) if "omar.j" in line]
    assert len(last_revision) == 1 and words in last_revision[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "the server (it did not say who)"),
        ("ar", "الخادم (لم يذكر من قام به)"),
        ("ckb", "سێرڤەر (نەیگوت کێ)"),
    ],
)
def test_a_pulled_revision_whose_maker_the_server_did_not_send_is_credited_to_the_server(
    vault: str, lang: str, words: str
) -> None:
    pull(vault)
    [first] = [line for line in history(vault, SERVER_PERSON, lang) if isolate(words) in line]
    assert "sara.k" not in first


def test_history_json_keeps_its_keys_and_adds_the_changes(vault: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    core_cli("--data-dir", vault, "edit", record_id, "--json", '{"age": 35}')
    result = core_cli("--data-dir", vault, "--lang", "en", "history", record_id, "--json")
    revisions = json.loads(result.out)
    old_keys = {"record_id", "local_seq", "rev", "base_rev", "deleted", "fields", "author", "at",
                "origin", "change_id"}  # fmt: skip
    assert all(old_keys <= set(r) for r in revisions)
    assert revisions[-1]["changes"] == [{"field": "age", "label": "Age", "old": 34, "new": 35}]
    assert revisions[-1]["kind"] == "edited"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "stored on the server"),
        ("ar", "حُفظ على الخادم"),
        ("ckb", "لەسەر سێرڤەر پاشەکەوت کرا"),
    ],
)
def test_the_servers_copy_of_a_change_made_here_reads_as_stored_not_as_an_edit(
    vault: str, lang: str, words: str
) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    pull(vault, record_id=record_id, changed_by="ali.h", changed_on=PHONE, change_status="applied")
    lines = history(vault, record_id, lang)
    assert words in lines[-1]
    assert not lines[-1].startswith(" ") and len([x for x in lines if words in x]) == 1
