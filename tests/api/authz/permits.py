"""Matrix rows: special-work permits, their steps, documents and the live view."""

import uuid
from datetime import timedelta

from tests.api.authz.common import ALL_OK, HC_READ, HC_STAFF_WRITE, Row

MANAGERS_HC = HC_STAFF_WRITE | {"rectifier-hc": "forbid"}
# Only the permit's guardian (rectifier-hc in these rows) starts or resumes the work: other staff
# hold a role that may (they are guardians of other permits), so this permit's rule refuses them.
GUARDIAN_HC = {
    "head-hc": "named",
    "officer-hc": "named",
    "rectifier-hc": "ok",
    "head-con": "hide",
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "regulator-con": "hide",
    "auditor": "forbid",
    "admin": "forbid",
}
CLOSE_HC = HC_STAFF_WRITE | {"admin": "forbid"}


def _draft(place_id: int, guardian: int, kind="hot_work", grade="second") -> dict:
    from anxun.core import clock

    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "grade": grade,
        "place_id": place_id,
        "content": "矩阵测试动火",
        "valid_from": (clock.now() - timedelta(minutes=1)).isoformat(),
        "valid_to": (clock.now() + timedelta(hours=4)).isoformat(),
        "guardian_user_id": guardian,
        "workers": [{"name": "矩阵", "certificate_no": "T1"}],
        "lel_percent": 5.0,
    }


def _reading(value: float = 0.1) -> dict:
    from anxun.core import clock

    return {
        "id": uuid.uuid4(),
        "gas": "combustible",
        "value": value,
        "unit": "%vol",
        "analyst_name": "矩阵",
        "instrument": "矩阵仪",
        "taken_at": clock.now(),
    }


def _permit(stage: str):
    """A setup making an hc hot-work permit and walking it to `stage`."""

    def setup(world):
        from anxun.extensions import db
        from anxun.permits import services
        from tests.factories_hazards import actor, make_media, make_place, user_id

        place = make_place(world["enterprise"]["hc"])
        guardian = user_id("rectifier-hc")
        officer = actor("officer-hc")
        data = services_draft(place.id, guardian)
        permit, _ = services.create_permit(officer, data)
        if stage != "draft":
            for measure in services.rule_of(permit).measures:
                services.confirm_measure(
                    officer,
                    permit,
                    {"code": measure.code, "is_met": True, "qr_token": place.qr_token},
                )
        if stage in ("approval", "approved", "active", "suspended"):
            services.record_reading(officer, permit, _reading())
        if stage in ("approved", "active", "suspended"):
            services.approve(officer, permit, {"step": "unit"})
        if stage in ("active", "suspended"):
            services.start(actor("rectifier-hc"), permit, {})
        if stage == "suspended":
            services.record_reading(officer, permit, _reading(0.9))
            services.record_reading(officer, permit, _reading())
        photo = make_media(world["enterprise"]["hc"])
        db.session.commit()
        return {"permit": str(permit.id), "place": place.id, "qr": place.qr_token, "photo": photo}

    return setup


def services_draft(place_id: int, guardian: int) -> dict:
    from datetime import datetime

    data = _draft(place_id, guardian)
    data["id"] = uuid.UUID(data["id"])
    for key in ("valid_from", "valid_to"):
        data[key] = datetime.fromisoformat(data[key])
    return data


def _place(world):
    from anxun.extensions import db
    from tests.factories_hazards import make_place, user_id

    place = make_place(world["enterprise"]["hc"])
    db.session.commit()
    return {"place": place.id, "guardian": user_id("rectifier-hc")}


def _url(suffix: str = ""):
    return lambda c: f"/api/v1/permits/{c['permit']}{suffix}"


def _stop(c):
    from anxun.core import clock

    return {
        "start_at": (clock.now() + timedelta(days=30)).isoformat(),
        "end_at": (clock.now() + timedelta(days=31)).isoformat(),
        "reason": "矩阵",
    }


def _enterprise_url(suffix: str):
    return lambda c: f"/api/v1/enterprises/{c['enterprise']['hc']}/{suffix}"


ROWS = [
    Row(
        "POST",
        "/api/v1/permits",
        lambda c: "/api/v1/permits",
        HC_STAFF_WRITE,
        json=lambda c: {
            **_draft(c["place"], c["guardian"]),
            "enterprise_id": c["enterprise"]["hc"],
        },
        setup=_place,
    ),
    Row("GET", "/api/v1/permits", lambda c: "/api/v1/permits", ALL_OK),
    Row("GET", "/api/v1/permits/live", lambda c: "/api/v1/permits/live", ALL_OK),
    Row("GET", "/api/v1/permits/<uuid:permit_id>", _url(), HC_READ, setup=_permit("draft")),
    Row(
        "GET",
        "/api/v1/permits/<uuid:permit_id>/permit.pdf",
        _url("/permit.pdf"),
        HC_READ,
        setup=_permit("draft"),
    ),
    Row(
        "POST",
        "/api/v1/permits/<uuid:permit_id>/measures",
        _url("/measures"),
        HC_STAFF_WRITE,
        json=lambda c: {"code": "HW-01", "is_met": True, "qr_token": c["qr"]},
        setup=_permit("draft"),
    ),
    Row(
        "POST",
        "/api/v1/permits/<uuid:permit_id>/readings",
        _url("/readings"),
        HC_STAFF_WRITE,
        json=lambda c: {
            **_reading(),
            "id": str(uuid.uuid4()),
            "taken_at": _reading()["taken_at"].isoformat(),
        },
        setup=_permit("analysis"),
    ),
    Row(
        "POST",
        "/api/v1/permits/<uuid:permit_id>/approvals",
        _url("/approvals"),
        MANAGERS_HC,
        json=lambda c: {"step": "unit"},
        setup=_permit("approval"),
    ),
    Row(
        "POST",
        "/api/v1/permits/<uuid:permit_id>/start",
        _url("/start"),
        GUARDIAN_HC,
        json=lambda c: {},
        setup=_permit("approved"),
    ),
    Row(
        "POST",
        "/api/v1/permits/<uuid:permit_id>/resume",
        _url("/resume"),
        GUARDIAN_HC,
        json=lambda c: {},
        setup=_permit("suspended"),
    ),
    Row(
        "POST",
        "/api/v1/permits/<uuid:permit_id>/closure",
        _url("/closure"),
        CLOSE_HC,
        json=lambda c: {"is_site_checked": True, "close_media_ids": [c["photo"]]},
        setup=_permit("active"),
    ),
    Row(
        "POST",
        "/api/v1/permits/<uuid:permit_id>/cancellation",
        _url("/cancellation"),
        HC_STAFF_WRITE,
        json=lambda c: {"reason": "矩阵"},
        setup=_permit("draft"),
    ),
    Row(
        "POST",
        "/api/v1/enterprises/<int:enterprise_id>/work-stops",
        _enterprise_url("work-stops"),
        MANAGERS_HC,
        json=_stop,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/permit-register.pdf",
        _enterprise_url("permit-register.pdf"),
        HC_READ,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/permit-register.xlsx",
        _enterprise_url("permit-register.xlsx"),
        HC_READ,
    ),
]
