"""Every write about special-work permits (GB 30871—2022): draft, measures, readings,
approvals in order, start by the guardian, suspension, closing, cancelling, expiry.

A state change goes through workflow.TRANSITIONS and appends a PermitTransition row; a change
that carries `expected_version` and finds another one is 409, as is a step the state does not
have. Then the role (403), then the permit's rules (422, every failing field at once: the named
guardian, the order of signatures, the gas analysis, the window, concurrent work). A permit past
its window cannot be continued (GB 30871—2022 4.16, 6.10: a new permit is needed); only closing
or cancelling remain.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import func, select

from anxun.accounts.models import Membership, User
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import (
    Conflict,
    Forbidden,
    MissingMedia,
    StaleState,
    ValidationFailed,
    field_error,
)
from anxun.extensions import db
from anxun.hazards import services as hazards
from anxun.inspections.media import missing_media
from anxun.inspections.models import Place
from anxun.notifications import services as notifications
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.outbox.enqueue import enqueue
from anxun.permits import rules, special_days, workflow
from anxun.permits.models import (
    GasReading,
    Permit,
    PermitApproval,
    PermitMeasure,
    PermitTransition,
    WorkStop,
)
from anxun.permits.workflow import S

STAFF = {"head", "safety_officer", "inspector", "rectifier"}
MANAGERS = {"head", "safety_officer"}
SPECIAL_WORK_STARTED = "special_work_started"
NUMBER_PREFIX = {
    "hot_work": "DH",
    "confined_space": "SX",
    "blinding": "MB",
    "height": "GC",
    "lifting": "DZ",
    "temporary_power": "LD",
    "excavation": "DT",
    "road_closure": "DL",
}
MSG_EXPIRED = "作业票已超过有效期，不能继续作业，请重新办理作业票。"
MSG_REFUSED = "作业票不满足以下要求。"


def rule_of(permit: Permit) -> rules.Rule:
    return rules.rule_for(permit.kind, permit.grade)


def _enterprise(permit: Permit) -> Enterprise:
    return db.session.get(Enterprise, permit.enterprise_id)


def _require_staff(actor: Actor, enterprise: Enterprise, roles: set[str] = STAFF) -> None:
    scoping.require_enterprise_role(actor, enterprise, roles)


def _require_member(actor: Actor, enterprise: Enterprise) -> None:
    """The role check of steps only a person named on the permit takes (the guardian, the
    applicant): they are the enterprise's staff, so no other role, a platform admin's included,
    ever takes them (403); which staff member is named is a rule of the permit (422 `actor`)."""
    if not actor.roles_in_enterprise(enterprise.id) & STAFF:
        raise Forbidden("您在该企业没有执行此操作的角色。")


def _refuse(errors: list[dict]) -> None:
    """The permit's rules refuse the step (422), naming every failing field at once."""
    if errors:
        raise ValidationFailed(errors[0]["message"] if len(errors) == 1 else MSG_REFUSED, errors)


def _append(permit: Permit, actor: Actor | None, action: str, note: str = "") -> None:
    target = workflow.next_state(permit.state, action)
    if target is None:
        label = workflow.STATE_LABELS[S(permit.state)]
        raise StaleState(f"作业票当前为“{label}”，不能{workflow.ACTION_LABELS[action]}。")
    db.session.add(
        PermitTransition(
            permit_id=permit.id,
            action=action,
            from_state=permit.state,
            to_state=target.value,
            actor_user_id=actor.user_id if actor else None,
            note=note[:300],
            created_at=clock.now(),
        )
    )
    permit.state = target.value
    permit.version += 1
    db.session.flush()
    db.session.expire(permit, ["transitions"])


def _check_version(permit: Permit, data: dict) -> None:
    expected = data.get("expected_version")
    if expected is not None and expected != permit.version:
        raise StaleState("作业票已被他人更新，请刷新后重试。")


