"""HTTP endpoints: the regulators' pull feed, delivery endpoints and delivery status."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.outbox import queries, services
from anxun.outbox.schemas import (
    DeliveryQuerySchema,
    DeliverySchema,
    EndpointCreateSchema,
    EndpointSchema,
    FeedPageSchema,
    FeedQuerySchema,
)

blp = Blueprint("outbox", __name__, url_prefix="/api/v1/regulator", description="监管推送")


@blp.route("/feed", methods=["GET"])
@authenticated
@blp.arguments(FeedQuerySchema, location="query")
@blp.response(200, FeedPageSchema)
def feed(args):
    """Events for the caller's jurisdiction in order, with a cursor (for platforms that pull)."""
    items, next_cursor = queries.feed(current_actor(), args["cursor"], args["limit"])
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/endpoints", methods=["GET"])
@authenticated
@blp.response(200, EndpointSchema(many=True))
def list_endpoints():
    """The regulator's delivery endpoints (secrets are never shown)."""
    return queries.endpoints(current_actor())


@blp.route("/endpoints", methods=["POST"])
@authenticated
@blp.arguments(EndpointCreateSchema)
@blp.response(201, EndpointSchema)
def create_endpoint(data):
    """Add a delivery endpoint (regulator admin)."""
    return services.create_endpoint(current_actor(), data)


@blp.route("/deliveries", methods=["GET"])
@authenticated
@blp.arguments(DeliveryQuerySchema, location="query")
@blp.response(200, DeliverySchema(many=True))
def list_deliveries(args):
    """Delivery attempts to the regulator's endpoints, newest first."""
    return [
        queries.delivery_view(d, e) for d, e in queries.deliveries(current_actor(), args["state"])
    ]


@blp.route("/deliveries/<int:delivery_id>/replay", methods=["POST"])
@authenticated
@blp.response(200, DeliverySchema)
def replay_delivery(delivery_id):
    """Queue a dead delivery again (regulator admin)."""
    return queries.delivery_view(services.replay_delivery(current_actor(), delivery_id))
