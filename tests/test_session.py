"""An officer's session as a `with` block: the vault is locked again however the block ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.errors import VaultLocked
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD


def test_leaving_a_session_block_locks_the_vault(vault_dir: Path, fast_kdf: KdfParams) -> None:
    with sessions.create(vault_dir, TEST_PASSWORD, kdf=fast_kdf) as s:
        assert s.vault.is_unlocked
    assert not s.vault.is_unlocked
    with pytest.raises(VaultLocked):
        s.vault.connection  # noqa: B018 (the access is the test)


def test_an_error_inside_a_session_block_still_locks_the_vault(
    vault_dir: Path, fast_kdf: KdfParams
) -> None:
    sessions.create(vault_dir, TEST_PASSWORD, kdf=fast_kdf).close()
    with pytest.raises(RuntimeError), sessions.unlock(vault_dir, TEST_PASSWORD) as s:
        raise RuntimeError("the command failed half way")
    assert not s.vault.is_unlocked
