"""Demo audit runs: an open run of the hazardous-chemicals enterprise (one inspection, one
finding) and a signed run of the dust enterprise, both by the demo auditor."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from anxun.accounts import services as accounts
from anxun.accounts.models import User
from anxun.audits import services
from anxun.checklists import queries as checklist_queries
from anxun.checklists.loader import item_index, profile_item_ids
from anxun.core import clock
from anxun.extensions import db
from anxun.orgs.models import Engagement, EngagementEnterprise, Enterprise

CHECKLIST, PROFILE = "hazardous-chemicals", "small_micro"


def _passing_answer(item: dict) -> dict:
    answer = item["answer"]
    value = None
    if answer["type"] == "number":
        value = answer.get("min") if answer.get("min") is not None else answer.get("max")
    elif answer["type"] == "choice":
        value = next(o["code"] for o in answer["options"] if not o.get("fails"))
    elif answer["type"] == "text":
        value = "正常"
    return {"item_id": item["id"], "result": "pass", "value": value}


def _inspect(auditor, run, enterprise: Enterprise) -> None:
    from anxun.inspections.schemas import InspectionSubmitSchema
    from anxun.inspections.services import submit_inspection

    version = checklist_queries.get_version(CHECKLIST, None, enterprise)
    index = item_index(version.document)
    finished = clock.now().replace(microsecond=0)
    raw = {
        "id": str(uuid.uuid4()),
        "enterprise_id": enterprise.id,
        "audit_run_id": run.id,
        "checklist_code": version.code,
        "checklist_version": version.version_hash,
        "profile": PROFILE,
        "inspection_type": "comprehensive",
        "started_at": (finished - timedelta(minutes=50)).isoformat(),
        "finished_at": finished.isoformat(),
        "device_id": "demo-auditor",
        "answers": [_passing_answer(index[i]) for i in profile_item_ids(version.document, PROFILE)],
    }
    submit_inspection(auditor, InspectionSubmitSchema().load(raw))


def seed_audits() -> None:
    """Needs the demo world (auditor, engagement of hc and dust)."""
    user = db.session.scalar(select(User).where(User.username == "auditor"))
    engagement = db.session.scalar(select(Engagement).order_by(Engagement.id))
    if user is None or engagement is None:
        return
    auditor = accounts.actor_for(user)
    engaged = set(
        db.session.scalars(
            select(EngagementEnterprise.enterprise_id).where(
                EngagementEnterprise.engagement_id == engagement.id
            )
        )
    )
    enterprises = list(
        db.session.scalars(
            select(Enterprise).where(Enterprise.id.in_(engaged)).order_by(Enterprise.id)
        )
    )
    hc = next((e for e in enterprises if "hazardous_chemicals" in e.industries), None)
    dust = next((e for e in enterprises if "dust_explosion" in e.industries), None)
    if hc is not None:
        run = services.open_audit_run(
            auditor,
            {
                "engagement_id": engagement.id,
                "enterprise_id": hc.id,
                "title": "2026年第四季度安全生产标准化及隐患排查治理审核",
                "scope": "液氨罐区、合成车间；隐患排查治理体系运行情况。",
                "method": "现场检查（危险化学品检查表简版）、资料核查、人员询问。",
            },
        )
        _inspect(auditor, run, hc)
        services.record_finding(
            auditor,
            run,
            {
                "title": "液氨罐区应急喷淋装置月度试验记录缺失",
                "description": "10月、11月未见喷淋装置试验记录，现场询问操作人员不清楚试验周期。",
                "basis": "《危险化学品企业安全风险隐患排查治理导则》（应急〔2019〕78号）",
                "proposed_level": "general",
            },
        )
    if dust is not None:
        run = services.open_audit_run(
            auditor,
            {
                "engagement_id": engagement.id,
                "enterprise_id": dust.id,
                "title": "粉尘防爆专项审核",
                "scope": "抛光车间及除尘系统。",
                "method": "现场检查、除尘系统运行记录核查。",
            },
        )
        services.record_finding(
            auditor,
            run,
            {
                "title": "除尘器泄爆口朝向人员通道",
                "description": "除尘器泄爆口正对车间东侧人员通道，未设置导流或隔离。",
                "basis": "《粉尘防爆安全规程》（GB 15577-2018）",
                "proposed_level": "general",
            },
        )
        services.sign_audit_run(
            auditor,
            run,
            {
                "conclusion": "该企业粉尘防爆基本制度健全，发现一般隐患1项，应限期整改。",
                "expected_state": "open",
            },
        )
