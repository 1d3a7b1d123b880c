"""HTTP endpoints for remote evidence requests (远程核查): ask, list, view, answer, cancel, and
turn into a patrol finding or a rectification order."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.evidence import queries, services
from anxun.evidence.schemas import (
    EvidenceAnswerSubmitSchema,
    EvidenceCancelSchema,
    EvidenceFindingSchema,
    EvidenceListQuerySchema,
    EvidenceOrderSchema,
    EvidenceRequestCreateSchema,
    EvidenceRequestPageSchema,
    EvidenceRequestSchema,
)
from anxun.oversight.patrols import queries as patrol_queries
from anxun.oversight.patrols.schemas import OrderSchema, PatrolFindingSchema

blp = Blueprint("evidence", __name__, url_prefix="/api/v1", description="远程核查")


@blp.route("/evidence-requests", methods=["GET"])
@authenticated
@blp.arguments(EvidenceListQuerySchema, location="query")
@blp.response(200, EvidenceRequestPageSchema)
def list_requests(args):
    """Requests the caller may see, newest first; `to_answer=true` for the phone's task list."""
    actor = current_actor()
    rows, next_cursor = queries.list_requests(actor, args)
    return {"items": [queries.request_view(actor, r) for r in rows], "next_cursor": next_cursor}


@blp.route("/evidence-requests", methods=["POST"])
@authenticated
@blp.arguments(EvidenceRequestCreateSchema)
@blp.response(201, EvidenceRequestSchema)
def create_request(data):
    """Ask an enterprise for live photos of a place or a hazard within a deadline (hours)."""
    actor = current_actor()
    return queries.request_view(actor, services.create_request(actor, data))


@blp.route("/evidence-requests/<int:request_id>", methods=["GET"])
@authenticated
@blp.response(200, EvidenceRequestSchema)
def get_request(request_id):
    """One request with its countdown, late/missing marks and answer."""
    actor = current_actor()
    return queries.request_view(actor, queries.get_request(actor, request_id))


@blp.route("/evidence-requests/<int:request_id>/answer", methods=["POST"])
@authenticated
@blp.arguments(EvidenceAnswerSubmitSchema)
@blp.response(201, EvidenceRequestSchema)
@blp.alt_response(200, schema=EvidenceRequestSchema, description="An exact replay.")
@blp.alt_response(
    409, description="Other content under this id, `missing_media`, or already answered."
)
def answer_request(data, request_id):
    """Answer with photos taken now (uploaded first through /media); replays are harmless."""
    actor = current_actor()
    request = queries.get_request(actor, request_id)
    _, created = services.submit_answer(actor, request, data)
    return queries.request_view(actor, request), 201 if created else 200


@blp.route("/evidence-requests/<int:request_id>/cancellation", methods=["POST"])
@authenticated
@blp.arguments(EvidenceCancelSchema)
@blp.response(200, EvidenceRequestSchema)
def cancel_request(data, request_id):
    """Withdraw a request that has not been answered (the requesting side only)."""
    actor = current_actor()
    request = queries.get_request(actor, request_id)
    return queries.request_view(actor, services.cancel_request(actor, request, data))


@blp.route("/evidence-requests/<int:request_id>/finding", methods=["POST"])
@authenticated
@blp.arguments(EvidenceFindingSchema)
@blp.response(201, PatrolFindingSchema)
@blp.alt_response(200, schema=PatrolFindingSchema, description="A replay of the same finding.")
def make_finding(data, request_id):
    """Record the answer (or the missing answer) as a finding of the request's patrol."""
    actor = current_actor()
    request = queries.get_request(actor, request_id)
    finding, created = services.make_finding(actor, request, data)
    return patrol_queries.finding_view(finding), 201 if created else 200


@blp.route("/evidence-requests/<int:request_id>/order", methods=["POST"])
@authenticated
@blp.arguments(EvidenceOrderSchema)
@blp.response(201, OrderSchema)
def issue_order(data, request_id):
    """Issue a rectification order about what the request showed, or that nothing came."""
    actor = current_actor()
    request = queries.get_request(actor, request_id)
    return patrol_queries.order_view(services.issue_order(actor, request, data))
