"""The sync wire protocol, shared by the client engine and the server (DESIGN.md section 5).

JSON bodies, gzip both ways (`Content-Encoding: gzip` on requests, `Accept-Encoding: gzip` on
responses). Every endpoint lives under `/v1`; a device sends `X-Fieldapp-Protocol: 1`,
`Authorization: Bearer <token>` and `X-Fieldapp-Device: <device id>` (except on `/v1/enroll`).
Sizes are limited on every input.

Endpoints (see docs/SYNC.md for the semantics):

    POST /v1/enroll                          EnrollRequest -> EnrollResponse
    GET  /v1/device                          -> DeviceStatus
    POST /v1/push                            PushRequest -> PushResponse
    GET  /v1/pull?since=N&limit=M            -> PullResponse
    POST /v1/numbers                         NumberBlockRequest -> NumberBlock
    GET  /v1/attachments/{sha256}            -> AttachmentManifest (404 if unknown)
    PUT  /v1/attachments/{sha256}            AttachmentAnnounce -> AttachmentManifest
    PUT  /v1/attachments/{sha256}/chunks/{i} raw bytes -> AttachmentManifest
    GET  /v1/attachments/{sha256}/chunks/{i} -> raw bytes
    POST /v1/audit                           AuditUpload -> AuditAck

Errors are `ErrorBody` with an HTTP status: 400 bad_request, 401 auth_failed, 403 forbidden or
device_revoked, 404 not_found, 409 conflict, 413 too_large, 426 protocol_version, 429/503 retry
later (with Retry-After).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Fieldapp-Protocol"
# Optional: the device id beside the bearer token; it names the device in the server's audit
# log even when the token is refused.
DEVICE_HEADER = "X-Fieldapp-Device"

# Limits, enforced by the server and respected by the client.
MAX_BODY_BYTES = 8 * 1024 * 1024  # a request body after gunzip
MAX_COMPRESSED_BODY_BYTES = 4 * 1024 * 1024
MAX_PUSH_CHANGES = 200
MAX_PULL_LIMIT = 500
DEFAULT_PULL_LIMIT = 200
MAX_FIELDS_JSON_BYTES = 64 * 1024  # one record's fields, serialized
MAX_NUMBER_BLOCK = 1000
CHUNK_SIZE = 64 * 1024  # the largest attachment chunk (and the default)
MIN_CHUNK_SIZE = 8 * 1024  # chunk sizes are powers of two between these two
MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024
MAX_RECORD_FILES = 100  # files listed with one record
# What a value a device sends may hold (see `Inbound`): a form's value is at most a list inside
# the fields object, so 8 levels leave room to grow while no parser or encoder nears its limit;
# integers fit a signed 64-bit column; floats are finite.
MAX_VALUE_DEPTH = 8
MAX_WIRE_INT = 2**63 - 1
MAX_AUDIT_ENTRIES = 500  # audit entries shipped in one request

Uuid = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
ShortText = Annotated[str, StringConstraints(max_length=200)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]

ChangeOp = Literal["create", "update", "delete"]
ChangeStatus = Literal["applied", "merged", "conflict", "rejected"]
Role = Literal["officer", "clerk", "supervisor", "admin"]


class Message(BaseModel):
    """Base of every wire message: unknown keys are refused, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# Any surrogate code point left in a decoded str is a lone one (JSON's escaped pairs decode to
# one code point): no UTF-8 encoder, PostgreSQL or SQLite JSON function accepts it.
_SURROGATE = re.compile("[\ud800-\udfff]")

HostileReason = Literal[
    "nul_character", "lone_surrogate", "too_deep", "int_too_large", "not_finite"
]


def hostile_text(text: str) -> HostileReason | None:
    """Why `text` may not cross the wire (a NUL or a lone surrogate), or None."""
    if "\x00" in text:
        return "nul_character"
    if _SURROGATE.search(text):
        return "lone_surrogate"
    return None


