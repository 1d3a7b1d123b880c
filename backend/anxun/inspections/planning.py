"""Every write about places, inspection plans, stop periods and task occurrences (排查任务).

Occurrences are materialised from a plan by the pure scheduling module, lazily (task list,
operation rate) and by `flask anxun tasks generate`. A change to a plan's schedule, places or
activation first settles the windows due so far under the old settings, drops unfinished windows
that have not started yet, and restarts the schedule (`anchor_at`) so no backlog is invented.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete, func, or_, select

from anxun.accounts.models import Membership, User
from anxun.accounts.roles import ENTERPRISE_ROLES
from anxun.accounts.services import actor_for
from anxun.checklists import queries as checklist_queries
from anxun.checklists.loader import item_index, profile_item_ids
from anxun.core import audit, clock
from anxun.core.auth import SYSTEM, Actor
from anxun.core.errors import Conflict, NotFound, ValidationFailed, field_error
from anxun.extensions import db
from anxun.inspections import scheduling
from anxun.inspections.models import InspectionPlan, Place, StopPeriod, TaskOccurrence
from anxun.inspections.planning_queries import (
    PLANNERS,
    enterprise_stops,
    get_place_for,
    get_plan_for,
    local_midnight,
    stops_covering,
)
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise

# Label codes are typed in by hand when a camera cannot scan: no 0/O, 1/I look-alikes.
TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TOKEN_LENGTH = 8
TOKEN_ATTEMPTS = 20
LOOKAHEAD = timedelta(days=7)  # how far ahead `flask anxun tasks generate` materialises
CHUNK = timedelta(days=31)  # generate() caps its output; long spans are generated in chunks
PLACE_FIELDS = ("name", "kind", "parent_id", "description", "latitude", "longitude", "is_active")
SCHEDULE_FIELDS = (
    "frequency_every",
    "frequency_unit",
    "day_type",
    "work_start",
    "work_end",
    "shifts",
)
SCHEDULE_DEFAULTS = {"day_type": "every_day", "work_start": None, "work_end": None, "shifts": []}


def _planner_enterprise(actor: Actor, enterprise_id: int) -> Enterprise:
    """Enterprise writes: its head or safety officer (or a platform admin); others 403/404."""
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    scoping.require_enterprise_role(actor, enterprise, set(PLANNERS))
    return enterprise


# ---- places ------------------------------------------------------------------------------


def new_qr_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def _unused_token() -> str:
    for _ in range(TOKEN_ATTEMPTS):
        token = new_qr_token()
        if db.session.scalar(select(Place.id).where(Place.qr_token == token)) is None:
            return token
    raise RuntimeError("no unused QR token found")


def _place_problems(enterprise_id: int, data: dict, place: Place | None = None) -> list[dict]:
    errors = []
    if "name" in data:
        name = data["name"].strip()
        taken = db.session.scalar(
            select(Place.id).where(Place.enterprise_id == enterprise_id, Place.name == name)
        )
        if not name:
            errors.append(field_error("name", "名称不能为空。"))
        elif taken is not None and (place is None or taken != place.id):
            errors.append(field_error("name", "本企业已有同名地点。"))
    if data.get("parent_id") is not None:
        parent = db.session.get(Place, data["parent_id"])
        if parent is None or parent.enterprise_id != enterprise_id:
            errors.append(field_error("parent_id", "上级地点不存在。"))
        elif place is not None and _is_within(parent, place.id):
            errors.append(field_error("parent_id", "上级地点不能是该地点本身或其下级地点。"))
    latitude = data["latitude"] if "latitude" in data else getattr(place, "latitude", None)
    longitude = data["longitude"] if "longitude" in data else getattr(place, "longitude", None)
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        errors.append(field_error(missing, "经度和纬度须同时填写。"))
    return errors


def _is_within(candidate: Place, place_id: int) -> bool:
    """Whether `candidate` is the place itself or lies below it."""
    seen = set()
    while candidate is not None and candidate.id not in seen:
        if candidate.id == place_id:
            return True
        seen.add(candidate.id)
        candidate = db.session.get(Place, candidate.parent_id) if candidate.parent_id else None
    return False


def _place_snapshot(place: Place) -> dict:
    return {k: getattr(place, k) for k in (*PLACE_FIELDS, "qr_token")}


def create_place(actor: Actor, enterprise_id: int, data: dict) -> Place:
    """Register a place (风险点/检查点) with a fresh label code."""
    enterprise = _planner_enterprise(actor, enterprise_id)
    errors = _place_problems(enterprise.id, data)
    if errors:
        raise ValidationFailed("地点信息有误。", errors)
    place = Place(
        enterprise_id=enterprise.id,
        name=data["name"].strip(),
        kind=data["kind"],
        parent_id=data.get("parent_id"),
        description=data.get("description", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        qr_token=_unused_token(),
        is_active=True,
    )
    db.session.add(place)
    db.session.flush()
    audit.record(actor, "create_place", "place", place.id, _place_snapshot(place))
    return place


def update_place(actor: Actor, place_id: int, data: dict) -> Place:
    """Correct a place or (de)activate it; deactivation drops its windows not yet started."""
    place = get_place_for(actor, place_id)
    _planner_enterprise(actor, place.enterprise_id)
    errors = _place_problems(place.enterprise_id, data, place)
    if errors:
        raise ValidationFailed("地点信息有误。", errors)
    now = clock.now()
    before = _place_snapshot(place)
    reactivated = data.get("is_active") is True and not place.is_active
    plans = _active_plans_with(place.id) if reactivated else []
    for plan in plans:
        materialize_occurrences(plan, now)
    for key in PLACE_FIELDS:
        if key in data:
            setattr(place, key, data[key].strip() if key == "name" else data[key])
    if data.get("is_active") is False and before["is_active"]:
        _drop_unstarted(now, place_ids={place.id})
    for plan in plans:
        plan.anchor_at = now
    db.session.flush()
    after = _place_snapshot(place)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit.record(actor, "update_place", "place", place.id, diff)
    return place


def _active_plans_with(place_id: int) -> list[InspectionPlan]:
    return list(
        db.session.scalars(
            select(InspectionPlan)
            .where(
                InspectionPlan.is_active.is_(True), InspectionPlan.places.any(Place.id == place_id)
            )
            .order_by(InspectionPlan.id)
        )
    )


def get_place(enterprise_id: int, place_id: int) -> Place:
    """A place of this enterprise, for records that name one (422 otherwise)."""
    place = db.session.get(Place, place_id)
    if place is None or place.enterprise_id != enterprise_id:
        raise ValidationFailed(
            "地点不存在。", [field_error("place_id", "地点不存在或不属于本企业。")]
        )
    return place


# ---- inspection plans ----------------------------------------------------------------------


def _checklist_problems(enterprise: Enterprise, data: dict) -> list[dict]:
    try:
        version = checklist_queries.get_version(data["checklist_code"], None, enterprise)
    except NotFound:
        return [field_error("checklist_code", "未找到该检查表，或本企业不能使用。")]
    doc = version.document
    if data.get("profile") is not None:
        try:
            profile_item_ids(doc, data["profile"])
        except KeyError:
            return [field_error("profile", "检查表中没有该简版。")]
    if data.get("item_ids") is not None:
        items = item_index(doc)
        unknown = [i for i in data["item_ids"] if i not in items]
        if unknown:
            shown = "、".join(unknown[:10]) + ("等" if len(unknown) > 10 else "")
            return [field_error("item_ids", f"检查表中没有这些检查项：{shown}。")]
        if len(set(data["item_ids"])) != len(data["item_ids"]):
            return [field_error("item_ids", "检查项不能重复。")]
    return []


def _assignee_problems(enterprise_id: int, user_id: int) -> list[dict]:
    staff = db.session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == user_id,
            Membership.enterprise_id == enterprise_id,
            Membership.role.in_(sorted(str(r) for r in ENTERPRISE_ROLES)),
            User.is_active.is_(True),
        )
        .limit(1)
    )
    if staff is None:
        return [field_error("assignee_user_id", "排查人员须是本企业在职人员。")]
    return []


def _stored_shifts(shifts: list[dict]) -> list[dict]:
    return [
        {"name": s["name"], "start": s["start"].isoformat(), "end": s["end"].isoformat()}
        for s in shifts
    ]


def _schedule_values(plan: InspectionPlan) -> dict:
    return {
        "frequency_every": plan.frequency_every,
        "frequency_unit": plan.frequency_unit,
        "day_type": plan.day_type,
        "work_start": plan.work_start,
        "work_end": plan.work_end,
        "shifts": list(plan.shifts or []),
    }


def _schedule_field(message: str) -> str:
    if "周期数" in message:
        return "frequency_every"
    if "周期单位" in message:
        return "frequency_unit"
    if "班次" in message:
        return "shifts"
    if "结束时间必须晚于" in message:
        return "work_end"
    if "工作" in message:
        return "work_start"
    return "day_type"


def schedule_of(values: dict) -> tuple[scheduling.Frequency, scheduling.WorkCalendar]:
    """The pure module's frequency and calendar for stored schedule values (ValueError if bad)."""
    shifts = tuple(
        scheduling.Shift(s["name"], time.fromisoformat(s["start"]), time.fromisoformat(s["end"]))
        for s in values["shifts"]
    )
    frequency = scheduling.Frequency(values["frequency_every"], values["frequency_unit"])
    calendar = scheduling.WorkCalendar(
        day_type=values["day_type"],
        work_start=values["work_start"],
        work_end=values["work_end"],
        shifts=shifts,
    )
    # generate() holds the unit-specific rules (hourly needs hours, per-shift needs shifts).
    probe = clock.now()
    scheduling.generate(probe, frequency, calendar, (), probe, probe + timedelta(days=1))
    return frequency, calendar


