"""fieldapp-cli as station scripts use it: the fixed command forms, their output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp.forms.definitions import load_forms
from fieldapp.text import isolate
from tests.drivers.cli import (
    PASSWORD,
    CliResult,
    cli_environment,
    core_cli,
    use_device_environment,
)
from tests.records import PERSON, household


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    use_device_environment(monkeypatch, lang=None)


@pytest.fixture
def vault(tmp_path: Path, env: None) -> Iterator[str]:
    data_dir = str(tmp_path / "vault")
    result = core_cli("--data-dir", data_dir, "init", "--officer", "ali.h", "--station", "B12")
    assert result.code == 0, result.err
    yield data_dir


def expire_backoff(vault: str) -> None:
    """Let the short post-failure delay pass without sleeping: age recorded failures by 60 s."""
    state = Path(vault, "unlock_state.json")
    data = json.loads(state.read_text())
    data["failures"] = [t - 60 for t in data["failures"]]
    state.write_text(json.dumps(data))


def add(vault: str, kind: str, fields: object) -> CliResult:
    return core_cli("--data-dir", vault, "add", kind, "--json", json.dumps(fields))


def test_init_prints_the_vault_id_and_refuses_a_second_vault(vault: str) -> None:
    assert len(json.loads(Path(vault, "header.json").read_text())["vault_id"]) == 32
    again = core_cli("--data-dir", vault, "init")
    assert again.code == 2 and again.out == ""


def test_add_prints_the_new_id_and_show_returns_the_record(vault: str) -> None:
    added = add(vault, "person", {**PERSON, "age": "٣٤", "national_id": "١٩٨٥٠٣١٢٠٠٤٥"})
    assert added.code == 0, added.err
    [record_id] = added.lines
    shown = core_cli("--data-dir", vault, "show", record_id, "--json")
    record = json.loads(shown.out)
    assert record["id"] == record_id and record["type"] == "person"
    assert record["fields"]["age"] == 34 and record["fields"]["national_id"] == "198503120045"
    assert record["created_by"] == "ali.h" and record["station_id"] == "B12"


def test_show_without_json_labels_fields_in_the_chosen_language(vault: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    arabic = core_cli("--data-dir", vault, "show", record_id).out
    english = core_cli("--data-dir", vault, "--lang", "en", "show", record_id).out
    assert f"اسم الأب: {isolate('جاسم')}" in arabic and isolate("ذكر") in arabic
    assert "Father" in english and "Male" in english


def test_add_reads_stdin_and_an_array_adds_all_in_one_go(vault: str) -> None:
    people = [{**PERSON, "first_name": name} for name in ("علي", "حسين", "زينب")]
    people[2]["sex"] = "female"
    result = core_cli("--data-dir", vault, "add", "person", "--json", "-", stdin=json.dumps(people))
    assert result.code == 0, result.err
    assert len(result.lines) == 3
    listed = json.loads(core_cli("--data-dir", vault, "list", "--json").out)
    assert sorted(r["fields"]["first_name"] for r in listed) == ["حسين", "زينب", "علي"]


def test_a_bad_item_in_an_array_adds_nothing_and_names_each_problem(vault: str) -> None:
    batch = [PERSON, {**PERSON, "national_id": "12"}, {**PERSON, "sex": "other", "bogus": 1}]
    result = add(vault, "person", batch)
    assert result.code == 2 and result.out == ""
    person = load_forms().get("person")
    national_id, sex = person.field("national_id").label("ar"), person.field("sex").label("ar")
    heading, *lines = result.err.splitlines()
    assert heading == "يرجى تصحيح ٣ حقول:"  # counted: three fields
    assert lines[0].startswith(f"السجل ٢: {national_id}: ")  # people count records from 1
    assert any(line.startswith(f"السجل ٣: {sex}: ") for line in lines)
    assert any(line.startswith(f"السجل ٣: {isolate('bogus')}: ") for line in lines)
    assert json.loads(core_cli("--data-dir", vault, "list", "--json").out) == []


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ("{not json", "JSON"),
        ("[]", "JSON"),
        ('"a string"', "JSON"),
        (
            '{"first_name": "x\\u202eevil", "father_name": "a", "grandfather_name": "b",'
            ' "sex": "male", "age": 3}',
            "First name",
        ),
        (
            '{"first_name": "' + "ا" * 5000 + '", "father_name": "a", "grandfather_name": "b",'
            ' "sex": "male", "age": 3}',
            "First name",
        ),
    ],
)
def test_bad_input_is_exit_2_with_a_message_and_no_traceback(
    vault: str, payload: str, needle: str
) -> None:
    result = core_cli("--data-dir", vault, "--lang", "en", "add", "person", "--json", payload)
    assert result.code == 2
    assert needle in result.err and "Traceback" not in result.err


def test_unknown_type_is_a_clear_error(vault: str) -> None:
    result = core_cli("--data-dir", vault, "--lang", "en", "add", "lecture", "--json", "{}")
    assert result.code == 2 and "lecture" in result.err


def test_edit_changes_fields_and_delete_hides_the_record(vault: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    edited = core_cli("--data-dir", vault, "edit", record_id, "--json", '{"first_name": "عمر"}')
    assert edited.code == 0 and edited.lines == [record_id]
    shown = json.loads(core_cli("--data-dir", vault, "show", record_id, "--json").out)
    assert shown["fields"]["first_name"] == "عمر"
    assert core_cli("--data-dir", vault, "delete", record_id, "--yes").code == 0
    assert json.loads(core_cli("--data-dir", vault, "list", "--json").out) == []
    history = json.loads(core_cli("--data-dir", vault, "history", record_id, "--json").out)
    assert [h["deleted"] for h in history] == [False, False, True]


def test_edit_of_an_unknown_id_is_exit_2(vault: str) -> None:
    result = core_cli("--data-dir", vault, "edit", "no-such-id", "--json", '{"age": 3}')
    assert result.code == 2 and "no-such-id" in result.err


def test_list_filters_by_type(vault: str) -> None:
    add(vault, "person", PERSON)
    add(vault, "household", household())
    listed = json.loads(core_cli("--data-dir", vault, "list", "--type", "household", "--json").out)
    assert [r["type"] for r in listed] == ["household"]
    plain = core_cli("--data-dir", vault, "list").lines
    assert len(plain) == 2


def test_search_finds_variants_ranked_with_original_spelling(vault: str) -> None:
    [hit] = add(vault, "person", {**PERSON, "first_name": "عبد الله", "surname": "الجبوري"}).lines
    add(vault, "person", {**PERSON, "first_name": "مصطفى"})
    for query in ("عبدالله", "جبوري", "عبد الله الجبوري"):
        found = json.loads(core_cli("--data-dir", vault, "search", query, "--json").out)
        assert [r["id"] for r in found] == [hit], query
        assert found[0]["fields"]["first_name"] == "عبد الله"
        assert isinstance(found[0]["rank"], float)


def test_wrong_password_is_exit_3_and_repeated_failures_back_off(
    vault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIELDAPP_PASSWORD", "not-the-password")
    first = core_cli("--data-dir", vault, "--lang", "en", "list")
    assert first.code == 3 and "password" in first.err.lower()
    second = core_cli("--data-dir", vault, "--lang", "en", "list")
    assert second.code == 3 and "wait" in second.err.lower()
    monkeypatch.setenv("FIELDAPP_PASSWORD", PASSWORD)
    # the right password is also refused while the backoff lasts; nothing is read
    assert core_cli("--data-dir", vault, "list").code == 3


def test_failed_unlocks_reach_the_audit_log_at_the_next_unlock(
    vault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIELDAPP_PASSWORD", "not-the-password")
    assert core_cli("--data-dir", vault, "list").code == 3
    expire_backoff(vault)
    monkeypatch.setenv("FIELDAPP_PASSWORD", PASSWORD)
    entries = json.loads(core_cli("--data-dir", vault, "audit", "list", "--json").out)
    actions = [(e["action"], e["outcome"]) for e in entries]
    assert ("unlock_failed", "denied") in actions
    assert actions.index(("unlock_failed", "denied")) > 0  # newest first: the unlock came after


def test_missing_password_without_a_terminal_is_exit_3(
    vault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FIELDAPP_PASSWORD")
    result = core_cli("--data-dir", vault, "--lang", "en", "list", stdin="")
    assert result.code == 3 and "FIELDAPP_PASSWORD" in result.err


def test_audit_verify_reports_intact_log(vault: str) -> None:
    add(vault, "person", PERSON)
    result = core_cli("--data-dir", vault, "--lang", "en", "audit", "verify")
    assert result.code == 0 and "intact" in result.out


def test_audit_verify_detects_a_tampered_entry(vault: str) -> None:
    from fieldapp import session

    add(vault, "person", PERSON)
    with session.unlock(Path(vault), PASSWORD) as s:
        conn = s.vault.connection
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")
    result = core_cli("--data-dir", vault, "--lang", "en", "audit", "verify")
    assert result.code == 4 and "entry 2" in result.err


def test_passwd_rewraps_the_key(vault: str, monkeypatch: pytest.MonkeyPatch) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    db_before = Path(vault, "vault.db").stat().st_size
    monkeypatch.setenv("FIELDAPP_NEW_PASSWORD", "another long password")
    assert core_cli("--data-dir", vault, "passwd").code == 0
    monkeypatch.delenv("FIELDAPP_NEW_PASSWORD")
    assert core_cli("--data-dir", vault, "show", record_id).code == 3  # old one refused
    expire_backoff(vault)
    monkeypatch.setenv("FIELDAPP_PASSWORD", "another long password")
    assert core_cli("--data-dir", vault, "show", record_id).code == 0
    assert Path(vault, "vault.db").stat().st_size >= db_before


def test_passwd_refuses_a_short_new_password(vault: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDAPP_NEW_PASSWORD", "short")
    result = core_cli("--data-dir", vault, "passwd")
    assert result.code == 2
    assert core_cli("--data-dir", vault, "list").code == 0  # the old password still works


def test_export_writes_only_the_named_file_and_is_audited(vault: str, tmp_path: Path) -> None:
    add(vault, "person", PERSON)
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    assert core_cli("--data-dir", vault, "export", "--out", str(target)).code == 0
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported[0]["fields"]["first_name"] == "محمد"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    entries = json.loads(core_cli("--data-dir", vault, "audit", "list", "--json").out)
    assert any(e["action"] == "export" and e["details"]["count"] == 1 for e in entries)


def test_forms_lists_every_record_type() -> None:
    forms = load_forms()
    result = core_cli("forms", "--json")
    assert {form["type"] for form in json.loads(result.out)} == set(forms.types())
    listed = core_cli("forms").out
    for form in forms:
        assert form.label("ar") in listed, form.type


def test_check_runs_the_full_integrity_check(vault: str) -> None:
    add(vault, "person", PERSON)
    result = core_cli("--data-dir", vault, "--lang", "en", "check")
    assert result.code == 0 and "intact" in result.out.lower()


def test_the_console_script_exits_with_codes_and_never_a_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("fieldapp-cli")
    environment = cli_environment()
    data_dir = str(tmp_path / "v")

    def call(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *argv],
            env=environment,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )

    assert call("--data-dir", data_dir, "init").returncode == 0
    bad = call("--data-dir", data_dir, "add", "person", "--json", "{oops")
    assert bad.returncode == 2 and "JSON" in bad.stderr and "Traceback" not in bad.stderr
    usage = call("--data-dir", data_dir, "frobnicate")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    missing = call("--data-dir", str(tmp_path / "nowhere"), "list")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_station_recovery_key_sets_a_new_password(
    tmp_path: Path, env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    private, public = tmp_path / "station.key", tmp_path / "station.pub"
    keygen = core_cli("recovery-keygen", "--private-out", str(private), "--public-out", str(public))
    assert keygen.code == 0 and len(keygen.out.strip()) == 64
    assert oct(private.stat().st_mode & 0o777) == "0o600"
    data_dir = str(tmp_path / "vault")
    assert core_cli("--data-dir", data_dir, "init", "--recovery-key", str(public)).code == 0
    [record_id] = add(data_dir, "person", PERSON).lines
    # the officer forgot the password: the station sets a new one with its private key
    monkeypatch.setenv("FIELDAPP_NEW_PASSWORD", "a brand new password")
    assert core_cli("--data-dir", data_dir, "recover", "--private-key", str(private)).code == 0
    monkeypatch.setenv("FIELDAPP_PASSWORD", "a brand new password")
    assert (
        json.loads(core_cli("--data-dir", data_dir, "show", record_id, "--json").out)["id"]
        == record_id
    )
    entries = json.loads(core_cli("--data-dir", data_dir, "audit", "list", "--json").out)
    assert "recovered" in [e["action"] for e in entries]
    # a key that is not the station's is refused, and key files are never overwritten
    other_private, other_public = tmp_path / "other.key", tmp_path / "other.pub"
    core_cli(
        "recovery-keygen",
        "--private-out",
        str(other_private),
        "--public-out",
        str(other_public),
    )
    assert (
        core_cli("--data-dir", data_dir, "recover", "--private-key", str(other_private)).code == 3
    )
    again = core_cli("recovery-keygen", "--private-out", str(private), "--public-out", str(public))
    assert again.code == 2
    broken = tmp_path / "broken.pub"
    broken.write_text("not base64!")
    bad = core_cli("--data-dir", str(tmp_path / "v2"), "init", "--recovery-key", str(broken))
    assert bad.code == 2 and "broken.pub" in bad.err


# --- hostile input on the device (issue 8, section 2) ---------------------------------------------


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ('{"age": ' + "9" * 5001 + "}", "too large"),
        ('{"age": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"age": ' + "[" * 70 + "]" * 70 + "}", "nested too deeply"),
        ('{"age": 99999999999999999999}', "too large"),
    ],
    ids=["5001-digit integer", "100000-deep nesting", "70-deep nesting", "20-digit integer"],
)
def test_json_beyond_the_parsers_bounds_is_exit_2_with_a_clear_message(
    vault: str, payload: str, needle: str
) -> None:
    for command in ("add", "edit"):
        target = ["person"] if command == "add" else ["0" * 36]
        result = core_cli("--data-dir", vault, "--lang", "en", command, *target, "--json", payload)
        assert result.code == 2, (command, result.err)
        assert needle in result.err and "Internal error" not in result.err


def test_an_unlock_state_that_is_a_folder_is_a_clear_message_not_an_internal_error(
    vault: str,
) -> None:
    state = Path(vault, "unlock_state.json")
    state.unlink(missing_ok=True)
    state.mkdir()
    result = core_cli("--data-dir", vault, "--lang", "en", "list")
    assert result.code == 2
    assert "unlock_state.json" in result.err and "is a folder" in result.err
    assert "Internal error" not in result.err
