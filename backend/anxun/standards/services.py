"""Every write about standard changes: record a new checklist or band table version, list what
to re-judge, notify the enterprises concerned and their bureaus, and resolve items once someone
has judged them again."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from anxun.accounts.queries import active_member_ids
from anxun.accounts.roles import REGULATOR_ROLES, Role
from anxun.checklists.diff import ChecklistDiff, diff_checklists
from anxun.checklists.models import ChecklistVersion
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, NotFound, ValidationFailed, field_error
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.workflow import LEVEL_LABELS, TERMINAL_STATES
from anxun.inspections.models import InspectionPlan
from anxun.notifications import services as notifications
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Region, Regulator
from anxun.risk.grading.levels import LEVELS
from anxun.risk.grading.queries import (
    band_table_of,
    control_map_of,
    latest_band_config,
    parse_owner,
    province_owner,
)
from anxun.risk.models import BandTableConfig, RiskAssessment, RiskEvent, RiskObject, RiskUnit
from anxun.standards.band_change import GradedAssessment, level_changes
from anxun.standards.models import RejudgeItem, StandardChange

# The head decides a hazard's level; head or safety officer revise plans (16号令: the unit's
# 主要负责人 is fully responsible, the safety staff organise the 排查).
RESOLVE_ROLES = {
    "plan": {Role.head, Role.safety_officer},
    "assessment": {Role.head, Role.safety_officer},
}
NOTIFY_ROLES = {Role.head, Role.safety_officer}
MSG_ITEM_NOT_FOUND = "未找到该重新判定事项。"


def _refs(basis: list[dict]) -> str:
    return "；".join(f"{ref['doc']} {ref['clause']}" for ref in basis or []) or "（无）"


def _hazard_reason(diff_item, hazard: Hazard) -> tuple[str, dict]:
    """What changed about the item that raised the hazard, in words for the head."""
    old, new = diff_item.old, diff_item.new
    if diff_item.kind == "removed":
        return (
            f"检查项 {diff_item.item_id} 已从新版检查表删除，请判定该隐患是否仍成立及其等级。"
        ), {"removed": True}
    parts, change = [], {}
    if old["major"] != new["major"]:
        now = "重大隐患" if new["major"] else "一般隐患"
        parts.append(f"新版将该项判定为{now}")
        change["major"] = {"old": old["major"], "new": new["major"]}
    if old["basis"] != new["basis"]:
        parts.append(f"依据由“{_refs(old['basis'])}”改为“{_refs(new['basis'])}”")
        change["basis"] = {"old": old["basis"], "new": new["basis"]}
    current = LEVEL_LABELS.get(hazard.level or hazard.proposed_level, "")
    text = "；".join(parts)
    return (
        f"检查项 {diff_item.item_id}：{text}。当前等级：{current}，请主要负责人重新判定。",
        change,
    )


def _older_version_ids(new: ChecklistVersion) -> list[int]:
    return list(
        db.session.scalars(
            select(ChecklistVersion.id).where(
                ChecklistVersion.code == new.code,
                ChecklistVersion.owner_key == new.owner_key,
                ChecklistVersion.id < new.id,
            )
        )
    )


def _affected_hazards(new: ChecklistVersion, diff: ChecklistDiff) -> list[Hazard]:
    ids = sorted(diff.rejudge_item_ids)
    older = _older_version_ids(new)
    if not ids or not older:
        return []
    return list(
        db.session.scalars(
            select(Hazard)
            .where(
                Hazard.checklist_version_id.in_(older),
                Hazard.item_id.in_(ids),
                Hazard.state.not_in([s.value for s in TERMINAL_STATES]),
            )
            .order_by(Hazard.reported_at, Hazard.id)
        )
    )


def _affected_plans(
    new: ChecklistVersion, diff: ChecklistDiff
) -> list[tuple[InspectionPlan, dict]]:
    removed, profiles = diff.removed_item_ids, set(diff.profiles_removed)
    if not removed and not profiles:
        return []
    query = select(InspectionPlan).where(
        InspectionPlan.checklist_code == new.code, InspectionPlan.is_active.is_(True)
    )
    if new.owner_enterprise_id is not None:
        query = query.where(InspectionPlan.enterprise_id == new.owner_enterprise_id)
    found = []
    for plan in db.session.scalars(query.order_by(InspectionPlan.id)):
        gone = sorted(set(plan.item_ids or []) & removed)
        if gone or plan.profile in profiles:
            found.append(
                (plan, {"removed_items": gone, "removed_profile": plan.profile in profiles})
            )
    return found


def _plan_reason(plan: InspectionPlan, change: dict) -> str:
    if change["removed_profile"]:
        return f"排查任务“{plan.title}”使用的检查方案 {plan.profile} 已从新版检查表删除，请重新选择检查项。"
    return (
        f"排查任务“{plan.title}”引用的检查项 {'、'.join(change['removed_items'])} "
        "已从新版检查表删除，请调整排查任务。"
    )


def record_checklist_change(
    actor: Actor, old: ChecklistVersion, new: ChecklistVersion
) -> StandardChange:
    """A new version of a checklist replaced `old`: store the diff and list, per enterprise, the
    open hazards raised by an item whose major flag or basis changed or that was removed, and the
    active plans that use a removed item or profile. Nothing is re-graded here: the head decides."""
    diff = diff_checklists(old.document, new.document)
    change = StandardChange(
        kind="checklist",
        code=new.code,
        title=new.title,
        old_label=old.version_label,
        new_label=new.version_label,
        old_checklist_version_id=old.id,
        new_checklist_version_id=new.id,
        summary={
            "added": len(diff.of_kind("added")),
            "removed": len(diff.of_kind("removed")),
            "changed": len(diff.of_kind("changed")),
            "rejudge_item_ids": sorted(diff.rejudge_item_ids),
            "documents_changed": len(diff.documents),
        },
        created_at=clock.now(),
        created_by_user_id=actor.user_id,
    )
    db.session.add(change)
    db.session.flush()
    by_id = {c.item_id: c for c in diff.items}
    items: list[RejudgeItem] = []
    for hazard in _affected_hazards(new, diff):
        reason, detail = _hazard_reason(by_id[hazard.item_id], hazard)
        items.append(
            RejudgeItem(
                standard_change_id=change.id,
                enterprise_id=hazard.enterprise_id,
                subject="hazard",
                hazard_id=hazard.id,
                item_id=hazard.item_id,
                reason=reason,
                change={**detail, "new_version": new.version_hash, "new_label": new.version_label},
                created_at=clock.now(),
            )
        )
    for plan, detail in _affected_plans(new, diff):
        items.append(
            RejudgeItem(
                standard_change_id=change.id,
                enterprise_id=plan.enterprise_id,
                subject="plan",
                plan_id=plan.id,
                reason=_plan_reason(plan, detail),
                change=detail,
                created_at=clock.now(),
            )
        )
    db.session.add_all(items)
    db.session.flush()
    audit.record(
        actor,
        "record_standard_change",
        "standard_change",
        change.id,
        {"code": new.code, "from": old.version_hash, "to": new.version_hash, "items": len(items)},
    )
    _notify(change, items)
    return change


def _subject_counts(items: list[RejudgeItem]) -> dict[str, int]:
    return {s: sum(1 for i in items if i.subject == s) for s in ("hazard", "plan", "assessment")}


def _counts_text(counts: dict[str, int]) -> str:
    return (
        f"隐患重新定级 {counts['hazard']} 项、排查任务调整 {counts['plan']} 项、"
        f"风险重新评估 {counts['assessment']} 项"
    )


def _notify(change: StandardChange, items: list[RejudgeItem]) -> None:
    """Each enterprise concerned hears once per change how many things it must re-judge, and
    each bureau covering one of them gets the summary for its enterprises."""
    per_enterprise: dict[int, list[RejudgeItem]] = defaultdict(list)
    for item in items:
        per_enterprise[item.enterprise_id].append(item)
    for enterprise_id, own in sorted(per_enterprise.items()):
        notifications.notify(
            active_member_ids(NOTIFY_ROLES, enterprise_id=enterprise_id),
            enterprise_id,
            "standard_change",
            None,
            f"标准变更：{change.title} {change.old_label} → {change.new_label}",
            f"需{_counts_text(_subject_counts(own))}，由主要负责人决定。",
            f"standard_change:{change.id}",
        )
    _notify_bureaus(change, per_enterprise)


def _notify_bureaus(change: StandardChange, per_enterprise: dict[int, list[RejudgeItem]]) -> None:
    """The members of every bureau covering an enterprise concerned (orgs.scoping's coverage:
    jurisdiction and industry) hear how many of its enterprises must re-judge what; the
    notification names the first of them, as every notification names an enterprise."""
    if not per_enterprise:
        return
    enterprises = db.session.scalars(
        select(Enterprise).where(Enterprise.id.in_(sorted(per_enterprise))).order_by(Enterprise.id)
    ).all()
    for regulator in db.session.scalars(select(Regulator).order_by(Regulator.id)):
        covered = [
            e
            for e in enterprises
            if scoping.regulator_covers(regulator, e.region_code, e.industries)
        ]
        if not covered:
            continue
        counts = _subject_counts([i for e in covered for i in per_enterprise[e.id]])
        notifications.notify(
            active_member_ids(REGULATOR_ROLES, regulator_id=regulator.id),
            covered[0].id,
            "standard_change_summary",
            None,
            f"标准变更汇总：{change.title} {change.old_label} → {change.new_label}",
            f"辖区内 {len(covered)} 家企业需{_counts_text(counts)}"
            f"（{'、'.join(e.name for e in covered[:5])}{'等' if len(covered) > 5 else ''}）。",
            f"standard_change_summary:{change.id}:{regulator.id}",
        )


def _enterprises_using(config: BandTableConfig) -> list[Enterprise]:
    """The enterprises graded by this table: its enterprise, or those of its province without a
    table of their own for the method."""
    kind, value = parse_owner(config.owner_key)
    if kind == "enterprise":
        return [db.session.get(Enterprise, int(value))]
    own = set(
        db.session.scalars(
            select(BandTableConfig.owner_key).where(
                BandTableConfig.method == config.method,
                BandTableConfig.owner_key.startswith("enterprise:"),
            )
        )
    )
    return [
        e
        for e in db.session.scalars(
            select(Enterprise)
            .where(Enterprise.region_code.startswith(value, autoescape=True))
            .order_by(Enterprise.id)
        )
        if f"enterprise:{e.id}" not in own
    ]


def _current_assessments(enterprise_ids: list[int], method: str) -> list[RiskAssessment]:
    """The latest assessment of each live risk event and kind, where it used `method`."""
    if not enterprise_ids:
        return []
    rows = db.session.scalars(
        select(RiskAssessment)
        .join(RiskEvent, RiskEvent.id == RiskAssessment.risk_event_id)
        .join(RiskUnit, RiskUnit.id == RiskEvent.risk_unit_id)
        .join(RiskObject, RiskObject.id == RiskUnit.risk_object_id)
        .where(
            RiskAssessment.enterprise_id.in_(enterprise_ids),
            RiskEvent.deleted_at.is_(None),
            RiskUnit.deleted_at.is_(None),
            RiskObject.deleted_at.is_(None),
        )
        .order_by(RiskAssessment.id)
    )
    latest = {(a.risk_event_id, a.kind): a for a in rows}
    return [a for a in latest.values() if a.method == method]


def _replaced_label(previous: BandTableConfig | None, config: BandTableConfig) -> tuple:
    """What the new table replaces: the owner's previous version, else (for an enterprise) its
    province's table, else the default bands."""
    if previous is None and config.owner_key.startswith("enterprise:"):
        enterprise = db.session.get(Enterprise, int(parse_owner(config.owner_key)[1]))
        previous = latest_band_config(province_owner(enterprise), config.method)
        if previous is not None:
            return previous, f"省级第{previous.version}版"
    if previous is None:
        return None, "默认分级表"
    return previous, f"第{previous.version}版"


