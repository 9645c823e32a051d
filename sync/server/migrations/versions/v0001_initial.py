"""Initial server schema: identity, records and feed, numbers, attachments, audit.

Frozen copy of sync/server/schema.py as of revision 0001; later changes get new revisions.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

TS = 27


def _ts(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(TS), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("governorate", sa.String(20), nullable=False),
        sa.Column("district", sa.String(20), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("code", name="pk_stations"),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("station", sa.String(40), nullable=True),
        sa.Column("stations", sa.JSON(), nullable=False),
        _ts("created_at"),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("username", name="pk_users"),
        sa.ForeignKeyConstraint(["station"], ["stations.code"], name="fk_users_station_stations"),
    )
    op.create_table(
        "enroll_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        _ts("expires_at"),
        _ts("used_at", nullable=True),
        sa.Column("device_id", sa.String(36), nullable=True),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("code_hash", name="pk_enroll_codes"),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name="fk_enroll_codes_username_users"
        ),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _ts("enrolled_at"),
        _ts("last_seen", nullable=True),
        _ts("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("token_hash", name="uq_devices_token_hash"),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name="fk_devices_username_users"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("station", sa.String(40), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(60), nullable=True),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.UniqueConstraint("seq", name="uq_records_seq"),
        sa.ForeignKeyConstraint(["station"], ["stations.code"], name="fk_records_station_stations"),
    )
    op.create_index("ix_records_station_seq", "records", ["station", "seq"])
    op.create_table(
        "revisions",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        _ts("at"),
        sa.PrimaryKeyConstraint("record_id", "rev", name="pk_revisions"),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name="fk_revisions_record_id_records"
        ),
    )
    op.create_table(
        "changes",
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=True),
        _ts("at"),
        sa.PrimaryKeyConstraint("change_id", name="pk_changes"),
    )
    op.create_index("ix_changes_record_id", "changes", ["record_id"])
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("created_at"),
        sa.Column("resolved_by", sa.String(40), nullable=True),
        _ts("resolved_at", nullable=True),
        sa.Column("resolution", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name="fk_conflicts_record_id_records"
        ),
    )
    op.create_index("ix_conflicts_record_id_status", "conflicts", ["record_id", "status"])
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("station", sa.String(40), nullable=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        _ts("at"),
        sa.PrimaryKeyConstraint("id", name="pk_rejections"),
        sa.UniqueConstraint("change_id", name="uq_rejections_change_id"),
    )
    op.create_table(
        "number_counters",
        sa.Column("station", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("next", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station", "year", name="pk_number_counters"),
        sa.ForeignKeyConstraint(
            ["station"], ["stations.code"], name="fk_number_counters_station_stations"
        ),
    )
    op.create_table(
        "number_blocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        _ts("at"),
        sa.PrimaryKeyConstraint("id", name="pk_number_blocks"),
        sa.UniqueConstraint("station", "year", "first", name="uq_number_blocks_station_year_first"),
        sa.ForeignKeyConstraint(
            ["station"], ["stations.code"], name="fk_number_blocks_station_stations"
        ),
    )
    op.create_table(
        "feed_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feed_counter"),
    )
    op.bulk_insert(
        sa.table("feed_counter", sa.column("id", sa.Integer()), sa.column("seq", sa.BigInteger())),
        [{"id": 1, "seq": 0}],
    )
    op.create_table(
        "attachments",
        sa.Column("station", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        _ts("created_at"),
        _ts("completed_at", nullable=True),
        sa.PrimaryKeyConstraint("station", "sha256", name="pk_attachments"),
        sa.ForeignKeyConstraint(
            ["station"], ["stations.code"], name="fk_attachments_station_stations"
        ),
    )
    op.create_table(
        "attachment_chunks",
        sa.Column("station", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("station", "sha256", "idx", name="pk_attachment_chunks"),
        sa.ForeignKeyConstraint(
            ["station", "sha256"],
            ["attachments.station", "attachments.sha256"],
            name="fk_attachment_chunks_station_sha256_attachments",
        ),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _ts("at"),
        sa.Column("who", sa.String(120), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("where", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(60), nullable=False),
        sa.Column("record_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )


def downgrade() -> None:
    raise NotImplementedError("migrations are forward-only")
