"""What the server checks in a change's record metadata, and how it keeps what it refuses.

A device is trusted with none of it (DESIGN.md section 5, invariant 6; docs/SECURITY.md):

- `number`: `station-year-seq` in ASCII, and, when the server is about to store it, inside a
  block reserved to the pushing device (`POST /v1/numbers`); or absent.
- `created_at`: an ISO 8601 timestamp with its UTC offset, not before `EARLIEST_CREATED_AT`
  (2008, when community policing began in Iraq: no record of the unit is older) and at most
  `MAX_CLOCK_AHEAD` after the server's clock (device clocks can be days wrong; a week forward is
  generous, a year is garbage).

A refused change is kept for the clerk as `storable(...)` makes it, which no backend can fail
to store, whatever the change held.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from sync.protocol import MAX_FIELDS_JSON_BYTES, MAX_WIRE_INT, Change
from sync.server import schema as t
from sync.server.accounts import DeviceIdentity

EARLIEST_CREATED_AT = datetime(2008, 1, 1, tzinfo=UTC)
MAX_CLOCK_AHEAD = timedelta(days=7)

# ASCII digits only ([0-9], not \d, which matches every script's digits).
_NUMBER = re.compile(
    r"(?P<station>[A-Za-z0-9_.-]{1,40})-(?P<year>[0-9]{4})-(?P<seq>[1-9][0-9]{0,9})"
)
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
# Rejection reasons (ChangeResult.reason) of this module.
BAD_CREATED_AT = "bad_created_at"
BAD_NUMBER = "bad_number"
NUMBER_NOT_RESERVED = "number_not_reserved"

# What a refused change keeps in place of a value no backend stores (docs/SECURITY.md).
REPLACEMENT = "\ufffd"
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
_KEPT_DEPTH = 16


@dataclass(frozen=True)
class RecordNumber:
    station: str
    year: int
    seq: int


def parse_number(text: str) -> RecordNumber | None:
    """The parts of a well-formed `station-year-seq` number, or None."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    return RecordNumber(match["station"], int(match["year"]), int(match["seq"]))


def number_problem(conn: Connection, identity: DeviceIdentity, number: str) -> str | None:
    """Why the device may not give a record `number` (a rejection reason), or None: it must be
    well formed and inside a block the server reserved to this very device."""
    parsed = parse_number(number)
    if parsed is None:
        return BAD_NUMBER
    if parsed.station != identity.station:
        return NUMBER_NOT_RESERVED
    b = t.number_blocks
    reserved = conn.execute(
        select(b.c.id)
        .where(
            b.c.station == parsed.station,
            b.c.year == parsed.year,
            b.c.first <= parsed.seq,
            b.c.last >= parsed.seq,
            b.c.device_id == identity.device_id,
        )
        .limit(1)
    ).first()
    return None if reserved is not None else NUMBER_NOT_RESERVED


def created_at_problem(text: str, now: datetime) -> str | None:
    """Why `text` is not a sane `created_at` at server time `now` (a rejection reason), or
    None."""
    if not _TIMESTAMP.fullmatch(text):
        return BAD_CREATED_AT
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:  # well shaped but no such date or time (2026-02-30, 25:00)
        return BAD_CREATED_AT
    if not EARLIEST_CREATED_AT <= moment <= now + MAX_CLOCK_AHEAD:
        return BAD_CREATED_AT
    return None


def storable(value: Any, depth: int = 0) -> Any:
    """`value` (JSON data) as every backend stores it: NUL and lone surrogates replaced by
    U+FFFD (in keys too), integers beyond 64 bits and non-finite floats as None, containers
    below `_KEPT_DEPTH` levels dropped (None). Bounded recursion whatever the input."""
    if isinstance(value, str):
        return _UNSTORABLE_TEXT.sub(REPLACEMENT, value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) <= MAX_WIRE_INT else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict | list | tuple):
        if depth >= _KEPT_DEPTH:
            return None
        if isinstance(value, dict):
            return {
                _UNSTORABLE_TEXT.sub(REPLACEMENT, str(k)): storable(v, depth + 1)
                for k, v in value.items()
            }
        return [storable(v, depth + 1) for v in value]
    return None


def kept_change(change: Change) -> dict[str, Any]:
    """The refused change as the clerk's queue keeps it: `storable`, and without its fields
    when they are over the size limit (the clerk cannot use megabytes of them; the reason says
    why it was refused). Built field by field, never through the model's serializer, which
    has its own limits."""
    kept: dict[str, Any] = storable({name: getattr(change, name) for name in Change.model_fields})
    size = len(json.dumps(kept.get("fields"), ensure_ascii=False).encode("utf-8"))
    if size > MAX_FIELDS_JSON_BYTES:
        kept["fields"] = {}
    return kept
