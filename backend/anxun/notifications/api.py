"""HTTP endpoints for the caller's own in-app notifications: list and mark read."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.notifications import services
from anxun.notifications.schemas import (
    NotificationPageSchema,
    NotificationQuerySchema,
    NotificationSchema,
    ReadAllResultSchema,
)

blp = Blueprint("notifications", __name__, url_prefix="/api/v1", description="站内消息")


@blp.route("/notifications", methods=["GET"])
@authenticated
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationPageSchema)
def list_notifications(args):
    """The caller's notifications, newest first (cursor pagination)."""
    items, next_cursor = services.list_notifications(current_actor(), args)
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@authenticated
@blp.response(200, NotificationSchema)
def mark_read(notification_id):
    """Mark one of the caller's notifications read (someone else's answers 404)."""
    return services.mark_read(current_actor(), notification_id)


@blp.route("/notifications/read-all", methods=["POST"])
@authenticated
@blp.response(200, ReadAllResultSchema)
def mark_all_read():
    """Mark all of the caller's notifications read."""
    return {"updated": services.mark_all_read(current_actor())}
