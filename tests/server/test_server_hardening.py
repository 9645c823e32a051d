"""Issue 8, section 7 on the server: a taken port, the API description only when turned on, and
a per-device storage quota for files that the device reports in words."""

from __future__ import annotations

import hashlib
import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from fieldapp import session as sessions
from fieldapp.ids import uuid7
from fieldapp.messages import translate
from sync.client.transport import StorageQuotaFull, Transport
from sync.protocol import AttachmentAnnounce
from tests.drivers.cli import PASSWORD, fieldapp_cli
from tests.records import PERSON
from tests.server.serverproc import (
    RunningServer,
    free_port,
    init_server,
    run_server_command,
    running_server,
)

QUOTA_MB = 1
FILE_BYTES = 600 * 1024  # two of them pass a 1 MB quota


def enrolled_token(server: RunningServer, station: str, username: str) -> tuple[str, str]:
    """A device of a new officer of a new station: its (device id, token)."""
    server.admin("station", "add", station, "--name", station, "--governorate", "IQG08",
                 "--district", "IQG08Q01")  # fmt: skip
    server.admin("user", "add", username, "--role", "officer", "--station", station)
    code = server.admin_json("enroll-code", username)["code"]
    answer = requests.post(
        server.url("/v1/enroll"),
        json={"code": code, "device_name": f"{username}-laptop"},
        headers=server.headers(),
        verify=server.verify,
        timeout=30,
    ).json()
    return answer["device_id"], answer["token"]


def announce(server: RunningServer, token: str, content: bytes) -> requests.Response:
    body: dict[str, Any] = {
        "size": len(content),
        "record_id": uuid7(),
        "name": "pledge.jpg",
        "mime": "image/jpeg",
    }
    return requests.put(
        server.url(f"/v1/attachments/{hashlib.sha256(content).hexdigest()}"),
        json=body,
        headers=server.headers(token),
        verify=server.verify,
        timeout=30,
    )


@pytest.fixture(scope="module")
def default_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("defaults")) as server:
        yield server


@pytest.fixture(scope="module")
def quota_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    settings = {"attachment_quota_mb": QUOTA_MB, "api_docs": True}
    with running_server(tmp_path_factory.mktemp("quota"), settings=settings) as server:
        yield server


# --- a taken port ---------------------------------------------------------------------------


