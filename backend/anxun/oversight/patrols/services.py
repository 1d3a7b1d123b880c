"""Every write of online patrols: patrols, findings, rectification orders, 签收, escalation, 回头看.

安全生产法 第六十五条 (domain.md §4, [C]): the supervising department orders hazards found on an
inspection rectified within a time limit (责令限期整改); 16号令 makes regulator-found hazards part of
the enterprise's own closed loop. A regulator's finding therefore becomes a confirmed hazard at once;
an agency's finding (委托第三方网上巡查) waits for the regulator's approval.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from anxun.accounts.models import User
from anxun.accounts.queries import active_member_ids
from anxun.accounts.roles import Role
from anxun.core import audit, clock
from anxun.core.auth import SYSTEM, Actor
from anxun.core.errors import (
    Conflict,
    Forbidden,
    MissingMedia,
    NotFound,
    StaleState,
    ValidationFailed,
    field_error,
)
from anxun.extensions import db
from anxun.hazards import services as hazard_services
from anxun.hazards.models import Hazard
from anxun.inspections.media import missing_media
from anxun.notifications import services as notifications
from anxun.orgs import scoping
from anxun.orgs.models import Engagement, EngagementEnterprise, Enterprise, Regulator
from anxun.outbox.enqueue import enqueue
from anxun.oversight import numbering
from anxun.oversight.models import (
    FollowUpCheck,
    Patrol,
    PatrolFinding,
    RectificationOrder,
    RectificationOrderItem,
    SpotCheckAssignment,
    SpotCheckDraw,
)
from anxun.oversight.patrols import orders as rules
from anxun.oversight.patrols import queries as patrol_queries

STAFF = frozenset({Role.regulator_inspector.value, Role.regulator_admin.value})
DEFAULT_CATEGORY = "management"

MSG_NOT_REGULATOR = "只有管辖该企业的监管部门执法人员可以执行此操作。"
MSG_NO_ENGAGEMENT = "未找到有效的监管部门委托项目，或该企业不在委托范围内。"
MSG_DEADLINE_PAST = "整改期限不能早于今天。"
MSG_DEADLINE_MISSING = "请填写整改期限。"
MSG_PATROL_NOT_OPEN = "该巡查已提交或已结束，不能再记录发现。"
MSG_FINDING_ID_TAKEN = "该发现编号已用于另一条发现。"
MSG_PROPOSED_LEFT = "该巡查尚有待审核的第三方机构发现，请先审核。"
MSG_STALE_FINDING = "该发现已被审核，请刷新后重试。"
MSG_STALE_PATROL = "该巡查状态已变化，请刷新后重试。"
MSG_STALE_ORDER = "该整改指令书状态已变化，请刷新后重试。"
MSG_HEAD_ONLY = "只有企业主要负责人可以签收整改指令书。"
MSG_NOT_ACKNOWLEDGED = "整改指令书尚未签收，不能记录复查结果。"
MSG_FOLLOW_UP_DONE = "该复查已记录结果，请刷新后重试。"
MSG_CO_OFFICER_SELF = "请另选一名执法人员：执法人员不得少于两人，且不能是同一人。"
MSG_CO_OFFICER_UNKNOWN = "该人员不是本部门在职的执法人员。"
MSG_CO_OFFICER_NO_CERT = "该执法人员未登记执法证号，不能参与执法。"
MSG_ISSUER_NO_CERT = "您的账户未登记执法证号，不能下达整改指令书。"


# --- helpers --------------------------------------------------------------------------------


def _members(enterprise_id: int, roles: set[str]) -> list[int]:
    return active_member_ids(roles, enterprise_id=enterprise_id)


def _regulator_staff(regulator_id: int) -> list[int]:
    return active_member_ids(STAFF, regulator_id=regulator_id)


def active_engagement(
    actor: Actor, enterprise_id: int, engagement_id: int | None
) -> Engagement | None:
    """A regulator-commissioned engagement of the actor's agency, valid today, naming the
    enterprise (the one asked for, or the first by id)."""
    if not actor.agency_ids:
        return None
    query = (
        select(Engagement)
        .join(EngagementEnterprise, EngagementEnterprise.engagement_id == Engagement.id)
        .where(
            scoping.valid_engagement(actor.agency_ids),
            Engagement.commissioned_by == "regulator",
            EngagementEnterprise.enterprise_id == enterprise_id,
        )
        .order_by(Engagement.id)
    )
    if engagement_id is not None:
        query = query.where(Engagement.id == engagement_id)
    return db.session.scalars(query).first()


def _require_staff(actor: Actor, regulator_id: int) -> None:
    if not actor.regulator_roles(regulator_id) & STAFF:
        raise Forbidden(MSG_NOT_REGULATOR)


def require_patrol_writer(actor: Actor, patrol: Patrol) -> None:
    """Regulator patrols: staff of that regulator. Agency patrols: auditors of the agency, while
    the engagement is valid (outside it the patrol is out of scope: 404)."""
    if patrol.engagement_id is None:
        _require_staff(actor, patrol.regulator_id)
        return
    if active_engagement(actor, patrol.enterprise_id, patrol.engagement_id) is None:
        if actor.agency_ids:
            raise NotFound(MSG_NO_ENGAGEMENT)
        raise Forbidden("只有受委托的第三方机构可以在该巡查中记录发现。")


def _basis_for_hazard(basis: list[dict]) -> list[dict]:
    """API basis rows {document, clause} in the hazard's own {doc, clause} shape."""
    return [{"doc": row["document"], "clause": row.get("clause") or None} for row in basis]


