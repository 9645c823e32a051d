"""The store: records, their history, the outbox, record numbers and search, over the vault.

Every save is one transaction: validate, write the record, its revision, its outbox change, its
search shadow and its audit entry, commit. Either all of it is on disk or none of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, BinaryIO

from fieldapp.errors import InvalidInput, RecordNotFound
from fieldapp.forms.definitions import FormRegistry
from fieldapp.forms.reference import AdminReference
from fieldapp.forms.validation import (
    FieldError,
    ValidationFailed,
    person_age,
    validate,
    validate_patch,
)
from fieldapp.ids import is_uuid, uuid7
from fieldapp.store.attachments import AttachmentInfo, Attachments
from fieldapp.store.audit import AuditLog
from fieldapp.store.db import (
    Connection,
    DatabaseError,
    is_read_only,
    migrate,
    transaction,
    translate_db_error,
)
from fieldapp.store.drafts import Drafts
from fieldapp.store.files import RecordFiles
from fieldapp.store.listing import RecordListing, search_rows
from fieldapp.store.migrations import MIGRATIONS
from fieldapp.store.numbers import RecordNumbers, normalize_number
from fieldapp.store.records import (
    RECORD_COLUMNS,
    PendingChange,
    Record,
    Revision,
    SearchHit,
    load_json,
)
from fieldapp.store.search_terms import search_terms
from fieldapp.text import printable

_R_COLUMNS = ", ".join("r." + c.strip() for c in RECORD_COLUMNS.split(","))
MAX_BATCH = 10_000

# (type, fields) or (type, fields, id)
NewRecord = tuple[str, Mapping[str, Any]] | tuple[str, Mapping[str, Any], str]


def _now_iso(clock: Callable[[], datetime]) -> str:
    return clock().astimezone().isoformat(timespec="seconds")


def _dumps(fields: Mapping[str, Any]) -> str:
    return json.dumps(dict(fields), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Store:
    """Records and everything attached to them, in one unlocked vault's database.

    `actor` is who is working (the officer's user name); `station_id` the station the device is
    enrolled at (None before enrollment). `clock` gives the device time, informational only.
    """

    def __init__(
        self,
        conn: Connection,
        *,
        forms: FormRegistry,
        reference: AdminReference,
        actor: str,
        station_id: str | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self._conn = conn
        self.forms = forms
        self.reference = reference
        self.actor = actor
        self.station_id = station_id
        self._clock = clock
        # A vault on read-only media: reads work, writes raise VaultReadOnly, and the audit
        # entries of reads are skipped (they cannot be written; the vault says so on opening).
        self.read_only = is_read_only(conn)
        self.audit = AuditLog(conn)
        self.numbers = RecordNumbers(conn)
        self.attachments = Attachments(conn)
        self.files = RecordFiles(self)
        self.drafts = Drafts(conn, clock)

    @classmethod
    def open(
        cls,
        conn: Connection,
        *,
        forms: FormRegistry,
        reference: AdminReference,
        actor: str,
        station_id: str | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> Store:
        """Bring the schema up to date and return the store."""
        conn.isolation_level = None  # explicit transactions only (fieldapp.store.db.transaction)
        migrate(conn, MIGRATIONS)
        return cls(
            conn, forms=forms, reference=reference, actor=actor, station_id=station_id, clock=clock
        )

    @property
    def connection(self) -> Connection:
        return self._conn

    def with_connection(self, conn: Connection) -> Store:
        """This store (forms, reference, actor, station, clock) over another connection to the
        same, already migrated database: e.g. the sync's own (`Vault.connect`)."""
        return Store(
            conn,
            forms=self.forms,
            reference=self.reference,
            actor=self.actor,
            station_id=self.station_id,
            clock=self._clock,
        )

    @property
    def listing(self) -> RecordListing:
        """Summaries for lists and screens: pages by key, search, linked records (no audit)."""
        return RecordListing(self._conn, self.forms)

    def today(self) -> date:
        return self._clock().date()

    def now_iso(self) -> str:
        """The device time as stored on records (local, with its offset; informational)."""
        return _now_iso(self._clock)

    # --- writing ---------------------------------------------------------------------------

    def add(self, record_type: str, fields: Mapping[str, Any]) -> Record:
        """Validate and save a new record; returns it with its id (and number, if one is free)."""
        return self.add_many([(record_type, fields)])[0]

    def add_many(self, items: Sequence[NewRecord]) -> list[Record]:
        """Save several new records in one transaction: all of them, or none.

        Each item is `(type, fields)` or `(type, fields, id)`: an id made elsewhere (a UUID,
        e.g. by the data generator or an import) lets records of one batch point at each other.
        Items are validated in order inside the transaction, so a dispute sees the ages of the
        parties added before it. Every invalid item is reported, each error naming its position
        (`[i].field`).
        """
        if len(items) > MAX_BATCH:
            raise InvalidInput("store.batch_too_large", limit=MAX_BATCH)
        for item in items:
            self.forms.get(item[0])  # an unknown type fails the whole call up front
        saved: list[Record] = []
        problems: list[FieldError] = []
        with self._writing():
            for index, item in enumerate(items):
                record_type, fields = item[0], item[1]
                record_id = item[2] if len(item) > 2 else None
                form = self.forms.get(record_type)
                try:
                    checked = validate(
                        form,
                        fields,
                        reference=self.reference,
                        today=self.today(),
                        party_ages=self._party_ages(fields),
                    )
                except ValidationFailed as failed:
                    if len(items) == 1:
                        raise
                    problems.extend(error.at_item(index) for error in failed.errors)
                    continue
                if not problems:
                    saved.append(
                        self._insert(
                            record_type,
                            form.version,
                            dict(checked.fields),
                            sorted(checked.flags),
                            record_id,
                        )
                    )
            if problems:
                raise ValidationFailed(problems)
        return saved

    def _insert(
        self,
        record_type: str,
        form_version: int,
        fields: dict[str, Any],
        flags: list[str],
        record_id: str | None = None,
    ) -> Record:
        if record_id is None:
            record_id = uuid7()
        elif not is_uuid(record_id):
            raise InvalidInput("store.bad_id", id=str(record_id)[:64])
        elif self._conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone():
            raise InvalidInput("store.duplicate_id", id=record_id)
        now = _now_iso(self._clock)
        year = self.today().year
        number = self.numbers.take(self.station_id, year) if self.station_id else None
        self._conn.execute(
            f"INSERT INTO records ({RECORD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,0,0,1,0,0,?,?)",  # noqa: S608
            (
                record_id,
                record_type,
                form_version,
                self.station_id,
                number,
                self.actor,
                now,
                now,
                json.dumps(sorted(flags)),
                _dumps(fields),
            ),
        )
        if number is None:  # no reserved number left: one to read out until a block arrives
            self._conn.execute(
                "UPDATE records SET number = ? WHERE id = ?",
                (self.numbers.take_provisional(record_id, year), record_id),
            )
        record = self._get(record_id)
        self._after_local_save(record, op="create")
        self.audit.append(self.actor, "create", record_id=record_id, details={"type": record_type})
        return record

    def edit(self, record_id: str, patch: Mapping[str, Any]) -> Record:
        """Change some fields (a None value clears an optional field); full re-validation."""
        if not patch:
            raise InvalidInput("store.empty_edit")
        current = self.get(record_id)
        if current.deleted:
            raise InvalidInput("store.record_deleted", id=record_id)
        form = self.forms.get(current.type)
        merged = {**current.fields, **patch}
        checked = validate_patch(
            form,
            current.fields,
            patch,
            reference=self.reference,
            today=self.today(),
            party_ages=self._party_ages(merged),
        )
        with self._writing():
            self._conn.execute(
                "UPDATE records SET fields = ?, flags = ?, form_version = ?, updated_at = ?,"
                " local_seq = local_seq + 1 WHERE id = ?",
                (
                    _dumps(checked.fields),
                    json.dumps(sorted(checked.flags)),
                    form.version,
                    _now_iso(self._clock),
                    record_id,
                ),
            )
            record = self._get(record_id)
            self._after_local_save(record, op="update")
            changed = sorted(k for k in patch if current.fields.get(k) != record.fields.get(k))
            self.audit.append(
                self.actor, "update", record_id=record_id, details={"fields": changed}
            )
        return record

    def delete(self, record_id: str) -> Record:
        """Mark a record deleted (a tombstone that syncs); its history stays."""
        current = self.get(record_id)
        if current.deleted:
            raise InvalidInput("store.record_deleted", id=record_id)
        with self._writing():
            self._conn.execute(
                "UPDATE records SET deleted = 1, updated_at = ?, local_seq = local_seq + 1"
                " WHERE id = ?",
                (_now_iso(self._clock), record_id),
            )
            record = self._get(record_id)
            self._after_local_save(record, op="delete")
            self.audit.append(self.actor, "delete", record_id=record_id)
        return record

    def _party_ages(self, fields: Mapping[str, Any]) -> dict[str, int | None]:
        """Ages of the persons a record names as parties, for the under-18 rule."""
        ids = fields.get("party_ids")
        if not isinstance(ids, list):
            return {}
        ages: dict[str, int | None] = {}
        for party in ids[:50]:
            if not isinstance(party, str) or len(party) > 64:
                continue
            row = self._conn.execute(
                "SELECT fields FROM records WHERE id = ? AND type = 'person'", (party,)
            ).fetchone()
            ages[party] = person_age(load_json(row[0]), self.today()) if row else None
        return ages

    def _after_local_save(self, record: Record, *, op: str) -> None:
        change_id = uuid7()
        self._conn.execute(
            "INSERT INTO revisions (record_id, local_seq, rev, base_rev, deleted, fields, author,"
            " at, origin, change_id) VALUES (?,?,?,?,?,?,?,?,'local',?)",
            (
                record.id,
                record.local_seq,
                record.rev,
                record.base_rev,
                int(record.deleted),
                _dumps(record.fields),
                self.actor,
                record.updated_at,
                change_id,
            ),
        )
        self._queue_change(record, op, change_id)
        self._reindex(record)

    def _queue_change(self, record: Record, op: str, change_id: str) -> None:
        # A change never tried yet is replaced by the newer state (one change per record per
        # push); one that may have reached the server stays, and the new one follows it.
        unsent = self._conn.execute(
            "SELECT seq, change_id, op FROM outbox WHERE record_id = ? AND state = 'pending'"
            " AND attempts = 0 ORDER BY seq DESC LIMIT 1",
            (record.id,),
        ).fetchone()
        if unsent is not None:
            merged_op = "create" if unsent[2] == "create" and op == "update" else op
            self._conn.execute(
                "UPDATE outbox SET change_id = ?, op = ?, fields = ?, form_version = ?,"
                " created_at = ? WHERE seq = ?",
                (
                    change_id,
                    merged_op,
                    _dumps(record.fields),
                    record.form_version,
                    record.updated_at,
                    unsent[0],
                ),
            )
            return
        previous = self._conn.execute(
            "SELECT change_id FROM outbox WHERE record_id = ? AND state = 'pending'"
            " ORDER BY seq DESC LIMIT 1",
            (record.id,),
        ).fetchone()
        self._conn.execute(
            "INSERT INTO outbox (change_id, record_id, record_type, form_version, op, base_rev,"
            " prev_change_id, fields, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                change_id,
                record.id,
                record.type,
                record.form_version,
                op,
                record.base_rev,
                previous[0] if previous else None,
                _dumps(record.fields),
                record.updated_at,
            ),
        )

    def reindex(self, record_id: str) -> None:
        """Rebuild one record's search shadow from its stored state (e.g. after a pull).

        The caller owns the transaction."""
        self._reindex(self._get(record_id))

    def _reindex(self, record: Record) -> None:
        """Refresh a record's search shadow (inside the caller's transaction)."""
        rid = self._conn.execute("SELECT rid FROM records WHERE id = ?", (record.id,)).fetchone()[0]
        self._conn.execute("DELETE FROM search_index WHERE rowid = ?", (rid,))
        if record.deleted:
            return
        former = self.numbers.former_numbers(record.id)
        names, body, loose = search_terms(record, former_numbers=former)
        self._conn.execute(
            "INSERT INTO search_index (rowid, names, body, loose) VALUES (?, ?, ?, ?)",
            (rid, " ".join(names), " ".join(body), " ".join(loose)),
        )

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write transaction whose low-level failures reach people as typed errors."""
        try:
            with transaction(self._conn):
                yield
        except DatabaseError as exc:
            raise translate_db_error(exc) from exc

    # --- reading ---------------------------------------------------------------------------

    def _get(self, record_id: str) -> Record:
        row = self._conn.execute(
            f"SELECT {RECORD_COLUMNS} FROM records WHERE id = ?",  # noqa: S608
            (record_id,),
        ).fetchone()
        if row is None:
            raise RecordNotFound(id=record_id)
        return Record.from_row(row)

    def resolve(self, ref: str) -> str:
        """The id of the record a person named by its id or by its number, current or former
        provisional, typed in any digit script (`B12-2026-176`, `B12-٢٠٢٦-١٧٦`, `P/2026/7`).

        Raises RecordNotFound naming what was typed."""
        if not isinstance(ref, str) or not ref.strip() or len(ref) > 64:
            raise RecordNotFound(id=printable(str(ref)[:64]))
        typed = ref.strip()
        if is_uuid(typed.lower()):
            found = self._conn.execute(
                "SELECT id FROM records WHERE id = ?", (typed.lower(),)
            ).fetchone()
            if found is not None:
                return str(found[0])
        record_id = self.numbers.record_of(normalize_number(typed))
        if record_id is None:
            raise RecordNotFound(id=printable(typed))
        return record_id

    def get(self, record_id: str, *, audit: bool = False) -> Record:
        """One record by id (deleted ones too), for the program's own use: not audited.

        A person opening a record to read it goes through `open_record` (`audit=True` is the
        same), which audits the view once."""
        if not isinstance(record_id, str) or len(record_id) > 64:
            raise RecordNotFound(id=str(record_id)[:64])
        record = self._get(record_id)
        if audit and not self.read_only:
            with self._writing():
                self.audit.append(self.actor, "view", record_id=record_id)
        return record

    def open_record(self, record_id: str) -> Record:
        """One record opened for a person to read: the view enters the audit log, once."""
        return self.get(record_id, audit=True)

    def records(
        self,
        record_type: str | None = None,
        *,
        include_deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        """Full records, newest change first, optionally of one type (exports, scripts).

        Lists shown to people page through `listing` instead: summaries, keyset pages."""
        if record_type is not None:
            self.forms.get(record_type)  # unknown type: a clear error, not an empty list
        return list(
            self.iter_records(
                record_type, include_deleted=include_deleted, limit=limit, offset=offset
            )
        )

    def iter_records(
        self,
        record_type: str | None = None,
        *,
        include_deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Record]:
        clauses, params = [], []  # type: list[str], list[Any]
        if record_type is not None:
            clauses.append("type = ?")
            params.append(record_type)
        if not include_deleted:
            clauses.append("deleted = 0")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        # Only constant column names and clauses are spliced in; every value is a parameter.
        sql = f"SELECT {RECORD_COLUMNS} FROM records{where} ORDER BY updated_at DESC, rid DESC"  # noqa: S608
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else int(limit), int(offset)]
        for row in self._conn.execute(sql, params):
            yield Record.from_row(row)

    def count(self, record_type: str | None = None) -> int:
        if record_type is None:
            return int(
                self._conn.execute("SELECT count(*) FROM records WHERE deleted = 0").fetchone()[0]
            )
        return int(
            self._conn.execute(
                "SELECT count(*) FROM records WHERE deleted = 0 AND type = ?", (record_type,)
            ).fetchone()[0]
        )

    def search(
        self, query: str, *, limit: int = 50, record_type: str | None = None
    ) -> list[SearchHit]:
        """Records matching every word of `query` (the last one as a prefix), best first.

        Works on the normalized shadow, so any spelling variant, any digit script and a surname
        with or without its article find the same records; results carry the original text.
        A phone is found however it is typed, a record number finds that record alone, and a
        name in Sorani spelling finds the Arabic one (and back), after the exact matches
        (`fieldapp.store.listing.search_rows`).
        """
        rows = search_rows(self._fetch_all, _R_COLUMNS, query, limit, record_type)
        return [SearchHit(Record.from_row(row[:-1]), float(row[-1])) for row in rows]

    def _fetch_all(self, sql: str, params: Sequence[Any]) -> list[Any]:
        try:
            return list(self._conn.execute(sql, params).fetchall())
        except DatabaseError as exc:
            raise translate_db_error(exc) from exc

    def history(self, record_id: str) -> list[Revision]:
        """Every saved state of a record, oldest first."""
        self._get(record_id)
        rows = self._conn.execute(
            "SELECT record_id, local_seq, rev, base_rev, deleted, fields, author, at, origin,"
            " change_id, device, status, device_name FROM revisions WHERE record_id = ?"
            " ORDER BY id",
            (record_id,),
        ).fetchall()
        return [Revision(r[0], r[1], r[2], r[3], bool(r[4]), load_json(r[5]), *r[6:]) for r in rows]

    # --- outbox ----------------------------------------------------------------------------

    def pending_changes(self, *, limit: int = 500) -> list[PendingChange]:
        """Changes not yet acknowledged by the server, oldest first."""
        rows = self._conn.execute(
            "SELECT seq, change_id, record_id, record_type, form_version, op, base_rev,"
            " prev_change_id, fields, created_at, attempts, state, reason FROM outbox"
            " WHERE state = 'pending' ORDER BY seq LIMIT ?",
            (int(limit),),
        ).fetchall()
        return [
            PendingChange(
                seq=r[0],
                change_id=r[1],
                record_id=r[2],
                record_type=r[3],
                form_version=r[4],
                op=r[5],
                base_rev=r[6],
                prev_change_id=r[7],
                fields=load_json(r[8]),
                created_at=r[9],
                attempts=r[10],
                state=r[11],
                reason=r[12],
            )
            for r in rows
        ]

    def pending_count(self) -> int:
        return int(
            self._conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
        )

    # --- attachments -----------------------------------------------------------------------

    def attach(self, record_id: str, reader: BinaryIO, *, name: str, mime: str) -> AttachmentInfo:
        """Store a file (streamed, encrypted with the database) and link it to a record."""
        added = self.files.attach(record_id, reader, name=name, mime=mime)
        info = self.attachments.info(added.sha256)
        assert info is not None  # just written, in the same connection
        return info

    def attachments_of(self, record_id: str) -> list[tuple[str, str, str, int]]:
        """(sha256, name, mime, size) of each file linked to a record (see `files.of`)."""
        return [(f.sha256, f.name, f.mime, f.size) for f in self.files.of(record_id)]

    def read_attachment(self, record_id: str, sha256: str, writer: BinaryIO) -> int:
        """Stream a record's file to `writer` (audited as a view)."""
        return self.files.read(record_id, sha256, writer)

    # --- settings kept inside the vault -----------------------------------------------------

    def get_state(self, key: str, default: str | None = None) -> str | None:
        row = self._conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        with self._writing():
            self._conn.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def record_audit(self, action: str, **kwargs: Any) -> None:
        """Append one audit entry in its own transaction (unlock, export, search ...); nothing
        on a read-only vault."""
        if self.read_only:
            return
        with self._writing():
            self.audit.append(self.actor, action, **kwargs)
