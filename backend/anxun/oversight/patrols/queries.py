"""Read queries for patrols, findings, rectification orders and follow-up checks, scoped per caller.

Patrols: the bureau's own staff, and auditors of the commissioned agency while the engagement is
valid. Orders: the issuing bureau's staff and the enterprise's own staff. Follow-ups: the bureau.
Everything else is 404, so existence does not leak.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import false, or_, select, true

from anxun.accounts.models import User
from anxun.accounts.queries import active_member_ids
from anxun.accounts.roles import Role
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.errors import NotFound
from anxun.core.pagination import paginate
from anxun.evidence import rules as evidence_rules
from anxun.evidence.models import EvidenceRequest
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.queries import CATEGORY_LABELS
from anxun.inspections.models import Place
from anxun.orgs import scoping
from anxun.orgs.models import Agency, Engagement, Enterprise, Regulator
from anxun.oversight.models import (
    FollowUpCheck,
    Patrol,
    PatrolFinding,
    RectificationOrder,
    SpotCheckAssignment,
)
from anxun.oversight.patrols import orders as rules

MSG_PATROL_NOT_FOUND = "未找到该巡查，或您无权查看。"
MSG_FINDING_NOT_FOUND = "未找到该发现，或您无权查看。"
MSG_ORDER_NOT_FOUND = "未找到该整改指令书，或您无权查看。"
MSG_FOLLOW_UP_NOT_FOUND = "未找到该复查，或您无权查看。"


# --- scoping --------------------------------------------------------------------------------


def _agency_patrols(actor: Actor):
    return Patrol.engagement_id.in_(
        select(Engagement.id).where(scoping.valid_engagement(actor.agency_ids))
    )


def patrol_clause(actor: Actor):
    if actor.is_platform_admin:
        return true()
    clauses = []
    if actor.regulator_ids:
        clauses.append(Patrol.regulator_id.in_(actor.regulator_ids))
    if actor.agency_ids:
        clauses.append(_agency_patrols(actor))
    return or_(*clauses) if clauses else false()


def order_clause(actor: Actor):
    if actor.is_platform_admin:
        return true()
    clauses = []
    if actor.regulator_ids:
        clauses.append(RectificationOrder.regulator_id.in_(actor.regulator_ids))
    if actor.enterprise_ids:
        clauses.append(RectificationOrder.enterprise_id.in_(actor.enterprise_ids))
    return or_(*clauses) if clauses else false()


def follow_up_clause(actor: Actor):
    if actor.is_platform_admin:
        return true()
    if actor.regulator_ids:
        return FollowUpCheck.regulator_id.in_(actor.regulator_ids)
    return false()


def get_patrol(actor: Actor, patrol_id: int) -> Patrol:
    patrol = db.session.scalar(select(Patrol).where(Patrol.id == patrol_id, patrol_clause(actor)))
    if patrol is None:
        raise NotFound(MSG_PATROL_NOT_FOUND)
    return patrol


def get_finding(actor: Actor, finding_id) -> PatrolFinding:
    finding = db.session.scalar(
        select(PatrolFinding)
        .join(Patrol, Patrol.id == PatrolFinding.patrol_id)
        .where(PatrolFinding.id == finding_id, patrol_clause(actor))
    )
    if finding is None:
        raise NotFound(MSG_FINDING_NOT_FOUND)
    return finding


def get_order(actor: Actor, order_id: int) -> RectificationOrder:
    order = db.session.scalar(
        select(RectificationOrder).where(RectificationOrder.id == order_id, order_clause(actor))
    )
    if order is None:
        raise NotFound(MSG_ORDER_NOT_FOUND)
    return order


def get_follow_up(actor: Actor, check_id: int) -> FollowUpCheck:
    check = db.session.scalar(
        select(FollowUpCheck).where(FollowUpCheck.id == check_id, follow_up_clause(actor))
    )
    if check is None:
        raise NotFound(MSG_FOLLOW_UP_NOT_FOUND)
    return check


# --- lists ----------------------------------------------------------------------------------


def list_patrols(actor: Actor, args: dict):
    query = select(Patrol).where(patrol_clause(actor))
    for key in ("enterprise_id", "state", "mode"):
        if args.get(key) is not None:
            query = query.where(getattr(Patrol, key) == args[key])
    return paginate(query, [Patrol.opened_at, Patrol.id], args.get("cursor"), args["limit"], True)


def list_orders(actor: Actor, args: dict):
    query = select(RectificationOrder).where(order_clause(actor))
    for key in ("enterprise_id", "state", "patrol_id"):
        if args.get(key) is not None:
            query = query.where(getattr(RectificationOrder, key) == args[key])
    if args.get("escalated") is True:
        query = query.where(RectificationOrder.escalated_at.is_not(None))
    elif args.get("escalated") is False:
        query = query.where(RectificationOrder.escalated_at.is_(None))
    columns = [RectificationOrder.issued_at, RectificationOrder.id]
    return paginate(query, columns, args.get("cursor"), args["limit"], True)


def list_follow_ups(actor: Actor, args: dict) -> list[FollowUpCheck]:
    query = select(FollowUpCheck).where(follow_up_clause(actor))
    if args.get("due_before") is not None:
        query = query.where(FollowUpCheck.scheduled_on <= args["due_before"])
    if args.get("state") is not None:
        query = query.where(FollowUpCheck.state == args["state"])
    if args.get("enterprise_id") is not None:
        query = query.where(FollowUpCheck.enterprise_id == args["enterprise_id"])
    query = query.order_by(FollowUpCheck.scheduled_on, FollowUpCheck.id).limit(args["limit"])
    return list(db.session.scalars(query))


# --- views ----------------------------------------------------------------------------------


def _names(model, ids) -> dict:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    column = model.display_name if model is User else model.name
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(wanted))).all())


def _labelled(code: str | None, labels: dict) -> dict | None:
    return None if code is None else {"code": code, "label": labels.get(code, code)}


def finding_view(finding: PatrolFinding, users: dict | None = None) -> dict:
    users = users or _names(User, [finding.recorded_by_user_id, finding.reviewed_by_user_id])
    hazard = db.session.get(Hazard, finding.hazard_id) if finding.hazard_id else None
    return {
        "id": finding.id,
        "patrol_id": finding.patrol_id,
        "title": finding.title,
        "description": finding.description,
        "basis": finding.basis,
        "proposed_level": _labelled(finding.proposed_level, rules.FINDING_LEVEL_LABELS),
        "category": _labelled(finding.category, CATEGORY_LABELS),
        "deadline": finding.deadline,
        "media_ids": finding.media_ids,
        "state": _labelled(finding.state, rules.FINDING_STATE_LABELS),
        "hazard_id": finding.hazard_id,
        "hazard_state": hazard.state if hazard else None,
        "hazard_deadline": hazard.deadline if hazard else None,
        "recorded_by_user_id": finding.recorded_by_user_id,
        "recorded_by_name": users.get(finding.recorded_by_user_id),
        "recorded_at": finding.recorded_at,
        "reviewed_by_user_id": finding.reviewed_by_user_id,
        "reviewed_by_name": users.get(finding.reviewed_by_user_id),
        "reviewed_at": finding.reviewed_at,
        "review_note": finding.review_note,
    }


def patrol_views(patrols: list[Patrol]) -> list[dict]:
    enterprises = _names(Enterprise, (p.enterprise_id for p in patrols))
    regulators = _names(Regulator, (p.regulator_id for p in patrols))
    users = _names(User, (p.opened_by_user_id for p in patrols))
    agencies = dict(
        db.session.execute(
            select(Engagement.id, Agency.name)
            .join(Agency, Agency.id == Engagement.agency_id)
            .where(Engagement.id.in_({p.engagement_id for p in patrols if p.engagement_id}))
        ).all()
    )
    draws = dict(
        db.session.execute(
            select(SpotCheckAssignment.id, SpotCheckAssignment.draw_id).where(
                SpotCheckAssignment.id.in_(
                    {p.spot_check_assignment_id for p in patrols if p.spot_check_assignment_id}
                )
            )
        ).all()
    )
    return [
        {
            "id": p.id,
            "enterprise_id": p.enterprise_id,
            "enterprise_name": enterprises.get(p.enterprise_id),
            "regulator_id": p.regulator_id,
            "regulator_name": regulators.get(p.regulator_id),
            "mode": _labelled(p.mode, rules.PATROL_MODE_LABELS),
            "is_unannounced": p.is_unannounced,
            "engagement_id": p.engagement_id,
            "agency_name": agencies.get(p.engagement_id),
            "spot_check_assignment_id": p.spot_check_assignment_id,
            "spot_check_draw_id": draws.get(p.spot_check_assignment_id),
            "state": _labelled(p.state, rules.PATROL_STATE_LABELS),
            "summary": p.summary,
            "version": p.version,
            "opened_by_user_id": p.opened_by_user_id,
            "opened_by_name": users.get(p.opened_by_user_id),
            "opened_at": p.opened_at,
            "submitted_at": p.submitted_at,
            "closed_at": p.closed_at,
        }
        for p in patrols
    ]


def patrol_view(patrol: Patrol) -> dict:
    view = patrol_views([patrol])[0]
    findings = db.session.scalars(
        select(PatrolFinding)
        .where(PatrolFinding.patrol_id == patrol.id)
        .order_by(PatrolFinding.recorded_at, PatrolFinding.id)
    ).all()
    users = _names(
        User, [u for f in findings for u in (f.recorded_by_user_id, f.reviewed_by_user_id)]
    )
    view["findings"] = [finding_view(f, users) for f in findings]
    view["order_ids"] = list(
        db.session.scalars(
            select(RectificationOrder.id)
            .where(RectificationOrder.patrol_id == patrol.id)
            .order_by(RectificationOrder.id)
        )
    )
    view["evidence_shortfalls"] = evidence_shortfalls(patrol)
    return view


def evidence_shortfalls(patrol: Patrol) -> list[dict]:
    """The patrol's remote evidence requests answered late or not at all by their deadline
    (issue #16: they count among the patrol's findings), oldest first."""
    requests = db.session.scalars(
        select(EvidenceRequest)
        .where(EvidenceRequest.patrol_id == patrol.id, EvidenceRequest.state != "cancelled")
        .order_by(EvidenceRequest.created_at, EvidenceRequest.id)
    ).all()
    now = clock.now()
    found = []
    for request in requests:
        state = evidence_rules.effective_state(request.state, request.due_at, now)
        mark = evidence_rules.shortfall(state, request.answer.is_late if request.answer else None)
        if mark is None:
            continue
        found.append(
            {
                "request_id": request.id,
                "subject": _evidence_subject(request),
                "text": request.text,
                "due_at": request.due_at,
                "answered_at": request.answer.received_at if request.answer else None,
                "shortfall": _labelled(mark, evidence_rules.SHORTFALL_LABELS),
                "finding_id": request.finding_id,
                "order_id": request.order_id,
            }
        )
    return found


def _evidence_subject(request: EvidenceRequest) -> str:
    if request.place_id is not None:
        return db.session.get(Place, request.place_id).name
    return db.session.get(Hazard, request.hazard_id).title


def _is_overdue(order: RectificationOrder, check: FollowUpCheck | None, today: date) -> bool:
    return (check is None or check.state == "scheduled") and today > order.deadline


def officer_view(user: User) -> dict:
    return {
        "user_id": user.id,
        "display_name": user.display_name,
        "enforcement_certificate_no": user.enforcement_certificate_no,
    }


def order_officers(order: RectificationOrder, people: dict[int, User]) -> list[dict]:
    """The enforcement officers of an order as issued, the issuing officer first (read from the
    accounts only for orders issued before the officers were kept on the order)."""
    if order.officers:
        return list(order.officers)
    ids = [order.issued_by_user_id, order.co_officer_user_id]
    return [officer_view(people[i]) for i in ids if i is not None and i in people]


def officer_ids(regulator_id: int) -> list[int]:
    """The bureau's active enforcement staff (inspectors and admins)."""
    roles = {Role.regulator_inspector.value, Role.regulator_admin.value}
    return active_member_ids(roles, regulator_id=regulator_id)


def list_officers(actor: Actor, regulator_id: int) -> list[User]:
    """The active enforcement staff of one of the caller's bureaus, to choose a co-officer from."""
    if regulator_id not in actor.regulator_ids:
        raise NotFound("未找到该监管部门，或您无权查看。")
    ids = officer_ids(regulator_id)
    return db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()


def order_views(orders: list[RectificationOrder]) -> list[dict]:
    enterprises = _names(Enterprise, (o.enterprise_id for o in orders))
    regulators = _names(Regulator, (o.regulator_id for o in orders))
    users = _names(
        User, [u for o in orders for u in (o.issued_by_user_id, o.acknowledged_by_user_id)]
    )
    officer_ids = {u for o in orders for u in (o.issued_by_user_id, o.co_officer_user_id) if u}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(officer_ids)))}
    checks = {
        c.order_id: c
        for c in db.session.scalars(
            select(FollowUpCheck).where(FollowUpCheck.order_id.in_([o.id for o in orders]))
        )
    }
    today = clock.today_local()
    return [
        {
            "id": o.id,
            "number": o.number,
            "enterprise_id": o.enterprise_id,
            "enterprise_name": enterprises.get(o.enterprise_id),
            "regulator_id": o.regulator_id,
            "regulator_name": regulators.get(o.regulator_id),
            "patrol_id": o.patrol_id,
            "deadline": o.deadline,
            "state": _labelled(o.state, rules.ORDER_STATE_LABELS),
            "version": o.version,
            "issued_by_user_id": o.issued_by_user_id,
            "issued_by_name": users.get(o.issued_by_user_id),
            "co_officer_user_id": o.co_officer_user_id,
            "officers": order_officers(o, people),
            "issued_at": o.issued_at,
            "acknowledged_by_user_id": o.acknowledged_by_user_id,
            "acknowledged_by_name": users.get(o.acknowledged_by_user_id),
            "acknowledged_at": o.acknowledged_at,
            "acknowledgment_note": o.acknowledgment_note,
            "escalated_at": o.escalated_at,
            "is_escalated": o.escalated_at is not None,
            "is_overdue": _is_overdue(o, checks.get(o.id), today),
            "follow_up": follow_up_view(checks[o.id], o) if o.id in checks else None,
        }
        for o in orders
    ]


