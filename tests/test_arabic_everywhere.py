"""Issue 9, section 2: Arabic by default means all of it. Every command's help and usage errors,
every message of every catalogue, and what the main commands print against a real vault, in
Arabic and in Kurdish, hold no English word: only data and names typed exactly as they are
(`tests/latin_words.py` says which, and why)."""

from __future__ import annotations

import argparse
import hashlib
import json
import string
from pathlib import Path

import pytest

from fieldapp.forms.definitions import load_forms
from fieldapp.messages import catalog
from fieldapp.sampledata import demo
from sync.client.cli import PROGRAM
from sync.server.cli import build_parser as server_parser
from tests.drivers.cli import (
    CliResult,
    fieldapp_cli,
    fieldapp_cli_help,
    run_in_process,
    use_device_environment,
)
from tests.latin_words import latin_words
from tests.records import PERSON, household

LANGS = ("ar", "ckb")
OFFICER, STATION = "ali.h", "B12"
SAMPLE = "٧"  # every placeholder's value: data, in the reader's digits


def command_paths(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    """The program and each of its commands and subcommands, as the words typed to reach it."""
    paths: list[tuple[str, ...]] = [()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths += [(name, *rest) for rest in command_paths(sub)]
    return paths


CLI_PATHS = command_paths(PROGRAM.parser())
# Command names are typed as they are; messages name fieldapp-cli's and fieldapp-server's.
COMMAND_NAMES = frozenset(w for p in CLI_PATHS + command_paths(server_parser()) for w in p)

# What scripts type into `add TYPE --json`, and `forms TYPE` shows beside each label so that they
# can: record types, field keys and the stored keys of choices.
FORM_KEYS = frozenset(
    name
    for form in load_forms()
    for name in (form.type, *form.keys(), *(c.key for f in form.fields for c in f.choices))
)


def english_in(
    text: str, *, also_typed: frozenset[str] = frozenset(), data: frozenset[str] = frozenset()
) -> list[str]:
    """The English words in `text` (each once): neither command names, nor `also_typed`, nor
    `data`."""
    return sorted(set(latin_words(text, names=COMMAND_NAMES | also_typed, data=data)))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", CLI_PATHS, ids=lambda p: " ".join(p) or "fieldapp-cli")
def test_every_commands_help_has_no_english(lang: str, path: tuple[str, ...]) -> None:
    result = fieldapp_cli_help("--lang", lang, *path)
    assert result.code == 0 and result.out.strip()
    assert english_in(result.out) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", CLI_PATHS, ids=lambda p: " ".join(p) or "fieldapp-cli")
def test_every_commands_usage_error_has_no_english(lang: str, path: tuple[str, ...]) -> None:
    result = fieldapp_cli("--lang", lang, *path, "--no-such-option")
    assert result.code == 2 and result.out == ""
    assert english_in(result.err) == []


def _filled(template: str) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**dict.fromkeys(names, SAMPLE))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", sorted(catalog()))
def test_every_message_has_no_english(key: str, lang: str) -> None:
    text = catalog()[key][lang]
    forms = text if isinstance(text, dict) else {"other": text}  # every plural form
    found = [(category, word) for category, t in forms.items() for word in english_in(_filled(t))]
    assert found == []


class Officer:
    """One officer at the keyboard of a real test vault, keeping everything printed to them
    and the data they typed or were given (ids, numbers), which may be in Latin letters."""

    def __init__(self, vault: Path) -> None:
        self.vault = str(vault)
        self.printed: list[str] = []
        self.data: set[str] = {OFFICER, STATION, self.vault}

    def run(self, *argv: str, stdin: str | None = None) -> CliResult:
        result = run_in_process(PROGRAM.main, ["--data-dir", self.vault, *argv], stdin=stdin)
        assert result.code == 0, (argv, result.err)
        self.printed += [result.out, result.err]
        return result

    def add(self, record_type: str, fields: object) -> str:
        [record_id] = self.run("add", record_type, "--json", json.dumps(fields)).lines
        # --json is for scripts, in its keys' words: not kept with what the officer read
        as_json = run_in_process(
            PROGRAM.main, ["--data-dir", self.vault, "show", record_id, "--json"]
        )
        shown = json.loads(as_json.out)
        self.data |= {record_id, shown.get("number") or record_id}
        return record_id


@pytest.mark.parametrize("lang", LANGS)
def test_what_the_main_commands_print_has_no_english(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_device_environment(monkeypatch, lang=lang)
    officer = Officer(tmp_path / "vault")
    [vault_id] = officer.run("init", "--officer", OFFICER, "--station", STATION).lines
    officer.data.add(vault_id)
    person = officer.add("person", {**PERSON, "phone": "0770 123 4567"})
    home = officer.add("household", household(head_id=person))
    officer.run("list")
    officer.run("search", PERSON["first_name"])
    officer.run("show", home)
    officer.run("edit", person, "--json", json.dumps({"age": 35}))
    officer.run("history", person)
    officer.run("delete", home, "--yes")
    officer.run("audit", "list")
    officer.run("audit", "verify")
    officer.run("check")
    officer.run("export", "--out", str(tmp_path / "records.json"))
    photo = tmp_path / "تعهد.jpg"
    photo.write_bytes(b"a scanned pledge")
    officer.data |= {photo.name, hashlib.sha256(photo.read_bytes()).hexdigest()}
    officer.run("attach", person, str(photo))
    officer.run("files", person)
    officer.run("forms")
    for record_type in load_forms().types():
        officer.run("forms", record_type)
    officer.run("status")
    printed = "\n".join(officer.printed)
    assert english_in(printed, also_typed=FORM_KEYS, data=frozenset(officer.data)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_what_the_demo_prints_has_no_english(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--lang", lang, "--data-dir", str(tmp_path / "demo"), "--households", "1"]
    assert demo.main(argv) == 0
    assert demo.main(["--lang", lang, "--data-dir", str(tmp_path / "demo")]) == 0  # reused
    printed = capsys.readouterr().out
    # Data: the demo's password and a household's number in the commands, the guide's file name.
    shown = [line.split()[-1] for line in printed.splitlines() if " show " in line]
    data = frozenset({demo.DEMO_PASSWORD, "docs/SYNC.md", *shown})
    assert english_in(printed, also_typed=FORM_KEYS, data=data) == []