def _schedule_problems(values: dict) -> list[dict]:
    try:
        schedule_of(values)
    except ValueError as exc:
        return [field_error(_schedule_field(str(exc)), str(exc))]
    return []


def _plan_places(enterprise_id: int, place_ids: list[int], errors: list[dict]) -> list[Place]:
    if len(set(place_ids)) != len(place_ids):
        errors.append(field_error("place_ids", "地点不能重复。"))
        return []
    found = {p.id: p for p in db.session.scalars(select(Place).where(Place.id.in_(place_ids)))}
    foreign = [i for i in place_ids if i not in found or found[i].enterprise_id != enterprise_id]
    if foreign:
        errors.append(field_error("place_ids", "地点不存在或不属于本企业。"))
        return []
    if any(not found[i].is_active for i in place_ids):
        errors.append(field_error("place_ids", "已停用的地点不能加入排查计划。"))
        return []
    return sorted((found[i] for i in place_ids), key=lambda p: p.id)


def _plan_snapshot(plan: InspectionPlan) -> dict:
    return {
        "title": plan.title,
        "checklist_code": plan.checklist_code,
        "profile": plan.profile,
        "item_ids": plan.item_ids,
        "inspection_type": plan.inspection_type,
        **{
            k: v.isoformat() if isinstance(v, time) else v
            for k, v in _schedule_values(plan).items()
        },
        "anchor_at": plan.anchor_at.isoformat(),
        "assignee_user_id": plan.assignee_user_id,
        "assignee_role": plan.assignee_role,
        "place_ids": [p.id for p in plan.places],
        "is_active": plan.is_active,
    }


