"""Fixtures shared across the test suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.vault import Vault

TEST_PASSWORD = "correct horse battery"


@pytest.fixture
def fast_kdf() -> KdfParams:
    """Cheap Argon2id costs (8 MiB, 1 pass): tests stay fast; production never uses these."""
    return KdfParams.for_tests()


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    """Where a test's vault goes (does not exist yet: `Vault.create` makes it 0700)."""
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path, fast_kdf: KdfParams) -> Iterator[Vault]:
    """A new unlocked vault with password `TEST_PASSWORD`, locked again after the test."""
    created = Vault.create(vault_dir, TEST_PASSWORD, kdf=fast_kdf)
    yield created
    created.lock()
