"""What a device sends: its record changes, in batches (tag `records`).

No `from __future__ import annotations` here: FastAPI reads the route signatures at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends

from sync.protocol import PushRequest, PushResponse
from sync.server.accounts import DeviceIdentity
from sync.server.dependencies import AuditDep, Caller, StorageDep

router = APIRouter(tags=["records"])


@router.post("/v1/push", response_model=PushResponse)
def push(
    body: PushRequest,
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("push"))],
) -> PushResponse:
    # Named before the work, so a push that fails midway is audited with what it carried.
    audit.record_ids = [c.record_id for c in body.changes]
    response = storage.push(identity, body)
    audit.ok(r.record_id for r in response.results if r.status != "rejected")
    return response
