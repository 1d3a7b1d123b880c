"""HTTP endpoints: enforcement records (interviews, suspensions)."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.oversight.enforcement import queries, services
from anxun.oversight.enforcement.schemas import (
    EnforcementCreateSchema,
    EnforcementEndSchema,
    EnforcementListQuerySchema,
    EnforcementPageSchema,
    EnforcementRecordSchema,
)

blp = Blueprint("oversight_enforcement", __name__, url_prefix="/api/v1", description="执法记录")


@blp.route("/enforcement-records", methods=["POST"])
@authenticated
@blp.arguments(EnforcementCreateSchema)
@blp.response(201, EnforcementRecordSchema)
def record_enforcement(data):
    """Record a 约谈 or 停产整顿 (regulator staff covering the enterprise); a veto on its grade."""
    record = services.record_enforcement(current_actor(), data)
    return queries.record_views([record])[0]


@blp.route("/enforcement-records", methods=["GET"])
@authenticated
@blp.arguments(EnforcementListQuerySchema, location="query")
@blp.response(200, EnforcementPageSchema)
def list_records(args):
    """Records the caller may see: a regulator's jurisdiction, an enterprise's own; newest first."""
    return {"items": queries.record_views(queries.list_records(current_actor(), args))}


@blp.route("/enforcement-records/<int:record_id>/end", methods=["POST"])
@authenticated
@blp.arguments(EnforcementEndSchema)
@blp.response(200, EnforcementRecordSchema)
@blp.alt_response(409, description="Not a suspension, or already lifted.")
def end_record(data, record_id):
    """Lift a suspension: `ends_on` is its last day."""
    actor = current_actor()
    record = services.end_enforcement(actor, queries.get_record(actor, record_id), data)
    return queries.record_views([record])[0]
