"""Matrix rows: standard changes (the checklist diff, re-judge lists, resolving, summary)."""

from tests.api.authz.common import ALL_OK, HC_READ, ROLES, Row


def _hazchem_hash(world):
    from sqlalchemy import select

    from anxun.checklists.models import ChecklistVersion
    from anxun.extensions import db

    return {
        "hash": db.session.scalar(
            select(ChecklistVersion.version_hash).where(
                ChecklistVersion.code == "hazardous-chemicals"
            )
        )
    }


def _plan_item(world):
    """A plan of hc using an item the new hazchem version removes: one plan item to resolve."""
    from sqlalchemy import select

    from anxun.checklists.services import store_version
    from anxun.core import clock
    from anxun.core.auth import SYSTEM
    from anxun.extensions import db
    from anxun.standards.models import RejudgeItem
    from tests.checklist_variants import changed_hazchem
    from tests.factories_planning import make_plan

    variant = changed_hazchem()
    make_plan(world["enterprise"]["hc"], item_ids=[variant.removed], anchor_at=clock.now())
    store_version(SYSTEM, variant.text, "hazardous-chemicals.yaml")
    item_id = db.session.scalar(select(RejudgeItem.id).where(RejudgeItem.subject == "plan"))
    db.session.commit()
    return {"item": item_id}


# hc's head or safety officer resolve; the platform admin may act for any enterprise.
RESOLVE = HC_READ | {
    "rectifier-hc": "forbid",
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "auditor": "forbid",
}

ROWS = [
    Row(
        "GET",
        "/api/v1/checklists/<code>/versions/<old>/diff/<new>",
        lambda c: f"/api/v1/checklists/hazardous-chemicals/versions/{c['hash']}/diff/{c['hash']}",
        ALL_OK,
        setup=_hazchem_hash,
    ),
    Row("GET", "/api/v1/rejudge-items", lambda c: "/api/v1/rejudge-items", ALL_OK),
    Row(
        "GET",
        "/api/v1/standard-changes/summary",
        lambda c: "/api/v1/standard-changes/summary",
        ALL_OK,
    ),
    Row(
        "POST",
        "/api/v1/rejudge-items/<int:item_id>/resolve",
        lambda c: f"/api/v1/rejudge-items/{c['item']}/resolve",
        RESOLVE,
        json=lambda c: {"resolution": "已调整排查任务"},
        setup=_plan_item,
    ),
]
assert all(set(row.expect) == set(ROLES) for row in ROWS)
