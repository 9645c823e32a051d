"""Enrolling from the desktop app's first run against a real server: what the station gave (the
address, a one-time code, the fingerprint) typed in, a vault made and enrolled; a wrong
fingerprint stops before anything is sent and leaves no vault behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fieldapp.messages import translate
from fieldapp.session import Session
from fieldapp.store.replica import Replica
from fieldapp.vault.vault import HEADER_FILE
from tests.drivers.device import Device
from tests.drivers.server_admin import enroll_code
from tests.server.serverproc import RunningServer
from tests.ui.keyboard import type_text
from tests.ui.shell import STRONG_PASSWORD
from ui.preferences import Preferences
from ui.start.first_run import FirstRunScreen
from ui.tasks import TaskRunner

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as tests/ui/conftest.py does


@pytest.fixture
def unhandled() -> list[BaseException]:
    return []


@pytest.fixture
def first_run(
    qtbot: QtBot, tmp_path: Path, unhandled: list[BaseException]
) -> Iterator[FirstRunScreen]:
    tasks = TaskRunner(on_unhandled=unhandled.append)
    screen = FirstRunScreen(tmp_path / "laptop", tasks, Preferences())
    qtbot.addWidget(screen)
    screen.show()
    yield screen
    tasks.shutdown()


def fill_in(screen: FirstRunScreen, server: RunningServer, code: str, fingerprint: str) -> None:
    type_text(screen.server, server.base_url)
    type_text(screen.code, code)
    type_text(screen.fingerprint, fingerprint)
    type_text(screen.password.first, STRONG_PASSWORD)
    type_text(screen.password.second, STRONG_PASSWORD)
    screen.create_button.click()


def test_the_first_run_enrolls_the_laptop_with_what_the_station_gave(
    qtbot: QtBot, first_run: FirstRunScreen, server: RunningServer, officer: str
) -> None:
    opened: list[Session] = []
    first_run.opened.connect(opened.append)
    fill_in(first_run, server, enroll_code(server, officer), server.fingerprint)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    with opened[0] as session:
        identity = Replica(session.store).identity()
        assert identity is not None and identity.username == officer
        assert session.store.actor == officer


def test_a_wrong_fingerprint_is_refused_and_leaves_no_vault(
    qtbot: QtBot,
    tmp_path: Path,
    first_run: FirstRunScreen,
    server: RunningServer,
    officer: str,
    unhandled: list[BaseException],
) -> None:
    fill_in(first_run, server, enroll_code(server, officer), "ab" * 32)
    expected = translate("sync.fingerprint_mismatch", "ar")
    qtbot.waitUntil(lambda: first_run.message.text() == expected, timeout=30_000)
    assert not (tmp_path / "laptop" / HEADER_FILE).exists()
    assert not unhandled


def test_a_code_already_used_is_refused_and_leaves_no_vault(
    qtbot: QtBot,
    tmp_path: Path,
    first_run: FirstRunScreen,
    server: RunningServer,
    officer: str,
    device: Device,
) -> None:
    code = enroll_code(server, officer)
    device.ok("enroll", "--server", server.base_url, "--code", code,
              "--fingerprint", server.fingerprint)  # fmt: skip
    fill_in(first_run, server, code, server.fingerprint)
    expected = translate("sync.enroll_code_invalid", "ar")
    qtbot.waitUntil(lambda: first_run.message.text() == expected, timeout=30_000)
    assert not (tmp_path / "laptop" / HEADER_FILE).exists()
