"""Issue 9, section 3 across a real sync: `history` on one laptop credits the officer who made a
change on another laptop, names that laptop (as its enrollment named it) and reads a server
merge as a merge."""

from __future__ import annotations

from fieldapp.text import isolate
from tests.drivers.device import Device
from tests.drivers.server_admin import new_officer
from tests.records import PERSON
from tests.server.serverproc import RunningServer


def history(device: Device, record_id: str) -> list[str]:
    return device.ok("--lang", "en", "history", record_id).lines


def test_a_pulled_edit_is_credited_to_the_officer_and_laptop_that_made_it(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    colleague = new_officer(server)
    device.enroll(server, officer)
    other_device.enroll(server, colleague, device_name="patrol-7")
    record_id = device.add("person", PERSON)
    device.sync()
    other_device.sync()
    other_device.edit(record_id, {"age": 35})
    other_device.sync()
    device.sync()
    lines = history(device, record_id)
    at = max(i for i, line in enumerate(lines) if isolate(colleague) in line)
    assert isolate("patrol-7") in lines[at]
    assert f"  Age: {isolate('34')} → {isolate('35')}" == lines[at + 1]
    assert "did not say who" not in "\n".join(lines)


def test_edits_merged_by_the_server_read_as_a_merge(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)
    other_device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    device.sync()
    other_device.sync()
    device.edit(record_id, {"phone": "07701234567"})
    other_device.edit(record_id, {"age": 35})
    device.sync()
    other_device.sync()  # merged by the server with the phone from the first laptop
    device.sync()
    assert any("merged by the server" in line for line in history(device, record_id))