def test_serve_on_a_taken_port_says_so_and_exits_1(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    init_server(data_dir)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_server_command(data_dir, "serve", "--port", str(port))
    assert done.returncode == 1
    assert f"127.0.0.1:{port}" in done.stderr and "already in use" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_taken_port_message_is_in_every_language(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    init_server(data_dir)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_server_command(data_dir, "serve", "--port", str(port), lang="ar")
    assert done.returncode == 1
    assert translate("server.port_in_use", "ar", host="127.0.0.1", port=port) in done.stderr


# --- the API description only when the operator wants it -----------------------------------


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc"])
def test_the_api_description_is_not_served_by_default(
    default_server: RunningServer, path: str
) -> None:
    answer = requests.get(default_server.url(path), verify=default_server.verify, timeout=10)
    assert answer.status_code == 404


def test_the_api_description_is_served_when_turned_on(quota_server: RunningServer) -> None:
    answer = requests.get(quota_server.url("/openapi.json"), verify=quota_server.verify, timeout=10)
    assert answer.status_code == 200
    assert "/v1/push" in answer.json()["paths"]


# --- the per-device storage quota -----------------------------------------------------------


def test_a_file_past_the_devices_quota_is_refused_with_the_quota_named(
    quota_server: RunningServer,
) -> None:
    _, token = enrolled_token(quota_server, "Q1", "quota.one")
    assert announce(quota_server, token, b"a" * FILE_BYTES).status_code == 200
    refused = announce(quota_server, token, b"b" * FILE_BYTES)
    assert refused.status_code == 413
    body: dict[str, Any] = refused.json()
    assert body["error"] == "too_large"
    assert body["details"]["reason"] == "storage_quota"
    assert body["details"]["quota_mb"] == QUOTA_MB


def test_the_quota_counts_each_device_alone(quota_server: RunningServer) -> None:
    _, first = enrolled_token(quota_server, "Q2", "quota.two")
    _, second = enrolled_token(quota_server, "Q3", "quota.three")
    assert announce(quota_server, first, b"c" * FILE_BYTES).status_code == 200
    assert announce(quota_server, second, b"d" * FILE_BYTES).status_code == 200


def test_announcing_a_file_the_server_already_has_costs_no_quota(
    quota_server: RunningServer,
) -> None:
    _, token = enrolled_token(quota_server, "Q4", "quota.four")
    content = b"e" * FILE_BYTES
    assert announce(quota_server, token, content).status_code == 200
    assert announce(quota_server, token, b"f" * FILE_BYTES).status_code == 413
    assert announce(quota_server, token, content).status_code == 200  # linked to a new record


def test_the_device_reports_a_full_quota_in_words(quota_server: RunningServer) -> None:
    device_id, token = enrolled_token(quota_server, "Q5", "quota.five")
    content = b"g" * (QUOTA_MB * 2**20 + 1)
    request = AttachmentAnnounce(
        size=len(content), record_id=uuid7(), name="scan.pdf", mime="application/pdf"
    )
    with (
        Transport(quota_server.base_url, quota_server.cert_path, device_id, token) as link,
        pytest.raises(StorageQuotaFull) as refused,
    ):
        link.announce_attachment(hashlib.sha256(content).hexdigest(), request)
    assert refused.value.message("en") == translate("sync.storage_quota", "en", quota_mb=QUOTA_MB)
    assert f"({QUOTA_MB} MB) is full" in refused.value.message("en")


def test_fieldapp_cli_sync_says_the_quota_is_full_and_still_sends_the_records(
    quota_server: RunningServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIELDAPP_PASSWORD", PASSWORD)
    monkeypatch.setenv("FIELDAPP_KDF_PROFILE", sessions.TEST_KDF_PROFILE)
    monkeypatch.delenv("FIELDAPP_NEW_PASSWORD", raising=False)
    quota_server.admin("station", "add", "Q6", "--name", "Q6", "--governorate", "IQG08",
                       "--district", "IQG08Q01")  # fmt: skip
    quota_server.admin("user", "add", "quota.six", "--role", "officer", "--station", "Q6")
    code = quota_server.admin_json("enroll-code", "quota.six")["code"]
    laptop = str(tmp_path / "laptop")

    def cli(*argv: str) -> tuple[int, str, str]:
        result = fieldapp_cli("--lang", "en", "--data-dir", laptop, *argv)
        return result.code, result.out, result.err

    enroll = ("enroll", "--server", quota_server.base_url, "--code", code)
    assert cli(*enroll, "--fingerprint", quota_server.fingerprint)[0] == 0
    _, added, _ = cli("add", "person", "--json", json.dumps(PERSON))
    with sessions.unlock(Path(laptop), PASSWORD) as s:
        scan = io.BytesIO(b"h" * (QUOTA_MB * 2**20 + 1))
        s.store.attach(added.strip(), scan, name="scan.pdf", mime="application/pdf")
    exit_code, _, err = cli("sync", "--retries", "0")
    assert exit_code == 1
    assert translate("sync.storage_quota", "en", quota_mb=QUOTA_MB) in err
    counted = quota_server.admin_json("records", "count", "--station", "Q6")
    assert counted["count"] == 1  # the record itself went through


# --- what the admin commands print from devices' data ---------------------------------------


def test_device_list_shows_a_devices_name_without_its_control_characters(
    quota_server: RunningServer,
) -> None:
    # Enrollment stores the name without control and bidi characters (sync.server.accounts),
    # and the listing escapes whatever a name might still hold (fieldapp.text.printable).
    quota_server.admin("station", "add", "Q7", "--name", "Q7", "--governorate", "IQG08",
                       "--district", "IQG08Q01")  # fmt: skip
    quota_server.admin("user", "add", "quota.seven", "--role", "officer", "--station", "Q7")
    code = quota_server.admin_json("enroll-code", "quota.seven")["code"]
    enrolled = requests.post(
        quota_server.url("/v1/enroll"),
        json={"code": code, "device_name": "laptop\x1b[2J\u202e"},
        headers=quota_server.headers(),
        verify=quota_server.verify,
        timeout=30,
    )
    assert enrolled.status_code == 200
    listed = quota_server.admin("device", "list")
    assert "\x1b" not in listed and "\u202e" not in listed
    assert "  laptop[2J\n" in listed
    as_json = quota_server.admin("device", "list", "--json")
    assert "\u202e" not in as_json
    assert any(d["name"] == "laptop[2J" for d in json.loads(as_json))
