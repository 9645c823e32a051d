"""Drafts: what an officer has typed into a form and not saved yet, kept inside the vault.

A draft is the form's values as typed (not validated: half a date, a name without its father's
name), so a crash or a power cut loses nothing. It lives in the vault's `drafts` table, so it is
encrypted at rest like the records, and it never enters the outbox: a draft never syncs. Saving
a draft is its own small transaction, separate from any record's.

A draft's JSON is limited to `MAX_DRAFT_BYTES`; a bigger one is refused (`store.draft_too_large`)
and the draft saved before it stays as it was. The forms' own limits keep a typed record far
below it (a dispute's longest texts are 4,000 characters); the cap stops a runaway paste from
filling the vault.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldapp.errors import InvalidInput
from fieldapp.store.db import Connection, DatabaseError, transaction, translate_db_error
from fieldapp.store.records import load_json

MAX_DRAFT_BYTES = 256 * 1024
MAX_DRAFTS = 200  # how many `list` returns, newest first
_MAX_ID = 64


@dataclass(frozen=True)
class Draft:
    """One unsaved form: its type, the record it edits (None for a new one), the values."""

    draft_id: str
    record_type: str
    record_id: str | None
    fields: Mapping[str, Any]
    updated_at: str


def _check_id(value: str | None, what: str) -> None:
    if value is not None and (not isinstance(value, str) or not value or len(value) > _MAX_ID):
        raise InvalidInput("store.bad_id", id=str(value)[:_MAX_ID] or what)


class Drafts:
    """The drafts of one vault. Every call is one short transaction on the caller's thread."""

    def __init__(self, conn: Connection, clock: Callable[[], datetime] = datetime.now) -> None:
        self._conn = conn
        self._clock = clock

    def save(
        self,
        draft_id: str,
        record_type: str,
        record_id: str | None,
        fields: Mapping[str, Any],
    ) -> Draft:
        """Keep (or replace) draft `draft_id` with these values; returns it as stored.

        `fields` must be JSON values; a draft over `MAX_DRAFT_BYTES` raises InvalidInput
        (`store.draft_too_large`) and the previous state of the draft is kept."""
        _check_id(draft_id, "draft")
        _check_id(record_type, "type")
        _check_id(record_id, "record")
        text = json.dumps(dict(fields), ensure_ascii=False, sort_keys=True)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise InvalidInput("store.draft_too_large", limit=MAX_DRAFT_BYTES // 1024)
        now = self._clock().astimezone().isoformat(timespec="seconds")
        self._write(
            "INSERT INTO drafts (draft_id, record_type, record_id, fields, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(draft_id) DO UPDATE SET"
            " record_type = excluded.record_type, record_id = excluded.record_id,"
            " fields = excluded.fields, updated_at = excluded.updated_at",
            (draft_id, record_type, record_id, text, now),
        )
        return Draft(draft_id, record_type, record_id, json.loads(text), now)

    def get(self, draft_id: str) -> Draft | None:
        """The draft `draft_id`, or None if there is none (saved or discarded meanwhile)."""
        row = self._conn.execute(
            "SELECT draft_id, record_type, record_id, fields, updated_at FROM drafts"
            " WHERE draft_id = ?",
            (draft_id,),
        ).fetchone()
        return None if row is None else _draft(row)

    def list(self) -> list[Draft]:
        """The drafts waiting to be finished, most recently typed first (at most MAX_DRAFTS)."""
        rows = self._conn.execute(
            "SELECT draft_id, record_type, record_id, fields, updated_at FROM drafts"
            " ORDER BY updated_at DESC, rowid DESC LIMIT ?",
            (MAX_DRAFTS,),
        ).fetchall()
        return [_draft(row) for row in rows]

    def discard(self, draft_id: str) -> bool:
        """Forget draft `draft_id` (its record was saved, or the officer threw it away).
        True if there was one."""
        return self._write("DELETE FROM drafts WHERE draft_id = ?", (draft_id,)) > 0

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        try:
            with transaction(self._conn):
                return int(self._conn.execute(sql, params).rowcount)
        except DatabaseError as exc:
            raise translate_db_error(exc) from exc


def _draft(row: tuple[Any, ...]) -> Draft:
    fields = load_json(row[3])
    return Draft(row[0], row[1], row[2], fields if isinstance(fields, dict) else {}, row[4])
