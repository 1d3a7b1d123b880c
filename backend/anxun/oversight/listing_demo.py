"""Demo data: a publicly listed major hazard of the chemical plant and an interview of the dust firm."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.hazards import services as hazards
from anxun.orgs.models import Enterprise
from anxun.oversight.enforcement import services as enforcement_services
from anxun.oversight.listings import services as listing_services


def _actor(username: str) -> Actor:
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


def seed_listing_demo(enterprises: dict[str, Enterprise]) -> None:
    """One confirmed major hazard of hc under public 挂牌督办; one 约谈 record of dust."""
    today = clock.today_local()
    officer = _actor("officer-hc")
    hazard = hazards.report_hazard(
        officer,
        enterprises["hc"],
        {
            "title": "罐区可燃气体检测报警仪与紧急切断阀未联锁",
            "description": "T-101 储罐区可燃气体检测报警后紧急切断阀不能自动关闭。",
            "proposed_level": "major",
        },
        source="direct",
    )
    hazard = hazards.apply_transition(
        officer,
        hazard,
        "confirm",
        {"level": "major", "category": "thing", "deadline": today + timedelta(days=30)},
        expected_state="reported",
    )
    regulator = _actor("regulator")
    listing_services.list_hazard(
        regulator,
        hazard,
        {
            "supervising_office": "宁波市镇海区应急管理局",
            "deadline": today + timedelta(days=30),
            "public_summary": "储罐区可燃气体检测报警与紧急切断未联锁，须限期完成联锁改造并验收。",
            "is_public": True,
        },
    )
    enforcement_services.record_enforcement(
        regulator,
        {
            "enterprise_id": enterprises["dust"].id,
            "kind": "interview",
            "reference_no": "镇应急约〔2026〕2号",
            "summary": "粉尘涉爆除尘系统多次检查发现同类问题，约谈企业主要负责人。",
            "decided_on": today - timedelta(days=14),
            "ends_on": None,
        },
    )
