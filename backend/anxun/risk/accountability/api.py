"""HTTP endpoints for 包保责任: the board of major hazard sources and naming their persons."""

from datetime import timedelta

from anxun.core import clock
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.inspections import planning
from anxun.inspections.planning_queries import rate_period
from anxun.orgs import scoping
from anxun.risk.accountability import queries, services
from anxun.risk.accountability.schemas import (
    AccountabilityBoardSchema,
    AccountabilityQuerySchema,
    AccountableObjectSchema,
    AccountablePersonsSchema,
)

blp = Blueprint(
    "risk_accountability", __name__, url_prefix="/api/v1", description="重大危险源包保责任"
)
DEFAULT_DAYS = 90


@blp.route("/enterprises/<int:enterprise_id>/accountability", methods=["GET"])
@authenticated
@blp.arguments(AccountabilityQuerySchema, location="query")
@blp.response(200, AccountabilityBoardSchema)
def accountability_board(args, enterprise_id):
    """Each major hazard source: its 主要/技术/操作负责人, the checks each duty requires (with the
    document and clause) and how many were done over the period."""
    enterprise = scoping.get_enterprise(
        current_actor(), enterprise_id, area=(scoping.RISK, scoping.INSPECTIONS)
    )
    day_from, day_to = args["from_"], args["to"]
    now = clock.now()
    # Up to tomorrow at most: the window open today exists, and no far future is written.
    until = min(rate_period(day_from, day_to)[1], now + timedelta(days=1))
    planning.materialize_enterprise(enterprise.id, until)
    return queries.accountability_board(enterprise.id, day_from, day_to, now)


@blp.route("/risk-objects/<int:object_id>/accountable-persons", methods=["PUT"])
@authenticated
@blp.arguments(AccountablePersonsSchema)
@blp.response(200, AccountableObjectSchema)
def assign_accountable_persons(data, object_id):
    """Name the accountable persons of a major hazard source (head or safety officer); each named
    duty gets a 包保 inspection plan at the object's places."""
    risk_object = services.assign_accountable_persons(current_actor(), object_id, data)
    today = clock.today_local()
    return queries.object_view(
        risk_object, today - timedelta(days=DEFAULT_DAYS - 1), today, clock.now()
    )
