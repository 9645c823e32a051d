"""fieldapp-cli's exit codes, and the one table that maps the core's typed errors to them.

The core's errors say what went wrong; which number a script sees is the CLI's business, so the
numbers live here and nowhere else. A layer above the core (sync) adds its own errors to the table
through `fieldapp.cli.app.Program.extended`.
"""

from __future__ import annotations

from collections.abc import Mapping

from fieldapp.errors import (
    InvalidInput,
    UnlockBackoff,
    UserFacingError,
    VaultDamaged,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    VaultReadOnly,
    WeakPassword,
    WrongPassword,
)
from fieldapp.vault.vault import NoRecoveryKey

EXIT_OK = 0
EXIT_ERROR = 1  # any other operational problem (full disk, unreadable or read-only folder)
EXIT_INVALID = 2  # the request itself: bad JSON, unknown type or id, a usage error
EXIT_LOCKED = 3  # wrong password, vault locked, backing off after failed unlocks
EXIT_DAMAGED = 4  # the vault failed an integrity check; nothing was read
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports it

ExitCodes = Mapping[type[BaseException], int]

# An error takes the code of the nearest class in its ancestry found here (WrongRecoveryKey is a
# WrongPassword, ValidationFailed an InvalidInput), so a new subclass needs no entry of its own.
CORE_EXIT_CODES: ExitCodes = {
    UserFacingError: EXIT_ERROR,
    InvalidInput: EXIT_INVALID,
    VaultNotFound: EXIT_INVALID,
    VaultExists: EXIT_INVALID,
    WeakPassword: EXIT_INVALID,
    NoRecoveryKey: EXIT_INVALID,
    VaultLocked: EXIT_LOCKED,
    WrongPassword: EXIT_LOCKED,
    UnlockBackoff: EXIT_LOCKED,
    VaultDamaged: EXIT_DAMAGED,
    # A write to a vault on read-only media: the request is fine, the medium is not (like a
    # full disk), so 1, not 2 (docs/adr/0018-parallel-unlocks.md).
    VaultReadOnly: EXIT_ERROR,
}


def exit_code_for(error: BaseException, table: ExitCodes = CORE_EXIT_CODES) -> int:
    """The exit code of `error`: its nearest class in `table`, or 1 when none is listed."""
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    return EXIT_ERROR
