"""permits: grade_note, work_method, measure client_id (offline), notification.permit_id

Revision ID: e5b2a9c7d410
Revises: 8c1d2e4f6a30
Create Date: 2026-12-07 04:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5b2a9c7d410"
down_revision = "8c1d2e4f6a30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("permit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("grade_note", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("work_method", sa.String(length=100), server_default="", nullable=False)
        )
    with op.batch_alter_table("permit_measure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.Uuid(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_permit_measure_client_id"), ["client_id"])
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("permit_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notification_permit_id_permit"), "permit", ["permit_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notification_permit_id_permit"), type_="foreignkey")
        batch_op.drop_column("permit_id")
    with op.batch_alter_table("permit_measure", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_permit_measure_client_id"), type_="unique")
        batch_op.drop_column("client_id")
    with op.batch_alter_table("permit", schema=None) as batch_op:
        batch_op.drop_column("work_method")
        batch_op.drop_column("grade_note")
