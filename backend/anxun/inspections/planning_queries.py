"""Read queries for places, plans, stop periods, the task list, labels and the operation rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from anxun.accounts.roles import Role
from anxun.checklists import queries as checklist_queries
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden, NotFound, ValidationFailed, field_error
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.inspections import scheduling
from anxun.inspections.models import InspectionPlan, Place, StopPeriod, TaskOccurrence
from anxun.inspections.planning_schemas import PLACE_KIND_LABELS
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise

# Who plans inspections in an enterprise: writes places, plans, stop periods; sees everyone's tasks.
PLANNERS = frozenset({Role.head, Role.safety_officer})
OVERDUE_DAYS = 7
WEEK_DAYS = 7
LABELS_PER_PAGE = 8
LABELS_PER_ROW = 2


def local_midnight(day: date) -> datetime:
    """The start of a China local day, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=scheduling.CHINA_TZ)


def normalise_token(text: str) -> str:
    """A typed-in label code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


def _in_scope(actor: Actor, enterprise_id: int, message: str) -> None:
    try:
        scoping.get_enterprise(actor, enterprise_id, area=scoping.INSPECTIONS)
    except NotFound:
        raise NotFound(message) from None


def get_place_for(actor: Actor, place_id: int) -> Place:
    """A place the caller may read; out of scope is 404."""
    place = db.session.get(Place, place_id)
    if place is None:
        raise NotFound("未找到该地点，或您无权查看。")
    _in_scope(actor, place.enterprise_id, "未找到该地点，或您无权查看。")
    return place


def get_plan_for(actor: Actor, plan_id: int) -> InspectionPlan:
    """An inspection plan the caller may read; out of scope is 404."""
    plan = db.session.get(InspectionPlan, plan_id)
    if plan is None:
        raise NotFound("未找到该排查计划，或您无权查看。")
    _in_scope(actor, plan.enterprise_id, "未找到该排查计划，或您无权查看。")
    return plan


def place_by_token(actor: Actor, token: str) -> Place:
    """The active place a label code names, if the caller may read its enterprise."""
    code = normalise_token(token)
    place = db.session.scalar(select(Place).where(Place.qr_token == code)) if code else None
    if place is None or not place.is_active:
        raise NotFound("未找到该编号对应的地点，请核对标签上的编号。")
    _in_scope(actor, place.enterprise_id, "未找到该编号对应的地点，请核对标签上的编号。")
    return place


def list_places(actor: Actor, enterprise_id: int, args: dict):
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.INSPECTIONS)
    query = select(Place).where(Place.enterprise_id == enterprise.id)
    if args.get("is_active") is not None:
        query = query.where(Place.is_active.is_(args["is_active"]))
    sort = {"id": [Place.id], "name": [Place.name, Place.id]}[args["sort"]]
    return paginate(query, sort, args.get("cursor"), args["limit"])


def list_plans(actor: Actor, enterprise_id: int, args: dict):
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.INSPECTIONS)
    query = select(InspectionPlan).where(InspectionPlan.enterprise_id == enterprise.id)
    if args.get("is_active") is not None:
        query = query.where(InspectionPlan.is_active.is_(args["is_active"]))
    return paginate(query, [InspectionPlan.id], args.get("cursor"), args["limit"])


def list_stop_periods(actor: Actor, enterprise_id: int, args: dict):
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.INSPECTIONS)
    query = select(StopPeriod).where(StopPeriod.enterprise_id == enterprise.id)
    return paginate(query, [StopPeriod.id], args.get("cursor"), args["limit"], descending=True)


def enterprise_stops(enterprise_id: int) -> list[StopPeriod]:
    return list(
        db.session.scalars(
            select(StopPeriod)
            .where(StopPeriod.enterprise_id == enterprise_id)
            .order_by(StopPeriod.start_at, StopPeriod.id)
        )
    )


def stops_covering(stops: list[StopPeriod], place_id: int | None) -> list[scheduling.StopPeriod]:
    """Stop periods of the whole enterprise or of this place, as the pure module takes them."""
    return [
        scheduling.StopPeriod(s.start_at, s.end_at, s.reason)
        for s in stops
        if s.place_id is None or s.place_id == place_id
    ]


def occurrence_state(
    occurrence: TaskOccurrence, now: datetime, stops: list[StopPeriod]
) -> scheduling.OccurrenceState:
    window = scheduling.Occurrence(occurrence.due_start, occurrence.due_end)
    return scheduling.occurrence_state(
        window, occurrence.done_at, now, stops_covering(stops, occurrence.place_id)
    )


# ---- the task list -------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskWindow:
    """Which windows a task list shows, and up to when occurrences must exist first."""

    start: datetime
    end: datetime
    until: datetime
    overdue: bool = False


def task_window(due: str, now: datetime) -> TaskWindow:
    """today: windows meeting today (China local); week: the 7 days from today; overdue: windows
    that ended in the last 7 days and were missed."""
    today = local_midnight(now.astimezone(scheduling.CHINA_TZ).date())
    if due == "overdue":
        return TaskWindow(now - timedelta(days=OVERDUE_DAYS), now, now, overdue=True)
    days = WEEK_DAYS if due == "week" else 1
    end = today + timedelta(days=days)
    return TaskWindow(today, end, end)


def task_enterprises(actor: Actor, args: dict) -> list[Enterprise]:
    """The enterprises whose tasks the caller asks for (404 out of scope, 403 `all` unentitled)."""
    everyone = args["assignee"] == "all"
    if args.get("enterprise_id") is not None:
        enterprise = scoping.get_enterprise(actor, args["enterprise_id"], area=scoping.INSPECTIONS)
        if everyone:
            scoping.require_enterprise_role(actor, enterprise, set(PLANNERS))
        return [enterprise]
    ids = sorted(actor.enterprise_ids)
    if everyone:
        ids = [i for i in ids if actor.roles_in_enterprise(i) & PLANNERS]
        if not ids:
            if actor.is_platform_admin:
                raise ValidationFailed(
                    "请指定企业。",
                    [field_error("enterprise_id", "查看全部人员的任务时请指定企业。")],
                )
            raise Forbidden("只有主要负责人和安全管理人员可以查看全部人员的排查任务。")
    return [scoping.get_enterprise(actor, i, area=scoping.INSPECTIONS) for i in ids]


def _assigned_to(actor: Actor, enterprises: list[Enterprise]):
    clauses = [InspectionPlan.assignee_user_id == actor.user_id]
    for enterprise in enterprises:
        roles = sorted(str(r) for r in actor.roles_in_enterprise(enterprise.id))
        if roles:
            clauses.append(
                and_(
                    InspectionPlan.enterprise_id == enterprise.id,
                    InspectionPlan.assignee_role.in_(roles),
                )
            )
    return or_(*clauses)


def list_tasks(
    actor: Actor,
    enterprises: list[Enterprise],
    args: dict,
    window: TaskWindow,
    now: datetime,
) -> list[dict]:
    """Occurrences of active plans at active places, with their state at `now`, sorted by place
    then due_start."""
    if not enterprises:
        return []
    query = (
        select(TaskOccurrence, InspectionPlan, Place)
        .join(InspectionPlan, InspectionPlan.id == TaskOccurrence.plan_id)
        .outerjoin(Place, Place.id == TaskOccurrence.place_id)
        .where(
            TaskOccurrence.enterprise_id.in_([e.id for e in enterprises]),
            InspectionPlan.is_active.is_(True),
            or_(TaskOccurrence.place_id.is_(None), Place.is_active.is_(True)),
        )
    )
    if window.overdue:
        query = query.where(
            TaskOccurrence.due_end > window.start, TaskOccurrence.due_end <= window.end
        )
    else:
        query = query.where(
            TaskOccurrence.due_start < window.end, TaskOccurrence.due_end > window.start
        )
    if args.get("place_id") is not None:
        query = query.where(TaskOccurrence.place_id == args["place_id"])
    if args["assignee"] == "me":
        query = query.where(_assigned_to(actor, enterprises))
    stops = {e.id: enterprise_stops(e.id) for e in enterprises}
    rows = db.session.execute(query).all()
    versions = _checklist_versions(rows)
    items = []
    for occurrence, plan, place in rows:
        state = occurrence_state(occurrence, now, stops[occurrence.enterprise_id])
        if window.overdue and state is not scheduling.OccurrenceState.missed:
            continue
        items.append(task_view(occurrence, plan, place, state, versions))
    items.sort(key=_task_order)
    return items


def _task_order(item: dict):
    place = item["place"]
    if place is None:
        return (1, "", 0, item["due_start"], item["id"])
    return (0, place["name"], place["id"], item["due_start"], item["id"])


def _checklist_versions(rows) -> dict[tuple[str, int], str]:
    """The checklist version each task's inspection is to be filled in with, by (code, enterprise)."""
    return checklist_queries.current_hashes(
        (plan.checklist_code, occurrence.enterprise_id) for occurrence, plan, _ in rows
    )


