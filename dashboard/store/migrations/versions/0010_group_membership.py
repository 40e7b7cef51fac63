"""group_membership: the members of every comparator group, stored or by rule (every partnership in England)

Revision ID: 0010_group_membership
Revises: 0009_breakdowns
Create Date: 2026-12-02 06:40:00

A group of kind ``all_partnerships`` has no stored members: it holds every upper-tier authority the store has,
whenever it is read, so loading England-wide files (ONS SDG 3.5.1, Fingertips) makes "every partnership" a
comparison at once, and undoing them takes the areas back out with nothing left pointing at them.
"""

from __future__ import annotations

from alembic import op

revision = "0010_group_membership"
down_revision = "0009_breakdowns"
branch_labels = None
depends_on = None

VIEW = """
CREATE VIEW group_membership AS
SELECT m.group_id AS group_id, m.area_id AS area_id
FROM comparator_group_members m
UNION ALL
SELECT g.id AS group_id, a.id AS area_id
FROM comparator_groups g
JOIN areas a ON a.area_type = 'utla'
WHERE g.kind = 'all_partnerships'
"""


def upgrade() -> None:
    op.execute(VIEW)


def downgrade() -> None:
    op.execute("DELETE FROM comparator_groups WHERE kind = 'all_partnerships'")
    op.execute("DROP VIEW group_membership")