def _band_table_title(config: BandTableConfig) -> str:
    kind, value = parse_owner(config.owner_key)
    if kind == "enterprise":
        owner = db.session.get(Enterprise, int(value)).name
    else:
        region = db.session.get(Region, f"{value}0000")
        owner = region.name if region is not None else config.owner_key
    return f"{owner} {config.method} 风险分级表"


def _level_text(level: str) -> str:
    return f"{LEVELS[level][0]}风险"


def record_band_table_change(
    actor: Actor, previous: BandTableConfig | None, config: BandTableConfig
) -> StandardChange:
    """A new band table version replaced what graded some enterprises (the owner's previous
    version, or the province's or the default bands): list, per enterprise, each current
    assessment graded by another table whose recorded factors the new table grades to another
    level. Assessments that keep their level are not listed. Nothing is re-graded here."""
    replaced, old_label = _replaced_label(previous, config)
    enterprises = _enterprises_using(config)
    current = _current_assessments([e.id for e in enterprises], config.method)
    changes = level_changes(
        [
            GradedAssessment(
                a.id, a.method, a.factors, a.level, a.band_table_code, a.band_table_version
            )
            for a in current
        ],
        band_table_of(config),
        control_map_of(config),
    )
    change = StandardChange(
        kind="band_table",
        code=config.code,
        title=_band_table_title(config),
        old_label=old_label,
        new_label=f"第{config.version}版",
        old_band_table_id=replaced.id if replaced is not None else None,
        new_band_table_id=config.id,
        summary={
            "method": config.method,
            "enterprises": len(enterprises),
            "assessments_checked": len(current),
            "level_changes": len(changes),
        },
        created_at=clock.now(),
        created_by_user_id=actor.user_id,
    )
    db.session.add(change)
    db.session.flush()
    by_id = {a.id: a for a in current}
    items = []
    for found in changes:
        assessment = by_id[found.assessment_id]
        event = db.session.get(RiskEvent, assessment.risk_event_id)
        items.append(
            RejudgeItem(
                standard_change_id=change.id,
                enterprise_id=assessment.enterprise_id,
                subject="assessment",
                assessment_id=assessment.id,
                reason=(
                    f"风险事件“{event.name}”原按 {assessment.band_table_code} "
                    f"第{assessment.band_table_version}版评为{_level_text(found.old_level)}；"
                    f"按新版分级表 {found.explanation}，请重新评估。"
                ),
                change={
                    "level": {"old": found.old_level, "new": found.new_level},
                    "score": found.score,
                    "risk_event_id": event.id,
                    "kind": assessment.kind,
                    "old_band_table": f"{assessment.band_table_code}@"
                    f"{assessment.band_table_version}",
                    "new_band_table": f"{config.code}@{config.version}",
                },
                created_at=clock.now(),
            )
        )
    db.session.add_all(items)
    db.session.flush()
    audit.record(
        actor,
        "record_standard_change",
        "standard_change",
        change.id,
        {"code": config.code, "to": config.version, "items": len(items)},
    )
    _notify(change, items)
    return change