def create_plan(actor: Actor, enterprise_id: int, data: dict) -> InspectionPlan:
    """An inspection task (排查任务): checklist, places, assignee, type and frequency."""
    enterprise = _planner_enterprise(actor, enterprise_id)
    errors = _checklist_problems(enterprise, data)
    if data["assignee_user_id"] is not None:
        errors += _assignee_problems(enterprise.id, data["assignee_user_id"])
    values = {**SCHEDULE_DEFAULTS, **{k: data[k] for k in SCHEDULE_FIELDS if k in data}}
    values["shifts"] = _stored_shifts(values["shifts"])
    errors += _schedule_problems(values)
    places = _plan_places(enterprise.id, data["place_ids"], errors)
    now = clock.now()
    anchor = data["anchor_at"] or now
    if anchor < local_midnight(clock.today_local()):
        errors.append(field_error("anchor_at", "开始时间不能早于今天。"))
    if errors:
        raise ValidationFailed("排查计划有误。", errors)
    plan = InspectionPlan(
        enterprise_id=enterprise.id,
        title=data["title"].strip(),
        checklist_code=data["checklist_code"],
        profile=data["profile"],
        item_ids=data["item_ids"],
        inspection_type=data["inspection_type"],
        anchor_at=anchor,
        assignee_user_id=data["assignee_user_id"],
        assignee_role=data["assignee_role"],
        is_active=True,
        created_by_user_id=actor.user_id,
        **values,
    )
    plan.places = places
    db.session.add(plan)
    db.session.flush()
    audit.record(actor, "create_plan", "inspection_plan", plan.id, _plan_snapshot(plan))
    return plan


