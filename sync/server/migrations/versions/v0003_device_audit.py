"""Device audit trails: the audit entries devices ship, and each device's chain state and flag.

Existing devices start with nothing held (their first upload anchors their chain) and no flag.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

TS = 27


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(
            sa.Column("audit_segment", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("audit_seq", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("audit_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("audit_flagged_at", sa.String(TS), nullable=True))
        batch.add_column(sa.Column("audit_problem", sa.String(200), nullable=True))
    op.create_table(
        "device_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("details_digest", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("received_at", sa.String(TS), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_device_audit"),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_device_audit_device_id_devices"
        ),
        sa.UniqueConstraint(
            "device_id", "segment", "seq", name="uq_device_audit_device_id_segment_seq"
        ),
    )


def downgrade() -> None:
    op.drop_table("device_audit")
    with op.batch_alter_table("devices") as batch:
        for name in ("audit_problem", "audit_flagged_at", "audit_hash", "audit_seq"):
            batch.drop_column(name)
        batch.drop_column("audit_segment")
