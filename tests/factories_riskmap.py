"""make_* helpers for risk map tests: plan images stored as media, places, graded risk units."""

from __future__ import annotations

import hashlib
import io
import itertools
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from PIL import Image

from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.media import content_paths, media_dir
from anxun.inspections.models import Media, Place
from anxun.risk.models import ControlMeasure, RiskAssessment, RiskEvent, RiskObject, RiskUnit
from anxun.risk.registry.services import KIND_BY_CLASSIFY1

_counter = itertools.count(1)


def plan_png(width: int = 400, height: int = 300, colour=(255, 255, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_media(enterprise_id: int, uploader_id: int, width: int = 400, height: int = 300):
    """A white PNG plan written into the media folder with its Media row (as an upload would)."""
    data = plan_png(width, height)
    sha256 = hashlib.sha256(data).hexdigest()
    storage_path, thumb_path = content_paths(sha256, "image/png")
    path = media_dir() / storage_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    media = Media(
        id=uuid.uuid4(),
        enterprise_id=enterprise_id,
        uploaded_by_user_id=uploader_id,
        sha256=sha256,
        content_type="image/png",
        size=len(data),
        width=width,
        height=height,
        storage_path=storage_path,
        thumb_path=thumb_path,
    )
    db.session.add(media)
    db.session.flush()
    return media


def make_place(enterprise_id: int, name: str | None = None, **overrides) -> Place:
    n = next(_counter)
    place = Place(
        enterprise_id=enterprise_id,
        name=name or f"四色图地点{n}",
        kind="area",
        qr_token=f"MAP{n:04d}{uuid.uuid4().hex[:4]}".upper(),
        **overrides,
    )
    db.session.add(place)
    db.session.flush()
    return place


def make_unit(
    enterprise_id: int,
    assessor_id: int,
    level: str | None,
    *,
    name: str | None = None,
    place_id: int | None = None,
    measures: tuple[tuple[str, str, str], ...] = (),
    event_name: str | None = None,
    consequence: str = "人员伤亡",
    object_name: str | None = None,
) -> RiskUnit:
    """Object → unit → one event graded `level` (no assessment when None) → `measures`, given as
    (classify1, classify2, description)."""
    n = next(_counter)
    obj = RiskObject(enterprise_id=enterprise_id, name=object_name or f"四色图对象{n}")
    db.session.add(obj)
    db.session.flush()
    unit = RiskUnit(
        enterprise_id=enterprise_id,
        risk_object_id=obj.id,
        name=name or f"四色图单元{n}",
        department="储运车间",
        responsible_name="赵主任",
        place_id=place_id,
    )
    db.session.add(unit)
    db.session.flush()
    event = RiskEvent(
        enterprise_id=enterprise_id,
        risk_unit_id=unit.id,
        name=event_name or f"泄漏引发火灾{n}",
        consequence=consequence,
        accident_types=["火灾"],
    )
    db.session.add(event)
    db.session.flush()
    for classify1, classify2, description in measures:
        db.session.add(
            ControlMeasure(
                enterprise_id=enterprise_id,
                risk_event_id=event.id,
                description=description,
                classify1=classify1,
                classify2=classify2,
                kind=KIND_BY_CLASSIFY1[classify1],
            )
        )
    if level is not None:
        db.session.add(
            RiskAssessment(
                enterprise_id=enterprise_id,
                risk_event_id=event.id,
                kind="residual",
                method="LS",
                factors={"L": 1, "S": 1},
                band_table_code="ls-default",
                band_table_version="1",
                score=Decimal("1"),
                level=level,
                control_level="team",
                assessor_user_id=assessor_id,
                assessed_on=date(2026, 1, 1),
            )
        )
    db.session.flush()
    return unit


def make_open_hazard(unit: RiskUnit, reporter_id: int, **overrides) -> Hazard:
    """A hazard in rectification linked to the unit (so the unit's level is raised)."""
    values = {
        "id": uuid.uuid4(),
        "enterprise_id": unit.enterprise_id,
        "source": "direct",
        "title": f"液位计失灵{next(_counter)}",
        "proposed_level": "general",
        "level": "general",
        "deadline": date(2026, 12, 31),
        "state": "rectifying",
        "risk_unit_id": unit.id,
        "place_id": unit.place_id,
        "responsible_user_id": reporter_id,
        "measures": "更换液位计",
        "funds": Decimal("800"),
        "contingency": "人工巡检液位",
        "reported_by_user_id": reporter_id,
        "reported_at": datetime(2026, 1, 5, 2, tzinfo=UTC),
    }
    values.update(overrides)
    hazard = Hazard(**values)
    db.session.add(hazard)
    db.session.flush()
    return hazard
