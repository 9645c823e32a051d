"""Record files: which records each attachment belongs to (pull lists a record's files).

Existing attachments are linked to the record they were announced for.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_files",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("station", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(27), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "sha256", name="pk_record_files"),
        sa.ForeignKeyConstraint(
            ["station", "sha256"],
            ["attachments.station", "attachments.sha256"],
            name="fk_record_files_station_sha256_attachments",
        ),
    )
    op.create_index("ix_record_files_station_sha256", "record_files", ["station", "sha256"])
    op.execute(
        "INSERT INTO record_files (record_id, sha256, station, name, mime, created_at)"
        " SELECT record_id, sha256, station, name, mime, created_at FROM attachments"
    )


def downgrade() -> None:
    op.drop_index("ix_record_files_station_sha256", table_name="record_files")
    op.drop_table("record_files")