def _window_errors(permit: Permit, now: datetime, starting: bool = False) -> list[dict]:
    """The window refuses work past its end, and a start before its beginning (4.16, 6.10)."""
    if rules.is_past_window(permit.valid_to, now):
        return [field_error("valid_to", MSG_EXPIRED)]
    if starting and now < permit.valid_from:
        return [field_error("valid_from", "尚未到作业票的有效时间。")]
    return []


def _analysis_errors(permit: Permit, now: datetime) -> list[dict]:
    problem = analysis_problem(permit, now)
    return [field_error("readings", problem)] if problem else []


def _guardian_errors(actor: Actor, permit: Permit, message: str) -> list[dict]:
    return [] if actor.user_id == permit.guardian_user_id else [field_error("actor", message)]


def _is_member(user_id: int, enterprise_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.user_id == user_id,
                Membership.enterprise_id == enterprise_id,
                Membership.role.in_(STAFF),
                User.is_active.is_(True),
            )
        )
    )


def _photos(enterprise_id: int, ids) -> list[str]:
    missing = missing_media(enterprise_id, ids or [])
    if missing:
        raise MissingMedia(missing)
    return [str(i) for i in ids or []]


# --- conflicts ------------------------------------------------------------------------------


def conflicts(permit: Permit) -> list[dict]:
    """Why the permit may not be under way now, as field errors: forbidden concurrent permits at
    its place (`place_id`), or a work stop covering its window (`valid_from`)."""
    reasons = []
    others = db.session.scalars(
        select(Permit).where(
            Permit.place_id == permit.place_id,
            Permit.id != permit.id,
            Permit.state.notin_([s.value for s in workflow.FINAL]),
            Permit.valid_from < permit.valid_to,
            Permit.valid_to > permit.valid_from,
        )
    ).all()
    for other in others:
        if other.id == permit.related_permit_id or other.related_permit_id == permit.id:
            continue
        forbidden = rules.forbidden_with(permit.kind, other.kind)
        if forbidden:
            reason, basis = forbidden
            message = f"{reason}（与作业票 {other.number} 冲突；{basis.citation}）。"
            reasons.append(field_error("place_id", message))
    stops = db.session.scalars(
        select(WorkStop).where(
            WorkStop.enterprise_id == permit.enterprise_id,
            WorkStop.start_at < permit.valid_to,
            WorkStop.end_at > permit.valid_from,
        )
    ).all()
    for stop in stops:
        if (stop.place_id in (None, permit.place_id)) and (
            not stop.kinds or permit.kind in stop.kinds
        ):
            reasons.append(field_error("valid_from", f"该时段已停止特殊作业：{stop.reason}。"))
    return reasons


# --- draft ----------------------------------------------------------------------------------


def _number(enterprise: Enterprise, kind: str) -> str:
    day = clock.today_local()
    prefix = f"{NUMBER_PREFIX[kind]}{enterprise.id}-{day:%Y%m%d}-"
    count = db.session.scalar(
        select(func.count()).select_from(Permit).where(Permit.number.like(f"{prefix}%"))
    )
    return f"{prefix}{count + 1:03d}"


SHIPPED_CALENDAR = Path(__file__).with_name("special_days.yaml")


@lru_cache(maxsize=4)
def _calendar_at(path: str) -> special_days.SpecialDays:
    return special_days.parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})


def calendar() -> special_days.SpecialDays:
    """Night hours, rest days and holidays (ANXUN_PERMIT_CALENDAR, else the shipped file)."""
    return _calendar_at(current_app.config.get("ANXUN_PERMIT_CALENDAR") or str(SHIPPED_CALENDAR))


def managed_grade(data: dict) -> special_days.Upgrade:
    """The grade the permit is managed at: hot work at night, on a rest day or a holiday is
    raised one level (GB 30871—2022 5.1.1); other kinds keep the grade asked for."""
    grade = data.get("grade") or "none"
    if data["kind"] != "hot_work" or grade not in special_days.RAISED:
        return special_days.Upgrade(grade, "")
    return special_days.hot_work_grade(calendar(), grade, data["valid_from"], data["valid_to"])


