"""The vault: one folder holding the officer's SQLCipher database and the keys that open it.

    <folder>/            0700
      header.json        0600  format, vault id, Argon2id params, wrapped data key(s), checksum
      vault.db           0600  SQLCipher 4, keyed with the raw 256-bit data key (+ -wal, -shm)
      unlock_state.json  0600  times of recent failed unlocks, checks in flight (not secret)
      unlock_state.json.lock, unlock_state.json.slot<0-4>.lock
                         0600  empty lock files: parallel unlocks counted exactly

The data key is random and never changes; the password (Argon2id -> AES-256-GCM) and optionally
the station's X25519 recovery key each wrap it. Changing the password rewrites the header only.
See docs/adr/0001-vault-keys-and-kdf.md and docs/SECURITY.md.

A `Vault` belongs to the app's single database worker, with two exceptions that any thread may
call: `connect()`/`disconnect()` hand out and take back further connections to the open database
(the sync works on its own, docs/adr/0012-threads-and-connections.md), and `lock()`/`wipe()`
close all of them.

A vault whose folder cannot be written (read-only media, a backup copy, a forensic image) opens
read-only: SQLite opens the database read-only and `query_only`, and every write raises
VaultReadOnly (docs/adr/0018-parallel-unlocks.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from fieldapp.atomic import atomic_write, fsync_directory, is_temp_of, shred_file
from fieldapp.errors import (
    InvalidInput,
    StorageFull,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    VaultReadOnly,
    WrongPassword,
)
from fieldapp.vault import crypto, kdf_policy
from fieldapp.vault.crypto import DecryptionFailed, KdfParams, MalformedEnvelope
from fieldapp.vault.lockout import UnlockThrottle, folder_writable, lock_files
from fieldapp.vault.passwords import check_password_strength

Connection = Any  # sqlcipher3.Connection (untyped extension module)
Clock = Callable[[], float]

FORMAT_NAME = "fieldapp-vault"
FORMAT_VERSION = 1
HEADER_FILE = "header.json"
DB_FILE = "vault.db"
STATE_FILE = "unlock_state.json"
DB_COMPANIONS = ("-wal", "-shm", "-journal")
APPLICATION_ID = 0x46415031  # "FAP1" in the SQLite header: this database file is ours

_VAULT_ID = re.compile(r"[0-9a-f]{32}")


# Errors not (yet) in fieldapp.errors.
class FolderNotEmpty(VaultExists):
    """Creating a vault in a folder that already holds other files."""

    key = "vault.folder_not_empty"


class WrongRecoveryKey(WrongPassword):
    """The recovery private key is not the one this vault's data key was wrapped to."""

    key = "vault.wrong_recovery_key"


class NoRecoveryKey(VaultError):
    """Recovery was asked for a vault that has no recovery wrap."""

    key = "vault.no_recovery_key"


class VaultUnreadable(VaultError):
    """The vault folder or header exists but cannot be read (permissions, I/O error)."""

    key = "vault.unreadable"


def check_password_policy(password: str) -> None:
    """WeakPassword unless the password is hard enough to guess (`passwords`; any script)."""
    check_password_strength(password)


# --- header -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryWrap:
    fingerprint: str  # SHA-256 of the station's raw X25519 public key, hex
    envelope: dict[str, Any]


