"""comparisons: rank_areas' answer stored per indicator, period, comparator group and substance group

Revision ID: 0016_comparisons
Revises: 0012_target_kinds
Create Date: 2026-12-06 23:30:00

How we compare ranked every group afresh on every request. The ranks, quartiles, plausible rank ranges,
significance and distance to the top quartile are now computed when the figures change and stored, stamped
with the data version they were computed at; a key whose stamp is not the current data version is not served.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_comparisons"
down_revision = "0012_target_kinds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comparison_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("substance_group_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("breakdown_id", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.String(length=64), nullable=False),
        sa.Column("ranked", sa.Integer(), nullable=False),
        sa.Column("worst", sa.Float(), nullable=True),
        sa.Column("p25", sa.Float(), nullable=True),
        sa.Column("median", sa.Float(), nullable=True),
        sa.Column("p75", sa.Float(), nullable=True),
        sa.Column("best", sa.Float(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("bench_area_id", sa.Integer(), nullable=True),
        sa.Column("bench_numerator", sa.Float(), nullable=True),
        sa.Column("bench_denominator", sa.Float(), nullable=True),
        sa.Column("bench_value", sa.Float(), nullable=True),
        sa.Column("bench_lower_ci_95", sa.Float(), nullable=True),
        sa.Column("bench_upper_ci_95", sa.Float(), nullable=True),
        sa.Column("bench_lower_ci_99_8", sa.Float(), nullable=True),
        sa.Column("bench_upper_ci_99_8", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_comparison_keys_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["periods.id"], name=op.f("fk_comparison_keys_period_id_periods"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["comparator_groups.id"],
            name=op.f("fk_comparison_keys_group_id_comparator_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["substance_group_id"],
            ["substance_groups.id"],
            name=op.f("fk_comparison_keys_substance_group_id_substance_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_comparison_keys_provider_id_providers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["breakdown_id"],
            ["breakdowns.id"],
            name=op.f("fk_comparison_keys_breakdown_id_breakdowns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["bench_area_id"], ["areas.id"], name=op.f("fk_comparison_keys_bench_area_id_areas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comparison_keys")),
    )
    with op.batch_alter_table("comparison_keys", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comparison_keys_lookup", ["group_id", "substance_group_id", "period_id", "indicator_id"], unique=False
        )
        batch_op.create_index("ix_comparison_keys_pair", ["indicator_id", "period_id"], unique=False)
    op.create_table(
        "comparison_rows",
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("lower_ci_95", sa.Float(), nullable=True),
        sa.Column("upper_ci_95", sa.Float(), nullable=True),
        sa.Column("lower_ci_99_8", sa.Float(), nullable=True),
        sa.Column("upper_ci_99_8", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("joint", sa.Boolean(), nullable=False),
        sa.Column("rank_text", sa.String(length=64), nullable=False),
        sa.Column("rank_best", sa.Integer(), nullable=True),
        sa.Column("rank_worst", sa.Integer(), nullable=True),
        sa.Column("quartile", sa.String(length=16), nullable=True),
        sa.Column("compared_to_benchmark", sa.String(length=16), nullable=True),
        sa.Column("distance_to_top_quartile", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["comparison_keys.id"],
            name=op.f("fk_comparison_rows_key_id_comparison_keys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_comparison_rows_area_id_areas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key_id", "position", name=op.f("pk_comparison_rows")),
    )
    with op.batch_alter_table("comparison_rows", schema=None) as batch_op:
        batch_op.create_index("ix_comparison_rows_area", ["area_id", "key_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comparison_rows", schema=None) as batch_op:
        batch_op.drop_index("ix_comparison_rows_area")
    op.drop_table("comparison_rows")
    with op.batch_alter_table("comparison_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_comparison_keys_pair")
        batch_op.drop_index("ix_comparison_keys_lookup")
    op.drop_table("comparison_keys")
