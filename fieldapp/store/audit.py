"""The local audit log: append-only and hash-chained.

Each entry's hash covers its own content and the hash of the entry before it, so editing,
deleting or reordering any entry breaks the chain; `audit_head` keeps the last seq and hash, so
cutting entries off the end is detected as well. Entries hold who, what, when and the outcome,
never the content of a record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fieldapp.store.db import Connection
from fieldapp.store.records import load_json

GENESIS = "0" * 64

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
    problem: str  # "hash_mismatch", "chain_break", "gap", "head_mismatch", "truncated"


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
    canonical = json.dumps(
        [prev_hash, seq, at, actor, action, record_id, outcome, details_json],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
        details_json = json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True)
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
            seq, at, actor, action, rid, outcome, details, prev_hash, digest = row
            yield AuditEntry(
                seq, at, actor, action, rid, outcome, load_json(details), prev_hash, digest
            )

    def verify(self) -> list[AuditProblem]:
        """Every break in the chain; empty when the log is intact."""
        problems: list[AuditProblem] = []
        prev_hash, expected_seq = GENESIS, 1
        rows = self._conn.execute(
            "SELECT seq, at, actor, action, record_id, outcome, details, prev_hash, hash"
            " FROM audit_log ORDER BY seq"
        )
        for seq, at, actor, action, record_id, outcome, details, stored_prev, stored in rows:
            if seq != expected_seq:
                problems.append(AuditProblem(seq, "gap" if seq > expected_seq else "reordered"))
            if stored_prev != prev_hash:
                problems.append(AuditProblem(seq, "chain_break"))
            recomputed = entry_hash(
                stored_prev, seq, at, actor, action, record_id, outcome, details
            )
            if recomputed != stored:
                problems.append(AuditProblem(seq, "hash_mismatch"))
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
