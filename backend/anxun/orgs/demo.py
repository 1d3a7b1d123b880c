"""Demo data for `make run`: one region chain, regulators, four enterprises, an agency, users.

All names and addresses are invented; USCC check characters are computed, so they validate.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from anxun.accounts import services as accounts
from anxun.accounts.models import User
from anxun.core import clock
from anxun.core.auth import SYSTEM, Actor, Grant
from anxun.extensions import db
from anxun.inspections.models import Place
from anxun.orgs import services
from anxun.orgs.models import Enterprise
from anxun.orgs.rules import uscc_with_check

REGIONS = [("330000", "浙江省"), ("330200", "宁波市"), ("330211", "镇海区")]

ENTERPRISES = {
    "hc": {
        "name": "宁波澄江化工有限公司",
        "uscc": uscc_with_check("91330211MA2H3K5L0"),
        "industries": ["hazardous_chemicals"],
        "size_class": "medium",
        "address": "浙江省宁波市镇海区澄江路 88 号（化工园区）",
        "latitude": 29.9821,
        "longitude": 121.6412,
        "head_name": "周立新",
        "head_phone": "13805740101",
        "safety_head_name": "陈海波",
        "safety_head_phone": "13805740102",
        "has_major_hazard_source": True,
        "hazchem_registration_code": "330210078",
        "document_abbreviation": "澄化",
        "people": {"head": "周立新", "officer": "陈海波", "rectifier": "王志强"},
    },
    "con": {
        "name": "宁波甬港建设工程有限公司",
        "uscc": uscc_with_check("91330211316987654"),
        "industries": ["construction"],
        "size_class": "large",
        "address": "浙江省宁波市镇海区骆驼街道金华路 16 号",
        "latitude": 29.9573,
        "longitude": 121.6011,
        "head_name": "林国栋",
        "head_phone": "13805740201",
        "safety_head_name": "郑晓东",
        "safety_head_phone": "13805740202",
        "has_major_hazard_source": False,
        "document_abbreviation": "甬港建",
        "people": {"head": "林国栋", "officer": "郑晓东", "rectifier": "徐建平"},
    },
    "dust": {
        "name": "宁波恒锐金属制品有限公司",
        "uscc": uscc_with_check("91330211MA2CJ8XQ1"),
        "industries": ["dust_explosion", "industry_trade"],
        "size_class": "small",
        "address": "浙江省宁波市镇海区蛟川街道临江路 203 号",
        "latitude": 29.9702,
        "longitude": 121.6655,
        "head_name": "方志明",
        "head_phone": "13805740301",
        "safety_head_name": "吴丽华",
        "safety_head_phone": "13805740302",
        "has_major_hazard_source": False,
        "document_abbreviation": "恒锐",
        "people": {"head": "方志明", "officer": "吴丽华", "rectifier": "孙永强"},
    },
    "cs": {
        "name": "宁波清源水务运营有限公司",
        "uscc": uscc_with_check("91330211MA2J0R7T5"),
        "industries": ["confined_space", "industry_trade"],
        "size_class": "medium",
        "address": "浙江省宁波市镇海区庄市街道清源路 9 号",
        "latitude": 29.9388,
        "longitude": 121.5893,
        "head_name": "何建华",
        "head_phone": "13805740401",
        "safety_head_name": "蒋文斌",
        "safety_head_phone": "13805740402",
        "has_major_hazard_source": False,
        "document_abbreviation": "清源",
        "people": {"head": "何建华", "officer": "蒋文斌", "rectifier": "马小军"},
    },
}

AGENCY = {
    "name": "浙江安信安全技术服务有限公司",
    "uscc": uscc_with_check("91330200MA2AXY8K3"),
    "qualification": "安全评价机构资质（乙级）",
    "qualification_certificate_no": "APJ-（浙）-518",
}


# Places and a daily plan per enterprise: (place name, kind, latitude, longitude), checklist, profile.
OPERATIONS = {
    "hc": {
        "places": [
            ("液氨罐区", "area", 29.9823, 121.6410),
            ("合成车间", "unit", 29.9818, 121.6420),
        ],
        "checklist": ("hazardous-chemicals", "daily_field"),
    },
    "con": {
        "places": [
            ("1#楼施工现场", "area", 29.9575, 121.6013),
            ("塔吊 QTZ80", "equipment", None, None),
        ],
        "checklist": ("construction", "daily_field"),
    },
    "dust": {
        "places": [("抛光车间", "unit", 29.9703, 121.6656), ("除尘器", "equipment", None, None)],
        "checklist": ("dust-explosion", "daily_field"),
    },
    "cs": {
        "places": [("污水提升泵站", "area", 29.9390, 121.5895), ("污泥池", "area", None, None)],
        "checklist": ("confined-space", "daily_field"),
    },
}


def _seed_operations(head: Actor, enterprise: Enterprise, spec: dict) -> None:
    """Two places and a daily inspection plan, so today's tasks exist in the PWA."""
    from anxun.inspections import planning
    from anxun.inspections.planning_schemas import PlaceCreateSchema, PlanCreateSchema

    place_ids = []
    for name, kind, lat, lon in spec["places"]:
        data = {"name": name, "kind": kind}
        if lat is not None:
            data.update(latitude=lat, longitude=lon)
        place_ids.append(
            planning.create_place(head, enterprise.id, PlaceCreateSchema().load(data)).id
        )
    code, profile = spec["checklist"]
    start = (
        clock.now().astimezone(clock.CHINA_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    plan = PlanCreateSchema().load(
        {
            "title": "每日安全检查",
            "checklist_code": code,
            "profile": profile,
            "inspection_type": "daily",
            "frequency_every": 1,
            "frequency_unit": "day",
            "assignee_role": "safety_officer",
            "place_ids": place_ids,
            "anchor_at": start.isoformat(),
        }
    )
    planning.create_plan(head, enterprise.id, plan)


def _seed_risk_register(head: Actor, enterprise: Enterprise) -> None:
    """A small risk register for the chemical plant: one major hazard source, graded, checkable."""
    from anxun.risk.grading.services import assess_risk_event
    from anxun.risk.registry import services as registry

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


def is_empty() -> bool:
    return db.session.scalar(select(func.count(User.id))) == 0


def seed_demo(
    password: str, checklist_dir: Path, *, operations: bool = True
) -> list[tuple[str, str, str]]:
    """Create the demo world; returns (username, role label, organisation) for printing.

    `operations` adds places, daily plans and a risk register (tests start without them)."""
    from anxun.checklists.services import load_directory

    load_directory(SYSTEM, checklist_dir)  # plans need their checklists (a no-op when loaded)
    logins: list[tuple[str, str, str]] = []
    services.upsert_regions(SYSTEM, REGIONS)
    admin = accounts.create_user(
        SYSTEM,
        {"username": "admin", "display_name": "平台管理员", "password": password},
        [Grant("platform_admin")],
    )
    actor: Actor = accounts.actor_for(admin)
    logins.append(("admin", "平台管理员", "安巡平台"))

    em = services.create_regulator(
        actor,
        {
            "name": "宁波市镇海区应急管理局",
            "kind": "emergency_management",
            "region_code": "330211",
            "industries": [
                "hazardous_chemicals",
                "dust_explosion",
                "confined_space",
                "industry_trade",
            ],
        },
    )
    housing = services.create_regulator(
        actor,
        {
            "name": "宁波市镇海区住房和城乡建设局",
            "kind": "housing_construction",
            "region_code": "330211",
            "industries": ["construction"],
        },
    )
    # Invented 执法证号: every enforcement officer carries one (orders need two officers).
    regulator_users = [
        ("regulator", "赵振华", "33021120001", Grant("regulator_inspector", regulator_id=em.id)),
        ("regulator-admin", "钱思远", "33021120002", Grant("regulator_admin", regulator_id=em.id)),
        (
            "regulator-con",
            "冯建军",
            "33021130001",
            Grant("regulator_inspector", regulator_id=housing.id),
        ),
    ]
    for username, name, certificate, grant in regulator_users:
        org = em.name if grant.regulator_id == em.id else housing.name
        accounts.create_user(
            actor,
            {
                "username": username,
                "display_name": name,
                "password": password,
                "enforcement_certificate_no": certificate,
            },
            [grant],
        )
        logins.append(
            (username, "监管执法人员" if "inspector" in grant.role else "监管部门管理员", org)
        )

    enterprises: dict[str, Enterprise] = {}
    for key, spec in ENTERPRISES.items():
        data = {k: v for k, v in spec.items() if k != "people"}
        enterprise = services.create_enterprise(actor, {**data, "region_code": "330211"})
        enterprises[key] = enterprise
        for role, prefix, label in (
            ("head", "head", "主要负责人"),
            ("safety_officer", "officer", "安全管理人员"),
            ("rectifier", "rectifier", "整改责任人"),
        ):
            person = spec["people"][
                "head" if role == "head" else "officer" if prefix == "officer" else "rectifier"
            ]
            username = f"{prefix}-{key}"
            grants = [Grant(role, enterprise_id=enterprise.id)]
            if role == "safety_officer":
                grants.append(Grant("inspector", enterprise_id=enterprise.id))
            accounts.create_user(
                actor, {"username": username, "display_name": person, "password": password}, grants
            )
            logins.append((username, label, enterprise.name))

    agency = services.create_agency(actor, AGENCY)
    accounts.create_user(
        actor,
        {"username": "auditor", "display_name": "黄明辉", "password": password},
        [Grant("auditor", agency_id=agency.id)],
    )
    logins.append(("auditor", "第三方机构审核员", agency.name))
    regulator_admin = accounts.actor_for(
        db.session.scalar(select(User).where(User.username == "regulator-admin"))
    )
    today = clock.today_local()
    services.create_engagement(
        regulator_admin,
        {
            "agency_id": agency.id,
            "commissioned_by": "regulator",
            "title": "2026年度镇海区危化品和粉尘涉爆企业安全生产第三方服务",
            "scope": ["inspections", "hazards", "risk", "documents"],
            "valid_from": today - timedelta(days=30),
            "valid_to": today + timedelta(days=335),
            "enterprise_ids": [enterprises["hc"].id, enterprises["dust"].id],
        },
    )
    for key, enterprise in enterprises.items() if operations else ():
        head = accounts.actor_for(
            db.session.scalar(select(User).where(User.username == f"head-{key}"))
        )
        _seed_operations(head, enterprise, OPERATIONS[key])
        if key == "hc":
            _seed_risk_register(head, enterprise)
    if operations:
        from anxun.oversight.spot_check_demo import seed_spot_checks

        logins.extend(seed_spot_checks(actor, password))
        from anxun.oversight import patrol_demo

        patrol_demo.seed(enterprises)
        from anxun.incidents.demo import seed_incident_demo
        from anxun.oversight.listing_demo import seed_listing_demo

        seed_listing_demo(enterprises)
        seed_incident_demo(enterprises["hc"])
        from anxun.permits.demo import seed_permit_demo

        seed_permit_demo(enterprises["hc"])
        from anxun.audits.demo import seed_audits

        seed_audits()
        from anxun.oversight.dashboard_demo import seed_jurisdiction

        seed_jurisdiction(actor, password)
        from anxun.campaigns.demo import seed_campaign_demo

        seed_campaign_demo(enterprises["hc"])
    return logins
