"""The vault on real SQLCipher files: keys, passwords, recovery, backoff, damage, wipe."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlcipher3

from fieldapp.atomic import atomic_write
from fieldapp.errors import (
    InvalidInput,
    StorageFull,
    UnlockBackoff,
    VaultDamaged,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WeakPassword,
    WrongPassword,
)
from fieldapp.vault import crypto
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.lockout import IdleLock, lock_files
from fieldapp.vault.vault import (
    DB_FILE,
    HEADER_FILE,
    STATE_FILE,
    FolderNotEmpty,
    NoRecoveryKey,
    Vault,
    VaultHeader,
    WrongRecoveryKey,
)
from tests.conftest import TEST_PASSWORD

SECRET = "سجل زيارة منزلية: فاطمة الزهراء"


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _write_secret(vault: Vault) -> None:
    vault.connection.execute("CREATE TABLE note (body TEXT)")
    vault.connection.execute("INSERT INTO note VALUES (?)", (SECRET,))


def _read_secret(vault: Vault) -> str:
    return str(vault.connection.execute("SELECT body FROM note").fetchone()[0])


def _header(folder: Path) -> dict[str, object]:
    return dict(json.loads((folder / HEADER_FILE).read_bytes()))


def _data_key(folder: Path, password: str) -> bytes:
    """The data key, unwrapped by hand from the header with the crypto functions alone."""
    header = VaultHeader.from_bytes((folder / HEADER_FILE).read_bytes())
    kek = crypto.derive_kek(password, header.kdf)
    return crypto.unwrap_key(kek, header.password_wrap, header.aad("password"))


def _open_raw(path: Path, key_pragma: str) -> int:
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = {key_pragma}")
        return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    finally:
        conn.close()


# --- create, lock, unlock ---------------------------------------------------------------------


def test_created_vault_is_unlocked_and_keeps_data_across_lock(vault: Vault) -> None:
    assert vault.is_unlocked
    _write_secret(vault)
    vault.lock()
    assert not vault.is_unlocked
    with pytest.raises(VaultLocked):
        _ = vault.connection
    again = Vault.open(vault.folder)
    assert not again.is_unlocked and again.vault_id == vault.vault_id
    again.unlock(TEST_PASSWORD)
    assert _read_secret(again) == SECRET
    again.lock()


def test_wrong_password_is_refused_and_the_vault_stays_locked(vault: Vault) -> None:
    vault.lock()
    with pytest.raises(WrongPassword):
        vault.unlock("not the password")
    assert not vault.is_unlocked


def test_lock_zeroes_the_data_key_held_in_memory(vault: Vault) -> None:
    held = vault._key
    assert held is not None and any(held)
    vault.lock()
    assert held == bytearray(32) and vault._key is None


def test_password_in_any_script_and_normal_form_unlocks(
    vault_dir: Path, fast_kdf: KdfParams
) -> None:
    tail = " \u0641\u064a \u0628\u064a\u062a\u0646\u0627"  # " في بيتنا": strong enough
    composed = "\u0622\u0645\u0646 \u0648\u0633\u0631\u064a" + tail  # آمن وسري
    decomposed = "\u0627\u0653\u0645\u0646 \u0648\u0633\u0631\u064a" + tail
    Vault.create(vault_dir, composed, kdf=fast_kdf).lock()
    vault = Vault.open(vault_dir)
    vault.unlock(decomposed)
    assert vault.is_unlocked
    vault.lock()


def test_short_password_is_refused(vault_dir: Path, fast_kdf: KdfParams, vault: Vault) -> None:
    with pytest.raises(WeakPassword):
        Vault.create(vault_dir.with_name("other"), "1234567", kdf=fast_kdf)
    with pytest.raises(WeakPassword):
        vault.change_password(TEST_PASSWORD, "short")


def test_default_kdf_is_the_strong_one(vault_dir: Path) -> None:
    Vault.create(vault_dir, TEST_PASSWORD).lock()
    kdf = _header(vault_dir)["kdf"]
    assert isinstance(kdf, dict)
    assert kdf["memory_kib"] >= 262_144 and kdf["iterations"] >= 3


# --- the database is keyed with the raw data key ----------------------------------------------


def test_database_opens_only_with_the_raw_data_key(vault: Vault) -> None:
    _write_secret(vault)
    vault.lock()
    db = vault.folder / DB_FILE
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()
    with pytest.raises(sqlcipher3.DatabaseError):
        _open_raw(db, f"\"x'{os.urandom(32).hex()}'\"")
    with pytest.raises(sqlcipher3.DatabaseError):  # the password through SQLCipher's own KDF
        _open_raw(db, f"'{TEST_PASSWORD}'")
    data_key = _data_key(vault.folder, TEST_PASSWORD)
    assert _open_raw(db, f"\"x'{data_key.hex()}'\"") == 1


def test_no_plaintext_or_password_is_written_to_the_folder(vault: Vault) -> None:
    _write_secret(vault)
    vault.connection.execute("DELETE FROM note")  # secure_delete: freed pages are zeroed too
    vault.connection.execute("INSERT INTO note VALUES (?)", (SECRET,))
    vault.lock()
    with pytest.raises(WrongPassword):
        vault.unlock("a wrong guess")  # writes unlock_state.json
    needles = [SECRET.encode(), SECRET.encode("utf-16-le"), TEST_PASSWORD.encode()]
    for path in vault.folder.rglob("*"):
        content = path.read_bytes()
        assert not any(needle in content for needle in needles), path


# --- password change and recovery -------------------------------------------------------------


def test_change_password_rewraps_without_touching_the_database(vault: Vault) -> None:
    _write_secret(vault)
    vault.lock()
    db = vault.folder / DB_FILE
    before = (hashlib.sha256(db.read_bytes()).digest(), db.stat().st_mtime_ns)
    old_salt = _header(vault.folder)["kdf"]
    vault.change_password(TEST_PASSWORD, "a new long password")
    assert (hashlib.sha256(db.read_bytes()).digest(), db.stat().st_mtime_ns) == before
    assert _header(vault.folder)["kdf"] != old_salt
    clock = FakeClock()
    changed = Vault.open(vault.folder, clock=clock)
    with pytest.raises(WrongPassword):
        changed.unlock(TEST_PASSWORD)
    clock.now += 1  # past the backoff after one failure
    changed.unlock("a new long password")
    assert _read_secret(changed) == SECRET
    changed.lock()


def test_change_password_can_raise_the_kdf_costs(vault: Vault) -> None:
    stronger = KdfParams(memory_kib=16 * 1024, iterations=2, lanes=1)
    vault.change_password(TEST_PASSWORD, "a new long password", kdf=stronger)
    kdf = _header(vault.folder)["kdf"]
    assert isinstance(kdf, dict) and (kdf["memory_kib"], kdf["iterations"]) == (16 * 1024, 2)
    assert kdf["salt"] != crypto._b64(stronger.salt)  # never the caller's salt


def test_change_password_with_the_wrong_old_password_changes_nothing(vault: Vault) -> None:
    header = (vault.folder / HEADER_FILE).read_bytes()
    with pytest.raises(WrongPassword):
        vault.change_password("not the password", "a new long password")
    assert (vault.folder / HEADER_FILE).read_bytes() == header


def test_another_instance_sees_a_password_changed_elsewhere(vault: Vault) -> None:
    vault.lock()
    clock = FakeClock()
    app = Vault.open(vault.folder, clock=clock)
    elsewhere = Vault.open(vault.folder)  # e.g. the CLI, while the app sits locked
    elsewhere.change_password(TEST_PASSWORD, "changed by the cli")
    with pytest.raises(WrongPassword):
        app.unlock(TEST_PASSWORD)
    clock.now += 1
    app.unlock("changed by the cli")
    app.lock()


def test_recovery_key_unlocks_and_sets_a_new_password(vault_dir: Path, fast_kdf: KdfParams) -> None:
    private, public = crypto.generate_recovery_keypair()
    vault = Vault.create(vault_dir, TEST_PASSWORD, recovery_public_key=public, kdf=fast_kdf)
    _write_secret(vault)
    vault.lock()
    assert vault.recovery_fingerprint == crypto.public_key_fingerprint(public)
    clock = FakeClock()
    forgotten = Vault.open(vault_dir, clock=clock)
    forgotten.unlock_with_recovery(private, "chosen at the station")
    assert _read_secret(forgotten) == SECRET
    forgotten.lock()
    with pytest.raises(WrongPassword):
        forgotten.unlock(TEST_PASSWORD)
    clock.now += 1
    forgotten.unlock("chosen at the station")
    forgotten.lock()


def test_wrong_recovery_key_is_refused(vault_dir: Path, fast_kdf: KdfParams) -> None:
    _, public = crypto.generate_recovery_keypair()
    other_private, _ = crypto.generate_recovery_keypair()
    Vault.create(vault_dir, TEST_PASSWORD, recovery_public_key=public, kdf=fast_kdf).lock()
    vault = Vault.open(vault_dir)
    header = (vault_dir / HEADER_FILE).read_bytes()
    with pytest.raises(WrongRecoveryKey):
        vault.unlock_with_recovery(other_private, "chosen at the station")
    assert not vault.is_unlocked
    assert (vault_dir / HEADER_FILE).read_bytes() == header


def test_recovery_key_can_be_added_later_but_only_when_unlocked(vault: Vault) -> None:
    private, public = crypto.generate_recovery_keypair()
    vault.lock()
    with pytest.raises(NoRecoveryKey):
        vault.unlock_with_recovery(private, "chosen at the station")
    with pytest.raises(VaultLocked):
        vault.set_recovery_key(public)
    vault.unlock(TEST_PASSWORD)
    with pytest.raises(InvalidInput):
        vault.set_recovery_key(b"too short")
    vault.set_recovery_key(public)
    vault.lock()
    vault.unlock_with_recovery(private, "chosen at the station")
    assert vault.is_unlocked


def test_a_wrap_copied_from_another_vault_does_not_open(
    tmp_path: Path, fast_kdf: KdfParams
) -> None:
    Vault.create(tmp_path / "a", "first vault on the desk", kdf=fast_kdf).lock()
    Vault.create(tmp_path / "b", "second vault on the shelf", kdf=fast_kdf).lock()
    a = VaultHeader.from_bytes((tmp_path / "a" / HEADER_FILE).read_bytes())
    b = VaultHeader.from_bytes((tmp_path / "b" / HEADER_FILE).read_bytes())
    forged = replace(b, kdf=a.kdf, password_wrap=a.password_wrap)  # checksum recomputed
    (tmp_path / "b" / HEADER_FILE).write_bytes(forged.to_bytes())
    with pytest.raises(WrongPassword):
        Vault.open(tmp_path / "b").unlock("first vault on the desk")


# --- backoff ----------------------------------------------------------------------------------


def _wrong(vault: Vault) -> None:
    with pytest.raises(WrongPassword):
        vault.unlock("a wrong guess")


def _waits(vault: Vault, password: str = "a wrong guess") -> int:  # noqa: S107
    with pytest.raises(UnlockBackoff) as caught:
        vault.unlock(password)
    return caught.value.wait_seconds


@pytest.fixture
def clocked(vault_dir: Path, fast_kdf: KdfParams) -> Iterator[tuple[Vault, FakeClock]]:
    clock = FakeClock()
    Vault.create(vault_dir, TEST_PASSWORD, kdf=fast_kdf, clock=clock).lock()
    vault = Vault.open(vault_dir, clock=clock)
    yield vault, clock
    vault.lock()


def test_failed_unlocks_back_off_then_wait_fifteen_minutes(
    clocked: tuple[Vault, FakeClock],
) -> None:
    vault, clock = clocked
    start = clock.now
    _wrong(vault)  # 1st failure at +0
    for delay in (1, 2, 4, 8):
        assert _waits(vault) == delay
        clock.now += delay
        _wrong(vault)  # failures at +1, +3, +7, +15: five within 15 minutes
    assert clock.now - start == 15
    assert _waits(vault) == 900 - 15
    assert _waits(vault, TEST_PASSWORD) == 900 - 15  # even the right password is not tried
    clock.now = start + 899.5
    assert _waits(vault, TEST_PASSWORD) == 1
    clock.now = start + 900  # the first failure has left the window
    vault.unlock(TEST_PASSWORD)
    assert vault.is_unlocked
    assert not (vault.folder / STATE_FILE).exists()


def test_failures_are_counted_over_any_fifteen_minutes(clocked: tuple[Vault, FakeClock]) -> None:
    vault, clock = clocked
    for _ in range(5):
        _wrong(vault)
        clock.now += 10
    assert _waits(vault) == 900 - 50
    clock.now += 850
    _wrong(vault)  # allowed again, but four failures are still recent: 5 again in the window
    assert _waits(vault) == 10


def test_success_clears_the_failures(clocked: tuple[Vault, FakeClock]) -> None:
    vault, clock = clocked
    _wrong(vault)
    clock.now += 1
    _wrong(vault)
    clock.now += 2
    vault.unlock(TEST_PASSWORD)
    vault.lock()
    _wrong(vault)
    assert _waits(vault) == 1


def test_failures_since_the_last_unlock_are_reported_for_the_audit_log(
    clocked: tuple[Vault, FakeClock],
) -> None:
    vault, clock = clocked
    start = clock.now
    _wrong(vault)
    clock.now += 1
    _wrong(vault)
    clock.now += 2
    vault.unlock(TEST_PASSWORD)
    assert vault.failed_attempts_before_unlock == (start, start + 1)
    vault.lock()
    vault.unlock(TEST_PASSWORD)
    after_a_clean_unlock: tuple[float, ...] = vault.failed_attempts_before_unlock
    assert after_a_clean_unlock == ()


def test_deleting_the_state_file_does_not_skip_the_password_check(
    clocked: tuple[Vault, FakeClock],
) -> None:
    vault, _ = clocked
    _wrong(vault)
    (vault.folder / STATE_FILE).unlink()
    _wrong(vault)  # the wait is gone, the password check is not
    assert not vault.is_unlocked


def test_a_clock_set_back_does_not_lock_out_forever(clocked: tuple[Vault, FakeClock]) -> None:
    vault, clock = clocked
    for _ in range(5):
        _wrong(vault)
        clock.now += 10
    clock.now -= 86_400  # the clock jumps a day back
    assert _waits(vault) == 900
    clock.now += 900
    vault.unlock(TEST_PASSWORD)


# --- damage -----------------------------------------------------------------------------------


def test_every_flipped_bit_in_the_header_reads_as_damage(vault: Vault) -> None:
    vault.lock()
    path = vault.folder / HEADER_FILE
    original = path.read_bytes()
    for position in range(len(original)):
        for bit in (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80):
            damaged = bytearray(original)
            damaged[position] ^= bit
            path.write_bytes(damaged)
            with pytest.raises(VaultDamaged):
                Vault.open(vault.folder)
    path.write_bytes(original)
    Vault.open(vault.folder).unlock(TEST_PASSWORD)


def test_header_damaged_after_open_is_reported_on_unlock(vault: Vault) -> None:
    vault.lock()
    path = vault.folder / HEADER_FILE
    path.write_bytes(path.read_bytes().replace(b'"lanes": 1', b'"lanes": 2'))
    with pytest.raises(VaultDamaged):
        vault.unlock(TEST_PASSWORD)


def _flip_db_byte(folder: Path, offset: int) -> None:
    path = folder / DB_FILE
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x04
    path.write_bytes(data)


@pytest.mark.parametrize("offset", [3, 100, 4000], ids=["salt", "page1-body", "page1-hmac"])
def test_damaged_first_page_is_damage_not_a_wrong_password(vault: Vault, offset: int) -> None:
    _write_secret(vault)
    vault.lock()
    _flip_db_byte(vault.folder, offset)
    with pytest.raises(VaultDamaged):
        vault.unlock(TEST_PASSWORD)
    assert not vault.is_unlocked


def test_damaged_data_page_is_caught_never_read_as_data(vault: Vault) -> None:
    vault.connection.execute("CREATE TABLE note (body TEXT)")
    for i in range(300):
        vault.connection.execute("INSERT INTO note VALUES (?)", (f"{SECRET} {i}" * 5,))
    vault.lock()
    pages = (vault.folder / DB_FILE).stat().st_size // 4096
    assert pages > 4
    _flip_db_byte(vault.folder, (pages - 2) * 4096 + 500)
    vault.unlock(TEST_PASSWORD)
    with pytest.raises(VaultDamaged):
        vault.check_integrity()
    with pytest.raises(sqlcipher3.DatabaseError):
        vault.connection.execute("SELECT body FROM note").fetchall()


def test_intact_vault_passes_the_integrity_check(vault: Vault) -> None:
    _write_secret(vault)
    vault.check_integrity()


def test_missing_database_is_damage_not_a_fresh_empty_vault(vault: Vault) -> None:
    vault.lock()
    (vault.folder / DB_FILE).unlink()
    with pytest.raises(VaultDamaged):
        vault.unlock(TEST_PASSWORD)
    assert not (vault.folder / DB_FILE).exists()


# --- finding and creating ---------------------------------------------------------------------


def test_missing_or_foreign_folders_are_not_vaults(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "nothing here")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "photos")
    (tmp_path / "photos" / HEADER_FILE).write_text('{"format": "someone-else", "version": 3}')
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "photos")
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "photos" / "cat.jpg")


def test_create_refuses_an_existing_vault_or_a_foreign_folder(
    vault: Vault, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault.folder, TEST_PASSWORD, kdf=fast_kdf)
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "letter.txt").write_text("keep me")
    with pytest.raises(FolderNotEmpty):
        Vault.create(tmp_path / "documents", TEST_PASSWORD, kdf=fast_kdf)
    assert (tmp_path / "documents" / "letter.txt").read_text() == "keep me"


def test_create_replaces_leftovers_of_a_creation_that_died(
    vault_dir: Path, fast_kdf: KdfParams
) -> None:
    vault_dir.mkdir()
    (vault_dir / DB_FILE).write_bytes(os.urandom(4096))  # no header: its key was never stored
    vault = Vault.create(vault_dir, TEST_PASSWORD, kdf=fast_kdf)
    _write_secret(vault)
    vault.lock()


def test_files_are_private_to_the_user(vault_dir: Path, fast_kdf: KdfParams) -> None:
    previous = os.umask(0)  # even with a permissive umask
    try:
        vault = Vault.create(vault_dir, TEST_PASSWORD, kdf=fast_kdf)
        _write_secret(vault)  # WAL and SHM exist while unlocked
        with pytest.raises(WrongPassword):
            vault.change_password("a wrong guess", "a new long password")  # unlock_state.json
    finally:
        os.umask(previous)
    assert stat.S_IMODE(vault_dir.stat().st_mode) == 0o700
    names = {p.name for p in vault_dir.iterdir()}
    ours = {HEADER_FILE, DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", STATE_FILE}
    assert ours <= names <= ours | {path.name for path in lock_files(vault_dir / STATE_FILE)}
    for path in vault_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    vault.lock()


# --- wipe -------------------------------------------------------------------------------------


def test_wipe_shreds_the_header_and_removes_everything(vault: Vault, tmp_path: Path) -> None:
    _write_secret(vault)
    wrapped = str(_header(vault.folder)["password_wrap"]).encode()
    same_inode = tmp_path / "header-blocks"  # sees what stays in the header file's blocks
    os.link(vault.folder / HEADER_FILE, same_inode)
    old_header = same_inode.read_bytes()
    vault.wipe()
    assert not vault.is_unlocked
    assert not vault.folder.exists()
    left = same_inode.read_bytes()
    assert old_header not in left and wrapped not in left
    assert list(tmp_path.iterdir()) == [same_inode]
    with pytest.raises(VaultNotFound):
        Vault.open(vault.folder)


def test_wipe_works_on_a_locked_vault(vault: Vault) -> None:
    vault.lock()
    Vault.open(vault.folder).wipe()
    assert not vault.folder.exists()


# --- idle lock --------------------------------------------------------------------------------


def test_idle_lock_expires_after_the_timeout_since_the_last_touch() -> None:
    clock = FakeClock(0)
    idle = IdleLock(clock=clock)
    assert idle.timeout_s == 15 * 60
    clock.now = 899
    assert not idle.expired()
    idle.touch()
    clock.now = 899 + 899
    assert not idle.expired() and idle.remaining() == 1
    clock.now += 1
    assert idle.expired()


@pytest.mark.parametrize("timeout", [0, -1, 30 * 60 + 1])
def test_idle_lock_timeout_is_capped_at_thirty_minutes(timeout: float) -> None:
    with pytest.raises(InvalidInput):
        IdleLock(timeout)
    assert IdleLock(30 * 60).timeout_s == 1800


# --- atomic writes ----------------------------------------------------------------------------


def test_atomic_write_replaces_the_file_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"old")
    os.chmod(path, 0o644)
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


_FULL_DISK_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from fieldapp.atomic import atomic_write
    from fieldapp.errors import StorageFull
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (65536, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    try:
        atomic_write(sys.argv[1], b"n" * 1_000_000)
    except StorageFull:
        sys.exit(42)
    """
)


def test_atomic_write_on_a_full_disk_leaves_the_old_file(tmp_path: Path) -> None:
    # A real failing write: the child may not grow any file past 64 KiB (RLIMIT_FSIZE).
    path = tmp_path / "header.json"
    path.write_bytes(b"old content")
    child = subprocess.run(
        [sys.executable, "-c", _FULL_DISK_CHILD, str(path)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        check=False,
    )
    assert child.returncode == 42, child.stderr.decode()
    assert path.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["header.json"]


def test_atomic_write_into_a_missing_folder_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageFull):
        atomic_write(tmp_path / "gone" / "file", b"data")
