"""Demo risk register of the chemical plant: one major hazard source, graded, checkable."""

from __future__ import annotations

from sqlalchemy import select

from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.inspections.models import Place
from anxun.orgs.models import Enterprise
from anxun.risk.grading.services import assess_risk_event
from anxun.risk.registry import services as registry


def seed_risk_register(head: Actor, enterprise: Enterprise) -> None:
    """A small risk register for the chemical plant: one major hazard source, graded, checkable."""
    risk_object = registry.create_risk_object(
        head,
        enterprise.id,
        {
            "name": "液氨罐区",
            "hazard_code": "330211-WX-001",
            "is_major_hazard_source": True,
            "accountable_main": "周立新",
            "accountable_technical": "陈海波",
            "accountable_operational": "王志强",
        },
    )
    # The unit stands at the 液氨罐区 place, so its risk card shows the unit's level.
    place_id = db.session.scalar(
        select(Place.id).where(Place.enterprise_id == enterprise.id, Place.name == "液氨罐区")
    )
    unit = registry.create_risk_unit(
        head,
        risk_object.id,
        {
            "name": "1#液氨储罐",
            "department": "储运车间",
            "responsible_name": "王志强",
            "place_id": place_id,
        },
    )
    event = registry.create_risk_event(
        head,
        unit.id,
        {
            "name": "储罐泄漏引发中毒",
            "consequence": "液氨泄漏导致人员中毒",
            "accident_types": ["中毒和窒息"],
        },
    )
    # One measure of each of the five kinds a register lists; classify1/2 are the national codes.
    for description, kind, classify1, classify2, level, check in (
        (
            "罐区设置有毒气体检测报警仪并与喷淋联锁",
            "engineering",
            "engineering",
            "1-4",
            "workshop",
            "报警仪完好、在检定期内，联锁投用",
        ),
        (
            "储罐液位、压力远传监控，高低限报警",
            "engineering",
            "engineering",
            "1-1",
            "team",
            "液位、压力远传正常，报警设定正确",
        ),
        (
            "执行液氨装卸作业票制度，装卸全程专人监护",
            "management",
            "operation",
            "3-2",
            "team",
            "作业票齐全，监护记录完整",
        ),
        (
            "罐区操作人员持证上岗，每年接受液氨泄漏处置培训",
            "training",
            "operation",
            "3-1",
            "workshop",
            "培训记录和上岗证在有效期内",
        ),
        (
            "进入罐区佩戴便携式氨气检测仪和防毒面具",
            "ppe",
            "operation",
            "3-4",
            "post",
            "检测仪在检定期内，防毒面具滤毒罐未过期",
        ),
        (
            "罐区配备正压式空气呼吸器和防化服，每半年开展泄漏应急演练",
            "emergency",
            "emergency",
            "4-2",
            "workshop",
            "呼吸器气压充足，防化服完好，演练记录完整",
        ),
    ):
        registry.create_control_measure(
            head,
            event.id,
            {
                "description": description,
                "kind": kind,
                "classify1": classify1,
                "classify2": classify2,
                "control_level": level,
                "data_source": "hazard_inspection",
                "check_content": check,
            },
        )
    assess_risk_event(
        head, event.id, {"method": "LEC", "kind": "residual", "L": 3, "E": 6, "C": 15}
    )
