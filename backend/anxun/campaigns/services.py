"""Every write about campaigns (专项整治): create (also from an incident, 举一反三), launch into
one inspection task per target enterprise, enrol late joiners, draw samples, record checks."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from anxun.accounts.roles import Role
from anxun.campaigns import queries, rules
from anxun.campaigns.models import Campaign, CampaignCheck, CampaignSample, CampaignTarget
from anxun.checklists import queries as checklist_queries
from anxun.checklists import services as checklist_services
from anxun.checklists.loader import INDUSTRIES, item_index, profile_item_ids
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.incidents import rules as incident_rules
from anxun.incidents.models import Incident
from anxun.inspections.models import InspectionPlan, TaskOccurrence
from anxun.orgs import scoping
from anxun.orgs.models import Engagement, Enterprise, Regulator
from anxun.orgs.rules import INDUSTRY_LABELS
from anxun.outbox.enqueue import enqueue
from anxun.oversight.spot_checks import draw as spot_draw

CAMPAIGN_TASK = "campaign_task"
CAMPAIGN_CHECK = "campaign_check"
STAGE_FIELDS = (
    "self_check_start",
    "self_check_end",
    "supervision_start",
    "supervision_end",
    "follow_up_start",
    "follow_up_end",
)


def admin_regulator(actor: Actor) -> Regulator:
    """The bureau in which the actor is regulator_admin (campaigns are the bureau's decision)."""
    return scoping.regulator_for(actor, {Role.regulator_admin})


def _require_admin_of(actor: Actor, campaign: Campaign) -> None:
    if Role.regulator_admin not in actor.regulator_roles(campaign.regulator_id):
        raise Forbidden("只有发起专项整治的监管部门管理员可以执行此操作。")


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.CHINA_TZ)


# ---- the checklist ---------------------------------------------------------------------------


def _written_checklist(actor: Actor, regulator: Regulator, data: dict, industry: str):
    """A short checklist written in the desk, stored as a (shipped-owner) checklist version."""
    code = f"{rules.CHECKLIST_CODE_PREFIX}{regulator.id}-{secrets.token_hex(4)}"
    text = rules.campaign_checklist_yaml(
        code,
        f"{data['title']}检查表",
        industry,
        clock.today_local().isoformat(),
        {
            "title": data["title"],
            "number": data.get("document_no") or "无文号",
            "issuer": regulator.name,
        },
        [t.strip() for t in data["written_items"]],
    )
    version, _ = checklist_services.store_version(actor, text, f"{code}.yaml")
    return version


def _checklist(actor: Actor, regulator: Regulator, data: dict, industry: str) -> tuple:
    """(version, profile, item_ids) from a checklist code (+ profile or items) or written items."""
    if data.get("written_items"):
        texts = [t.strip() for t in data["written_items"] if t.strip()]
        if not texts:
            raise ValidationFailed(
                "检查内容有误。", [field_error("written_items", "请至少写一条检查内容。")]
            )
        return (
            _written_checklist(actor, regulator, {**data, "written_items": texts}, industry),
            None,
            None,
        )
    if not data.get("checklist_code"):
        message = "请选择检查表，或写出专项检查内容。"
        raise ValidationFailed(message, [field_error("checklist_code", message)])
    try:
        version = checklist_queries.get_version(data["checklist_code"], None, None)
    except NotFound as exc:
        raise ValidationFailed(
            "检查表不存在。", [field_error("checklist_code", "未找到该平台检查表。")]
        ) from exc
    profile, item_ids = data.get("profile"), data.get("item_ids")
    if profile is not None:
        try:
            profile_item_ids(version.document, profile)
        except KeyError as exc:
            raise ValidationFailed(
                "检查表没有该简版。", [field_error("profile", "检查表中没有该简版。")]
            ) from exc
    if item_ids:
        unknown = [i for i in item_ids if i not in item_index(version.document)]
        if unknown:
            raise ValidationFailed(
                "检查项有误。",
                [field_error("item_ids", f"检查表中没有这些检查项：{'、'.join(unknown[:10])}。")],
            )
    return version, profile, item_ids or None


