"""HTTP endpoints for inspections: submit (idempotent on the client UUID), list, view."""

from flask_smorest import Blueprint

from anxun.core.auth import authenticated, current_actor
from anxun.inspections import queries, services
from anxun.inspections.schemas import (
    InspectionListQuerySchema,
    InspectionPageSchema,
    InspectionSubmitSchema,
    InspectionViewSchema,
)

blp = Blueprint("inspections", __name__, url_prefix="/api/v1", description="排查记录")


@blp.route("/inspections", methods=["POST"])
@authenticated
@blp.arguments(InspectionSubmitSchema)
@blp.response(201, InspectionViewSchema)
@blp.alt_response(
    200, schema=InspectionViewSchema, description="An exact replay: the stored record."
)
@blp.alt_response(
    409, description="Other content under this id, or `missing_media` to upload first."
)
def submit_inspection(data):
    """Submit one inspection from a device; replays of the same payload return the stored record."""
    inspection, created = services.submit_inspection(current_actor(), data)
    return queries.inspection_view(inspection), 201 if created else 200


@blp.route("/inspections", methods=["GET"])
@authenticated
@blp.arguments(InspectionListQuerySchema, location="query")
@blp.response(200, InspectionPageSchema)
def list_inspections(args):
    """Inspections the caller may see, newest first (cursor pagination)."""
    rows, next_cursor = queries.list_inspections(current_actor(), args)
    return {
        "items": [queries.inspection_view(r, with_answers=False) for r in rows],
        "next_cursor": next_cursor,
    }


@blp.route("/inspections/<uuid:inspection_id>", methods=["GET"])
@authenticated
@blp.response(200, InspectionViewSchema)
def get_inspection(inspection_id):
    """One inspection with its answers, plausibility flags and the hazards it raised."""
    return queries.inspection_view(queries.get_inspection(current_actor(), inspection_id))
