"""Issue 9, section 6: the vault lives in the platform's per-user data folder unless
FIELDAPP_DATA_DIR or --data-dir says otherwise (the option wins), the first `init` makes that
folder private, errors name the folder used, and the program's options work before or after the
command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldapp.data_folder import default_data_dir
from fieldapp.messages import translate
from tests.drivers.cli import CliResult, core_cli, fieldapp_cli, use_device_environment
from tests.records import PERSON

LANGS = ["ar", "ckb", "en"]
PERSON_LABEL = {"ar": "شخص", "en": "Person"}


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The officer's language (FIELDAPP_LANG), with the password and the cheap test KDF."""
    language: str = request.param
    use_device_environment(monkeypatch, lang=language)
    return language


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder (XDG_DATA_HOME) for this test; FIELDAPP_DATA_DIR unset."""
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.delenv("FIELDAPP_DATA_DIR", raising=False)
    return folder


def init(*options: str) -> CliResult:
    result = core_cli(*options, "init", "--officer", "ali.h", "--station", "B12")
    assert result.code == 0, result.err
    return result


def listed_ids(*options: str) -> list[str]:
    result = core_cli(*options, "list", "--json")
    assert result.code == 0, result.err
    return [row["id"] for row in result.json()]


def test_without_option_or_variable_init_makes_the_vault_in_the_users_data_folder(
    lang: str, xdg: Path
) -> None:
    created = init()
    folder = xdg / "fieldapp"
    assert translate("cli.vault_created_in", lang, path=str(folder)) in created.err
    assert (folder / "header.json").is_file()
    assert folder.stat().st_mode & 0o777 == 0o700


def test_without_option_or_variable_every_command_uses_the_users_data_folder(
    lang: str, xdg: Path
) -> None:
    init()
    added = core_cli("add", "person", "--json", json.dumps(PERSON))
    assert added.code == 0, added.err
    assert len(listed_ids()) == 1
    assert listed_ids("--data-dir", str(xdg / "fieldapp")) == listed_ids()


def test_without_xdg_data_home_the_vault_goes_under_home(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("FIELDAPP_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    init()
    assert (tmp_path / ".local" / "share" / "fieldapp" / "header.json").is_file()


def test_fieldapp_data_dir_names_the_vault_folder(
    lang: str, xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    station = tmp_path / "station-vault"
    monkeypatch.setenv("FIELDAPP_DATA_DIR", str(station))
    init()
    assert (station / "header.json").is_file()
    assert not (xdg / "fieldapp").exists()
    assert listed_ids() == []


def test_the_data_dir_option_wins_over_the_variable(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variable, option = tmp_path / "from-variable", tmp_path / "from-option"
    monkeypatch.setenv("FIELDAPP_DATA_DIR", str(variable))
    init("--data-dir", str(option))
    assert (option / "header.json").is_file()
    assert not variable.exists()


def test_a_folder_without_a_vault_is_named_in_the_error(lang: str, xdg: Path) -> None:
    result = core_cli("list")
    folder = xdg / "fieldapp"
    assert result.code == 2
    assert result.err == translate("cli.no_vault_in", lang, path=str(folder)) + "\n"
    assert not folder.exists()  # looking for a vault makes no folder


def test_init_where_a_vault_is_names_the_folder(lang: str, xdg: Path) -> None:
    init()
    again = core_cli("init")
    assert again.code == 2
    folder = xdg / "fieldapp"
    assert translate("cli.vault_exists_in", lang, path=str(folder)) in again.err


def test_init_in_a_folder_holding_other_files_names_it(lang: str, tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"jpeg")
    result = core_cli("init", "--data-dir", str(tmp_path / "photos"))
    assert result.code == 2
    expected = translate("cli.folder_not_empty_in", lang, path=str(tmp_path / "photos"))
    assert expected in result.err


def test_the_programs_options_work_after_the_command(lang: str, tmp_path: Path) -> None:
    vault = str(tmp_path / "vault")
    init("--data-dir", vault)
    core_cli("--data-dir", vault, "add", "person", "--json", json.dumps(PERSON))
    other = "ar" if lang == "en" else "en"  # not FIELDAPP_LANG: the option must be read
    after = core_cli("list", "--lang", other, "--data-dir", vault)
    assert after.code == 0, after.err
    assert f"  {PERSON_LABEL[other]}  " in after.out
    assert after.out == core_cli("--lang", other, "--data-dir", vault, "list").out


def test_the_programs_options_work_after_a_subcommand(lang: str, tmp_path: Path) -> None:
    vault = str(tmp_path / "vault")
    init("--data-dir", vault)
    result = core_cli("audit", "verify", "--data-dir", vault, "--lang", "en")
    assert result.code == 0, result.err
    assert result.out == translate("cli.audit_ok", "en", count=2) + "\n"


def test_the_sync_commands_take_the_programs_options_after_the_command(
    lang: str, tmp_path: Path
) -> None:
    vault = str(tmp_path / "vault")
    init("--data-dir", vault)
    result = fieldapp_cli("status", "--data-dir", vault, "--lang", "en")
    assert result.code == 0, result.err
    assert result.lines[0] == translate("sync.status_not_enrolled", "en")


def test_an_option_given_before_and_after_the_command_is_taken_from_after(
    lang: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing"
    result = core_cli(
        "--lang", "en", "--data-dir", str(tmp_path), "list", "--data-dir", str(missing)
    )
    assert result.err == translate("cli.no_vault_in", "en", path=str(missing)) + "\n"


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"XDG_DATA_HOME": "/data/ali"}, "/data/ali/fieldapp"),
        ("linux", {}, "/home/ali/.local/share/fieldapp"),
        ("linux", {"XDG_DATA_HOME": "relative/path"}, "/home/ali/.local/share/fieldapp"),
        (
            "win32",
            {"LOCALAPPDATA": "/users/ali/AppData/Local"},
            "/users/ali/AppData/Local/fieldapp",
        ),
        ("win32", {}, "/home/ali/AppData/Local/fieldapp"),
        (
            "darwin",
            {"XDG_DATA_HOME": "/data/ali"},
            "/home/ali/Library/Application Support/fieldapp",
        ),
    ],
)
def test_the_default_folder_is_the_platforms_per_user_application_data_folder(
    platform: str, environ: dict[str, str], expected: str
) -> None:
    folder = default_data_dir(platform=platform, environ=environ, home=Path("/home/ali"))
    assert folder == Path(expected)