def task_view(
    occurrence: TaskOccurrence,
    plan: InspectionPlan,
    place: Place | None,
    state: scheduling.OccurrenceState,
    versions: dict[tuple[str, int], str],
) -> dict:
    return {
        "id": occurrence.id,
        "plan_id": plan.id,
        "plan_title": plan.title,
        "enterprise_id": occurrence.enterprise_id,
        "checklist_code": plan.checklist_code,
        "checklist_version": versions.get((plan.checklist_code, occurrence.enterprise_id)),
        "profile": plan.profile,
        "item_ids": plan.item_ids,
        "inspection_type": plan.inspection_type,
        "assignee_user_id": plan.assignee_user_id,
        "assignee_role": plan.assignee_role,
        "place": (
            {"id": place.id, "name": place.name, "qr_token": place.qr_token} if place else None
        ),
        "due_start": occurrence.due_start,
        "due_end": occurrence.due_end,
        "state": state.value,
        "done_at": occurrence.done_at,
        "inspection_id": str(occurrence.inspection_id) if occurrence.inspection_id else None,
    }


def place_tasks_today(actor: Actor, place: Place, now: datetime) -> list[dict]:
    """What the caller may still do at this place today: open and upcoming occurrences."""
    enterprise = db.session.get(Enterprise, place.enterprise_id)
    window = task_window("today", now)
    tasks = list_tasks(actor, [enterprise], {"assignee": "me", "place_id": place.id}, window, now)
    wanted = {scheduling.OccurrenceState.open, scheduling.OccurrenceState.upcoming}
    return [t for t in tasks if t["state"] in wanted]


