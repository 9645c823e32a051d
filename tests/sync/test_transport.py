"""What the transport puts on the wire and how it reads answers (the network faked at the
`requests.Session.request` edge; the real server is exercised in test_engine_e2e.py)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from fieldapp.errors import InvalidInput
from sync.client.transport import BadResponse, DeviceRevokedError, RetryLater, Transport
from sync.protocol import PROTOCOL_HEADER, NumberBlockRequest

DEVICE = "0190f0aa-0000-7000-8000-00000000000d"
TOKEN = "t" * 43


class FakeSession(requests.Session):
    def __init__(self, status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None):
        super().__init__()
        self.sent: list[dict[str, Any]] = []
        self.status, self.body, self.headers_out = status, body, headers or {}

    def request(  # the transport names every argument after the method and URL
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        assert not args
        self.sent.append({"method": method, "url": url, **kwargs})
        response = requests.Response()
        response.status_code = self.status
        response.raw = io.BytesIO(self.body)
        response.headers = CaseInsensitiveDict(self.headers_out)
        return response


def transport(session: FakeSession, tmp_path: Path, **kwargs: Any) -> Transport:
    return Transport(
        "https://127.0.0.1:8443/", tmp_path / "server.pem", DEVICE, TOKEN, session=session, **kwargs
    )


def test_requests_are_verified_against_the_pinned_file_and_sent_gzipped(tmp_path: Path) -> None:
    answer = {"station": "B12", "year": 2026, "first": 1, "last": 100}
    session = FakeSession(body=json.dumps(answer).encode())
    block = transport(session, tmp_path).numbers(NumberBlockRequest(year=2026, count=100))
    assert (block.first, block.last) == (1, 100)
    [sent] = session.sent
    assert sent["verify"] == str(tmp_path / "server.pem")
    assert sent["url"] == "https://127.0.0.1:8443/v1/numbers"
    assert sent["timeout"] == (10.0, 60.0)
    assert sent["allow_redirects"] is False
    headers = sent["headers"]
    assert headers[PROTOCOL_HEADER] == "1"
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(sent["data"])) == {"year": 2026, "count": 100}
    assert session.trust_env is False  # no REQUESTS_CA_BUNDLE, no .netrc credentials


def test_an_answer_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    session = FakeSession(body=b"x" * 2048)
    with pytest.raises(BadResponse):
        transport(session, tmp_path, max_response_bytes=1024).device()


def test_an_answer_that_breaks_the_protocol_is_refused(tmp_path: Path) -> None:
    session = FakeSession(body=b'{"device_id": 1}')
    with pytest.raises(BadResponse):
        transport(session, tmp_path).device()


def test_error_bodies_become_typed_errors(tmp_path: Path) -> None:
    revoked = json.dumps({"error": "device_revoked", "message": "revoked"}).encode()
    with pytest.raises(DeviceRevokedError):
        transport(FakeSession(403, revoked), tmp_path).device()
    busy = FakeSession(429, b"{}", {"Retry-After": "12"})
    with pytest.raises(RetryLater) as caught:
        transport(busy, tmp_path).device()
    assert caught.value.seconds == 12


@pytest.mark.parametrize("url", ["http://127.0.0.1:8443", "ftp://x", "https://", "127.0.0.1"])
def test_only_https_server_addresses_are_accepted(url: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        Transport(url, tmp_path / "server.pem", DEVICE, TOKEN)
