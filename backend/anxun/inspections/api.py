"""HTTP endpoints for inspections: submit (idempotent on the client UUID), list, view."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.inspections import queries, services
from anxun.inspections.schemas import (
    InspectionByCodeQuerySchema,
    InspectionListQuerySchema,
    InspectionPageSchema,
    InspectionReceiptSchema,
    InspectionSubmitSchema,
    InspectionViewSchema,
)

blp = Blueprint("inspections", __name__, url_prefix="/api/v1", description="排查记录")


@blp.route("/inspections", methods=["POST"])
@authenticated
@blp.arguments(InspectionSubmitSchema)
@blp.response(201, InspectionReceiptSchema)
@blp.alt_response(
    200,
    schema=InspectionReceiptSchema,
    description="An exact replay: the stored receipt, with `replayed: true`.",
)
@blp.alt_response(
    409, description="Other content under this id, or `missing_media` to upload first."
)
def submit_inspection(data):
    """Submit one inspection from a device; the answer is a receipt (the full record is at
    `GET /inspections/<id>`). Replays of the same payload, also while the first is in flight,
    answer the stored receipt with 200 and `replayed: true`."""
    inspection, created = services.submit_inspection(current_actor(), data)
    return queries.inspection_receipt(inspection, replayed=not created), 201 if created else 200


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


@blp.route("/inspections/by-code/<code>", methods=["GET"])
@authenticated
@blp.arguments(InspectionByCodeQuerySchema, location="query")
@blp.response(200, InspectionViewSchema)
@blp.alt_response(
    404, description="No readable inspection has this code (unknown or out of scope)."
)
@blp.alt_response(409, description="`/problems/ambiguous-code`: several readable records fit.")
@blp.alt_response(422, description="Not a verification code (8 to 32 hex digits).")
def get_inspection_by_code(args, code):
    """The inspection a printed record's verification code (校验码, e.g. 1A7D-082D-93F0) names, for a
    reader allowed to see it: the enterprise's staff, its supervising regulators, auditors engaged
    for inspections. The record's QR code opens the workspace on it."""
    inspection = queries.find_by_code(current_actor(), code, args["enterprise_id"])
    return queries.inspection_view(inspection)
