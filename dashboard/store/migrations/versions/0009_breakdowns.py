"""breakdowns: every figure is for persons or for a sex, age group, deprivation decile, ethnicity or setting

Revision ID: 0009_breakdowns
Revises: 0002_import_history
Create Date: 2026-12-02 06:10:00

Every figure already stored is for persons: the ``breakdowns`` row 0, which this migration creates first so
the new foreign keys hold for the rows already there. The unique keys gain the breakdown, so a file may hold
the female and the persons figure of one area and period.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_breakdowns"
down_revision = "0002_import_history"
branch_labels = None
depends_on = None

KEY = ["area_id", "indicator_id", "substance_group_id", "period_id"]


def _unique_keys(batch_op, with_breakdown: bool) -> None:  # type: ignore[no-untyped-def]
    extra = ["breakdown_id"] if with_breakdown else []
    batch_op.create_index(
        "uq_observations_key_all_providers",
        [*KEY, *extra],
        unique=True,
        sqlite_where=sa.text("provider_id IS NULL"),
        postgresql_where=sa.text("provider_id IS NULL"),
    )
    batch_op.create_index(
        "uq_observations_key_provider",
        [*KEY, *extra, "provider_id"],
        unique=True,
        sqlite_where=sa.text("provider_id IS NOT NULL"),
        postgresql_where=sa.text("provider_id IS NOT NULL"),
    )


def upgrade() -> None:
    breakdowns = op.create_table(
        "breakdowns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("dimensions", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breakdowns")),
        sa.UniqueConstraint("key", name=op.f("uq_breakdowns_key")),
    )
    with op.batch_alter_table("breakdowns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breakdowns_dimensions"), ["dimensions"], unique=False)
    op.bulk_insert(breakdowns, [{"id": 0, "key": "", "dimensions": "", "label": "Persons", "sort_order": 0}])

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("uq_observations_key_provider")
        batch_op.drop_index("uq_observations_key_all_providers")
        batch_op.add_column(sa.Column("breakdown_id", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_observations_breakdown_id_breakdowns"), "breakdowns", ["breakdown_id"], ["id"]
        )
        _unique_keys(batch_op, with_breakdown=True)
        batch_op.create_index(
            "ix_observations_breakdowns",
            ["indicator_id", "breakdown_id", "area_id"],
            unique=False,
            sqlite_where=sa.text("breakdown_id <> 0"),
            postgresql_where=sa.text("breakdown_id <> 0"),
        )
    with op.batch_alter_table("import_observation_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("breakdown_id", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_import_observation_history_breakdown_id_breakdowns"), "breakdowns", ["breakdown_id"], ["id"]
        )


def downgrade() -> None:
    op.execute("DELETE FROM import_observation_history WHERE breakdown_id <> 0")
    op.execute("DELETE FROM observations WHERE breakdown_id <> 0")
    with op.batch_alter_table("import_observation_history", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_import_observation_history_breakdown_id_breakdowns"), type_="foreignkey"
        )
        batch_op.drop_column("breakdown_id")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_breakdowns")
        batch_op.drop_index("uq_observations_key_provider")
        batch_op.drop_index("uq_observations_key_all_providers")
        batch_op.drop_constraint(batch_op.f("fk_observations_breakdown_id_breakdowns"), type_="foreignkey")
        batch_op.drop_column("breakdown_id")
        _unique_keys(batch_op, with_breakdown=False)
    with op.batch_alter_table("breakdowns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breakdowns_dimensions"))
    op.drop_table("breakdowns")
