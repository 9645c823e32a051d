"""The demo world `fieldapp --demo` opens: a real server with stations and officers, and the
officer's laptop enrolled to it, holding records, conflicts and refused changes to show."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fieldapp import session as sessions
from fieldapp.store.replica import Replica
from fieldapp.store.sync_status import sync_status
from sync.client.demo_world import (
    CONFLICTS,
    DEMO_PASSWORD,
    OFFICERS,
    REFUSED,
    STATIONS,
    DemoSize,
    DemoWorld,
    build,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWorld]:
    built = build(tmp_path_factory.mktemp("demo") / "world", DemoSize(households=10))
    yield built
    built.stop()
    assert built.process.poll() is not None, "the demo server outlived its world"


def test_the_laptop_is_enrolled_to_the_running_server_with_records_to_show(
    world: DemoWorld,
) -> None:
    assert world.process.poll() is None
    with sessions.unlock(world.laptop, DEMO_PASSWORD) as session:
        status = sync_status(Replica(session.store))
        households = session.store.listing.page("household", limit=100).items
    assert status.username == OFFICERS[0][0]
    assert status.station == STATIONS[0][0]
    assert status.server == world.url
    # the station's records (its two officers' share) reached the laptop, with real numbers
    assert len(households) >= 2
    assert all(h.number and h.number.startswith("B12-") for h in households)


def test_the_laptop_has_conflicts_and_refused_changes_to_show(world: DemoWorld) -> None:
    with sessions.unlock(world.laptop, DEMO_PASSWORD) as session:
        status = sync_status(Replica(session.store))
    assert status.conflicts == CONFLICTS
    assert len(status.rejected) == REFUSED
    assert status.pending == 0
