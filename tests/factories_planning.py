"""make_* helpers for places, inspection plans, stop periods and inspections that complete tasks."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import select

from anxun.checklists.models import ChecklistVersion
from anxun.extensions import db
from anxun.inspections.models import Inspection, InspectionPlan, Place, StopPeriod

CST = timezone(timedelta(hours=8))
_counter = itertools.count(1)


def local(text: str) -> datetime:
    """A China local time from 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def make_place(enterprise_id: int, **overrides) -> Place:
    n = next(_counter)
    data = {
        "enterprise_id": enterprise_id,
        "name": f"测试地点{n}",
        "kind": "area",
        "qr_token": f"TST{n:05d}",
    }
    data.update(overrides)
    place = Place(**data)
    db.session.add(place)
    db.session.flush()
    return place


def make_plan(enterprise_id: int, places=(), **overrides) -> InspectionPlan:
    """A daily whole-checklist plan for the inspector role, anchored at the given moment."""
    data = {
        "enterprise_id": enterprise_id,
        "title": f"日常排查{next(_counter)}",
        "checklist_code": "hazardous-chemicals",
        "inspection_type": "daily",
        "frequency_every": 1,
        "frequency_unit": "day",
        "day_type": "every_day",
        "shifts": [],
        "assignee_role": "inspector",
    }
    data.update(overrides)
    plan = InspectionPlan(**data)
    plan.places = list(places)
    db.session.add(plan)
    db.session.flush()
    return plan


def make_stop(enterprise_id: int, start: datetime, end: datetime, place_id=None) -> StopPeriod:
    stop = StopPeriod(
        enterprise_id=enterprise_id, place_id=place_id, start_at=start, end_at=end, reason="检修"
    )
    db.session.add(stop)
    db.session.flush()
    return stop


def make_inspection(enterprise_id: int, inspector_user_id: int, finished_at: datetime):
    """A stored inspection (no answers) that can complete a task occurrence."""
    version = db.session.scalar(
        select(ChecklistVersion).where(ChecklistVersion.code == "hazardous-chemicals").limit(1)
    )
    inspection = Inspection(
        id=uuid.uuid4(),
        enterprise_id=enterprise_id,
        checklist_version_id=version.id,
        inspection_type="daily",
        inspector_user_id=inspector_user_id,
        started_at=finished_at - timedelta(minutes=20),
        finished_at=finished_at,
        payload_digest="0" * 64,
        summary={},
    )
    db.session.add(inspection)
    db.session.flush()
    return inspection


def place_payload(**overrides) -> dict:
    data = {"name": f"储罐区{next(_counter)}号", "kind": "area", "description": "甲类储罐区"}
    data.update(overrides)
    return data


def plan_payload(place_ids=(), **overrides) -> dict:
    data = {
        "title": "罐区日常排查",
        "checklist_code": "hazardous-chemicals",
        "profile": "small_micro",
        "inspection_type": "daily",
        "frequency_every": 1,
        "frequency_unit": "day",
        "assignee_role": "inspector",
        "place_ids": list(place_ids),
    }
    data.update(overrides)
    return data


OFFICE_HOURS = {"work_start": time(8).isoformat(), "work_end": time(12).isoformat()}