def _targets(places: list[Place]) -> set[int | None]:
    """Where a plan's occurrences fall: its active places, or the whole enterprise (None)."""
    if not places:
        return {None}
    return {p.id for p in places if p.is_active}


def update_plan(actor: Actor, plan_id: int, data: dict) -> InspectionPlan:
    """Change title, assignee, places, frequency or activation of a plan."""
    plan = get_plan_for(actor, plan_id)
    _planner_enterprise(actor, plan.enterprise_id)
    errors = []
    if data.get("assignee_user_id") is not None:
        errors += _assignee_problems(plan.enterprise_id, data["assignee_user_id"])
    current = _schedule_values(plan)
    incoming = {k: data[k] for k in SCHEDULE_FIELDS if k in data}
    if "shifts" in incoming:
        incoming["shifts"] = _stored_shifts(incoming["shifts"])
    values = {**current, **incoming}
    schedule_changed = values != current
    if schedule_changed:
        errors += _schedule_problems(values)
    places = (
        _plan_places(plan.enterprise_id, data["place_ids"], errors) if "place_ids" in data else None
    )
    if errors:
        raise ValidationFailed("排查计划有误。", errors)

    now = clock.now()
    before = _plan_snapshot(plan)
    activation = data.get("is_active", plan.is_active)
    old_targets = _targets(plan.places)
    new_targets = _targets(places) if places is not None else old_targets
    if plan.is_active and (schedule_changed or new_targets != old_targets or not activation):
        materialize_occurrences(plan, now)  # windows due so far count under the old settings

    if "title" in data:
        plan.title = data["title"].strip()
    if "assignee_user_id" in data or "assignee_role" in data:
        plan.assignee_user_id = data.get("assignee_user_id")
        plan.assignee_role = data.get("assignee_role")
    if places is not None:
        plan.places = places
        if old_targets - new_targets:
            _drop_unstarted(now, plan_id=plan.id, place_ids=old_targets - new_targets)
    if schedule_changed:
        for key, value in values.items():
            setattr(plan, key, value)
        _drop_unstarted(now, plan_id=plan.id)
        # The new frequency takes over when the windows already running have ended.
        running_end = db.session.scalar(
            select(func.max(TaskOccurrence.due_end)).where(TaskOccurrence.plan_id == plan.id)
        )
        plan.anchor_at = max(now, _aware(running_end)) if running_end else now
    elif new_targets - old_targets or (activation and not plan.is_active):
        plan.anchor_at = now
    if not activation and plan.is_active:
        _drop_unstarted(now, plan_id=plan.id)
    plan.is_active = activation
    db.session.flush()
    after = _plan_snapshot(plan)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit.record(actor, "update_plan", "inspection_plan", plan.id, diff)
    return plan


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _drop_unstarted(
    now: datetime, *, plan_id: int | None = None, place_ids: set[int | None] | None = None
) -> None:
    """Delete unfinished occurrences whose window has not started (they are no longer due)."""
    query = delete(TaskOccurrence).where(
        TaskOccurrence.done_at.is_(None), TaskOccurrence.due_start > now
    )
    if plan_id is not None:
        query = query.where(TaskOccurrence.plan_id == plan_id)
    if place_ids is not None:
        ids = [i for i in place_ids if i is not None]
        clauses = [TaskOccurrence.place_id.in_(ids)] if ids else []
        if None in place_ids:
            clauses.append(TaskOccurrence.place_id.is_(None))
        query = query.where(or_(*clauses))
    db.session.execute(query, execution_options={"synchronize_session": "fetch"})


