"""`fieldapp-server`'s entry point (the console script and `python -m sync.server`).

The console script is installed with every install of the package, also the base one without
the `server` extra; run there, it says which extra to install instead of showing a traceback of
the missing import. Only the core's messages are imported until the server's packages are known
to be there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from fieldapp.messages import DEFAULT_LANGUAGE, LANGUAGES, translate

# The top-level packages of the `server` extra (pyproject.toml) that sync.server.cli imports.
SERVER_EXTRA_PACKAGES = frozenset({"fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic"})
EXIT_MISSING_EXTRA = 1  # an operational error, as docs/SERVER.md defines the exit codes


def requested_language(argv: Sequence[str]) -> str:
    """The language of `--lang X` / `--lang=X` in `argv`, else FIELDAPP_LANG, else Arabic."""
    lang = os.environ.get("FIELDAPP_LANG", DEFAULT_LANGUAGE)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def run() -> None:
    """Run `fieldapp-server`, or explain that the `server` extra is missing (exit 1)."""
    try:
        # Imported here, not at the top: catching its failure is what this module is for.
        from sync.server.cli import run as run_server
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in SERVER_EXTRA_PACKAGES:
            raise
        lang = requested_language(sys.argv[1:])
        sys.stderr.write(translate("server.extra_missing", lang, package=missing) + "\n")
        sys.exit(EXIT_MISSING_EXTRA)
    run_server()
