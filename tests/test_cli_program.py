"""fieldapp-cli as one program built from command lists: what a layer above the core (sync) can
add through the public API, and the one table that turns errors into exit codes."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

import pytest

from fieldapp.cli import app
from fieldapp.cli.command import Command
from fieldapp.cli.console import print_json, vault_folder
from fieldapp.cli.exit_codes import exit_code_for
from fieldapp.errors import StorageFull, UserFacingError
from fieldapp.forms.validation import ValidationFailed
from fieldapp.vault.crypto import DecryptionFailed
from fieldapp.vault.vault import FolderNotEmpty, WrongRecoveryKey
from sync.client import cli as client_cli
from sync.client.transport import (
    AuthRejected,
    BadResponse,
    DeviceRevokedError,
    EnrollCodeInvalid,
    RetryLater,
    ServerNotTrusted,
    ServerUnreachable,
)

DOCUMENTED_COMMANDS = {
    *("init", "add", "edit", "delete", "show", "list", "search", "history", "export"),
    *("audit", "check", "passwd", "forms", "recovery-keygen", "recover", "attach", "files"),
    *("enroll", "sync", "status"),
}


def test_the_installed_help_lists_every_documented_command() -> None:
    script = Path(sys.executable).with_name("fieldapp-cli")
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60, env=dict(os.environ)
    )
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ")}
    assert listed >= DOCUMENTED_COMMANDS, sorted(DOCUMENTED_COMMANDS - listed)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValidationFailed([]), 2),
        (FolderNotEmpty(), 2),
        (WrongRecoveryKey(), 3),
        (DecryptionFailed(), 1),
        (StorageFull(), 1),
    ],
)
def test_an_error_takes_the_exit_code_of_its_nearest_listed_class(
    error: UserFacingError, code: int
) -> None:
    assert exit_code_for(error) == code


def test_an_exception_outside_the_table_is_exit_1() -> None:
    assert exit_code_for(KeyError("x")) == 1


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ServerUnreachable(), 5),
        (ServerNotTrusted(), 5),
        (RetryLater(30), 5),
        (DeviceRevokedError(), 6),
        (AuthRejected(), 3),
        (EnrollCodeInvalid(), 2),
        (BadResponse("too large"), 1),
    ],
)
def test_sync_errors_exit_with_the_codes_the_readme_documents(
    error: UserFacingError, code: int
) -> None:
    assert exit_code_for(error, client_cli.PROGRAM.exit_codes) == code


class _StationClosed(UserFacingError):
    key = "error.generic"


def _cmd_ping(args: argparse.Namespace, out: TextIO) -> int:
    if args.closed:
        raise _StationClosed()
    print_json({"data_dir": str(vault_folder(args))}, out)
    return 0


def _ping_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--closed", action="store_true")


PING = Command("ping", "answer", _cmd_ping, _ping_arguments)


def test_an_added_command_runs_beside_the_core_ones(tmp_path: Path) -> None:
    program = app.PROGRAM.extended([PING])
    out = io.StringIO()
    assert program.main(["--data-dir", str(tmp_path), "ping"], out) == 0
    assert str(tmp_path) in out.getvalue()
    assert program.main(["forms"], io.StringIO()) == 0


def test_an_added_error_exits_with_the_code_its_layer_gives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = app.PROGRAM.extended([PING], {_StationClosed: 7})
    code = program.main(["--lang", "en", "--data-dir", str(tmp_path), "ping", "--closed"])
    err = capsys.readouterr().err
    assert code == 7 and err.strip() and "Traceback" not in err


def test_a_command_name_taken_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="list"):
        app.PROGRAM.extended([Command("list", "another list", _cmd_ping)])


def test_the_core_program_alone_does_not_know_the_sync_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        app.main(["status"], io.StringIO())
    assert exit_.value.code == 2 and "status" in capsys.readouterr().err
