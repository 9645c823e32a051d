"""A record has a number an officer can read out from the moment it is saved (issue 9, section 1):
enrolling reserves the device's first block, records made before enrolling (under a mistyped
station too) trade their provisional numbers for real ones, and a provisional number never
reaches the server. Through fieldapp-cli against a real server on loopback."""

from __future__ import annotations

from datetime import datetime

from fieldapp.messages import translate
from fieldapp.store.replica import Replica
from sync.client.engine import SyncEngine
from sync.client.transport import SyncRejected, Transport
from sync.protocol import NumberBlock, NumberBlockRequest
from tests.drivers.cli import STATION, fieldapp_cli
from tests.drivers.device import Device
from tests.records import PERSON
from tests.server.serverproc import RunningServer

YEAR = datetime.now().year
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def real_number(number: object) -> bool:
    return isinstance(number, str) and number.startswith(f"{STATION}-{YEAR}-")


def test_a_record_saved_right_after_enrolling_has_a_real_number_before_any_sync(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    assert real_number(device.show(record_id)["number"])


def test_enrolling_replaces_the_provisional_numbers_of_records_made_before(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.ok("init", "--officer", officer, "--station", STATION)
    record_id = device.add("person", PERSON)
    assert device.show(record_id)["number"] == f"P/{YEAR}/1"
    device.enroll(server, officer)
    assert real_number(device.show(record_id)["number"])


def test_a_provisional_number_still_opens_its_record_after_enrolling(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.ok("init", "--officer", officer, "--station", STATION)
    record_id = device.add("person", PERSON)
    device.enroll(server, officer)
    typed = f"P/{YEAR}/1".translate(ARABIC_INDIC)
    shown = fieldapp_cli("--lang", "ar", "--data-dir", str(device.data_dir), "show", typed)
    assert shown.code == 0, shown.err
    assert translate("presentation.id_label", "ar", id=record_id) in shown.lines


def test_the_number_given_at_enrollment_reaches_the_other_devices(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.ok("init", "--officer", officer, "--station", STATION)
    record_id = device.add("person", PERSON)
    device.enroll(server, officer)
    number = device.show(record_id)["number"]
    assert device.sync()["rejected"] == 0
    other_device.enroll(server, officer)
    other_device.sync()
    assert other_device.show(record_id)["number"] == number


def test_records_made_under_a_mistyped_station_get_the_enrolled_stations_numbers(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.ok("init", "--officer", officer, "--station", "B21")
    record_id = device.add("person", PERSON)
    device.enroll(server, officer)
    assert real_number(device.show(record_id)["number"])
    assert device.sync()["pushed"] == 1


class NoNumbers(Transport):
    """A server that refuses every request for numbers (the device keeps a provisional one)."""

    def numbers(self, request: NumberBlockRequest) -> NumberBlock:
        raise SyncRejected("no_numbers_today")


def test_a_provisional_number_is_never_pushed(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)  # one block of 100
    ids = device.add_many("person", [PERSON] * 101)
    assert device.show(ids[-1])["number"] == f"P/{YEAR}/1"
    with device.session() as s:
        engine = SyncEngine(Replica(s.store), device.link(s, NoNumbers))
        assert engine.top_up_numbers() == 0
        tally = engine.push()
    assert (tally.accepted, tally.rejected) == (101, 0)
    other_device.enroll(server, officer)
    other_device.sync()
    assert other_device.show(ids[-1])["number"] is None
    assert real_number(other_device.show(ids[0])["number"])
