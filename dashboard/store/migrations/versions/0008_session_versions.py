"""sessions that end and tokens that expire: users.session_version, api_tokens.expires_at

Revision ID: 0008_session_versions
Revises: 0004_accounts
Create Date: 2026-12-02 10:00:00

It changes tables that 0004 creates, so it follows 0004 on that branch (``upgrade`` applies every head).
Tokens made before it get 90 days from the upgrade, so none stops working the moment the app is updated.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008_session_versions"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None

EXISTING_TOKEN_DAYS = 90


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default=sa.text("1"), nullable=False))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=EXISTING_TOKEN_DAYS)
    op.execute(tokens.update().where(tokens.c.expires_at.is_(None)).values(expires_at=until))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
