"""Enrollment and a device's own status (tag `devices`).

No `from __future__ import annotations` here: FastAPI reads the route signatures at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from sync import protocol
from sync.protocol import DeviceStatus, EnrollRequest, EnrollResponse
from sync.server.accounts import DeviceIdentity
from sync.server.dependencies import AuditDep, Caller, StorageDep
from sync.server.middleware import ApiError

router = APIRouter(tags=["devices"])


@router.post("/v1/enroll", response_model=EnrollResponse)
def enroll(
    body: EnrollRequest, request: Request, storage: StorageDep, audit: AuditDep
) -> EnrollResponse:
    # No token yet: the code is the credential. (No docstring: it would change the schema.)
    audit.begin(request, "enroll")
    if body.protocol != protocol.PROTOCOL_VERSION:
        raise ApiError(426, "unsupported protocol version")
    response = storage.enroll(body.code, body.device_name)
    audit.who = f"{response.username}/{response.device_id}"
    audit.ok()
    return response


@router.get("/v1/device", response_model=DeviceStatus)
def device(
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("device_status"))],
) -> DeviceStatus:
    status = storage.device_status(identity)
    audit.ok()
    return status
