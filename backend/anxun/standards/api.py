"""HTTP endpoints for standard changes: what to re-judge, marking it done, the bureau summary."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.standards import queries, services
from anxun.standards.schemas import (
    RejudgeItemSchema,
    RejudgeQuerySchema,
    RejudgeResolveSchema,
    StandardChangeSummarySchema,
)

blp = Blueprint("standards", __name__, url_prefix="/api/v1", description="标准变更与重新判定")


@blp.route("/rejudge-items", methods=["GET"])
@authenticated
@blp.arguments(RejudgeQuerySchema, location="query")
@blp.response(200, RejudgeItemSchema(many=True))
def list_rejudge_items(args):
    """What standard changes ask the caller's enterprises to re-judge (open ones by default)."""
    return queries.list_items(current_actor(), args)


@blp.route("/rejudge-items/<int:item_id>/resolve", methods=["POST"])
@authenticated
@blp.arguments(RejudgeResolveSchema)
@blp.response(200, RejudgeItemSchema)
@blp.alt_response(409, description="A hazard (re-grade it instead), or already resolved.")
def resolve_rejudge_item(data, item_id):
    """Mark a plan item handled, or re-assess an assessment item by the band table in force
    (a later assessment of the event stands; the old one is kept), saying what was done (head
    or safety officer)."""
    actor = current_actor()
    item = services.resolve_item(actor, item_id, data)
    return queries.item_view(actor, item.id)


@blp.route("/standard-changes/summary", methods=["GET"])
@authenticated
@blp.response(200, StandardChangeSummarySchema)
def standard_change_summary():
    """Per enterprise in view, how many items standard changes left to re-judge (the bureau's
    summary), and the changes that listed them."""
    return queries.summary(current_actor())
