"""Fixtures shared across the test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp.vault import kdf_policy
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.vault import Vault

TEST_PASSWORD = "correct horse battery"

# This process is a test run: the cheap test KDF is honoured (in-process and in the CLI
# processes the tests start, which inherit the environment). Only this file sets the marker;
# docs/SECURITY.md "The key derivation floor". Tests of the production rules delete both.
os.environ[kdf_policy.PROFILE_ENV] = kdf_policy.TEST_KDF_PROFILE
os.environ[kdf_policy.TEST_RUN_ENV] = kdf_policy.TEST_RUN_VALUE


@pytest.fixture(scope="session", autouse=True)
def no_real_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A command run without --data-dir never reaches the developer's own vault folder: the
    platform's data folder points into the test run and FIELDAPP_DATA_DIR is unset (child
    processes inherit both). Tests of the default folder set their own."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data-home")))
        mp.setenv("LOCALAPPDATA", str(tmp_path_factory.mktemp("local-app-data")))
        mp.delenv("FIELDAPP_DATA_DIR", raising=False)
        yield


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
