"""Writes for 包保责任: name the accountable persons of a major hazard source and keep one
inspection plan per duty (created, reassigned or stopped with the person)."""

from __future__ import annotations

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.core import audit
from anxun.core.auth import Actor
from anxun.core.errors import ValidationFailed, field_error
from anxun.extensions import db
from anxun.inspections import planning
from anxun.inspections.models import InspectionPlan
from anxun.orgs import scoping
from anxun.risk.accountability import rules as accountability
from anxun.risk.models import AccountablePerson, RiskObject, RiskUnit
from anxun.risk.registry.services import writable_enterprise

# The register keeps the names as text too (Excel, PDF): they follow the chosen users.
TEXT_FIELDS = {
    "main": "accountable_main",
    "technical": "accountable_technical",
    "operational": "accountable_operational",
}


def _object_places(risk_object: RiskObject) -> list[int]:
    """The places of the object's units: where the duty's checks are done."""
    return sorted(
        {
            place_id
            for place_id in db.session.scalars(
                select(RiskUnit.place_id).where(
                    RiskUnit.risk_object_id == risk_object.id,
                    RiskUnit.deleted_at.is_(None),
                    RiskUnit.place_id.is_not(None),
                )
            )
        }
    )


def _current(risk_object: RiskObject) -> dict[str, AccountablePerson]:
    rows = db.session.scalars(
        select(AccountablePerson).where(AccountablePerson.risk_object_id == risk_object.id)
    )
    return {row.duty: row for row in rows}


def _check_users(enterprise_id: int, data: dict) -> list[dict]:
    errors = []
    for duty in accountability.DUTIES:
        user_id = data.get(f"{duty.code}_user_id")
        if user_id is not None:
            errors += [
                field_error(f"{duty.code}_user_id", f"{duty.label}须是本企业在职人员。")
                for _ in planning._assignee_problems(enterprise_id, user_id)
            ]
    return errors


def assign_accountable_persons(actor: Actor, object_id: int, data: dict) -> RiskObject:
    """Name (or change) the 主要/技术/操作负责人 of a major hazard source; each
    named duty gets an active plan of 包保 checks at the object's places with the duty's
    frequency (办法第三至五条 name the persons; the frequencies are marked for checking)."""
    risk_object = scoping.get_scoped(
        actor, RiskObject, object_id, "未找到该风险分析对象。", area=scoping.RISK
    )
    if risk_object.deleted_at is not None:
        raise ValidationFailed("风险分析对象已删除。", [field_error("object_id", "已删除。")])
    enterprise = writable_enterprise(actor, risk_object.enterprise_id)
    errors = []
    if not risk_object.is_major_hazard_source:
        errors.append(field_error("object_id", "只有重大危险源需要明确包保责任人。"))
    errors += _check_users(enterprise.id, data)
    if errors:
        raise ValidationFailed("包保责任人有误。", errors)
    current = _current(risk_object)
    for duty in accountability.DUTIES:
        key = f"{duty.code}_user_id"
        if key not in data:
            continue
        _apply(actor, risk_object, duty, current.get(duty.code), data[key], data)
    db.session.flush()
    audit.record(
        actor,
        "assign_accountable_persons",
        "risk_object",
        risk_object.id,
        {k: v for k, v in data.items() if k.endswith("_user_id")},
    )
    return risk_object


def _apply(actor, risk_object, duty, row, user_id, data) -> None:
    user = db.session.get(User, user_id)
    setattr(risk_object, TEXT_FIELDS[duty.code], user.display_name[:40])
    if row is None:
        plan = planning.create_plan(
            actor, risk_object.enterprise_id, _plan_data(risk_object, duty, user_id, data)
        )
        db.session.add(
            AccountablePerson(
                enterprise_id=risk_object.enterprise_id,
                risk_object_id=risk_object.id,
                duty=duty.code,
                user_id=user_id,
                plan_id=plan.id,
            )
        )
        return
    plan = db.session.get(InspectionPlan, row.plan_id)
    changes = {"assignee_user_id": user_id, "assignee_role": None}
    if not plan.is_active:
        changes["is_active"] = True
    planning.update_plan(actor, plan.id, changes)
    row.user_id = user_id


def _plan_data(risk_object: RiskObject, duty, user_id: int, data: dict) -> dict:
    checklist_code = data.get("checklist_code") or accountability.DEFAULT_CHECKLIST_CODE
    item_ids = data.get("item_ids")
    if item_ids is None and checklist_code == accountability.DEFAULT_CHECKLIST_CODE:
        item_ids = list(accountability.DEFAULT_ITEM_IDS)
    return {
        "title": accountability.plan_title(risk_object.name, duty),
        "checklist_code": checklist_code,
        "profile": None,
        "item_ids": item_ids,
        "inspection_type": accountability.INSPECTION_TYPE,
        "anchor_at": None,
        "assignee_user_id": user_id,
        "assignee_role": None,
        "place_ids": _object_places(risk_object),
        "frequency_every": duty.frequency_every,
        "frequency_unit": duty.frequency_unit,
    }
