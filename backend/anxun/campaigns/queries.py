"""Campaign reads: target matching, who may see a campaign, the bureau's figures per region and
industry, the enterprise's own view, and self-check vs inspector differences."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import select

from anxun.campaigns import rules
from anxun.campaigns.models import Campaign, CampaignCheck, CampaignSample, CampaignTarget
from anxun.checklists.loader import item_index, profile_item_ids
from anxun.checklists.models import ChecklistVersion
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden, NotFound, ValidationFailed, field_error
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.workflow import TERMINAL_STATES
from anxun.inspections.models import Inspection, InspectionAnswer, TaskOccurrence
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Region, Regulator
from anxun.orgs.rules import INDUSTRY_LABELS, jurisdiction_prefix

MSG_NOT_FOUND = "未找到该专项整治，或您无权查看。"
FILTER_KEYS = (
    "industries",
    "region_codes",
    "size_classes",
    "major_hazard_source",
    "enterprise_ids",
    "exclude_ids",
)
CLOSED = tuple(s.value for s in TERMINAL_STATES)


def clean_filter(data: dict) -> dict:
    """The stored target filter: only known keys, lists sorted, empty ones dropped."""
    errors = []
    for code in data.get("region_codes") or []:
        if not (code.isdigit() and len(code) == 6):
            errors.append(
                field_error("targets.region_codes", f"行政区划代码 {code} 应为 6 位数字。")
            )
    for size in data.get("size_classes") or []:
        if size not in rules.SIZE_CLASSES:
            errors.append(field_error("targets.size_classes", f"未知的企业规模：{size}。"))
    for industry in data.get("industries") or []:
        if industry not in INDUSTRY_LABELS:
            errors.append(field_error("targets.industries", f"未知的行业：{industry}。"))
    if errors:
        raise ValidationFailed("目标企业条件有误。", errors)
    clean = {}
    for key in FILTER_KEYS:
        value = data.get(key)
        if isinstance(value, list):
            if value:
                clean[key] = sorted(set(value))
        elif value is not None:
            clean[key] = value
    return clean


def matching_enterprises(regulator: Regulator, target_filter: dict) -> list[Enterprise]:
    """Enterprises of the bureau's jurisdiction and industries that meet the filter, by id."""
    prefix = jurisdiction_prefix(regulator.region_code)
    query = select(Enterprise).where(Enterprise.region_code.startswith(prefix, autoescape=True))
    if target_filter.get("enterprise_ids"):
        query = query.where(Enterprise.id.in_(target_filter["enterprise_ids"]))
    if target_filter.get("exclude_ids"):
        query = query.where(Enterprise.id.not_in(target_filter["exclude_ids"]))
    if target_filter.get("size_classes"):
        query = query.where(Enterprise.size_class.in_(target_filter["size_classes"]))
    if target_filter.get("major_hazard_source") is not None:
        query = query.where(
            Enterprise.has_major_hazard_source.is_(bool(target_filter["major_hazard_source"]))
        )
    rows = db.session.scalars(query.order_by(Enterprise.id)).all()
    regions = target_filter.get("region_codes") or []
    industries = set(target_filter.get("industries") or [])
    return [
        e
        for e in rows
        if scoping.regulator_covers(regulator, e.region_code, e.industries)
        and (not industries or industries & set(e.industries))
        and (not regions or any(e.region_code.startswith(jurisdiction_prefix(r)) for r in regions))
    ]


def preview(actor: Actor, target_filter: dict) -> dict:
    """How many (and which) enterprises a filter reaches, before launching."""
    from anxun.campaigns.services import admin_regulator

    regulator = admin_regulator(actor)
    enterprises = matching_enterprises(regulator, clean_filter(target_filter))
    return {
        "count": len(enterprises),
        "enterprises": [{"id": e.id, "name": e.name} for e in enterprises[:200]],
    }


# ---- who sees what ------------------------------------------------------------------------


