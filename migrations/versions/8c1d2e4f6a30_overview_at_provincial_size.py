"""overview at provincial size: open-hazard partial index, the day's operation rate on the grade snapshot

Revision ID: 8c1d2e4f6a30
Revises: 7a3c51e0b2d4
Create Date: 2026-12-07 01:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c1d2e4f6a30'
down_revision = '7a3c51e0b2d4'
branch_labels = None
depends_on = None

OPEN = sa.text("state NOT IN ('closed', 'rejected')")


def upgrade():
    with op.batch_alter_table('enterprise_grade_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operation_rate', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('operation_windows', sa.Integer(), nullable=True))
    op.create_index(
        'ix_hazard_open_enterprise',
        'hazard',
        ['enterprise_id', 'deadline', 'level'],
        unique=False,
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade():
    op.drop_index('ix_hazard_open_enterprise', table_name='hazard')
    with op.batch_alter_table('enterprise_grade_snapshot', schema=None) as batch_op:
        batch_op.drop_column('operation_windows')
        batch_op.drop_column('operation_rate')
