"""overview: the enterprise name sort key index (PostgreSQL)

Revision ID: a7d3e9f1c2b8
Revises: f3a1c9d27b65
Create Date: 2026-12-07 19:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7d3e9f1c2b8'
down_revision = 'f3a1c9d27b65'
branch_labels = None
depends_on = None


def upgrade():
    # The overview's name order: lower() under the "C" collation, ties by id (orgs/models.py).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE INDEX ix_enterprise_name_key ON enterprise (lower(name COLLATE "C"), id)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_enterprise_name_key')
