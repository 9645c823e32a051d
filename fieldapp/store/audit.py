"""The local audit log: append-only and hash-chained.

Each entry's hash covers its own content and the hash of the entry before it, so editing,
deleting or reordering any entry breaks the chain; `audit_head` keeps the last seq and hash, so
cutting entries off the end is detected as well. Entries hold who, what, when and the outcome,
never the content of a record.

A chain kept on the device alone cannot stop whoever holds the password from rewriting it (drop
the triggers, recompute every hash and the head). That is why sync ships the entries' metadata
(`links_after`) to the server, which holds them and flags a device whose chain stops extending
what it holds (docs/SECURITY.md, "The audit trail"). The hash formulas are in
`fieldapp.auditchain`, shared with the server; entries are written in format 2, whose hash covers
a digest of the details (salted), so the server can recompute it without ever seeing them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fieldapp.auditchain import (
    FORMAT_DIGEST,
    FORMAT_LEGACY,
    GENESIS,
    details_digest,
    legacy_entry_hash,
)
from fieldapp.auditchain import entry_hash as _digest_entry_hash
from fieldapp.store.db import Connection
from fieldapp.store.records import load_json

SALT_KEY = "_salt"  # in a format-2 entry's details: 128 random bits, hidden by `entries`

ACTIONS = frozenset(
    {
        "create",
        "update",
        "delete",
        "view",
        "list",
        "search",
        "export",
        "unlock",
        "unlock_failed",
        "password_changed",
        "recovered",
        "attachment_add",
        "attachment_view",
        "sync",
    }
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    record_id: str | None
    outcome: str
    details: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditProblem:
    """Where the chain breaks and how."""

    seq: int
    # "hash_mismatch", "chain_break", "gap", "head_mismatch", "truncated", or "format" (a
    # format-1 entry after a format-2 one: written by tampering, never by the app)
    problem: str


@dataclass(frozen=True)
class ChainLink:
    """One entry as it is shipped to the server: metadata, the digest of its details (never the
    details themselves) and its place in the chain. `format` says which formula its hash uses."""

    seq: int
    at: str
    actor: str
    action: str
    record_id: str | None
    outcome: str
    format: int
    details_digest: str
    prev_hash: str
    hash: str


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    record_id: str | None,
    outcome: str,
    details_json: str,
) -> str:
    """The (format 2) hash of an entry as stored, from its details JSON."""
    return _digest_entry_hash(
        prev_hash, seq, at, actor, action, record_id, outcome, details_digest(details_json)
    )


def entry_format(
    stored_hash: str,
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    record_id: str | None,
    outcome: str,
    details_json: str,
) -> int | None:
    """Which formula `stored_hash` was made with (2 or 1), or None when neither recomputes."""
    fields = (prev_hash, seq, at, actor, action, record_id, outcome, details_json)
    if entry_hash(*fields) == stored_hash:
        return FORMAT_DIGEST
    if legacy_entry_hash(*fields) == stored_hash:
        return FORMAT_LEGACY
    return None


def _entry(row: tuple[Any, ...]) -> AuditEntry:
    seq, at, actor, action, rid, outcome, details, prev_hash, digest = row
    shown = {k: v for k, v in load_json(details).items() if k != SALT_KEY}
    return AuditEntry(seq, at, actor, action, rid, outcome, shown, prev_hash, digest)


class AuditLog:
    """Appends to and verifies the chain. The caller owns the transaction."""

    def __init__(self, conn: Connection, *, clock: Callable[[], str] = utc_now) -> None:
        self._conn = conn
        self._clock = clock

    def append(
        self,
        actor: str,
        action: str,
        *,
        record_id: str | None = None,
        outcome: str = "ok",
        details: Mapping[str, Any] | None = None,
        at: str | None = None,
    ) -> AuditEntry:
        """Add one entry at the end of the chain (inside the caller's transaction)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        head = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
        when = at or self._clock()
        salted = {**dict(details or {}), SALT_KEY: secrets.token_hex(16)}
        details_json = json.dumps(salted, ensure_ascii=False, sort_keys=True)
        digest = entry_hash(prev, seq, when, actor, action, record_id, outcome, details_json)
        self._conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, record_id, outcome, details,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, when, actor, action, record_id, outcome, details_json, prev, digest),
        )
        self._conn.execute(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            (seq, digest),
        )
        return AuditEntry(seq, when, actor, action, record_id, outcome, {}, prev, digest)

    def entries(self, *, record_id: str | None = None) -> Iterator[AuditEntry]:
        sql = "SELECT seq, at, actor, action, record_id, outcome, details, prev_hash, hash"
        sql += " FROM audit_log"
        params: tuple[str, ...] = ()
        if record_id is not None:
            sql += " WHERE record_id = ?"
            params = (record_id,)
        for row in self._conn.execute(sql + " ORDER BY seq", params):
            yield _entry(row)

    def newest(self, *, limit: int, before: int | None = None) -> list[AuditEntry]:
        """Up to `limit` entries, newest first, those with a seq below `before` when given:
        a page of the log (pass the last seq shown to get the next one)."""
        sql = "SELECT seq, at, actor, action, record_id, outcome, details, prev_hash, hash"
        sql += " FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?"
        top = before if before is not None else 2**62
        return [_entry(row) for row in self._conn.execute(sql, (top, max(1, int(limit))))]

    def hash_at(self, seq: int) -> str | None:
        """The stored hash of entry `seq` (GENESIS for 0), or None when there is no such entry."""
        if seq == 0:
            return GENESIS
        row = self._conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else str(row[0])

    def links_after(self, seq: int, limit: int) -> list[ChainLink]:
        """Up to `limit` entries after `seq`, oldest first, as shipped to the server. The
        format is the one the stored hash recomputes with (2 when neither does: the server
        then finds the mismatch itself)."""
        rows = self._conn.execute(
            "SELECT seq, at, actor, action, record_id, outcome, details, prev_hash, hash"
            " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, max(1, int(limit))),
        ).fetchall()
        links = []
        for seq_, at, actor, action, record_id, outcome, details, prev_hash, digest in rows:
            fields = (prev_hash, seq_, at, actor, action, record_id, outcome, details)
            found = entry_format(digest, *fields)
            links.append(
                ChainLink(
                    seq_,
                    at,
                    actor,
                    action,
                    record_id,
                    outcome,
                    found or FORMAT_DIGEST,
                    details_digest(details),
                    prev_hash,
                    digest,
                )
            )
        return links

    def verify(self) -> list[AuditProblem]:
        """Every break in the chain; empty when the log is intact."""
        problems: list[AuditProblem] = []
        prev_hash, expected_seq, digested = GENESIS, 1, False
        rows = self._conn.execute(
            "SELECT seq, at, actor, action, record_id, outcome, details, prev_hash, hash"
            " FROM audit_log ORDER BY seq"
        )
        for seq, at, actor, action, record_id, outcome, details, stored_prev, stored in rows:
            if seq != expected_seq:
                problems.append(AuditProblem(seq, "gap" if seq > expected_seq else "reordered"))
            if stored_prev != prev_hash:
                problems.append(AuditProblem(seq, "chain_break"))
            found = entry_format(
                stored, stored_prev, seq, at, actor, action, record_id, outcome, details
            )
            if found is None:
                problems.append(AuditProblem(seq, "hash_mismatch"))
            elif found == FORMAT_LEGACY and digested:
                problems.append(AuditProblem(seq, "format"))
            digested = digested or found == FORMAT_DIGEST
            prev_hash, expected_seq = stored, seq + 1
        head = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        last_seq = expected_seq - 1
        if head is None:
            if last_seq:
                problems.append(AuditProblem(last_seq, "head_mismatch"))
        elif head[0] != last_seq or head[1] != prev_hash:
            problems.append(
                AuditProblem(head[0], "truncated" if head[0] > last_seq else "head_mismatch")
            )
        return problems
