"""make_* helpers for hazards: Media and Place rows inserted directly, hazards walked to a state.

Run inside an app context; the helpers flush, the caller commits when requests must see the rows.
"""

from __future__ import annotations

import itertools
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.hazards import services
from anxun.hazards.models import Hazard
from anxun.inspections.models import Media, Place
from anxun.orgs.models import Enterprise

_counter = itertools.count(1)


def actor(username: str) -> Actor:
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


def user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def make_media(enterprise_id: int, uploader: str = "officer-hc") -> str:
    """A Media row as if a photo had been uploaded (no file on disk); returns its id as text."""
    sha = secrets.token_hex(32)
    media = Media(
        id=uuid.uuid4(),
        enterprise_id=enterprise_id,
        uploaded_by_user_id=user_id(uploader),
        sha256=sha,
        content_type="image/jpeg",
        size=1234,
        width=64,
        height=48,
        storage_path=f"{sha[:2]}/{sha[2:4]}/{sha}.jpg",
        thumb_path=f"thumbs/{sha}.jpg",
    )
    db.session.add(media)
    db.session.flush()
    return str(media.id)


def make_place(enterprise_id: int, name: str | None = None) -> Place:
    n = next(_counter)
    place = Place(
        enterprise_id=enterprise_id,
        name=name or f"测试检查点{n}",
        kind="area",
        qr_token=f"T{n:04d}{secrets.token_hex(3)}".upper(),
    )
    db.session.add(place)
    db.session.flush()
    return place


def make_hazard(key: str = "hc", reporter: str | None = None, **data) -> Hazard:
    """A directly reported hazard of demo enterprise `key` ("hc", "con", …)."""
    enterprise = enterprise_of(key)
    reporter = reporter or f"officer-{key}"
    report = {
        "title": f"测试隐患{next(_counter)}",
        "description": "现场发现的问题",
        "media_ids": [make_media(enterprise.id, reporter)],
        "proposed_level": "general",
        **data,
    }
    return services.report_hazard(actor(reporter), enterprise, report, source="direct")


def enterprise_of(key: str) -> Enterprise:
    names = {
        "hc": "宁波澄江化工有限公司",
        "con": "宁波甬港建设工程有限公司",
        "dust": "宁波恒锐金属制品有限公司",
        "cs": "宁波清源水务运营有限公司",
    }
    return db.session.scalar(select(Enterprise).where(Enterprise.name == names[key]))


def step(hazard: Hazard, username: str, action: str, **data) -> Hazard:
    """Apply one transition from the hazard's current state."""
    return services.apply_transition(
        actor(username), hazard, action, data, expected_state=hazard.state
    )


def plan_fields(key: str = "hc", days: int = 7) -> dict:
    return {
        "responsible_user_id": user_id(f"rectifier-{key}"),
        "measures": "更换破损部件并加固",
        "funds": 2000,
        "deadline": clock.today_local() + timedelta(days=days),
        "contingency": "整改期间设置警戒区",
    }


# The paths through the closed loop that the helpers below walk, per level.
PATHS = {
    "general": ["confirm", "plan", "submit_rectification", "verify_pass"],
    "major": ["confirm", "submit_plan", "approve_plan", "submit_rectification", "verify_pass"],
}
MAJOR_TAIL = {"awaiting_signoff": [], "closed": ["signoff"]}


def hazard_in(state: str, level: str = "general", key: str = "hc", days: int = 7) -> Hazard:
    """A hazard of enterprise `key` walked by its demo users to `state` (deadline in `days`)."""
    hazard = make_hazard(key, proposed_level=level)
    if state == "reported":
        return hazard
    if state == "rejected":
        return step(hazard, f"officer-{key}", "reject", reason="不属于隐患")
    enterprise_id = hazard.enterprise_id
    regulator = "regulator-con" if key == "con" else "regulator"
    data = {
        "confirm": (
            f"officer-{key}",
            {
                "level": level,
                "category": "thing",
                "deadline": clock.today_local() + timedelta(days=days),
            },
        ),
        "plan": (f"officer-{key}", plan_fields(key, days)),
        "submit_plan": (
            f"officer-{key}",
            {**plan_fields(key, days), "governance_plan_id": make_media(enterprise_id)},
        ),
        "approve_plan": (f"head-{key}", {}),
        "submit_rectification": (
            f"rectifier-{key}",
            {
                "after_media_ids": [make_media(enterprise_id, f"rectifier-{key}")],
                "note": "已整改完毕",
            },
        ),
        "verify_pass": (f"officer-{key}", {}),
        "signoff": (regulator, {}),
    }
    path = PATHS[level] + (MAJOR_TAIL.get(state, []) if level == "major" else [])
    for action in path:
        username, fields = data[action]
        hazard = step(hazard, username, action, **fields)
        if hazard.state == state:
            return hazard
    raise AssertionError(f"no {level} path reaches {state}")