# ---- stop periods --------------------------------------------------------------------------


def create_stop_period(actor: Actor, enterprise_id: int, data: dict) -> StopPeriod:
    """A shutdown or overhaul (停用/检修) of a place or the whole enterprise: windows wholly
    inside it are not due. It may start no earlier than today and must not be over already."""
    enterprise = _planner_enterprise(actor, enterprise_id)
    errors = []
    if data["place_id"] is not None:
        place = db.session.get(Place, data["place_id"])
        if place is None or place.enterprise_id != enterprise.id:
            errors.append(field_error("place_id", "地点不存在或不属于本企业。"))
    now = clock.now()
    if data["start_at"] < local_midnight(clock.today_local()):
        errors.append(field_error("start_at", "开始时间不能早于今天。"))
    if data["end_at"] <= now:
        errors.append(field_error("end_at", "不能登记已经结束的停用/检修。"))
    if errors:
        raise ValidationFailed("停用/检修信息有误。", errors)
    stop = StopPeriod(
        enterprise_id=enterprise.id,
        place_id=data["place_id"],
        start_at=data["start_at"],
        end_at=data["end_at"],
        reason=data["reason"].strip(),
    )
    db.session.add(stop)
    db.session.flush()
    audit.record(
        actor,
        "create_stop_period",
        "stop_period",
        stop.id,
        {
            "place_id": stop.place_id,
            "start_at": stop.start_at.isoformat(),
            "end_at": stop.end_at.isoformat(),
            "reason": stop.reason,
        },
    )
    return stop


# ---- task occurrences ----------------------------------------------------------------------


def _generation_start(plan: InspectionPlan, place_id: int | None) -> datetime:
    last = db.session.scalar(
        select(func.max(TaskOccurrence.due_start)).where(
            TaskOccurrence.plan_id == plan.id,
            TaskOccurrence.place_id == place_id
            if place_id is not None
            else TaskOccurrence.place_id.is_(None),
        )
    )
    return max(plan.anchor_at, _aware(last)) if last else plan.anchor_at


