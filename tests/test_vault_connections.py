"""More than one connection to an unlocked vault, and unlock attempts cut short by a kill.

The sync works on a connection of its own (`Vault.connect`) so that the vault's worker never
waits for the network; locking closes every connection. An unlock whose process dies while the
KDF runs must never turn into a failed attempt, nor keep anyone waiting
(docs/adr/0012-threads-and-connections.md, docs/adr/0018-parallel-unlocks.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlcipher3

from fieldapp.errors import UnlockBackoff, VaultLocked
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.vault import STATE_FILE, Vault
from tests.conftest import TEST_PASSWORD
from tests.test_vault import FakeClock


def _notes(conn: sqlcipher3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT body FROM note ORDER BY body")]


@pytest.fixture
def unlocked(vault: Vault) -> Vault:
    vault.connection.execute("CREATE TABLE note (body TEXT)")
    return vault


# --- connections ------------------------------------------------------------------------------


def test_a_second_connection_reads_what_the_first_commits(unlocked: Vault) -> None:
    other = unlocked.connect()
    unlocked.connection.execute("INSERT INTO note VALUES ('زيارة')")
    assert _notes(other) == ["زيارة"]


def test_a_write_on_the_second_connection_is_seen_by_the_vaults_own(unlocked: Vault) -> None:
    other = unlocked.connect()
    other.execute("INSERT INTO note VALUES ('from the sync')")
    assert _notes(unlocked.connection) == ["from the sync"]


def test_a_locked_vault_hands_out_no_connection(unlocked: Vault) -> None:
    unlocked.lock()
    with pytest.raises(VaultLocked):
        unlocked.connect()


def test_locking_closes_every_connection(unlocked: Vault) -> None:
    others = [unlocked.connect(), unlocked.connect()]
    unlocked.lock()
    for other in others:
        with pytest.raises(sqlcipher3.ProgrammingError, match="closed"):
            other.execute("SELECT count(*) FROM note")


def test_the_user_of_a_connection_is_told_before_it_closes(unlocked: Vault) -> None:
    seen: list[list[str]] = []
    other = unlocked.connect(on_lock=lambda: seen.append(_notes(other)))
    other.execute("INSERT INTO note VALUES ('still readable')")
    unlocked.lock()
    assert seen == [["still readable"]]


def test_a_transaction_open_when_the_vault_locks_is_rolled_back(unlocked: Vault) -> None:
    other = unlocked.connect()
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO note VALUES ('half done')")
    unlocked.lock()
    unlocked.unlock(TEST_PASSWORD)
    assert _notes(unlocked.connection) == []


def test_a_connection_given_back_is_closed_and_the_vault_stays_open(unlocked: Vault) -> None:
    other = unlocked.connect(on_lock=lambda: pytest.fail("told about a lock after it left"))
    unlocked.disconnect(other)
    with pytest.raises(sqlcipher3.ProgrammingError):
        other.execute("SELECT 1")
    unlocked.connection.execute("INSERT INTO note VALUES ('ok')")
    unlocked.lock()


def test_wiping_closes_every_connection(unlocked: Vault) -> None:
    other = unlocked.connect()
    unlocked.wipe()
    with pytest.raises(sqlcipher3.ProgrammingError):
        other.execute("SELECT 1")
    assert not unlocked.folder.exists()


# --- an unlock killed while the KDF runs --------------------------------------------------------

# Argon2id costs that keep the KDF busy for a second or two, so that the kill lands in it.
SLOW_KDF = KdfParams(memory_kib=64 * 1024, iterations=20, lanes=1)

UNLOCK = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from fieldapp.vault.vault import Vault
    Vault.open(Path(sys.argv[1])).unlock(os.environ["UNLOCK_PASSWORD"])
    """
)


@pytest.fixture(scope="module")
def slow_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("slow") / "vault"
    Vault.create(folder, TEST_PASSWORD, kdf=SLOW_KDF).lock()
    return folder


def _in_flight(folder: Path) -> list[object]:
    try:
        listed: list[object] = json.loads((folder / STATE_FILE).read_bytes())["in_flight"]
    except (OSError, ValueError, KeyError):
        return []
    return listed


def _killed_mid_unlock(template: Path, folder: Path, password: str) -> float:
    """Copy the vault to `folder`, start an unlock in another process and kill it (SIGKILL,
    as a power cut would) once its attempt is noted, while the KDF runs. Returns the time the
    attempt began."""
    shutil.copytree(template, folder)
    env = {**os.environ, "UNLOCK_PASSWORD": password}
    child = subprocess.Popen([sys.executable, "-c", UNLOCK, str(folder)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not _in_flight(folder) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)  # polling for the attempt to be noted: no ordering depends on it
        assert child.poll() is None, "the unlock ended before it could be killed"
        child.kill()
    finally:
        child.wait(30)
    [attempt] = _in_flight(folder)
    assert isinstance(attempt, dict)
    return float(attempt["at"])


def test_a_right_password_killed_mid_unlock_is_never_a_failure(
    slow_vault: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "vault"
    began = _killed_mid_unlock(slow_vault, folder, TEST_PASSWORD)
    vault = Vault.open(folder, clock=FakeClock(began + 0.5))
    vault.unlock(TEST_PASSWORD)  # at once: the dead process holds no slot and imposes no wait
    assert vault.failed_attempts_before_unlock == ()
    vault.lock()


def test_a_wrong_guess_killed_mid_unlock_counts_nothing_and_keeps_nobody_waiting(
    slow_vault: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "vault"
    began = _killed_mid_unlock(slow_vault, folder, "a wrong guess")
    vault = Vault.open(folder, clock=FakeClock(began + 0.5))
    vault.unlock(TEST_PASSWORD)  # its outcome was never shown: no guess was spent
    assert vault.failed_attempts_before_unlock == ()
    assert not (folder / STATE_FILE).exists()  # its leftover entry is gone with the success
    vault.lock()


def test_failures_recorded_by_the_previous_version_still_count(vault: Vault) -> None:
    vault.lock()
    clock = FakeClock()
    (vault.folder / STATE_FILE).write_text(json.dumps({"version": 1, "failures": [clock.now]}))
    with pytest.raises(UnlockBackoff) as caught:
        Vault.open(vault.folder, clock=clock).unlock(TEST_PASSWORD)
    assert caught.value.wait_seconds == 1
