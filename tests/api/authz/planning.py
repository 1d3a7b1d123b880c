"""Matrix rows: places and labels, inspection plans, stop periods, tasks, operation rate."""

from datetime import timedelta

from tests.api.authz.common import ALL_OK, HC_READ, HC_STAFF_WRITE, Row, unique

# Enterprise planning is written by the head and the safety officer only.
PLANNER_WRITE = HC_STAFF_WRITE | {"rectifier-hc": "forbid"}


def _hc(ctx):
    return ctx["enterprise"]["hc"]


def _place_and_plan(world):
    from anxun.core import clock
    from anxun.extensions import db
    from tests.factories_planning import make_place, make_plan

    hc = world["enterprise"]["hc"]
    place = make_place(hc, name=f"矩阵地点{next(unique)}")
    plan = make_plan(hc, [place], anchor_at=clock.now())
    db.session.commit()
    return {"place": place.id, "token": place.qr_token, "plan": plan.id}


def _stop_body(ctx):
    from anxun.core import clock

    start = clock.now() + timedelta(days=1)
    return {
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(days=1)).isoformat(),
        "reason": "矩阵测试停车检修",
    }


ROWS = [
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/places",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/places",
        HC_READ,
    ),
    Row(
        "POST",
        "/api/v1/enterprises/<int:enterprise_id>/places",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/places",
        PLANNER_WRITE,
        json=lambda c: {"name": f"矩阵新地点{next(unique)}", "kind": "unit"},
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/places/labels.pdf",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/places/labels.pdf",
        HC_READ,
        setup=_place_and_plan,
    ),
    Row(
        "GET",
        "/api/v1/places/<int:place_id>",
        lambda c: f"/api/v1/places/{c['place']}",
        HC_READ,
        setup=_place_and_plan,
    ),
    Row(
        "PATCH",
        "/api/v1/places/<int:place_id>",
        lambda c: f"/api/v1/places/{c['place']}",
        PLANNER_WRITE,
        json=lambda c: {"description": "矩阵测试修改"},
        setup=_place_and_plan,
    ),
    Row(
        "GET",
        "/api/v1/places/by-token/<qr_token>",
        lambda c: f"/api/v1/places/by-token/{c['token']}",
        HC_READ,
        setup=_place_and_plan,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/plans",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/plans",
        HC_READ,
    ),
    Row(
        "POST",
        "/api/v1/enterprises/<int:enterprise_id>/plans",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/plans",
        PLANNER_WRITE,
        json=lambda c: {
            "title": "矩阵排查计划",
            "checklist_code": "hazardous-chemicals",
            "inspection_type": "weekly",
            "frequency_every": 1,
            "frequency_unit": "week",
            "assignee_role": "inspector",
        },
    ),
    Row(
        "GET",
        "/api/v1/plans/<int:plan_id>",
        lambda c: f"/api/v1/plans/{c['plan']}",
        HC_READ,
        setup=_place_and_plan,
    ),
    Row(
        "PATCH",
        "/api/v1/plans/<int:plan_id>",
        lambda c: f"/api/v1/plans/{c['plan']}",
        PLANNER_WRITE,
        json=lambda c: {"title": "矩阵排查计划（改）"},
        setup=_place_and_plan,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/stop-periods",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/stop-periods",
        HC_READ,
    ),
    Row(
        "POST",
        "/api/v1/enterprises/<int:enterprise_id>/stop-periods",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/stop-periods",
        PLANNER_WRITE,
        json=_stop_body,
    ),
    Row("GET", "/api/v1/tasks", lambda c: "/api/v1/tasks?due=today", ALL_OK, name="me"),
    Row(
        "GET",
        "/api/v1/tasks",
        lambda c: f"/api/v1/tasks?assignee=all&enterprise_id={_hc(c)}",
        PLANNER_WRITE,  # everyone's tasks: planners only; other readers get 403
        setup=_place_and_plan,
        name="all",
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/operation-rate",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/operation-rate?from=2026-01-01&to=2026-03-31",
        HC_READ,
        setup=_place_and_plan,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/task-calendar",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/task-calendar?from=2026-03-01&to=2026-03-31",
        HC_READ,
        setup=_place_and_plan,
    ),
]
