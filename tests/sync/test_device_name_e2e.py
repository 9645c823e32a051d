"""Issue 9, section 6: a device is named at enrollment, by `--device-name` or else after the
computer; the server's device list shows that name, and so does `history` on the other laptops
of the station for the changes made on it."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from fieldapp.display import isolated
from fieldapp.messages import translate
from fieldapp.text import isolate
from sync.client.enroll import MAX_DEVICE_NAME, computer_name
from tests.drivers.cli import STATION, CliResult, fieldapp_cli, use_device_environment
from tests.drivers.device import Device
from tests.drivers.server_admin import enroll_code
from tests.records import PERSON
from tests.server.serverproc import RunningServer

LANGS = ["ar", "ckb", "en"]


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    language: str = request.param
    use_device_environment(monkeypatch, lang=language)
    return language


def enroll(server: RunningServer, username: str, device: Device, *extra: str) -> CliResult:
    """`fieldapp-cli enroll` as the officer types it, the program's options after the command."""
    code = enroll_code(server, username)
    return fieldapp_cli("enroll", "--server", server.base_url, "--code", code,
                        "--fingerprint", server.fingerprint, "--data-dir", str(device.data_dir),
                        *extra)  # fmt: skip


def listed(server: RunningServer, device: Device) -> tuple[dict[str, Any], str]:
    """The device as `fieldapp-server device list --json` shows it, and its line of the plain
    `device list`."""
    device_id = device.status()["device_id"]
    (row,) = [d for d in server.admin_json("device", "list") if d["device_id"] == device_id]
    (line,) = [s for s in server.admin("device", "list").splitlines() if device_id in s]
    return row, line


def test_a_device_enrolled_without_a_name_is_listed_by_the_computers_name(
    server: RunningServer,
    officer: str,
    device: Device,
    lang: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: "Ali-Laptop.karkh.local")
    enrolled = enroll(server, officer, device)
    assert enrolled.code == 0, enrolled.err
    row, line = listed(server, device)
    assert row["name"] == "Ali-Laptop"
    assert line.endswith("  Ali-Laptop")
    said = translate("sync.enrolled", lang, username=isolated(officer),
                     station=isolated(STATION), device_name=isolated("Ali-Laptop"),
                     device_id=isolated(row["device_id"]))  # fmt: skip
    assert enrolled.out == said + "\n"


def test_a_device_enrolled_with_a_name_is_listed_by_that_name(
    server: RunningServer, officer: str, device: Device, lang: str
) -> None:
    enrolled = enroll(server, officer, device, "--device-name", "  لابتوب دورية الكرخ 2 ")
    assert enrolled.code == 0, enrolled.err
    row, line = listed(server, device)
    assert row["name"] == "لابتوب دورية الكرخ 2"
    assert line.endswith("  لابتوب دورية الكرخ 2")


def test_the_user_list_shows_each_officers_laptops_by_name(
    server: RunningServer, officer: str, device: Device, other_device: Device, lang: str
) -> None:
    assert enroll(server, officer, device, "--device-name", "patrol-7").code == 0
    assert enroll(server, officer, other_device, "--device-name", "لابتوب المركز").code == 0
    (user,) = [u for u in server.admin_json("user", "list") if u["username"] == officer]
    assert sorted(d["name"] for d in user["devices"]) == ["patrol-7", "لابتوب المركز"]
    (line,) = [s for s in server.admin("user", "list").splitlines() if s.startswith(officer + " ")]
    assert line.endswith("  patrol-7, لابتوب المركز")


def test_history_on_another_laptop_names_the_laptop_that_made_the_change(
    server: RunningServer, officer: str, device: Device, other_device: Device, lang: str
) -> None:
    assert enroll(server, officer, device).code == 0
    assert enroll(server, officer, other_device, "--device-name", "لابتوب دورية 7").code == 0
    record_id = other_device.add("person", PERSON)
    other_device.sync()
    device.sync()
    shown = fieldapp_cli("history", record_id, "--data-dir", str(device.data_dir))
    assert shown.code == 0, shown.err
    assert isolate("لابتوب دورية 7") in shown.lines[0]
    as_json = fieldapp_cli("history", record_id, "--json", "--data-dir", str(device.data_dir))
    (revision,) = as_json.json()
    assert revision["device_name"] == "لابتوب دورية 7"
    assert revision["device"] == other_device.status()["device_id"]


@pytest.mark.parametrize("name", ["   ", "laptop\u202e", "x" * (MAX_DEVICE_NAME + 1)])
def test_a_device_name_that_cannot_be_listed_is_refused_before_anything_is_made(
    server: RunningServer, officer: str, device: Device, lang: str, name: str
) -> None:
    refused = enroll(server, officer, device, "--device-name", name)
    assert refused.code == 2
    assert refused.err == translate("sync.bad_device_name", lang, limit=MAX_DEVICE_NAME) + "\n"
    assert not device.data_dir.exists()


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("patrol-7.station.local", "patrol-7"),
        ("DESKTOP-4F2K9QA", "DESKTOP-4F2K9QA"),
        ("10.20.30.40", "10.20.30.40"),
        ("lap\x1btop", "laptop"),
        ("k" * 300, "k" * MAX_DEVICE_NAME),
        ("", "device"),
    ],
)
def test_the_computers_name_is_cut_to_a_short_printable_name(
    host: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: host)
    assert computer_name() == name
