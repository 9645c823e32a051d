"""Value objects of the store: a record as the device holds it, a revision, a change."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldapp.errors import VaultDamaged

RECORD_COLUMNS = (
    "id, type, form_version, station_id, number, created_by, created_at, updated_at,"
    " rev, base_rev, local_seq, deleted, conflict, flags, fields"
)

# Keys in the store's state table naming whose vault this is: the session writes them at the
# first sign-in and the replica at enrollment, so they live here, below both.
IDENTITY_USER = "identity.username"
IDENTITY_STATION = "identity.station"


def load_json(stored: str) -> Any:
    """JSON read back from the vault. SQLCipher can return a damaged overflow page as zeros
    rather than an error, so undecodable stored JSON is reported as damage."""
    try:
        return json.loads(stored)
    except (ValueError, TypeError) as exc:
        raise VaultDamaged() from exc


@dataclass(frozen=True)
class Record:
    """The current state of one record on this device."""

    id: str
    type: str
    form_version: int
    station_id: str | None
    number: str | None
    created_by: str
    created_at: str
    updated_at: str
    rev: int
    base_rev: int
    local_seq: int
    deleted: bool
    conflict: bool
    flags: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Record:
        return cls(
            id=row[0],
            type=row[1],
            form_version=row[2],
            station_id=row[3],
            number=row[4],
            created_by=row[5],
            created_at=row[6],
            updated_at=row[7],
            rev=row[8],
            base_rev=row[9],
            local_seq=row[10],
            deleted=bool(row[11]),
            conflict=bool(row[12]),
            flags=tuple(load_json(row[13])),
            fields=load_json(row[14]),
        )

    def to_json(self) -> dict[str, Any]:
        """The record as scripts see it (`show --json`, `list --json`)."""
        return {
            "id": self.id,
            "type": self.type,
            "form_version": self.form_version,
            "number": self.number,
            "station_id": self.station_id,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "rev": self.rev,
            "base_rev": self.base_rev,
            "deleted": self.deleted,
            "conflict": self.conflict,
            "flags": list(self.flags),
            "fields": dict(self.fields),
        }


@dataclass(frozen=True)
class Revision:
    """One saved state of a record, local or pulled from the server."""

    record_id: str
    local_seq: int
    rev: int
    base_rev: int
    deleted: bool
    fields: Mapping[str, Any]
    author: str
    at: str
    origin: str
    change_id: str | None
    # The device a pulled revision was made on (its id and name), and how the server took it
    # (applied, merged, conflict); None for local revisions and those pulled before the server
    # said.
    device: str | None = None
    status: str | None = None
    device_name: str | None = None


@dataclass(frozen=True)
class PendingChange:
    """A change in the outbox, ready to be pushed: full fields, on `base_rev`."""

    seq: int
    change_id: str
    record_id: str
    record_type: str
    form_version: int
    op: str
    base_rev: int
    prev_change_id: str | None
    fields: Mapping[str, Any]
    created_at: str
    attempts: int
    state: str
    reason: str | None


@dataclass(frozen=True)
class SearchHit:
    record: Record
    rank: float
