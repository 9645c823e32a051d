"""`make demo` builds a real vault of generated records that the CLI can search."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fieldapp.cli import app as cli
from fieldapp.messages import translate
from fieldapp.sampledata import demo


def test_demo_builds_a_searchable_vault_and_reuses_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "demo-data"
    argv = ["--lang", "en", "--data-dir", str(data_dir), "--households", "3", "--seed", "7"]
    assert demo.main(argv) == 0
    assert "generated records" in capsys.readouterr().out
    monkeypatch.setenv("FIELDAPP_PASSWORD", demo.DEMO_PASSWORD)
    out = io.StringIO()
    assert cli.main(["--data-dir", str(data_dir), "list", "--type", "household"], out) == 0
    assert len(out.getvalue().splitlines()) == 3
    assert cli.main(["--data-dir", str(data_dir), "audit", "verify"], io.StringIO()) == 0
    assert demo.main(["--lang", "en", "--data-dir", str(data_dir)]) == 0
    assert "existing demo vault" in capsys.readouterr().out


def test_demo_says_what_it_built_and_prints_commands_that_work_from_any_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["--lang", "en", "--data-dir", "demo-data", "--households", "2", "--seed", "3"]
    assert demo.main(argv) == 0
    printed = capsys.readouterr().out
    assert "not built yet" not in printed
    assert "Household" in printed and "Person" in printed
    data_dir = str((tmp_path / "demo-data").resolve())
    commands = [line.strip() for line in printed.splitlines() if "fieldapp-cli" in line]
    assert commands and all(f"--data-dir {data_dir}" in c for c in commands if "forms" not in c)
    monkeypatch.chdir(Path("/"))
    monkeypatch.setenv("FIELDAPP_PASSWORD", demo.DEMO_PASSWORD)
    for command in commands:
        argv = command.split()[1:]  # the program's own arguments (paths have no spaces here)
        assert cli.main(argv, io.StringIO()) == 0, command


def test_demo_speaks_arabic_by_default_and_its_commands_run_in_arabic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FIELDAPP_LANG", raising=False)
    assert demo.main(["--data-dir", str(tmp_path / "demo"), "--households", "2"]) == 0
    printed = capsys.readouterr().out
    assert translate("demo.holds", "ar") in printed.splitlines()
    assert "أسرة" in printed and "Household" not in printed
    commands = [line.split() for line in printed.splitlines() if "fieldapp-cli" in line]
    assert commands and not any("--lang" in command for command in commands)


def test_demo_in_kurdish_prints_its_commands_with_the_kurdish_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--lang", "ckb", "--data-dir", str(tmp_path / "demo"), "--households", "1"]
    assert demo.main(argv) == 0
    printed = capsys.readouterr().out
    assert translate("demo.holds", "ckb") in printed.splitlines()
    commands = [line.split() for line in printed.splitlines() if "fieldapp-cli" in line]
    assert commands and all(command[1:3] == ["--lang", "ckb"] for command in commands)
