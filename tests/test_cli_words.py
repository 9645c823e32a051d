# ruff: noqa: F811 (`vault` is the fixture imported from tests.test_cli)
"""Issue 9, section 2: the words that were still English in Arabic mode (the actions and
outcomes of `audit list`, the `id:` label of `show`, field types and versions in `forms`) are
in the reader's language; `--json` keeps the stored words for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.messages import catalog, translate
from fieldapp.store.audit import ACTIONS
from fieldapp.store.replica import ChangeOutcome, Replica
from fieldapp.text import isolate
from tests.drivers.cli import PASSWORD, core_cli, fieldapp_cli
from tests.records import PERSON
from tests.test_cli import add, env, vault  # noqa: F401 (fixtures)

LANGS = ("ar", "ckb", "en")


def newest_audit_row(vault: str, lang: str) -> str:
    result = core_cli("--data-dir", vault, "--lang", lang, "audit", "list", "--limit", "1")
    assert result.code == 0, result.err
    [row] = result.lines
    return row


@pytest.mark.parametrize("lang", LANGS)
def test_audit_list_says_the_action_and_its_outcome_in_the_language(vault: str, lang: str) -> None:
    row = newest_audit_row(vault, lang)  # this run's own unlock
    action, outcome = translate("audit.action.unlock", lang), translate("audit.outcome.ok", lang)
    assert f"  {action}  " in row and row.endswith(f"  {outcome}")


@pytest.mark.parametrize("lang", LANGS)
def test_audit_list_names_a_records_creation_in_the_language(vault: str, lang: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    result = core_cli("--data-dir", vault, "--lang", lang, "audit", "list", "--limit", "2")
    [_, created] = result.lines
    assert f"  {translate('audit.action.create', lang)}  {record_id}  " in created


def test_audit_list_json_keeps_the_stored_action_and_outcome(vault: str) -> None:
    result = core_cli("--data-dir", vault, "audit", "list", "--limit", "1", "--json")
    [entry] = json.loads(result.out)
    assert (entry["action"], entry["outcome"]) == ("unlock", "ok")


def test_every_audit_action_has_its_words_in_the_catalogue() -> None:
    assert sorted(a for a in ACTIONS if f"audit.action.{a}" not in catalog()) == []


@pytest.mark.parametrize("lang", LANGS)
def test_show_labels_the_record_id_in_the_language(vault: str, lang: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    shown = core_cli("--data-dir", vault, "--lang", lang, "show", record_id)
    assert shown.lines[1] == translate("presentation.id_label", lang, id=record_id)


@pytest.mark.parametrize(
    ("lang", "line"),
    [("ar", "household  الإصدار 1  أسرة  (13)"), ("ckb", "household  وەشانی 1  خێزان  (13)"),
     ("en", "household  v1  Household  (13)")],
)  # fmt: skip
def test_forms_gives_each_types_version_in_the_language(lang: str, line: str) -> None:
    assert line in core_cli("--lang", lang, "forms").lines


@pytest.mark.parametrize(
    ("lang", "head"),
    [("ar", f"العمر ({isolate('age')}, عدد صحيح): "),
     ("ckb", f"تەمەن ({isolate('age')}, ژمارەی تەواو): "),
     ("en", f"Age ({isolate('age')}, int): ")],
)  # fmt: skip
def test_forms_type_names_each_fields_type_in_the_language(lang: str, head: str) -> None:
    assert any(line.startswith(head) for line in core_cli("--lang", lang, "forms", "person").lines)


@pytest.mark.parametrize("lang", LANGS)
def test_status_says_why_the_server_refused_a_change_in_the_language(vault: str, lang: str) -> None:
    add(vault, "person", PERSON)
    with sessions.unlock(Path(vault), PASSWORD) as s:  # as a sync would record the server's answer
        replica = Replica(s.store)
        [change] = replica.outbox_batch(10)
        refused = ChangeOutcome(change.change_id, change.record_id, "rejected", reason="invalid")
        replica.apply_results([refused])
    status = fieldapp_cli("--data-dir", vault, "--lang", lang, "status")
    assert status.code == 0, status.err
    assert f": {translate('sync.refusal.invalid', lang)} (" in status.out
