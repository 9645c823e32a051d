"""The audit chain's hash formulas: pure functions shared by the device's audit log
(`fieldapp.store.audit`) and the sync server, which recomputes the entries a device ships.

Two entry formats:

- format 1 (vaults before the audit trail was shipped): the hash covers the entry's `details`
  JSON itself, so only a holder of the details can recompute it;
- format 2 (every entry written now): the hash covers a SHA-256 *digest* of the details instead,
  so the server can recompute it from metadata alone and never sees the details. Each format-2
  entry's details carry a random salt, so the digest cannot be used to confirm a guess of them
  (an export file name, a count).

The format number is itself hashed (format 2), so an entry cannot be passed off as the other.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final

GENESIS = "0" * 64
FORMAT_LEGACY: Final = 1
FORMAT_DIGEST: Final = 2


def _canonical(values: list[object]) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def details_digest(details_json: str) -> str:
    """The SHA-256 (hex) of an entry's stored details JSON: what a format-2 hash covers."""
    return hashlib.sha256(details_json.encode("utf-8")).hexdigest()


def legacy_entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    record_id: str | None,
    outcome: str,
    details_json: str,
) -> str:
    """The hash of a format-1 entry (covers the details JSON itself)."""
    values: list[object] = [prev_hash, seq, at, actor, action, record_id, outcome, details_json]
    return hashlib.sha256(_canonical(values)).hexdigest()


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    record_id: str | None,
    outcome: str,
    digest: str,
) -> str:
    """The hash of a format-2 entry: its metadata, the digest of its details and the hash of
    the entry before it."""
    values: list[object] = [
        FORMAT_DIGEST,
        prev_hash,
        seq,
        at,
        actor,
        action,
        record_id,
        outcome,
        digest,
    ]
    return hashlib.sha256(_canonical(values)).hexdigest()
