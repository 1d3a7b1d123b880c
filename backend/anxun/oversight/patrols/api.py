"""HTTP endpoints: online patrols, findings, rectification orders, acknowledgments, follow-ups."""

from flask import Response

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.oversight.patrols import queries, services
from anxun.oversight.patrols.order_document import order_pdf
from anxun.oversight.patrols.schemas import (
    AcknowledgmentSchema,
    FollowUpListQuerySchema,
    FollowUpListSchema,
    FollowUpResultSchema,
    FollowUpSchema,
    OfficerCertificateSchema,
    OfficerListSchema,
    OfficerSchema,
    OrderCreateSchema,
    OrderListQuerySchema,
    OrderPageSchema,
    OrderSchema,
    PatrolClosureSchema,
    PatrolFindingCreateSchema,
    PatrolFindingReviewSchema,
    PatrolFindingSchema,
    PatrolListQuerySchema,
    PatrolOpenSchema,
    PatrolPageSchema,
    PatrolSchema,
    PatrolSubmissionSchema,
)

blp = Blueprint(
    "oversight_patrols", __name__, url_prefix="/api/v1", description="网上巡查与整改指令"
)


# --- patrols --------------------------------------------------------------------------------


@blp.route("/patrols", methods=["GET"])
@authenticated
@blp.arguments(PatrolListQuerySchema, location="query")
@blp.response(200, PatrolPageSchema)
def list_patrols(args):
    """Patrols of the caller's bureau, or commissioned to the caller's agency; newest first."""
    rows, next_cursor = queries.list_patrols(current_actor(), args)
    return {"items": queries.patrol_views(rows), "next_cursor": next_cursor}


@blp.route("/patrols", methods=["POST"])
@authenticated
@blp.arguments(PatrolOpenSchema)
@blp.response(201, PatrolSchema)
def open_patrol(data):
    """Open a patrol (regulator staff, or an auditor under a regulator's engagement)."""
    return queries.patrol_view(services.open_patrol(current_actor(), data))


@blp.route("/patrols/<int:patrol_id>", methods=["GET"])
@authenticated
@blp.response(200, PatrolSchema)
def get_patrol(patrol_id):
    """One patrol with its findings and the orders issued from it."""
    return queries.patrol_view(queries.get_patrol(current_actor(), patrol_id))


@blp.route("/patrols/<int:patrol_id>/findings", methods=["POST"])
@authenticated
@blp.arguments(PatrolFindingCreateSchema)
@blp.response(201, PatrolFindingSchema)
@blp.alt_response(200, schema=PatrolFindingSchema, description="A replay of the same finding.")
@blp.alt_response(409, description="Another finding under this id, or the patrol is not open.")
def record_finding(data, patrol_id):
    """Record a finding; a regulator's becomes a confirmed hazard, an agency's is proposed."""
    actor = current_actor()
    patrol = queries.get_patrol(actor, patrol_id)
    finding, created = services.record_finding(actor, patrol, data)
    return queries.finding_view(finding), 201 if created else 200


@blp.route("/patrols/<int:patrol_id>/submission", methods=["POST"])
@authenticated
@blp.arguments(PatrolSubmissionSchema)
@blp.response(200, PatrolSchema)
def submit_patrol(data, patrol_id):
    """An agency submits its commissioned patrol to the regulator for review."""
    actor = current_actor()
    patrol = services.submit_patrol(actor, queries.get_patrol(actor, patrol_id), data)
    return queries.patrol_view(patrol)


@blp.route("/patrols/<int:patrol_id>/closure", methods=["POST"])
@authenticated
@blp.arguments(PatrolClosureSchema)
@blp.response(200, PatrolSchema)
def close_patrol(data, patrol_id):
    """Close a patrol with a summary (regulator staff of the patrol's bureau)."""
    actor = current_actor()
    patrol = services.close_patrol(actor, queries.get_patrol(actor, patrol_id), data)
    return queries.patrol_view(patrol)


