"""indicator registry: each indicator's source and licence, and its known caveats

Revision ID: 0011_indicator_sources
Revises: 0010_group_membership
Create Date: 2026-12-02 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_indicator_sources"
down_revision = "0010_group_membership"
branch_labels = None
depends_on = None

COLUMNS = ("source", "caveats")


def upgrade() -> None:
    # Nullable: a store made before this release gets the shipped text filled in at the next start
    # (ensure_reference_data fills what is blank), an imported indicator keeps NULL until an editor writes one.
    # Plain ALTER TABLE, not a batch: SQLite (3.35+) adds and drops a column in place, where a batch would
    # rebuild the table every observation points at and fail its foreign keys.
    for name in COLUMNS:
        op.add_column("indicators", sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("indicators", name)
