"""make_* helpers for risk grading tests: registry rows, hazards, task windows, enforcement."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from anxun.commitments.models import SafetyCommitment
from anxun.core.auth import SYSTEM, Grant
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import InspectionPlan, StopPeriod, TaskOccurrence
from anxun.orgs.models import Regulator
from anxun.oversight.models import EnforcementRecord
from anxun.risk.models import RiskAssessment, RiskEvent, RiskObject, RiskUnit

CST = timezone(timedelta(hours=8))
_counter = itertools.count(1)


def cst(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A China-local moment as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=CST)


def make_risk_event(enterprise_id: int, *, is_major_hazard_source: bool = False, **overrides):
    """A risk object → unit → event chain; returns the event (its unit is event.risk_unit_id)."""
    n = next(_counter)
    obj = RiskObject(
        enterprise_id=enterprise_id,
        name=overrides.pop("object_name", f"储罐区{n}"),
        is_major_hazard_source=is_major_hazard_source,
    )
    db.session.add(obj)
    db.session.flush()
    unit = RiskUnit(enterprise_id=enterprise_id, risk_object_id=obj.id, name=f"储罐{n}")
    db.session.add(unit)
    db.session.flush()
    event = RiskEvent(
        enterprise_id=enterprise_id,
        risk_unit_id=unit.id,
        name=overrides.pop("name", f"物料泄漏引发火灾{n}"),
        **overrides,
    )
    db.session.add(event)
    db.session.flush()
    return event


def make_assessment(event: RiskEvent, user_id: int, level: str, **overrides) -> RiskAssessment:
    values = {
        "enterprise_id": event.enterprise_id,
        "risk_event_id": event.id,
        "kind": "residual",
        "method": "LS",
        "factors": {"L": 1, "S": 1},
        "band_table_code": "ls-default",
        "band_table_version": "1",
        "score": Decimal("1"),
        "level": level,
        "control_level": "team",
        "assessor_user_id": user_id,
        "assessed_on": date(2026, 1, 1),
    }
    values.update(overrides)
    assessment = RiskAssessment(**values)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def make_hazard(enterprise_id: int, reporter_id: int, state: str, **overrides) -> Hazard:
    """A hazard row in `state`; confirmed-or-later states get a level and a deadline."""
    values = {
        "id": uuid.uuid4(),
        "enterprise_id": enterprise_id,
        "source": "direct",
        "title": f"测试隐患{next(_counter)}",
        "proposed_level": overrides.get("level") or "general",
        "state": state,
        "reported_by_user_id": reporter_id,
        "reported_at": datetime(2026, 1, 5, 2, tzinfo=UTC),
    }
    if state not in ("reported", "rejected"):
        values.update(level="general", deadline=date(2026, 12, 31))
    values.update(overrides)
    hazard = Hazard(**values)
    db.session.add(hazard)
    db.session.flush()
    return hazard


def make_plan(enterprise_id: int) -> InspectionPlan:
    plan = InspectionPlan(
        enterprise_id=enterprise_id,
        title="日常巡检",
        checklist_code="hazardous-chemicals",
        inspection_type="daily",
        frequency_every=1,
        frequency_unit="day",
        anchor_at=datetime(2026, 1, 1, tzinfo=UTC),
        assignee_role="inspector",
    )
    db.session.add(plan)
    db.session.flush()
    return plan


def make_occurrence(plan: InspectionPlan, day: date, done_at: datetime | None = None):
    """The 08:00–18:00 (China) window of `day`, done at `done_at` if given."""
    occurrence = TaskOccurrence(
        plan_id=plan.id,
        enterprise_id=plan.enterprise_id,
        due_start=cst(day, 8),
        due_end=cst(day, 18),
        done_at=done_at,
        inspection_id=uuid.uuid4() if done_at else None,
    )
    db.session.add(occurrence)
    db.session.flush()
    return occurrence


def make_commitments(enterprise_id: int, signer_id: int, days, *, late: bool = False) -> None:
    """The head's daily safety commitment on each of `days`, signed at 08:00 China time (10:00 when
    `late`); flushed, not committed."""
    for day in days:
        db.session.add(
            SafetyCommitment(
                id=uuid.uuid4(),
                enterprise_id=enterprise_id,
                commit_date=day,
                hazard_sources=[],
                special_work={},
                risk_grade="low",
                content="今天我公司已进行安全风险研判。",
                signed_by_user_id=signer_id,
                signer_name="测试负责人",
                signed_at=cst(day, 10 if late else 8),
                is_late=late,
                payload_digest="0" * 64,
            )
        )
    db.session.flush()


def make_stop(enterprise_id: int, start: datetime, end: datetime) -> StopPeriod:
    stop = StopPeriod(enterprise_id=enterprise_id, start_at=start, end_at=end, reason="检修")
    db.session.add(stop)
    db.session.flush()
    return stop


def make_enforcement(
    enterprise_id: int, regulator_id: int, user_id: int, kind: str, decided_on: date, **overrides
) -> EnforcementRecord:
    record = EnforcementRecord(
        enterprise_id=enterprise_id,
        regulator_id=regulator_id,
        kind=kind,
        decided_on=decided_on,
        created_by_user_id=user_id,
        **overrides,
    )
    db.session.add(record)
    db.session.flush()
    return record


def make_province_admin(username: str, password: str, region_code: str = "330000") -> Regulator:
    """A provincial emergency-management bureau and an admin user `username` for it."""
    from anxun.accounts import services as accounts

    regulator = Regulator(
        name=f"省应急管理厅{next(_counter)}",
        kind="emergency_management",
        level="province",
        region_code=region_code,
        industries=["hazardous_chemicals", "dust_explosion", "industry_trade"],
    )
    db.session.add(regulator)
    db.session.flush()
    accounts.create_user(
        SYSTEM,
        {"username": username, "display_name": "省厅管理员", "password": password},
        [Grant("regulator_admin", regulator_id=regulator.id)],
    )
    return regulator


def band(level, label, lower, lower_inclusive, upper, upper_inclusive, description=""):
    return {
        "level": level,
        "label": label,
        "lower": lower,
        "lower_inclusive": lower_inclusive,
        "upper": upper,
        "upper_inclusive": upper_inclusive,
        "description": description,
    }


def strict_lec_bands() -> list[dict]:
    """A stricter LEC table: red above 150 (so D = 180 is red, orange by default)."""
    return [
        band("red", "重大", 150, False, None, False),
        band("orange", "较大", 70, False, 150, True),
        band("yellow", "一般", 20, False, 70, True),
        band("blue", "低", None, False, 20, True),
    ]


def lenient_lec_bands() -> list[dict]:
    """A province table: red only above 400 (so D = 360 is orange, red by default)."""
    return [
        band("red", "重大", 400, False, None, False),
        band("orange", "较大", 160, False, 400, True),
        band("yellow", "一般", 70, False, 160, True),
        band("blue", "低", None, False, 70, True),
    ]