@blp.route("/patrol-findings/<uuid:finding_id>/review", methods=["POST"])
@authenticated
@blp.arguments(PatrolFindingReviewSchema)
@blp.response(200, PatrolFindingSchema)
def review_finding(data, finding_id):
    """Accept an agency's proposed finding (→ confirmed hazard) or reject it with a note."""
    actor = current_actor()
    finding = services.review_finding(actor, queries.get_finding(actor, finding_id), data)
    return queries.finding_view(finding)


# --- rectification orders -------------------------------------------------------------------


@blp.route("/orders", methods=["GET"])
@authenticated
@blp.arguments(OrderListQuerySchema, location="query")
@blp.response(200, OrderPageSchema)
def list_orders(args):
    """Orders of the caller's bureau, or addressed to the caller's enterprise; newest first."""
    rows, next_cursor = queries.list_orders(current_actor(), args)
    return {"items": queries.order_views(rows), "next_cursor": next_cursor}


@blp.route("/regulators/<int:regulator_id>/officers", methods=["GET"])
@authenticated
@blp.response(200, OfficerListSchema)
def list_officers(regulator_id):
    """The bureau's active enforcement officers with their 执法证号 (the caller's own bureau)."""
    officers = queries.list_officers(current_actor(), regulator_id)
    return {"items": [queries.officer_view(user) for user in officers]}


@blp.route("/regulators/<int:regulator_id>/officers/<int:user_id>", methods=["PATCH"])
@authenticated
@blp.arguments(OfficerCertificateSchema)
@blp.response(200, OfficerSchema)
def set_officer_certificate(data, regulator_id, user_id):
    """Register (or clear) an officer's 执法证号: the bureau's admin only."""
    user = services.set_officer_certificate(current_actor(), regulator_id, user_id, data)
    return queries.officer_view(user)


@blp.route("/orders", methods=["POST"])
@authenticated
@blp.arguments(OrderCreateSchema)
@blp.response(201, OrderSchema)
def issue_order(data):
    """Issue a 责令限期整改指令书; its follow-up check is scheduled for the deadline."""
    return queries.order_view(services.issue_order(current_actor(), data))


@blp.route("/orders/<int:order_id>", methods=["GET"])
@authenticated
@blp.response(200, OrderSchema)
def get_order(order_id):
    """One order with its items, basis, 签收 and follow-up."""
    return queries.order_view(queries.get_order(current_actor(), order_id))


@blp.route("/orders/<int:order_id>/pdf", methods=["GET"])
@authenticated
@blp.response(200, description="责令限期整改指令书（PDF）")
def get_order_pdf(order_id):
    """The printable order (A4 PDF, CJK font embedded), with the 签收 block once acknowledged."""
    order = queries.get_order(current_actor(), order_id)
    response = Response(order_pdf(order), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="order-{order.id}.pdf"'
    return response


@blp.route("/orders/<int:order_id>/acknowledgment", methods=["POST"])
@authenticated
@blp.arguments(AcknowledgmentSchema)
@blp.response(200, OrderSchema)
@blp.alt_response(409, description="Already acknowledged (stale state).")
def acknowledge_order(data, order_id):
    """签收 by the enterprise's head; `expected_state` is "issued"."""
    actor = current_actor()
    order = services.acknowledge_order(actor, queries.get_order(actor, order_id), data)
    return queries.order_view(order)


# --- follow-ups -----------------------------------------------------------------------------


@blp.route("/follow-ups", methods=["GET"])
@authenticated
@blp.arguments(FollowUpListQuerySchema, location="query")
@blp.response(200, FollowUpListSchema)
def list_follow_ups(args):
    """Follow-up checks (回头看) of the caller's bureau, earliest first."""
    return {"items": queries.follow_up_views(queries.list_follow_ups(current_actor(), args))}


@blp.route("/follow-ups/<int:check_id>/result", methods=["POST"])
@authenticated
@blp.arguments(FollowUpResultSchema)
@blp.response(200, FollowUpSchema)
def record_follow_up(data, check_id):
    """Record the follow-up result; the order becomes followed_up."""
    actor = current_actor()
    check = services.record_follow_up(actor, queries.get_follow_up(actor, check_id), data)
    return queries.follow_up_views([check])[0]