@dataclass(frozen=True)
class VaultHeader:
    """The content of header.json (everything but the checksum, which is computed)."""

    vault_id: str
    created_at: str
    kdf: KdfParams
    password_wrap: dict[str, Any]
    recovery: RecoveryWrap | None = None

    def aad(self, purpose: str) -> bytes:
        """Associated data for a wrap: binds format, version, vault id and purpose."""
        return f"{FORMAT_NAME}\x00{FORMAT_VERSION}\x00{self.vault_id}\x00{purpose}".encode()

    def to_bytes(self) -> bytes:
        wrap = self.recovery and {
            "fingerprint": self.recovery.fingerprint,
            "wrap": self.recovery.envelope,
        }
        content: dict[str, Any] = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "kdf": self.kdf.to_dict(),
            "password_wrap": self.password_wrap,
            "recovery": wrap,
        }
        content["checksum"] = _checksum(content)
        return (json.dumps(content, indent=2, sort_keys=True) + "\n").encode("ascii")

    @classmethod
    def from_bytes(cls, raw: bytes) -> VaultHeader:
        """Parse header.json: VaultNotFound if it is someone else's, VaultDamaged if changed."""
        try:
            data = json.loads(raw.decode("utf-8"))  # UnicodeDecodeError is a ValueError
        except ValueError as exc:
            raise VaultDamaged() from exc
        if not isinstance(data, dict):
            raise VaultDamaged()
        if "checksum" not in data and data.get("format") != FORMAT_NAME:
            raise VaultNotFound()  # another program's header.json, not a damaged one of ours
        if data.pop("checksum", None) != _checksum(data):
            raise VaultDamaged()
        if data.get("format") != FORMAT_NAME:
            raise VaultNotFound()
        if data.get("version") != FORMAT_VERSION:
            raise VaultDamaged("vault.format_unsupported", version=str(data.get("version")))
        try:
            recovery = data["recovery"]
            header = cls(
                vault_id=data["vault_id"],
                created_at=data["created_at"],
                kdf=KdfParams.from_dict(data["kdf"]),
                password_wrap=data["password_wrap"],
                recovery=None
                if recovery is None
                else RecoveryWrap(recovery["fingerprint"], recovery["wrap"]),
            )
            if not isinstance(header.vault_id, str) or not _VAULT_ID.fullmatch(header.vault_id):
                raise ValueError("bad vault id")
            crypto.check_wrap_envelope(header.password_wrap)
            if header.recovery is not None:
                crypto.check_recovery_envelope(header.recovery.envelope)
        except (KeyError, TypeError, ValueError, MalformedEnvelope) as exc:
            raise VaultDamaged() from exc
        return header