# ---- online operation rate -----------------------------------------------------------------


def rate_period(day_from: date, day_to: date) -> tuple[datetime, datetime]:
    """The local days [day_from, day_to] as [start, end)."""
    return local_midnight(day_from), local_midnight(day_to + timedelta(days=1))


def operation_rate(enterprise_id: int, day_from: date, day_to: date, now: datetime) -> dict:
    """在线运行率 over the occurrences whose window ends inside the period (done on time / due)."""
    start, end = rate_period(day_from, day_to)
    rows = db.session.execute(
        select(TaskOccurrence, InspectionPlan, Place)
        .join(InspectionPlan, InspectionPlan.id == TaskOccurrence.plan_id)
        .outerjoin(Place, Place.id == TaskOccurrence.place_id)
        .where(
            TaskOccurrence.enterprise_id == enterprise_id,
            TaskOccurrence.due_end > start,
            TaskOccurrence.due_end <= end,
        )
    ).all()
    stops = enterprise_stops(enterprise_id)
    states = [occurrence_state(o, now, stops) for o, _, _ in rows]
    counts = {s: states.count(s) for s in scheduling.OccurrenceState}
    done, late, missed = (
        counts[scheduling.OccurrenceState.done],
        counts[scheduling.OccurrenceState.late],
        counts[scheduling.OccurrenceState.missed],
    )
    return {
        "rate": scheduling.online_operation_rate(states),
        "done": done,
        "late": late,
        "missed": missed,
        "counted": done + late + missed,
        "period": {"from": day_from.isoformat(), "to": day_to.isoformat()},
        "lowered_by": _lowered_by(rows, states),
    }


