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


# --- the format shipped to the server (fieldapp.auditchain) --------------------------------------


def test_shipped_links_carry_no_details_and_recompute_from_metadata_alone(conn) -> None:  # type: ignore[no-untyped-def]
    from fieldapp.auditchain import entry_hash

    links = AuditLog(conn).links_after(0, 100)
    assert [link.seq for link in links] == [1, 2, 3, 4, 5, 6]
    assert not hasattr(links[0], "details")
    for link in links:
        assert link.format == 2
        assert link.hash == entry_hash(
            link.prev_hash,
            link.seq,
            link.at,
            link.actor,
            link.action,
            link.record_id,
            link.outcome,
            link.details_digest,
        )


def test_equal_details_give_different_digests(conn) -> None:  # type: ignore[no-untyped-def]
    digests = {link.details_digest for link in AuditLog(conn).links_after(0, 100)}
    assert len(digests) == 6  # every entry had {"type": "person"}: the salt tells them apart


def test_listed_entries_show_the_details_without_the_salt(conn) -> None:  # type: ignore[no-untyped-def]
    assert [dict(e.details) for e in AuditLog(conn).entries()] == [{"type": "person"}] * 6


def test_links_after_a_seq_start_after_it(conn) -> None:  # type: ignore[no-untyped-def]
    log = AuditLog(conn)
    assert [link.seq for link in log.links_after(4, 100)] == [5, 6]
    assert [link.seq for link in log.links_after(1, 2)] == [2, 3]
    assert log.links_after(4, 100)[0].prev_hash == log.hash_at(4)


def _legacy_log(c, count: int) -> None:  # type: ignore[no-untyped-def]
    """Entries as vaults wrote them before format 2 (the hash covers the details)."""
    from fieldapp.auditchain import GENESIS, legacy_entry_hash

    prev = GENESIS
    for seq in range(1, count + 1):
        at, details = f"2026-01-01T10:00:0{seq}.000+00:00", '{"type": "person"}'
        digest = legacy_entry_hash(prev, seq, at, "officer1", "create", f"r{seq}", "ok", details)
        c.execute(
            "INSERT INTO audit_log (seq, at, actor, action, record_id, outcome, details,"
            " prev_hash, hash) VALUES (?, ?, 'officer1', 'create', ?, 'ok', ?, ?, ?)",
            (seq, at, f"r{seq}", details, prev, digest),
        )
        prev = digest
    c.execute(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        (count, prev),
    )


@pytest.fixture
def legacy(tmp_path):  # type: ignore[no-untyped-def]
    c = sqlcipher3.connect(str(tmp_path / "old.db"), isolation_level=None)
    c.execute("PRAGMA key = \"x'" + "33" * 32 + "'\"")
    migrate(c, MIGRATIONS)
    with transaction(c):
        _legacy_log(c, 3)
    yield c
    c.close()


def test_a_log_written_before_format_2_still_verifies_and_grows_in_format_2(legacy) -> None:  # type: ignore[no-untyped-def]
    log = AuditLog(legacy)
    with transaction(legacy):
        log.append("officer1", "view", record_id="r1")
    assert log.verify() == []
    assert [link.format for link in log.links_after(0, 100)] == [1, 1, 1, 2]


def test_a_legacy_entry_after_a_format_2_entry_is_detected(legacy) -> None:  # type: ignore[no-untyped-def]
    from fieldapp.auditchain import legacy_entry_hash

    log = AuditLog(legacy)
    with transaction(legacy):
        log.append("officer1", "view", record_id="r1")
        log.append("officer1", "view", record_id="r2")
    _drop_guards(legacy)
    # Entry 5, after the format-2 entry 4, passed off as format 1 (hash and head to match).
    seq, at, actor, action, rid, outcome, details, prev = legacy.execute(
        "SELECT seq, at, actor, action, record_id, outcome, details, prev_hash FROM audit_log"
        " WHERE seq = 5"
    ).fetchone()
    forged = legacy_entry_hash(prev, seq, at, actor, action, rid, outcome, details)
    legacy.execute("UPDATE audit_log SET hash = ? WHERE seq = 5", (forged,))
    legacy.execute("UPDATE audit_head SET hash = ? WHERE id = 1", (forged,))
    assert [(p.seq, p.problem) for p in log.verify()] == [(5, "format")]
