"""Demo campaign: a running 粉尘涉爆 campaign of the 镇海区 bureau, launched nine days ago, with
self-checks done (one 零隐患, one with a finding), laggards, and a daily commitment of hc."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from anxun.accounts.models import Membership, User
from anxun.accounts.services import actor_for
from anxun.campaigns import queries, services
from anxun.campaigns.models import CampaignTarget
from anxun.checklists.loader import item_index
from anxun.commitments import queries as commitment_queries
from anxun.commitments import rules as commitment_rules
from anxun.commitments import services as commitments
from anxun.core import clock
from anxun.extensions import db
from anxun.hazards import services as hazards
from anxun.inspections import services as inspections
from anxun.inspections.models import TaskOccurrence
from anxun.inspections.schemas import InspectionSubmitSchema
from anxun.orgs.models import Enterprise


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _officer(enterprise_id: int) -> User | None:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.enterprise_id == enterprise_id, Membership.role == "safety_officer")
        .order_by(User.id)
        .limit(1)
    )


def _self_check(campaign, target: CampaignTarget, finished) -> None:
    officer = _officer(target.enterprise_id)
    version = queries.campaign_version(campaign)
    index = item_index(version.document)
    occurrence = db.session.get(TaskOccurrence, target.occurrence_id)
    payload = {
        "id": str(uuid.uuid4()),
        "enterprise_id": target.enterprise_id,
        "task_occurrence_id": occurrence.id,
        "checklist_code": version.code,
        "checklist_version": version.version_hash,
        "inspection_type": "special",
        "started_at": (finished - timedelta(minutes=40)).isoformat(),
        "finished_at": finished.isoformat(),
        "device_id": "demo",
        "answers": [
            {"item_id": i, "result": "pass", "value": _value(index[i])}
            for i in queries.campaign_item_ids(campaign, version)
        ],
    }
    with clock.as_of(finished + timedelta(minutes=3)):
        inspections.submit_inspection(actor_for(officer), InspectionSubmitSchema().load(payload))


def _value(item: dict):
    answer = item["answer"]
    if answer["type"] == "number":
        low, high = answer.get("min"), answer.get("max")
        return high if high is not None else low
    if answer["type"] == "choice":
        return next(o["code"] for o in answer["options"] if not o.get("fails"))
    return "正常" if answer["type"] == "text" else None


def seed_campaigns(hc: Enterprise) -> None:
    """The running campaign and today's commitment of hc (signed at 07:50)."""
    now = clock.now()
    today = clock.today_local()
    admin = actor_for(_user("regulator-admin"))
    with clock.as_of(now - timedelta(days=9)):
        start = clock.today_local()
        campaign = services.create_campaign(
            admin,
            {
                "title": "2026年冬季粉尘涉爆企业专项整治",
                "document_no": "镇应急〔2026〕41号",
                "legal_basis": "《工贸企业粉尘防爆安全规定》（应急管理部令第6号）",
                "notice_text": (
                    "各粉尘涉爆企业：请对照检查表开展自查自改，于自查截止日前在手机端完成并如实"
                    "登记隐患；区应急管理局将组织督导检查，并对整改情况开展回头看。"
                ),
                "checklist_code": "dust-explosion",
                "profile": "small_micro",
                "targets": {"industries": ["dust_explosion"], "region_codes": ["330211"]},
                "supervisor_kind": "regulator",
                "self_check_start": start,
                "self_check_end": today + timedelta(days=5),
                "supervision_start": today + timedelta(days=6),
                "supervision_end": today + timedelta(days=15),
                "follow_up_start": today + timedelta(days=25),
                "follow_up_end": today + timedelta(days=35),
            },
        )
        services.launch_campaign(admin, campaign)
    targets = db.session.scalars(
        select(CampaignTarget)
        .where(CampaignTarget.campaign_id == campaign.id)
        .order_by(CampaignTarget.enterprise_id)
    ).all()
    done = [t for t in targets if _officer(t.enterprise_id) is not None][:2]
    for n, target in enumerate(done):
        _self_check(campaign, target, now - timedelta(days=6 - n))
    if done:
        officer = actor_for(_officer(done[-1].enterprise_id))
        with clock.as_of(now - timedelta(days=5)):
            hazard = hazards.report_hazard(
                officer,
                db.session.get(Enterprise, done[-1].enterprise_id),
                {"title": "除尘器泄爆口朝向人员通道", "proposed_level": "general"},
                source="campaign",
                notice=False,
            )
            hazard.campaign_id = campaign.id
    _commit_today(hc, now)


def _commit_today(hc: Enterprise, now) -> None:
    head = actor_for(_user("head-hc"))
    signed_at = now.astimezone(clock.CHINA_TZ).replace(hour=7, minute=50, second=0, microsecond=0)
    with clock.as_of(min(signed_at, now)):
        form = commitment_rules.prefill(
            None,
            commitment_queries.registry_sources(hc.id),
            commitment_queries.special_work_today(hc.id, clock.today_local()),
            commitment_queries.open_major_hazards(hc.id),
        )
        commitments.make_commitment(head, {"id": uuid.uuid4(), "enterprise_id": hc.id, **form})
