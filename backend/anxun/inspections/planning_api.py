"""HTTP endpoints for places and their QR labels, inspection plans, stop periods, the task list
and the online operation rate."""

from flask import Response

from anxun.core import clock, events
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.core.public_url import public_base_url
from anxun.core.schemas import PageQuerySchema
from anxun.inspections import planning
from anxun.inspections import planning_queries as queries
from anxun.inspections.events import PlaceRisk
from anxun.inspections.planning_schemas import (
    CalendarQuerySchema,
    CalendarSchema,
    LabelsQuerySchema,
    PlaceCreateSchema,
    PlaceListQuerySchema,
    PlaceLookupSchema,
    PlacePageSchema,
    PlaceSchema,
    PlaceUpdateSchema,
    PlanCreateSchema,
    PlanListQuerySchema,
    PlanPageSchema,
    PlanSchema,
    PlanUpdateSchema,
    RateQuerySchema,
    RateSchema,
    StopPeriodCreateSchema,
    StopPeriodPageSchema,
    StopPeriodSchema,
    TaskListSchema,
    TaskQuerySchema,
)
from anxun.orgs import scoping

blp = Blueprint("planning", __name__, url_prefix="/api/v1", description="地点、排查计划与排查任务")


@blp.route("/enterprises/<int:enterprise_id>/places", methods=["GET"])
@authenticated
@blp.arguments(PlaceListQuerySchema, location="query")
@blp.response(200, PlacePageSchema)
def list_places(args, enterprise_id):
    """Places (风险点/检查点) of an enterprise."""
    items, next_cursor = queries.list_places(current_actor(), enterprise_id, args)
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/enterprises/<int:enterprise_id>/places", methods=["POST"])
@authenticated
@blp.arguments(PlaceCreateSchema)
@blp.response(201, PlaceSchema)
def create_place(data, enterprise_id):
    """Register a place; it gets a unique 8-character label code (head or safety officer)."""
    return planning.create_place(current_actor(), enterprise_id, data)


@blp.route("/enterprises/<int:enterprise_id>/places/labels.pdf", methods=["GET"])
@authenticated
@blp.arguments(LabelsQuerySchema, location="query")
@blp.response(200, description="A4 sheet of QR labels (PDF).", content_type="application/pdf")
def place_labels(args, enterprise_id):
    """Printable QR labels of the active places (or of `place_id`s), 8 per A4 page."""
    actor = current_actor()
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.INSPECTIONS)
    places = queries.label_places(actor, enterprise.id, args["place_id"])
    pdf = queries.labels_pdf(enterprise, places, public_base_url())
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="place-labels.pdf"'
    return response


@blp.route("/places/<int:place_id>", methods=["GET"])
@authenticated
@blp.response(200, PlaceSchema)
def get_place(place_id):
    """One place, if the caller may read its enterprise."""
    return queries.get_place_for(current_actor(), place_id)


@blp.route("/places/<int:place_id>", methods=["PATCH"])
@authenticated
@blp.arguments(PlaceUpdateSchema)
@blp.response(200, PlaceSchema)
def update_place(data, place_id):
    """Correct a place, or deactivate it with `is_active: false`."""
    return planning.update_place(current_actor(), place_id, data)


@blp.route("/places/by-token/<qr_token>", methods=["GET"])
@authenticated
@blp.response(200, PlaceLookupSchema)
def place_by_token(qr_token):
    """Scanned or typed label code → the place and the caller's open/upcoming tasks there today."""
    actor = current_actor()
    place = queries.place_by_token(actor, qr_token)
    now = clock.now()
    planning.materialize_enterprise(place.enterprise_id, queries.task_window("today", now).until)
    enterprise = scoping.get_enterprise(actor, place.enterprise_id, area=scoping.INSPECTIONS)
    return {
        "place": place,
        "enterprise_name": enterprise.name,
        "risk": events.ask(PlaceRisk(place.enterprise_id, place.id)),
        "tasks": queries.place_tasks_today(actor, place, now),
    }


