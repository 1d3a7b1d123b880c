"""Writes of the four-colour risk map: register a site plan, replace the shapes drawn on it."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import delete, func, select

from anxun.accounts.roles import Role
from anxun.core import audit
from anxun.core.auth import Actor
from anxun.core.errors import ValidationFailed, field_error
from anxun.extensions import db
from anxun.inspections.models import Media, Place
from anxun.orgs import scoping
from anxun.risk.map import drawing as riskmap
from anxun.risk.map.queries import get_site_plan
from anxun.risk.models import MapShape, RiskObject, RiskUnit, SitePlan

# The risk map is part of the enterprise's risk identification, led by its head with the safety
# staff (安委办〔2016〕11号: 绘制安全风险四色分布图; domain.md §2.1).
MAP_EDITOR_ROLES = {Role.head, Role.safety_officer}
MSG_MEDIA = "平面图图片不存在或不属于该企业，请先上传图片。"
MSG_TARGET = {
    "place": "该地点不存在、已停用或不属于该企业。",
    "risk_unit": "该风险分析单元不存在、已删除或不属于该企业。",
}
MSG_TWICE = "同一对象在一张平面图上只能标注一次。"


def _editable_enterprise(actor: Actor, enterprise_id: int):
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    scoping.require_enterprise_role(actor, enterprise, MAP_EDITOR_ROLES)
    return enterprise


def create_site_plan(actor: Actor, enterprise_id: int, data: dict) -> SitePlan:
    """Register an uploaded image of the enterprise as a site plan; its size is the image's
    (upright) size, which bounds every shape drawn on it."""
    enterprise = _editable_enterprise(actor, enterprise_id)
    media = db.session.get(Media, data["media_id"])
    if media is None or media.enterprise_id != enterprise.id:
        raise ValidationFailed(MSG_MEDIA, [field_error("media_id", MSG_MEDIA)])
    plan = SitePlan(
        enterprise_id=enterprise.id,
        title=data["title"].strip(),
        media_id=media.id,
        width=media.width,
        height=media.height,
    )
    db.session.add(plan)
    db.session.flush()
    audit.record(
        actor,
        "create_site_plan",
        "site_plan",
        plan.id,
        {
            "enterprise_id": enterprise.id,
            "title": plan.title,
            "media_id": str(media.id),
            "width": plan.width,
            "height": plan.height,
        },
    )
    return plan


def _live_targets(enterprise_id: int, shapes: list[dict]) -> set[tuple[str, int]]:
    """Which of the referenced targets are live and belong to the enterprise."""
    place_ids = [s["target_id"] for s in shapes if s["target_type"] == "place"]
    unit_ids = [s["target_id"] for s in shapes if s["target_type"] == "risk_unit"]
    found: set[tuple[str, int]] = set()
    if place_ids:
        found.update(
            ("place", place_id)
            for place_id in db.session.scalars(
                select(Place.id).where(
                    Place.id.in_(place_ids),
                    Place.enterprise_id == enterprise_id,
                    Place.is_active.is_(True),
                )
            )
        )
    if unit_ids:
        found.update(
            ("risk_unit", unit_id)
            for unit_id in db.session.scalars(
                select(RiskUnit.id)
                .join(RiskObject, RiskObject.id == RiskUnit.risk_object_id)
                .where(
                    RiskUnit.id.in_(unit_ids),
                    RiskUnit.enterprise_id == enterprise_id,
                    RiskUnit.deleted_at.is_(None),
                    RiskObject.deleted_at.is_(None),
                )
            )
        )
    return found


def _shape_errors(plan: SitePlan, shapes: list[dict]) -> list[dict]:
    live = _live_targets(plan.enterprise_id, shapes)
    errors = []
    seen: set[tuple[str, int]] = set()
    for n, shape in enumerate(shapes):
        target = (shape["target_type"], shape["target_id"])
        if target not in live:
            errors.append(field_error(f"shapes.{n}.target_id", MSG_TARGET[shape["target_type"]]))
        elif target in seen:
            errors.append(field_error(f"shapes.{n}.target_id", MSG_TWICE))
        seen.add(target)
        for message in riskmap.shape_problems(
            shape["shape"], shape["points"], plan.width, plan.height
        ):
            errors.append(field_error(f"shapes.{n}.points", message))
    return errors


def replace_map_shapes(actor: Actor, site_plan_id: int, shapes: list[dict]) -> SitePlan:
    """Replace everything drawn on a site plan. Each target must be a live place or risk unit of
    the plan's enterprise, drawn once, as one point or a polygon of ≥ 3 points inside the image."""
    plan = get_site_plan(actor, site_plan_id, scoping.WRITE)
    _editable_enterprise(actor, plan.enterprise_id)
    errors = _shape_errors(plan, shapes)
    if errors:
        raise ValidationFailed("平面图标注有误。", errors)
    before = db.session.scalar(
        select(func.count()).select_from(MapShape).where(MapShape.site_plan_id == plan.id)
    )
    db.session.execute(delete(MapShape).where(MapShape.site_plan_id == plan.id))
    rows = [
        MapShape(
            site_plan_id=plan.id,
            target_type=shape["target_type"],
            target_id=shape["target_id"],
            shape=shape["shape"],
            points=[[x, y] for x, y in shape["points"]],
            label=shape["label"].strip(),
        )
        for shape in shapes
    ]
    db.session.add_all(rows)
    db.session.flush()
    drawn = [[r.target_type, r.target_id, r.shape, r.points, r.label] for r in rows]
    audit.record(
        actor,
        "replace_map_shapes",
        "site_plan",
        plan.id,
        {
            "removed": before,
            "added": len(rows),
            "targets": [f"{r.target_type}:{r.target_id}" for r in rows],
            "shapes_digest": hashlib.sha256(
                json.dumps(drawn, ensure_ascii=False).encode()
            ).hexdigest(),
        },
    )
    return plan
