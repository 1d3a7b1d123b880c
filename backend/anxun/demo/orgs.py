"""Demo organisations: one region chain, regulators, four enterprises, an agency, their users.

All names and addresses are invented; USCC check characters are computed, so they validate.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from anxun.accounts import services as accounts
from anxun.accounts.models import User
from anxun.core import clock
from anxun.core.auth import SYSTEM, Actor, Grant
from anxun.extensions import db
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


def seed_orgs(password: str) -> tuple[Actor, dict[str, Enterprise], list[tuple[str, str, str]]]:
    """Regions, the platform admin, two bureaus and their staff, the four enterprises with
    three users each, the agency, its auditor and the bureau's engagement of it.

    Returns the platform admin, the enterprises by key and the logins created."""
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
    return actor, enterprises, logins
