"""How strong the password's key derivation must be, and the one way the test suite may make it
cheaper (docs/SECURITY.md "The key derivation floor").

Rules, enforced by the vault:
- a key is never wrapped, and a header never unlocked, below the floor (RFC 9106 section 4's
  second recommended setting: Argon2id with 64 MiB and 3 passes);
- a re-wrap (`passwd`, `recover`) keeps the stronger of the vault's costs and the requested ones,
  so the costs of a vault can only go up;
- below the floor only in a test run: `FIELDAPP_KDF_PROFILE=insecure-fast-for-tests` AND
  `FIELDAPP_TEST_RUN=1` (set by tests/conftest.py). The profile variable alone, or any other
  value, is refused, never ignored: a stray variable copied into normal use fails loudly.
"""

from __future__ import annotations

import os

from fieldapp.errors import InvalidInput, VaultError
from fieldapp.vault.crypto import KdfParams

MIN_MEMORY_KIB = 64 * 1024  # 64 MiB
MIN_ITERATIONS = 3

PROFILE_ENV = "FIELDAPP_KDF_PROFILE"
TEST_RUN_ENV = "FIELDAPP_TEST_RUN"
TEST_KDF_PROFILE = "insecure-fast-for-tests"
TEST_RUN_VALUE = "1"


class KdfBelowFloor(VaultError):
    """Argon2id costs below the floor, outside a test run: nothing was wrapped or unlocked."""

    key = "vault.kdf_below_floor"

    def __init__(self) -> None:
        super().__init__(minimum=f"{MIN_MEMORY_KIB // 1024} MiB x {MIN_ITERATIONS}")


class KdfProfileRefused(InvalidInput):
    """FIELDAPP_KDF_PROFILE is set in a process that is not a test run (or to an unknown value)."""

    key = "vault.test_kdf_refused"

    def __init__(self) -> None:
        super().__init__(variable=PROFILE_ENV)


def in_test_profile() -> bool:
    """True in a test run that asked for the cheap test costs; False when nothing was asked.

    KdfProfileRefused when FIELDAPP_KDF_PROFILE is set but this is not clearly a test run.
    """
    profile = os.environ.get(PROFILE_ENV)
    if not profile:
        return False
    if profile != TEST_KDF_PROFILE or os.environ.get(TEST_RUN_ENV) != TEST_RUN_VALUE:
        raise KdfProfileRefused()
    return True


def requested_kdf() -> KdfParams:
    """The costs a new wrap asks for: the test costs in a test run, else the strong defaults."""
    return KdfParams.for_tests() if in_test_profile() else KdfParams()


def is_below_floor(params: KdfParams) -> bool:
    """Whether `params` costs less than the floor in memory or in passes."""
    return params.memory_kib < MIN_MEMORY_KIB or params.iterations < MIN_ITERATIONS


def check_floor(params: KdfParams) -> None:
    """KdfBelowFloor if `params` is below the floor and this is not a test run."""
    if is_below_floor(params) and not in_test_profile():
        raise KdfBelowFloor()


def stronger(current: KdfParams, requested: KdfParams) -> KdfParams:
    """Each cost the larger of the two (a re-wrap never lowers any of them), with a fresh salt."""
    return KdfParams(
        memory_kib=max(current.memory_kib, requested.memory_kib),
        iterations=max(current.iterations, requested.iterations),
        lanes=max(current.lanes, requested.lanes),
    )
