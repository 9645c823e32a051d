"""The README's fieldapp-cli example runs as written and shows what the README says it shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.drivers.cli import CliResult, core_cli, use_device_environment

README = Path(__file__).resolve().parent.parent / "README.md"


def example_commands() -> list[list[str]]:
    """The argument lists of the example block after "Example (each command asks ...)"."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"asks for the password\):\n\n```sh\n(.*?)```", text, re.S)
    assert block is not None, "the README's fieldapp-cli example block is gone"
    commands = [shlex.split(line) for line in block.group(1).splitlines() if line.strip()]
    assert all(argv[0] == "fieldapp-cli" for argv in commands)
    return [argv[1:] for argv in commands]


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_the_readme_example_adds_two_people_and_finds_them_as_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    use_device_environment(monkeypatch, lang=lang)
    vault = str(tmp_path / "vault")
    results: list[CliResult] = []
    for argv in example_commands():
        result = core_cli(*[vault if arg == "~/vault" else arg for arg in argv])
        assert result.code == 0, (argv, result.err)
        results.append(result)
    _init, arabic, sorani, by_name, by_phone, by_phone_typed_otherwise = results
    ids = [arabic.lines[0], sorani.lines[0]]
    assert [line.split()[-1] for line in by_name.lines] == ids
    for found in (by_phone, by_phone_typed_otherwise):
        assert [line.split()[-1] for line in found.lines] == [ids[1]]
