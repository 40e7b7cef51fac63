"""import history: what each import replaced or added, so it can be undone

Revision ID: 0002_import_history
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_import_history"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_observation_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("substance_group_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("lower_ci_95", sa.Float(), nullable=True),
        sa.Column("upper_ci_95", sa.Float(), nullable=True),
        sa.Column("lower_ci_99_8", sa.Float(), nullable=True),
        sa.Column("upper_ci_99_8", sa.Float(), nullable=True),
        sa.Column("previous_import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_import_observation_history_area_id_areas")),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f("fk_import_observation_history_import_id_imports")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicators.id"], name=op.f("fk_import_observation_history_indicator_id_indicators")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["periods.id"], name=op.f("fk_import_observation_history_period_id_periods")
        ),
        sa.ForeignKeyConstraint(
            ["previous_import_id"],
            ["imports.id"],
            name=op.f("fk_import_observation_history_previous_import_id_imports"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_import_observation_history_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(
            ["substance_group_id"],
            ["substance_groups.id"],
            name=op.f("fk_import_observation_history_substance_group_id_substance_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_observation_history")),
    )
    with op.batch_alter_table("import_observation_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_observation_history_import_id"), ["import_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_import_observation_history_previous_import_id"), ["previous_import_id"], unique=False
        )

    op.create_table(
        "import_record_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_key", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_import_record_history_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_record_history")),
    )
    with op.batch_alter_table("import_record_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_record_history_import_id"), ["import_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_record_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_record_history_import_id"))

    op.drop_table("import_record_history")
    with op.batch_alter_table("import_observation_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_observation_history_previous_import_id"))
        batch_op.drop_index(batch_op.f("ix_import_observation_history_import_id"))

    op.drop_table("import_observation_history")
