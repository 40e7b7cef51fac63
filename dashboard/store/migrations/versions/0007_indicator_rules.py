"""indicator registry rules: multiplier, interval method, benchmark and suppression rules

Revision ID: 0007_indicator_rules
Revises: 0001
Create Date: 2026-12-01 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_indicator_rules"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = (
    ("multiplier", sa.Float()),
    ("interval_method", sa.String(length=32)),
    ("benchmark_rule", sa.String(length=16)),
    ("suppression", sa.String(length=16)),
)


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        for name, column_type in COLUMNS:
            batch_op.add_column(sa.Column(name, column_type, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
