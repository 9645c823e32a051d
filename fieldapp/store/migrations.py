"""Numbered, forward-only schema steps of the local store. Never edit a released step; add one.

Step N moves the database from schema version N-1 to N (`PRAGMA user_version`). Each step is
tested from every earlier version in tests/test_migrations.py.
"""

from __future__ import annotations

from fieldapp.store.db import Connection, Migration
from fieldapp.store.records import load_json
from fieldapp.store.search_terms import shadow_terms


def _v1_records_outbox_audit(conn: Connection) -> None:
    for sql in (
        # Current state of each record. `rev` is the server revision this device last saw
        # (0 = never synced), `base_rev` the revision local edits are based on.
        # `rid` is the stable row number the search shadow is keyed by (an explicit INTEGER
        # PRIMARY KEY survives VACUUM, an implicit rowid may not).
        """CREATE TABLE records (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            station_id TEXT,
            number TEXT UNIQUE,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            rev INTEGER NOT NULL DEFAULT 0,
            base_rev INTEGER NOT NULL DEFAULT 0,
            local_seq INTEGER NOT NULL DEFAULT 1,
            deleted INTEGER NOT NULL DEFAULT 0,
            conflict INTEGER NOT NULL DEFAULT 0,
            flags TEXT NOT NULL DEFAULT '[]',
            fields TEXT NOT NULL
        )""",
        "CREATE INDEX records_by_type ON records(type, deleted, updated_at DESC, id DESC)",
        "CREATE INDEX records_recent ON records(deleted, updated_at DESC, id DESC)",
        # Every local save and every state pulled from the server, never updated or deleted.
        """CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            record_id TEXT NOT NULL REFERENCES records(id),
            local_seq INTEGER NOT NULL,
            rev INTEGER NOT NULL,
            base_rev INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            fields TEXT NOT NULL,
            author TEXT NOT NULL,
            at TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('local', 'server')),
            change_id TEXT
        )""",
        "CREATE INDEX revisions_by_record ON revisions(record_id, id)",
        # Changes waiting for the server to say it has durably committed them.
        """CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            change_id TEXT NOT NULL UNIQUE,
            record_id TEXT NOT NULL REFERENCES records(id),
            record_type TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
            base_rev INTEGER NOT NULL,
            prev_change_id TEXT,
            fields TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
            reason TEXT
        )""",
        "CREATE INDEX outbox_by_record ON outbox(record_id, seq)",
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # Append-only, hash-chained. `audit_head` holds the last entry's seq and hash so that
        # cutting entries off the end is detected too.
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            record_id TEXT,
            outcome TEXT NOT NULL,
            details TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        """CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL
        )""",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    ):
        conn.execute(sql)


def _v2_numbers_search_attachments(conn: Connection) -> None:
    for sql in (
        # Blocks of record numbers the server reserved for this device: station-year-seq.
        """CREATE TABLE number_blocks (
            id INTEGER PRIMARY KEY,
            station TEXT NOT NULL,
            year INTEGER NOT NULL,
            first INTEGER NOT NULL,
            last INTEGER NOT NULL,
            next INTEGER NOT NULL,
            CHECK (first <= next AND next <= last + 1)
        )""",
        # The normalized shadow of each record's text (see fieldapp.text), keyed by
        # records.rid as its rowid (so a save finds its row without scanning). Original text
        # stays in records.fields; this holds only folded terms, inside the encrypted database.
        """CREATE VIRTUAL TABLE search_index USING fts5(
            names, body,
            tokenize = "unicode61 remove_diacritics 0"
        )""",
        # Attachments are content-addressed (SHA-256 of the plaintext) and kept as chunks inside
        # the encrypted database, so they are never whole in memory and never in clear on disk.
        """CREATE TABLE attachments (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            chunk_size INTEGER NOT NULL,
            chunks INTEGER NOT NULL,
            complete INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE attachment_chunks (
            sha256 TEXT NOT NULL,
            idx INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (sha256, idx)
        ) WITHOUT ROWID""",
        """CREATE TABLE record_attachments (
            record_id TEXT NOT NULL REFERENCES records(id),
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (record_id, sha256)
        )""",
    ):
        conn.execute(sql)


def _v3_sync_details(conn: Connection) -> None:
    """What sync learns beside a record's fields gets columns and a table of its own (until
    now the problems of a rejected change and "file sent" marks were rows of sync_state)."""
    for sql in (
        # The server's unresolved same-field disagreements of a record (both values each), as
        # the pull delivered them: JSON list of {field, base, values: [{value, change_id,
        # username, rev}]}. No row: no open conflict.
        """CREATE TABLE record_conflicts (
            record_id TEXT PRIMARY KEY REFERENCES records(id),
            conflicts TEXT NOT NULL
        )""",
        "ALTER TABLE outbox ADD COLUMN problems TEXT",
        # 1: the server holds the whole file for this record (sent from here or pulled).
        "ALTER TABLE record_attachments ADD COLUMN on_server INTEGER NOT NULL DEFAULT 0",
        """UPDATE outbox SET problems = (SELECT value FROM sync_state
               WHERE key = 'sync.rejected_problems.' || outbox.change_id)""",
        """UPDATE record_attachments SET on_server = 1 WHERE EXISTS (SELECT 1 FROM sync_state
               WHERE key = 'sync.attachment_sent.' || sha256 || '.' || record_id)""",
        """DELETE FROM sync_state WHERE key LIKE 'sync.rejected\\_problems.%' ESCAPE '\\'
               OR key LIKE 'sync.attachment\\_sent.%' ESCAPE '\\'""",
    ):
        conn.execute(sql)