def _draft_problems(enterprise: Enterprise, data: dict, grade: str, note: str) -> list[dict]:
    errors = []
    try:
        rule = rules.rule_for(data["kind"], grade)
    except ValueError:
        return [field_error("grade", "该作业类别没有这个级别。")]
    place = db.session.get(Place, data["place_id"])
    if place is None or place.enterprise_id != enterprise.id or not place.is_active:
        errors.append(field_error("place_id", "该企业没有这个作业地点。"))
    problem = rules.window_problem(rule, data["valid_from"], data["valid_to"])
    if problem:
        errors.append(field_error("valid_to", f"{note}{problem}" if note else problem))
    if not _is_member(data["guardian_user_id"], enterprise.id):
        errors.append(field_error("guardian_user_id", "监护人须为本企业在岗人员。"))
    needs_lel = rules.COMBUSTIBLE in rule.gases or data.get("related_permit_id")
    if needs_lel and data.get("lel_percent") is None:
        errors.append(field_error("lel_percent", "请填写作业介质的爆炸下限（%）。"))
    for substance in data.get("toxic_substances") or []:
        if substance not in rules.TOXIC_LIMITS:
            errors.append(field_error("toxic_substances", f"不支持的有毒物质：{substance}。"))
    return errors


def _related(enterprise: Enterprise, data: dict) -> Permit | None:
    related_id = data.get("related_permit_id")
    if related_id is None:
        return None
    related = db.session.get(Permit, related_id)
    if related is None or related.enterprise_id != enterprise.id:
        message = "关联作业票不存在。"
        raise ValidationFailed(message, [field_error("related_permit_id", message)])
    if related.state in workflow.FINAL:
        message = "关联作业票已结束。"
        raise ValidationFailed(message, [field_error("related_permit_id", message)])
    return related


def _same_draft(permit: Permit, enterprise: Enterprise, actor: Actor, data: dict) -> bool:
    return (
        permit.enterprise_id == enterprise.id
        and permit.applicant_user_id == actor.user_id
        and permit.kind == data["kind"]
        and permit.place_id == data["place_id"]
        and permit.content == data["content"].strip()
    )


def create_permit(actor: Actor, data: dict) -> tuple[Permit, bool]:
    """填报作业票 (draft), idempotent on its client UUID. Returns (permit, created)."""
    enterprise_id = data.get("enterprise_id")
    if enterprise_id is None:
        if len(actor.enterprise_ids) != 1:
            raise ValidationFailed("请指定企业。", [field_error("enterprise_id", "请指定企业。")])
        enterprise_id = next(iter(actor.enterprise_ids))
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    _require_staff(actor, enterprise)
    existing = db.session.get(Permit, data["id"])
    if existing is not None:
        if _same_draft(existing, enterprise, actor, data):
            return existing, False
        raise Conflict("该作业票编号已用于另一张作业票。", [field_error("id", "编号已被占用。")])
    upgrade = managed_grade(data)
    errors = _draft_problems(enterprise, data, upgrade.grade, upgrade.note)
    if errors:
        raise ValidationFailed("作业票填写有误。", errors)
    related = _related(enterprise, data)
    grade = upgrade.grade
    rule = rules.rule_for(data["kind"], grade)
    permit = Permit(
        id=data["id"],
        enterprise_id=enterprise.id,
        number=_number(enterprise, data["kind"]),
        kind=data["kind"],
        grade=grade,
        grade_note=upgrade.note,
        place_id=data["place_id"],
        content=data["content"].strip(),
        work_method=(data.get("work_method") or "").strip(),
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        applicant_user_id=actor.user_id,
        guardian_user_id=data["guardian_user_id"],
        workers=[
            {"name": w["name"].strip(), "certificate_no": (w.get("certificate_no") or "").strip()}
            for w in data["workers"]
        ],
        related_permit_id=related.id if related else None,
        is_inside_confined_space=bool(related and related.kind == "confined_space"),
        medium=(data.get("medium") or "").strip(),
        lel_percent=data.get("lel_percent"),
        toxic_substances=list(data.get("toxic_substances") or []),
        checklist_version=rule.checklist_version,
        state=S.draft.value,
        version=1,
        created_at=clock.now(),
    )
    _refuse(conflicts(permit))
    db.session.add(permit)
    db.session.flush()
    db.session.add(
        PermitTransition(
            permit_id=permit.id,
            action="create",
            from_state=None,
            to_state=S.draft.value,
            actor_user_id=actor.user_id,
            note=upgrade.note,
            created_at=clock.now(),
        )
    )
    audit.record(
        actor,
        "create_permit",
        "permit",
        permit.id,
        {
            "number": permit.number,
            "kind": permit.kind,
            "grade": permit.grade,
            "requested_grade": data.get("grade") or "none",
            "place_id": permit.place_id,
            "valid_from": permit.valid_from.isoformat(),
            "valid_to": permit.valid_to.isoformat(),
            "related_permit_id": str(permit.related_permit_id) if related else None,
        },
    )
    db.session.flush()
    return permit, True


