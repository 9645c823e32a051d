"""Who is calling: the bearer token (and optionally the device id) checked against storage.

The token is compared by storage in constant time against its stored SHA-256. The protocol sends
only `Authorization: Bearer <token>`; a device may also send `X-Fieldapp-Device: <device id>`,
in which case storage looks the device up by id (and the audit log can name the device even when
its token is wrong). Every failed authentication is written to the audit log with what was
presented (never the token itself).
"""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.security import HTTPBearer

from sync.protocol import DEVICE_HEADER
from sync.server.accounts import DeviceIdentity
from sync.server.errors import AuthFailed
from sync.server.storage import ServerStorage

ANONYMOUS = "anonymous"

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,128}$")  # base64url, as enrollment hands it out
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Declared for the OpenAPI schema only; the header is parsed below so that every failure has
# the same ErrorBody answer and audit entry. (The optional device header is not declared: a
# schema with two security schemes would say that either one alone is enough.)
bearer_scheme = HTTPBearer(auto_error=False, description="the device token from /v1/enroll")


def presented_credentials(request: Request) -> tuple[str | None, str | None]:
    """(device id, token) from the headers; None for what is missing or malformed."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    token = value.strip() if scheme.lower() == "bearer" else ""
    device = request.headers.get(DEVICE_HEADER.lower(), "").strip().lower()
    return (device if _UUID.match(device) else None), (token if _TOKEN.match(token) else None)


def presented_who(request: Request) -> str:
    """The audit log's `who` for a request that failed authentication."""
    device, _ = presented_credentials(request)
    return f"device {device}" if device else ANONYMOUS


def authenticate(storage: ServerStorage, request: Request) -> DeviceIdentity:
    """The caller's identity; raises AuthFailed or DeviceRevoked (StorageError) otherwise."""
    device, token = presented_credentials(request)
    if token is None or (request.headers.get(DEVICE_HEADER.lower()) and device is None):
        raise AuthFailed()
    return storage.authenticate(device, token)
