"""control measure kind (five kinds) and the officers an order was issued by

Revision ID: 5e7a1c3b9d20
Revises: 3b6c8a12bb38
Create Date: 2026-12-06 23:15:00

"""

import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e7a1c3b9d20"
down_revision = "3b6c8a12bb38"
branch_labels = None
depends_on = None

# A measure's kind as its national classify1 suggests (same rule as registry.KIND_BY_CLASSIFY1).
KIND_BY_CLASSIFY1 = {
    "engineering": "engineering",
    "maintenance": "management",
    "operation": "management",
    "emergency": "emergency",
}


def upgrade():
    with op.batch_alter_table("control_measure", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="management")
        )
    bind = op.get_bind()
    for classify1, kind in KIND_BY_CLASSIFY1.items():
        bind.execute(
            sa.text("UPDATE control_measure SET kind = :kind WHERE classify1 = :classify1"),
            {"kind": kind, "classify1": classify1},
        )
    with op.batch_alter_table("control_measure", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)
        batch_op.create_check_constraint(
            batch_op.f("ck_control_measure_kind_known"),
            "kind IN ('engineering', 'management', 'training', 'ppe', 'emergency')",
        )

    with op.batch_alter_table("rectification_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("officers", sa.JSON(), nullable=True))
    # Orders issued before keep the officers' names and numbers as they stand today.
    orders = bind.execute(
        sa.text("SELECT id, issued_by_user_id, co_officer_user_id FROM rectification_order")
    ).all()
    for order_id, issuer_id, co_officer_id in orders:
        officers = []
        for user_id in (issuer_id, co_officer_id):
            if user_id is None:
                continue
            user = bind.execute(
                sa.text(
                    "SELECT display_name, enforcement_certificate_no FROM user_account"
                    " WHERE id = :id"
                ),
                {"id": user_id},
            ).first()
            if user is not None:
                officers.append(
                    {
                        "user_id": user_id,
                        "display_name": user[0],
                        "enforcement_certificate_no": user[1],
                    }
                )
        bind.execute(
            sa.text("UPDATE rectification_order SET officers = :officers WHERE id = :id"),
            {"officers": json.dumps(officers, ensure_ascii=False), "id": order_id},
        )
    bind.execute(sa.text("UPDATE rectification_order SET officers = '[]' WHERE officers IS NULL"))
    with op.batch_alter_table("rectification_order", schema=None) as batch_op:
        batch_op.alter_column("officers", existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table("rectification_order", schema=None) as batch_op:
        batch_op.drop_column("officers")
    with op.batch_alter_table("control_measure", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_control_measure_kind_known"), type_="check")
        batch_op.drop_column("kind")
