"""What a device ships of its own audit log with every sync (tag `audit`).

No `from __future__ import annotations` here: FastAPI reads the route signatures at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends

from sync.protocol import AuditAck, AuditUpload
from sync.server.accounts import DeviceIdentity
from sync.server.dependencies import AuditDep, Caller, StorageDep

router = APIRouter(tags=["audit"])


@router.post("/v1/audit", response_model=AuditAck)
def audit_upload(
    body: AuditUpload,
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("audit_upload"))],
) -> AuditAck:
    # A broken chain is not an error for the device (it keeps syncing): the storage flags the
    # device and writes the break to the audit log itself.
    ack = storage.receive_audit(identity, body, audit.where)
    audit.ok()
    return ack