# ---- create and launch ---------------------------------------------------------------------


def _stage_values(data: dict) -> dict:
    values = {name: data[name] for name in STAGE_FIELDS}
    problems = rules.stage_problems(rules.Stages(**values))
    if problems:
        raise ValidationFailed("阶段日期有误。", [field_error(f, m) for f, m in problems])
    return values


def _engagement(regulator: Regulator, data: dict) -> int | None:
    if data.get("supervisor_kind", "regulator") != "agency":
        if data.get("engagement_id") is not None:
            message = "由本部门执法人员督导时不选委托。"
            raise ValidationFailed(message, [field_error("engagement_id", message)])
        return None
    engagement = db.session.get(Engagement, data.get("engagement_id") or 0)
    if engagement is None or engagement.regulator_id != regulator.id:
        message = "请选择本部门的有效委托。"
        raise ValidationFailed(message, [field_error("engagement_id", message)])
    return engagement.id


def create_campaign(actor: Actor, data: dict, *, origin: tuple[str, str] | None = None) -> Campaign:
    """A draft campaign of the actor's bureau: notice, checklist, targets, stages, supervisor."""
    regulator = admin_regulator(actor)
    target_filter = queries.clean_filter(data.get("targets") or {})
    stages = _stage_values(data)
    engagement_id = _engagement(regulator, data)
    industries = target_filter.get("industries") or list(regulator.industries or [])
    industry = next((i for i in industries if i in INDUSTRIES), "general")
    version, profile, item_ids = _checklist(actor, regulator, data, industry)
    campaign = Campaign(
        regulator_id=regulator.id,
        title=data["title"].strip(),
        document_no=(data.get("document_no") or "").strip(),
        legal_basis=(data.get("legal_basis") or "").strip(),
        notice_text=(data.get("notice_text") or "").strip(),
        checklist_version_id=version.id,
        profile=profile,
        item_ids=item_ids,
        target_filter=target_filter,
        supervisor_kind=data.get("supervisor_kind") or "regulator",
        engagement_id=engagement_id,
        state="draft",
        origin_kind=origin[0] if origin else None,
        origin_id=origin[1] if origin else None,
        created_by_user_id=actor.user_id,
        **stages,
    )
    db.session.add(campaign)
    db.session.flush()
    audit.record(
        actor,
        "create_campaign",
        "campaign",
        campaign.id,
        {
            "title": campaign.title,
            "document_no": campaign.document_no,
            "checklist_version_id": version.id,
            "targets": target_filter,
            "origin": list(origin) if origin else None,
        },
    )
    return campaign


def _task_for(campaign: Campaign, version, enterprise: Enterprise, now: datetime, late: bool):
    """One inspection task (排查任务) due by the self-check deadline, assigned to the enterprise's
    safety officers. The plan is anchored at the campaign's end so the scheduler adds nothing:
    the campaign's one window is the occurrence written here."""
    start = max(_local_midnight(campaign.self_check_start), now).astimezone(UTC)
    end = _local_midnight(campaign.self_check_end + timedelta(days=1)).astimezone(UTC)
    plan = InspectionPlan(
        enterprise_id=enterprise.id,
        title=f"专项整治：{campaign.title}"[:200],
        checklist_code=version.code,
        profile=campaign.profile,
        item_ids=campaign.item_ids,
        inspection_type="special",
        frequency_every=1,
        frequency_unit="year",
        day_type="every_day",
        shifts=[],
        anchor_at=_local_midnight(campaign.follow_up_end + timedelta(days=1)).astimezone(UTC),
        assignee_role=Role.safety_officer.value,
        is_active=True,
        created_by_user_id=campaign.created_by_user_id,
    )
    db.session.add(plan)
    db.session.flush()
    occurrence = TaskOccurrence(
        plan_id=plan.id, enterprise_id=enterprise.id, due_start=start, due_end=end
    )
    db.session.add(occurrence)
    db.session.flush()
    target = CampaignTarget(
        campaign_id=campaign.id,
        enterprise_id=enterprise.id,
        plan_id=plan.id,
        occurrence_id=occurrence.id,
        enrolled_at=now,
        is_late_joiner=late,
    )
    db.session.add(target)
    db.session.flush()
    enqueue(
        CAMPAIGN_TASK,
        enterprise,
        "campaign",
        campaign.id,
        {
            "campaign_id": campaign.id,
            "title": campaign.title,
            "document_no": campaign.document_no,
            "checklist": {"code": version.code, "version": version.version_hash},
            "due_end": end.isoformat(),
            "is_late_joiner": late,
        },
    )
    return target