@blp.route("/enterprises/<int:enterprise_id>/plans", methods=["GET"])
@authenticated
@blp.arguments(PlanListQuerySchema, location="query")
@blp.response(200, PlanPageSchema)
def list_plans(args, enterprise_id):
    """Inspection plans (排查任务) of an enterprise."""
    items, next_cursor = queries.list_plans(current_actor(), enterprise_id, args)
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/enterprises/<int:enterprise_id>/plans", methods=["POST"])
@authenticated
@blp.arguments(PlanCreateSchema)
@blp.response(201, PlanSchema)
def create_plan(data, enterprise_id):
    """Create an inspection plan: checklist (whole, profile or items), places, assignee, type,
    frequency and work calendar."""
    return planning.create_plan(current_actor(), enterprise_id, data)


@blp.route("/plans/<int:plan_id>", methods=["GET"])
@authenticated
@blp.response(200, PlanSchema)
def get_plan(plan_id):
    """One inspection plan."""
    return queries.get_plan_for(current_actor(), plan_id)


@blp.route("/plans/<int:plan_id>", methods=["PATCH"])
@authenticated
@blp.arguments(PlanUpdateSchema)
@blp.response(200, PlanSchema)
def update_plan(data, plan_id):
    """Change title, assignee, places, frequency or activation of a plan."""
    return planning.update_plan(current_actor(), plan_id, data)


@blp.route("/enterprises/<int:enterprise_id>/stop-periods", methods=["GET"])
@authenticated
@blp.arguments(PageQuerySchema, location="query")
@blp.response(200, StopPeriodPageSchema)
def list_stop_periods(args, enterprise_id):
    """Stop and overhaul periods (停用/检修) of an enterprise, newest first."""
    items, next_cursor = queries.list_stop_periods(current_actor(), enterprise_id, args)
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/enterprises/<int:enterprise_id>/stop-periods", methods=["POST"])
@authenticated
@blp.arguments(StopPeriodCreateSchema)
@blp.response(201, StopPeriodSchema)
def create_stop_period(data, enterprise_id):
    """Record a shutdown of a place (or the whole enterprise): windows inside it are not due."""
    return planning.create_stop_period(current_actor(), enterprise_id, data)


@blp.route("/tasks", methods=["GET"])
@authenticated
@blp.arguments(TaskQuerySchema, location="query")
@blp.response(200, TaskListSchema)
def list_tasks(args):
    """What the caller must do: `due=today` (windows meeting today, China time), `week` (the 7
    days from today) or `overdue` (missed in the last 7 days); `assignee=all` for planners."""
    actor = current_actor()
    now = clock.now()
    enterprises = queries.task_enterprises(actor, args)
    window = queries.task_window(args["due"], now)
    for enterprise in enterprises:
        planning.materialize_enterprise(enterprise.id, window.until)
    return {"items": queries.list_tasks(actor, enterprises, args, window, now)}


@blp.route("/enterprises/<int:enterprise_id>/operation-rate", methods=["GET"])
@authenticated
@blp.arguments(RateQuerySchema, location="query")
@blp.response(200, RateSchema)
def operation_rate(args, enterprise_id):
    """在线运行率: occurrences done in their window / occurrences due, over windows ending in
    the period (local dates, both inclusive)."""
    enterprise = scoping.get_enterprise(current_actor(), enterprise_id, area=scoping.INSPECTIONS)
    now = clock.now()
    _, end = queries.rate_period(args["from_"], args["to"])
    planning.materialize_enterprise(enterprise.id, min(end, now))
    return queries.operation_rate(enterprise.id, args["from_"], args["to"], now)


@blp.route("/enterprises/<int:enterprise_id>/task-calendar", methods=["GET"])
@authenticated
@blp.arguments(CalendarQuerySchema, location="query")
@blp.response(200, CalendarSchema)
def task_calendar(args, enterprise_id):
    """The enterprise's task occurrences meeting the local days `from`–`to` (at most 62), each
    with its state now: done, late, missed, open, upcoming or suspended. Future windows show as
    far ahead as task generation goes (a week), not further."""
    actor = current_actor()
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.INSPECTIONS)
    now = clock.now()
    _, end = queries.rate_period(args["from_"], args["to"])
    planning.materialize_enterprise(enterprise.id, min(end, now + planning.LOOKAHEAD))
    items = queries.occurrence_calendar(enterprise.id, args["from_"], args["to"], now)
    return {"items": items}