def _visible_clause(actor: Actor):
    """Campaigns of the actor's bureaus, those targeting the actor's enterprises, and those an
    agency of the actor supervises under a valid engagement."""
    from sqlalchemy import false, or_, true

    if actor.is_platform_admin:
        return true()
    clauses = []
    if actor.regulator_ids:
        clauses.append(Campaign.regulator_id.in_(sorted(actor.regulator_ids)))
    if actor.enterprise_ids:
        clauses.append(
            Campaign.id.in_(
                select(CampaignTarget.campaign_id).where(
                    CampaignTarget.enterprise_id.in_(sorted(actor.enterprise_ids))
                )
            )
        )
    if actor.agency_ids:
        engaged = {e.id for e in scoping.engaged_enterprises(actor.agency_ids).values()}
        if engaged:
            clauses.append(Campaign.engagement_id.in_(sorted(engaged)))
    return or_(*clauses) if clauses else false()


def get_campaign(actor: Actor, campaign_id: int) -> Campaign:
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.id == campaign_id, _visible_clause(actor))
    )
    if campaign is None or (campaign.state == "draft" and not _is_bureau(actor, campaign)):
        raise NotFound(MSG_NOT_FOUND)
    return campaign


def _is_bureau(actor: Actor, campaign: Campaign) -> bool:
    return actor.is_platform_admin or campaign.regulator_id in actor.regulator_ids


def list_campaigns(actor: Actor) -> list[dict]:
    rows = db.session.scalars(
        select(Campaign).where(_visible_clause(actor)).order_by(Campaign.id.desc())
    ).all()
    return [summary(c, actor) for c in rows if c.state != "draft" or _is_bureau(actor, c)]


def campaign_version(campaign: Campaign) -> ChecklistVersion:
    return db.session.get(ChecklistVersion, campaign.checklist_version_id)


def campaign_item_ids(campaign: Campaign, version: ChecklistVersion) -> list[str]:
    if campaign.item_ids:
        return list(campaign.item_ids)
    if campaign.profile:
        return profile_item_ids(version.document, campaign.profile)
    return list(item_index(version.document))


def checklist_items(campaign: Campaign) -> list[dict]:
    """The campaign checklist's items in order (what a 督导 / 回头看 inspector answers)."""
    version = campaign_version(campaign)
    index = item_index(version.document)
    documents = {doc["code"]: doc for doc in version.document.get("basis") or []}

    def cite(basis: dict) -> str:
        doc = documents.get(basis.get("doc"), {})
        title = f"《{doc['title']}》" if doc.get("title") else basis.get("doc", "")
        number = f"（{doc['number']}）" if doc.get("number") else ""
        return f"{title}{number}{basis.get('clause', '')}"

    return [
        {
            "id": item_id,
            "text": index[item_id]["text"],
            "is_major": bool(index[item_id].get("major")),
            "basis": [cite(b) for b in index[item_id].get("basis") or []],
        }
        for item_id in campaign_item_ids(campaign, version)
    ]


def _stages(campaign: Campaign) -> rules.Stages:
    return rules.Stages(**{k: getattr(campaign, k) for k in rules.Stages.__dataclass_fields__})


