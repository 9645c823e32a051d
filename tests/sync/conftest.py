"""Fixtures of the sync tests: the device's environment, one real server per module, a new
officer per test and two laptops (tests/drivers/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drivers.cli import use_device_environment
from tests.drivers.device import Device
from tests.drivers.server_admin import add_station, new_officer
from tests.drivers.silent_server import SilentServer
from tests.server.serverproc import RunningServer, running_server


@pytest.fixture(autouse=True)
def device_env(monkeypatch: pytest.MonkeyPatch) -> None:
    use_device_environment(monkeypatch, lang="en")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("server")) as running:
        add_station(running)
        yield running


@pytest.fixture
def officer(server: RunningServer) -> str:
    """A new officer of the station (each test its own, on the shared server)."""
    return new_officer(server)


@pytest.fixture
def device(tmp_path: Path) -> Device:
    """An officer's laptop, not yet enrolled."""
    return Device(tmp_path / "laptop-a")


@pytest.fixture
def other_device(tmp_path: Path) -> Device:
    """A second laptop, not yet enrolled."""
    return Device(tmp_path / "laptop-b")


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    """A server that accepts connections and never answers."""
    server = SilentServer()
    yield server
    server.close()
