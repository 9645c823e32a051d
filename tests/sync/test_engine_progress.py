"""A sync reports how far it has come (records and bytes), for the desktop's progress bar.

Against the real server (tests/sync/conftest.py): the device is driven through fieldapp-cli,
the engine is run in this process with a listener that keeps every report.
"""

from __future__ import annotations

import pytest

from fieldapp.store.replica import Replica
from sync.client.engine import SyncEngine
from sync.client.report import SyncProgress
from sync.client.transport import Transport
from tests.drivers.device import Device
from tests.records import PERSON
from tests.server.serverproc import RunningServer


@pytest.fixture
def enrolled(server: RunningServer, officer: str, device: Device) -> Device:
    device.enroll(server, officer)
    device.sync()
    return device


def progress_of_one_sync(device: Device) -> list[SyncProgress]:
    reports: list[SyncProgress] = []
    with device.session() as session, device.link(session, Transport) as link:
        SyncEngine(Replica(session.store), link, progress=reports.append).sync()
    return reports


def test_progress_counts_each_change_sent_of_those_waiting(enrolled: Device) -> None:
    enrolled.add_many("person", [PERSON, {**PERSON, "first_name": "علي"}, PERSON])
    last = progress_of_one_sync(enrolled)[-1]
    assert (last.sent, last.to_send) == (3, 3)


def test_progress_counts_records_received_from_another_device(
    server: RunningServer, officer: str, enrolled: Device, other_device: Device
) -> None:
    other_device.enroll(server, officer)
    other_device.add_many("person", [PERSON, PERSON])
    other_device.sync()
    assert progress_of_one_sync(enrolled)[-1].received == 2


def test_progress_bytes_grow_with_each_exchange(enrolled: Device) -> None:
    enrolled.add("person", PERSON)
    reports = progress_of_one_sync(enrolled)
    sent = [r.bytes_sent for r in reports]
    received = [r.bytes_received for r in reports]
    assert sent == sorted(sent) and sent[-1] > 0
    assert received == sorted(received) and received[-1] > 0


def test_progress_reports_the_push_before_the_pull(enrolled: Device) -> None:
    enrolled.add("person", PERSON)
    stages = [r.stage for r in progress_of_one_sync(enrolled)]
    assert stages.index("push") < stages.index("pull")