def summary(campaign: Campaign, actor: Actor) -> dict:
    """The campaign as everyone who may see it reads it (notice, checklist, stages)."""
    version = campaign_version(campaign)
    regulator = db.session.get(Regulator, campaign.regulator_id)
    stage = rules.current_stage(_stages(campaign), clock.today_local())
    view = {
        "id": campaign.id,
        "title": campaign.title,
        "document_no": campaign.document_no,
        "legal_basis": campaign.legal_basis,
        "notice_text": campaign.notice_text,
        "regulator": {"id": regulator.id, "name": regulator.name},
        "state": {"code": campaign.state, "label": rules.STATE_LABELS[campaign.state]},
        "stage": {"code": stage, "label": rules.STAGE_LABELS[stage]} if stage else None,
        "stages": [
            {
                "code": code,
                "label": label,
                "start": getattr(campaign, f"{code}_start"),
                "end": getattr(campaign, f"{code}_end"),
            }
            for code, label in rules.STAGE_LABELS.items()
        ],
        "checklist": {
            "code": version.code,
            "title": version.title,
            "version": version.version_hash,
            "profile": campaign.profile,
            "item_count": len(campaign_item_ids(campaign, version)),
        },
        "supervisor_kind": {
            "code": campaign.supervisor_kind,
            "label": rules.SUPERVISOR_LABELS[campaign.supervisor_kind],
        },
        "engagement_id": campaign.engagement_id,
        "origin": {"kind": campaign.origin_kind, "id": campaign.origin_id}
        if campaign.origin_kind
        else None,
        "targets": campaign.target_filter,
        "launched_at": campaign.launched_at,
        "my_tasks": _my_tasks(campaign, actor),
    }
    return view


