"""Blocks of human-readable record numbers reserved for one device (tag `records`).

No `from __future__ import annotations` here: FastAPI reads the route signatures at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends

from sync.protocol import NumberBlock, NumberBlockRequest
from sync.server.accounts import DeviceIdentity
from sync.server.dependencies import AuditDep, Caller, StorageDep

router = APIRouter(tags=["records"])


@router.post("/v1/numbers", response_model=NumberBlock)
def numbers(
    body: NumberBlockRequest,
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("numbers"))],
) -> NumberBlock:
    block = storage.reserve_numbers(identity, body.year, body.count)
    audit.ok()
    return block
