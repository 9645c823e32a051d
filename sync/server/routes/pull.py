"""What a device fetches: the heads of its stations' records after a cursor (tag `records`).

No `from __future__ import annotations` here: FastAPI reads the route signatures at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from sync import protocol
from sync.protocol import PullResponse
from sync.server.accounts import DeviceIdentity
from sync.server.dependencies import AuditDep, Caller, StorageDep

router = APIRouter(tags=["records"])


@router.get("/v1/pull", response_model=PullResponse)
def pull(
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("pull"))],
    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_LIMIT)] = protocol.DEFAULT_PULL_LIMIT,
) -> PullResponse:
    response = storage.pull(identity, since, limit)
    audit.ok(r.record_id for r in response.records)
    return response
