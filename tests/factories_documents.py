"""make_* helpers for the hazard-loop documents: rows inserted directly, photos written to disk."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from anxun.checklists.models import ChecklistVersion
from anxun.extensions import db
from anxun.hazards.models import Hazard, HazardTransition
from anxun.inspections.models import Inspection, InspectionAnswer, Media, Place
from tests.factories_media import make_image, make_jpeg

_counter = itertools.count(1)
HAZCHEM = "hazardous-chemicals"


def hazchem_version() -> ChecklistVersion:
    """The shipped hazardous-chemicals checklist version loaded into the world."""
    return db.session.scalar(
        select(ChecklistVersion)
        .where(ChecklistVersion.code == HAZCHEM, ChecklistVersion.owner_key == "shipped")
        .order_by(ChecklistVersion.id.desc())
    )


def make_place(enterprise_id: int, name: str | None = None, **overrides) -> Place:
    n = next(_counter)
    place = Place(
        enterprise_id=enterprise_id,
        name=name or f"测试检查点{n}",
        kind="area",
        qr_token=f"DOC{n:08d}",
        **overrides,
    )
    db.session.add(place)
    db.session.flush()
    return place


def make_media(
    enterprise_id: int, user_id: int, root: Path, *, color=(200, 30, 30), png: bool = False
) -> Media:
    """A photo (JPEG, or PNG for signatures) written under `root` as the media service would."""
    data = make_image("PNG", 120, 40, color) if png else make_jpeg(80, 60, color)
    sha = hashlib.sha256(data + str(next(_counter)).encode()).hexdigest()
    ext, content_type = ("png", "image/png") if png else ("jpg", "image/jpeg")
    storage_path = f"{sha[:2]}/{sha[2:4]}/{sha}.{ext}"
    thumb_path = f"thumbs/{sha}.jpg"
    for relative in (storage_path, thumb_path):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if relative == storage_path else make_jpeg(40, 30, color))
    media = Media(
        id=uuid.uuid4(),
        enterprise_id=enterprise_id,
        uploaded_by_user_id=user_id,
        sha256=sha,
        content_type=content_type,
        size=len(data),
        width=120 if png else 80,
        height=40 if png else 60,
        storage_path=storage_path,
        thumb_path=thumb_path,
    )
    db.session.add(media)
    db.session.flush()
    return media


def make_inspection(
    enterprise_id: int,
    inspector_id: int,
    version: ChecklistVersion,
    answers: list[dict],
    *,
    finished_at: datetime | None = None,
    **overrides,
) -> Inspection:
    """An inspection with `answers` ({item_id, result, value?, note?, media_ids?, entered?})."""
    finished = finished_at or datetime(2026, 11, 25, 2, 30, tzinfo=UTC)
    counts = {"pass": 0, "fail": 0, "na": 0}
    for answer in answers:
        counts[answer["result"]] += 1
    decided = counts["pass"] + counts["fail"]
    fields = {
        "id": uuid.uuid4(),
        "enterprise_id": enterprise_id,
        "checklist_version_id": version.id,
        "inspection_type": "daily",
        "source": "self_inspection",
        "inspector_user_id": inspector_id,
        "started_at": finished - timedelta(minutes=40),
        "finished_at": finished,
        "received_at": finished + timedelta(minutes=5),
        "device_id": "test-phone-1",
        "payload_digest": "0" * 64,
        "summary": {
            "counts": {
                **counts,
                "unanswered": version.item_count - len(answers),
                "total": version.item_count,
            },
            "pass_rate": round(counts["pass"] / decided, 4) if decided else None,
            "major_failures": [],
        },
        "flags": [],
    }
    fields.update(overrides)
    inspection = Inspection(**fields)
    inspection.answers = [
        InspectionAnswer(
            position=position,
            item_id=answer["item_id"],
            entered_result=answer.get("entered", answer["result"]),
            result=answer["result"],
            value=answer.get("value"),
            note=answer.get("note", ""),
            media_ids=[str(m) for m in answer.get("media_ids", [])],
        )
        for position, answer in enumerate(answers, start=1)
    ]
    db.session.add(inspection)
    db.session.flush()
    return inspection


def make_hazard(
    enterprise_id: int,
    reporter_id: int,
    *,
    reported_at: datetime,
    steps: list[tuple] = (),
    **overrides,
) -> Hazard:
    """A hazard reported at `reported_at` plus its history.

    `steps`: (moment, action, to_state[, note[, evidence]]) after the report; the hazard's state
    is the last step's. Plan fields (level, deadline, measures, …) go in `overrides`.
    """
    state = steps[-1][2] if steps else "reported"
    fields = {
        "id": uuid.uuid4(),
        "enterprise_id": enterprise_id,
        "source": "direct",
        "title": f"测试隐患{next(_counter)}",
        "description": "",
        "media_ids": [],
        "proposed_level": "general",
        "state": state,
        "reported_by_user_id": reporter_id,
        "reported_at": reported_at,
    }
    fields.update(overrides)
    if state == "closed" and "closed_at" not in overrides:
        fields["closed_at"] = steps[-1][0]
    hazard = Hazard(**fields)
    db.session.add(hazard)
    db.session.flush()
    history = [(reported_at, "report", "reported", "", {"media_ids": hazard.media_ids})]
    previous = None
    for step in [*history, *steps]:
        moment, action, to_state = step[:3]
        note = step[3] if len(step) > 3 else ""
        evidence = step[4] if len(step) > 4 else {}
        db.session.add(
            HazardTransition(
                hazard_id=hazard.id,
                action=action,
                from_state=previous,
                to_state=to_state,
                actor_user_id=reporter_id,
                actor_label=f"测试用户({reporter_id})",
                note=note,
                evidence=evidence,
                created_at=moment,
            )
        )
        previous = to_state
    db.session.flush()
    return hazard


def general_plan(responsible_id: int, deadline, funds: str = "5000.00", **extra) -> dict:
    """Columns of a confirmed general hazard with a 五定 plan."""
    return {
        "level": "general",
        "category": "thing",
        "deadline": deadline,
        "responsible_user_id": responsible_id,
        "measures": "更换泄漏法兰垫片并做气密试验",
        "funds": Decimal(funds),
        "contingency": "泄漏时启动罐区现场处置方案",
        **extra,
    }
