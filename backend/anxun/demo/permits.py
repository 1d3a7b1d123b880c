"""Demo data: a confined-space entry under way at the chemical plant with a 一级 hot work inside it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core import clock
from anxun.extensions import db
from anxun.inspections.models import Place
from anxun.orgs.models import Enterprise
from anxun.permits import services


def _actor(username: str):
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


def _walk(permit, place: Place, officer, head, guardian) -> None:
    """Measures at the place, readings taken now, signatures in order, the guardian starts."""
    for measure in services.rule_of(permit).measures:
        services.confirm_measure(
            officer, permit, {"code": measure.code, "is_met": True, "qr_token": place.qr_token}
        )
    for gas, substance, value, unit in services_readings(permit):
        services.record_reading(
            officer,
            permit,
            {
                "id": uuid.uuid4(),
                "gas": gas,
                "substance": substance,
                "value": value,
                "unit": unit,
                "analyst_name": "陈海波",
                "instrument": "四合一气体检测仪 MX6",
                "sampling_point": "上中下",
                "taken_at": clock.now(),
            },
        )
    for step in services.rule_of(permit).approvals:
        signer = head if step.code in ("unit", "head") else officer
        services.approve(signer, permit, {"step": step.code})
    services.start(guardian, permit, {})


def services_readings(permit) -> list[tuple[str, str, float, str]]:
    values = {"oxygen": (20.8, "%vol"), "combustible": (0.1, "%vol"), "toxic": (1.5, "mg/m3")}
    return [(gas, sub, *values[gas]) for gas, sub in services.required_checks(permit)]


def seed_permits(enterprise: Enterprise) -> None:
    place = db.session.scalar(
        select(Place)
        .where(Place.enterprise_id == enterprise.id, Place.is_active.is_(True))
        .order_by(Place.id)
    )
    if place is None:
        return
    officer, head, guardian = _actor("officer-hc"), _actor("head-hc"), _actor("rectifier-hc")
    now = clock.now()
    common = {
        "enterprise_id": enterprise.id,
        "place_id": place.id,
        "valid_from": now - timedelta(minutes=5),
        "valid_to": now + timedelta(hours=6),
        "guardian_user_id": guardian.user_id,
        "medium": "甲苯",
        "lel_percent": 1.2,
        "toxic_substances": ["h2s"],
    }
    space, _ = services.create_permit(
        officer,
        {
            **common,
            "id": uuid.uuid4(),
            "kind": "confined_space",
            "grade": "none",
            "content": "进入储罐内部检查防腐层",
            "workers": [{"name": "刘建国", "certificate_no": ""}],
        },
    )
    _walk(space, place, officer, head, guardian)
    hot, _ = services.create_permit(
        officer,
        {
            **common,
            "id": uuid.uuid4(),
            "kind": "hot_work",
            "grade": "first",
            "content": "罐内支架焊接修复",
            "workers": [{"name": "孙海", "certificate_no": "T330211198703030033"}],
            "related_permit_id": space.id,
        },
    )
    _walk(hot, place, officer, head, guardian)
