"""outbox delivery lease

Revision ID: b7d31f0c5a21
Revises: a1c5c97298d8
Create Date: 2026-11-26 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d31f0c5a21'
down_revision = 'a1c5c97298d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_delivery', schema=None) as batch_op:
        batch_op.drop_column('lease_expires_at')