# --- measures -------------------------------------------------------------------------------


def _raise_hazard(
    actor: Actor, permit: Permit, title: str, description: str, media_ids
) -> uuid.UUID:
    hazard = hazards.report_hazard(
        actor,
        _enterprise(permit),
        {
            "title": title,
            "description": description,
            "place_id": permit.place_id,
            "media_ids": media_ids,
            "proposed_level": "general",
        },
        source="direct",
    )
    return hazard.id


def confirm_measure(actor: Actor, permit: Permit, data: dict) -> Permit:
    """确认一项安全措施 at the place: the place's QR token proves presence (GB 30871—2022 4.4).
    Idempotent on the phone's UUID (`id`), so a confirmation queued offline may be replayed."""
    enterprise = _enterprise(permit)
    _require_staff(actor, enterprise)
    client_id = data.get("id")
    if client_id is not None:
        done = db.session.scalar(select(PermitMeasure).where(PermitMeasure.client_id == client_id))
        if done is not None:
            if (done.permit_id, done.code, done.is_met) == (
                permit.id,
                data["code"],
                data["is_met"],
            ):
                return permit
            raise Conflict("该确认编号已用于另一项确认。", [field_error("id", "编号已被占用。")])
    if permit.state != S.draft:
        label = workflow.STATE_LABELS[S(permit.state)]
        raise StaleState(f"作业票当前为“{label}”，安全措施不能再修改。")
    errors = _window_errors(permit, clock.now())
    place = db.session.get(Place, permit.place_id)
    if data["qr_token"].strip().upper() != place.qr_token.upper():
        errors.append(field_error("qr_token", "请在作业地点扫描该地点的二维码后确认。"))
    measures = {m.code: m for m in rule_of(permit).measures}
    measure = measures.get(data["code"])
    if measure is None:
        errors.append(field_error("code", "没有这项安全措施。"))
    _refuse(errors)
    media_ids = _photos(enterprise.id, data.get("media_ids"))
    row = db.session.scalar(
        select(PermitMeasure).where(
            PermitMeasure.permit_id == permit.id, PermitMeasure.code == measure.code
        )
    )
    if row is None:
        row = PermitMeasure(permit_id=permit.id, code=measure.code, text=measure.text)
        db.session.add(row)
    row.is_met = data["is_met"]
    row.client_id = client_id
    row.note = (data.get("note") or "").strip()
    row.media_ids = media_ids
    row.confirmed_by_user_id = actor.user_id
    row.confirmed_at = clock.now()
    if not row.is_met and data.get("raise_hazard"):
        row.hazard_id = _raise_hazard(
            actor,
            permit,
            f"作业票 {permit.number} 安全措施未落实：{measure.text}"[:300],
            row.note,
            media_ids,
        )
    db.session.flush()
    audit.record(
        actor,
        "confirm_permit_measure",
        "permit",
        permit.id,
        {"code": row.code, "is_met": row.is_met, "media_ids": media_ids},
    )
    db.session.expire(permit, ["measures"])
    if all(
        m.code in {r.code for r in permit.measures if r.is_met} for m in rule_of(permit).measures
    ):
        _append(permit, actor, "complete_measures")
        _advance_analysis(actor, permit)
    return permit