def materialize_occurrences(plan: InspectionPlan, until: datetime) -> int:
    """Insert the plan's occurrences due before `until`, per place, idempotently.

    Generation resumes at max(anchor_at, the last window generated) and skips windows wholly
    inside stop periods of the place or of the whole enterprise. Returns how many were added.
    """
    if not plan.is_active or until <= plan.anchor_at:
        return 0
    # Concurrent requests materialise the same plan one after the other (row lock on PostgreSQL).
    db.session.execute(
        select(InspectionPlan.id).where(InspectionPlan.id == plan.id).with_for_update()
    )
    frequency, calendar = schedule_of(_schedule_values(plan))
    stops = enterprise_stops(plan.enterprise_id)
    added = 0
    for place_id in sorted(_targets(plan.places), key=lambda i: (i is None, i or 0)):
        start = _generation_start(plan, place_id)
        if start >= until:
            continue
        same_place = (
            TaskOccurrence.place_id == place_id
            if place_id is not None
            else TaskOccurrence.place_id.is_(None)
        )
        existing = set(
            map(
                _aware,
                db.session.scalars(
                    select(TaskOccurrence.due_start).where(
                        TaskOccurrence.plan_id == plan.id,
                        same_place,
                        TaskOccurrence.due_end > start,
                    )
                ),
            )
        )
        covering = stops_covering(stops, place_id)
        chunk_start = start
        while chunk_start < until:
            chunk_end = min(chunk_start + CHUNK, until)
            for occ in scheduling.generate(
                plan.anchor_at, frequency, calendar, covering, chunk_start, chunk_end
            ):
                if occ.due_start in existing:
                    continue
                existing.add(occ.due_start)
                db.session.add(
                    TaskOccurrence(
                        plan_id=plan.id,
                        enterprise_id=plan.enterprise_id,
                        place_id=place_id,
                        due_start=occ.due_start.astimezone(UTC),
                        due_end=occ.due_end.astimezone(UTC),
                    )
                )
                added += 1
            chunk_start = chunk_end
    if added:
        db.session.flush()
        audit.record(
            SYSTEM,
            "materialize_occurrences",
            "inspection_plan",
            plan.id,
            {"until": until.astimezone(UTC).isoformat(), "added": added},
        )
    return added


def materialize_enterprise(enterprise_id: int, until: datetime) -> int:
    """Materialise every active plan of one enterprise up to `until`."""
    plans = db.session.scalars(
        select(InspectionPlan)
        .where(InspectionPlan.enterprise_id == enterprise_id, InspectionPlan.is_active.is_(True))
        .order_by(InspectionPlan.id)
    ).all()
    return sum(materialize_occurrences(plan, until) for plan in plans)


def materialize_all(until: datetime) -> int:
    """Materialise every active plan up to `until` (the CLI, from cron)."""
    plans = db.session.scalars(
        select(InspectionPlan).where(InspectionPlan.is_active.is_(True)).order_by(InspectionPlan.id)
    ).all()
    return sum(materialize_occurrences(plan, until) for plan in plans)


def complete_occurrence(occurrence_id: int, inspection, enterprise_id: int) -> TaskOccurrence:
    """Mark an occurrence done by an inspection (its finish time is the completion time).

    The same inspection again is a no-op; another inspection is 409; another enterprise's
    occurrence is 422.
    """
    occurrence = db.session.scalar(
        select(TaskOccurrence)
        .where(TaskOccurrence.id == occurrence_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if occurrence is None or occurrence.enterprise_id != enterprise_id:
        raise ValidationFailed(
            "排查任务不存在。",
            [field_error("task_occurrence_id", "排查任务不存在或不属于本企业。")],
        )
    if occurrence.inspection_id is not None:
        if occurrence.inspection_id == inspection.id:
            return occurrence
        raise Conflict(
            "该排查任务已由另一份检查记录完成。",
            [field_error("task_occurrence_id", "该排查任务已由另一份检查记录完成。")],
        )
    if _aware(inspection.finished_at) < occurrence.due_start:
        raise ValidationFailed(
            "检查完成时间早于该排查任务的开始时间。",
            [field_error("finished_at", "检查完成时间早于该排查任务的开始时间。")],
        )
    occurrence.done_at = inspection.finished_at
    occurrence.inspection_id = inspection.id
    db.session.flush()
    audit.record(
        _inspector(inspection),
        "complete_occurrence",
        "task_occurrence",
        occurrence.id,
        {
            "inspection_id": str(inspection.id),
            "done_at": _aware(inspection.finished_at).isoformat(),
        },
    )
    return occurrence


def _inspector(inspection) -> Actor:
    user = db.session.get(User, inspection.inspector_user_id)
    return actor_for(user) if user is not None else SYSTEM
