"""committee meetings, resolutions and reviews (with links and an audit history); decks belong to a meeting

Revision ID: 0014_resolutions
Revises: 0012_target_kinds, 0005_decks
Create Date: 2026-12-06 21:00:00

A scrutiny committee's resolutions are a register loaded from a spreadsheet and edited by editors; a meeting
deck may name the meeting it is for (``decks.meeting_id``, nullable: existing decks belong to none).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_resolutions"
# It adds a column to decks, so it merges the decks branch: the decks table is there before it runs.
down_revision = ("0012_target_kinds", "0005_decks")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("meeting_date", "committee", name=op.f("uq_meetings_meeting_date_committee")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_meeting_date"), ["meeting_date"], unique=False)
    op.create_table(
        "resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("review_months", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=120), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_resolutions_status")),
        sa.CheckConstraint("kind IN ('resolution', 'review')", name=op.f("ck_resolutions_kind")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_resolutions_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolutions")),
        sa.UniqueConstraint("meeting_id", "number", name=op.f("uq_resolutions_meeting_id_number")),
    )
    with op.batch_alter_table("resolutions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resolutions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resolutions_due_date"), ["due_date"], unique=False)
    op.create_table(
        "resolution_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("link_kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.CheckConstraint("link_kind IN ('action', 'indicator')", name=op.f("ck_resolution_links_link_kind")),
        sa.ForeignKeyConstraint(
            ["resolution_id"], ["resolutions.id"], name=op.f("fk_resolution_links_resolution_id_resolutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_links")),
    )
    with op.batch_alter_table("resolution_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resolution_links_resolution_id"), ["resolution_id"], unique=False)
    op.create_table(
        "resolution_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resolution_id"], ["resolutions.id"], name=op.f("fk_resolution_updates_resolution_id_resolutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_updates")),
    )
    with op.batch_alter_table("resolution_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resolution_updates_resolution_id"), ["resolution_id"], unique=False)
    with op.batch_alter_table("decks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_decks_meeting_id_meetings"), "meetings", ["meeting_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("decks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_decks_meeting_id_meetings"), type_="foreignkey")
        batch_op.drop_column("meeting_id")
    op.drop_table("resolution_updates")
    op.drop_table("resolution_links")
    op.drop_table("resolutions")
    op.drop_table("meetings")
