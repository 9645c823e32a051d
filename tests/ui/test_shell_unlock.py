"""The unlock screen: a wrong password said plainly, the back-off counted down live, the station
recovery path in view."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp import session as sessions
from fieldapp.errors import WrongPassword
from fieldapp.messages import translate
from fieldapp.session import Session
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.lockout import FAILURE_WINDOW_S, MAX_FAILURES
from fieldapp.vault.vault import Vault
from tests.conftest import TEST_PASSWORD
from tests.ui.keyboard import press, type_text
from tests.ui.shell import MovableClock
from ui.preferences import Preferences
from ui.start import opening
from ui.start.unlock import UnlockScreen
from ui.tasks import TaskRunner


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    sessions.create(folder, TEST_PASSWORD, kdf=KdfParams.for_tests()).close()
    return folder


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def unlock_screen(
    qtbot: QtBot,
    vault_dir: Path,
    tasks: TaskRunner,
    preferences: Preferences,
    clock: MovableClock,
) -> Iterator[UnlockScreen]:
    screen = UnlockScreen(vault_dir, tasks, preferences, clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)  # the back-off was looked at
    yield screen


def failed_unlocks_in_the_last_minute(folder: Path, count: int) -> None:
    """`count` wrong passwords recorded by the vault itself, spread over the last minute (each
    after the wait the one before imposed), as if typed by someone guessing."""
    start = time.time() - 60
    for n in range(count):
        vault = Vault.open(folder, clock=partial(float, start + 10 * n))
        with pytest.raises(WrongPassword):
            vault.unlock("not the password")


def test_a_wrong_password_says_so_in_arabic(qtbot: QtBot, unlock_screen: UnlockScreen) -> None:
    type_text(unlock_screen.password, "not the password")
    press(unlock_screen.password, Qt.Key.Key_Return)
    expected = translate("vault.wrong_password", "ar")
    qtbot.waitUntil(lambda: unlock_screen.message.text() == expected, timeout=10_000)


def test_the_right_password_after_a_wrong_one_opens_the_vault(
    qtbot: QtBot, unlock_screen: UnlockScreen, vault_dir: Path
) -> None:
    opened: list[Session] = []
    unlock_screen.unlocked.connect(opened.append)
    type_text(unlock_screen.password, "not the password")
    press(unlock_screen.password, Qt.Key.Key_Return)
    wrong = translate("vault.wrong_password", "ar")
    qtbot.waitUntil(lambda: unlock_screen.message.text() == wrong, timeout=10_000)
    # The vault's own wait after a failure (a second) passes in real time.
    qtbot.waitUntil(lambda: opening.backoff_seconds(vault_dir) == 0, timeout=10_000)
    unlock_screen.password.clear()
    type_text(unlock_screen.password, TEST_PASSWORD)
    press(unlock_screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert opened[0].vault.is_unlocked
    assert unlock_screen.password.text() == ""
    opened[0].close()


@pytest.fixture
def guessed_at(
    qtbot: QtBot,
    vault_dir: Path,
    tasks: TaskRunner,
    preferences: Preferences,
    clock: MovableClock,
) -> UnlockScreen:
    """The unlock screen opened after five wrong passwords in the last minute."""
    failed_unlocks_in_the_last_minute(vault_dir, MAX_FAILURES)
    screen = UnlockScreen(vault_dir, tasks, preferences, clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.seconds_left > 0, timeout=10_000)
    return screen


def test_the_back_off_is_shown_as_seconds_counting_down(
    qtbot: QtBot, guessed_at: UnlockScreen, clock: MovableClock
) -> None:
    screen = guessed_at
    first = screen.seconds_left
    assert FAILURE_WINDOW_S - 70 < first <= FAILURE_WINDOW_S - 60
    assert screen.message.text() == translate("vault.backoff", "ar", seconds=first)
    clock.advance(3)
    later = translate("vault.backoff", "ar", seconds=first - 3)
    qtbot.waitUntil(lambda: screen.message.text() == later, timeout=10_000)
    type_text(screen.password, TEST_PASSWORD)
    assert not screen.unlock_button.isEnabled()


def test_the_officer_may_try_again_once_the_countdown_ends(
    qtbot: QtBot, guessed_at: UnlockScreen, clock: MovableClock
) -> None:
    screen = guessed_at
    type_text(screen.password, TEST_PASSWORD)
    clock.advance(FAILURE_WINDOW_S)
    qtbot.waitUntil(lambda: screen.message.text() == "", timeout=10_000)
    assert screen.unlock_button.isEnabled()


def test_the_recovery_path_shows_which_station_key_can_open_the_vault(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner, preferences: Preferences
) -> None:
    station_key = X25519PrivateKey.generate().public_key().public_bytes_raw()
    folder = tmp_path / "recoverable"
    with sessions.create(
        folder, TEST_PASSWORD, recovery_public_key=station_key, kdf=KdfParams.for_tests()
    ) as made:
        fingerprint = made.vault.recovery_fingerprint
    assert fingerprint is not None
    screen = UnlockScreen(folder, tasks, preferences)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: fingerprint[:16] in screen.recovery.text(), timeout=10_000)
    assert screen.recovery.isVisible()


def test_the_screen_says_the_password_is_being_checked_until_the_answer(
    qtbot: QtBot, unlock_screen: UnlockScreen, tasks: TaskRunner
) -> None:
    release = threading.Event()
    tasks.vault(lambda: release.wait(30))  # vault work asked for before: the unlock waits for it
    opened: list[Session] = []
    unlock_screen.unlocked.connect(opened.append)
    type_text(unlock_screen.password, TEST_PASSWORD)
    press(unlock_screen.password, Qt.Key.Key_Return)
    checking = unlock_screen.message.text()
    assert checking != ""
    assert not unlock_screen.unlock_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert unlock_screen.message.text() == ""
    opened[0].close()
