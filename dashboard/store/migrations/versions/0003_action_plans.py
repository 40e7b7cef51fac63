"""action plans: plans, themes, outcomes, actions and their append-only updates

Revision ID: 0003_action_plans
Revises: 0001
Create Date: 2026-11-24 20:30:00

Hand-written to match dashboard/store/models_actions.py (tests compare the two on SQLite and PostgreSQL).
Areas are GSS codes, not foreign keys, so reloading the figures never touches a plan or its history.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_action_plans"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
    )
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_plans_partnership_code"), ["partnership_code"], unique=False)

    op.create_table(
        "plan_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"], name=op.f("fk_plan_themes_plan_id_action_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_themes")),
    )
    with op.batch_alter_table("plan_themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_themes_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("substance_group_id", sa.Integer(), nullable=True),
        sa.Column("area_code", sa.String(length=12), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicators.id"], name=op.f("fk_plan_outcomes_indicator_id_indicators")
        ),
        sa.ForeignKeyConstraint(
            ["substance_group_id"],
            ["substance_groups.id"],
            name=op.f("fk_plan_outcomes_substance_group_id_substance_groups"),
        ),
        sa.ForeignKeyConstraint(["theme_id"], ["plan_themes.id"], name=op.f("fk_plan_outcomes_theme_id_plan_themes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_outcomes")),
    )
    with op.batch_alter_table("plan_outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_outcomes_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "plan_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("due_text", sa.String(length=120), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rag", sa.String(length=8), nullable=False),
        sa.Column("percent_complete", sa.Integer(), nullable=False),
        sa.Column("reason_late", sa.Text(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.CheckConstraint("rag IN ('blue', 'green', 'amber', 'red')", name=op.f("ck_plan_actions_rag")),
        sa.CheckConstraint("status IN ('not_started', 'in_progress', 'complete')", name=op.f("ck_plan_actions_status")),
        sa.CheckConstraint("percent_complete BETWEEN 0 AND 100", name=op.f("ck_plan_actions_percent_complete")),
        sa.ForeignKeyConstraint(
            ["outcome_id"], ["plan_outcomes.id"], name=op.f("fk_plan_actions_outcome_id_plan_outcomes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_actions")),
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_actions_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_actions_outcome_id"), ["outcome_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_actions_owner"), ["owner"], unique=False)

    op.create_table(
        "action_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("rag_from", sa.String(length=8), nullable=True),
        sa.Column("rag_to", sa.String(length=8), nullable=True),
        sa.Column("status_from", sa.String(length=16), nullable=True),
        sa.Column("status_to", sa.String(length=16), nullable=True),
        sa.Column("percent_from", sa.Integer(), nullable=True),
        sa.Column("percent_to", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("commentary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["plan_actions.id"], name=op.f("fk_action_updates_action_id_plan_actions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
    )
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_updates_action_id"), ["action_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_updates_action_id"))
    op.drop_table("action_updates")
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_actions_owner"))
        batch_op.drop_index(batch_op.f("ix_plan_actions_outcome_id"))
        batch_op.drop_index(batch_op.f("ix_plan_actions_due_date"))
    op.drop_table("plan_actions")
    with op.batch_alter_table("plan_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_outcomes_theme_id"))
    op.drop_table("plan_outcomes")
    with op.batch_alter_table("plan_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_themes_plan_id"))
    op.drop_table("plan_themes")
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plans_partnership_code"))
    op.drop_table("action_plans")
