"""Matrix rows: inspections (the sync contract)."""

from tests.api.authz.common import ALL_OK, HC_READ, Row

SUBMIT = HC_READ | {
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "auditor": "forbid",
    "admin": "forbid",
}


def _checklist(world):
    from sqlalchemy import select

    from anxun.checklists.models import ChecklistVersion
    from anxun.extensions import db

    version = db.session.scalar(
        select(ChecklistVersion).where(ChecklistVersion.code == "seasonal-holiday")
    )
    return {
        "checklist": {
            "code": version.code,
            "version_hash": version.version_hash,
            "document": version.document,
        }
    }


def _submission(ctx):
    from tests.inspection_helpers import payload

    return payload(ctx["checklist"], enterprise_id=ctx["enterprise"]["hc"])


def _stored(world):
    from anxun.accounts.models import User
    from anxun.accounts.services import actor_for
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from anxun.inspections.codes import verification_code
    from anxun.inspections.schemas import InspectionSubmitSchema
    from anxun.inspections.services import submit_inspection

    ctx = {**world, **_checklist(world)}
    data = InspectionSubmitSchema().load(_submission(ctx))
    officer = db.session.get(User, world["users"]["officer-hc"])
    with unit_of_work():
        inspection, _ = submit_inspection(actor_for(officer), data)
    return {"inspection": str(inspection.id), "code": verification_code(inspection.id)}


ROWS = [
    Row(
        "POST",
        "/api/v1/inspections",
        lambda c: "/api/v1/inspections",
        SUBMIT,
        json=_submission,
        setup=_checklist,
    ),
    # The batch itself is 200 for everyone signed in; each item carries the status its single
    # endpoint would give (tests/api/test_sync.py checks the items of other roles and enterprises).
    Row(
        "POST",
        "/api/v1/sync",
        lambda c: "/api/v1/sync",
        ALL_OK,
        json=lambda c: {"items": [{"kind": "inspection", "id": "a", "body": _submission(c)}]},
        setup=_checklist,
    ),
    Row("GET", "/api/v1/inspections", lambda c: "/api/v1/inspections", ALL_OK),
    Row(
        "GET",
        "/api/v1/inspections/<uuid:inspection_id>",
        lambda c: f"/api/v1/inspections/{c['inspection']}",
        HC_READ,
        setup=_stored,
    ),
    Row(
        "GET",
        "/api/v1/inspections/by-code/<code>",
        lambda c: f"/api/v1/inspections/by-code/{c['code']}",
        HC_READ,
        setup=_stored,
    ),
]
