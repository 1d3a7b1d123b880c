"""Read queries for standard changes: a hazard's open re-judge items, enterprise lists, summary."""

from __future__ import annotations

import uuid

from sqlalchemy import case, func, select

from anxun.checklists.loader import item_index
from anxun.checklists.models import ChecklistVersion
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.workflow import LEVEL_LABELS as HAZARD_LEVEL_LABELS
from anxun.hazards.workflow import HazardLevel
from anxun.inspections.models import InspectionPlan
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.risk.grading.levels import LEVELS
from anxun.risk.models import RiskAssessment, RiskEvent
from anxun.standards.models import RejudgeItem, StandardChange

SUBJECT_LABELS = {"hazard": "隐患重新定级", "plan": "排查任务调整", "assessment": "风险重新评估"}
KIND_LABELS = {"checklist": "检查表", "band_table": "风险分级表"}


def current_item(hazard: Hazard) -> tuple[ChecklistVersion, dict] | None:
    """The newest version of the checklist that raised the hazard, and the item there (None when
    the hazard came from no checklist, or the item was removed)."""
    if hazard.checklist_version_id is None or hazard.item_id is None:
        return None
    raised = db.session.get(ChecklistVersion, hazard.checklist_version_id)
    newest = db.session.scalars(
        select(ChecklistVersion)
        .where(ChecklistVersion.code == raised.code, ChecklistVersion.owner_key == raised.owner_key)
        .order_by(ChecklistVersion.id.desc())
    ).first()
    item = item_index(newest.document).get(hazard.item_id)
    return None if item is None else (newest, item)


def _open_for_hazard(hazard_id: uuid.UUID):
    return select(RejudgeItem).where(
        RejudgeItem.hazard_id == hazard_id, RejudgeItem.resolved_at.is_(None)
    )


def is_rejudge_pending(hazard_id: uuid.UUID) -> bool:
    return db.session.scalars(_open_for_hazard(hazard_id).limit(1)).first() is not None


def hazard_rejudge(hazard_id: uuid.UUID) -> list[dict]:
    """The hazard's open re-judge items, for its detail view (标准变更：需重新判定)."""
    rows = db.session.execute(
        _open_for_hazard(hazard_id)
        .add_columns(StandardChange)
        .join(StandardChange, StandardChange.id == RejudgeItem.standard_change_id)
        .order_by(RejudgeItem.id)
    ).all()
    return [_item_view(item, change, None, None) for item, change in rows]


# The level before and after a change, as codes: a hazard's (general, major) or a risk's (red …).
HAZARD_LEVEL = {False: HazardLevel.general, True: HazardLevel.major}
LEVEL_LABELS = {
    **{level.value: label for level, label in HAZARD_LEVEL_LABELS.items()},
    **{code: f"{words}风险（{colour}色）" for code, (words, colour) in LEVELS.items()},
}


def _old_items(change: StandardChange) -> dict[str, dict]:
    if change.old_checklist_version_id is None:
        return {}
    return item_index(db.session.get(ChecklistVersion, change.old_checklist_version_id).document)


def _item_words(items: dict[str, dict], item_id: str) -> str:
    item = items.get(item_id)
    return f"“{item['text']}”" if item else "（原检查项）"


def _refs_text(basis: list[dict] | None) -> str:
    return "；".join(f"{ref['doc']} {ref['clause']}".strip() for ref in basis or []) or "无"


def explain(item: RejudgeItem, change: StandardChange) -> dict:
    """What changed and what to do, in words for the enterprise (item wording, levels and
    documents, no item or table codes), and for hazards and assessments the level before and
    the level the new standard gives."""
    detail = item.change or {}
    lines: list[str] = []
    old_level = new_level = None
    if item.subject == "hazard":
        words = _item_words(_old_items(change), item.item_id)
        if detail.get("removed"):
            lines.append(f"检查项{words}已从新版检查表删除，请判定该隐患是否仍成立及其等级。")
        else:
            lines.append(f"检查项：{words}")
            if "major" in detail:
                old_level = HAZARD_LEVEL[bool(detail["major"]["old"])]
                new_level = HAZARD_LEVEL[bool(detail["major"]["new"])]
                lines.append(
                    f"新版检查表将该项由{LEVEL_LABELS[old_level]}改判为{LEVEL_LABELS[new_level]}。"
                )
            if "basis" in detail:
                lines.append(
                    f"判定依据由“{_refs_text(detail['basis']['old'])}”"
                    f"改为“{_refs_text(detail['basis']['new'])}”。"
                )
            lines.append("请主要负责人在隐患详情中重新定级（可维持原等级），并写明依据。")
    elif item.subject == "plan":
        old = db.session.get(ChecklistVersion, change.old_checklist_version_id)
        if detail.get("removed_profile"):
            plan = db.session.get(InspectionPlan, item.plan_id)
            profile = next(
                (p for p in old.document.get("profiles") or [] if p["code"] == plan.profile), None
            )
            name = f"“{profile['title']}”" if profile else ""
            lines.append(f"该排查任务使用的检查方案{name}已从新版检查表删除。")
        gone = [_item_words(_old_items(change), i) for i in detail.get("removed_items") or []]
        if gone:
            lines.append(f"该排查任务引用的检查项{'、'.join(gone)}已从新版检查表删除。")
        lines.append("请调整排查任务的检查项，并记录处理情况。")
    else:
        levels = detail.get("level") or {}
        old_level = levels.get("old") if levels.get("old") in LEVELS else None
        new_level = levels.get("new") if levels.get("new") in LEVELS else None
        lines.append(
            f"原分级表评为{LEVEL_LABELS.get(old_level)}；"
            f"按新分级表（{change.new_label}）应为{LEVEL_LABELS.get(new_level)}。"
        )
        lines.append("请按新分级标准重新评估，原评估记录保留。")
    return {"explanation": lines, "old_level": old_level, "new_level": new_level}


