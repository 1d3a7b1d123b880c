"""HTTP endpoints: incident quick reports and follow-ups."""

from flask import current_app

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.incidents import queries, rules, services
from anxun.incidents.schemas import (
    CategoryListSchema,
    IncidentCreateSchema,
    IncidentListQuerySchema,
    IncidentPageSchema,
    IncidentSchema,
    ReportFieldsSchema,
)

blp = Blueprint("incidents", __name__, url_prefix="/api/v1", description="事故信息报告")


def _limit() -> int:
    return current_app.config["ANXUN_INCIDENT_QUICK_REPORT_MINUTES"]


def _detail(incident):
    return queries.incident_views([incident], _limit(), detail=True)[0]


@blp.route("/incidents", methods=["POST"])
@authenticated
@blp.arguments(IncidentCreateSchema)
@blp.response(201, IncidentSchema)
@blp.alt_response(200, schema=IncidentSchema, description="A replay of the same quick report.")
@blp.alt_response(409, description="Another report under this id.")
def report_incident(data):
    """快报: the first report of an incident (enterprise head or safety officer); idempotent."""
    incident, created = services.report_incident(current_actor(), data)
    return _detail(incident), 201 if created else 200


@blp.route("/incidents", methods=["GET"])
@authenticated
@blp.arguments(IncidentListQuerySchema, location="query")
@blp.response(200, IncidentPageSchema)
def list_incidents(args):
    """Incidents the caller may see (a regulator: its jurisdiction), latest occurrence first."""
    return {"items": queries.list_incidents(current_actor(), args, _limit())}


@blp.route("/incidents/categories", methods=["GET"])
@authenticated
@blp.response(200, CategoryListSchema)
def list_categories():
    """The 20 incident categories of GB 6441 (事故类别) with their basis, for report forms."""
    return {"items": rules.category_list(), "basis": rules.CATEGORY_BASIS}


@blp.route("/incidents/<uuid:incident_id>", methods=["GET"])
@authenticated
@blp.response(200, IncidentSchema)
def get_incident(incident_id):
    """One incident with its reports, the timeline and whether the quick report was late."""
    return _detail(queries.get_incident(current_actor(), incident_id))


@blp.route("/incidents/<uuid:incident_id>/reports", methods=["POST"])
@authenticated
@blp.arguments(ReportFieldsSchema)
@blp.response(201, IncidentSchema)
@blp.alt_response(200, schema=IncidentSchema, description="A replay of the same follow-up.")
@blp.alt_response(409, description="Another report under this id.")
def add_follow_up(data, incident_id):
    """续报: a follow-up report with updated casualties, losses and measures; idempotent."""
    actor = current_actor()
    incident = queries.get_incident(actor, incident_id)
    _, created = services.add_follow_up(actor, incident, data)
    return _detail(incident), 201 if created else 200
