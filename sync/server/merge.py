"""The three-way field merge of docs/SYNC.md (Push, steps 6 and 7). Pure functions, no storage.

A record state is its fields plus the `deleted` flag. A change made on a stale base is merged
with the head field by field against the base:

- a field changed on one side only takes that side's value;
- changed on both sides to the same value is no conflict;
- changed on both sides to different values is a conflict: the head keeps its value (it was on
  the server first: lower (rev, change_id)) and both values are reported for a clerk.

Deletion is the pseudo-field `_deleted`: a delete on a stale base when the head's fields were
edited since, or an edit on a stale base when the head was deleted since, is a conflict and the
head stays as it is (not deleted / deleted). Field edits still merge as above, so nothing is
lost: the clerk who settles the `_deleted` conflict finds every edit in the head.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DELETED = "_deleted"


@dataclass(frozen=True)
class RecordData:
    """What a revision holds: the cleaned fields and the tombstone flag."""

    fields: Mapping[str, Any]
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"fields": dict(self.fields), "deleted": self.deleted}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordData:
        return cls(dict(data["fields"]), bool(data["deleted"]))


EMPTY = RecordData({}, False)


@dataclass(frozen=True)
class Clash:
    """One field both sides changed to different values; `head` is what the head keeps."""

    field: str
    base: Any
    head: Any
    incoming: Any


@dataclass(frozen=True)
class MergeOutcome:
    data: RecordData
    clashes: tuple[Clash, ...]


def same(a: Any, b: Any) -> bool:
    """JSON equality: `1` and `True` differ, key order does not matter."""
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(
        b, sort_keys=True, ensure_ascii=False
    )


def fields_differ(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    keys = set(a) | set(b)
    return any(not same(a.get(k), b.get(k)) for k in keys)


def three_way(base: RecordData, head: RecordData, incoming: RecordData) -> MergeOutcome:
    """Merge `incoming` (made on `base`) into `head`. Deterministic: depends only on the three
    states, so every server process computes the same head."""
    fields: dict[str, Any] = {}
    clashes: list[Clash] = []
    for key in sorted(set(base.fields) | set(head.fields) | set(incoming.fields)):
        b, h, c = base.fields.get(key), head.fields.get(key), incoming.fields.get(key)
        if same(c, b) or same(h, c):
            value = h
        elif same(h, b):
            value = c
        else:
            value = h
            clashes.append(Clash(key, b, h, c))
        if value is not None:
            fields[key] = value
    deleted = head.deleted
    if incoming.deleted != base.deleted and head.deleted == base.deleted:
        # Only the incoming side changed the flag: it wins unless the head was edited since
        # (delete racing an edit, or a restore racing an edit: a clerk decides).
        if fields_differ(head.fields, base.fields):
            clashes.append(Clash(DELETED, base.deleted, head.deleted, incoming.deleted))
        else:
            deleted = incoming.deleted
    elif (
        head.deleted != base.deleted
        and incoming.deleted == base.deleted
        and fields_differ(incoming.fields, base.fields)
    ):
        # Only the head changed the flag; an edit made meanwhile must not vanish silently.
        clashes.append(Clash(DELETED, base.deleted, head.deleted, incoming.deleted))
    return MergeOutcome(RecordData(fields, deleted), tuple(clashes))


def keep_head(base: RecordData, head: RecordData, incoming: RecordData) -> MergeOutcome:
    """The fallback when the merged fields would break the form's rules together (each side
    was valid alone): the head stays as it is and every field the incoming side changed to a
    value the head does not have becomes a clash, so the clerk still sees it."""
    merged = three_way(base, head, incoming)
    clashes = {c.field: c for c in merged.clashes}
    for key in sorted(set(base.fields) | set(incoming.fields)):
        c, h = incoming.fields.get(key), head.fields.get(key)
        if key not in clashes and not same(c, base.fields.get(key)) and not same(c, h):
            clashes[key] = Clash(key, base.fields.get(key), h, c)
    return MergeOutcome(RecordData(dict(head.fields), merged.data.deleted), tuple(clashes.values()))
