"""What the import-linter contracts (pyproject.toml, run by `make lint`) cannot see.

The contracts check every import statement in fieldapp/, sync/ and ui/; these tests check what
is only visible at run time (a third-party package pulling in Qt or an HTTP library behind our
back) and the module-length rule of STYLE.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 650  # STYLE.md says ~600; the margin keeps a long docstring from failing it


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_the_core_cli_loads_no_qt_and_no_http_library_at_run_time() -> None:
    loaded = _top_level(_modules_loaded_by("import fieldapp.cli.app, fieldapp.session"))
    assert "fieldapp" in loaded
    assert not loaded & {"PySide6", "requests", "httpx", "urllib3", "sqlalchemy", "sync"}


def test_the_server_loads_neither_qt_nor_the_client_nor_the_vault_or_store_at_run_time() -> None:
    loaded = _modules_loaded_by("import sync.server.app, sync.server.cli")
    assert "sync.server.app" in loaded
    assert "PySide6" not in _top_level(loaded)
    forbidden = ("sync.client", "fieldapp.vault", "fieldapp.store", "fieldapp.session")
    reached = {name for name in loaded if name.startswith(forbidden)}
    assert not reached, sorted(reached)


def test_no_module_is_longer_than_the_style_limit() -> None:
    too_long = {
        str(p.relative_to(ROOT)): n
        for package in ("fieldapp", "sync", "ui")
        for p in (ROOT / package).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long