def _claim(model, row) -> None:
    """Bump `version` only if nobody else did since we read it (the loser gets 409)."""
    claimed = db.session.execute(
        update(model)
        .where(model.id == row.id, model.version == row.version)
        .values(version=row.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StaleState("记录已被他人修改，请刷新后重试。")
    row.version += 1


def _check_deadline(deadline, field: str = "deadline") -> None:
    if deadline < clock.today_local():
        raise ValidationFailed(MSG_DEADLINE_PAST, [field_error(field, MSG_DEADLINE_PAST)])


# --- patrols --------------------------------------------------------------------------------


def open_patrol(actor: Actor, data: dict) -> Patrol:
    """Open an online patrol or on-site inspection (四不两直 when unannounced).

    Regulator staff patrol enterprises their bureau covers; an agency auditor patrols on the
    commissioning regulator's behalf, only within a valid engagement naming the enterprise.
    """
    enterprise = scoping.get_enterprise(actor, data["enterprise_id"], scoping.READ)
    engagement = None
    regulator = None
    if data.get("engagement_id") is None:
        regulator = scoping.covering_regulator(actor, enterprise)
    if regulator is None:
        if not actor.agency_ids:
            if data.get("engagement_id") is not None:
                raise NotFound(MSG_NO_ENGAGEMENT)
            raise Forbidden(MSG_NOT_REGULATOR)
        engagement = active_engagement(actor, enterprise.id, data.get("engagement_id"))
        if engagement is None:
            raise NotFound(MSG_NO_ENGAGEMENT)
        regulator = db.session.get(Regulator, engagement.regulator_id)

    errors = []
    if data.get("is_unannounced") and data["mode"] != "on_site":
        errors.append(field_error("is_unannounced", "“四不两直”只适用于现场检查。"))
    assignment_id = data.get("spot_check_assignment_id")
    if assignment_id is not None:
        assignment = db.session.get(SpotCheckAssignment, assignment_id)
        draw = db.session.get(SpotCheckDraw, assignment.draw_id) if assignment else None
        if (
            assignment is None
            or assignment.enterprise_id != enterprise.id
            or draw.regulator_id != regulator.id
        ):
            errors.append(field_error("spot_check_assignment_id", "该抽查任务不属于该企业。"))
    if errors:
        raise ValidationFailed("请检查标出的字段。", errors)

    patrol = Patrol(
        enterprise_id=enterprise.id,
        regulator_id=regulator.id,
        mode=data["mode"],
        is_unannounced=bool(data.get("is_unannounced")),
        engagement_id=engagement.id if engagement else None,
        spot_check_assignment_id=assignment_id,
        state="open",
        summary="",
        version=1,
        opened_by_user_id=actor.user_id,
        opened_at=clock.now(),
    )
    db.session.add(patrol)
    db.session.flush()
    audit.record(
        actor,
        "open_patrol",
        "patrol",
        patrol.id,
        {
            "enterprise_id": enterprise.id,
            "regulator_id": regulator.id,
            "mode": patrol.mode,
            "is_unannounced": patrol.is_unannounced,
            "engagement_id": patrol.engagement_id,
            "spot_check_assignment_id": assignment_id,
        },
    )
    return patrol


def _same_finding(finding: PatrolFinding, patrol: Patrol, actor: Actor, data: dict) -> bool:
    return (
        finding.patrol_id == patrol.id
        and finding.recorded_by_user_id == actor.user_id
        and finding.title == data["title"].strip()
        and finding.description == (data.get("description") or "").strip()
        and finding.basis == data["basis"]
        and finding.proposed_level == data["proposed_level"]
        and finding.category == (data.get("category") or DEFAULT_CATEGORY)
        and finding.deadline == data.get("deadline")
        and finding.media_ids == [str(p) for p in data.get("media_ids") or []]
    )


def record_finding(actor: Actor, patrol: Patrol, data: dict) -> tuple[PatrolFinding, bool]:
    """Record a finding under its client UUID; returns (finding, created).

    The finding keeps the finder's category and deadline. A regulator's finding becomes a
    confirmed hazard (source regulator) with the finding's level, category and deadline, so it
    needs a deadline; an agency's finding is proposed (the deadline optional) and waits for the
    regulator's review.
    """
    require_patrol_writer(actor, patrol)
    existing = db.session.get(PatrolFinding, data["id"])
    if existing is not None:
        if _same_finding(existing, patrol, actor, data):
            return existing, False
        raise Conflict(MSG_FINDING_ID_TAKEN, [field_error("id", MSG_FINDING_ID_TAKEN)])
    if patrol.state != "open":
        raise Conflict(MSG_PATROL_NOT_OPEN, current_state=patrol.state)
    deadline = data.get("deadline")
    if deadline is None:
        if patrol.engagement_id is None:
            raise ValidationFailed(
                MSG_DEADLINE_MISSING, [field_error("deadline", MSG_DEADLINE_MISSING)]
            )
    else:
        _check_deadline(deadline)
    enterprise = db.session.get(Enterprise, patrol.enterprise_id)
    media_ids = [str(p) for p in data.get("media_ids") or []]
    missing = missing_media(enterprise.id, media_ids)
    if missing:
        raise MissingMedia(missing)

    now = clock.now()
    finding = PatrolFinding(
        id=data["id"],
        patrol_id=patrol.id,
        title=data["title"].strip(),
        description=(data.get("description") or "").strip(),
        basis=data["basis"],
        proposed_level=data["proposed_level"],
        category=data.get("category") or DEFAULT_CATEGORY,
        deadline=deadline,
        media_ids=media_ids,
        state="proposed",
        recorded_by_user_id=actor.user_id,
        recorded_at=now,
        review_note="",
    )
    if patrol.engagement_id is None:
        hazard = _finding_hazard(
            actor,
            enterprise,
            finding,
            "regulator",
            finding.proposed_level,
            finding.category,
            deadline,
        )
        finding.state = "accepted"
        finding.hazard_id = hazard.id
        finding.reviewed_by_user_id = actor.user_id
        finding.reviewed_at = now
    db.session.add(finding)
    db.session.flush()
    audit.record(
        actor,
        "record_patrol_finding",
        "patrol_finding",
        finding.id,
        {
            "patrol_id": patrol.id,
            "title": finding.title,
            "proposed_level": finding.proposed_level,
            "state": finding.state,
            "hazard_id": str(finding.hazard_id) if finding.hazard_id else None,
        },
    )
    return finding, True


def _finding_hazard(
    actor: Actor,
    enterprise: Enterprise,
    finding: PatrolFinding,
    source: str,
    level: str,
    category: str,
    deadline,
) -> Hazard:
    return hazard_services.report_oversight_finding(
        actor,
        enterprise,
        {
            "title": finding.title,
            "description": finding.description,
            "media_ids": finding.media_ids,
            "basis": _basis_for_hazard(finding.basis),
            "level": level,
            "category": category,
            "deadline": deadline,
        },
        source=source,
    )


def review_finding(actor: Actor, finding: PatrolFinding, data: dict) -> PatrolFinding:
    """The regulator accepts an agency's proposed finding (→ confirmed hazard, source agency) or
    rejects it with a note. `expected_state` is the finding state the reviewer saw.

    Accepting uses the finder's proposed level, category and deadline unless the reviewer gives
    their own; a deadline is needed from one of the two.
    """
    patrol = db.session.get(Patrol, finding.patrol_id)
    _require_staff(actor, patrol.regulator_id)
    db.session.refresh(finding, with_for_update=True)
    if finding.state != data["expected_state"] or finding.state != "proposed":
        raise StaleState(MSG_STALE_FINDING, current_state=finding.state)
    note = (data.get("note") or "").strip()
    decided = {}
    if data["decision"] == "accept":
        deadline = data.get("deadline") or finding.deadline
        if deadline is None:
            raise ValidationFailed(
                MSG_DEADLINE_MISSING, [field_error("deadline", MSG_DEADLINE_MISSING)]
            )
        _check_deadline(deadline)
        decided = {
            "level": data.get("level") or finding.proposed_level,
            "category": data.get("category") or finding.category or DEFAULT_CATEGORY,
            "deadline": deadline,
        }
        enterprise = db.session.get(Enterprise, patrol.enterprise_id)
        hazard = _finding_hazard(actor, enterprise, finding, "agency", **decided)
        decided["deadline"] = deadline.isoformat()
        finding.hazard_id = hazard.id
        finding.state = "accepted"
    else:
        if not note:
            message = "请填写不予采纳的理由。"
            raise ValidationFailed(message, [field_error("note", message)])
        finding.state = "rejected"
    finding.reviewed_by_user_id = actor.user_id
    finding.reviewed_at = clock.now()
    finding.review_note = note
    db.session.flush()
    audit.record(
        actor,
        "review_patrol_finding",
        "patrol_finding",
        finding.id,
        {
            "patrol_id": patrol.id,
            "decision": data["decision"],
            "state": finding.state,
            "note": note,
            **decided,
            "hazard_id": str(finding.hazard_id) if finding.hazard_id else None,
        },
    )
    return finding


def submit_patrol(actor: Actor, patrol: Patrol, data: dict) -> Patrol:
    """An agency hands its patrol to the commissioning regulator for review."""
    if patrol.engagement_id is None:
        raise Conflict("只有第三方机构的委托巡查需要提交。")
    require_patrol_writer(actor, patrol)
    if patrol.state != data["expected_state"] or patrol.state != "open":
        raise StaleState(MSG_STALE_PATROL, current_state=patrol.state)
    _claim(Patrol, patrol)
    patrol.state = "submitted"
    patrol.submitted_at = clock.now()
    if data.get("summary"):
        patrol.summary = data["summary"].strip()
    db.session.flush()
    audit.record(
        actor,
        "submit_patrol",
        "patrol",
        patrol.id,
        {"from": "open", "to": "submitted", "summary": patrol.summary},
    )
    enterprise = db.session.get(Enterprise, patrol.enterprise_id)
    notifications.notify(
        _regulator_staff(patrol.regulator_id),
        enterprise.id,
        "patrol_submitted",
        None,
        f"第三方机构委托巡查已提交：{enterprise.name}",
        "请审核其中的发现。",
        f"patrol_submitted:{patrol.id}",
    )
    return patrol


def close_patrol(actor: Actor, patrol: Patrol, data: dict) -> Patrol:
    """Close a patrol with a summary; no agency finding may still wait for review."""
    _require_staff(actor, patrol.regulator_id)
    if patrol.state == "closed":
        raise StaleState(MSG_STALE_PATROL, current_state=patrol.state)
    if _has_proposed(patrol):
        raise Conflict(MSG_PROPOSED_LEFT)
    _claim(Patrol, patrol)
    from_state = patrol.state
    patrol.state = "closed"
    patrol.summary = (data.get("summary") or "").strip() or patrol.summary
    patrol.closed_by_user_id = actor.user_id
    patrol.closed_at = clock.now()
    db.session.flush()
    audit.record(
        actor,
        "close_patrol",
        "patrol",
        patrol.id,
        {"from": from_state, "to": "closed", "summary": patrol.summary},
    )
    return patrol


def _has_proposed(patrol: Patrol) -> bool:
    return (
        db.session.scalar(
            select(PatrolFinding.id).where(
                PatrolFinding.patrol_id == patrol.id, PatrolFinding.state == "proposed"
            )
        )
        is not None
    )


# --- rectification orders -------------------------------------------------------------------


def _officer_errors(actor: Actor, regulator: Regulator, co_officer_id: int) -> list[dict]:
    """行政处罚法 第四十二条 (执法人员不得少于两人), each holding an enforcement certificate: the
    issuing officer and a distinct co-officer of the same bureau."""
    errors = []
    issuer = db.session.get(User, actor.user_id)
    if issuer is None or not (issuer.enforcement_certificate_no or "").strip():
        errors.append(field_error("co_officer_user_id", MSG_ISSUER_NO_CERT))
    if co_officer_id == actor.user_id:
        errors.append(field_error("co_officer_user_id", MSG_CO_OFFICER_SELF))
    elif co_officer_id not in patrol_queries.officer_ids(regulator.id):
        errors.append(field_error("co_officer_user_id", MSG_CO_OFFICER_UNKNOWN))
    elif not (db.session.get(User, co_officer_id).enforcement_certificate_no or "").strip():
        errors.append(field_error("co_officer_user_id", MSG_CO_OFFICER_NO_CERT))
    return errors


def _order_errors(
    actor: Actor, enterprise: Enterprise, regulator: Regulator, data: dict
) -> list[dict]:
    errors = _officer_errors(actor, regulator, data["co_officer_user_id"])
    if data["deadline"] < clock.today_local():
        errors.append(field_error("deadline", MSG_DEADLINE_PAST))
    patrol_id = data.get("patrol_id")
    if patrol_id is not None:
        patrol = db.session.get(Patrol, patrol_id)
        if patrol is None or (patrol.enterprise_id, patrol.regulator_id) != (
            enterprise.id,
            regulator.id,
        ):
            errors.append(field_error("patrol_id", "该巡查不属于该企业或本部门。"))
    for index, item in enumerate(data["items"]):
        hazard_id = item.get("hazard_id")
        if hazard_id is None:
            continue
        hazard = db.session.get(Hazard, hazard_id)
        if hazard is None or hazard.enterprise_id != enterprise.id:
            errors.append(field_error(f"items.{index}.hazard_id", "该隐患不属于该企业。"))
    return errors


def _next_number(regulator: Regulator) -> str:
    """Race-safe: the regulator row is locked while the next number is chosen (PostgreSQL
    FOR UPDATE; SQLite transactions start IMMEDIATE), and the number column is unique."""
    db.session.execute(select(Regulator.id).where(Regulator.id == regulator.id).with_for_update())
    office = numbering.office_abbreviation(regulator.name)
    year = clock.today_local().year
    prefix = numbering.document_prefix(office, rules.ORDER_TYPE_WORD, year)
    numbers = db.session.scalars(
        select(RectificationOrder.number).where(
            RectificationOrder.regulator_id == regulator.id,
            RectificationOrder.number.startswith(prefix, autoescape=True),
        )
    ).all()
    return rules.order_number(office, year, rules.next_sequence(list(numbers), office, year))


def order_payload(order: RectificationOrder, enterprise: Enterprise) -> dict:
    """What regulators' systems receive about an order (outbox events)."""
    return {
        "order_id": order.id,
        "number": order.number,
        "enterprise_id": enterprise.id,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "regulator_id": order.regulator_id,
        "patrol_id": order.patrol_id,
        "deadline": order.deadline.isoformat(),
        "basis": order.basis,
        "requirements": order.requirements,
        "items": [
            {
                "position": item.position,
                "hazard_id": str(item.hazard_id) if item.hazard_id else None,
                "text": item.text,
                "basis": item.basis,
            }
            for item in order.items
        ],
        "state": order.state,
        "issued_at": order.issued_at.isoformat(),
        "acknowledged_at": order.acknowledged_at.isoformat() if order.acknowledged_at else None,
    }


def issue_order(actor: Actor, data: dict) -> RectificationOrder:
    """Issue a 责令限期整改指令书 (安全生产法 第六十五条) and schedule its follow-up for the deadline."""
    enterprise = scoping.get_enterprise(actor, data["enterprise_id"], scoping.READ)
    regulator = scoping.covering_regulator(actor, enterprise)
    if regulator is None:
        raise Forbidden(MSG_NOT_REGULATOR)
    errors = _order_errors(actor, enterprise, regulator, data)
    if errors:
        raise ValidationFailed("请检查标出的字段。", errors)
    patrol_id = data.get("patrol_id")
    if patrol_id is not None and _has_proposed(db.session.get(Patrol, patrol_id)):
        raise Conflict(MSG_PROPOSED_LEFT)

    order = RectificationOrder(
        number=_next_number(regulator),
        enterprise_id=enterprise.id,
        regulator_id=regulator.id,
        patrol_id=patrol_id,
        deadline=data["deadline"],
        basis=data["basis"],
        requirements=(data.get("requirements") or "").strip(),
        state=rules.OrderState.issued.value,
        version=1,
        issued_by_user_id=actor.user_id,
        co_officer_user_id=data["co_officer_user_id"],
        officers=[
            patrol_queries.officer_view(db.session.get(User, user_id))
            for user_id in (actor.user_id, data["co_officer_user_id"])
        ],
        issued_at=clock.now(),
        acknowledgment_note="",
        items=[
            RectificationOrderItem(
                position=index + 1,
                hazard_id=item.get("hazard_id"),
                text=item["text"].strip(),
                basis=item.get("basis") or [],
            )
            for index, item in enumerate(data["items"])
        ],
    )
    db.session.add(order)
    db.session.flush()
    check = FollowUpCheck(
        order_id=order.id,
        enterprise_id=enterprise.id,
        regulator_id=regulator.id,
        scheduled_on=order.deadline,
        state="scheduled",
        note="",
    )
    db.session.add(check)
    db.session.flush()
    payload = order_payload(order, enterprise)
    audit.record(
        actor,
        "issue_rectification_order",
        "rectification_order",
        order.id,
        {**payload, "follow_up_check_id": check.id},
    )
    notifications.notify(
        _members(enterprise.id, {Role.head.value}),
        enterprise.id,
        "order_issued",
        None,
        f"收到整改指令书：{order.number}",
        f"{regulator.name}责令限期整改，整改期限 {order.deadline.isoformat()}，请及时签收。",
        f"order_issued:{order.id}",
    )
    enqueue("rectification_order_issued", enterprise, "rectification_order", order.id, payload)
    return order


def acknowledge_order(actor: Actor, order: RectificationOrder, data: dict) -> RectificationOrder:
    """签收: only the enterprise's head signs for the order; a second 签收 is a stale state."""
    if Role.head.value not in actor.roles_in_enterprise(order.enterprise_id):
        raise Forbidden(MSG_HEAD_ONLY)
    if order.state != data["expected_state"]:
        raise StaleState(MSG_STALE_ORDER, current_state=order.state)
    next_state = rules.order_next_state(order.state, rules.OrderAction.acknowledge)
    if next_state is None:
        raise StaleState(MSG_STALE_ORDER, current_state=order.state)
    _claim(RectificationOrder, order)
    order.state = next_state.value
    order.acknowledged_by_user_id = actor.user_id
    order.acknowledged_at = clock.now()
    order.acknowledgment_note = (data.get("note") or "").strip()
    db.session.flush()
    enterprise = db.session.get(Enterprise, order.enterprise_id)
    audit.record(
        actor,
        "acknowledge_rectification_order",
        "rectification_order",
        order.id,
        {
            "number": order.number,
            "from": "issued",
            "to": order.state,
            "note": order.acknowledgment_note,
            "acknowledged_at": order.acknowledged_at.isoformat(),
        },
    )
    enqueue(
        "order_acknowledged",
        enterprise,
        "rectification_order",
        order.id,
        order_payload(order, enterprise),
    )
    notifications.notify(
        [order.issued_by_user_id],
        enterprise.id,
        "order_acknowledged",
        None,
        f"整改指令书已签收：{order.number}",
        f"{enterprise.name} {actor.display_name} 已签收。",
        f"order_acknowledged:{order.id}",
    )
    return order


def record_follow_up(actor: Actor, check: FollowUpCheck, data: dict) -> FollowUpCheck:
    """回头看: record whether the enterprise rectified what the order required."""
    _require_staff(actor, check.regulator_id)
    order = db.session.get(RectificationOrder, check.order_id)
    if check.state != "scheduled":
        raise StaleState(MSG_FOLLOW_UP_DONE, current_state=check.state)
    next_state = rules.order_next_state(order.state, rules.OrderAction.record_follow_up)
    if next_state is None:
        raise Conflict(MSG_NOT_ACKNOWLEDGED, current_state=order.state)
    patrol_id = data.get("patrol_id")
    if patrol_id is not None:
        patrol = db.session.get(Patrol, patrol_id)
        if patrol is None or (patrol.enterprise_id, patrol.regulator_id) != (
            check.enterprise_id,
            check.regulator_id,
        ):
            message = "该巡查不属于该企业或本部门。"
            raise ValidationFailed(message, [field_error("patrol_id", message)])
    _claim(RectificationOrder, order)
    check.state = "done"
    check.result = data["result"]
    check.note = (data.get("note") or "").strip()
    check.patrol_id = patrol_id
    check.performed_by_user_id = actor.user_id
    check.performed_at = clock.now()
    order.state = next_state.value
    db.session.flush()
    enterprise = db.session.get(Enterprise, check.enterprise_id)
    details = {
        "order_id": order.id,
        "number": order.number,
        "result": check.result,
        "note": check.note,
        "patrol_id": patrol_id,
        "performed_at": check.performed_at.isoformat(),
    }
    audit.record(actor, "record_follow_up", "follow_up_check", check.id, details)
    enqueue("follow_up_recorded", enterprise, "follow_up_check", check.id, details)
    return check


# --- escalation -----------------------------------------------------------------------------


def sweep_orders(now: datetime, ack_days: int | None = None) -> dict:
    """Escalate orders left unacknowledged past ANXUN_ORDER_ACK_DAYS (notifications and an
    `order_escalated` outbox event) and remind officers of due follow-ups; run daily. Safe to
    repeat: escalated_at is set once and each person is told once.

    Returns the escalated order numbers, the due follow-up checks and the notifications written.
    """
    if ack_days is None:
        ack_days = int(current_app.config["ANXUN_ORDER_ACK_DAYS"])
    today = now.astimezone(clock.CHINA_TZ).date()
    candidates = db.session.scalars(
        select(RectificationOrder)
        .where(
            RectificationOrder.state == rules.OrderState.issued.value,
            RectificationOrder.escalated_at.is_(None),
            RectificationOrder.issued_at < now - timedelta(days=ack_days),
        )
        .order_by(RectificationOrder.issued_at, RectificationOrder.id)
        .with_for_update()
    ).all()
    escalated: list[str] = []
    written = 0
    for order in candidates:
        if not rules.escalation_due(order.issued_at, order.acknowledged_at, now, ack_days):
            continue
        order.escalated_at = now
        escalated.append(order.number)
        enterprise = db.session.get(Enterprise, order.enterprise_id)
        # Once per order: escalated_at is set in this same transaction and excludes it next time.
        enqueue(
            "order_escalated",
            enterprise,
            "rectification_order",
            order.id,
            {
                **order_payload(order, enterprise),
                "escalated_at": now.isoformat(),
                "ack_days": ack_days,
            },
        )
        people = [order.issued_by_user_id, *_members(enterprise.id, {Role.head.value})]
        written += len(
            notifications.notify(
                people,
                enterprise.id,
                "order_escalated",
                None,
                f"整改指令书逾期未签收：{order.number}",
                f"{enterprise.name} 自 {order.issued_at.astimezone(clock.CHINA_TZ):%Y-%m-%d} 下达后"
                f"超过 {ack_days} 天未签收，已升级督办。",
                f"order_escalated:{order.id}",
            )
        )
    due = db.session.scalars(
        select(FollowUpCheck)
        .where(FollowUpCheck.state == "scheduled", FollowUpCheck.scheduled_on <= today)
        .order_by(FollowUpCheck.scheduled_on, FollowUpCheck.id)
    ).all()
    due_rows = []
    for check in due:
        order = db.session.get(RectificationOrder, check.order_id)
        due_rows.append(
            {"id": check.id, "number": order.number, "scheduled_on": check.scheduled_on.isoformat()}
        )
        written += len(
            notifications.notify(
                [order.issued_by_user_id],
                check.enterprise_id,
                "follow_up_due",
                None,
                f"回头看到期：{order.number}",
                f"整改期限 {order.deadline.isoformat()} 已到，请复查整改情况。",
                f"follow_up_due:{check.id}",
            )
        )
    db.session.flush()
    if escalated or written:
        audit.record(
            SYSTEM,
            "sweep_rectification_orders",
            "rectification_order",
            "*",
            {
                "today": today.isoformat(),
                "escalated": escalated,
                "follow_ups_due": [row["id"] for row in due_rows],
                "notifications": written,
            },
        )
    return {"escalated": escalated, "follow_ups_due": due_rows, "notifications": written}


def set_officer_certificate(actor: Actor, regulator_id: int, user_id: int, data: dict) -> User:
    """Record an officer's 执法证号, which a rectification order needs for both of its officers
    (行政处罚法 第四十二条): the bureau's admin keeps them; issued orders keep their own copy."""
    if regulator_id not in actor.regulator_ids and not actor.is_platform_admin:
        raise NotFound("未找到该监管部门，或您无权查看。")
    if user_id not in patrol_queries.officer_ids(regulator_id):
        raise NotFound("未找到该执法人员。")
    if not actor.is_platform_admin and (
        Role.regulator_admin.value not in actor.regulator_roles(regulator_id)
    ):
        raise Forbidden("只有本部门管理员可以登记执法证号。")
    number = (data["enforcement_certificate_no"] or "").strip() or None
    user = db.session.get(User, user_id)
    before = user.enforcement_certificate_no
    user.enforcement_certificate_no = number
    audit.record(
        actor,
        "set_officer_certificate",
        "user",
        user.id,
        {"regulator_id": regulator_id, "before": before, "after": number},
    )
    db.session.flush()
    return user
