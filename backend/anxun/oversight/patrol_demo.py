"""Demo patrols: a closed online patrol of hc with an acknowledged order, an escalated order for dust."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core import clock
from anxun.extensions import db
from anxun.orgs.models import Enterprise
from anxun.oversight.patrols import services

SAFETY_LAW_65 = {"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}
HAZCHEM_GUIDE = {"document": "《危险化学品企业安全风险隐患排查治理导则》（应急〔2019〕78号）"}
DUST_RULES = {"document": "《工贸企业粉尘防爆安全规定》（应急管理部令第6号）"}
HC_FINDINGS = [
    ("罐区可燃气体检测报警器未按期检定", "罐区 2 台可燃气体检测报警器检定证书已过期。", "general"),
    ("动火作业票证审批不全", "抽查 3 张动火作业票，2 张缺少安全管理人员审批签字。", "general"),
]


def _actor(username: str):
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


def _finding(regulator, patrol, title, description, level, basis, deadline):
    finding, _ = services.record_finding(
        regulator,
        patrol,
        {
            "id": uuid.uuid4(),
            "title": title,
            "description": description,
            "basis": [{"clause": "", **basis}],
            "proposed_level": level,
            "category": "thing" if "报警器" in title else "management",
            "photo_ids": [],
            "deadline": deadline,
        },
    )
    return finding


def _order(regulator, enterprise, patrol, findings, deadline, requirements):
    co_officer = db.session.scalar(select(User.id).where(User.username == "regulator-admin"))
    return services.issue_order(
        regulator,
        {
            "enterprise_id": enterprise.id,
            "co_officer_user_id": co_officer,
            "patrol_id": patrol.id,
            "deadline": deadline,
            "basis": [SAFETY_LAW_65],
            "requirements": requirements,
            "items": [
                {"hazard_id": f.hazard_id, "text": f.title, "basis": f.basis} for f in findings
            ],
        },
    )


def seed(enterprises: dict[str, Enterprise]) -> None:
    """Seed through the services, as the regulator and the hc head would act."""
    regulator = _actor("regulator")
    today = clock.today_local()

    hc = enterprises["hc"]
    patrol = services.open_patrol(regulator, {"enterprise_id": hc.id, "mode": "online"})
    deadline = today + timedelta(days=14)
    findings = [
        _finding(regulator, patrol, title, description, level, HAZCHEM_GUIDE, deadline)
        for title, description, level in HC_FINDINGS
    ]
    order = _order(
        regulator, hc, patrol, findings, deadline, "整改完成后上传整改前后照片及检定证书。"
    )
    services.acknowledge_order(
        _actor("head-hc"), order, {"expected_state": "issued", "note": "已收到，立即安排整改。"}
    )
    services.close_patrol(
        regulator, patrol, {"summary": "网上巡查发现一般隐患 2 项，已下达整改指令书。"}
    )

    dust = enterprises["dust"]
    patrol = services.open_patrol(
        regulator, {"enterprise_id": dust.id, "mode": "on_site", "is_unannounced": True}
    )
    finding = _finding(
        regulator,
        patrol,
        "除尘器泄爆口朝向人员通道",
        "抛光车间除尘器泄爆口正对员工通道，未设置安全区域。",
        "major",
        DUST_RULES,
        today + timedelta(days=10),
    )
    order = _order(
        regulator, dust, patrol, [finding], today + timedelta(days=10), "立即设置警戒区域。"
    )
    # The demo order was issued five days ago and never acknowledged, so the sweep escalates it.
    order.issued_at = clock.now() - timedelta(days=5)
    db.session.flush()
    services.sweep_orders(clock.now())
