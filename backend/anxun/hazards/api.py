"""HTTP endpoints for hazards: list with filters, view with history, direct reports, transitions."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.hazards import queries, services
from anxun.hazards.schemas import (
    HazardCountsSchema,
    HazardListQuerySchema,
    HazardPageSchema,
    HazardReportSchema,
    HazardSchema,
    HazardStepSchema,
    HazardTransitionSchema,
)

blp = Blueprint("hazards", __name__, url_prefix="/api/v1", description="隐患排查治理")


@blp.route("/hazards", methods=["GET"])
@authenticated
@blp.arguments(HazardListQuerySchema, location="query")
@blp.response(200, HazardPageSchema)
def list_hazards(args):
    """Hazards the caller may see, filtered, newest first unless `sort=deadline` (cursor pages)."""
    rows, next_cursor = queries.list_hazards(current_actor(), args)
    return {"items": queries.hazard_views(rows), "next_cursor": next_cursor}


@blp.route("/hazards/counts", methods=["GET"])
@authenticated
@blp.arguments(HazardListQuerySchema, location="query")
@blp.response(200, HazardCountsSchema)
def count_hazards(args):
    """Counts per state (and overdue) of the hazards `GET /hazards` would list with these filters."""
    return queries.hazard_counts(current_actor(), args)


@blp.route("/hazards", methods=["POST"])
@authenticated
@blp.arguments(HazardReportSchema)
@blp.response(201, HazardSchema)
@blp.alt_response(200, schema=HazardSchema, description="A replay of the same report.")
@blp.alt_response(409, description="Another report under this id, or `missing_media` first.")
def report_hazard(data):
    """Report a hazard directly (enterprise staff); idempotent on the client UUID `id`."""
    actor = current_actor()
    hazard, created = services.report_direct_hazard(actor, data)
    return queries.hazard_view(hazard, actor), 201 if created else 200


@blp.route("/hazards/<uuid:hazard_id>", methods=["GET"])
@authenticated
@blp.response(200, HazardSchema)
def get_hazard(hazard_id):
    """One hazard with its basis, history, overdue flag and the actions open to the caller."""
    actor = current_actor()
    return queries.hazard_view(queries.get_hazard(actor, hazard_id), actor)


@blp.route("/hazards/<uuid:hazard_id>/transitions", methods=["POST"])
@authenticated
@blp.arguments(HazardTransitionSchema)
@blp.response(200, HazardStepSchema)
@blp.alt_response(409, description="Stale `expected_state`, not allowed now, or reused client_id.")
def transition_hazard(data, hazard_id):
    """Take one step of the closed loop; `expected_state` is the state the client saw. A replay
    of a step (its `client_id` already taken by this step) answers the hazard as it is now with
    `replayed: true`."""
    actor = current_actor()
    hazard = queries.get_hazard(actor, hazard_id)
    action = data.pop("action")
    expected_state = data.pop("expected_state")
    client_id = data.pop("client_id")
    hazard, created = services.apply_transition_once(
        actor, hazard, action, data, expected_state=expected_state, client_id=client_id
    )
    return {**queries.hazard_view(hazard, actor), "replayed": not created}
