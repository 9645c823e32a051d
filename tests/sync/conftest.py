"""Fixtures of the sync tests: the device's environment and one real server per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fieldapp import session as sessions
from tests.server.serverproc import RunningServer, running_server
from tests.sync.cli_runner import PASSWORD, STATION


@pytest.fixture(autouse=True)
def device_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDAPP_PASSWORD", PASSWORD)
    monkeypatch.setenv("FIELDAPP_KDF_PROFILE", sessions.TEST_KDF_PROFILE)
    monkeypatch.delenv("FIELDAPP_NEW_PASSWORD", raising=False)
    monkeypatch.setenv("FIELDAPP_LANG", "en")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("server")) as running:
        running.admin("station", "add", STATION, "--name", "Karkh", "--governorate", "IQG08",
                      "--district", "IQG08Q01")  # fmt: skip
        yield running
