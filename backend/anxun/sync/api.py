"""HTTP endpoint for a phone's outbox: one batch of inspections and hazard steps."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.sync import services
from anxun.sync.schemas import SyncRequestSchema, SyncResponseSchema

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="离线记录同步")


@blp.route("/sync", methods=["POST"])
@authenticated
@blp.arguments(SyncRequestSchema)
@blp.response(200, SyncResponseSchema)
def sync_batch(data):
    """Drain a device's outbox in one request: up to 50 inspections and hazard steps, in order,
    each stored in its own transaction with its own result (201 stored, 200 replay, 409 conflict
    or `missing-media`, 422 invalid, 404 hazard not found, 403). One refused item never rejects
    the others; a retried batch answers the stored ones as replays (`replayed: true`). The request
    itself is 200 whenever it is well formed."""
    return {"results": services.sync_batch(current_actor(), data["items"])}