def order_view(order: RectificationOrder) -> dict:
    view = order_views([order])[0]
    view["basis"] = order.basis
    view["requirements"] = order.requirements
    view["items"] = [
        {
            "position": item.position,
            "hazard_id": item.hazard_id,
            "text": item.text,
            "basis": item.basis,
        }
        for item in order.items
    ]
    return view


def follow_up_view(check: FollowUpCheck, order: RectificationOrder | None = None) -> dict:
    order = order or db.session.get(RectificationOrder, check.order_id)
    return {
        "id": check.id,
        "order_id": check.order_id,
        "order_number": order.number,
        "enterprise_id": check.enterprise_id,
        "regulator_id": check.regulator_id,
        "scheduled_on": check.scheduled_on,
        "state": _labelled(check.state, rules.FOLLOW_UP_STATE_LABELS),
        "result": _labelled(check.result, rules.FOLLOW_UP_RESULT_LABELS),
        "note": check.note,
        "patrol_id": check.patrol_id,
        "performed_by_user_id": check.performed_by_user_id,
        "performed_at": check.performed_at,
    }


def follow_up_views(checks: list[FollowUpCheck]) -> list[dict]:
    enterprises = _names(Enterprise, (c.enterprise_id for c in checks))
    views = []
    for check in checks:
        view = follow_up_view(check)
        view["enterprise_name"] = enterprises.get(check.enterprise_id)
        views.append(view)
    return views
