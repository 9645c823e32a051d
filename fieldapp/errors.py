"""Typed errors. `UserFacingError`s carry a message key shown to people in their language;
anything else is a bug and goes to the log and the crash dialog, never as a traceback on screen.

The classes say what went wrong, not how a program reports it: fieldapp-cli maps them to its exit
codes in one table (`fieldapp/cli/exit_codes.py`).
"""

from __future__ import annotations

from typing import Any

from fieldapp.messages import DEFAULT_LANGUAGE, translate


class FieldappError(Exception):
    """Base of every error the core raises on purpose."""


class UserFacingError(FieldappError):
    """An error whose message is meant for the officer, clerk or IT person."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        if key is not None:
            self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.key, lang, **self.params)


class InvalidInput(UserFacingError):
    """The request itself is malformed: bad JSON, unknown type, unknown record id."""

    key = "error.invalid_input"


class RecordNotFound(InvalidInput):
    key = "store.record_not_found"


class StorageFull(UserFacingError):
    """The disk is full (or the write failed); nothing was written."""

    key = "store.disk_full"


class VaultError(UserFacingError):
    """Base of the vault's errors."""


class VaultNotFound(VaultError):
    """No vault in that folder (missing folder, or a folder that is not ours)."""

    key = "vault.not_found"


class VaultExists(VaultError):
    key = "vault.exists"


class VaultLocked(VaultError):
    key = "vault.locked"


class WrongPassword(VaultError):
    key = "vault.wrong_password"


class UnlockBackoff(VaultError):
    """Too many failed unlocks: wait `wait_seconds` before trying again."""

    key = "vault.backoff"

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(seconds=wait_seconds)


class VaultDamaged(VaultError):
    """The header or database failed its integrity check: nothing was read."""

    key = "vault.damaged"


class VaultReadOnly(VaultError):
    """A write to a vault opened read-only: its folder cannot be written (read-only media, a
    backup copy or a forensic image). Nothing was changed."""

    key = "vault.read_only"


class WeakPassword(VaultError):
    key = "vault.weak_password"
