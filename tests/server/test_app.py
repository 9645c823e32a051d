"""The sync API over real HTTPS, against a real `fieldapp-server serve` process.

One server process serves the whole module (starting one costs about a second); each test makes
its own station, users and devices, so tests do not see each other's records.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import socket
import sqlite3
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from fieldapp.ids import uuid7
from sync.protocol import (
    MAX_BODY_BYTES,
    MAX_COMPRESSED_BODY_BYTES,
    PROTOCOL_HEADER,
    ErrorBody,
    PullResponse,
    PushResponse,
)
from sync.server import tls
from tests import records
from tests.drivers.server_admin import admin_here as admin
from tests.drivers.server_admin import enroll_code
from tests.server.helpers import audit_entries
from tests.server.serverproc import RunningServer, running_server

_names = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("app")) as running:
        yield running


def new_station(server: RunningServer) -> str:
    code = f"S{next(_names)}"
    admin(server, "station", "add", code, "--name", "Karkh", "--governorate", "IQG08",
          "--district", "IQG08Q01")  # fmt: skip
    return code


def new_user(server: RunningServer, station: str, role: str = "officer") -> str:
    name = f"user{next(_names)}"
    admin(server, "user", "add", name, "--role", role, "--station", station)
    return name


def post(
    server: RunningServer, path: str, body: Any, token: str | None = None
) -> requests.Response:
    return requests.post(
        server.url(path), json=body, headers=server.headers(token), verify=server.verify, timeout=30
    )


def get(
    server: RunningServer, path: str, token: str | None = None, **params: Any
) -> requests.Response:
    return requests.get(
        server.url(path), params=params, headers=server.headers(token), verify=server.verify,
        timeout=30,
    )  # fmt: skip


def enroll(server: RunningServer, username: str) -> dict[str, Any]:
    response = post(
        server, "/v1/enroll", {"code": enroll_code(server, username), "device_name": "laptop"}
    )
    assert response.status_code == 200, response.text
    enrolled: dict[str, Any] = response.json()
    return enrolled


def device(server: RunningServer, role: str = "officer", station: str | None = None) -> str:
    """A token of a newly enrolled device of a new user (of a new station unless given)."""
    token: str = enroll(server, new_user(server, station or new_station(server), role))["token"]
    return token


def household(record_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "change_id": uuid7(),
        "record_id": record_id or uuid7(),
        "record_type": "household",
        "form_version": 1,
        "op": "create",
        "base_rev": 0,
        "created_at": "2026-12-01T12:00:00+03:00",
        "fields": records.household(**fields),
    }


def push_body(*changes: dict[str, Any]) -> dict[str, Any]:
    return {"batch_id": str(uuid7()), "changes": list(changes)}


def audit_rows(server: RunningServer) -> list[sqlite3.Row]:
    with sqlite3.connect(server.data_dir / "server.db", timeout=30) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


def error_of(response: requests.Response) -> ErrorBody:
    return ErrorBody.model_validate_json(response.content)


# --- TLS ----------------------------------------------------------------------------------------


def test_the_servers_self_signed_certificate_is_enough_as_the_only_trust_anchor(
    server: RunningServer,
) -> None:
    for host in ("127.0.0.1", "localhost"):
        response = requests.get(
            f"https://{host}:{server.port}/v1/device",
            headers=server.headers(),
            verify=server.verify,
            timeout=10,
        )
        assert response.status_code == 401  # the API itself answered: no token was sent


def test_the_certificate_is_also_accepted_with_strict_x509_checks(server: RunningServer) -> None:
    context = ssl.create_default_context(cafile=server.verify)
    context.verify_flags |= ssl.VERIFY_X509_STRICT  # Python 3.13's default
    with ssl_socket(context, server.port) as tls_socket:
        assert tls_socket.version() in ("TLSv1.2", "TLSv1.3")


def ssl_socket(context: ssl.SSLContext, port: int) -> ssl.SSLSocket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


def test_a_different_servers_certificate_is_refused(server: RunningServer, tmp_path: Path) -> None:
    other = tls.make_certificate(["localhost"])
    (tmp_path / "other.pem").write_bytes(other.cert_pem)
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(server.url("/openapi.json"), verify=str(tmp_path / "other.pem"), timeout=10)


def test_plain_http_to_the_https_port_gets_no_answer(server: RunningServer) -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{server.port}/openapi.json", timeout=10)


# --- enrollment and authentication ----------------------------------------------------------------


def test_an_enrollment_code_works_once(server: RunningServer) -> None:
    user = new_user(server, new_station(server))
    code = enroll_code(server, user)
    first = post(server, "/v1/enroll", {"code": code, "device_name": "laptop"})
    again = post(server, "/v1/enroll", {"code": code, "device_name": "other laptop"})
    assert first.status_code == 200
    assert first.json()["username"] == user
    assert again.status_code == 400
    assert error_of(again).error == "enroll_code_invalid"


def test_an_expired_enrollment_code_is_refused(server: RunningServer) -> None:
    code = enroll_code(server, new_user(server, new_station(server)))
    with sqlite3.connect(server.data_dir / "server.db", timeout=30) as conn:
        conn.execute("UPDATE enroll_codes SET expires_at = '2000-01-01T00:00:00.000000Z'")
    response = post(server, "/v1/enroll", {"code": code, "device_name": "laptop"})
    assert response.status_code == 400
    assert error_of(response).error == "enroll_code_invalid"


def test_a_wrong_token_gets_401_and_an_audit_entry(server: RunningServer) -> None:
    before = len(audit_rows(server))
    response = get(server, "/v1/pull", "A" * 43, since=0)
    assert response.status_code == 401
    assert error_of(response).error == "auth_failed"
    entry = audit_rows(server)[before:][-1]
    assert (entry["who"], entry["action"], entry["where"], entry["outcome"]) == (
        "anonymous",
        "pull",
        "127.0.0.1",
        "auth_failed",
    )


def test_no_token_at_all_gets_401(server: RunningServer) -> None:
    response = get(server, "/v1/device")
    assert response.status_code == 401
    assert error_of(response).error == "auth_failed"


def test_a_revoked_device_gets_403_device_revoked(server: RunningServer) -> None:
    enrolled = enroll(server, new_user(server, new_station(server)))
    assert get(server, "/v1/device", enrolled["token"]).json()["revoked"] is False
    admin(server, "device", "revoke", enrolled["device_id"])
    response = get(server, "/v1/device", enrolled["token"])
    assert response.status_code == 403
    assert error_of(response).error == "device_revoked"


def test_a_refused_request_of_an_authenticated_device_is_audited_with_its_outcome(
    server: RunningServer,
) -> None:
    enrolled = enroll(server, new_user(server, new_station(server)))
    before = len(audit_rows(server))
    response = get(server, f"/v1/attachments/{'0' * 64}", enrolled["token"])
    assert response.status_code == 404
    entry = audit_rows(server)[before:][-1]
    assert (entry["who"], entry["action"], entry["outcome"]) == (
        f"{enrolled['username']}/{enrolled['device_id']}",
        "attachment_manifest",
        "not_found",
    )


# --- push and pull ------------------------------------------------------------------------------


def test_a_pushed_record_comes_back_in_a_pull(server: RunningServer) -> None:
    token = device(server)
    change = household(mahalla="حي الجهاد")
    pushed = PushResponse.model_validate_json(
        post(server, "/v1/push", push_body(change), token).content
    )
    assert [(r.record_id, r.status, r.rev) for r in pushed.results] == [
        (change["record_id"], "applied", 1)
    ]
    pulled = PullResponse.model_validate_json(get(server, "/v1/pull", token, since=0).content)
    assert [(r.record_id, r.fields["mahalla"]) for r in pulled.records] == [
        (change["record_id"], "حي الجهاد")
    ]


def test_push_and_pull_are_in_the_audit_log_with_record_ids(server: RunningServer) -> None:
    token = device(server)
    change = household()
    before = len(audit_rows(server))
    post(server, "/v1/push", push_body(change), token)
    get(server, "/v1/pull", token, since=0)
    entries = audit_rows(server)[before:]
    assert [(e["action"], e["outcome"], json.loads(e["record_ids"])) for e in entries] == [
        ("push", "ok", [change["record_id"]]),
        ("pull", "ok", [change["record_id"]]),
    ]
    assert all("/" in e["who"] and e["where"] == "127.0.0.1" for e in entries)


def test_a_gzip_request_body_is_accepted(server: RunningServer) -> None:
    token = device(server)
    change = household()
    response = requests.post(
        server.url("/v1/push"),
        data=gzip.compress(json.dumps(push_body(change)).encode()),
        headers=server.headers(
            token, **{"Content-Encoding": "gzip", "Content-Type": "application/json"}
        ),
        verify=server.verify,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "applied"


def test_responses_are_gzipped_for_clients_that_accept_it(server: RunningServer) -> None:
    token = device(server)
    post(server, "/v1/push", push_body(*(household() for _ in range(10))), token)
    response = requests.get(
        server.url("/v1/pull"),
        headers=server.headers(token, **{"Accept-Encoding": "gzip"}),
        verify=server.verify,
        timeout=30,
    )
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(response.json()["records"]) == 10


def test_a_gzip_bomb_gets_413(server: RunningServer) -> None:
    token = device(server)
    bomb = gzip.compress(b"[" * (MAX_BODY_BYTES * 4), compresslevel=9)
    assert len(bomb) < 100_000
    response = requests.post(
        server.url("/v1/push"),
        data=bomb,
        headers=server.headers(
            token, **{"Content-Encoding": "gzip", "Content-Type": "application/json"}
        ),
        verify=server.verify,
        timeout=30,
    )
    assert response.status_code == 413
    assert error_of(response).error == "too_large"
    assert server.is_running()


def test_an_oversized_body_gets_413(server: RunningServer) -> None:
    token = device(server)
    response = requests.post(
        server.url("/v1/push"),
        data=b" " * (MAX_BODY_BYTES + 1),
        headers=server.headers(token, **{"Content-Type": "application/json"}),
        verify=server.verify,
        timeout=60,
    )
    assert response.status_code == 413
    assert error_of(response).error == "too_large"


def test_an_oversized_compressed_body_gets_413_before_it_is_read(server: RunningServer) -> None:
    token = device(server)
    response = requests.post(
        server.url("/v1/push"),
        data=b"\0" * (MAX_COMPRESSED_BODY_BYTES + 1),
        headers=server.headers(
            token, **{"Content-Encoding": "gzip", "Content-Type": "application/json"}
        ),
        verify=server.verify,
        timeout=60,
    )
    assert response.status_code == 413


def test_a_body_that_is_not_gzip_gets_400(server: RunningServer) -> None:
    token = device(server)
    response = requests.post(
        server.url("/v1/push"),
        data=b"not gzip at all",
        headers=server.headers(
            token, **{"Content-Encoding": "gzip", "Content-Type": "application/json"}
        ),
        verify=server.verify,
        timeout=30,
    )
    assert response.status_code == 400
    assert error_of(response).error == "bad_request"


@pytest.mark.parametrize("sent", [None, "2", "one"])
def test_a_wrong_or_missing_protocol_header_gets_426(
    server: RunningServer, sent: str | None
) -> None:
    headers = {} if sent is None else {PROTOCOL_HEADER: sent}
    response = requests.get(
        server.url("/v1/device"), headers=headers, verify=server.verify, timeout=10
    )
    assert response.status_code == 426
    assert error_of(response).error == "protocol_version"


def test_unknown_keys_and_wrong_types_are_400_bad_request_not_422(server: RunningServer) -> None:
    token = device(server)
    extra = post(server, "/v1/numbers", {"year": 2026, "count": 5, "extra": 1}, token)
    coerced = post(server, "/v1/numbers", {"year": "2026", "count": 5}, token)
    for response in (extra, coerced):
        assert response.status_code == 400
        body = error_of(response)
        assert body.error == "bad_request"
        assert "2026" not in response.text  # the offending values are not echoed


def test_record_numbers_come_in_blocks_that_never_overlap(server: RunningServer) -> None:
    token = device(server)
    first = post(server, "/v1/numbers", {"year": 2026, "count": 20}, token).json()
    second = post(server, "/v1/numbers", {"year": 2026, "count": 20}, token).json()
    assert first["last"] < second["first"]


# --- station scoping ------------------------------------------------------------------------------


def test_a_device_cannot_read_or_write_another_stations_records(server: RunningServer) -> None:
    station_a, station_b = new_station(server), new_station(server)
    token_a, token_b = device(server, station=station_a), device(server, station=station_b)
    record = household()
    assert (
        post(server, "/v1/push", push_body(record), token_a).json()["results"][0]["status"]
        == "applied"
    )

    pulled_by_b = get(server, "/v1/pull", token_b, since=0).json()
    assert record["record_id"] not in [r["record_id"] for r in pulled_by_b["records"]]

    edit = dict(household(record["record_id"], mahalla="مكان آخر"), op="update", base_rev=1)
    result = post(server, "/v1/push", push_body(edit), token_b).json()["results"][0]
    assert (result["status"], result["reason"]) == ("rejected", "forbidden_station")
    still = get(server, "/v1/pull", token_a, since=0).json()["records"]
    assert [r["fields"]["mahalla"] for r in still] == ["حي الجامعة"]


def test_an_attachment_of_another_station_is_not_found(server: RunningServer) -> None:
    token_a, token_b = device(server), device(server)
    content = b"photo bytes" * 100
    sha = hashlib.sha256(content).hexdigest()
    announce: dict[str, Any] = {
        "size": len(content),
        "record_id": uuid7(),
        "name": "p.jpg",
        "mime": "image/jpeg",
    }
    response = requests.put(
        server.url(f"/v1/attachments/{sha}"), json=announce, headers=server.headers(token_a),
        verify=server.verify, timeout=30,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    uploaded = requests.put(
        server.url(f"/v1/attachments/{sha}/chunks/0"), data=content,
        headers=server.headers(token_a, **{"Content-Type": "application/octet-stream"}),
        verify=server.verify, timeout=30,
    )  # fmt: skip
    assert uploaded.json()["complete"] is True
    own = requests.get(
        server.url(f"/v1/attachments/{sha}/chunks/0"),
        headers=server.headers(token_a),
        verify=server.verify,
        timeout=30,
    )
    assert own.content == content
    other = get(server, f"/v1/attachments/{sha}", token_b)
    assert other.status_code == 404


# --- back-pressure (in process: a database that is busy on demand) ------------------------------


def _asgi_get(app: Any, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    import anyio

    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        else:
            answer["body"] += message.get("body", b"")

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "https", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("10.0.0.7", 5000), "server": ("127.0.0.1", 8443),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip
    anyio.run(app, scope, receive, send)
    return answer["status"], answer["headers"], answer["body"]


def test_a_busy_database_gets_503_with_retry_after(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    from fieldapp.forms.definitions import load_forms
    from fieldapp.forms.reference import load_reference
    from sync.server.app import create_app
    from sync.server.config import AppSettings
    from sync.server.database import make_engine, upgrade_database
    from sync.server.storage import ServerStorage

    class BusyStorage(ServerStorage):
        def pull(self, *args: Any, **kwargs: Any) -> Any:
            raise OperationalError("SELECT", {}, Exception("database is locked"))

    url = f"sqlite:///{tmp_path / 'server.db'}"
    upgrade_database(url)
    storage = BusyStorage(make_engine(url), forms=load_forms(), reference=load_reference())
    storage.add_station("A", "Karkh", "IQG08", "IQG08Q01")
    storage.add_user("ali", "officer", "A")
    token = storage.enroll(storage.create_enroll_code("ali"), "laptop").token
    app = create_app(storage, settings=AppSettings(retry_after_seconds=7))
    status, headers, body = _asgi_get(
        app, "/v1/pull", {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {token}"}
    )
    assert (status, headers["retry-after"]) == (503, "7")
    assert ErrorBody.model_validate_json(body).error == "retry_later"
    entry = audit_entries(storage.engine, 1)[0]
    assert (entry["action"], entry["outcome"], entry["where"]) == (
        "pull",
        "retry_later",
        "10.0.0.7",
    )
    storage.engine.dispose()