def resolve_hazard_items(actor: Actor, hazard: Hazard, note: str) -> list[RejudgeItem]:
    """The head re-graded (or kept) the hazard's level: its open items are resolved."""
    items = list(
        db.session.scalars(
            select(RejudgeItem).where(
                RejudgeItem.hazard_id == hazard.id, RejudgeItem.resolved_at.is_(None)
            )
        )
    )
    for item in items:
        item.resolved_at = clock.now()
        item.resolved_by_user_id = actor.user_id
        item.resolution = note
    db.session.flush()
    return items


def _reassess(actor: Actor, item: RejudgeItem) -> None:
    """An assessment is judged again by the table now in force: a later assessment of the same
    event and kind stands if there is one, else the recorded factors are graded again through
    the assessment service, which keeps the old assessment. A deleted event needs none."""
    # Imported here: risk/grading/services.py calls record_band_table_change when a table is stored.
    from anxun.risk.grading import services as grading_services

    old = db.session.get(RiskAssessment, item.assessment_id)
    newer = db.session.scalar(
        select(RiskAssessment)
        .where(
            RiskAssessment.risk_event_id == old.risk_event_id,
            RiskAssessment.kind == old.kind,
            RiskAssessment.id > old.id,
        )
        .order_by(RiskAssessment.id.desc())
        .limit(1)
    )
    if newer is None:
        try:
            newer = grading_services.assess_risk_event(
                actor, old.risk_event_id, {"method": old.method, "kind": old.kind, **old.factors}
            )
        except NotFound:
            item.change = {**item.change, "event_deleted": True}
            return
    item.change = {**item.change, "new_assessment_id": newer.id, "new_level": newer.level}


