"""Demo inspections: two places and a daily plan per demo enterprise, so today's tasks exist."""

from __future__ import annotations

from anxun.core import clock
from anxun.core.auth import Actor
from anxun.inspections import planning
from anxun.inspections.planning_schemas import PlaceCreateSchema, PlanCreateSchema
from anxun.orgs.models import Enterprise

# Places and a daily plan per enterprise: (place name, kind, latitude, longitude), checklist, profile.
OPERATIONS = {
    "hc": {
        "places": [
            ("液氨罐区", "area", 29.9823, 121.6410),
            ("合成车间", "unit", 29.9818, 121.6420),
        ],
        "checklist": ("hazardous-chemicals", "daily_field"),
    },
    "con": {
        "places": [
            ("1#楼施工现场", "area", 29.9575, 121.6013),
            ("塔吊 QTZ80", "equipment", None, None),
        ],
        "checklist": ("construction", "daily_field"),
    },
    "dust": {
        "places": [("抛光车间", "unit", 29.9703, 121.6656), ("除尘器", "equipment", None, None)],
        "checklist": ("dust-explosion", "daily_field"),
    },
    "cs": {
        "places": [("污水提升泵站", "area", 29.9390, 121.5895), ("污泥池", "area", None, None)],
        "checklist": ("confined-space", "daily_field"),
    },
}


def seed_operations(head: Actor, enterprise: Enterprise, spec: dict) -> None:
    """Two places and a daily inspection plan, so today's tasks exist in the PWA."""
    place_ids = []
    for name, kind, lat, lon in spec["places"]:
        data = {"name": name, "kind": kind}
        if lat is not None:
            data.update(latitude=lat, longitude=lon)
        place_ids.append(
            planning.create_place(head, enterprise.id, PlaceCreateSchema().load(data)).id
        )
    code, profile = spec["checklist"]
    start = (
        clock.now().astimezone(clock.CHINA_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    plan = PlanCreateSchema().load(
        {
            "title": "每日安全检查",
            "checklist_code": code,
            "profile": profile,
            "inspection_type": "daily",
            "frequency_every": 1,
            "frequency_unit": "day",
            "assignee_role": "safety_officer",
            "place_ids": place_ids,
            "anchor_at": start.isoformat(),
        }
    )
    planning.create_plan(head, enterprise.id, plan)
