"""`make demo` builds a real vault of generated records that the CLI can search."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fieldapp.cli import app as cli
from fieldapp.sampledata import demo


def test_demo_builds_a_searchable_vault_and_reuses_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "demo-data"
    assert demo.main(["--data-dir", str(data_dir), "--households", "3", "--seed", "7"]) == 0
    assert "generated records" in capsys.readouterr().out
    monkeypatch.setenv("FIELDAPP_PASSWORD", demo.DEMO_PASSWORD)
    out = io.StringIO()
    assert cli.main(["--data-dir", str(data_dir), "list", "--type", "household"], out) == 0
    assert len(out.getvalue().splitlines()) == 3
    assert cli.main(["--data-dir", str(data_dir), "audit", "verify"], io.StringIO()) == 0
    assert demo.main(["--data-dir", str(data_dir)]) == 0
    assert "existing demo vault" in capsys.readouterr().out
