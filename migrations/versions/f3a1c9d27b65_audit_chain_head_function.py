"""audit chain head in one statement on PostgreSQL: take the chain lock, then read the head

Revision ID: f3a1c9d27b65
Revises: e5b2a9c7d410
Create Date: 2026-12-07 15:50:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "f3a1c9d27b65"
down_revision = "e5b2a9c7d410"
branch_labels = None
depends_on = None

# VOLATILE (the default): the SELECT after the lock takes a new snapshot, so it sees the entry of
# the writer that held the lock before us. One statement where the append used two.
FUNCTION = """
CREATE OR REPLACE FUNCTION anxun_audit_chain_head() RETURNS varchar
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7412001);
  RETURN (SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1);
END
$$
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS anxun_audit_chain_head()")
