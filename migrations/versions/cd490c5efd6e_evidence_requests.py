"""Remote evidence requests (远程核查) and their answers.

Revision ID: cd490c5efd6e
Revises: 354bb07a8676
Create Date: 2026-12-06 22:29:12.280289

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cd490c5efd6e'
down_revision = '354bb07a8676'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('patrol_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('hazard_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('item_ids', sa.JSON(), nullable=False),
    sa.Column('answerer_role', sa.String(length=32), nullable=False),
    sa.Column('deadline_hours', sa.Integer(), nullable=False),
    sa.Column('requester_kind', sa.String(length=16), nullable=False),
    sa.Column('regulator_id', sa.Integer(), nullable=True),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('cancelled_by_user_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('finding_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("requester_kind <> 'agency' OR engagement_id IS NOT NULL", name=op.f('ck_evidence_request_agency_request_names_engagement')),
    sa.CheckConstraint("requester_kind <> 'regulator' OR regulator_id IS NOT NULL", name=op.f('ck_evidence_request_regulator_request_names_regulator')),
    sa.CheckConstraint("requester_kind IN ('regulator', 'agency', 'enterprise')", name=op.f('ck_evidence_request_requester_kind_known')),
    sa.CheckConstraint("state <> 'cancelled' OR cancelled_at IS NOT NULL", name=op.f('ck_evidence_request_cancelled_has_time')),
    sa.CheckConstraint("state IN ('open', 'answered', 'cancelled')", name=op.f('ck_evidence_request_state_known')),
    sa.CheckConstraint('deadline_hours BETWEEN 1 AND 72', name=op.f('ck_evidence_request_deadline_hours_range')),
    sa.CheckConstraint('place_id IS NOT NULL OR hazard_id IS NOT NULL', name=op.f('ck_evidence_request_names_place_or_hazard')),
    sa.ForeignKeyConstraint(['cancelled_by_user_id'], ['user_account.id'], name=op.f('fk_evidence_request_cancelled_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_evidence_request_engagement_id_engagement')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_evidence_request_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['finding_id'], ['patrol_finding.id'], name=op.f('fk_evidence_request_finding_id_patrol_finding')),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazard.id'], name=op.f('fk_evidence_request_hazard_id_hazard')),
    sa.ForeignKeyConstraint(['order_id'], ['rectification_order.id'], name=op.f('fk_evidence_request_order_id_rectification_order')),
    sa.ForeignKeyConstraint(['patrol_id'], ['patrol.id'], name=op.f('fk_evidence_request_patrol_id_patrol')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_evidence_request_place_id_place')),
    sa.ForeignKeyConstraint(['regulator_id'], ['regulator.id'], name=op.f('fk_evidence_request_regulator_id_regulator')),
    sa.ForeignKeyConstraint(['requested_by_user_id'], ['user_account.id'], name=op.f('fk_evidence_request_requested_by_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_request'))
    )
    with op.batch_alter_table('evidence_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_request_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_request_patrol_id'), ['patrol_id'], unique=False)

    op.create_table('evidence_answer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('answered_by_user_id', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('gps_accuracy', sa.Double(), nullable=True),
    sa.Column('distance_metres', sa.Double(), nullable=True),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('payload_digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_user_id'], ['user_account.id'], name=op.f('fk_evidence_answer_answered_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_evidence_answer_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['request_id'], ['evidence_request.id'], name=op.f('fk_evidence_answer_request_id_evidence_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_answer')),
    sa.UniqueConstraint('request_id', name=op.f('uq_evidence_answer_request_id'))
    )
    with op.batch_alter_table('evidence_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_answer_enterprise_id'), ['enterprise_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evidence_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_answer_enterprise_id'))

    op.drop_table('evidence_answer')
    with op.batch_alter_table('evidence_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_request_patrol_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_request_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_request_created_at'))

    op.drop_table('evidence_request')