def resolve_item(actor: Actor, item_id: int, data: dict) -> RejudgeItem:
    """A plan item marked handled, or an assessment re-assessed by the table now in force, with
    what was done. Hazards are re-graded through their transition instead, so the history keeps
    the old and new level."""
    item = db.session.get(RejudgeItem, item_id)
    if item is None:
        raise NotFound(MSG_ITEM_NOT_FOUND)
    enterprise = scoping.get_enterprise(
        actor, item.enterprise_id, scoping.WRITE, not_found=MSG_ITEM_NOT_FOUND
    )
    if item.subject == "hazard":
        message = "隐患须通过“重新定级”处理。"
        raise Conflict(message, [field_error("subject", message)])
    scoping.require_enterprise_role(actor, enterprise, RESOLVE_ROLES[item.subject])
    if item.resolved_at is not None:
        raise Conflict("该事项已处理。")
    note = (data.get("resolution") or "").strip()
    if not note:
        raise ValidationFailed("请填写处理情况。", [field_error("resolution", "请填写处理情况。")])
    if item.subject == "assessment":
        _reassess(actor, item)
    item.resolved_at = clock.now()
    item.resolved_by_user_id = actor.user_id
    item.resolution = note
    db.session.flush()
    audit.record(actor, "resolve_rejudge_item", "rejudge_item", item.id, {"resolution": note})
    return item