def launch_campaign(actor: Actor, campaign: Campaign) -> Campaign:
    """Launch: one task per target enterprise, due by the self-check deadline."""
    _require_admin_of(actor, campaign)
    if campaign.state != "draft":
        raise Conflict(
            "该专项整治已经启动。", [field_error("state", "只能启动草稿状态的专项整治。")]
        )
    today = clock.today_local()
    if campaign.self_check_end < today:
        message = "自查截止日期已过，不能启动。"
        raise ValidationFailed(message, [field_error("self_check_end", message)])
    regulator = db.session.get(Regulator, campaign.regulator_id)
    enterprises = queries.matching_enterprises(regulator, campaign.target_filter)
    if not enterprises:
        message = "没有符合条件的企业。"
        raise ValidationFailed(message, [field_error("targets", message)])
    now = clock.now()
    version = queries.campaign_version(campaign)
    for enterprise in enterprises:
        _task_for(campaign, version, enterprise, now, late=False)
    campaign.state = "running"
    campaign.launched_at = now
    db.session.flush()
    audit.record(
        actor, "launch_campaign", "campaign", campaign.id, {"targets": [e.id for e in enterprises]}
    )
    return campaign


def enrol_late_joiners(now: datetime) -> int:
    """Enterprises that came under a running campaign after its launch get the task too, while
    its self-check stage is open (cron, and after an enterprise is added). Returns how many."""
    from anxun.core.auth import SYSTEM

    today = now.astimezone(clock.CHINA_TZ).date()
    added = 0
    running = db.session.scalars(
        select(Campaign).where(
            Campaign.state == "running",
            Campaign.self_check_start <= today,
            Campaign.self_check_end >= today,
        )
    ).all()
    for campaign in running:
        regulator = db.session.get(Regulator, campaign.regulator_id)
        enrolled = set(
            db.session.scalars(
                select(CampaignTarget.enterprise_id).where(
                    CampaignTarget.campaign_id == campaign.id
                )
            )
        )
        version = queries.campaign_version(campaign)
        for enterprise in queries.matching_enterprises(regulator, campaign.target_filter):
            if enterprise.id in enrolled:
                continue
            _task_for(campaign, version, enterprise, now, late=True)
            audit.record(
                SYSTEM,
                "enrol_late_joiner",
                "campaign",
                campaign.id,
                {"enterprise_id": enterprise.id},
            )
            added += 1
    return added


# ---- 举一反三 ---------------------------------------------------------------------------------


def _origin(actor: Actor, data: dict) -> tuple[Enterprise, str, datetime, str, list[str]]:
    """(enterprise, kind, when, category label, default cause texts) of an incident or hazard."""
    kind, origin_id = data["origin_kind"], data["origin_id"]
    if kind == "incident":
        from anxun.incidents import queries as incident_queries

        incident: Incident = incident_queries.get_incident(actor, origin_id)
        enterprise = db.session.get(Enterprise, incident.enterprise_id)
        label = incident_rules.CATEGORIES.get(incident.category, "生产安全")
        return enterprise, kind, incident.occurred_at, label, []
    from anxun.hazards import queries as hazard_queries

    hazard: Hazard = hazard_queries.get_hazard(actor, origin_id)
    enterprise = db.session.get(Enterprise, hazard.enterprise_id)
    return enterprise, kind, hazard.reported_at, "隐患", [hazard.title.removeprefix("不符合：")]


