"""An officer's working session: the vault unlocked and the store over it.

The CLI and the desktop app both open the vault through here, so unlocking, auditing the unlock
(and the failed attempts before it) and loading the form definitions happen one way only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.forms.definitions import FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.store.db import Connection
from fieldapp.store.records import IDENTITY_STATION, IDENTITY_USER
from fieldapp.store.store import Store
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.kdf_policy import TEST_KDF_PROFILE as TEST_KDF_PROFILE  # tests import it
from fieldapp.vault.kdf_policy import in_test_profile
from fieldapp.vault.vault import Vault

REFERENCE_OVERRIDE = "reference.file"


def kdf_from_environment() -> KdfParams | None:
    """The cheap test costs in a test run that asked for them (`fieldapp.vault.kdf_policy`), else
    None; KdfProfileRefused when FIELDAPP_KDF_PROFILE is set outside a test run."""
    return KdfParams.for_tests() if in_test_profile() else None


@dataclass
class Session:
    """The unlocked vault and its store; `with unlock(...) as s:` locks it again on the way out,
    whatever happens inside."""

    vault: Vault
    store: Store

    def close(self) -> None:
        """Lock the vault: the connection closes and the key leaves memory."""
        self.vault.lock()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open_for_sync(self) -> SyncAccess:
        """The sync's own way into this unlocked vault: a store over a connection of its own,
        for a thread other than the vault's (docs/adr/0012-threads-and-connections.md).

        No password is asked for and the unlock-attempt state is not touched: it works on the
        key this session already holds. VaultLocked if the session is locked."""
        return SyncAccess(self)


class SyncAccess:
    """A store over its own connection to an unlocked vault, for the sync's thread.

    Saves and searches on the session's store go on while the sync waits for the network;
    SQLite serialises the writers of both connections. When the vault is locked or wiped, the
    listeners given to `on_lock` are called (on the locking thread: they should only ask the
    sync to stop, e.g. `SyncEngine.stop`), then the connection is closed: whatever the sync
    was writing is rolled back and its next use of the store raises VaultLocked.
    """

    def __init__(self, session: Session) -> None:
        self.vault = session.vault
        self._locked = threading.Event()
        self._listeners: list[Callable[[], None]] = []
        self._guard = threading.Lock()
        self._conn: Connection = session.vault.connect(on_lock=self._vault_locking)
        self.store: Store = session.store.with_connection(self._conn)

    @property
    def locked(self) -> bool:
        """Whether the vault was locked (or wiped) under this access."""
        return self._locked.is_set()

    def on_lock(self, listener: Callable[[], None]) -> None:
        """Call `listener` when the vault locks (at once if it already has)."""
        with self._guard:
            if not self._locked.is_set():
                self._listeners.append(listener)
                return
        listener()

    def close(self) -> None:
        """Give the connection back (the vault stays unlocked for its session)."""
        self.vault.disconnect(self._conn)

    def __enter__(self) -> SyncAccess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _vault_locking(self) -> None:
        with self._guard:
            self._locked.set()
            listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener()


def _store_for(
    vault: Vault,
    *,
    forms: FormRegistry | None,
    reference: AdminReference | None,
    clock: Callable[[], datetime],
) -> Store:
    forms = forms or load_forms()
    conn = vault.connection
    store = Store.open(
        conn, forms=forms, reference=reference or load_reference(), actor="", clock=clock
    )
    store.actor = store.get_state(IDENTITY_USER) or "officer"
    store.station_id = store.get_state(IDENTITY_STATION)
    override = store.get_state(REFERENCE_OVERRIDE)
    if reference is None and override and Path(override).is_file():
        store.reference = load_reference(Path(override))
    return store


def create(
    data_dir: Path,
    password: str,
    *,
    officer: str | None = None,
    station: str | None = None,
    recovery_public_key: bytes | None = None,
    kdf: KdfParams | None = None,
    forms: FormRegistry | None = None,
    reference: AdminReference | None = None,
    clock: Callable[[], datetime] = datetime.now,
) -> Session:
    """Make a new vault in `data_dir` and open a session on it."""
    vault = Vault.create(data_dir, password, recovery_public_key=recovery_public_key, kdf=kdf)
    try:
        store = _store_for(vault, forms=forms, reference=reference, clock=clock)
        if officer:
            store.set_state(IDENTITY_USER, officer)
            store.actor = officer
        if station:
            store.set_state(IDENTITY_STATION, station)
            store.station_id = station
        store.record_audit("unlock", details={"event": "created"})
    except BaseException:
        vault.lock()
        raise
    return Session(vault, store)


def unlock(
    data_dir: Path,
    password: str,
    *,
    forms: FormRegistry | None = None,
    reference: AdminReference | None = None,
    clock: Callable[[], datetime] = datetime.now,
) -> Session:
    """Unlock the vault in `data_dir`; failed attempts since the last unlock enter the audit log."""
    vault = Vault.open(data_dir)
    vault.unlock(password)
    try:
        store = _store_for(vault, forms=forms, reference=reference, clock=clock)
        for failed_at in vault.failed_attempts_before_unlock:
            store.record_audit(
                "unlock_failed",
                outcome="denied",
                at=datetime.fromtimestamp(failed_at, UTC).isoformat(timespec="milliseconds"),
            )
        store.record_audit("unlock")
    except BaseException:
        vault.lock()
        raise
    return Session(vault, store)
