"""Every write about enforcement records: 约谈 (interview) and 停产整顿 (suspension), and lifting one.

Both count as a veto on the enterprise grade while in effect (risk/grading/inputs.py): a suspension
until its last day `ends_on` (open-ended until lifted), an interview for a year.
"""

from __future__ import annotations

from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, ValidationFailed, field_error
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.outbox.enqueue import enqueue
from anxun.oversight.listings.services import covering_regulator
from anxun.oversight.models import EnforcementRecord

# The legal basis of each kind, as data; [M]/[U] facts of domain.md §4 stay marked unverified.
KINDS = {
    "suspension": {
        "label": "停产整顿",
        "basis": [
            {
                "title": "《中华人民共和国安全生产法》（2021年修正）第六十五条、第七十条",
                "note": "监督检查中责令停产停业整顿；停产停业决定的强制执行（domain.md §4）",
                "source": "domain.md §4 [C/M]",
                "verified": False,
                "verify": "pending: 条款序号待核对原文",
            },
            {
                "title": "《安全生产违法行为行政处罚办法》",
                "note": "临时停产停业一般不超过6个月",
                "source": "domain.md §4 [C]",
                "verified": True,
            },
        ],
    },
    "interview": {
        "label": "约谈",
        "basis": [
            {
                "title": "《安全生产约谈实施办法（试行）》（国务院安委会，2018）",
                "note": "该办法针对地方政府和中央企业；地方监管部门约谈企业负责人属地方做法",
                "source": "domain.md §4 [M]",
                "verified": False,
                "verify": "pending",
            }
        ],
    },
}
MSG_ONLY_SUSPENSION = "只有停产整顿可以解除。"
MSG_ALREADY_ENDED = "该停产整顿已解除。"


def _payload(record: EnforcementRecord, enterprise: Enterprise) -> dict:
    return {
        "enforcement_record_id": record.id,
        "enterprise_id": enterprise.id,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "regulator_id": record.regulator_id,
        "kind": record.kind,
        "reference_no": record.reference_no,
        "decided_on": record.decided_on.isoformat(),
        "ends_on": record.ends_on.isoformat() if record.ends_on else None,
        "basis": KINDS[record.kind]["basis"],
    }


def record_enforcement(actor: Actor, data: dict) -> EnforcementRecord:
    """Record an interview or a suspension decided by the actor's regulator covering the enterprise."""
    enterprise = scoping.get_enterprise(actor, data["enterprise_id"], scoping.READ)
    regulator = covering_regulator(actor, enterprise)
    errors = []
    today = clock.today_local()
    if data["decided_on"] > today:
        errors.append(field_error("decided_on", "决定日期不能晚于今天。"))
    ends_on = data.get("ends_on")
    if ends_on is not None and data["kind"] == "interview":
        errors.append(field_error("ends_on", "约谈无需填写结束日期（自约谈之日起计一年）。"))
    elif ends_on is not None and ends_on < data["decided_on"]:
        errors.append(field_error("ends_on", "结束日期不能早于决定日期。"))
    if errors:
        raise ValidationFailed("请检查标出的字段。", errors)
    record = EnforcementRecord(
        enterprise_id=enterprise.id,
        regulator_id=regulator.id,
        kind=data["kind"],
        reference_no=data["reference_no"].strip(),
        summary=data["summary"].strip(),
        decided_on=data["decided_on"],
        ends_on=ends_on,
        created_by_user_id=actor.user_id,
        created_at=clock.now(),
    )
    db.session.add(record)
    db.session.flush()
    payload = _payload(record, enterprise)
    audit.record(actor, "record_enforcement", "enforcement_record", record.id, payload)
    enqueue("enforcement_recorded", enterprise, "enforcement_record", record.id, payload)
    return record


def end_enforcement(actor: Actor, record: EnforcementRecord, data: dict) -> EnforcementRecord:
    """Lift a suspension: `ends_on` is its last day, so the veto stops the day after."""
    enterprise = scoping.get_enterprise(actor, record.enterprise_id, scoping.READ)
    covering_regulator(actor, enterprise)
    if record.kind != "suspension":
        raise Conflict(MSG_ONLY_SUSPENSION)
    today = clock.today_local()
    if record.ends_on is not None and record.ends_on < today:
        raise Conflict(MSG_ALREADY_ENDED)
    ends_on = data["ends_on"]
    if ends_on < record.decided_on:
        message = "结束日期不能早于决定日期。"
        raise ValidationFailed(message, [field_error("ends_on", message)])
    if ends_on > today:
        message = "解除日期不能晚于今天。"
        raise ValidationFailed(message, [field_error("ends_on", message)])
    previous = record.ends_on
    record.ends_on = ends_on
    db.session.flush()
    audit.record(
        actor,
        "end_enforcement",
        "enforcement_record",
        record.id,
        {
            "previous_ends_on": previous.isoformat() if previous else None,
            "ends_on": ends_on.isoformat(),
        },
    )
    enqueue(
        "enforcement_recorded",
        enterprise,
        "enforcement_record",
        record.id,
        _payload(record, enterprise),
    )
    return record