def start_from_origin(actor: Actor, data: dict) -> Campaign:
    """举一反三: a draft campaign from an incident (or hazard): cause items become the checklist,
    targets default to same-industry enterprises of the jurisdiction, the notice quotes the case
    in neutral words, and the origin's enterprise is left out unless included."""
    regulator = admin_regulator(actor)
    enterprise, kind, when, label, default_causes = _origin(actor, data)
    causes = [t.strip() for t in data.get("cause_texts") or [] if t.strip()]
    if data.get("cause_item_ids"):
        try:
            version = checklist_queries.get_version(data["cause_checklist_code"] or "", None, None)
        except NotFound as exc:
            message = "未找到该检查表。"
            raise ValidationFailed(message, [field_error("cause_checklist_code", message)]) from exc
        index = item_index(version.document)
        unknown = [i for i in data["cause_item_ids"] if i not in index]
        if unknown:
            message = f"检查表中没有这些检查项：{'、'.join(unknown[:10])}。"
            raise ValidationFailed(message, [field_error("cause_item_ids", message)])
        causes = [index[i]["text"] for i in data["cause_item_ids"]] + causes
    causes = causes or default_causes
    if not causes:
        message = "请选择或写出事故原因对应的检查内容。"
        raise ValidationFailed(message, [field_error("cause_texts", message)])
    industries = [i for i in enterprise.industries if i in (regulator.industries or [])]
    industries = [i for i in industries if i != "industry_trade"] or industries
    local = when.astimezone(clock.CHINA_TZ) if when.tzinfo else when.replace(tzinfo=UTC)
    industry_label = "、".join(INDUSTRY_LABELS.get(i, i) for i in industries) or "同行业"
    notice = rules.analogy_notice(label, local.astimezone(clock.CHINA_TZ), industry_label, causes)
    targets = {"industries": industries}
    if not data.get("include_origin_enterprise", False):
        targets["exclude_ids"] = [enterprise.id]
    payload = {
        "title": data.get("title") or f"{label}事故举一反三专项检查",
        "document_no": data.get("document_no") or "",
        "legal_basis": data.get("legal_basis") or "",
        "notice_text": notice,
        "written_items": causes,
        "targets": targets,
        "supervisor_kind": "regulator",
        **{name: data[name] for name in STAGE_FIELDS},
    }
    return create_campaign(actor, payload, origin=(kind, str(data["origin_id"])))


# ---- 督导检查 and 回头看 --------------------------------------------------------------------


def draw_sample(actor: Actor, campaign: Campaign, data: dict) -> list[CampaignSample]:
    """Pick the enterprises of a stage: drawn with the reproducible spot-check draw from the
    targets (seed, count), or chosen by id."""
    _require_admin_of(actor, campaign)
    if campaign.state != "running":
        raise Conflict("专项整治未在进行中。", [field_error("state", "专项整治未在进行中。")])
    stage = data["stage"]
    if db.session.scalar(
        select(CampaignSample.id).where(
            CampaignSample.campaign_id == campaign.id, CampaignSample.stage == stage
        )
    ):
        raise Conflict("该阶段已抽取样本。", [field_error("stage", "该阶段已抽取样本。")])
    targets = sorted(
        db.session.scalars(
            select(CampaignTarget.enterprise_id).where(CampaignTarget.campaign_id == campaign.id)
        )
    )
    if data.get("enterprise_ids"):
        chosen = list(data["enterprise_ids"])
        if any(i not in targets for i in chosen) or len(set(chosen)) != len(chosen):
            message = "所选企业须是本次专项整治的对象，且不能重复。"
            raise ValidationFailed(message, [field_error("enterprise_ids", message)])
        seed = None
    else:
        seed = data.get("seed") or secrets.token_hex(8)
        try:
            drawn = spot_draw.draw(seed, targets, [], data.get("count") or 0, 0, 0)
        except spot_draw.DrawError as exc:
            fields = {"enterprise_count": "count", "seed": "seed", "pools": "count"}
            raise ValidationFailed(
                "无法抽取。", [field_error(fields.get(f, f), m) for f, m in exc.errors]
            ) from exc
        chosen = [row["enterprise_id"] for row in drawn]
    samples = [
        CampaignSample(
            campaign_id=campaign.id,
            stage=stage,
            enterprise_id=enterprise_id,
            position=n,
            seed=seed,
            drawn_by_user_id=actor.user_id,
        )
        for n, enterprise_id in enumerate(chosen, start=1)
    ]
    db.session.add_all(samples)
    db.session.flush()
    audit.record(
        actor,
        "draw_campaign_sample",
        "campaign",
        campaign.id,
        {"stage": stage, "seed": seed, "enterprise_ids": chosen},
    )
    return samples


