"""contracts: providers' contracts with annual values, named baselines, payment-by-results KPIs, planned audits
and the history of every edit

Revision ID: 0013_contracts
Revises: 0012_target_kinds
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_contracts"
down_revision = "0012_target_kinds"
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.Column, key: tuple[str, ...] = ("id",), unique_name: bool = False) -> None:
    """A table that belongs to one contract and goes with it."""
    extra = (
        [sa.UniqueConstraint("contract_id", "name", name=op.f(f"uq_{name}_contract_id_name"))] if unique_name else []
    )
    op.create_table(
        name,
        *columns,
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f(f"fk_{name}_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{name}")),
        *extra,
    )
    if key == ("id",):
        op.create_index(op.f(f"ix_{name}_contract_id"), name, ["contract_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("provider_code", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("extension_end", sa.Date(), nullable=True),
        sa.Column("reporting", sa.String(length=16), nullable=False),
        sa.Column("pbr_share", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("code", name=op.f("uq_contracts_code")),
    )
    op.create_index(op.f("ix_contracts_area_code"), "contracts", ["area_code"], unique=False)
    _child(
        "contract_years",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("pbr_share", sa.Float(), nullable=True),
        key=("contract_id", "financial_year"),
    )
    _child(
        "contract_baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        unique_name=True,
    )
    _child(
        "contract_kpis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("indicator_key", sa.String(length=64), nullable=False),
        sa.Column("substance_group", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("part_payment", sa.Float(), nullable=True),
        unique_name=True,
    )
    _child(
        "contract_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
    )
    op.create_table(
        "contract_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_code", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("item", sa.String(length=240), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_changes")),
    )
    op.create_index(op.f("ix_contract_changes_contract_code"), "contract_changes", ["contract_code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_contract_changes_contract_code"), table_name="contract_changes")
    op.drop_table("contract_changes")
    for name in ("contract_audits", "contract_kpis", "contract_baselines"):
        op.drop_index(op.f(f"ix_{name}_contract_id"), table_name=name)
        op.drop_table(name)
    op.drop_table("contract_years")
    op.drop_index(op.f("ix_contracts_area_code"), table_name="contracts")
    op.drop_table("contracts")
