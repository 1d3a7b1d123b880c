"""audit checkpoints; platform outbox events without an enterprise

Revision ID: c4e8a2f19b6d
Revises: b7d31f0c5a21
Create Date: 2026-11-26 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f19b6d'
down_revision = 'b7d31f0c5a21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_checkpoint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('signature', sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoint')),
    )
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('enterprise_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('region_code', existing_type=sa.String(length=6), nullable=True)


def downgrade():
    # Platform events have no enterprise to fall back to: they go with the column constraint.
    op.execute('DELETE FROM outbox_delivery WHERE event_id IN '
               '(SELECT id FROM outbox_event WHERE enterprise_id IS NULL)')
    op.execute('DELETE FROM outbox_event WHERE enterprise_id IS NULL')
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('region_code', existing_type=sa.String(length=6), nullable=False)
        batch_op.alter_column('enterprise_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('audit_checkpoint')
