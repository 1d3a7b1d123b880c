"""job lease: scheduled jobs run once per period across app servers

Revision ID: 6a0b5e3c7d21
Revises: 50135659a795
Create Date: 2026-12-07 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a0b5e3c7d21'
down_revision = '50135659a795'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_lease',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('period', sa.String(length=32), nullable=True),
        sa.Column('holder', sa.String(length=128), nullable=True),
        sa.Column('lease_expires_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('runs', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_job_lease')),
    )


def downgrade():
    op.drop_table('job_lease')
