# ruff: noqa: F811 (`vault` is the fixture imported from tests.test_cli)
"""Issue 8, section 7 on the device: exports, input and limits whose messages name the real
cause, no plaintext export into the vault folder, no overwrite without --force, birth dates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.forms.definitions import FormDefinitionError, default_forms_dir, load_forms
from tests.drivers.cli import PASSWORD, CliResult, core_cli
from tests.records import PERSON
from tests.test_cli import add, env, vault  # noqa: F401 (fixtures)


def cli(capsys: pytest.CaptureFixture[str], vault: str, *argv: str) -> CliResult:
    return core_cli("--data-dir", vault, "--lang", "en", *argv)


# --- section 7: messages naming the real cause ------------------------------------------------


def test_export_to_a_folder_says_it_is_a_folder_not_that_the_disk_is_full(
    vault: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    result = cli(capsys, vault, "export", "--out", str(folder))
    assert result.code == 2
    assert "is a folder" in result.err and "disk is full" not in result.err


def test_export_into_a_missing_folder_names_the_folder(
    vault: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = cli(capsys, vault, "export", "--out", str(tmp_path / "nowhere" / "x.json"))
    assert result.code == 2
    assert f"{tmp_path / 'nowhere'} does not exist" in result.err


def test_a_plaintext_export_into_the_vault_folder_is_refused(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add(vault, "person", PERSON)
    target = Path(vault, "records.json")
    result = cli(capsys, vault, "export", "--out", str(target))
    assert result.code == 2
    assert "inside the vault folder" in result.err
    assert not target.exists()


def test_export_never_overwrites_a_file_without_force(
    vault: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add(vault, "person", PERSON)
    target = tmp_path / "records.json"
    target.write_text("keep me")
    refused = cli(capsys, vault, "export", "--out", str(target))
    assert refused.code == 2 and "--force" in refused.err
    assert target.read_text() == "keep me"
    forced = cli(capsys, vault, "export", "--out", str(target), "--force")
    assert forced.code == 0, forced.err
    assert json.loads(target.read_text())[0]["fields"]["first_name"] == "محمد"


def test_a_write_refused_by_permissions_says_so(tmp_path: Path) -> None:
    from fieldapp.atomic import atomic_write
    from fieldapp.errors import StorageFull

    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    if os.access(folder, os.W_OK):
        pytest.skip("running as root: permissions do not refuse")
    with pytest.raises(StorageFull) as caught:
        atomic_write(folder / "x.json", b"{}")
    assert "Not allowed to write" in caught.value.message("en")


def test_an_atomic_write_onto_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    from fieldapp.atomic import atomic_write
    from fieldapp.errors import StorageFull

    (tmp_path / "target").mkdir()
    with pytest.raises(StorageFull) as caught:
        atomic_write(tmp_path / "target", b"{}")
    assert caught.value.message("en").startswith(f"{tmp_path / 'target'} is a folder")
    assert [p.name for p in tmp_path.iterdir()] == ["target"]  # no temporary file left


def test_non_utf8_input_is_reported_as_such(vault: str, tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "FIELDAPP_PASSWORD": PASSWORD,
        "FIELDAPP_KDF_PROFILE": sessions.TEST_KDF_PROFILE,
    }
    argv = ["--data-dir", vault, "--lang", "en", "add", "person", "--json", "-"]
    done = subprocess.run(
        [sys.executable, "-m", "fieldapp.cli.app", *argv],
        input=b'{"first_name": "\xff"}',
        capture_output=True,
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    err = done.stderr.decode()
    assert done.returncode == 2
    assert "not UTF-8" in err and "U+DCFF" not in err


def test_an_overlong_value_reports_the_fields_own_limit(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys, vault, "add", "person", "--json", json.dumps({**PERSON, "first_name": "a" * 10_001})
    )
    assert result.code == 2
    assert "at most 60 characters" in result.err and "10000" not in result.err


def test_a_birth_date_before_1900_is_refused(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fields = json.dumps({**PERSON, "birth_date": "0001-01-01"})
    result = cli(capsys, vault, "add", "person", "--json", fields, "--json-errors")
    assert result.code == 2
    [error] = json.loads(result.err)["errors"]
    assert (error["field"], error["rule"]) == ("birth_date", "date_too_early")
    assert "1900-01-01" in error["message"]


def test_a_birth_date_in_1900_is_accepted(vault: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = add(vault, "person", {**PERSON, "birth_date": "1900-01-01"})
    assert result.code == 0, result.err


@pytest.mark.parametrize("bad", ["1900-13-01", "01/01/1900", 1900])
def test_a_form_whose_not_before_is_not_a_date_is_refused_at_load(
    tmp_path: Path, bad: object
) -> None:
    folder = tmp_path / "forms"
    shutil.copytree(default_forms_dir(), folder)
    path = folder / "person.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    next(f for f in data["fields"] if f["key"] == "birth_date")["not_before"] = bad
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_forms(folder)
    assert "not_before: must be a date written YYYY-MM-DD" in caught.value.problem
