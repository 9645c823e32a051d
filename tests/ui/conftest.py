"""Fixtures of the desktop app's tests: a real vault, a real task runner, the officer's choices.

Qt tests run on the offscreen platform unless a display was chosen (the Xvfb smoke test).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from fieldapp import session as sessions
from fieldapp.errors import UserFacingError
from fieldapp.sampledata.generator import generate
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD
from ui.i18n import Language
from ui.preferences import Choices, Preferences
from ui.tasks import TaskRunner
from ui.workspace import Workspace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STATION = "B12"


@pytest.fixture
def unhandled_errors() -> list[BaseException]:
    """Errors of tasks that had no handler of their own: a test that expects none checks this."""
    return []


@pytest.fixture
def tasks(unhandled_errors: list[BaseException]) -> Iterator[TaskRunner]:
    runner = TaskRunner(on_unhandled=unhandled_errors.append)
    yield runner
    runner.shutdown()


@pytest.fixture(params=["ar"])
def preferences(request: pytest.FixtureRequest) -> Preferences:
    """Arabic by default; a test module may parametrize `preferences` indirectly with
    ["ar", "ckb", "en"] to run in each language."""
    return Preferences(Choices(language=str(request.param)))


def new_workspace(
    data_dir: Path, tasks: TaskRunner, preferences: Preferences, *, households: int = 0
) -> Workspace:
    """A vault made in `data_dir` (numbers reserved for station B12), with `households`
    generated households and their people and activities."""
    session = sessions.create(
        data_dir, TEST_PASSWORD, officer="officer.one", station=STATION, kdf=KdfParams.for_tests()
    )
    store = session.store
    store.connection.execute("BEGIN IMMEDIATE")
    store.numbers.add_block(STATION, date.today().year, 1, 100_000)
    store.connection.execute("COMMIT")
    if households:
        records = generate(7, households, today=date.today())
        store.add_many([(r.type, r.fields, r.id) for r in records])
    return Workspace(session=session, tasks=tasks, preferences=preferences, data_dir=data_dir)


@pytest.fixture
def workspace(tmp_path: Path, tasks: TaskRunner, preferences: Preferences) -> Iterator[Workspace]:
    """An unlocked, empty vault, its worker and Arabic preferences."""
    ws = new_workspace(tmp_path / "vault", tasks, preferences)
    yield ws
    tasks.shutdown()
    ws.session.close()


@pytest.fixture
def filled_workspace(
    tmp_path: Path, tasks: TaskRunner, preferences: Preferences
) -> Iterator[Workspace]:
    """An unlocked vault with 30 generated households, their people and activities."""
    ws = new_workspace(tmp_path / "vault", tasks, preferences, households=30)
    yield ws
    tasks.shutdown()
    ws.session.close()


def assert_no_unhandled(errors: list[BaseException]) -> None:
    """A screen handled every error it met (a UserFacingError names its key in the failure)."""
    shown = [e.key if isinstance(e, UserFacingError) else repr(e) for e in errors]
    assert not shown, shown


@pytest.fixture
def language(qapp: QApplication, preferences: Preferences) -> Iterator[Language]:
    """The officer's language applied to the application, as at start; undone afterwards so
    other tests see the application as it was."""
    font = qapp.font()
    applied = Language(qapp, preferences)
    yield applied
    applied.close()
    qapp.setFont(font)
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    QLocale.setDefault(QLocale.c())
