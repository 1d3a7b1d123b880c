"""accountable persons (包保责任人) of major hazard sources and their plans

Revision ID: 7a3c51e0b2d4
Revises: 6a0b5e3c7d21
Create Date: 2026-12-07 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a3c51e0b2d4'
down_revision = '6a0b5e3c7d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accountable_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('risk_object_id', sa.Integer(), nullable=False),
    sa.Column('duty', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("duty IN ('main', 'technical', 'operational')", name=op.f('ck_accountable_person_duty_known')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_accountable_person_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], name=op.f('fk_accountable_person_plan_id_inspection_plan')),
    sa.ForeignKeyConstraint(['risk_object_id'], ['risk_object.id'], name=op.f('fk_accountable_person_risk_object_id_risk_object')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_accountable_person_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountable_person')),
    sa.UniqueConstraint('risk_object_id', 'duty', name='one_per_duty')
    )
    with op.batch_alter_table('accountable_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountable_person_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountable_person_risk_object_id'), ['risk_object_id'], unique=False)


def downgrade():
    with op.batch_alter_table('accountable_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountable_person_risk_object_id'))
        batch_op.drop_index(batch_op.f('ix_accountable_person_enterprise_id'))

    op.drop_table('accountable_person')
