"""Demo oversight: patrols with orders, a listed major hazard, an interview, a random spot check."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from anxun.accounts import services as accounts
from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core import clock
from anxun.core.auth import Actor, Grant
from anxun.extensions import db
from anxun.hazards import services as hazards
from anxun.orgs.models import Enterprise
from anxun.oversight.enforcement import services as enforcement_services
from anxun.oversight.listings import services as listing_services
from anxun.oversight.patrols import services as patrol_services
from anxun.oversight.spot_checks import services as spot_check_services

SAFETY_LAW_65 = {"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}
HAZCHEM_GUIDE = {"document": "《危险化学品企业安全风险隐患排查治理导则》（应急〔2019〕78号）"}
DUST_RULES = {"document": "《工贸企业粉尘防爆安全规定》（应急管理部令第6号）"}
HC_FINDINGS = [
    ("罐区可燃气体检测报警器未按期检定", "罐区 2 台可燃气体检测报警器检定证书已过期。", "general"),
    ("动火作业票证审批不全", "抽查 3 张动火作业票，2 张缺少安全管理人员审批签字。", "general"),
]


def _actor(username: str) -> Actor:
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


def _finding(regulator, patrol, title, description, level, basis, deadline):
    finding, _ = patrol_services.record_finding(
        regulator,
        patrol,
        {
            "id": uuid.uuid4(),
            "title": title,
            "description": description,
            "basis": [{"clause": "", **basis}],
            "proposed_level": level,
            "category": "thing" if "报警器" in title else "management",
            "media_ids": [],
            "deadline": deadline,
        },
    )
    return finding


def _order(regulator, enterprise, patrol, findings, deadline, requirements):
    co_officer = db.session.scalar(select(User.id).where(User.username == "regulator-admin"))
    return patrol_services.issue_order(
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


def seed_patrols(enterprises: dict[str, Enterprise]) -> None:
    """Seed through the services, as the regulator and the hc head would act."""
    regulator = _actor("regulator")
    today = clock.today_local()

    hc = enterprises["hc"]
    patrol = patrol_services.open_patrol(regulator, {"enterprise_id": hc.id, "mode": "online"})
    deadline = today + timedelta(days=14)
    findings = [
        _finding(regulator, patrol, title, description, level, HAZCHEM_GUIDE, deadline)
        for title, description, level in HC_FINDINGS
    ]
    order = _order(
        regulator, hc, patrol, findings, deadline, "整改完成后上传整改前后照片及检定证书。"
    )
    patrol_services.acknowledge_order(
        _actor("head-hc"), order, {"expected_state": "issued", "note": "已收到，立即安排整改。"}
    )
    patrol_services.close_patrol(
        regulator, patrol, {"summary": "网上巡查发现一般隐患 2 项，已下达整改指令书。"}
    )

    dust = enterprises["dust"]
    patrol = patrol_services.open_patrol(
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
    patrol_services.sweep_orders(clock.now())


def seed_listings(enterprises: dict[str, Enterprise]) -> None:
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


DEMO_SEED = "zhenhai-2026-q4-demo"
SECOND_INSPECTOR = ("regulator2", "孙立伟")


def seed_spot_checks(platform_admin: Actor, password: str) -> list[tuple[str, str, str]]:
    """Registries of the EM bureau (every enterprise it covers, its three officers), and a
    published draw of two enterprises with two inspectors each, the first one inspected.

    Returns the demo login it adds. The housing bureau's construction enterprise is not the EM
    bureau's, so its object registry holds the other three demo enterprises."""
    admin = _actor("regulator-admin")
    regulator = spot_check_services.admin_regulator(admin)
    username, name = SECOND_INSPECTOR
    accounts.create_user(
        platform_admin,
        {"username": username, "display_name": name, "password": password},
        [Grant("regulator_inspector", regulator_id=regulator.id)],
    )
    spot_check_services.add_registry_entries(admin, {"kind": "object"})
    for inspector in ("regulator", "regulator-admin", username):
        spot_check_services.add_registry_entries(
            admin, {"kind": "inspector", "user_id": _actor(inspector).user_id}
        )
    draw = spot_check_services.make_draw(
        admin,
        {
            "title": "2026年第四季度危化品和工贸企业双随机抽查",
            "enterprise_count": 2,
            "inspectors_per_enterprise": 2,
            "seed": DEMO_SEED,
        },
    )
    first = draw.assignments[0]
    inspector = accounts.actor_for(db.session.get(User, first.inspector_user_ids[0]))
    spot_check_services.record_result(
        inspector,
        first.id,
        {"result": "no_issues", "summary": "现场检查未发现违法违规行为。"},
    )
    spot_check_services.publish_draw(admin, draw.id)
    return [(username, "监管执法人员", regulator.name)]
