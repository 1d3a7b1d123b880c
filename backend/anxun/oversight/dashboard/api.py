"""HTTP endpoints: the regulator's overview of its jurisdiction and the enterprise drill-down."""

from flask import current_app

from anxun.core import clock
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.core.errors import NotFound
from anxun.oversight.dashboard import queries
from anxun.oversight.dashboard.schemas import (
    EnterpriseOversightSchema,
    OversightInspectionPageSchema,
    OversightInspectionQuerySchema,
    OverviewQuerySchema,
    OverviewRowSchema,
    OverviewSchema,
    TrendsQuerySchema,
    TrendsSchema,
)

blp = Blueprint(
    "oversight_dashboard", __name__, url_prefix="/api/v1/oversight", description="监管总览"
)


def _ack_days() -> int:
    return int(current_app.config["ANXUN_ORDER_ACK_DAYS"])


@blp.route("/overview", methods=["GET"])
@authenticated
@blp.arguments(OverviewQuerySchema, location="query")
@blp.response(200, OverviewSchema)
def overview(args):
    """One row per enterprise in the caller's jurisdiction (filtered, sorted) with totals."""
    return queries.overview(current_actor(), args, clock.now(), clock.today_local(), _ack_days())


@blp.route("/overview/<int:enterprise_id>", methods=["GET"])
@authenticated
@blp.response(200, OverviewRowSchema)
def overview_row(enterprise_id):
    """The overview row of one enterprise in the caller's jurisdiction."""
    row = queries.overview_row(
        current_actor(), enterprise_id, clock.now(), clock.today_local(), _ack_days()
    )
    if row is None:
        raise NotFound("未找到该企业，或您无权查看。")
    return row


@blp.route("/trends", methods=["GET"])
@authenticated
@blp.arguments(TrendsQuerySchema, location="query")
@blp.response(200, TrendsSchema)
def trends(args):
    """Daily hazards reported/closed, overdue open hazards, inspections; grade distribution."""
    return queries.trends(current_actor(), args, clock.now(), clock.today_local())


# --- enterprise drill-down (read-only; helper "drilldown") ----------------------------------------


@blp.route("/enterprises/<int:enterprise_id>", methods=["GET"])
@authenticated
@blp.response(200, EnterpriseOversightSchema)
def get_enterprise_oversight(enterprise_id):
    """One supervised enterprise for the drill-down header: facts, hazard and inspection counts,
    today's explained grade (404 outside the jurisdiction or engagement)."""
    actor = current_actor()
    enterprise = queries.get_supervised_enterprise(actor, enterprise_id, queries.SUMMARY_AREAS)
    return queries.enterprise_summary(actor, enterprise)


@blp.route("/enterprises/<int:enterprise_id>/inspections", methods=["GET"])
@authenticated
@blp.arguments(OversightInspectionQuerySchema, location="query")
@blp.response(200, OversightInspectionPageSchema)
def list_enterprise_inspections(args, enterprise_id):
    """A supervised enterprise's inspections, newest first (cursor pagination), each with its
    inspector, place, results, plausibility flags and photo ids."""
    enterprise = queries.get_supervised_enterprise(
        current_actor(), enterprise_id, queries.FEED_AREAS
    )
    items, next_cursor = queries.list_enterprise_inspections(enterprise, args)
    return {"items": items, "next_cursor": next_cursor}
