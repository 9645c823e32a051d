"""Attachments: announce a file, upload and download it in resumable chunks, read its manifest
(tag `attachments`). Files are scoped to the caller's stations like their records.

No `from __future__ import annotations` here: FastAPI reads the route signatures at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from sync import protocol
from sync.protocol import AttachmentAnnounce, AttachmentManifest
from sync.server.accounts import DeviceIdentity
from sync.server.config import AppSettings
from sync.server.dependencies import AuditDep, Caller, StorageDep, app_settings
from sync.server.middleware import ApiError

router = APIRouter(tags=["attachments"])

Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
Index = Annotated[int, Path(ge=0, le=protocol.MAX_ATTACHMENT_BYTES // protocol.MIN_CHUNK_SIZE)]

CHUNK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary", "maxLength": protocol.CHUNK_SIZE}
            }
        },
    }
}
CHUNK_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        "description": "the chunk's bytes",
    }
}


@router.get("/v1/attachments/{sha256}", response_model=AttachmentManifest)
def attachment_manifest(
    sha256: Sha,
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("attachment_manifest"))],
) -> AttachmentManifest:
    manifest, record_id = storage.attachment_manifest(identity, sha256)
    audit.ok([record_id])
    return manifest


@router.put("/v1/attachments/{sha256}", response_model=AttachmentManifest)
def announce_attachment(
    sha256: Sha,
    body: AttachmentAnnounce,
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("attachment_announce"))],
    settings: Annotated[AppSettings, Depends(app_settings)],
) -> AttachmentManifest:
    audit.record_ids = [body.record_id]
    manifest = storage.announce_attachment(
        identity, sha256, body, quota_bytes=settings.attachment_quota_bytes
    )
    audit.ok([body.record_id])
    return manifest


@router.put(
    "/v1/attachments/{sha256}/chunks/{index}",
    response_model=AttachmentManifest,
    openapi_extra=CHUNK_BODY,
)
async def put_chunk(
    sha256: Sha,
    index: Index,
    request: Request,
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("attachment_upload"))],
) -> AttachmentManifest:
    # Raw bytes, not JSON: async, so the body is read here and the storage work goes to a thread.
    data = await request.body()
    if len(data) > protocol.CHUNK_SIZE:
        raise ApiError(413, "a chunk is at most CHUNK_SIZE bytes")
    manifest, record_id = await run_in_threadpool(
        storage.put_attachment_chunk, identity, sha256, index, data
    )
    await run_in_threadpool(audit.ok, [record_id])
    return manifest


@router.get(
    "/v1/attachments/{sha256}/chunks/{index}", response_class=Response, responses=CHUNK_ANSWER
)
def get_chunk(
    sha256: Sha,
    index: Index,
    storage: StorageDep,
    audit: AuditDep,
    identity: Annotated[DeviceIdentity, Depends(Caller("attachment_download"))],
) -> Response:
    data, record_id = storage.get_attachment_chunk(identity, sha256, index)
    audit.ok([record_id])
    return Response(data, media_type="application/octet-stream")
