"""targets: a kind, so a partnership's baseline and local ambition for numbers in treatment sit beside its targets

Revision ID: 0012_target_kinds
Revises: 0011_indicator_sources
Create Date: 2026-12-02 13:00:00

The National Combating Drugs Outcomes Framework sets each partnership a baseline number in treatment and a
local ambition to reach by a date. Both are a value for an indicator, area and substance group with a date,
like a target, so they are rows of ``targets`` with ``kind`` "baseline" or "ambition"; every existing row is
a "target".
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_target_kinds"
down_revision = "0011_indicator_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("targets", sa.Column("kind", sa.String(length=16), nullable=False, server_default="target"))


def downgrade() -> None:
    op.execute("DELETE FROM targets WHERE kind <> 'target'")
    op.drop_column("targets", "kind")
