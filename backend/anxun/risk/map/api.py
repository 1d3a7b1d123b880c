"""HTTP endpoints for site plans, the four-colour risk map (PNG/PDF), risk notification cards
and the risk register PDF."""

from flask import Response

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.core.public_url import public_base_url
from anxun.orgs import scoping
from anxun.risk.map import queries, services
from anxun.risk.map.schemas import (
    ShapesReplaceSchema,
    SitePlanCreateSchema,
    SitePlanDetailSchema,
    SitePlanListQuerySchema,
    SitePlanPageSchema,
    SitePlanSchema,
)

blp = Blueprint(
    "risk_map", __name__, url_prefix="/api/v1", description="安全风险四色图、风险告知卡与管控清单"
)
PDF = "application/pdf"
PNG = "image/png"


def _file(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/enterprises/<int:enterprise_id>/site-plans", methods=["GET"])
@authenticated
@blp.arguments(SitePlanListQuerySchema, location="query")
@blp.response(200, SitePlanPageSchema)
def list_site_plans(args, enterprise_id):
    """The enterprise's site plans, with cursor pagination."""
    items, next_cursor = queries.list_site_plans(current_actor(), enterprise_id, args)
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/enterprises/<int:enterprise_id>/site-plans", methods=["POST"])
@authenticated
@blp.arguments(SitePlanCreateSchema)
@blp.response(201, SitePlanSchema)
def create_site_plan(data, enterprise_id):
    """Register an image uploaded through POST /api/v1/media as a site plan."""
    return services.create_site_plan(current_actor(), enterprise_id, data)


@blp.route("/site-plans/<int:site_plan_id>", methods=["GET"])
@authenticated
@blp.response(200, SitePlanDetailSchema)
def get_site_plan(site_plan_id):
    """A site plan with its shapes, each with its target's current (dynamic) level and colour."""
    return queries.plan_detail(queries.get_site_plan(current_actor(), site_plan_id))


@blp.route("/site-plans/<int:site_plan_id>/shapes", methods=["PUT"])
@authenticated
@blp.arguments(ShapesReplaceSchema)
@blp.response(200, SitePlanDetailSchema)
def replace_shapes(data, site_plan_id):
    """Replace every marker and area drawn on the plan."""
    plan = services.replace_map_shapes(current_actor(), site_plan_id, data["shapes"])
    return queries.plan_detail(plan)


@blp.route("/site-plans/<int:site_plan_id>/map.png", methods=["GET"])
@authenticated
@blp.response(200, description="The four-colour risk map (PNG).", content_type=PNG)
def map_png(site_plan_id):
    """The plan coloured by risk level, with caption and legend, for posting on site."""
    plan = queries.get_site_plan(current_actor(), site_plan_id)
    return _file(queries.map_png(plan), PNG, f"site-plan-{plan.id}.png")


@blp.route("/site-plans/<int:site_plan_id>/map.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="The four-colour risk map (A4 landscape PDF).", content_type=PDF)
def map_pdf(site_plan_id):
    """The map as an A4 landscape PDF with title, legend and the list of drawn targets."""
    plan = queries.get_site_plan(current_actor(), site_plan_id)
    return _file(queries.map_pdf(plan), PDF, f"site-plan-{plan.id}.pdf")


@blp.route("/places/<int:place_id>/risk-card.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="The place's risk notification card (PDF).", content_type=PDF)
def risk_card(place_id):
    """风险告知卡 of a place, with a QR code that opens the place in the app."""
    place = queries.get_place(current_actor(), place_id)
    return _file(queries.risk_card_pdf(place, public_base_url()), PDF, f"risk-card-{place.id}.pdf")


@blp.route("/enterprises/<int:enterprise_id>/risk-register.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="The risk register (PDF).", content_type=PDF)
def risk_register(enterprise_id):
    """安全风险分级管控清单: one row per control measure, with counts per level."""
    enterprise = scoping.get_enterprise(current_actor(), enterprise_id, area=scoping.RISK)
    return _file(queries.register_pdf(enterprise), PDF, f"risk-register-{enterprise.id}.pdf")
