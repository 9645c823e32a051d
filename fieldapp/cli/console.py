"""What every fieldapp-cli command needs from the console: passwords, JSON and key files read with
their limits, JSON printed, and the vault session opened or created from the parsed options.

Public so that the commands a layer above the core adds (sync's enroll, sync, status) read and
write exactly as the core's do.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from fieldapp import session as sessions
from fieldapp.data_folder import data_dir
from fieldapp.errors import InvalidInput, VaultExists, VaultNotFound, WrongPassword
from fieldapp.messages import translate
from fieldapp.numerals import DIGIT_CHOICES, Digits, default_digits
from fieldapp.text import printable
from fieldapp.vault import kdf_policy
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.passwords import check_password_strength
from fieldapp.vault.vault import FolderNotEmpty, Vault

MAX_JSON_INPUT = 16 * 1024 * 1024
# A record's fields are an object of values and lists: far below these. Beyond them a value
# can only be a mistake or an attack, and Python's parser would fail with a bare error.
MAX_JSON_DEPTH = 64
MAX_JSON_INT = 2**63 - 1  # what a database integer column and the sync protocol hold
MAX_JSON_INT_DIGITS = len(str(MAX_JSON_INT)) - 1  # every number this long fits
# The names of the variables scripts set, not passwords.
PASSWORD_ENV = "FIELDAPP_PASSWORD"  # noqa: S105
NEW_PASSWORD_ENV = "FIELDAPP_NEW_PASSWORD"  # noqa: S105
DIGITS_ENV = "FIELDAPP_DIGITS"


def ask_password(env: str, prompt: str, *, fallback_env: str | None = None) -> str:
    """The password in `env` (or `fallback_env`); else asked on the terminal with `prompt` (the
    caller translates it).

    Without a terminal (a script) and no variable set, it is a wrong password (exit 3) naming the
    variable, never a hang waiting on a pipe."""
    value = os.environ.get(env) or (os.environ.get(fallback_env) if fallback_env else None)
    if value:
        return value
    if not sys.stdin.isatty():
        raise WrongPassword("cli.password_required", variable=env)
    return getpass.getpass(prompt)


def ask_new_password(
    env: str, lang: str, *, fallback_env: str | None = None, personal: Sequence[str] = ()
) -> str:
    """A new password: from `env` (or `fallback_env`) for scripts, else asked on the terminal,
    checked for strength at once (WeakPassword says why) and asked again to compare
    (InvalidInput "cli.passwords_differ"). `personal`: words a guesser tries first."""
    if os.environ.get(env) or (fallback_env and os.environ.get(fallback_env)):
        return ask_password(env, "", fallback_env=fallback_env)
    new = ask_password(env, translate("cli.prompt_new_password", lang))
    check_password_strength(new, personal)  # before the officer types it a second time
    if getpass.getpass(translate("cli.prompt_repeat_password", lang)) != new:
        raise InvalidInput("cli.passwords_differ")
    return new


def requested_kdf(lang: str) -> KdfParams:
    """The Argon2id costs a new wrap asks for (the strong defaults; in a test run the test
    suite's), with the warning on stderr every time the test costs are used."""
    params = kdf_policy.requested_kdf()
    if kdf_policy.is_below_floor(params):
        sys.stderr.write(translate("cli.insecure_kdf_warning", lang) + "\n")
    return params


def reader_digits(args: argparse.Namespace) -> Digits:
    """The digits the person reads numbers in: FIELDAPP_DIGITS (`arab` for ٠١٢, `latn` for
    012) when set to one of them, else their language's own (Arabic-Indic for ar and ckb)."""
    chosen = os.environ.get(DIGITS_ENV, "").strip().lower()
    for digits in DIGIT_CHOICES:
        if chosen == digits:
            return digits
    return default_digits(args.lang)


def read_json(text: str) -> Any:
    """JSON given on the command line, or read from stdin when `text` is `-`; size-limited."""
    raw = _read_stdin() if text == "-" else text
    if len(raw) > MAX_JSON_INPUT:
        raise InvalidInput("cli.json_too_large", limit_mb=MAX_JSON_INPUT // 2**20)
    try:
        # Undecodable bytes reach us as lone surrogates (surrogateescape): name the cause, not
        # the surrogate a validator would later refuse as a "character that is not allowed".
        raw.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput("cli.not_utf8", position=exc.start) from exc
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput("cli.bad_json", line=exc.lineno, column=exc.colno) from exc
    except ValueError as exc:  # an integer beyond Python's digit limit for str -> int
        raise InvalidInput("cli.json_number_too_large", digits=MAX_JSON_INT_DIGITS) from exc
    except RecursionError as exc:
        raise InvalidInput("cli.json_too_deep", depth=MAX_JSON_DEPTH) from exc
    _check_json_bounds(value)
    return value


def _check_json_bounds(value: Any) -> None:
    # Iterative, so the check itself has no depth limit.
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise InvalidInput("cli.json_too_deep", depth=MAX_JSON_DEPTH)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > MAX_JSON_INT:
            raise InvalidInput("cli.json_number_too_large", digits=MAX_JSON_INT_DIGITS)


def _read_stdin() -> str:
    """Standard input as text: bytes decoded as UTF-8 (undecodable ones kept as surrogates)."""
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # already text (a test's StringIO)
        return sys.stdin.read(MAX_JSON_INPUT + 1)
    data: bytes = binary.read(MAX_JSON_INPUT + 1)
    return data.decode("utf-8", errors="surrogateescape")


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


def vault_folder(args: argparse.Namespace) -> Path:
    """The vault folder: `--data-dir`, else FIELDAPP_DATA_DIR, else the platform's per-user
    application data folder (`fieldapp.data_folder`)."""
    return data_dir(args.data_dir)


def find_vault(args: argparse.Namespace) -> tuple[Path, Vault]:
    """The data folder and its vault, locked; VaultNotFound naming the folder if it has none."""
    folder = vault_folder(args)
    with naming_folder(folder):
        return folder, Vault.open(folder)


@contextlib.contextmanager
def naming_folder(folder: Path) -> Iterator[None]:
    """The vault's "no vault in this folder" and "this folder is taken" errors, naming the
    folder: without `--data-dir` the officer may not know which folder was used."""
    try:
        yield
    except FolderNotEmpty as exc:
        raise FolderNotEmpty("cli.folder_not_empty_in", path=str(folder)) from exc
    except VaultExists as exc:
        raise VaultExists("cli.vault_exists_in", path=str(folder)) from exc
    except VaultNotFound as exc:
        raise VaultNotFound("cli.no_vault_in", path=str(folder)) from exc


def print_json(value: Any, out: TextIO) -> None:
    """`value` as indented JSON, Arabic left readable (not \\u-escaped); control and bidi
    characters in strings escaped (`printable`), which keeps the JSON valid and its values equal."""
    out.write(printable(json.dumps(value, ensure_ascii=False, indent=2), multiline=True) + "\n")


def open_session(args: argparse.Namespace) -> sessions.Session:
    """Unlock the vault in the data folder with the password from the environment or the terminal.

    A vault on read-only media opens read-only, with a notice on stderr; a command that then
    writes fails with VaultReadOnly (exit 1)."""
    data_dir, _ = find_vault(args)  # a missing or foreign folder: said before the password
    password = ask_password(PASSWORD_ENV, translate("cli.prompt_password", args.lang))
    session = sessions.unlock(data_dir, password)
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
    """Make a new vault in the data folder (made 0700 if missing) and open it; the password is
    the new one (or the current variable), asked twice on a terminal. Warns on stderr when the
    test suite's cheap KDF is used; says on stderr where the vault was made."""
    data_dir = vault_folder(args)
    personal = [w for w in (officer, station) if w]
    password = ask_new_password(
        NEW_PASSWORD_ENV, args.lang, fallback_env=PASSWORD_ENV, personal=personal
    )
    check_password_strength(password, personal)
    kdf = requested_kdf(args.lang)
    with naming_folder(data_dir):
        session = sessions.create(
            data_dir,
            password,
            officer=officer,
            station=station,
            recovery_public_key=recovery_public_key,
            kdf=kdf,
        )
    sys.stderr.write(translate("cli.vault_created_in", args.lang, path=str(data_dir)) + "\n")
    return session
