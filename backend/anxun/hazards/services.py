"""Every write about hazards: report, walk the closed loop through the transition table, sweep deadlines.

The closed loop 排查 → 整改 (五定) → 验收 → 销号 and the 重大隐患 rules of 安监总局令第16号 live in the pure
`workflow` table; this module loads, asks `workflow.decide`, applies the per-action field changes,
appends the history row, audits, and writes notifications and outbox events in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from anxun.accounts.queries import active_member_ids
from anxun.accounts.roles import ENTERPRISE_ROLES
from anxun.core import audit, clock
from anxun.core.auth import SYSTEM, Actor
from anxun.core.errors import (
    Conflict,
    Forbidden,
    MissingMedia,
    StaleState,
    ValidationFailed,
    field_error,
)
from anxun.core.money import money_text
from anxun.extensions import db
from anxun.hazards import workflow
from anxun.hazards.models import Hazard, HazardTransition
from anxun.hazards.queries import (
    TERMINAL,
    workflow_facts,
    workflow_level,
    workflow_roles,
)
from anxun.inspections.media import missing_media
from anxun.inspections.models import Place
from anxun.notifications import services as notifications
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.outbox.enqueue import enqueue
from anxun.outbox.models import OutboxEvent
from anxun.oversight.listings import services as listing_services
from anxun.standards import queries as standards_queries
from anxun.standards import services as standards_services

A = workflow.HazardAction
S = workflow.HazardState

DEADLINE_SOON_DAYS = 3

MSG_STALE = "该隐患状态已变化，请刷新后重试。"
MSG_INVALID = "当前状态下不能执行该操作。"
MSG_ID_TAKEN = "该隐患编号已用于另一条隐患。"
MSG_CLIENT_ID_TAKEN = "该操作编号已用于另一项操作。"

# The form fields each action reads (besides the optional note); they are also its evidence.
ACTION_FIELDS: dict[A, tuple[str, ...]] = {
    A.confirm: ("level", "category", "deadline"),
    A.reject: ("reason",),
    A.fix_on_spot: ("after_media_ids",),
    A.plan: ("responsible_user_id", "measures", "funds", "deadline", "contingency"),
    A.submit_plan: (
        "responsible_user_id",
        "measures",
        "funds",
        "deadline",
        "contingency",
        "governance_plan_id",
    ),
    A.approve_plan: (),
    A.submit_rectification: ("after_media_ids",),
    A.verify_pass: (),
    A.verify_reject: ("reason",),
    A.signoff: (),
    A.signoff_reject: ("reason",),
    # from_level and the new basis are set by _regrade, so the history keeps old → new.
    A.regrade: ("level", "reason", "from_level", "basis", "basis_version"),
}
# Values the form may leave out because the hazard already holds them.
STORED_DEFAULTS = {"category": "category", "deadline": "deadline"}


# --- reporting ------------------------------------------------------------------------------


def _members(enterprise_id: int, roles: set[str]) -> list[int]:
    """Active users holding one of `roles` in the enterprise, by id."""
    return active_member_ids(roles, enterprise_id=enterprise_id)


def _append(
    hazard: Hazard,
    actor: Actor,
    action: str,
    from_state: str | None,
    note: str = "",
    evidence: dict | None = None,
    client_id: uuid.UUID | None = None,
) -> HazardTransition:
    transition = HazardTransition(
        hazard_id=hazard.id,
        client_id=client_id,
        action=action,
        from_state=from_state,
        to_state=hazard.state,
        actor_user_id=actor.user_id,
        actor_label=actor.label[:120],
        note=note,
        evidence=evidence or {},
        created_at=clock.now(),
    )
    db.session.add(transition)
    db.session.flush()
    return transition


def report_hazard(
    actor: Actor,
    enterprise: Enterprise,
    data: dict,
    *,
    source: str,
    hazard_id: uuid.UUID | None = None,
    inspection=None,
    item: dict | None = None,
    checklist_version_id: int | None = None,
    notice: bool = True,
    audit_run_id: int | None = None,
    campaign_id: int | None = None,
) -> Hazard:
    """Register a hazard (16号令: 登记建档) as `reported`. Photos were verified by the caller.

    For a failed check item the hazard carries the item, its basis and its category, and the
    item's `major` proposes the level; the confirmer decides.
    """
    place_id = data.get("place_id")
    if place_id is not None:
        place = db.session.get(Place, place_id)
        if place is None or place.enterprise_id != enterprise.id:
            message = "该企业没有这个检查点。"
            raise ValidationFailed(message, [field_error("place_id", message)])
    item = item or {}
    title = (data.get("title") or "").strip() or f"不符合：{item.get('text', '')}"
    proposed = data.get("proposed_level") or ("major" if item.get("major") else "general")
    hazard = Hazard(
        id=hazard_id or uuid.uuid4(),
        enterprise_id=enterprise.id,
        source=source,
        inspection_id=inspection.id if inspection is not None else None,
        audit_run_id=audit_run_id,
        campaign_id=campaign_id,
        item_id=item.get("id"),
        checklist_version_id=checklist_version_id,
        basis=list(item.get("basis") or []),
        place_id=place_id,
        title=title[:300],
        description=(data.get("description") or "").strip(),
        media_ids=[str(p) for p in data.get("media_ids") or []],
        proposed_level=proposed,
        category=item.get("category"),
        state=S.reported.value,
        version=1,
        reported_by_user_id=actor.user_id,
        reported_at=clock.now(),
    )
    db.session.add(hazard)
    db.session.flush()
    _append(hazard, actor, "report", None, evidence={"media_ids": hazard.media_ids})
    audit.record(
        actor,
        "report_hazard",
        "hazard",
        hazard.id,
        {
            "enterprise_id": enterprise.id,
            "source": source,
            "title": hazard.title,
            "proposed_level": proposed,
            "inspection_id": hazard.inspection_id,
            "item_id": hazard.item_id,
            "place_id": place_id,
            "media_ids": hazard.media_ids,
        },
    )
    if not notice:
        return hazard
    managers = _members(enterprise.id, {workflow.HEAD, workflow.SAFETY_OFFICER})
    notifications.notify(
        [u for u in managers if u != actor.user_id],
        enterprise.id,
        "reported",
        hazard,
        f"新隐患待确认：{hazard.title}",
        f"{workflow.LEVEL_LABELS[proposed]}（待确认），上报人：{actor.display_name}。",
        f"reported:{hazard.id}",
    )
    return hazard


def _report_enterprise(actor: Actor, enterprise_id: int | None) -> Enterprise:
    if enterprise_id is None:
        if len(actor.enterprise_ids) != 1:
            raise ValidationFailed("请指定企业。", [field_error("enterprise_id", "请指定企业。")])
        enterprise_id = next(iter(actor.enterprise_ids))
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    if not scoping.is_enterprise_staff(actor, enterprise.id):
        raise Forbidden("目前只有本企业人员可以直接上报隐患。")
    return enterprise


def _same_report(hazard: Hazard, enterprise: Enterprise, actor: Actor, data: dict) -> bool:
    return (
        hazard.enterprise_id == enterprise.id
        and hazard.source == "direct"
        and hazard.reported_by_user_id == actor.user_id
        and hazard.title == data["title"].strip()
        and hazard.description == (data.get("description") or "").strip()
        and hazard.place_id == data.get("place_id")
        and hazard.media_ids == [str(p) for p in data.get("media_ids") or []]
        and hazard.proposed_level == data["proposed_level"]
    )


def report_direct_hazard(actor: Actor, data: dict) -> tuple[Hazard, bool]:
    """A hazard reported directly by enterprise staff (随手拍), idempotent on its client UUID.

    Returns (hazard, created). Regulators and auditors report later (their own issues): 403 now.
    """
    enterprise = _report_enterprise(actor, data.get("enterprise_id"))
    hazard_id = data.get("id")
    if hazard_id is not None:
        existing = db.session.get(Hazard, hazard_id)
        if existing is not None:
            if _same_report(existing, enterprise, actor, data):
                return existing, False
            raise Conflict(MSG_ID_TAKEN, [field_error("id", MSG_ID_TAKEN)])
    missing = missing_media(enterprise.id, data.get("media_ids") or [])
    if missing:
        raise MissingMedia(missing)
    hazard = report_hazard(actor, enterprise, data, source="direct", hazard_id=hazard_id)
    return hazard, True


# --- transitions ----------------------------------------------------------------------------


def _context(hazard: Hazard, action: A, data: dict) -> dict:
    """The workflow context: stored facts, then the form fields this action reads."""
    context = workflow_facts(hazard)
    context["source"] = hazard.source
    for key in ACTION_FIELDS[action]:
        value = data.get(key)
        if value is None and key in STORED_DEFAULTS:
            value = getattr(hazard, STORED_DEFAULTS[key])
        if value is not None:
            context[key] = value
    note = data.get("note")
    if note is not None:
        context["note"] = note
    return context


def _plain(key: str, value):
    """Evidence is JSON: dates and UUIDs as text, `funds` as the API's two-place decimal text."""
    if key == "funds":
        return money_text(value)
    if isinstance(value, list | tuple):
        return [_plain(key, v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _check_responsible(enterprise: Enterprise, action: A, context: dict) -> None:
    if "responsible_user_id" not in ACTION_FIELDS[action]:
        return
    if context["responsible_user_id"] not in _members(enterprise.id, set(ENTERPRISE_ROLES)):
        message = "整改责任人须为本企业在职人员。"
        raise ValidationFailed(message, [field_error("responsible_user_id", message)])


def _check_media(enterprise: Enterprise, action: A, context: dict) -> None:
    """After-photos and the governance plan must already be uploaded for this enterprise; the
    device uploads what is missing and retries (the sync contract's missing-media answer)."""
    fields = ACTION_FIELDS[action]
    ids = list(context.get("after_media_ids") or []) if "after_media_ids" in fields else []
    if "governance_plan_id" in fields:
        ids.append(context["governance_plan_id"])
    missing = missing_media(enterprise.id, ids)
    if missing:
        raise MissingMedia(missing)


def _set_plan(hazard: Hazard, context: dict, actor: Actor) -> None:
    """五定: 措施、责任、资金、时限、预案."""
    hazard.responsible_user_id = context["responsible_user_id"]
    hazard.measures = context["measures"].strip()
    hazard.funds = Decimal(str(context["funds"]))
    hazard.deadline = context["deadline"]
    hazard.contingency = context["contingency"].strip()
    hazard.plan_submitted_by_user_id = actor.user_id


def _confirm(hazard: Hazard, context: dict, actor: Actor) -> None:
    hazard.level = context["level"]
    hazard.category = context["category"]
    hazard.deadline = context["deadline"]


def _submit_plan(hazard: Hazard, context: dict, actor: Actor) -> None:
    _set_plan(hazard, context, actor)
    hazard.governance_plan_id = uuid.UUID(str(context["governance_plan_id"]))


def _approve_plan(hazard: Hazard, context: dict, actor: Actor) -> None:
    hazard.plan_approved_by_user_id = actor.user_id


def _rectified(hazard: Hazard, context: dict, actor: Actor) -> None:
    hazard.rectified_by_user_id = actor.user_id


def _fix_on_spot(hazard: Hazard, context: dict, actor: Actor) -> None:
    # 即查即改 is for general hazards only; the finder is the one who fixed it.
    hazard.is_fixed_on_spot = True
    hazard.level = workflow.HazardLevel.general.value
    hazard.rectified_by_user_id = actor.user_id


def _verified(hazard: Hazard, context: dict, actor: Actor) -> None:
    hazard.verified_by_user_id = actor.user_id


def _no_fields(hazard: Hazard, context: dict, actor: Actor) -> None:
    return None


def _regrade(hazard: Hazard, context: dict, actor: Actor) -> None:
    """重新定级 under the new version of the checklist: the hazard takes the item's new basis
    (when the item still exists), and its open re-judge items are resolved with the reason."""
    context["from_level"] = hazard.level
    current = standards_queries.current_item(hazard)
    if current is not None:
        version, item = current
        hazard.basis = list(item.get("basis") or [])
        context["basis_version"] = f"{version.version_label} {version.version_hash[:12]}"
    context["basis"] = list(hazard.basis or [])
    hazard.level = context["level"]
    standards_services.resolve_hazard_items(actor, hazard, context["reason"].strip())


FIELD_CHANGES: dict[A, Callable[[Hazard, dict, Actor], None]] = {
    A.confirm: _confirm,
    A.reject: _no_fields,
    A.fix_on_spot: _fix_on_spot,
    A.plan: _set_plan,
    A.submit_plan: _submit_plan,
    A.approve_plan: _approve_plan,
    A.submit_rectification: _rectified,
    A.verify_pass: _verified,
    A.verify_reject: _no_fields,
    A.signoff: _no_fields,
    A.signoff_reject: _no_fields,
    A.regrade: _regrade,
}


def event_payload(hazard: Hazard, enterprise: Enterprise) -> dict:
    """What regulators receive about a hazard (outbox events)."""
    return {
        "hazard_id": str(hazard.id),
        "enterprise_id": enterprise.id,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "title": hazard.title,
        "description": hazard.description,
        "source": hazard.source,
        "level": hazard.level or hazard.proposed_level,
        "category": hazard.category,
        "state": hazard.state,
        "item_id": hazard.item_id,
        "basis": hazard.basis or [],
        "reported_at": hazard.reported_at.isoformat(),
        "deadline": hazard.deadline.isoformat() if hazard.deadline else None,
        "is_fixed_on_spot": hazard.is_fixed_on_spot,
        "closed_at": hazard.closed_at.isoformat() if hazard.closed_at else None,
    }


def _rectifier_and_responsible(hazard: Hazard, enterprise: Enterprise) -> list[int | None]:
    return [hazard.rectified_by_user_id, hazard.responsible_user_id]


def _heads(hazard: Hazard, enterprise: Enterprise) -> list[int]:
    return _members(enterprise.id, {workflow.HEAD})


def _managers(hazard: Hazard, enterprise: Enterprise) -> list[int]:
    return _members(enterprise.id, {workflow.HEAD, workflow.SAFETY_OFFICER})


def _plan_body(hazard: Hazard, transition: HazardTransition, actor: Actor) -> str:
    return f"整改期限 {hazard.deadline.isoformat()}。措施：{hazard.measures}"


def _reason_body(hazard: Hazard, transition: HazardTransition, actor: Actor) -> str:
    return f"原因：{transition.evidence.get('reason', '')}"


@dataclass(frozen=True)
class Notice:
    recipients: Callable[[Hazard, Enterprise], list[int | None]]
    kind: str
    title: str
    body: Callable[[Hazard, HazardTransition, Actor], str]


# Who hears about each step (never the actor themself).
NOTICES: dict[A, Notice] = {
    A.plan: Notice(
        lambda h, e: [h.responsible_user_id], "assigned", "请按五定方案整改", _plan_body
    ),
    A.approve_plan: Notice(
        lambda h, e: [h.responsible_user_id],
        "assigned",
        "治理方案已批准，请组织整改",
        _plan_body,
    ),
    A.submit_plan: Notice(
        _heads,
        "approval_requested",
        "重大隐患治理方案待批准",
        lambda h, t, a: f"提交人：{a.display_name}。",
    ),
    A.submit_rectification: Notice(
        _managers,
        "verification_requested",
        "整改已完成，请验收",
        lambda h, t, a: f"整改人：{a.display_name}。{t.note}",
    ),
    A.verify_reject: Notice(
        lambda h, e: [h.rectified_by_user_id], "rejected", "验收不通过，请重新整改", _reason_body
    ),
    A.signoff_reject: Notice(
        _rectifier_and_responsible, "rejected", "监管部门退回整改", _reason_body
    ),
    A.reject: Notice(
        lambda h, e: [h.reported_by_user_id], "rejected", "上报的隐患被驳回", _reason_body
    ),
    A.regrade: Notice(
        lambda h, e: [*_managers(h, e), h.responsible_user_id],
        "regraded",
        "隐患已重新定级",
        lambda h, t, a: (
            f"{workflow.LEVEL_LABELS.get(t.evidence.get('from_level'), '')} → "
            f"{workflow.LEVEL_LABELS[h.level]}。理由：{t.evidence.get('reason', '')}"
        ),
    ),
}


def _after(actor, enterprise, hazard, step: A, transition: HazardTransition) -> None:
    """Side effects in the same transaction: regulator events and notifications."""
    became_major = step == A.regrade and transition.evidence.get("from_level") != hazard.level
    if (step == A.confirm or became_major) and hazard.level == workflow.HazardLevel.major:
        payload = event_payload(hazard, enterprise)
        enqueue("major_hazard_confirmed", enterprise, "hazard", hazard.id, payload)
    if hazard.state == S.closed:
        enqueue("hazard_closed", enterprise, "hazard", hazard.id, event_payload(hazard, enterprise))
        listing_services.delist_closed_hazard(actor, hazard, enterprise)
    notice = NOTICES.get(step)
    if notice is None:
        return
    notifications.notify(
        [u for u in notice.recipients(hazard, enterprise) if u != actor.user_id],
        enterprise.id,
        notice.kind,
        hazard,
        f"{notice.title}：{hazard.title}",
        notice.body(hazard, transition, actor),
        f"{notice.kind}:{hazard.id}:{transition.id}",
    )


def _claim(hazard: Hazard) -> None:
    """Bump the version only if nobody else did since we read it: of two racing steps, the
    second waits for the first's row lock, then finds the version moved and gets a 409."""
    claimed = db.session.execute(
        update(Hazard)
        .where(Hazard.id == hazard.id, Hazard.version == hazard.version)
        .values(version=hazard.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StaleState(MSG_STALE)
    hazard.version += 1


def _already_taken(actor: Actor, hazard: Hazard, action: str, client_id: uuid.UUID) -> bool:
    """True when this client_id already took this step on this hazard (a replay); 409 when the
    id names another step."""
    previous = db.session.scalar(
        select(HazardTransition).where(HazardTransition.client_id == client_id)
    )
    if previous is None:
        return False
    if (
        previous.hazard_id == hazard.id
        and previous.action == action
        and previous.actor_user_id == actor.user_id
    ):
        return True
    raise Conflict(MSG_CLIENT_ID_TAKEN, [field_error("client_id", MSG_CLIENT_ID_TAKEN)])


def apply_transition(
    actor: Actor,
    hazard: Hazard,
    action: str,
    data: dict,
    *,
    expected_state: str,
    client_id: uuid.UUID | None = None,
) -> Hazard:
    """Take one step of the closed loop (`apply_transition_once` without the replay flag)."""
    hazard, _ = apply_transition_once(
        actor, hazard, action, data, expected_state=expected_state, client_id=client_id
    )
    return hazard


def apply_transition_once(
    actor: Actor,
    hazard: Hazard,
    action: str,
    data: dict,
    *,
    expected_state: str,
    client_id: uuid.UUID | None = None,
) -> tuple[Hazard, bool]:
    """Take one step of the closed loop, as the transition table allows. Returns (hazard, created).

    A replay with the same client_id returns the hazard unchanged and created False; a state other
    than the one the client saw is 409 and writes nothing.
    """
    enterprise = scoping.get_enterprise(actor, hazard.enterprise_id, scoping.WRITE)
    if client_id is not None and _already_taken(actor, hazard, action, client_id):
        db.session.refresh(hazard)  # read before that step committed, perhaps
        return hazard, False
    if hazard.state != expected_state:
        raise StaleState(MSG_STALE, current_state=hazard.state)

    if action not in set(A):
        raise ValidationFailed("未知的操作。", [field_error("action", "未知的操作。")])
    step = A(action)
    context = _context(hazard, step, data)
    decision = workflow.decide(
        hazard.state,
        step,
        workflow_level(hazard),
        workflow_roles(actor, enterprise),
        actor.user_id,
        context,
        clock.today_local(),
    )
    if decision.reason_code == "invalid_transition":
        raise Conflict(MSG_INVALID, current_state=hazard.state)
    if decision.reason_code == "role":
        raise Forbidden(f"您的角色不能对该隐患执行“{workflow.ACTION_LABELS[step]}”。")
    if not decision.allowed:
        raise ValidationFailed("请检查标出的字段。", decision.errors)
    _check_responsible(enterprise, step, context)
    _check_media(enterprise, step, context)

    try:
        _claim(hazard)
    except StaleState:
        # A copy of this very step (same client_id, a retry racing its first attempt) may be the
        # one that moved the hazard: then this copy answers as its replay.
        if client_id is not None and _already_taken(actor, hazard, action, client_id):
            db.session.refresh(hazard)
            return hazard, False
        raise
    from_state = hazard.state
    FIELD_CHANGES[step](hazard, context, actor)
    hazard.state = decision.next_state.value
    if hazard.state == S.closed:
        hazard.closed_at = clock.now()
    db.session.flush()
    evidence = {k: _plain(k, context[k]) for k in ACTION_FIELDS[step] if k in context}
    note = (context.get("note") or "").strip()
    transition = _append(hazard, actor, step.value, from_state, note, evidence, client_id)
    audit.record(
        actor,
        f"hazard_{step.value}",
        "hazard",
        hazard.id,
        {
            "from": from_state,
            "to": hazard.state,
            "version": hazard.version,
            "note": note,
            "evidence": evidence,
            "client_id": str(client_id) if client_id else None,
        },
    )
    _after(actor, enterprise, hazard, step, transition)
    return hazard, True


def report_oversight_finding(
    actor: Actor, enterprise: Enterprise, data: dict, *, source: str
) -> Hazard:
    """A regulator's finding (or an agency's, once the regulator approves it) enters the loop
    already confirmed: reported, then confirmed by the regulator through the transition table
    (`confirm` admits regulator roles for these sources). Level and deadline are the finding's.

    data: title, description, media_ids, basis [{doc, clause}], level, category, deadline.
    """
    if source not in workflow.OVERSIGHT_SOURCES:
        raise ValueError(f"not an oversight source: {source}")
    report = {
        "title": data["title"],
        "description": data.get("description") or "",
        "media_ids": data.get("media_ids") or [],
        "proposed_level": data["level"],
    }
    item = {"basis": data.get("basis") or []}
    hazard = report_hazard(actor, enterprise, report, source=source, item=item, notice=False)
    confirm = {k: data[k] for k in ("level", "category", "deadline")}
    hazard = apply_transition(
        actor, hazard, A.confirm.value, confirm, expected_state=S.reported.value
    )
    notifications.notify(
        _members(enterprise.id, {workflow.HEAD, workflow.SAFETY_OFFICER}),
        enterprise.id,
        "assigned",
        hazard,
        f"监管部门检查发现隐患：{hazard.title}",
        f"{workflow.LEVEL_LABELS[hazard.level]}，整改期限 {hazard.deadline.isoformat()}，"
        "请制定整改方案并按期整改。",
        f"oversight:{hazard.id}",
    )
    return hazard


# --- deadlines ------------------------------------------------------------------------------


def _overdue_event_written(hazard: Hazard) -> bool:
    return (
        db.session.scalar(
            select(OutboxEvent.id).where(
                OutboxEvent.event_type == "hazard_overdue",
                OutboxEvent.aggregate_type == "hazard",
                OutboxEvent.aggregate_id == str(hazard.id),
            )
        )
        is not None
    )


def sweep_deadlines(now: datetime) -> dict:
    """Overdue (超期) and deadline-soon reminders; run daily. Safe to repeat: each person is told
    once per hazard, and regulators get one `hazard_overdue` event per hazard.

    Returns counts: hazards newly overdue, hazards newly reminded, notifications written.
    """
    today = now.astimezone(clock.CHINA_TZ).date()
    hazards = db.session.scalars(
        select(Hazard)
        .where(
            Hazard.state.not_in(TERMINAL),
            Hazard.deadline.is_not(None),
            Hazard.deadline <= today + timedelta(days=DEADLINE_SOON_DAYS),
        )
        .order_by(Hazard.deadline, Hazard.id)
    ).all()
    overdue_ids: list[str] = []
    soon_ids: list[str] = []
    written = 0
    for hazard in hazards:
        enterprise = db.session.get(Enterprise, hazard.enterprise_id)
        people = [hazard.responsible_user_id, *_members(enterprise.id, {workflow.HEAD})]
        if workflow.is_overdue(hazard.state, hazard.deadline, today):
            days = (today - hazard.deadline).days
            written += len(
                notifications.notify(
                    people,
                    enterprise.id,
                    "overdue",
                    hazard,
                    f"隐患已超期：{hazard.title}",
                    f"整改期限 {hazard.deadline.isoformat()}，已超期 {days} 天。",
                    f"overdue:{hazard.id}",
                )
            )
            if not _overdue_event_written(hazard):
                payload = {**event_payload(hazard, enterprise), "days_overdue": days}
                enqueue("hazard_overdue", enterprise, "hazard", hazard.id, payload)
                overdue_ids.append(str(hazard.id))
        else:
            created = notifications.notify(
                people,
                enterprise.id,
                "deadline_soon",
                hazard,
                f"整改期限将至：{hazard.title}",
                f"整改期限 {hazard.deadline.isoformat()}，请按时完成整改。",
                f"deadline_soon:{hazard.id}",
            )
            written += len(created)
            if created:
                soon_ids.append(str(hazard.id))
    if written or overdue_ids:
        audit.record(
            SYSTEM,
            "sweep_hazard_deadlines",
            "hazard",
            "*",
            {
                "today": today.isoformat(),
                "overdue": overdue_ids,
                "deadline_soon": soon_ids,
                "notifications": written,
            },
        )
    return {"overdue": len(overdue_ids), "deadline_soon": len(soon_ids), "notifications": written}
