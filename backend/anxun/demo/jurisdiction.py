"""Demo jurisdiction for the regulator overview and map: twenty more invented enterprises in 镇海区
with a safety officer each, a month of inspection tasks done (or not), hazards, and today's grades.

Everything goes through the services (create_enterprise, create_user, create_plan,
materialize_enterprise, submit_inspection, report_hazard, apply_transition,
refresh_enterprise_grade); past events are written with the clock set back to when they happened,
then the clock is restored.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from math import floor

from sqlalchemy import select

from anxun.accounts import services as accounts
from anxun.checklists.loader import item_index, profile_item_ids
from anxun.checklists.models import ChecklistVersion
from anxun.core import clock
from anxun.core.auth import Actor, Grant
from anxun.extensions import db
from anxun.hazards import services as hazards
from anxun.inspections import planning
from anxun.inspections import services as inspections
from anxun.inspections.models import TaskOccurrence
from anxun.inspections.planning_schemas import PlanCreateSchema
from anxun.inspections.schemas import InspectionSubmitSchema
from anxun.orgs import services as orgs
from anxun.orgs.models import Enterprise
from anxun.orgs.rules import uscc_with_check
from anxun.risk.grading.services import refresh_enterprise_grade

# (name, industry, size class, latitude, longitude, street) — invented, spread over the district.
JURISDICTION = [
    (
        "宁波蛟川精细化工有限公司",
        "hazardous_chemicals",
        "medium",
        29.9652,
        121.6893,
        "蛟川街道化工路 12 号",
    ),
    (
        "宁波港城石化储运有限公司",
        "hazardous_chemicals",
        "large",
        29.9576,
        121.7021,
        "澥浦镇港城路 6 号",
    ),
    (
        "宁波澥浦新材料有限公司",
        "hazardous_chemicals",
        "medium",
        29.9931,
        121.6237,
        "澥浦镇海天中路 58 号",
    ),
    (
        "宁波甬江涂料有限公司",
        "hazardous_chemicals",
        "small",
        29.9468,
        121.6415,
        "招宝山街道甬江路 33 号",
    ),
    (
        "宁波镇化气体有限公司",
        "hazardous_chemicals",
        "small",
        29.9812,
        121.6702,
        "蛟川街道北海路 7 号",
    ),
    (
        "宁波临港溶剂有限公司",
        "hazardous_chemicals",
        "micro",
        29.9899,
        121.6964,
        "澥浦镇滨海路 101 号",
    ),
    (
        "宁波骆驼精密铸造有限公司",
        "dust_explosion",
        "medium",
        29.9541,
        121.5723,
        "骆驼街道骆兴路 18 号",
    ),
    ("宁波庄市铝业有限公司", "dust_explosion", "small", 29.9403, 121.5917, "庄市街道兴庄路 66 号"),
    ("宁波九龙湖木业有限公司", "dust_explosion", "small", 29.9987, 121.5822, "九龙湖镇长石路 9 号"),
    (
        "宁波贵驷抛光科技有限公司",
        "dust_explosion",
        "micro",
        29.9765,
        121.6088,
        "骆驼街道贵驷路 21 号",
    ),
    (
        "宁波威远粉末冶金有限公司",
        "dust_explosion",
        "medium",
        29.9357,
        121.6196,
        "庄市街道永旺路 3 号",
    ),
    (
        "宁波招宝污水处理有限公司",
        "confined_space",
        "medium",
        29.9488,
        121.7068,
        "招宝山街道沿江东路 2 号",
    ),
    (
        "宁波镇海酿造有限公司",
        "confined_space",
        "small",
        29.9521,
        121.6554,
        "招宝山街道车站路 45 号",
    ),
    ("宁波汶溪供水有限公司", "confined_space", "small", 29.9633, 121.5628, "九龙湖镇汶溪路 8 号"),
    ("宁波澥浦电镀有限公司", "confined_space", "micro", 29.9858, 121.6466, "澥浦镇兴浦路 16 号"),
    (
        "宁波蛟川建设工程有限公司",
        "construction",
        "medium",
        29.9597,
        121.6331,
        "蛟川街道中官西路 88 号",
    ),
    (
        "宁波新城市政工程有限公司",
        "construction",
        "large",
        29.9425,
        121.6639,
        "招宝山街道城河西路 5 号",
    ),
    (
        "宁波庄市建筑安装有限公司",
        "construction",
        "small",
        29.9338,
        121.5778,
        "庄市街道庄市大道 120 号",
    ),
    (
        "宁波九龙湖园林工程有限公司",
        "construction",
        "small",
        29.9961,
        121.5669,
        "九龙湖镇九龙大道 77 号",
    ),
    (
        "宁波镇海港务机械有限公司",
        "industry_trade",
        "medium",
        29.9712,
        121.7135,
        "招宝山街道港口路 1 号",
    ),
]
CHECKLISTS = {
    "hazardous_chemicals": "hazardous-chemicals",
    "dust_explosion": "dust-explosion",
    "confined_space": "confined-space",
    "construction": "construction",
}
# Share of each enterprise's task windows done over the last month (cycled); None: no plan and
# no inspection at all (an enterprise not yet onboarded, "no inspection in 7 days").
DONE_SHARES = [0.95, 0.8, None, 1.0, 0.6, 0.9, 0.7]
PLAN_DAYS = 30
PLAN_ITEMS = 6
HAZARD_TITLES = {
    "hazardous_chemicals": ("储罐区可燃气体检测报警器未定期检定", "装卸区静电接地线松脱"),
    "dust_explosion": ("除尘器泄爆片未按期检查", "车间积尘未及时清理"),
    "confined_space": ("有限空间出入口未设置警示标识", "作业前未进行气体检测"),
    "construction": ("临边防护栏杆缺失", "脚手架连墙件设置不足"),
    "industry_trade": ("起重机械限位器失效", "消防通道堆放杂物"),
}


def _passing_answer(item: dict) -> dict:
    """A plausible compliant answer: readings inside the range, a non-failing option."""
    answer = item["answer"]
    kind = answer["type"]
    value = None
    if kind == "number":
        low, high = answer.get("min"), answer.get("max")
        if low is not None and high is not None:
            value = round((low + high) / 2, 2)
        elif high is not None:
            value = round(high * 0.5, 2)
        else:
            value = (low or 0) + 1
    elif kind == "choice":
        value = next(o["code"] for o in answer["options"] if not o.get("fails"))
    elif kind == "text":
        value = "正常"
    return {"item_id": item["id"], "result": "pass", "value": value}


def _inspect(officer: Actor, enterprise: Enterprise, version, occurrence: TaskOccurrence, items):
    """The officer does one task window: an inspection finished two hours into the window."""
    finished = occurrence.due_start + timedelta(hours=2)
    index = item_index(version.document)
    payload = {
        "id": str(uuid.uuid4()),
        "enterprise_id": enterprise.id,
        "task_occurrence_id": occurrence.id,
        "checklist_code": version.code,
        "checklist_version": version.version_hash,
        "inspection_type": "daily",
        "started_at": (finished - timedelta(minutes=25)).isoformat(),
        "finished_at": finished.isoformat(),
        "device_id": "demo",
        "answers": [_passing_answer(index[i]) for i in items],
    }
    with clock.as_of(finished + timedelta(minutes=2)):
        inspections.submit_inspection(officer, InspectionSubmitSchema().load(payload))


def _month_of_tasks(officer: Actor, enterprise: Enterprise, version, share: float, now) -> None:
    """A daily plan started PLAN_DAYS ago; `share` of its past windows were done in time."""
    items = profile_item_ids(version.document, None)[:PLAN_ITEMS]
    with clock.as_of(now - timedelta(days=PLAN_DAYS)):
        plan = PlanCreateSchema().load(
            {
                "title": "每日安全检查",
                "checklist_code": version.code,
                "item_ids": items,
                "inspection_type": "daily",
                "frequency_every": 1,
                "frequency_unit": "day",
                "assignee_role": "safety_officer",
            }
        )
        planning.create_plan(officer, enterprise.id, plan)
    planning.materialize_enterprise(enterprise.id, now)
    windows = db.session.scalars(
        select(TaskOccurrence)
        .where(TaskOccurrence.enterprise_id == enterprise.id, TaskOccurrence.due_end <= now)
        .order_by(TaskOccurrence.due_start)
    ).all()
    for k, occurrence in enumerate(windows):
        if floor((k + 1) * share) > floor(k * share):
            _inspect(officer, enterprise, version, occurrence, items)


def _hazard(officer: Actor, enterprise: Enterprise, title: str, level: str, at, days: int):
    """Reported and confirmed at `at` with a deadline `days` later (overdue once it passes)."""
    with clock.as_of(at):
        hazard = hazards.report_hazard(
            officer,
            enterprise,
            {"title": title, "proposed_level": level},
            source="direct",
            notice=False,
        )
        deadline = clock.today_local() + timedelta(days=days)
        hazards.apply_transition(
            officer,
            hazard,
            "confirm",
            {"level": level, "category": "thing", "deadline": deadline},
            expected_state="reported",
        )


def _latest_version(code: str) -> ChecklistVersion | None:
    return db.session.scalar(
        select(ChecklistVersion)
        .where(ChecklistVersion.code == code, ChecklistVersion.owner_enterprise_id.is_(None))
        .order_by(ChecklistVersion.id.desc())
        .limit(1)
    )


def seed_jurisdiction(platform_admin: Actor, password: str, region_code: str = "330211") -> int:
    """Add the JURISDICTION enterprises with their history; grade every enterprise today.

    Returns how many enterprises were added."""
    now = clock.now()
    for n, (name, industry, size, lat, lon, street) in enumerate(JURISDICTION, start=1):
        enterprise = orgs.create_enterprise(
            platform_admin,
            {
                "name": name,
                "uscc": uscc_with_check(f"91{region_code}MA2R{n:05d}"),
                "region_code": region_code,
                "industries": [industry],
                "size_class": size,
                "address": f"浙江省宁波市镇海区{street}",
                "latitude": lat,
                "longitude": lon,
                "head_name": "（演示）负责人",
            },
        )
        user = accounts.create_user(
            platform_admin,
            {
                "username": f"officer-zh{n:02d}",
                "display_name": f"安全员{n:02d}",
                "password": password,
            },
            [
                Grant("safety_officer", enterprise_id=enterprise.id),
                Grant("inspector", enterprise_id=enterprise.id),
            ],
        )
        officer = accounts.actor_for(user)
        version = _latest_version(CHECKLISTS.get(industry, ""))
        share = DONE_SHARES[n % len(DONE_SHARES)]
        if version is not None and share is not None:
            _month_of_tasks(officer, enterprise, version, share, now)
        first, second = HAZARD_TITLES[industry]
        if n % 5 == 0:  # a major hazard confirmed 25 days ago, 10 days to fix: overdue
            _hazard(officer, enterprise, first, "major", now - timedelta(days=25), 10)
        if n % 3 == 0:  # a general hazard confirmed 15 days ago, 5 days to fix: overdue
            _hazard(officer, enterprise, second, "general", now - timedelta(days=15), 5)
        if n % 2 == 0:  # a general hazard confirmed yesterday, still within its deadline
            _hazard(officer, enterprise, second, "general", now - timedelta(days=1), 14)
    for enterprise in db.session.scalars(select(Enterprise).order_by(Enterprise.id)):
        refresh_enterprise_grade(platform_admin, enterprise)
    return len(JURISDICTION)