# --- gas analysis ---------------------------------------------------------------------------


def required_checks(permit: Permit) -> list[tuple[str, str]]:
    """(gas, substance) pairs the permit's analysis must cover."""
    gases = rules.required_gases(rule_of(permit), permit.is_inside_confined_space)
    checks = []
    for gas in gases:
        if gas == rules.TOXIC:
            checks.extend((gas, s) for s in permit.toxic_substances)
        else:
            checks.append((gas, ""))
    return checks


def latest_readings(permit: Permit) -> dict[tuple[str, str], GasReading]:
    latest: dict[tuple[str, str], GasReading] = {}
    for reading in sorted(permit.readings, key=lambda r: (r.taken_at, r.recorded_at)):
        latest[(reading.gas, reading.substance)] = reading
    return latest


def analysis_problem(permit: Permit, at: datetime) -> str | None:
    """Why the latest analysis does not allow the work now, or None (5.3.1, 6.3, 6.4)."""
    rule = rule_of(permit)
    latest = latest_readings(permit)
    for gas, substance in required_checks(permit):
        reading = latest.get((gas, substance))
        name = rules.TOXIC_LIMITS[substance][0] if substance else rules.GAS_LABELS[gas]
        if reading is None:
            return f"缺少{name}分析数据。"
        if not reading.is_within_limit:
            return f"气体分析不合格：{reading.judgement}。"
        if not rules.analysis_is_fresh(rule.analysis_max_age, reading.taken_at, at):
            minutes = int(rule.analysis_max_age.total_seconds() // 60)
            citation = rule.analysis_basis.citation
            return f"{name}分析已超过 {minutes} 分钟，请重新分析（{citation}）。"
    return None


def _advance_analysis(actor: Actor, permit: Permit) -> None:
    if permit.state == S.analysis and analysis_problem(permit, clock.now()) is None:
        _append(permit, actor, "pass_analysis")


def record_reading(actor: Actor, permit: Permit, data: dict) -> tuple[GasReading, bool]:
    """一条气体分析数据; out of limit it refuses the permit, and during the work suspends it.
    Idempotent on the reading's client UUID. Returns (reading, created)."""
    enterprise = _enterprise(permit)
    _require_staff(actor, enterprise)
    existing = db.session.get(GasReading, data["id"])
    if existing is not None:
        if existing.permit_id == permit.id and existing.value == data["value"]:
            return existing, False
        raise Conflict("该分析数据编号已被占用。", [field_error("id", "编号已被占用。")])
    if S(permit.state) not in workflow.READING_STATES:
        raise StaleState("当前状态不能录入气体分析数据。")
    _refuse(_window_errors(permit, clock.now()))
    substance = data.get("substance") or ""
    if (data["gas"], substance) not in required_checks(permit):
        message = "该作业票不需要这项分析，或未列出该有毒物质。"
        raise ValidationFailed(message, [field_error("gas", message)])
    if data["taken_at"] > clock.now():
        message = "取样时间不能晚于当前时间。"
        raise ValidationFailed(message, [field_error("taken_at", message)])
    try:
        judgement = rules.judge_reading(
            data["gas"],
            data["value"],
            data["unit"],
            lel_percent=permit.lel_percent,
            substance=substance,
        )
    except ValueError:
        message = "该气体不能使用这个单位。"
        raise ValidationFailed(message, [field_error("unit", message)]) from None
    reading = GasReading(
        id=data["id"],
        permit_id=permit.id,
        gas=data["gas"],
        substance=substance,
        value=data["value"],
        unit=data["unit"],
        analyst_name=data["analyst_name"].strip(),
        instrument=data["instrument"].strip(),
        sampling_point=(data.get("sampling_point") or "").strip(),
        taken_at=data["taken_at"],
        is_within_limit=judgement.is_within_limit,
        limit_text=judgement.limit,
        judgement=judgement.message,
        recorded_by_user_id=actor.user_id,
        recorded_at=clock.now(),
    )
    db.session.add(reading)
    if not judgement.is_within_limit and data.get("raise_hazard"):
        reading.hazard_id = _raise_hazard(
            actor,
            permit,
            f"作业票 {permit.number} 气体分析不合格",
            f"{judgement.message}（{judgement.basis.citation}）",
            [],
        )
    db.session.flush()
    db.session.expire(permit, ["readings"])
    audit.record(
        actor,
        "record_gas_reading",
        "permit",
        permit.id,
        {
            "reading_id": str(reading.id),
            "gas": reading.gas,
            "substance": substance,
            "value": reading.value,
            "unit": reading.unit,
            "is_within_limit": reading.is_within_limit,
        },
    )
    if not judgement.is_within_limit and permit.state == S.active:
        _append(permit, actor, "suspend", f"气体分析不合格：{judgement.message}")
    _advance_analysis(actor, permit)
    return reading, True


# --- approvals ------------------------------------------------------------------------------


def next_step(permit: Permit) -> rules.ApprovalStep | None:
    done = {a.step for a in permit.approvals}
    return next((s for s in rule_of(permit).approvals if s.code not in done), None)


def approve(actor: Actor, permit: Permit, data: dict) -> Permit:
    """审批: signatures in the order the rule requires; the analysis must still be in limit."""
    enterprise = _enterprise(permit)
    _check_version(permit, data)
    if permit.state != S.approval:
        raise StaleState(f"作业票当前为“{workflow.STATE_LABELS[S(permit.state)]}”，不能审批。")
    _require_staff(actor, enterprise, MANAGERS)
    expected = next_step(permit)
    steps = {s.code: s for s in rule_of(permit).approvals}
    step = steps.get(data["step"])
    if step is None:
        message = "该作业票不需要这一级审批。"
        raise ValidationFailed(message, [field_error("step", message)])
    # Each signature belongs to a level of the organisation: a role that does not hold it may
    # never sign it (403), whichever signature is due.
    if not actor.is_platform_admin and not actor.roles_in_enterprise(enterprise.id) & step.roles:
        raise Forbidden(f"您不能以“{step.label}”身份审批。")
    now = clock.now()
    errors = _window_errors(permit, now)
    if step != expected:
        errors.append(field_error("step", f"审批顺序不对：须先由{expected.label}审批。"))
    _refuse(errors + _analysis_errors(permit, now))
    db.session.add(
        PermitApproval(
            permit_id=permit.id,
            sequence=len(permit.approvals) + 1,
            step=expected.code,
            approver_user_id=actor.user_id,
            opinion=(data.get("opinion") or "同意").strip(),
            approved_at=clock.now(),
        )
    )
    db.session.flush()
    db.session.expire(permit, ["approvals"])
    audit.record(actor, "approve_permit", "permit", permit.id, {"step": expected.code})
    final = next_step(permit) is None
    _append(permit, actor, "approve_final" if final else "approve", expected.label)
    return permit


# --- the work -------------------------------------------------------------------------------


def _event(permit: Permit, enterprise: Enterprise) -> None:
    """特级/一级 hot work opened and confined-space entry started go to the regulators."""
    important = (permit.kind == "hot_work" and permit.grade in ("special", "first")) or (
        permit.kind == "confined_space"
    )
    if not important:
        return
    place = db.session.get(Place, permit.place_id)
    enqueue(
        SPECIAL_WORK_STARTED,
        enterprise,
        "permit",
        permit.id,
        {
            "permit_id": str(permit.id),
            "number": permit.number,
            "enterprise_id": enterprise.id,
            "enterprise_name": enterprise.name,
            "uscc": enterprise.uscc,
            "kind": permit.kind,
            "grade": permit.grade,
            "label": rule_of(permit).label,
            "place": {"id": place.id, "name": place.name},
            "content": permit.content,
            "valid_from": permit.valid_from.isoformat(),
            "valid_to": permit.valid_to.isoformat(),
            "started_at": permit.started_at.isoformat(),
            "is_inside_confined_space": permit.is_inside_confined_space,
        },
    )


def start(actor: Actor, permit: Permit, data: dict) -> Permit:
    """监护人到场确认，作业开始 (GB 30871—2022 4.10): only the named guardian, inside the window,
    with a fresh analysis in limit and no forbidden concurrent work."""
    enterprise = _enterprise(permit)
    _check_version(permit, data)
    if permit.state != S.approved:
        raise StaleState(f"作业票当前为“{workflow.STATE_LABELS[S(permit.state)]}”，不能开始。")
    _require_member(actor, enterprise)
    now = clock.now()
    errors = _guardian_errors(actor, permit, "只有本作业票的监护人可以确认到场并开始作业。")
    errors += _window_errors(permit, now, starting=True) + _analysis_errors(permit, now)
    related = db.session.get(Permit, permit.related_permit_id) if permit.related_permit_id else None
    if related is not None and related.state != S.active:
        message = f"关联作业票 {related.number} 尚未开始作业或已暂停。"
        errors.append(field_error("related_permit_id", message))
    _refuse(errors + conflicts(permit))
    permit.started_at = now
    _append(permit, actor, "start", "监护人已到场")
    audit.record(actor, "start_permit", "permit", permit.id, {"started_at": now.isoformat()})
    _event(permit, enterprise)
    return permit


def resume(actor: Actor, permit: Permit, data: dict) -> Permit:
    """恢复作业 after a suspension: the guardian, with a new analysis in limit."""
    _check_version(permit, data)
    if permit.state != S.suspended:
        raise StaleState("作业票未暂停。")
    _require_member(actor, _enterprise(permit))
    now = clock.now()
    errors = _guardian_errors(actor, permit, "只有本作业票的监护人可以恢复作业。")
    _refuse(errors + _window_errors(permit, now) + _analysis_errors(permit, now))
    _append(permit, actor, "resume", "重新分析合格")
    audit.record(actor, "resume_permit", "permit", permit.id, {})
    return permit


def close(actor: Actor, permit: Permit, data: dict) -> Permit:
    """完工验收: work finished, the site checked (工完料净场地清), with at least one photo."""
    enterprise = _enterprise(permit)
    _check_version(permit, data)
    if permit.state != S.active:
        raise StaleState(f"作业票当前为“{workflow.STATE_LABELS[S(permit.state)]}”，不能关闭。")
    _require_member(actor, enterprise)
    errors = []
    if actor.user_id not in (permit.guardian_user_id, permit.applicant_user_id) and not (
        actor.roles_in_enterprise(enterprise.id) & MANAGERS
    ):
        errors.append(field_error("actor", "只有申请人、监护人或安全管理人员可以验收关闭作业票。"))
    if not data["is_site_checked"]:
        errors.append(field_error("is_site_checked", "请确认现场已检查（工完料净场地清）。"))
    if not data["close_media_ids"]:
        errors.append(field_error("close_media_ids", "请拍摄完工现场照片。"))
    _refuse(errors)
    media_ids = _photos(enterprise.id, data["close_media_ids"])
    permit.closed_at = clock.now()
    permit.is_site_checked = True
    permit.close_media_ids = media_ids
    _append(permit, actor, "close", (data.get("note") or "").strip())
    audit.record(actor, "close_permit", "permit", permit.id, {"close_media_ids": media_ids})
    return permit


def cancel(actor: Actor, permit: Permit, data: dict) -> Permit:
    """取消作业票 before the work (or while suspended), with a reason."""
    enterprise = _enterprise(permit)
    _require_staff(actor, enterprise)
    _check_version(permit, data)
    _append(permit, actor, "cancel", data["reason"].strip())
    audit.record(actor, "cancel_permit", "permit", permit.id, {"reason": data["reason"].strip()})
    return permit


def create_work_stop(actor: Actor, enterprise_id: int, data: dict) -> WorkStop:
    """停止特殊作业时段 (e.g. 重大活动、恶劣天气): permits overlapping it are refused."""
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    _require_staff(actor, enterprise, MANAGERS)
    if data["end_at"] <= data["start_at"]:
        message = "结束时间须晚于开始时间。"
        raise ValidationFailed(message, [field_error("end_at", message)])
    place_id = data.get("place_id")
    if place_id is not None:
        place = db.session.get(Place, place_id)
        if place is None or place.enterprise_id != enterprise.id:
            message = "该企业没有这个地点。"
            raise ValidationFailed(message, [field_error("place_id", message)])
    stop = WorkStop(
        enterprise_id=enterprise.id,
        place_id=place_id,
        kinds=list(data.get("kinds") or []),
        start_at=data["start_at"],
        end_at=data["end_at"],
        reason=data["reason"].strip(),
        created_by_user_id=actor.user_id,
    )
    db.session.add(stop)
    db.session.flush()
    audit.record(
        actor,
        "create_work_stop",
        "permit_work_stop",
        stop.id,
        {"kinds": stop.kinds, "place_id": place_id, "reason": stop.reason},
    )
    return stop


# --- the clock ------------------------------------------------------------------------------


def reanalysis_due_at(permit: Permit) -> datetime | None:
    """When the next reading is due while the work goes on (6.5: every 2 h in a confined space)."""
    interval = rules.reanalysis_interval(rule_of(permit), permit.is_inside_confined_space)
    if interval is None or permit.started_at is None:
        return None
    latest = latest_readings(permit)
    times = [latest[c].taken_at for c in required_checks(permit) if c in latest]
    base = max(min(times), permit.started_at) if times else permit.started_at
    return rules.reanalysis_due_at(base, interval[0])


def remind_reanalysis(permit: Permit, due: datetime, now: datetime, lead: timedelta) -> int:
    """Tell the guardian and the applicant that a re-analysis falls due within `lead`, once per
    due time (GB 30871—2022 6.5); returns how many people were notified."""
    if not due - lead <= now <= due:
        return 0
    place = db.session.get(Place, permit.place_id)
    at = due.astimezone(clock.CHINA_TZ)
    minutes = max(math.ceil((due - now).total_seconds() / 60), 0)
    created = notifications.notify(
        [permit.guardian_user_id, permit.applicant_user_id],
        permit.enterprise_id,
        "reanalysis_due",
        None,
        f"{rule_of(permit).label} {permit.number} 须在 {at:%H:%M} 前复检",
        f"{place.name}：距复检到期还有 {minutes} 分钟，请按时录入气体分析数据，"
        f"逾期未复检将暂停作业（{_interval_basis(permit)}）。",
        f"permit-reanalysis:{permit.id}:{due:%Y%m%dT%H%M%S}",
        permit_id=permit.id,
    )
    return len(created)


def _interval_basis(permit: Permit) -> str:
    interval = rules.reanalysis_interval(rule_of(permit), permit.is_inside_confined_space)
    return interval[1].citation if interval else rules.STANDARD


def sweep_permits(now: datetime, actor: Actor | None = None, lead: timedelta | None = None) -> dict:
    """Expire permits past their window; remind the guardian and applicant shortly before a
    re-analysis is due; suspend active work whose re-analysis is overdue."""
    if lead is None:
        lead = timedelta(minutes=current_app.config["ANXUN_PERMIT_REMINDER_MINUTES"])
    counts = {"expired": 0, "suspended": 0, "reminded": 0}
    open_states = [s.value for s in workflow.OPEN]
    for permit in db.session.scalars(select(Permit).where(Permit.state.in_(open_states))).all():
        if rules.is_past_window(permit.valid_to, now):
            _append(permit, actor, "expire", "超过作业票有效期")
            counts["expired"] += 1
            continue
        due = reanalysis_due_at(permit) if permit.state == S.active else None
        if due is not None and now > due:
            _append(permit, actor, "suspend", "未按时复检：超过复检间隔未录入气体分析")
            counts["suspended"] += 1
        elif due is not None:
            counts["reminded"] += remind_reanalysis(permit, due, now, lead)
    return counts
