"""campaigns (专项整治), their targets, samples and checks; daily safety commitments;
hazard source campaign

Revision ID: 50135659a795
Revises: 9cc033240fa2
Create Date: 2026-12-07 01:22:12.323143

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '50135659a795'
down_revision = '9cc033240fa2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('safety_commitment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('commit_date', sa.Date(), nullable=False),
    sa.Column('hazard_sources', sa.JSON(), nullable=False),
    sa.Column('special_work', sa.JSON(), nullable=False),
    sa.Column('maintenance_jobs', sa.Integer(), nullable=False),
    sa.Column('contractor_jobs', sa.Integer(), nullable=False),
    sa.Column('is_startup', sa.Boolean(), nullable=False),
    sa.Column('is_shutdown', sa.Boolean(), nullable=False),
    sa.Column('is_trial_run', sa.Boolean(), nullable=False),
    sa.Column('open_major_hazards', sa.Integer(), nullable=False),
    sa.Column('risk_grade', sa.String(length=8), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('signed_by_user_id', sa.Integer(), nullable=False),
    sa.Column('signer_name', sa.String(length=40), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('payload_digest', sa.String(length=64), nullable=False),
    sa.CheckConstraint("risk_grade IN ('major', 'high', 'moderate', 'low')", name=op.f('ck_safety_commitment_grade_known')),
    sa.CheckConstraint('maintenance_jobs >= 0 AND contractor_jobs >= 0 AND open_major_hazards >= 0', name=op.f('ck_safety_commitment_counts_not_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_safety_commitment_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['signed_by_user_id'], ['user_account.id'], name=op.f('fk_safety_commitment_signed_by_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_commitment')),
    sa.UniqueConstraint('enterprise_id', 'commit_date', name='uq_safety_commitment_day')
    )
    with op.batch_alter_table('safety_commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_commitment_commit_date'), ['commit_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_commitment_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regulator_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('document_no', sa.String(length=80), nullable=False),
    sa.Column('legal_basis', sa.String(length=500), nullable=False),
    sa.Column('notice_text', sa.Text(), nullable=False),
    sa.Column('checklist_version_id', sa.Integer(), nullable=False),
    sa.Column('profile', sa.String(length=64), nullable=True),
    sa.Column('item_ids', sa.JSON(), nullable=True),
    sa.Column('target_filter', sa.JSON(), nullable=False),
    sa.Column('self_check_start', sa.Date(), nullable=False),
    sa.Column('self_check_end', sa.Date(), nullable=False),
    sa.Column('supervision_start', sa.Date(), nullable=False),
    sa.Column('supervision_end', sa.Date(), nullable=False),
    sa.Column('follow_up_start', sa.Date(), nullable=False),
    sa.Column('follow_up_end', sa.Date(), nullable=False),
    sa.Column('supervisor_kind', sa.String(length=16), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('origin_kind', sa.String(length=16), nullable=True),
    sa.Column('origin_id', sa.String(length=64), nullable=True),
    sa.Column('created_by_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('launched_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(supervisor_kind = 'regulator' AND engagement_id IS NULL) OR (supervisor_kind = 'agency' AND engagement_id IS NOT NULL)", name=op.f('ck_campaign_supervisor_matches')),
    sa.CheckConstraint("origin_kind IS NULL OR origin_kind IN ('incident', 'hazard')", name=op.f('ck_campaign_origin_known')),
    sa.CheckConstraint("state = 'draft' OR launched_at IS NOT NULL", name=op.f('ck_campaign_launched_has_time')),
    sa.CheckConstraint("state IN ('draft', 'running', 'closed')", name=op.f('ck_campaign_state_known')),
    sa.CheckConstraint('self_check_start <= self_check_end AND self_check_end <= supervision_start AND supervision_start <= supervision_end AND supervision_end <= follow_up_start AND follow_up_start <= follow_up_end', name=op.f('ck_campaign_stages_ordered')),
    sa.ForeignKeyConstraint(['checklist_version_id'], ['checklist_version.id'], name=op.f('fk_campaign_checklist_version_id_checklist_version')),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['user_account.id'], name=op.f('fk_campaign_created_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_campaign_engagement_id_engagement')),
    sa.ForeignKeyConstraint(['regulator_id'], ['regulator.id'], name=op.f('fk_campaign_regulator_id_regulator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_regulator_id'), ['regulator_id'], unique=False)

    op.create_table('campaign_sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=True),
    sa.Column('drawn_by_user_id', sa.Integer(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("stage IN ('supervision', 'follow_up')", name=op.f('ck_campaign_sample_stage_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_sample_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['drawn_by_user_id'], ['user_account.id'], name=op.f('fk_campaign_sample_drawn_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_campaign_sample_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_sample')),
    sa.UniqueConstraint('campaign_id', 'stage', 'enterprise_id', name='uq_campaign_sample_stage')
    )
    with op.batch_alter_table('campaign_sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_sample_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('is_late_joiner', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_target_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_campaign_target_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['occurrence_id'], ['task_occurrence.id'], name=op.f('fk_campaign_target_occurrence_id_task_occurrence')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], name=op.f('fk_campaign_target_plan_id_inspection_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_target')),
    sa.UniqueConstraint('campaign_id', 'enterprise_id', name='uq_campaign_target_enterprise'),
    sa.UniqueConstraint('occurrence_id', name=op.f('uq_campaign_target_occurrence_id'))
    )
    with op.batch_alter_table('campaign_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_target_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_target_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('campaign_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('inspector_user_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("stage IN ('supervision', 'follow_up')", name=op.f('ck_campaign_check_stage_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_check_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_campaign_check_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['inspector_user_id'], ['user_account.id'], name=op.f('fk_campaign_check_inspector_user_id_user_account')),
    sa.ForeignKeyConstraint(['sample_id'], ['campaign_sample.id'], name=op.f('fk_campaign_check_sample_id_campaign_sample')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_check')),
    sa.UniqueConstraint('sample_id', name=op.f('uq_campaign_check_sample_id'))
    )
    with op.batch_alter_table('campaign_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_check_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_check_enterprise_id'), ['enterprise_id'], unique=False)

    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_hazard_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_hazard_campaign_id_campaign'), 'campaign', ['campaign_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_hazard_source_known'), type_='check')
        batch_op.create_check_constraint(
            'source_known',
            "source IN ('self_inspection', 'direct', 'regulator', 'agency', 'campaign')",
        )



def downgrade():
    # Campaign hazards were found by the enterprise's own check: they stay as self-inspection ones.
    op.execute("UPDATE hazard SET source = 'self_inspection' WHERE source = 'campaign'")
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_hazard_source_known'), type_='check')
        batch_op.create_check_constraint(
            'source_known', "source IN ('self_inspection', 'direct', 'regulator', 'agency')"
        )
        batch_op.drop_constraint(batch_op.f('fk_hazard_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_hazard_campaign_id'))
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('campaign_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_check_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_check_campaign_id'))

    op.drop_table('campaign_check')
    with op.batch_alter_table('campaign_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_target_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_target_campaign_id'))

    op.drop_table('campaign_target')
    with op.batch_alter_table('campaign_sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_sample_campaign_id'))

    op.drop_table('campaign_sample')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_regulator_id'))

    op.drop_table('campaign')
    with op.batch_alter_table('safety_commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_commitment_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_safety_commitment_commit_date'))

    op.drop_table('safety_commitment')
