"""The audit log is append-only and hash-chained: any edit, deletion, reordering or truncation
is found by `verify`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from fieldapp.store.audit import AuditLog
from fieldapp.store.db import Connection, migrate, transaction
from fieldapp.store.migrations import MIGRATIONS


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    c = sqlcipher3.connect(str(tmp_path / "a.db"), isolation_level=None)
    c.execute("PRAGMA key = \"x'" + "11" * 32 + "'\"")
    migrate(c, MIGRATIONS)
    log = AuditLog(c)
    with transaction(c):
        for i in range(6):
            log.append("officer1", "create", record_id=f"r{i}", details={"type": "person"})
    yield c
    c.close()


def _drop_guards(c: Connection) -> None:
    # An attacker with the key can drop the triggers; verify must still catch the tampering.
    c.execute("DROP TRIGGER audit_log_no_update")
    c.execute("DROP TRIGGER audit_log_no_delete")


def test_intact_log_verifies(conn: Connection) -> None:
    assert AuditLog(conn).verify() == []
    assert [e.seq for e in AuditLog(conn).entries()] == [1, 2, 3, 4, 5, 6]


def test_updates_and_deletes_are_refused_by_the_database(conn: Connection) -> None:
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 2")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 2")


def test_edited_entry_is_detected(conn: Connection) -> None:
    _drop_guards(conn)
    conn.execute("UPDATE audit_log SET actor = 'someone_else' WHERE seq = 3")
    assert [(p.seq, p.problem) for p in AuditLog(conn).verify()] == [(3, "hash_mismatch")]


def test_deleted_entry_in_the_middle_is_detected(conn: Connection) -> None:
    _drop_guards(conn)
    conn.execute("DELETE FROM audit_log WHERE seq = 4")
    problems = {p.problem for p in AuditLog(conn).verify()}
    assert {"gap", "chain_break"} <= problems


def test_truncated_tail_is_detected(conn: Connection) -> None:
    _drop_guards(conn)
    conn.execute("DELETE FROM audit_log WHERE seq = 6")
    assert [p.problem for p in AuditLog(conn).verify()] == ["truncated"]


def test_reordered_entries_are_detected(conn: Connection) -> None:
    _drop_guards(conn)
    # swap the content of entries 2 and 5 (keeping their seq numbers)
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT seq, at, actor, action, record_id, outcome, details,"
            " prev_hash, hash FROM audit_log WHERE seq IN (2, 5)"
        )
    }
    for seq, other in ((2, 5), (5, 2)):
        conn.execute(
            "UPDATE audit_log SET at=?, actor=?, action=?, record_id=?, outcome=?, details=?,"
            " prev_hash=?, hash=? WHERE seq=?",
            (*rows[other], seq),
        )
    assert AuditLog(conn).verify() != []


def test_rewriting_an_entry_with_a_recomputed_hash_still_breaks_the_chain(conn: Connection) -> None:
    from fieldapp.store.audit import entry_hash

    _drop_guards(conn)
    seq, at, _actor, action, rid, outcome, details, prev = conn.execute(
        "SELECT seq, at, actor, action, record_id, outcome, details, prev_hash FROM audit_log"
        " WHERE seq = 2"
    ).fetchone()
    forged = entry_hash(prev, seq, at, "forger", action, rid, outcome, details)
    conn.execute("UPDATE audit_log SET actor = 'forger', hash = ? WHERE seq = 2", (forged,))
    assert [(p.seq, p.problem) for p in AuditLog(conn).verify()] == [(3, "chain_break")]


def test_unknown_action_is_a_bug_not_an_entry(conn: Connection) -> None:
    with pytest.raises(ValueError):
        AuditLog(conn).append("officer1", "made_up")
