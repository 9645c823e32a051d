"""An officer's working session: the vault unlocked and the store over it.

The CLI and the desktop app both open the vault through here, so unlocking, auditing the unlock
(and the failed attempts before it) and loading the form definitions happen one way only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.forms.definitions import FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.store.store import Store
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.vault import Vault

IDENTITY_USER = "identity.username"
IDENTITY_STATION = "identity.station"
REFERENCE_OVERRIDE = "reference.file"

# Cheap Argon2 settings for the test suite only (each CLI call in a test would otherwise spend
# half a second in the KDF). Honoured only when a vault is created or its password changed, and
# the CLI warns loudly when it is used.
TEST_KDF_PROFILE = "insecure-fast-for-tests"


def kdf_from_environment() -> KdfParams | None:
    """Cheap KDF parameters when FIELDAPP_KDF_PROFILE asks for the test profile, else None."""
    if os.environ.get("FIELDAPP_KDF_PROFILE") == TEST_KDF_PROFILE:
        return KdfParams.for_tests()
    return None


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
