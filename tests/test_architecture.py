"""The layering of DESIGN.md section 2: the core never loads Qt, HTTP libraries or the server."""

from __future__ import annotations

import ast
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


def _imports_written_in(path: Path) -> set[str]:
    """Every module a source file names in an import, anywhere (TYPE_CHECKING blocks included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


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


def test_no_core_module_imports_the_sample_data() -> None:
    core = [p for p in (ROOT / "fieldapp").rglob("*.py") if "sampledata" not in p.parts]
    assert len(core) > 20
    offenders = {
        str(p.relative_to(ROOT))
        for p in core
        if any(name.startswith("fieldapp.sampledata") for name in _imports_written_in(p))
    }
    assert not offenders


@pytest.mark.parametrize(
    ("module", "must_not_import"),
    [
        ("fieldapp/forms/definitions.py", ("fieldapp.forms.values", "fieldapp.forms.validation")),
        ("fieldapp/forms/values.py", ("fieldapp.forms.validation",)),
        ("fieldapp/sampledata/phrases.py", ("fieldapp.sampledata.",)),
        ("fieldapp/sampledata/households.py", ("fieldapp.sampledata.activities",)),
        ("fieldapp/sampledata/households.py", ("fieldapp.sampledata.generator",)),
        ("fieldapp/sampledata/activities.py", ("fieldapp.sampledata.generator",)),
    ],
)
def test_imports_in_a_package_run_one_way(module: str, must_not_import: tuple[str, ...]) -> None:
    names = _imports_written_in(ROOT / module)
    assert not {n for n in names if n.startswith(must_not_import)}