def _lowered_by(rows, states: list[scheduling.OccurrenceState]) -> list[dict]:
    """What lowered the rate: per plan and place, the occurrences missed or done late."""
    losses: dict[tuple, dict] = {}
    for (_, plan, place), state in zip(rows, states, strict=True):
        if state not in (scheduling.OccurrenceState.missed, scheduling.OccurrenceState.late):
            continue
        key = (plan.id, place.id if place else None)
        entry = losses.setdefault(
            key,
            {
                "plan_id": plan.id,
                "plan_title": plan.title,
                "place": _place_ref(place),
                "missed": 0,
                "late": 0,
            },
        )
        entry[state.value] += 1
    return sorted(
        losses.values(), key=lambda e: (-(e["missed"] + e["late"]), e["plan_id"], str(e["place"]))
    )


def _place_ref(place: Place | None) -> dict | None:
    return {"id": place.id, "name": place.name, "qr_token": place.qr_token} if place else None


def occurrence_calendar(
    enterprise_id: int, day_from: date, day_to: date, now: datetime
) -> list[dict]:
    """Every occurrence whose window meets the local days [day_from, day_to], with its state at
    `now` (missed ones included), ordered by window start; the caller checked the scope."""
    start, end = rate_period(day_from, day_to)
    rows = db.session.execute(
        select(TaskOccurrence, InspectionPlan, Place)
        .join(InspectionPlan, InspectionPlan.id == TaskOccurrence.plan_id)
        .outerjoin(Place, Place.id == TaskOccurrence.place_id)
        .where(
            TaskOccurrence.enterprise_id == enterprise_id,
            TaskOccurrence.due_start < end,
            TaskOccurrence.due_end > start,
        )
        .order_by(TaskOccurrence.due_start, TaskOccurrence.id)
    ).all()
    stops = enterprise_stops(enterprise_id)
    versions = _checklist_versions(rows)
    return [
        task_view(occurrence, plan, place, occurrence_state(occurrence, now, stops), versions)
        for occurrence, plan, place in rows
    ]


# ---- printable QR labels -------------------------------------------------------------------


def label_places(actor: Actor, enterprise_id: int, place_ids: list[int]) -> list[Place]:
    """Active places to print (all of them, or the chosen ones), in id order."""
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.INSPECTIONS)
    query = select(Place).where(Place.enterprise_id == enterprise.id, Place.is_active.is_(True))
    if place_ids:
        query = query.where(Place.id.in_(place_ids))
    places = list(db.session.scalars(query.order_by(Place.id)))
    if place_ids and len(places) != len(set(place_ids)):
        raise ValidationFailed(
            "地点不存在或已停用。", [field_error("place_id", "所选地点不存在或已停用。")]
        )
    if not places:
        raise ValidationFailed(
            "没有可打印的地点标签。", [field_error("place_id", "请先登记并启用地点。")]
        )
    return places


def labels_pdf(enterprise: Enterprise, places: list[Place], base_url: str) -> bytes:
    """An A4 sheet of QR labels, 2 × 4 a page: the QR opens the place in the PWA."""
    import segno
    from markupsafe import Markup

    from anxun.reports.render import render_pdf

    labels = [
        {
            "name": place.name,
            "kind": PLACE_KIND_LABELS.get(place.kind, place.kind),
            "token": place.qr_token,
            # segno's inline SVG is generated markup, safe to embed as is.
            "qr": Markup(  # noqa: S704
                segno.make(f"{base_url.rstrip('/')}/#/p/{place.qr_token}", error="m").svg_inline(
                    omitsize=True, border=2
                )
            ),
        }
        for place in places
    ]
    pages = [
        [
            labels[row : row + LABELS_PER_ROW]
            for row in range(start, min(start + LABELS_PER_PAGE, len(labels)), LABELS_PER_ROW)
        ]
        for start in range(0, len(labels), LABELS_PER_PAGE)
    ]
    return render_pdf(
        "place_labels.html",
        {"pages": pages, "enterprise_name": enterprise.name},
        title="风险点（检查点）二维码标签",
        org_name=enterprise.name,
        period=f"共 {len(labels)} 个地点",
    )
