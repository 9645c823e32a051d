"""The work behind the start screens, run on the vault's worker (never touching a widget).

Each function returns an open Session or raises a UserFacingError the screen shows in place.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from fieldapp import session as sessions
from fieldapp.errors import VaultError, VaultNotFound
from fieldapp.vault import kdf_policy
from fieldapp.vault.lockout import UnlockThrottle
from fieldapp.vault.passwords import check_password_strength
from fieldapp.vault.vault import STATE_FILE, Vault
from sync.client.enroll import enroll, enrollment_request
from ui.errors import LOG_FOLDER


def vault_exists(data_dir: Path) -> bool:
    """Whether `data_dir` holds a vault (later runs unlock it; the first run makes one). A vault
    that cannot be read (damaged, unreadable) is there: the unlock screen says what is wrong
    rather than the first run offering to make another over it."""
    try:
        Vault.open(data_dir)
    except VaultNotFound:
        return False
    except VaultError:
        return True
    return True


def backoff_seconds(data_dir: Path, clock: Callable[[], float] = time.time) -> int:
    """Seconds the recorded failed unlocks still impose before the next try (0: none)."""
    return UnlockThrottle(data_dir / STATE_FILE, clock).wait_seconds()


def unlock(data_dir: Path, password: str) -> sessions.Session:
    """The vault in `data_dir` unlocked: WrongPassword, UnlockBackoff(wait_seconds), ..."""
    return sessions.unlock(data_dir, password)


def create_on_this_laptop(data_dir: Path, password: str) -> sessions.Session:
    """A new vault, not enrolled with any server (the officer can enroll later)."""
    check_password_strength(password)
    return _new_session(data_dir, password)


def enroll_new_vault(
    data_dir: Path, password: str, server: str, code: str, fingerprint: str
) -> sessions.Session:
    """A new vault enrolled with the station's server (docs/SYNC.md "Enrollment").

    Everything the officer typed is checked before the vault is made; the server's certificate
    must have the fingerprint the station gave. A failed enrollment leaves no vault behind."""
    request = enrollment_request(code)
    check_password_strength(password)
    session, identity = enroll(
        data_dir, server, fingerprint, request, lambda _new: _new_session(data_dir, password)
    )
    session.store.actor = identity.username
    session.store.station_id = identity.station
    return session


def _new_session(data_dir: Path, password: str) -> sessions.Session:
    with _logs_kept_aside(data_dir):
        return sessions.create(data_dir, password, kdf=kdf_policy.requested_kdf())


@contextlib.contextmanager
def _logs_kept_aside(data_dir: Path) -> Iterator[None]:
    """A vault is made only in an empty folder, but the crash log's folder may be there already
    (an earlier first run met a bug): it waits beside the folder while the vault is made."""
    logs = data_dir / LOG_FOLDER
    if not logs.is_dir():
        yield
        return
    aside = data_dir.with_name(f".{data_dir.name}.{LOG_FOLDER}.{os.getpid()}")
    logs.rename(aside)
    try:
        yield
    finally:
        data_dir.mkdir(mode=0o700, exist_ok=True)
        aside.rename(logs)