def _checksum(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _read_header(folder: Path) -> VaultHeader:
    try:
        raw = (folder / HEADER_FILE).read_bytes()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise VaultNotFound() from exc
    except OSError as exc:
        raise VaultUnreadable() from exc
    return VaultHeader.from_bytes(raw)


# --- the vault --------------------------------------------------------------------------------


class Vault:
    """An officer's encrypted vault. `create` returns it unlocked, `open` returns it locked."""

    def __init__(self, folder: Path, header: VaultHeader, *, clock: Clock = time.time) -> None:
        self._folder = folder
        self._header = header
        self._clock = clock
        self._throttle = UnlockThrottle(folder / STATE_FILE, clock)
        self._key: bytearray | None = None
        self._conn: Connection | None = None
        self._failed_before: tuple[float, ...] = ()
        self._read_only = False  # decided by each password check: can the folder be written?
        # Connections handed out by connect(), by id, each with what to call before it closes.
        self._others: dict[int, tuple[Connection, Callable[[], None] | None]] = {}
        self._guard = threading.Lock()  # over _key, _conn and _others

    # -- life cycle --

    @classmethod
    def create(
        cls,
        folder: Path,
        password: str,
        *,
        recovery_public_key: bytes | None = None,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] = time.time,
    ) -> Vault:
        """A new vault in `folder` (created 0700 if missing), returned unlocked.

        `kdf` sets the Argon2id costs (default: the strong ones); a fresh salt is always drawn.
        VaultExists if a vault is there, FolderNotEmpty if the folder holds anything else;
        KdfBelowFloor if `kdf` is below the floor outside a test run (`kdf_policy`).
        """
        kdf = kdf or KdfParams()
        kdf_policy.check_floor(kdf)
        check_password_policy(password)
        if recovery_public_key is not None:
            _check_x25519_key(recovery_public_key)
        folder = Path(folder)
        _prepare_folder(folder)
        key = bytearray(os.urandom(crypto.KEY_BYTES))
        created_at = datetime.fromtimestamp(clock(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        unwrapped = VaultHeader(uuid.uuid4().hex, created_at, kdf, {})
        header = _with_password(unwrapped, key, password)
        if recovery_public_key is not None:
            header = replace(header, recovery=_recovery_wrap(header, recovery_public_key, key))
        vault = cls(folder, header, clock=clock)
        db_path = folder / DB_FILE
        try:
            fd = os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            os.close(fd)
            vault._conn = _open_database(db_path, key, new=True)
            # The header is written last: it is the commit point of the creation.
            atomic_write(folder / HEADER_FILE, header.to_bytes())
        except BaseException:
            if vault._conn is not None:
                vault._conn.close()
            _zero(key)
            _remove_database_files(folder)
            raise
        vault._key = key
        return vault

    @classmethod
    def open(cls, folder: Path, *, clock: Callable[[], float] = time.time) -> Vault:
        """The vault in `folder`, locked. VaultNotFound if there is none, VaultDamaged if its
        header fails its checks."""
        folder = Path(folder)
        if not folder.is_dir():
            raise VaultNotFound()
        return cls(folder, _read_header(folder), clock=clock)

    def unlock(self, password: str) -> None:
        """Open the database with the password. WrongPassword, UnlockBackoff(wait_seconds),
        VaultDamaged (the key is right but the database file is missing or damaged),
        KdfBelowFloor (a header with test costs, outside a test run)."""
        key = self._key_from_password(password)
        if self._conn is not None:  # already unlocked: the password was checked, nothing to do
            _zero(key)
            return
        self._open_with(key)

    def unlock_with_recovery(
        self, private_key: bytes, new_password: str, *, kdf: KdfParams | None = None
    ) -> None:
        """Unlock with the station's recovery private key and set `new_password`.

        WrongRecoveryKey if the key does not match, NoRecoveryKey if the vault has no recovery
        wrap. Not throttled: a 256-bit key cannot be guessed. `kdf`: the costs asked for; the
        new wrap keeps the stronger of those and the vault's (it also lifts a vault below the
        floor, which cannot be unlocked with its password outside a test run).
        """
        check_password_policy(new_password)
        if not folder_writable(self._folder):
            raise VaultReadOnly()  # recovery writes the new password's wrap
        header = self._reload_header()
        params = kdf_policy.stronger(header.kdf, kdf) if kdf else header.kdf
        kdf_policy.check_floor(params)
        if header.recovery is None:
            raise NoRecoveryKey()
        public = crypto.recovery_public_key(_check_x25519_key(private_key))
        if crypto.public_key_fingerprint(public) != header.recovery.fingerprint:
            raise WrongRecoveryKey()
        try:
            raw = crypto.unwrap_with_recovery(
                private_key, header.recovery.envelope, header.aad("recovery")
            )
        except DecryptionFailed as exc:
            raise WrongRecoveryKey() from exc
        key = bytearray(raw)
        if self._conn is None:
            self._open_with(key)  # damaged database: fail before touching the header
        else:
            _zero(key)
            key = self._require_key()
        self._write_header(_with_password(header, key, new_password, params))
        self._throttle.clear()

    def change_password(self, old: str, new: str, *, kdf: KdfParams | None = None) -> None:
        """Re-wrap the data key under `new`; the database is not re-encrypted. Works locked or
        unlocked; `old` is checked (and throttled) like an unlock. `kdf`: the Argon2id costs
        asked for; the vault keeps the stronger of those and its own (default: its own), so a
        password change never weakens it. The salt is always fresh."""
        check_password_policy(new)
        key = self._key_from_password(old)  # always a fresh copy, never self._key
        try:
            header = self._header  # as just read by _key_from_password
            params = kdf_policy.stronger(header.kdf, kdf) if kdf else header.kdf
            kdf_policy.check_floor(params)
            self._write_header(_with_password(header, key, new, params))
        finally:
            _zero(key)

    def set_recovery_key(self, public_key: bytes) -> None:
        """Wrap the data key (also) to the station's X25519 public key, replacing any earlier."""
        _check_x25519_key(public_key)
        key = self._require_key()
        header = self._reload_header()
        self._write_header(replace(header, recovery=_recovery_wrap(header, public_key, key)))

    def connect(self, *, on_lock: Callable[[], None] | None = None) -> Connection:
        """Another connection to the open database (autocommit mode), keyed with the data key
        in memory, for work off the vault's own thread: the sync uses one so that a save or a
        search never waits for the network. VaultLocked when locked.

        `lock()` and `wipe()` first call `on_lock` (on the locking thread: it must only tell
        the connection's user to stop) and then close the connection; an open transaction on
        it is rolled back. SQLite's own locks (WAL, `BEGIN IMMEDIATE`) serialise writers."""
        with self._guard:
            key = self._require_key()
            conn = _open_database(self._folder / DB_FILE, key, new=False, read_only=self._read_only)
            self._others[id(conn)] = (conn, on_lock)
        return conn

    def disconnect(self, conn: Connection) -> None:
        """Close a connection made by `connect()` (nothing if the vault has closed it)."""
        with self._guard:
            entry = self._others.pop(id(conn), None)
        if entry is not None:
            entry[0].close()

    def lock(self) -> None:
        """Close every connection and zero our copy of the data key. Safe to call when locked
        and from any thread; the users of `connect()`'s connections are told first."""
        with self._guard:
            others = list(self._others.values())
            self._others.clear()
            conn, self._conn = self._conn, None
            key, self._key = self._key, None
        try:
            for _, on_lock in others:
                if on_lock is not None:
                    on_lock()
        finally:
            for other, _ in others:
                other.close()
            if conn is not None:
                conn.close()
            if key is not None:
                _zero(key)

    def wipe(self) -> None:
        """Crypto-shred the vault: overwrite and remove the header (the only copy of the wrapped
        data key) first, then delete the database, its WAL and the folder."""
        self.lock()
        folder = self._folder
        if not folder.is_dir():
            return
        if not folder_writable(folder):
            raise VaultReadOnly()
        header = folder / HEADER_FILE
        for path in [header, *(p for p in folder.iterdir() if is_temp_of(p, header))]:
            shred_file(path)
        fsync_directory(folder)
        # Then the database, WAL, SHM and unlock state: unreadable now the wrapped key is gone.
        shutil.rmtree(folder)
        fsync_directory(folder.parent)

    def check_integrity(self) -> None:
        """Read every page: VaultDamaged unless each page's HMAC and the b-trees are sound.

        Costs about 0.3 s per 40 MiB; run it after an unclean shutdown or before a backup.
        """
        conn = self.connection
        try:
            cipher_errors = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            result = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlcipher3.DatabaseError as exc:
            raise VaultDamaged() from exc
        if cipher_errors or result != [("ok",)]:
            raise VaultDamaged()

    # -- properties --

    @property
    def connection(self) -> Connection:
        """The open sqlcipher3 connection (autocommit mode); VaultLocked when locked."""
        if self._conn is None:
            raise VaultLocked()
        return self._conn

    @property
    def is_unlocked(self) -> bool:
        return self._conn is not None

    @property
    def read_only(self) -> bool:
        """Whether the vault was opened read-only: its folder cannot be written (read-only
        media). Every write raises VaultReadOnly; unlock attempts are limited in this process."""
        return self._read_only

    @property
    def vault_id(self) -> str:
        return self._header.vault_id

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def failed_attempts_before_unlock(self) -> tuple[float, ...]:
        """Times (epoch seconds) of the failed attempts between the previous success and the
        last successful password check, oldest first: for the audit log."""
        return self._failed_before

    @property
    def recovery_fingerprint(self) -> str | None:
        """SHA-256 (hex) of the station recovery public key the vault is wrapped to, if any."""
        return None if self._header.recovery is None else self._header.recovery.fingerprint

    # -- internals --

    def _key_from_password(self, password: str) -> bytearray:
        header = self._reload_header()
        kdf_policy.check_floor(header.kdf)  # a header made for tests opens only in a test run
        # The slow KDF runs holding a slot (or waits for one); the outcome is written before
        # anyone learns it, and only a wrong password counts: a check cut short by a kill or
        # an error counts nothing (fieldapp/vault/lockout.py).
        with self._throttle.attempt() as attempt:
            kek = crypto.derive_kek(password, header.kdf)
            try:
                raw = crypto.unwrap_key(kek, header.password_wrap, header.aad("password"))
            except MalformedEnvelope as exc:
                raise VaultDamaged() from exc
            except DecryptionFailed as exc:
                attempt.failed()
                raise WrongPassword() from exc
            self._failed_before = attempt.succeeded()
            self._read_only = not attempt.shared
        return bytearray(raw)

    def _open_with(self, key: bytearray) -> None:
        try:
            conn = _open_database(self._folder / DB_FILE, key, new=False, read_only=self._read_only)
        except BaseException:
            _zero(key)
            raise
        with self._guard:
            self._conn, self._key = conn, key

    def _require_key(self) -> bytearray:
        if self._key is None or self._conn is None:
            raise VaultLocked()
        return self._key

    def _reload_header(self) -> VaultHeader:
        """Read the header again: another process (the CLI) may have changed the password."""
        if not self._folder.is_dir():
            raise VaultNotFound()
        header = _read_header(self._folder)
        if header.vault_id != self._header.vault_id:
            raise VaultDamaged()  # the folder now holds a different vault
        self._header = header
        return header

    def _write_header(self, header: VaultHeader) -> None:
        if self._read_only:
            raise VaultReadOnly()
        atomic_write(self._folder / HEADER_FILE, header.to_bytes())
        self._header = header


def _prepare_folder(folder: Path) -> None:
    """Make `folder` an empty 0700 folder, or refuse (VaultExists / FolderNotEmpty)."""
    if folder.exists():
        if not folder.is_dir():
            raise FolderNotEmpty()
        if (folder / HEADER_FILE).exists():
            raise VaultExists()
        entries = list(folder.iterdir())
        ours = {DB_FILE, *(DB_FILE + s for s in DB_COMPANIONS), STATE_FILE}
        ours |= {path.name for path in lock_files(folder / STATE_FILE)}
        header = folder / HEADER_FILE
        if any(p.name not in ours and not is_temp_of(p, header) for p in entries):
            raise FolderNotEmpty()
        # Only leftovers of a creation that died before writing its header: without a header
        # the database key was never stored anywhere, so nothing can be lost by removing them.
        for path in entries:
            path.unlink()
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)


def _open_database(path: Path, key: bytearray, *, new: bool, read_only: bool = False) -> Connection:
    """Open `path` with SQLCipher keyed by the raw data key (SQLCipher's own KDF skipped).

    Reading sqlite_master checks page 1's HMAC, so a wrong key or a damaged first page fails
    here; other pages are checked as they are read (or all at once by check_integrity).
    `read_only`: the folder cannot be written; the connection refuses every write.
    """
    # mode=rw: never let SQLite create a fresh empty database in place of a missing one.
    query = "?mode=rw"
    if read_only:
        # On read-only media SQLite can create no -shm file. A WAL left by a copy taken while
        # the vault was open must be read (mode=ro, with its -shm); a vault closed cleanly has
        # none, and `immutable` lets SQLite read the lone file without any lock or -shm.
        wal = path.with_name(path.name + "-wal")
        query = "?mode=ro" if wal.is_file() and wal.stat().st_size > 0 else "?mode=ro&immutable=1"
    try:
        conn = sqlcipher3.connect(
            path.absolute().as_uri() + query,
            uri=True,
            isolation_level=None,
            check_same_thread=False,  # opened on one worker, locked from another; never at once
        )
    except sqlcipher3.DatabaseError as exc:
        if read_only and "unable to open" in str(exc).lower():
            raise VaultReadOnly("vault.read_only_copy_incomplete") from exc
        raise VaultDamaged() from exc
    try:
        # SQLCipher logs HMAC failures to stderr by default: on a damaged vault that would put
        # internal log lines on the officer's screen. Damage is reported as VaultDamaged instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        # Zero SQLCipher's freed buffers (decrypted pages) so they do not outlive lock().
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_compatibility = 4")  # pin the page format across upgrades
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if new:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        elif conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise VaultDamaged()
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        if read_only:
            # Refuse writes on the connection itself: `Store` and `transaction` read this flag
            # to say "read-only" rather than "damaged".
            conn.execute("PRAGMA query_only = ON")
        else:
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                raise VaultDamaged()
            conn.execute("PRAGMA synchronous = FULL")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "full" in str(exc).lower():
            raise StorageFull() from exc
        if read_only and "unable to open" in str(exc).lower():
            # A WAL without its -shm: SQLite cannot read it on media it may not write.
            raise VaultReadOnly("vault.read_only_copy_incomplete") from exc
        raise VaultDamaged() from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _with_password(
    header: VaultHeader, key: bytearray, password: str, kdf: KdfParams | None = None
) -> VaultHeader:
    """`header` with the data key wrapped to `password` (costs from `kdf` or the header's own,
    always a fresh salt). The callers have checked the costs against the floor."""
    params = (kdf or header.kdf).with_fresh_salt()
    wrap = crypto.wrap_key(crypto.derive_kek(password, params), key, header.aad("password"))
    return replace(header, kdf=params, password_wrap=wrap)


def _recovery_wrap(header: VaultHeader, public_key: bytes, key: bytearray) -> RecoveryWrap:
    envelope = crypto.wrap_to_recovery(public_key, key, header.aad("recovery"))
    return RecoveryWrap(crypto.public_key_fingerprint(public_key), envelope)


def _check_x25519_key(raw: bytes) -> bytes:
    if not isinstance(raw, bytes | bytearray) or len(raw) != crypto.KEY_BYTES:
        raise InvalidInput("vault.bad_recovery_key")
    return bytes(raw)


def _remove_database_files(folder: Path) -> None:
    for name in (DB_FILE, *(DB_FILE + s for s in DB_COMPANIONS)):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def _zero(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))
