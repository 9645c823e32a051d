"""What every fieldapp-cli command needs from the console: passwords, JSON and key files read with
their limits, JSON printed, and the vault session opened or created from the parsed options.

Public so that the commands a layer above the core adds (sync's enroll, sync, status) read and
write exactly as the core's do.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from fieldapp import session as sessions
from fieldapp.errors import InvalidInput, WrongPassword
from fieldapp.messages import translate
from fieldapp.vault.vault import Vault

MAX_JSON_INPUT = 16 * 1024 * 1024
# The names of the variables scripts set, not passwords.
PASSWORD_ENV = "FIELDAPP_PASSWORD"  # noqa: S105
NEW_PASSWORD_ENV = "FIELDAPP_NEW_PASSWORD"  # noqa: S105


def ask_password(env: str, prompt: str, *, fallback_env: str | None = None) -> str:
    """The password in `env` (or `fallback_env`); else asked on the terminal.

    Without a terminal (a script) and no variable set, it is a wrong password (exit 3) naming the
    variable, never a hang waiting on a pipe."""
    value = os.environ.get(env) or (os.environ.get(fallback_env) if fallback_env else None)
    if value:
        return value
    if not sys.stdin.isatty():
        raise WrongPassword("cli.password_required", variable=env)
    return getpass.getpass(prompt)


def read_json(text: str) -> Any:
    """JSON given on the command line, or read from stdin when `text` is `-`; size-limited."""
    raw = sys.stdin.read(MAX_JSON_INPUT + 1) if text == "-" else text
    if len(raw) > MAX_JSON_INPUT:
        raise InvalidInput("cli.json_too_large", limit_mb=MAX_JSON_INPUT // 2**20)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput("cli.bad_json", line=exc.lineno, column=exc.colno) from exc


def read_key_file(path: Path) -> bytes:
    """A recovery key file: the 32 raw key bytes in base64 on one line."""
    try:
        text = path.read_text(encoding="ascii")[:200].strip()
        key = base64.b64decode(text, validate=True)
    except (OSError, ValueError) as exc:
        raise InvalidInput("cli.bad_key_file", path=str(path)) from exc
    if len(key) != 32:
        raise InvalidInput("cli.bad_key_file", path=str(path))
    return key


def require_data_dir(args: argparse.Namespace) -> Path:
    """The `--data-dir` given to the program; a command that needs a vault fails without it."""
    if args.data_dir is None:
        raise InvalidInput("cli.data_dir_required")
    return Path(args.data_dir)


def print_json(value: Any, out: TextIO) -> None:
    """`value` as indented JSON, Arabic left readable (not \\u-escaped)."""
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def open_session(args: argparse.Namespace) -> sessions.Session:
    """Unlock the vault in `--data-dir` with the password from the environment or the terminal.

    A vault on read-only media opens read-only, with a notice on stderr; a command that then
    writes fails with VaultReadOnly (exit 1)."""
    data_dir = require_data_dir(args)
    Vault.open(data_dir)  # a missing or foreign folder is reported before asking for a password
    session = sessions.unlock(data_dir, ask_password(PASSWORD_ENV, "Password: "))
    if session.vault.read_only:
        sys.stderr.write(translate("vault.opened_read_only", args.lang) + "\n")
    return session


def create_session(
    args: argparse.Namespace,
    *,
    officer: str | None = None,
    station: str | None = None,
    recovery_public_key: bytes | None = None,
) -> sessions.Session:
    """Make a new vault in `--data-dir` and open it; the password is the new one (or the current
    variable). Warns on stderr when the test suite's cheap KDF was asked for."""
    data_dir = require_data_dir(args)
    password = ask_password(NEW_PASSWORD_ENV, "New password: ", fallback_env=PASSWORD_ENV)
    kdf = sessions.kdf_from_environment()
    if kdf is not None:
        sys.stderr.write(translate("cli.insecure_kdf_warning", args.lang) + "\n")
    return sessions.create(
        data_dir,
        password,
        officer=officer,
        station=station,
        recovery_public_key=recovery_public_key,
        kdf=kdf,
    )
