"""The server's tables (SQLAlchemy Core), portable across SQLite and PostgreSQL.

Conventions, kept everywhere so both backends behave the same:

- Timestamps are ISO 8601 strings in UTC with a fixed width (`2025-03-01T09:30:00.000000Z`,
  see `iso`), so they sort as text and round-trip identically on both backends.
- JSON columns use `sqlalchemy.JSON` (TEXT on SQLite, JSON on PostgreSQL).
- Ids made on devices (records, changes, devices) are UUID strings (36 characters).
- The feed position `seq` comes only from the single `feed_counter` row (docs/SYNC.md, Pull).

The Alembic revisions (`migrations/versions/`) create exactly these tables; a test compares the
migrated database with this metadata so the two never drift.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

# Deterministic constraint names, so later migrations can refer to them on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

TIMESTAMP_LEN = 27  # len("2025-03-01T09:30:00.000000Z")
ID_LEN = 36  # a UUID string
CODE_LEN = 40  # station codes and usernames (protocol.Code)
HASH_LEN = 64  # hex SHA-256


def iso(moment: datetime) -> str:
    """A timestamp as the fixed-width UTC text stored in every `*_at` column."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the server works in aware UTC datetimes only")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """The aware UTC datetime of a stored timestamp."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _ts(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(TIMESTAMP_LEN), nullable=nullable)


stations = Table(
    "stations",
    metadata,
    Column("code", String(CODE_LEN), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("governorate", String(20), nullable=False),  # admin1 p-code
    Column("district", String(20), nullable=False),  # admin2 p-code
    _ts("created_at"),
)

users = Table(
    "users",
    metadata,
    Column("username", String(CODE_LEN), primary_key=True),
    Column("role", String(20), nullable=False),  # protocol.Role
    # Home station; for a supervisor the first of `stations`; NULL only for an admin.
    Column("station", String(CODE_LEN), ForeignKey("stations.code"), nullable=True),
    # Stations a supervisor may read (JSON list of codes); [] for everyone else.
    Column("stations", JSON, nullable=False),
    _ts("created_at"),
    Column("disabled", Boolean, nullable=False, default=False),
)

enroll_codes = Table(
    "enroll_codes",
    metadata,
    Column("code_hash", String(HASH_LEN), primary_key=True),  # sha256 of the clear code
    Column("username", String(CODE_LEN), ForeignKey("users.username"), nullable=False),
    _ts("expires_at"),
    _ts("used_at", nullable=True),
    Column("device_id", String(ID_LEN), nullable=True),  # the device it enrolled
    _ts("created_at"),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(ID_LEN), primary_key=True),
    Column("username", String(CODE_LEN), ForeignKey("users.username"), nullable=False),
    Column("token_hash", String(HASH_LEN), nullable=False, unique=True),  # sha256 of the token
    Column("name", String(200), nullable=False),
    _ts("enrolled_at"),
    _ts("last_seen", nullable=True),
    _ts("revoked_at", nullable=True),
    # The device's audit chain as the server holds it (revision 0003): the last entry held (seq,
    # hash) of the current segment (a new segment begins where a break was found); NULL seq:
    # nothing shipped yet. `audit_flagged_at`/`audit_problem`: the chain stopped extending what
    # the server held; kept until an admin clears it.
    Column("audit_segment", Integer, nullable=False, server_default="0"),
    Column("audit_seq", BigInteger, nullable=True),
    Column("audit_hash", String(HASH_LEN), nullable=True),
    _ts("audit_flagged_at", nullable=True),
    Column("audit_problem", String(200), nullable=True),
)

# The head (current state) of each record.
records = Table(
    "records",
    metadata,
    Column("id", String(ID_LEN), primary_key=True),
    Column("station", String(CODE_LEN), ForeignKey("stations.code"), nullable=False),
    Column("type", String(40), nullable=False),
    Column("form_version", Integer, nullable=False),
    Column("number", String(60), nullable=True),
    Column("rev", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False, unique=True),  # feed position (feed_counter)
    Column("deleted", Boolean, nullable=False),
    Column("conflict", Boolean, nullable=False),  # has unresolved conflicts
    Column("fields", JSON, nullable=False),
    Column("created_by", String(CODE_LEN), nullable=False),
    Column("created_at", String(40), nullable=False),  # device clock, informational
    _ts("updated_at"),  # server clock
    Index("ix_records_station_seq", "station", "seq"),
)

# Every stored state of every record: rev 1..head.
revisions = Table(
    "revisions",
    metadata,
    Column("record_id", String(ID_LEN), ForeignKey("records.id"), primary_key=True),
    Column("rev", Integer, primary_key=True),
    Column("deleted", Boolean, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("change_id", String(ID_LEN), nullable=False),
    Column("status", String(20), nullable=False),  # applied / merged / conflict
    Column("device_id", String(ID_LEN), nullable=False),
    Column("username", String(CODE_LEN), nullable=False),
    _ts("at"),
)

# The idempotency table: one row per change_id ever seen, with its first result.
changes = Table(
    "changes",
    metadata,
    Column("change_id", String(ID_LEN), primary_key=True),
    Column("record_id", String(ID_LEN), nullable=False),
    Column("device_id", String(ID_LEN), nullable=False),
    Column("username", String(CODE_LEN), nullable=False),
    Column("status", String(20), nullable=False),
    Column("rev", Integer, nullable=True),  # revision it became (NULL when rejected)
    Column("result", JSON, nullable=False),  # protocol.ChangeResult as JSON
    # The cleaned state the device sent ({"fields": ..., "deleted": ...}; NULL when rejected):
    # the merge base of the device's follow-up change (prev_change_id).
    Column("state", JSON, nullable=True),
    _ts("at"),
    Index("ix_changes_record_id", "record_id"),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(ID_LEN), ForeignKey("records.id"), nullable=False),
    Column("field", String(40), nullable=False),  # a field key, or "_deleted"
    Column("base", JSON, nullable=True),  # the value at the common base revision
    Column("values", JSON, nullable=False),  # list of protocol.ConflictValue as JSON
    Column("status", String(20), nullable=False),  # open / resolved
    _ts("created_at"),
    Column("resolved_by", String(CODE_LEN), nullable=True),
    _ts("resolved_at", nullable=True),
    Column("resolution", JSON, nullable=True),
    Index("ix_conflicts_record_id_status", "record_id", "status"),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("change_id", String(ID_LEN), nullable=False, unique=True),
    Column("record_id", String(ID_LEN), nullable=False),
    Column("station", String(CODE_LEN), nullable=True),  # the device user's station
    Column("device_id", String(ID_LEN), nullable=False),
    Column("username", String(CODE_LEN), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("problems", JSON, nullable=False),  # list of protocol.FieldProblem as JSON
    Column("change", JSON, nullable=False),  # the whole protocol.Change as sent
    _ts("at"),
)

# Next free number per station and year; locked row by row when blocks are reserved.
number_counters = Table(
    "number_counters",
    metadata,
    Column("station", String(CODE_LEN), ForeignKey("stations.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("next", BigInteger, nullable=False),
)

number_blocks = Table(
    "number_blocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("station", String(CODE_LEN), ForeignKey("stations.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("first", BigInteger, nullable=False),
    Column("last", BigInteger, nullable=False),
    Column("device_id", String(ID_LEN), nullable=False),
    Column("username", String(CODE_LEN), nullable=False),
    _ts("at"),
    UniqueConstraint("station", "year", "first", name="uq_number_blocks_station_year_first"),
)

# Exactly one row (id = 1): the last feed position handed out.
feed_counter = Table(
    "feed_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
)

# Content-addressed per station: a station never learns whether another holds the same file.
attachments = Table(
    "attachments",
    metadata,
    Column("station", String(CODE_LEN), ForeignKey("stations.code"), primary_key=True),
    Column("sha256", String(HASH_LEN), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("chunk_size", Integer, nullable=False),
    Column("chunks", Integer, nullable=False),
    Column("record_id", String(ID_LEN), nullable=False),
    Column("name", String(200), nullable=False),
    Column("mime", String(100), nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("device_id", String(ID_LEN), nullable=False),
    _ts("created_at"),
    _ts("completed_at", nullable=True),
)

attachment_chunks = Table(
    "attachment_chunks",
    metadata,
    Column("station", String(CODE_LEN), primary_key=True),
    Column("sha256", String(HASH_LEN), primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
    ForeignKeyConstraint(
        ["station", "sha256"],
        ["attachments.station", "attachments.sha256"],
        name="fk_attachment_chunks_station_sha256_attachments",
    ),
)

# Which records a file belongs to (one file may serve several records of a station). Added by
# revision 0002; `attachments.record_id` keeps the record it was first announced for.
record_files = Table(
    "record_files",
    metadata,
    Column("record_id", String(ID_LEN), primary_key=True),
    Column("sha256", String(HASH_LEN), primary_key=True),
    Column("station", String(CODE_LEN), nullable=False),
    Column("name", String(200), nullable=False),
    Column("mime", String(100), nullable=False),
    _ts("created_at"),
    ForeignKeyConstraint(
        ["station", "sha256"],
        ["attachments.station", "attachments.sha256"],
        name="fk_record_files_station_sha256_attachments",
    ),
    Index("ix_record_files_station_sha256", "station", "sha256"),
)

# The audit entries devices shipped (metadata only: never details or record content), as
# received. Never updated or deleted: after a break the rewritten chain goes into a new segment
# beside the old one, which stays as the evidence. Added by revision 0003.
device_audit = Table(
    "device_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(ID_LEN), ForeignKey("devices.id"), nullable=False),
    Column("segment", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("at", String(40), nullable=False),  # device clock, informational
    Column("actor", String(120), nullable=False),
    Column("action", String(40), nullable=False),
    Column("record_id", String(64), nullable=True),
    Column("outcome", String(40), nullable=False),
    Column("format", Integer, nullable=False),
    Column("details_digest", String(HASH_LEN), nullable=False),
    Column("prev_hash", String(HASH_LEN), nullable=False),
    Column("hash", String(HASH_LEN), nullable=False),
    _ts("received_at"),
    UniqueConstraint("device_id", "segment", "seq", name="uq_device_audit_device_id_segment_seq"),
)

# CJIS AU-3: who, what, when, where, outcome, for every request that reads or changes records
# and for every failed authentication.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ts("at"),
    Column("who", String(120), nullable=False),  # "username/device-id", or what was presented
    Column("action", String(60), nullable=False),
    Column("where", String(200), nullable=False),  # client address
    Column("outcome", String(60), nullable=False),
    Column("record_ids", JSON, nullable=False),
)

ALL_TABLES = tuple(metadata.sorted_tables)
