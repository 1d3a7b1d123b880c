"""Every write about the daily safety commitment: the head signs today's announcement once."""

from __future__ import annotations

import hashlib
import json

from flask import current_app
from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.roles import Role
from anxun.commitments import rules
from anxun.commitments.models import SafetyCommitment
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, Forbidden, ValidationFailed, field_error
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.outbox.enqueue import enqueue

SAFETY_COMMITMENT = "safety_commitment"
HAZCHEM = "hazardous_chemicals"
FIELDS = (
    "hazard_sources",
    "special_work",
    "maintenance_jobs",
    "contractor_jobs",
    "is_startup",
    "is_shutdown",
    "is_trial_run",
    "open_major_hazards",
    "risk_grade",
    "content",
)


def cutoff():
    """The configured time of day (Beijing) by which the head commits (ANXUN_COMMITMENT_CUTOFF)."""
    return rules.parse_cutoff(current_app.config["ANXUN_COMMITMENT_CUTOFF"])


def _digest(data: dict) -> str:
    text = json.dumps(
        {k: data[k] for k in ("enterprise_id", *FIELDS)},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _problems(data: dict) -> list[dict]:
    errors = []
    unknown = sorted(set(data["special_work"]) - set(rules.SPECIAL_WORK_KINDS))
    if unknown:
        errors.append(field_error("special_work", f"未知的特殊作业类别：{'、'.join(unknown)}。"))
    for n, source in enumerate(data["hazard_sources"]):
        if source["status"] not in rules.SOURCE_STATUS_LABELS:
            errors.append(field_error(f"hazard_sources.{n}.status", "状态应为运行、停用或检维修。"))
    if not data["content"].strip():
        errors.append(field_error("content", "请填写承诺内容。"))
    return errors


def make_commitment(actor: Actor, data: dict) -> tuple[SafetyCommitment, bool]:
    """Sign today's 安全风险研判与承诺公告 (the head of a hazardous-chemicals enterprise); a
    replay of the same content returns it, other content under the id or a second one today
    is 409. Signed after the cut-off, it is kept and marked late."""
    enterprise = scoping.get_enterprise(actor, data["enterprise_id"], scoping.WRITE)
    if Role.head not in actor.roles_in_enterprise(enterprise.id):  # signed by the head in person
        raise Forbidden("安全承诺须由本企业主要负责人签署。")
    digest = _digest(data)
    existing = db.session.get(SafetyCommitment, data["id"])
    if existing is not None:
        if existing.payload_digest == digest and existing.enterprise_id == enterprise.id:
            return existing, False
        raise Conflict("该承诺编号已用于另一份内容。", [field_error("id", "编号重复。")])
    if HAZCHEM not in enterprise.industries:
        raise ValidationFailed(
            "只有危险化学品企业需要每日安全承诺。",
            [field_error("enterprise_id", "该企业不是危险化学品企业。")],
        )
    errors = _problems(data)
    if errors:
        raise ValidationFailed("承诺内容有误。", errors)
    now = clock.now()
    local = now.astimezone(clock.CHINA_TZ)
    today = local.date()
    if db.session.scalar(
        select(SafetyCommitment.id).where(
            SafetyCommitment.enterprise_id == enterprise.id, SafetyCommitment.commit_date == today
        )
    ):
        raise Conflict("今天已经作出安全承诺。", [field_error("commit_date", "今天已承诺。")])
    user = db.session.get(User, actor.user_id)
    commitment = SafetyCommitment(
        id=data["id"],
        enterprise_id=enterprise.id,
        commit_date=today,
        signed_by_user_id=actor.user_id,
        signer_name=user.display_name[:40],
        signed_at=now,
        is_late=rules.is_late(local, today, cutoff()),
        payload_digest=digest,
        **{k: data[k] for k in FIELDS if k != "content"},
        content=data["content"].strip(),
    )
    db.session.add(commitment)
    db.session.flush()
    audit.record(
        actor,
        "make_commitment",
        "safety_commitment",
        commitment.id,
        {
            "commit_date": today.isoformat(),
            "risk_grade": commitment.risk_grade,
            "is_late": commitment.is_late,
        },
    )
    enqueue(
        SAFETY_COMMITMENT,
        enterprise,
        "safety_commitment",
        commitment.id,
        {
            "commit_date": today.isoformat(),
            "risk_grade": commitment.risk_grade,
            "special_work": commitment.special_work,
            "maintenance_jobs": commitment.maintenance_jobs,
            "contractor_jobs": commitment.contractor_jobs,
            "is_startup": commitment.is_startup,
            "is_shutdown": commitment.is_shutdown,
            "is_trial_run": commitment.is_trial_run,
            "open_major_hazards": commitment.open_major_hazards,
            "commitment": commitment.signer_name,
            "content": commitment.content,
            "is_late": commitment.is_late,
        },
    )
    return commitment, True
