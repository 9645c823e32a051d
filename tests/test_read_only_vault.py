"""A vault on read-only media (a backup copy, a forensic image) opens read-only (issue 8).

The tests run as root, which ignores permission bits, so a chmod would prove nothing: each
command runs in its own mount namespace (`unshare -m`) where the vault folder is bind-mounted
read-only, as a CD or a write-protected image would be. Nothing outside the child sees the
mount, and it disappears with the child. Where unshare or mount is not permitted the tests skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp import session
from fieldapp.messages import translate
from fieldapp.vault.crypto import KdfParams
from tests.drivers.cli import PASSWORD, STATION, CliResult, cli_environment
from tests.records import PERSON

FAST = KdfParams.for_tests()

# Bind-mounts "$1" read-only over itself inside a private mount namespace, then runs the rest.
READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'

UNSHARE = ["unshare", "-m", "--propagation", "private", "sh", "-c", READ_ONLY_MOUNT, "sh"]

# Wrong guesses on read-only media, in one process: each Vault.open is a new object, as a
# desktop app opening the vault again would make. Prints the outcomes as JSON.
GUESSES = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from fieldapp.errors import UnlockBackoff, WrongPassword
    from fieldapp.vault.vault import Vault

    class Clock:
        now = 1_700_000_000.0
        def __call__(self):
            return self.now

    clock, folder, outcomes = Clock(), Path(sys.argv[1]), []
    for password in ["wrong guess 1", "wrong guess 2", "wrong guess 3", "wrong guess 4",
                     "wrong guess 5", sys.argv[2]]:
        try:
            Vault.open(folder, clock=clock).unlock(password)
            outcomes.append("unlocked")
        except WrongPassword:
            outcomes.append("wrong")
        except UnlockBackoff as exc:
            outcomes.append(f"wait {exc.wait_seconds}")
        clock.now += 10
    clock.now += 900
    vault = Vault.open(folder, clock=clock)
    vault.unlock(sys.argv[2])
    outcomes.append("read-only" if vault.read_only else "writable")
    print(json.dumps(outcomes))
    """
)


def _on_read_only_media(folder: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*UNSHARE, str(folder), *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_environment(FIELDAPP_LANG="en"),
        timeout=120,
    )


def cli_on_read_only_media(folder: Path, *argv: str) -> CliResult:
    """fieldapp-cli in a child process that sees `folder` on read-only media."""
    command = [sys.executable, "-m", "fieldapp.cli.app", "--data-dir", str(folder), *argv]
    proc = _on_read_only_media(folder, command)
    assert "Traceback" not in proc.stderr, proc.stderr
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def read_only_mounts(tmp_path_factory: pytest.TempPathFactory) -> None:
    probe = tmp_path_factory.mktemp("probe")
    proc = _on_read_only_media(probe, ["sh", "-c", 'touch "$0/x"', str(probe)])
    if "Read-only file system" not in proc.stderr:
        pytest.skip(f"no read-only bind mount in a private namespace here: {proc.stderr}")


@pytest.fixture
def backup(tmp_path: Path, read_only_mounts: None) -> Iterator[tuple[Path, str]]:
    """A vault holding one person, closed cleanly (no WAL left), and that person's id."""
    folder = tmp_path / "vault"
    with session.create(folder, PASSWORD, officer="ali.h", station=STATION, kdf=FAST) as s:
        record_id = s.store.add("person", dict(PERSON)).id
    yield folder, record_id


def test_a_vault_on_read_only_media_opens_with_the_right_password_and_says_so(
    backup: tuple[Path, str],
) -> None:
    folder, record_id = backup
    result = cli_on_read_only_media(folder, "list", "--json")
    assert result.code == 0, result.err
    assert [row["id"] for row in result.json()] == [record_id]
    assert translate("vault.opened_read_only", "en") in result.err


def test_a_record_on_read_only_media_can_be_shown(backup: tuple[Path, str]) -> None:
    folder, record_id = backup
    result = cli_on_read_only_media(folder, "show", record_id, "--json")
    assert result.code == 0, result.err
    assert result.json()["fields"]["first_name"] == PERSON["first_name"]


def test_a_command_that_writes_to_read_only_media_says_the_vault_is_read_only(
    backup: tuple[Path, str],
) -> None:
    folder, _ = backup
    result = cli_on_read_only_media(folder, "add", "person", "--json", json.dumps(PERSON))
    assert result.code == 1
    assert result.err.splitlines()[-1] == translate("vault.read_only", "en")


def test_wrong_guesses_on_read_only_media_are_still_limited_in_the_process(
    backup: tuple[Path, str],
) -> None:
    folder, _ = backup
    proc = _on_read_only_media(folder, [sys.executable, "-c", GUESSES, str(folder), PASSWORD])
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout)
    # Five wrong guesses 10 s apart, then even the right password waits out the window.
    assert outcomes == ["wrong"] * 5 + ["wait 850", "read-only"]


def test_a_copy_taken_while_the_vault_was_open_reads_its_write_ahead_log(
    tmp_path: Path, read_only_mounts: None
) -> None:
    folder, copy = tmp_path / "vault", tmp_path / "copy"
    with session.create(folder, PASSWORD, officer="ali.h", station=STATION, kdf=FAST) as s:
        record_id = s.store.add("person", dict(PERSON)).id
        shutil.copytree(folder, copy)  # the record is still in the WAL
    assert (copy / "vault.db-wal").stat().st_size > 0
    result = cli_on_read_only_media(copy, "list", "--json")
    assert result.code == 0, result.err
    assert [row["id"] for row in result.json()] == [record_id]
