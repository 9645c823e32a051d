"""The key derivation can only get stronger: re-wraps keep the stronger costs, nothing is wrapped
or unlocked below the floor outside a test run, and the test profile cannot leak into normal use.

tests/conftest.py makes this process a test run; the tests of production behaviour remove the
two variables (`production` fixture)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fieldapp.cli import app as cli
from fieldapp.messages import translate
from fieldapp.vault import crypto, kdf_policy
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.kdf_policy import KdfBelowFloor, KdfProfileRefused
from fieldapp.vault.vault import HEADER_FILE, STATE_FILE, Vault
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "a new long password"
# The floor itself: the cheapest costs a real vault may have (about 0.1 s per derivation).
FLOOR = KdfParams(
    memory_kib=kdf_policy.MIN_MEMORY_KIB, iterations=kdf_policy.MIN_ITERATIONS, lanes=1
)


def costs(folder: Path) -> tuple[int, int, int]:
    kdf = json.loads((folder / HEADER_FILE).read_text())["kdf"]
    return kdf["memory_kib"], kdf["iterations"], kdf["lanes"]


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> None:
    """A normal process: neither the test profile nor the test-run marker is set."""
    monkeypatch.delenv(kdf_policy.PROFILE_ENV, raising=False)
    monkeypatch.delenv(kdf_policy.TEST_RUN_ENV, raising=False)


# --- re-wraps never lower the costs -----------------------------------------------------------


def test_a_password_change_asking_for_test_costs_keeps_a_strong_vaults_costs(
    vault_dir: Path,
) -> None:
    Vault.create(vault_dir, TEST_PASSWORD, kdf=FLOOR).lock()
    Vault.open(vault_dir).change_password(TEST_PASSWORD, NEW_PASSWORD, kdf=KdfParams.for_tests())
    assert costs(vault_dir) == (FLOOR.memory_kib, FLOOR.iterations, FLOOR.lanes)


def test_a_password_change_keeps_the_larger_of_each_cost(vault_dir: Path) -> None:
    mine = KdfParams(memory_kib=16 * 1024, iterations=1, lanes=2)
    Vault.create(vault_dir, TEST_PASSWORD, kdf=mine).lock()
    asked = KdfParams(memory_kib=8 * 1024, iterations=2, lanes=1)
    Vault.open(vault_dir).change_password(TEST_PASSWORD, NEW_PASSWORD, kdf=asked)
    assert costs(vault_dir) == (16 * 1024, 2, 2)


def test_recovery_asking_for_test_costs_keeps_a_strong_vaults_costs(vault_dir: Path) -> None:
    private, public = crypto.generate_recovery_keypair()
    Vault.create(vault_dir, TEST_PASSWORD, recovery_public_key=public, kdf=FLOOR).lock()
    Vault.open(vault_dir).unlock_with_recovery(private, NEW_PASSWORD, kdf=KdfParams.for_tests())
    assert costs(vault_dir) == (FLOOR.memory_kib, FLOOR.iterations, FLOOR.lanes)


def test_passwd_in_the_test_profile_warns_and_keeps_the_vaults_costs(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Vault.create(vault_dir, TEST_PASSWORD, kdf=FLOOR).lock()
    monkeypatch.setenv("FIELDAPP_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("FIELDAPP_NEW_PASSWORD", NEW_PASSWORD)
    code = cli.main(["--lang", "en", "--data-dir", str(vault_dir), "passwd"], io.StringIO())
    assert code == 0
    assert translate("cli.insecure_kdf_warning", "en") in capsys.readouterr().err
    assert costs(vault_dir) == (FLOOR.memory_kib, FLOOR.iterations, FLOOR.lanes)


# --- the floor, outside a test run --------------------------------------------------------------


def test_outside_a_test_run_no_vault_is_created_below_the_floor(
    vault_dir: Path, production: None
) -> None:
    with pytest.raises(KdfBelowFloor):
        Vault.create(vault_dir, TEST_PASSWORD, kdf=KdfParams.for_tests())
    assert not vault_dir.exists()


def test_outside_a_test_run_unlock_refuses_a_header_below_the_floor(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Vault.create(vault_dir, TEST_PASSWORD, kdf=KdfParams.for_tests()).lock()
    monkeypatch.delenv(kdf_policy.PROFILE_ENV)
    monkeypatch.delenv(kdf_policy.TEST_RUN_ENV)
    vault = Vault.open(vault_dir)
    with pytest.raises(KdfBelowFloor):
        vault.unlock(TEST_PASSWORD)
    assert not vault.is_unlocked
    assert not (vault_dir / STATE_FILE).exists()  # refused before any attempt was counted


def test_in_a_test_run_unlock_accepts_a_header_below_the_floor(vault_dir: Path) -> None:
    Vault.create(vault_dir, TEST_PASSWORD, kdf=KdfParams.for_tests()).lock()
    vault = Vault.open(vault_dir)
    vault.unlock(TEST_PASSWORD)
    assert vault.is_unlocked
    vault.lock()


def test_outside_a_test_run_recovery_lifts_a_vault_below_the_floor(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private, public = crypto.generate_recovery_keypair()
    weak = KdfParams.for_tests()
    Vault.create(vault_dir, TEST_PASSWORD, recovery_public_key=public, kdf=weak).lock()
    monkeypatch.delenv(kdf_policy.PROFILE_ENV)
    monkeypatch.delenv(kdf_policy.TEST_RUN_ENV)
    Vault.open(vault_dir).unlock_with_recovery(private, NEW_PASSWORD, kdf=FLOOR)
    assert not kdf_policy.is_below_floor(KdfParams(*costs(vault_dir)))
    vault = Vault.open(vault_dir)
    vault.unlock(NEW_PASSWORD)
    assert vault.is_unlocked
    vault.lock()


def test_outside_a_test_run_the_cli_asks_for_the_strong_defaults(production: None) -> None:
    assert kdf_policy.requested_kdf().memory_kib == crypto.DEFAULT_MEMORY_KIB
    assert kdf_policy.requested_kdf().iterations == crypto.DEFAULT_ITERATIONS


# --- the test profile cannot leak into normal use ---------------------------------------------


def test_the_test_profile_without_the_test_run_marker_is_refused(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(kdf_policy.TEST_RUN_ENV)
    with pytest.raises(KdfProfileRefused):
        Vault.create(vault_dir, TEST_PASSWORD, kdf=KdfParams.for_tests())
    assert not vault_dir.exists()


def test_an_unknown_profile_is_refused_even_in_a_test_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(kdf_policy.PROFILE_ENV, "fast")
    with pytest.raises(KdfProfileRefused):
        kdf_policy.requested_kdf()


def test_a_stray_profile_variable_stops_every_cli_command_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(kdf_policy.TEST_RUN_ENV)
    monkeypatch.setenv("FIELDAPP_PASSWORD", TEST_PASSWORD)
    data_dir = tmp_path / "vault"
    code = cli.main(["--lang", "en", "--data-dir", str(data_dir), "init"], io.StringIO())
    assert code == 2
    refused = translate("vault.test_kdf_refused", "en", variable="FIELDAPP_KDF_PROFILE")
    assert capsys.readouterr().err == refused + "\n"
    assert not data_dir.exists()
    assert cli.main(["forms"], io.StringIO()) == 2


def test_the_cli_outside_a_test_run_refuses_a_vault_made_for_tests(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Vault.create(vault_dir, TEST_PASSWORD, kdf=KdfParams.for_tests()).lock()
    monkeypatch.delenv(kdf_policy.PROFILE_ENV)
    monkeypatch.delenv(kdf_policy.TEST_RUN_ENV)
    monkeypatch.setenv("FIELDAPP_PASSWORD", TEST_PASSWORD)
    out = io.StringIO()
    code = cli.main(["--lang", "en", "--data-dir", str(vault_dir), "list"], out)
    assert code == 1 and out.getvalue() == ""
    assert capsys.readouterr().err == KdfBelowFloor().message("en") + "\n"