def _v4_keyset_pages(conn: Connection) -> None:
    """Lists page by key, newest change first: (updated_at, rid) after the last row shown,
    never OFFSET (docs/adr/0013-read-api.md). These indexes serve that order and seek
    straight to the key, so a page deep in the list costs what the first does. They replace
    the (updated_at, id) ones: the tie-breaker is now `rid`, the record's stable row number
    (many records share an updated_at to the second, e.g. a batch)."""
    for sql in (
        "DROP INDEX IF EXISTS records_by_type",
        "DROP INDEX IF EXISTS records_recent",
        "CREATE INDEX records_page ON records(deleted, updated_at, rid)",
        "CREATE INDEX records_page_by_type ON records(type, deleted, updated_at, rid)",
        # A row's sync state asks whether the record has a pending or a rejected change: this
        # index answers alone, without reading outbox rows (whose `state` lies past `fields`).
        "CREATE INDEX outbox_state_by_record ON outbox(record_id, state)",
    ):
        conn.execute(sql)


def _v5_provisional_numbers(conn: Connection) -> None:
    """Every record has a number from the moment it is saved: one saved while no reserved block
    has a number left (a vault never enrolled, blocks used up offline) gets a provisional one,
    `P/year/seq`, counted on this device (docs/adr/0021-provisional-record-numbers.md). The
    table remembers which numbers were provisional, so they are never pushed, are replaced when
    a block arrives, and still find their record afterwards. Records already waiting for a
    number get theirs now, oldest first."""
    conn.execute(
        """CREATE TABLE provisional_numbers (
            number TEXT PRIMARY KEY,
            record_id TEXT NOT NULL REFERENCES records(id),
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            UNIQUE (year, seq)
        )"""
    )
    conn.execute("CREATE INDEX provisional_numbers_by_record ON provisional_numbers(record_id)")
    rows = conn.execute(
        "SELECT id, CAST(substr(created_at, 1, 4) AS INTEGER) FROM records WHERE number IS NULL"
        " ORDER BY created_at, rid"
    ).fetchall()
    seqs: dict[int, int] = {}
    for record_id, year in rows:
        seqs[year] = seqs.get(year, 0) + 1
        number = f"P/{year}/{seqs[year]}"  # fieldapp.store.numbers.format_provisional
        conn.execute(
            "INSERT INTO provisional_numbers (number, record_id, year, seq) VALUES (?,?,?,?)",
            (number, record_id, year, seqs[year]),
        )
        conn.execute("UPDATE records SET number = ? WHERE id = ?", (number, record_id))


def _v6_search_by_what_officers_type(conn: Connection) -> None:
    """The search shadow gains a `loose` column (names in the spelling Sorani and Arabic share,
    fieldapp.text.loose_spelling) and is rebuilt from the records with today's terms, so a
    vault made before this step finds Sorani spellings of Arabic names and the other way
    round. The shadow is derived data: rebuilding it loses nothing."""
    conn.execute("DROP TABLE search_index")
    conn.execute(
        """CREATE VIRTUAL TABLE search_index USING fts5(
            names, body, loose,
            tokenize = "unicode61 remove_diacritics 0"
        )"""
    )
    rows = conn.execute("SELECT rid, number, fields FROM records WHERE deleted = 0")
    for rid, number, raw in rows.fetchall():
        fields = load_json(raw)
        names, body, loose = shadow_terms([number], fields if isinstance(fields, dict) else {})
        conn.execute(
            "INSERT INTO search_index (rowid, names, body, loose) VALUES (?, ?, ?, ?)",
            (rid, " ".join(names), " ".join(body), " ".join(loose)),
        )


def _v7_revision_makers(conn: Connection) -> None:
    """A pulled revision remembers the device it was made on and whether the server merged it
    (applied / merged / conflict), so history says who changed what where. NULL for revisions
    kept before, and for local ones (made on this device, applied as saved)."""
    for sql in (
        "ALTER TABLE revisions ADD COLUMN device TEXT",
        "ALTER TABLE revisions ADD COLUMN status TEXT",
    ):
        conn.execute(sql)


def _v8_revision_device_names(conn: Connection) -> None:
    """A pulled revision also remembers the name of the device it was made on, as enrollment
    named it, so history says "patrol-7" rather than a device id. NULL before."""
    conn.execute("ALTER TABLE revisions ADD COLUMN device_name TEXT")


def _v9_drafts(conn: Connection) -> None:
    """Forms the officer has typed and not saved yet (fieldapp.store.drafts), inside the vault
    so they are encrypted like the records, and apart from the outbox so they never sync."""
    conn.execute(
        """CREATE TABLE drafts (
            draft_id TEXT PRIMARY KEY,
            record_type TEXT NOT NULL,
            record_id TEXT,
            fields TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )


MIGRATIONS: tuple[Migration, ...] = (
    _v1_records_outbox_audit,
    _v2_numbers_search_attachments,
    _v3_sync_details,
    _v4_keyset_pages,
    _v5_provisional_numbers,
    _v6_search_by_what_officers_type,
    _v7_revision_makers,
    _v8_revision_device_names,
    _v9_drafts,
)
SCHEMA_VERSION = len(MIGRATIONS)
