"""hazards: one index per enterprise with the columns the regulator's trend reads
(ix_hazard_enterprise_days), replacing ix_hazard_enterprise_id, which it also serves

Revision ID: b3e8f2a61c57
Revises: a7c2e91d4b35
Create Date: 2026-12-07 22:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b3e8f2a61c57"
down_revision = "a7c2e91d4b35"
branch_labels = None
depends_on = None


def upgrade():
    # PostgreSQL: the trend's columns as INCLUDE (index-only scans); SQLite ignores them.
    op.create_index(
        "ix_hazard_enterprise_days",
        "hazard",
        ["enterprise_id"],
        postgresql_include=["reported_at", "closed_at", "deadline", "state"],
    )
    op.drop_index("ix_hazard_enterprise_id", table_name="hazard")


def downgrade():
    op.create_index("ix_hazard_enterprise_id", "hazard", ["enterprise_id"])
    op.drop_index("ix_hazard_enterprise_days", table_name="hazard")
