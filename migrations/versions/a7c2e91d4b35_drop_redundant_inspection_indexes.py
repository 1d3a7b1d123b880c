"""drop indexes that a composite index already serves: inspection_answer.inspection_id (one_per_item)
and inspection.enterprise_id (ix_inspection_enterprise_finished)

Revision ID: a7c2e91d4b35
Revises: a7d3e9f1c2b8
Create Date: 2026-12-07 19:20:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c2e91d4b35"
down_revision = "a7d3e9f1c2b8"
branch_labels = None
depends_on = None


def upgrade():
    # Every stored answer wrote two index entries led by its inspection; one serves every lookup.
    op.drop_index("ix_inspection_answer_inspection_id", table_name="inspection_answer")
    op.drop_index("ix_inspection_enterprise_id", table_name="inspection")


def downgrade():
    op.create_index("ix_inspection_enterprise_id", "inspection", ["enterprise_id"])
    op.create_index("ix_inspection_answer_inspection_id", "inspection_answer", ["inspection_id"])