def hostile_value(value: Any, max_depth: int = MAX_VALUE_DEPTH) -> HostileReason | None:
    """Why `value` (JSON data as parsed) may not cross the wire, or None: a string with a NUL
    or a lone surrogate (as value or key), containers nested more than `max_depth` deep, an
    integer beyond 64 bits, a NaN or infinite float. Iterative: no depth can exhaust the stack.
    Anything else (a nested message) is left to its own validation."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        reason: HostileReason | None = None
        if isinstance(item, str):
            reason = hostile_text(item)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            reason = "int_too_large" if abs(item) > MAX_WIRE_INT else None
        elif isinstance(item, float):
            reason = None if math.isfinite(item) else "not_finite"
        elif isinstance(item, dict | list | tuple):
            if depth >= max_depth:
                return "too_deep"
            children = list(item.values()) if isinstance(item, dict) else list(item)
            keys = [k for k in item if isinstance(k, str)] if isinstance(item, dict) else []
            stack.extend((child, depth + 1) for child in [*keys, *children])
        if reason is not None:
            return reason
    return None


class Inbound(Message):
    """Base of what a device sends. Beyond each field's type, no value may hold what no
    database stores or no parser bounds (`hostile_value`): the server answers 400 naming the
    rule before any storage, and the client, validating each change with the same model
    before it sends, holds back only that change (docs/SECURITY.md, Hostile input)."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        reason = hostile_value(value)
        if reason is not None:
            raise PydanticCustomError(reason, "value refused: {reason}", {"reason": reason})
        return value


# --- enrollment -------------------------------------------------------------------------------


class EnrollRequest(Inbound):
    code: Annotated[str, StringConstraints(min_length=8, max_length=64)]
    device_name: ShortText
    protocol: int = PROTOCOL_VERSION


class EnrollResponse(Message):
    device_id: Uuid
    token: Annotated[str, StringConstraints(min_length=43, max_length=128)]  # 256 bits, base64url
    username: Code
    role: Role
    station: Code
    station_name: ShortText
    server_time: str


class DeviceStatus(Message):
    device_id: Uuid
    username: Code
    role: Role
    station: Code
    revoked: bool
    server_time: str


# --- push -------------------------------------------------------------------------------------


class Change(Inbound):
    """One saved state of a record, as the device's outbox holds it: full fields on `base_rev`.

    `prev_change_id` names this device's earlier change of the same record that may already be
    on the server, so the server can tell a follow-up edit from a concurrent one.
    """

    change_id: Uuid
    record_id: Uuid
    record_type: Key
    form_version: Annotated[int, Field(ge=1, le=10_000)]
    op: ChangeOp
    base_rev: Annotated[int, Field(ge=0)]
    prev_change_id: Uuid | None = None
    number: Annotated[str, StringConstraints(max_length=60)] | None = None
    created_at: Annotated[str, StringConstraints(max_length=40)]
    fields: dict[str, Any]


class PushRequest(Inbound):
    batch_id: Uuid
    changes: Annotated[list[Change], Field(max_length=MAX_PUSH_CHANGES)]


class FieldProblem(Message):
    field: ShortText
    rule: ShortText
    params: dict[str, Any] = {}


class ChangeResult(Message):
    """What became of one change. Replaying a change returns its first result unchanged.

    applied: it became revision `rev` as sent. merged: it was merged three-way with concurrent
    edits into `rev` without conflict. conflict: merged into `rev`, but some fields had different
    values from another device: both values are kept for a clerk and the record is flagged.
    rejected: it failed validation or authorization (`reason`, `problems`); nothing was applied,
    and the server keeps it for the clerk.
    """

    change_id: Uuid
    record_id: Uuid
    status: ChangeStatus
    rev: int | None = None
    reason: ShortText | None = None
    problems: list[FieldProblem] = []


class PushResponse(Message):
    results: list[ChangeResult]
    server_time: str


# --- pull -------------------------------------------------------------------------------------


class ConflictValue(Message):
    value: Any
    change_id: Uuid
    username: Code
    rev: int


class FieldConflict(Message):
    """Values that disagree on one field; `_deleted` when a delete raced an edit."""

    field: Key | Literal["_deleted"]
    base: Any = None
    values: list[ConflictValue]


class AttachmentRef(Message):
    """A file of a record that the server holds completely: fetch its chunks with
    `GET /v1/attachments/{sha256}/chunks/{i}` (chunk i holds bytes i*chunk_size onwards)."""

    sha256: Sha256
    size: Annotated[int, Field(ge=0, le=MAX_ATTACHMENT_BYTES)]
    chunk_size: Annotated[int, Field(ge=MIN_CHUNK_SIZE, le=CHUNK_SIZE)]
    name: ShortText
    mime: Annotated[str, StringConstraints(max_length=100)]


