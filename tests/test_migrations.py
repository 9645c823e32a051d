"""Schema steps are numbered and forward-only; every earlier version upgrades to the latest with
its data intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlcipher3

from fieldapp.errors import VaultDamaged
from fieldapp.store.db import Connection, migrate, schema_version, sqlite_utils_database
from fieldapp.store.migrations import MIGRATIONS, SCHEMA_VERSION

KEY = "PRAGMA key = \"x'" + "22" * 32 + "'\""


def _connect(path: Path) -> Connection:
    c = sqlcipher3.connect(str(path), isolation_level=None)
    c.execute(KEY)
    return c


# Rows that a database at each version may already hold, written with that version's schema.
def _fill_v1(c: Connection) -> None:
    c.execute(
        "INSERT INTO records (id, type, form_version, station_id, number, created_by,"
        " created_at, updated_at, fields) VALUES ('r1', 'person', 1, 'B12', NULL, 'ali',"
        " '2026-01-01T10:00:00+03:00', '2026-01-01T10:00:00+03:00', ?)",
        (json.dumps({"first_name": "علي"}),),
    )
    c.execute(
        "INSERT INTO outbox (change_id, record_id, record_type, form_version, op, base_rev,"
        " fields, created_at) VALUES ('c1', 'r1', 'person', 1, 'create', 0, '{}', 'now')"
    )


def _fill_v2(c: Connection) -> None:
    _fill_v1(c)
    c.execute(
        "INSERT INTO number_blocks (station, year, first, last, next) VALUES ('B12', 2026, 1, 9, 1)"
    )


def _fill_v3(c: Connection) -> None:
    _fill_v2(c)
    c.execute("INSERT INTO record_conflicts (record_id, conflicts) VALUES ('r1', '[]')")


def _fill_v4(c: Connection) -> None:
    _fill_v3(c)


def _fill_v5(c: Connection) -> None:
    _fill_v4(c)
    c.execute("UPDATE records SET number = 'P/2026/1' WHERE id = 'r1'")
    c.execute(
        "INSERT INTO provisional_numbers (number, record_id, year, seq)"
        " VALUES ('P/2026/1', 'r1', 2026, 1)"
    )


def _fill_v6(c: Connection) -> None:
    _fill_v5(c)
    c.execute("INSERT INTO search_index (rowid, names, body, loose) VALUES (1, 'علي', '', '')")


def _fill_v7(c: Connection) -> None:
    _fill_v6(c)
    c.execute(
        "INSERT INTO revisions (record_id, local_seq, rev, base_rev, deleted, fields, author,"
        " at, origin, device, status) VALUES ('r1', 1, 2, 2, 0, '{}', 'ali', 'now', 'server',"
        " 'd1', 'merged')"
    )


def _fill_v8(c: Connection) -> None:
    _fill_v7(c)
    c.execute("UPDATE revisions SET device_name = 'patrol-7' WHERE device = 'd1'")


def _fill_v9(c: Connection) -> None:
    _fill_v8(c)
    c.execute(
        "INSERT INTO drafts (draft_id, record_type, record_id, fields, updated_at)"
        " VALUES ('d1', 'person', NULL, ?, 'now')",
        (json.dumps({"first_name": "ئاسۆ"}),),
    )


FILLERS = {
    1: _fill_v1,
    2: _fill_v2,
    3: _fill_v3,
    4: _fill_v4,
    5: _fill_v5,
    6: _fill_v6,
    7: _fill_v7,
    8: _fill_v8,
    9: _fill_v9,
}


def test_every_step_has_a_filler_for_its_data() -> None:
    assert set(FILLERS) == set(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("start", range(0, SCHEMA_VERSION + 1))
def test_upgrade_from_every_earlier_version_keeps_data(tmp_path: Path, start: int) -> None:
    c = _connect(tmp_path / "v.db")
    migrate(c, MIGRATIONS, target=start)
    assert schema_version(c) == start
    if start:
        FILLERS[start](c)
    c.close()

    c = _connect(tmp_path / "v.db")
    assert migrate(c, MIGRATIONS) == SCHEMA_VERSION
    if start:
        name = c.execute("SELECT json_extract(fields, '$.first_name') FROM records").fetchone()
        assert name == ("علي",)
        assert c.execute("SELECT count(*) FROM outbox").fetchone() == (1,)
    # the latest schema works after the upgrade
    c.execute("INSERT INTO search_index (rowid, names, body, loose) VALUES (9, 'علي', '', '')")
    assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    c.close()


def test_v3_moves_rejection_problems_and_sent_marks_out_of_sync_state(tmp_path: Path) -> None:
    c = _connect(tmp_path / "v.db")
    migrate(c, MIGRATIONS, target=2)
    _fill_v2(c)
    c.execute("UPDATE outbox SET state = 'rejected', reason = 'invalid'")
    sha = "ab" * 32
    c.execute(
        "INSERT INTO record_attachments (record_id, sha256, name, mime, added_at)"
        " VALUES ('r1', ?, 'p.jpg', 'image/jpeg', 'now'), ('r1', ?, 'q.jpg', 'image/jpeg', 'now')",
        (sha, "cd" * 32),
    )
    c.executemany(
        "INSERT INTO sync_state (key, value) VALUES (?, ?)",
        [
            ("sync.rejected_problems.c1", '[{"field":"age","rule":"range"}]'),
            (f"sync.attachment_sent.{sha}.r1", "1"),
            ("sync.pull_cursor", "7"),
        ],
    )
    migrate(c, MIGRATIONS)
    assert c.execute("SELECT problems FROM outbox").fetchone() == (
        '[{"field":"age","rule":"range"}]',
    )
    assert c.execute(
        "SELECT sha256, on_server FROM record_attachments ORDER BY sha256"
    ).fetchall() == [(sha, 1), ("cd" * 32, 0)]
    assert c.execute("SELECT key FROM sync_state").fetchall() == [("sync.pull_cursor",)]
    c.close()


@pytest.mark.parametrize("start", range(0, 4))
def test_v4_pages_by_key_through_an_index_from_every_earlier_version(
    tmp_path: Path, start: int
) -> None:
    c = _connect(tmp_path / "v.db")
    migrate(c, MIGRATIONS, target=start)
    if start:
        FILLERS[start](c)
    migrate(c, MIGRATIONS)
    plan = c.execute(
        "EXPLAIN QUERY PLAN SELECT rid FROM records WHERE type = ? AND deleted = 0"
        " AND (updated_at, rid) < (?, ?) ORDER BY updated_at DESC, rid DESC LIMIT 50",
        ("person", "2026-01-02", 10),
    ).fetchall()
    details = " ".join(str(row[-1]) for row in plan)
    assert "records_page_by_type" in details and "TEMP B-TREE" not in details
    plan = c.execute(
        "EXPLAIN QUERY PLAN SELECT rid FROM records WHERE deleted = 0"
        " AND (updated_at, rid) < (?, ?) ORDER BY updated_at DESC, rid DESC LIMIT 50",
        ("2026-01-02", 10),
    ).fetchall()
    details = " ".join(str(row[-1]) for row in plan)
    assert "records_page" in details and "TEMP B-TREE" not in details
    plan = c.execute(
        "EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM outbox"
        " WHERE record_id = ? AND state = 'pending')",
        ("r1",),
    ).fetchall()
    assert "COVERING INDEX outbox_state_by_record" in " ".join(str(row[-1]) for row in plan)
    c.close()


@pytest.mark.parametrize("start", range(1, 5))
def test_v5_gives_records_waiting_for_a_number_a_provisional_one_from_every_earlier_version(
    tmp_path: Path, start: int
) -> None:
    c = _connect(tmp_path / "v.db")
    migrate(c, MIGRATIONS, target=start)
    FILLERS[start](c)
    c.execute(
        "INSERT INTO records (id, type, form_version, station_id, number, created_by,"
        " created_at, updated_at, fields) VALUES"
        " ('r0', 'person', 1, 'B12', NULL, 'ali', '2025-12-31T09:00:00+03:00', 'x', '{}'),"
        " ('r2', 'person', 1, 'B12', NULL, 'ali', '2026-02-01T09:00:00+03:00', 'x', '{}'),"
        " ('r3', 'person', 1, 'B12', 'B12-2026-4', 'ali', '2026-03-01T09:00:00+03:00', 'x', '{}')"
    )
    migrate(c, MIGRATIONS)
    numbers = dict(c.execute("SELECT id, number FROM records").fetchall())
    assert numbers == {
        "r0": "P/2025/1",
        "r1": "P/2026/1",
        "r2": "P/2026/2",
        "r3": "B12-2026-4",
    }
    kept = c.execute("SELECT number, record_id FROM provisional_numbers ORDER BY number")
    assert kept.fetchall() == [("P/2025/1", "r0"), ("P/2026/1", "r1"), ("P/2026/2", "r2")]
    c.close()


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    c = _connect(tmp_path / "v.db")
    migrate(c, MIGRATIONS)
    before = c.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    migrate(c, MIGRATIONS)
    assert c.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == before


def test_a_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    c = _connect(tmp_path / "v.db")
    migrate(c, MIGRATIONS)
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(VaultDamaged) as caught:
        migrate(c, MIGRATIONS)
    assert str(SCHEMA_VERSION + 1) in caught.value.message("en")


def test_a_failed_step_leaves_the_previous_version(tmp_path: Path) -> None:
    def broken(conn: Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed midway")

    c = _connect(tmp_path / "v.db")
    with pytest.raises(RuntimeError):
        migrate(c, (*MIGRATIONS, broken))
    assert schema_version(c) == SCHEMA_VERSION
    assert c.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchone() is None


def test_sqlite_utils_alter_works_over_sqlcipher(tmp_path: Path) -> None:
    # sqlite-utils catches pysqlite3's exceptions; fieldapp.store.db registers sqlcipher3 under that
    # name, so alter=True (which relies on catching OperationalError) works on the vault.
    c = _connect(tmp_path / "u.db")
    db = sqlite_utils_database(c)
    db.table("notes").insert({"id": 1, "text": "أ"}, pk="id")
    db.table("notes").insert({"id": 2, "text": "ب", "extra": "جديد"}, pk="id", alter=True)
    assert db["notes"].columns_dict == {"id": int, "text": str, "extra": str}
    c.close()
    plain = tmp_path / "u.db"
    assert b"notes" not in plain.read_bytes()  # the table went through the encrypted connection


def _add_person(c: Connection, record_id: str, first_name: str, *, deleted: bool = False) -> int:
    c.execute(
        "INSERT INTO records (id, type, form_version, station_id, number, created_by,"
        " created_at, updated_at, deleted, fields) VALUES (?, 'person', 1, 'B12', NULL, 'ali',"
        " '2026-01-01T10:00:00+03:00', '2026-01-01T10:00:00+03:00', ?, ?)",
        (record_id, int(deleted), json.dumps({"first_name": first_name})),
    )
    rid: int = c.execute("SELECT rid FROM records WHERE id = ?", (record_id,)).fetchone()[0]
    return rid


def _shadow_match(c: Connection, expression: str) -> list[int]:
    rows = c.execute(
        "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rowid", (expression,)
    )
    return [int(row[0]) for row in rows.fetchall()]


@pytest.mark.parametrize("start", range(1, 6))
def test_v6_rebuilds_the_search_shadow_so_sorani_names_meet_arabic_ones(
    tmp_path: Path, start: int
) -> None:
    c = _connect(tmp_path / "v.db")
    migrate(c, MIGRATIONS, target=start)
    FILLERS[start](c)
    sorani = _add_person(c, "r2", "ئەحمەد")
    _add_person(c, "r3", "ئەحمەد", deleted=True)
    migrate(c, MIGRATIONS)
    assert _shadow_match(c, 'loose : "احمد"') == [sorani]
    assert _shadow_match(c, 'names : "يهحمهد"') == [sorani]
    assert _shadow_match(c, 'names : "علي"') == [1]
    c.close()