def _my_tasks(campaign: Campaign, actor: Actor) -> list[dict]:
    """The caller's own enterprises' tasks of this campaign (for the phone and enterprise desk)."""
    if not actor.enterprise_ids:
        return []
    rows = db.session.execute(
        select(CampaignTarget, TaskOccurrence)
        .join(TaskOccurrence, TaskOccurrence.id == CampaignTarget.occurrence_id)
        .where(
            CampaignTarget.campaign_id == campaign.id,
            CampaignTarget.enterprise_id.in_(sorted(actor.enterprise_ids)),
        )
    ).all()
    today = clock.today_local()
    return [
        {
            "enterprise_id": target.enterprise_id,
            "task_occurrence_id": occurrence.id,
            "plan_id": target.plan_id,
            "completion": _completion(campaign, occurrence, today),
        }
        for target, occurrence in rows
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _completion(campaign: Campaign, occurrence: TaskOccurrence, today: date) -> dict:
    done_on = (
        _aware(occurrence.done_at).astimezone(clock.CHINA_TZ).date() if occurrence.done_at else None
    )
    code = rules.completion(done_on, campaign.self_check_end, today)
    return {"code": code, "label": rules.COMPLETION_LABELS[code]}


# ---- the bureau's view ----------------------------------------------------------------------


def require_bureau(actor: Actor, campaign: Campaign) -> None:
    """Figures per enterprise are the bureau's (and the platform admin's) only."""
    if not _is_bureau(actor, campaign):
        from anxun.core.errors import Forbidden

        raise Forbidden("只有发起专项整治的监管部门可以查看汇总。")


def target_rows(campaign: Campaign) -> list[dict]:
    """Per target enterprise: completion, hazards of the campaign by level and state, overdue,
    零隐患 flag."""
    today = clock.today_local()
    rows = db.session.execute(
        select(CampaignTarget, TaskOccurrence, Enterprise)
        .join(TaskOccurrence, TaskOccurrence.id == CampaignTarget.occurrence_id)
        .join(Enterprise, Enterprise.id == CampaignTarget.enterprise_id)
        .where(CampaignTarget.campaign_id == campaign.id)
        .order_by(Enterprise.id)
    ).all()
    hazards = db.session.scalars(select(Hazard).where(Hazard.campaign_id == campaign.id)).all()
    by_enterprise = defaultdict(list)
    for hazard in hazards:
        by_enterprise[hazard.enterprise_id].append(hazard)
    region_names = dict(db.session.execute(select(Region.code, Region.name)).all())
    out = []
    for target, occurrence, enterprise in rows:
        found = by_enterprise[enterprise.id]
        completion = _completion(campaign, occurrence, today)
        done = completion["code"] in ("on_time", "late")
        out.append(
            {
                "enterprise": {"id": enterprise.id, "name": enterprise.name},
                "region": {
                    "code": enterprise.region_code,
                    "name": region_names.get(enterprise.region_code, enterprise.region_code),
                },
                "industries": [
                    {"code": i, "label": INDUSTRY_LABELS.get(i, i)} for i in enterprise.industries
                ],
                "head_name": enterprise.head_name,
                "head_phone": enterprise.head_phone,
                "completion": completion,
                "done_at": occurrence.done_at,
                "is_late_joiner": target.is_late_joiner,
                "hazards": len(found),
                "major_hazards": sum(1 for h in found if _level(h) == "major"),
                "open_hazards": sum(1 for h in found if h.state not in CLOSED),
                "overdue_hazards": sum(1 for h in found if _is_overdue(h, today)),
                "is_zero_hazard": rules.is_zero_hazard(done, len(found)),
            }
        )
    return out


def _level(hazard: Hazard) -> str:
    return hazard.level or hazard.proposed_level


def _is_overdue(hazard: Hazard, today: date) -> bool:
    return hazard.state not in CLOSED and hazard.deadline is not None and hazard.deadline < today


def _tally(rows: list[dict], key) -> list[dict]:
    groups: dict = {}
    for row in rows:
        for code, label in key(row):
            group = groups.setdefault(
                code,
                {
                    "code": code,
                    "label": label,
                    "targets": 0,
                    **dict.fromkeys(rules.COMPLETION_LABELS, 0),
                },
            )
            group["targets"] += 1
            group[row["completion"]["code"]] += 1
    for group in groups.values():
        done = group["on_time"] + group["late"]
        group["done"] = done
        group["rate"] = round(done / group["targets"], 4) if group["targets"] else None
    return sorted(groups.values(), key=lambda g: g["code"])


def bureau_view(campaign: Campaign) -> dict:
    """The bureau's figures: completion by region and industry, hazards by level and state,
    major and overdue ones, 零隐患 enterprises and the laggards to call or 约谈."""
    rows = target_rows(campaign)
    hazards = db.session.scalars(
        select(Hazard).where(Hazard.campaign_id == campaign.id).order_by(Hazard.reported_at)
    ).all()
    today = clock.today_local()
    counts = Counter(row["completion"]["code"] for row in rows)
    done = counts["on_time"] + counts["late"]
    names = dict(
        db.session.execute(
            select(Enterprise.id, Enterprise.name).where(
                Enterprise.id.in_({h.enterprise_id for h in hazards})
            )
        ).all()
    )
    from anxun.hazards.workflow import LEVEL_LABELS, STATE_LABELS

    by_level = Counter(_level(h) for h in hazards)
    by_state = Counter(h.state for h in hazards)
    return {
        "targets": len(rows),
        "completion": {
            **{code: counts[code] for code in rules.COMPLETION_LABELS},
            "done": done,
            "rate": round(done / len(rows), 4) if rows else None,
        },
        "by_region": _tally(rows, lambda r: [(r["region"]["code"], r["region"]["name"])]),
        "by_industry": _tally(rows, lambda r: [(i["code"], i["label"]) for i in r["industries"]]),
        "hazards": {
            "total": len(hazards),
            "by_level": [
                {"code": code, "label": LEVEL_LABELS[code], "count": by_level[code]}
                for code in ("general", "major")
            ],
            "by_state": [
                {"code": code, "label": STATE_LABELS.get(code, code), "count": n}
                for code, n in sorted(by_state.items())
            ],
            "overdue": sum(1 for h in hazards if _is_overdue(h, today)),
        },
        "major_hazards": [_hazard_ref(h, names) for h in hazards if _level(h) == "major"],
        "overdue_hazards": [_hazard_ref(h, names) for h in hazards if _is_overdue(h, today)],
        "zero_hazard_enterprises": [r["enterprise"] for r in rows if r["is_zero_hazard"]],
        "laggards": [
            {**r["enterprise"], "head_name": r["head_name"], "head_phone": r["head_phone"]}
            for r in rows
            if r["completion"]["code"] in ("not_done", "open")
        ],
        "enterprises": rows,
        "samples": samples_view(campaign),
    }


def _hazard_ref(hazard: Hazard, names: dict) -> dict:
    return {
        "id": str(hazard.id),
        "title": hazard.title,
        "enterprise": {"id": hazard.enterprise_id, "name": names.get(hazard.enterprise_id, "")},
        "level": _level(hazard),
        "state": hazard.state,
        "deadline": hazard.deadline,
    }


# ---- samples and differences ----------------------------------------------------------------


def _self_check_answers(campaign: Campaign, enterprise_id: int) -> dict[str, str | None]:
    """The enterprise's answers in the inspection that did its campaign task (empty if none)."""
    inspection_id = db.session.scalar(
        select(TaskOccurrence.inspection_id)
        .join(CampaignTarget, CampaignTarget.occurrence_id == TaskOccurrence.id)
        .where(
            CampaignTarget.campaign_id == campaign.id,
            CampaignTarget.enterprise_id == enterprise_id,
        )
    )
    if inspection_id is None:
        return {}
    latest = db.session.scalar(
        select(Inspection.id)
        .where(Inspection.corrects_id == inspection_id)
        .order_by(Inspection.received_at.desc())
    )
    rows = db.session.execute(
        select(InspectionAnswer.item_id, InspectionAnswer.result).where(
            InspectionAnswer.inspection_id == (latest or inspection_id)
        )
    ).all()
    return dict(rows)


def check_differences(campaign: Campaign, check: CampaignCheck) -> list[dict]:
    own = _self_check_answers(campaign, check.enterprise_id)
    checked = {a["item_id"]: a["result"] for a in check.answers}
    rows = rules.differences(check.stage, own, checked)
    index = item_index(campaign_version(campaign).document)
    for row in rows:
        row["text"] = index.get(row["item_id"], {}).get("text", "")
    return rows


def samples_view(campaign: Campaign) -> list[dict]:
    samples = db.session.execute(
        select(CampaignSample, Enterprise)
        .join(Enterprise, Enterprise.id == CampaignSample.enterprise_id)
        .where(CampaignSample.campaign_id == campaign.id)
        .order_by(CampaignSample.stage, CampaignSample.position)
    ).all()
    checks = {
        c.sample_id: c
        for c in db.session.scalars(
            select(CampaignCheck).where(CampaignCheck.campaign_id == campaign.id)
        )
    }
    out = []
    for sample, enterprise in samples:
        check = checks.get(sample.id)
        out.append(
            {
                "id": sample.id,
                "stage": {"code": sample.stage, "label": rules.STAGE_LABELS[sample.stage]},
                "position": sample.position,
                "seed": sample.seed,
                "enterprise": {"id": enterprise.id, "name": enterprise.name},
                "check": None
                if check is None
                else {
                    "id": check.id,
                    "checked_at": check.checked_at,
                    "failed": sum(1 for a in check.answers if a["result"] == "fail"),
                    "differences": check_differences(campaign, check),
                },
            }
        )
    return out


def visible_samples(actor: Actor, campaign: Campaign) -> list[dict]:
    """督导 / 回头看 samples: all of them for the bureau; for the auditors of the agency that
    supervises the campaign, those of the enterprises its engagement reaches today with the
    inspections area (the ones they may check)."""
    if _is_bureau(actor, campaign):
        return samples_view(campaign)
    if campaign.supervisor_kind == "agency" and actor.agency_ids:
        engaged = scoping.engaged_enterprises(actor.agency_ids, scoping.INSPECTIONS)
        mine = {eid for eid, e in engaged.items() if e.id == campaign.engagement_id}
        if mine:
            return [s for s in samples_view(campaign) if s["enterprise"]["id"] in mine]
    raise Forbidden("只有本部门和受委托开展督导检查的机构可以查看检查对象。")


def campaign_for_occurrence(occurrence_id: int | None) -> int | None:
    """The campaign whose task this occurrence is (None for ordinary tasks)."""
    if occurrence_id is None:
        return None
    return db.session.scalar(
        select(CampaignTarget.campaign_id).where(CampaignTarget.occurrence_id == occurrence_id)
    )