class RecordState(Message):
    """The server's head of one record. `seq` orders the feed; `conflicts` lists unresolved
    same-field disagreements (the head shows the deterministic choice meanwhile); `attachments`
    the record's files that are complete on the server. A file completing moves the head to a
    new `seq` (same `rev`) so every device sees it again."""

    record_id: Uuid
    record_type: Key
    form_version: int
    station: Code
    number: str | None = None
    rev: int
    seq: int
    deleted: bool
    fields: dict[str, Any]
    created_by: Code
    updated_at: str
    conflicts: list[FieldConflict] = []
    # Who made revision `rev`, on which device, and whether it was merged: what the device's
    # history shows (None from a server that did not say).
    changed_by: Code | None = None
    changed_on: Uuid | None = None
    changed_on_name: ShortText | None = None  # that device's name, as its enrollment gave it
    change_status: Literal["applied", "merged", "conflict"] | None = None
    attachments: Annotated[list[AttachmentRef], Field(max_length=MAX_RECORD_FILES)] = []


class PullResponse(Message):
    records: list[RecordState]
    next_cursor: int
    more: bool
    server_time: str


# --- record numbers ---------------------------------------------------------------------------


class NumberBlockRequest(Inbound):
    year: Annotated[int, Field(ge=2000, le=2200)]
    count: Annotated[int, Field(ge=1, le=MAX_NUMBER_BLOCK)]


class NumberBlock(Message):
    station: Code
    year: int
    first: int
    last: int


# --- attachments ------------------------------------------------------------------------------


class AttachmentAnnounce(Inbound):
    """A file the device is about to upload. `chunk_size` (a power of two, 8-64 KiB) is
    chosen by the device for its link (small on a slow link, so a cut loses little) and is the
    file's for good: announcing it again returns the manifest with the first chunk size."""

    size: Annotated[int, Field(ge=0, le=MAX_ATTACHMENT_BYTES)]
    record_id: Uuid
    name: ShortText
    mime: Annotated[str, StringConstraints(max_length=100)]
    chunk_size: Annotated[int, Field(ge=MIN_CHUNK_SIZE, le=CHUNK_SIZE)] = CHUNK_SIZE


class AttachmentManifest(Message):
    sha256: Sha256
    size: int
    chunk_size: int
    chunks: int
    missing: list[int]
    complete: bool


# --- the device's audit trail ------------------------------------------------------------------


# No control characters (PostgreSQL refuses NUL in text; nothing legitimate carries them).
AuditText = Annotated[str, StringConstraints(max_length=120, pattern=r"^[^\x00-\x1f\x7f]*$")]
AuditSeq = Annotated[int, Field(ge=0, le=2**53)]  # fits every database's BIGINT


class AuditLink(Inbound):
    """One entry of the device's hash-chained audit log, metadata only: never its details,
    only their digest, which the format-2 hash covers (`fieldapp.auditchain`). Format-1
    entries (written before vaults shipped their audit trail) cannot be recomputed by the
    server; it accepts them only before the first format-2 entry it holds for the device."""

    seq: Annotated[AuditSeq, Field(ge=1)]
    at: Annotated[AuditText, StringConstraints(max_length=40)]
    actor: AuditText
    action: Key
    record_id: Annotated[AuditText, StringConstraints(max_length=64)] | None = None
    outcome: Annotated[AuditText, StringConstraints(max_length=40)]
    format: Literal[1, 2]
    details_digest: Sha256
    prev_hash: Sha256
    hash: Sha256


class AuditUpload(Inbound):
    """The device's audit entries after `base_seq` (the last one the server acknowledged, 0 at
    first), oldest first; `base_hash` is the device's hash of entry `base_seq` (64 zeros for
    0). The server checks that they extend the chain it holds for the device."""

    base_seq: AuditSeq
    base_hash: Sha256
    entries: Annotated[list[AuditLink], Field(max_length=MAX_AUDIT_ENTRIES)]


class AuditAck(Message):
    """The last entry the server holds for the device: the next upload starts after it. Whether
    the device's chain was found broken is not said to the device (an admin sees it)."""

    acknowledged_seq: int
    server_time: str


# --- errors -----------------------------------------------------------------------------------

ErrorCode = Literal[
    "bad_request",
    "auth_failed",
    "forbidden",
    "device_revoked",
    "not_found",
    "conflict",
    "too_large",
    "protocol_version",
    "enroll_code_invalid",
    "retry_later",
    "internal_error",
]


class ErrorBody(Message):
    error: ErrorCode
    message: ShortText
    details: dict[str, Any] = {}
