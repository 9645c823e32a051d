"""The layering of DESIGN.md section 2: the core never loads Qt, HTTP libraries or the server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "requests", "httpx", "fastapi", "uvicorn", "sqlalchemy", "sync", "ui")


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in json.loads(out)}


@pytest.mark.parametrize(
    "statement",
    [
        "import fieldapp",
        "import fieldapp.store.store, fieldapp.session, fieldapp.vault.vault",
        "import fieldapp.forms.definitions, fieldapp.cli.app, fieldapp.sampledata.generator",
        "import fieldapp.text, fieldapp.store.audit",
        "import fieldapp.store.replica, fieldapp.store.attachments, fieldapp.presentation",
    ],
)
def test_core_imports_no_gui_no_http_no_server(statement: str) -> None:
    loaded = _modules_loaded_by(statement)
    assert not loaded & set(FORBIDDEN), sorted(loaded & set(FORBIDDEN))


def test_no_module_is_longer_than_the_style_limit() -> None:
    too_long = {
        str(p.relative_to(ROOT)): n
        for package in ("fieldapp", "sync", "ui")
        for p in (ROOT / package).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 650
    }
    assert not too_long


def _full_names_loaded_by(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


def test_the_server_imports_neither_qt_nor_the_client_nor_the_vault_or_store() -> None:
    loaded = _full_names_loaded_by("import sync.server.app, sync.server.cli")
    assert "PySide6" not in {name.split(".")[0] for name in loaded}
    forbidden = ("sync.client", "fieldapp.vault", "fieldapp.store", "fieldapp.session")
    reached = {name for name in loaded if name.startswith(forbidden)}
    assert not reached, sorted(reached)