def _may_check(actor: Actor, campaign: Campaign, enterprise: Enterprise) -> None:
    if campaign.supervisor_kind == "agency":
        engagement = db.session.get(Engagement, campaign.engagement_id)
        engaged = scoping.engaged_enterprises(actor.agency_ids, scoping.INSPECTIONS)
        if engaged.get(enterprise.id) is None or engaged[enterprise.id].id != engagement.id:
            raise Forbidden("只有受委托机构的审核员可以开展本次督导检查。")
        return
    if not actor.regulator_roles(campaign.regulator_id):
        raise Forbidden("只有本部门执法人员可以开展本次督导检查。")


def record_check(actor: Actor, campaign: Campaign, sample_id: int, data: dict) -> CampaignCheck:
    """The inspector's results for a sampled enterprise, item by item against the campaign
    checklist; differences with the self-check are computed on reading."""
    sample = db.session.get(CampaignSample, sample_id)
    if sample is None or sample.campaign_id != campaign.id:
        raise NotFound("未找到该抽查对象。")
    enterprise = db.session.get(Enterprise, sample.enterprise_id)
    _may_check(actor, campaign, enterprise)
    if db.session.scalar(select(CampaignCheck.id).where(CampaignCheck.sample_id == sample.id)):
        raise Conflict("该企业的本阶段检查已记录。", [field_error("sample_id", "已记录。")])
    version = queries.campaign_version(campaign)
    expected = queries.campaign_item_ids(campaign, version)
    answers = data["answers"]
    errors = []
    seen = set()
    for n, answer in enumerate(answers):
        if answer["item_id"] not in expected or answer["item_id"] in seen:
            errors.append(
                field_error(f"answers.{n}.item_id", "本次检查表没有该检查项，或重复作答。")
            )
        seen.add(answer["item_id"])
    missing = [i for i in expected if i not in seen]
    if missing:
        errors.append(field_error("answers", f"还有 {len(missing)} 项未作答。"))
    if errors:
        raise ValidationFailed("检查结果有误。", errors)
    order = {item_id: n for n, item_id in enumerate(expected)}
    check = CampaignCheck(
        campaign_id=campaign.id,
        sample_id=sample.id,
        enterprise_id=enterprise.id,
        stage=sample.stage,
        inspector_user_id=actor.user_id,
        answers=sorted(
            (
                {"item_id": a["item_id"], "result": a["result"], "note": a.get("note") or ""}
                for a in answers
            ),
            key=lambda a: order[a["item_id"]],
        ),
        note=(data.get("note") or "").strip(),
        checked_at=clock.now(),
    )
    db.session.add(check)
    db.session.flush()
    differences = queries.check_differences(campaign, check)
    audit.record(
        actor,
        "record_campaign_check",
        "campaign_check",
        check.id,
        {"campaign_id": campaign.id, "enterprise_id": enterprise.id, "stage": check.stage},
    )
    enqueue(
        CAMPAIGN_CHECK,
        enterprise,
        "campaign_check",
        check.id,
        {
            "campaign_id": campaign.id,
            "stage": check.stage,
            "failed": sum(1 for a in check.answers if a["result"] == "fail"),
            "differences": len(differences),
            "checked_at": check.checked_at.isoformat(),
        },
    )
    return check