def _item_view(item: RejudgeItem, change: StandardChange, enterprise_name, subject_title) -> dict:
    return {
        **explain(item, change),
        "id": item.id,
        "enterprise_id": item.enterprise_id,
        "enterprise_name": enterprise_name,
        "subject": item.subject,
        "subject_title": subject_title,
        "hazard_id": item.hazard_id,
        "plan_id": item.plan_id,
        "assessment_id": item.assessment_id,
        "item_id": item.item_id,
        "reason": item.reason,
        "change": item.change,
        "standard": f"{change.title} {change.old_label} → {change.new_label}",
        "standard_change_id": change.id,
        "created_at": item.created_at,
        "is_resolved": item.resolved_at is not None,
        "resolved_at": item.resolved_at,
        "resolved_by_user_id": item.resolved_by_user_id,
        "resolution": item.resolution,
    }


def _scoped(actor: Actor):
    return (
        select(
            RejudgeItem,
            StandardChange,
            Enterprise.name,
            Hazard.title,
            InspectionPlan.title,
            RiskEvent.name,
        )
        .join(StandardChange, StandardChange.id == RejudgeItem.standard_change_id)
        .join(Enterprise, Enterprise.id == RejudgeItem.enterprise_id)
        .outerjoin(Hazard, Hazard.id == RejudgeItem.hazard_id)
        .outerjoin(InspectionPlan, InspectionPlan.id == RejudgeItem.plan_id)
        .outerjoin(RiskAssessment, RiskAssessment.id == RejudgeItem.assessment_id)
        .outerjoin(RiskEvent, RiskEvent.id == RiskAssessment.risk_event_id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.HAZARDS))
    )


def _views(rows) -> list[dict]:
    return [
        _item_view(item, change, name, hazard_title or plan_title or event_name)
        for item, change, name, hazard_title, plan_title, event_name in rows
    ]


def item_view(actor: Actor, item_id: int) -> dict:
    return _views(db.session.execute(_scoped(actor).where(RejudgeItem.id == item_id)).all())[0]


def list_items(actor: Actor, args: dict) -> list[dict]:
    """Re-judge items of the enterprises the actor may read, open ones unless `state` says."""
    query = _scoped(actor)
    if args.get("enterprise_id") is not None:
        query = query.where(RejudgeItem.enterprise_id == args["enterprise_id"])
    if args.get("state") == "open":
        query = query.where(RejudgeItem.resolved_at.is_(None))
    elif args.get("state") == "resolved":
        query = query.where(RejudgeItem.resolved_at.is_not(None))
    if args.get("subject"):
        query = query.where(RejudgeItem.subject == args["subject"])
    return _views(db.session.execute(query.order_by(RejudgeItem.id).limit(args["limit"])).all())


def summary(actor: Actor) -> dict:
    """For the bureau: per enterprise in view, the items to re-judge (open and done) by subject,
    and the standard changes that listed them."""
    is_open = RejudgeItem.resolved_at.is_(None)

    def count(subject: str):
        return func.sum(case((is_open & (RejudgeItem.subject == subject), 1), else_=0))

    rows = db.session.execute(
        select(
            Enterprise.id,
            Enterprise.name,
            count("hazard"),
            count("plan"),
            count("assessment"),
            func.sum(case((is_open, 0), else_=1)),
        )
        .join(RejudgeItem, RejudgeItem.enterprise_id == Enterprise.id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.HAZARDS))
        .group_by(Enterprise.id, Enterprise.name)
        .order_by(Enterprise.name)
    ).all()
    enterprises = [
        {
            "enterprise_id": eid,
            "enterprise_name": name,
            "open_hazards": int(hazards or 0),
            "open_plans": int(plans or 0),
            "open_assessments": int(assessments or 0),
            "open_total": int((hazards or 0) + (plans or 0) + (assessments or 0)),
            "resolved": int(resolved or 0),
        }
        for eid, name, hazards, plans, assessments, resolved in rows
    ]
    visible = [e["enterprise_id"] for e in enterprises]
    changes = db.session.scalars(
        select(StandardChange)
        .where(
            StandardChange.id.in_(
                select(RejudgeItem.standard_change_id).where(RejudgeItem.enterprise_id.in_(visible))
            )
        )
        .order_by(StandardChange.id.desc())
    ).all()
    return {
        "enterprises": enterprises,
        "changes": [
            {
                "id": c.id,
                "kind": c.kind,
                "code": c.code,
                "title": c.title,
                "old_label": c.old_label,
                "new_label": c.new_label,
                "summary": c.summary,
                "created_at": c.created_at,
            }
            for c in changes
        ],
    }


def rejudge_counts(checklist_version_id: int) -> list[str]:
    """One line per enterprise: what loading this version listed to re-judge (CLI output)."""
    rows = db.session.execute(
        select(Enterprise.name, RejudgeItem.subject, func.count())
        .join(StandardChange, StandardChange.id == RejudgeItem.standard_change_id)
        .join(Enterprise, Enterprise.id == RejudgeItem.enterprise_id)
        .where(StandardChange.new_checklist_version_id == checklist_version_id)
        .group_by(Enterprise.name, RejudgeItem.subject)
        .order_by(Enterprise.name, RejudgeItem.subject)
    ).all()
    return [f"需重新判定 {name}: {SUBJECT_LABELS[subject]} {n} 项" for name, subject, n in rows]
