"""Read queries for hazards: scoped lists with filters and cursor pagination, and the hazard view."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select

from anxun.accounts.models import User
from anxun.checklists.models import ChecklistVersion
from anxun.checklists.verification import people_citations
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.errors import NotFound
from anxun.core.money import money_text
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.hazards import workflow
from anxun.hazards.models import Hazard, HazardTransition
from anxun.inspections.models import Place
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Regulator
from anxun.standards import queries as standards_queries

TERMINAL = sorted(s.value for s in workflow.TERMINAL_STATES)

SOURCE_LABELS = {
    "self_inspection": "企业自查",
    "direct": "随手拍上报",
    "regulator": "监管检查",
    "agency": "第三方审核",
    "campaign": "专项整治",
}
# The check item categories of checklists/README.md, which a hazard inherits.
CATEGORY_LABELS = {
    "thing": "物的不安全状态",
    "behaviour": "人的不安全行为",
    "management": "管理上的缺陷",
    "environment": "环境不良因素",
}
# Enterprise size classes (GB/T 工业企业划型) where the head may verify their own rectification.
SMALL_MICRO = ("small", "micro")
REPORT_LABEL = "上报"
MSG_NOT_FOUND = "未找到该隐患，或您无权查看。"


def get_hazard(actor: Actor, hazard_id: uuid.UUID) -> Hazard:
    """A hazard of an enterprise the actor may read; anything else is 404 (existence not leaked)."""
    hazard = db.session.get(Hazard, hazard_id)
    if hazard is None:
        raise NotFound(MSG_NOT_FOUND)
    try:
        scoping.get_enterprise(actor, hazard.enterprise_id, scoping.READ, scoping.HAZARDS)
    except NotFound as exc:
        raise NotFound(MSG_NOT_FOUND) from exc
    return hazard


def workflow_roles(actor: Actor, enterprise: Enterprise) -> set[str]:
    """The roles the transition table sees: enterprise roles there, plus regulator roles held in
    a regulator whose jurisdiction and industries cover the enterprise."""
    roles = set(actor.roles_in_enterprise(enterprise.id))
    for regulator_id in sorted(actor.regulator_ids):
        regulator = db.session.get(Regulator, regulator_id)
        if scoping.regulator_covers(regulator, enterprise.region_code, enterprise.industries):
            roles |= actor.regulator_roles(regulator_id)
    return roles


def workflow_level(hazard: Hazard) -> str:
    """The confirmed level, or the proposed one while the hazard is still unconfirmed."""
    return hazard.level or hazard.proposed_level


def workflow_facts(hazard: Hazard) -> dict:
    """Context keys the transition table reads from the stored hazard, not from the form."""
    enterprise = db.session.get(Enterprise, hazard.enterprise_id)
    return {
        "is_small_micro": enterprise.size_class in SMALL_MICRO,
        "has_plan": hazard.governance_plan_id is not None,
        "rectified_by_user_id": hazard.rectified_by_user_id,
        "plan_responsible_user_id": hazard.responsible_user_id,
        "is_rejudge_pending": standards_queries.is_rejudge_pending(hazard.id),
    }


def overdue_clause(today: date):
    """workflow.is_overdue in SQL: still open and past its deadline."""
    return and_(Hazard.state.not_in(TERMINAL), Hazard.deadline < today)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.CHINA_TZ)


def filtered_hazards(actor: Actor, args: dict):
    """The query of the hazards the actor may read, with the list filters of `args` (no order)."""
    query = (
        select(Hazard)
        .join(Enterprise, Enterprise.id == Hazard.enterprise_id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.HAZARDS))
    )
    today = clock.today_local()
    if args.get("enterprise_id") is not None:
        query = query.where(Hazard.enterprise_id == args["enterprise_id"])
    if args.get("state"):
        query = query.where(Hazard.state == args["state"])
    if args.get("level"):
        query = query.where(func.coalesce(Hazard.level, Hazard.proposed_level) == args["level"])
    if args.get("overdue") is True:
        query = query.where(overdue_clause(today))
    elif args.get("overdue") is False:
        query = query.where(
            or_(
                Hazard.state.in_(TERMINAL),
                Hazard.deadline.is_(None),
                Hazard.deadline >= today,
            )
        )
    if args.get("place_id") is not None:
        query = query.where(Hazard.place_id == args["place_id"])
    if args.get("source"):
        query = query.where(Hazard.source == args["source"])
    if args.get("category"):
        query = query.where(Hazard.category == args["category"])
    if args.get("date_from"):
        query = query.where(Hazard.reported_at >= _local_midnight(args["date_from"]))
    if args.get("date_to"):
        query = query.where(
            Hazard.reported_at < _local_midnight(args["date_to"] + timedelta(days=1))
        )
    if args.get("q"):
        query = query.where(
            or_(
                Hazard.title.contains(args["q"], autoescape=True),
                Hazard.description.contains(args["q"], autoescape=True),
            )
        )
    if args.get("assigned") == "me":
        query = query.where(
            or_(
                Hazard.responsible_user_id == actor.user_id,
                Hazard.rectified_by_user_id == actor.user_id,
            )
        )
    if args.get("reported_by") == "me":
        query = query.where(Hazard.reported_by_user_id == actor.user_id)
    if args.get("inspection_id") is not None:
        query = query.where(Hazard.inspection_id == args["inspection_id"])
    return query


def list_hazards(actor: Actor, args: dict):
    """Hazards of the enterprises the actor may read, filtered; returns (rows, next_cursor)."""
    query = filtered_hazards(actor, args)
    if args.get("sort") == "deadline":
        # Earliest deadline first; hazards without a deadline (still unconfirmed) are left out.
        query = query.where(Hazard.deadline.is_not(None))
        return paginate(query, [Hazard.deadline, Hazard.id], args.get("cursor"), args["limit"])
    return paginate(
        query, [Hazard.reported_at, Hazard.id], args.get("cursor"), args["limit"], descending=True
    )


def hazard_counts(actor: Actor, args: dict) -> dict:
    """How many of the filtered hazards are in each state, in all, and how many are overdue."""
    query = filtered_hazards(actor, args)
    rows = query.subquery()
    by_state = db.session.execute(select(rows.c.state, func.count()).group_by(rows.c.state))
    states = {state.value: 0 for state in workflow.HazardState}
    states.update({state: count for state, count in by_state.all()})
    overdue = query.where(overdue_clause(clock.today_local())).subquery()
    return {
        "total": sum(states.values()),
        "states": states,
        "overdue": db.session.scalar(select(func.count()).select_from(overdue)),
    }


def _action_label(action: str) -> str:
    return REPORT_LABEL if action == "report" else workflow.ACTION_LABELS.get(action, action)


def _names(user_ids) -> dict[int, str]:
    wanted = {u for u in user_ids if u is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return dict(rows.all())


def _places(place_ids) -> dict[int, str]:
    wanted = {p for p in place_ids if p is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(Place.id, Place.name).where(Place.id.in_(wanted)))
    return dict(rows.all())


def _enterprise_names(enterprise_ids) -> dict[int, str]:
    rows = db.session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(set(enterprise_ids)))
    )
    return dict(rows.all())


def _basis_view(hazard: Hazard) -> list[dict]:
    """The item's basis references with the title and number of each cited document, and the
    reference as people read it: the article only where verified (issue #13)."""
    documents = {}
    if hazard.checklist_version_id is not None:
        version = db.session.get(ChecklistVersion, hazard.checklist_version_id)
        documents = {d["code"]: d for d in (version.document.get("basis") or [])}
    view = []
    for ref in hazard.basis or []:
        document = documents.get(ref.get("doc"), {})
        shown = people_citations([ref], documents)[0]
        view.append(
            {
                **ref,
                "title": document.get("title"),
                "number": document.get("number"),
                "citation": shown["text"],
                "is_clause_pending": shown["is_clause_pending"],
            }
        )
    return view


def _without_account(label: str) -> str:
    """ "张三(officer-hc)" → "张三": actor labels carry the account name for the audit trail."""
    name, bracket, _ = label.rpartition("(")
    return name.strip() if bracket and label.endswith(")") and name.strip() else label


def _history(hazard: Hazard) -> list[dict]:
    rows = db.session.scalars(
        select(HazardTransition)
        .where(HazardTransition.hazard_id == hazard.id)
        .order_by(HazardTransition.id)
    ).all()
    names = _names(t.actor_user_id for t in rows)
    return [
        {
            "id": t.id,
            "action": {"code": t.action, "label": _action_label(t.action)},
            "from_state": t.from_state,
            "to_state": t.to_state,
            "actor_user_id": t.actor_user_id,
            "actor_label": t.actor_label,
            # People see a name; the account name stays in actor_label and the audit log.
            "actor_name": names.get(t.actor_user_id) or _without_account(t.actor_label),
            "created_at": t.created_at,
            "note": t.note,
            "evidence": step_evidence(t.evidence),
        }
        for t in rows
    ]


# Evidence keys of rows written before the API's names (docs/api.md); the rows are history and
# are never rewritten, so they are renamed where they are read.
LEGACY_EVIDENCE_KEYS = {
    "photo_ids": "media_ids",
    "after_photos": "after_media_ids",
    "governance_plan": "governance_plan_id",
}


def step_evidence(evidence: dict | None) -> dict:
    """A step's stored evidence as the API writes it, for every reader (history, documents): old
    rows' keys under their current names, `funds` as money text even in rows written when it was
    stored as a JSON number."""
    shown = {LEGACY_EVIDENCE_KEYS.get(k, k): v for k, v in (evidence or {}).items()}
    if shown.get("funds") is not None:
        shown["funds"] = money_text(shown["funds"])
    return shown


def available_actions(actor: Actor, hazard: Hazard) -> list[dict]:
    """The buttons to show this actor now (form fields are checked on submit)."""
    enterprise = db.session.get(Enterprise, hazard.enterprise_id)
    roles = workflow_roles(actor, enterprise)
    if not roles:
        return []
    actions = workflow.available_actions(
        hazard.state,
        workflow_level(hazard),
        roles,
        actor.user_id,
        workflow_facts(hazard),
        clock.today_local(),
    )
    return [{"code": a.value, "label": workflow.ACTION_LABELS[a]} for a in actions]


def hazard_views(hazards: list[Hazard]) -> list[dict]:
    """List rows: the hazard's own fields with names, without history, basis or actions."""
    users = _names(
        u
        for h in hazards
        for u in (h.reported_by_user_id, h.responsible_user_id, h.rectified_by_user_id)
    )
    places = _places(h.place_id for h in hazards)
    enterprises = _enterprise_names(h.enterprise_id for h in hazards)
    today = clock.today_local()
    return [_summary(h, users, places, enterprises, today) for h in hazards]


def hazard_view(hazard: Hazard, actor: Actor) -> dict:
    """One hazard with its basis, history and the actions the actor may take."""
    view = hazard_views([hazard])[0]
    view["basis"] = _basis_view(hazard)
    view["history"] = _history(hazard)
    view["available_actions"] = available_actions(actor, hazard)
    view["rejudge"] = standards_queries.hazard_rejudge(hazard.id)
    view["orders"] = _orders(hazard)
    return view


def _orders(hazard: Hazard) -> list[dict]:
    """The regulators' rectification orders that name this hazard, with their 文号 and 签收."""
    from anxun.oversight.models import RectificationOrder, RectificationOrderItem

    # IN, not JOIN + DISTINCT: PostgreSQL cannot compare the order's JSON columns for DISTINCT.
    naming = select(RectificationOrderItem.order_id).where(
        RectificationOrderItem.hazard_id == hazard.id
    )
    orders = db.session.scalars(
        select(RectificationOrder)
        .where(
            RectificationOrder.id.in_(naming),
            RectificationOrder.enterprise_id == hazard.enterprise_id,
        )
        .order_by(RectificationOrder.id)
    ).all()
    return [
        {
            "id": o.id,
            "number": o.number,
            "issued_at": o.issued_at,
            "deadline": o.deadline,
            "state": o.state,
            "acknowledged_at": o.acknowledged_at,
        }
        for o in orders
    ]


def _summary(hazard: Hazard, users, places, enterprises, today: date) -> dict:
    place_name = places.get(hazard.place_id)
    return {
        "id": hazard.id,
        "enterprise_id": hazard.enterprise_id,
        "enterprise_name": enterprises.get(hazard.enterprise_id),
        "source": hazard.source,
        "inspection_id": hazard.inspection_id,
        "item_id": hazard.item_id,
        "checklist_version_id": hazard.checklist_version_id,
        "place_id": hazard.place_id,
        "place": {"id": hazard.place_id, "name": place_name} if hazard.place_id else None,
        "place_name": place_name,
        "title": hazard.title,
        "description": hazard.description,
        "media_ids": hazard.media_ids,
        "proposed_level": hazard.proposed_level,
        "level": hazard.level,
        "category": hazard.category,
        "state": hazard.state,
        "version": hazard.version,
        "deadline": hazard.deadline,
        "is_overdue": workflow.is_overdue(hazard.state, hazard.deadline, today),
        "is_fixed_on_spot": hazard.is_fixed_on_spot,
        "reported_by_user_id": hazard.reported_by_user_id,
        "reported_by_name": users.get(hazard.reported_by_user_id),
        "reported_at": hazard.reported_at,
        "responsible_user_id": hazard.responsible_user_id,
        "responsible_name": users.get(hazard.responsible_user_id),
        "measures": hazard.measures,
        "funds": hazard.funds,
        "contingency": hazard.contingency,
        "governance_plan_id": hazard.governance_plan_id,
        "plan_submitted_by_user_id": hazard.plan_submitted_by_user_id,
        "plan_approved_by_user_id": hazard.plan_approved_by_user_id,
        "rectified_by_user_id": hazard.rectified_by_user_id,
        "rectified_by_name": users.get(hazard.rectified_by_user_id),
        "verified_by_user_id": hazard.verified_by_user_id,
        "closed_at": hazard.closed_at,
    }
