"""Every command line in the README's code blocks runs as written and shows what the README says
it shows: the fieldapp-cli blocks in a vault in a test's own data folder (XDG_DATA_HOME), the
fieldapp-server blocks on a test's server folder, served on a free loopback port, with the
officer's laptop enrolled in it."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

from sync.server import cli as server_program
from tests.drivers.cli import CliResult, fieldapp_cli, use_device_environment
from tests.server.serverproc import RunningServer, start_server, stop_server

README = Path(__file__).resolve().parent.parent / "README.md"
PROGRAMS = ("fieldapp-cli", "fieldapp-server")
LANGS = ["ar", "ckb", "en"]
VAULT_ID = re.compile(r"[0-9a-f]{32}")
FINGERPRINT = re.compile(r"[0-9A-Fa-f:]{64,}")
ENROLL_CODE = re.compile(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4}){3}")


@dataclass(frozen=True)
class Line:
    """One command line of a README code block: `NAME=value` settings, the program, its
    arguments (shell quoting and `# comments` as a shell reads them)."""

    env: dict[str, str]
    program: str
    argv: list[str]


def parse(text: str) -> Line:
    words = shlex.split(text, comments=True)
    env: dict[str, str] = {}
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return Line(env, words[0], words[1:])


def code_blocks(markdown: str) -> list[list[Line]]:
    """The command lines of each `sh` block that runs fieldapp-cli or fieldapp-server."""
    blocks = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.S):
        lines = [parse(text) for text in block.splitlines() if text.strip()]
        if any(line.program in PROGRAMS for line in lines):
            blocks.append(lines)
    return blocks


def section(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def cli_blocks() -> list[list[Line]]:
    """First steps and passwords, the vault's folder, the worked example."""
    blocks = code_blocks(section("fieldapp-cli"))
    assert len(blocks) == 3, "a new fieldapp-cli block in the README: run it here"
    return blocks


def server_blocks() -> list[list[Line]]:
    """The station's server set up and serving, the laptop enrolling, who is enrolled."""
    blocks = code_blocks(section("fieldapp-server"))
    assert len(blocks) == 3, "a new fieldapp-server block in the README: run it here"
    return blocks


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The reader's language (FIELDAPP_LANG), the password and the cheap KDF, and a data
    folder of the test's own (XDG_DATA_HOME), FIELDAPP_DATA_DIR unset."""
    language: str = request.param
    use_device_environment(monkeypatch, lang=language)
    return language


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.delenv("FIELDAPP_DATA_DIR", raising=False)
    return tmp_path / "data-home" / "fieldapp"


class Places:
    """The README's absolute paths, each standing for a folder of the test's."""

    def __init__(self, tmp_path: Path) -> None:
        self.folders = {
            "/media/usb/vault": tmp_path / "usb-vault",
            "/srv/fieldapp": tmp_path / "srv-fieldapp",
        }

    def __call__(self, word: str) -> str:
        if word.startswith("/"):
            assert word in self.folders, f"the README names {word}: give it a test folder"
            return str(self.folders[word])
        return word


def run_cli(line: Line, places: Places, monkeypatch: pytest.MonkeyPatch) -> CliResult:
    assert line.program == "fieldapp-cli"
    with monkeypatch.context() as env:
        for name, value in line.env.items():
            env.setenv(name, places(value))
        result = fieldapp_cli(*map(places, line.argv))
    assert result.code == 0, (line, result.err)
    return result


def run_server_admin(line: Line, places: Places) -> str:
    """A fieldapp-server line, in this process; its standard output."""
    assert line.program == "fieldapp-server" and not line.env
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = server_program.main(list(map(places, line.argv)), out)
    assert code == 0, (line, err.getvalue())
    return out.getvalue()


def test_the_first_steps_make_the_vault_in_the_users_data_folder_and_another_on_request(
    lang: str, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = Places(tmp_path)
    passwords, folders, _example = cli_blocks()
    results = [run_cli(line, places, monkeypatch) for line in [*passwords, *folders]]
    init, empty, listed_in_english, usb_init, usb_listed = results
    assert VAULT_ID.fullmatch(init.out.strip())
    assert (data_home / "header.json").is_file()
    assert data_home.stat().st_mode & 0o777 == 0o700
    assert empty.out == listed_in_english.out == ""
    assert VAULT_ID.fullmatch(usb_init.out.strip()) and usb_init.out != init.out
    assert (places.folders["/media/usb/vault"] / "header.json").is_file()
    assert usb_listed.out == ""


def test_the_example_adds_two_people_and_finds_them_as_it_says(
    lang: str, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = Places(tmp_path)
    *_, example = cli_blocks()
    results = [run_cli(line, places, monkeypatch) for line in example]
    _init, arabic, sorani, by_name, by_phone, by_phone_typed_otherwise = results
    ids = [arabic.lines[0], sorani.lines[0]]
    assert [line.split()[-1] for line in by_name.lines] == ids
    for found in (by_phone, by_phone_typed_otherwise):
        assert [line.split()[-1] for line in found.lines] == [ids[1]]


@contextlib.contextmanager
def serving(line: Line, places: Places, fingerprint: str) -> Iterator[RunningServer]:
    """The README's `serve` line, served on a free loopback port instead of its own."""
    assert line.argv[2] == "serve", line
    server = start_server(Path(places(line.argv[1])), fingerprint=fingerprint)
    try:
        yield server
    finally:
        stop_server(server)


def test_the_server_example_enrolls_the_laptop_under_the_name_it_was_given(
    lang: str, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = Places(tmp_path)
    setup, laptop, listing = server_blocks()
    init, station, user, serve, code_line = setup
    fingerprint = run_server_admin(init, places).strip()
    assert FINGERPRINT.fullmatch(fingerprint)
    run_server_admin(station, places)
    run_server_admin(user, places)
    with serving(serve, places, fingerprint) as server:
        given = run_server_admin(code_line, places)
        assert fingerprint in given
        code = ENROLL_CODE.search(given)
        assert code is not None, given
        typed = {"--server": server.base_url, "--code": code.group(), "--fingerprint": fingerprint}
        enroll, sync, status = laptop
        argv = [typed.get(before, word) for before, word in pairwise(["", *enroll.argv])]
        name = argv[argv.index("--device-name") + 1]
        enrolled = run_cli(Line(enroll.env, enroll.program, argv), places, monkeypatch)
        assert name in enrolled.out
        run_cli(sync, places, monkeypatch)
        assert "ali.h" in run_cli(status, places, monkeypatch).out
        devices, users = listing
        assert run_server_admin(devices, places).splitlines()[0].endswith(f"  {name}")
        (ali,) = [
            u for u in json.loads(run_server_admin(users, places)) if u["username"] == "ali.h"
        ]
        assert [d["name"] for d in ali["devices"]] == [name]


def test_every_command_line_of_the_readme_is_in_a_block_these_tests_run() -> None:
    everywhere = code_blocks(README.read_text(encoding="utf-8"))
    run_here = [*cli_blocks(), *server_blocks()]
    assert everywhere == run_here
