"""The regulator overview in pages: the same rows and totals as the whole list, and today's
operation rate read from the daily grade snapshot (computed when there is none)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.factories_grading import cst, make_hazard, make_occurrence, make_plan

OVERVIEW = "/api/v1/oversight/overview"
NOW = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)


@pytest.fixture
def scene(frozen_clock, db, world):
    frozen_clock(NOW)
    ids, officer = world["enterprise"], world["users"]["officer-hc"]
    hc = ids["hc"]
    make_hazard(
        hc,
        officer,
        "confirmed",
        reported_at=cst(date(2026, 11, 20), 10),
        deadline=date(2026, 11, 23),
    )
    make_hazard(
        hc,
        officer,
        "closed",
        reported_at=cst(date(2026, 11, 18), 10),
        deadline=date(2026, 11, 21),
        closed_at=cst(date(2026, 11, 22), 10),
    )
    plan = make_plan(hc)
    make_occurrence(plan, date(2026, 11, 21), done_at=cst(date(2026, 11, 21), 9))
    make_occurrence(plan, date(2026, 11, 22))  # missed: rate 0.5
    db.session.commit()
    return world


def test_pages_cover_the_whole_list_with_the_same_totals(client, login_as, scene):
    headers = login_as("regulator")
    whole = client.get(f"{OVERVIEW}?sort=name", headers=headers).get_json()
    assert whole["total"] == len(whole["items"]) >= 3
    assert whole["per_page"] is None
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"{OVERVIEW}?sort=name&per_page=2&page={page}", headers=headers)
        assert body.status_code == 200
        data = body.get_json()
        assert data["total"] == whole["total"]
        assert data["totals"] == whole["totals"]
        assert len(data["items"]) <= 2
        seen += data["items"]
    assert [r["id"] for r in seen] == [r["id"] for r in whole["items"]]
    hc = next(r for r in whole["items"] if r["id"] == scene["enterprise"]["hc"])
    assert hc["open_hazards"] == 1 and hc["overdue_hazards"] == 1  # the closed one not counted
    for bad in ("per_page=0", "per_page=501", "page=0", "page=x"):
        refused = client.get(f"{OVERVIEW}?{bad}", headers=headers)
        assert refused.status_code == 422, bad


def test_the_rate_comes_from_todays_snapshot_and_is_computed_without_one(
    app, client, login_as, scene
):
    from anxun.core.auth import SYSTEM
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from anxun.risk.grading.services import snapshot_all_grades
    from anxun.risk.models import EnterpriseGradeSnapshot

    headers = login_as("regulator")
    hc = scene["enterprise"]["hc"]

    def rate():
        items = client.get(OVERVIEW, headers=headers).get_json()["items"]
        return next(r for r in items if r["id"] == hc)["operation_rate"]

    computed = rate()
    assert computed == 0.5
    with app.app_context():
        with unit_of_work():
            snapshot_all_grades(SYSTEM)
        snapshot = db.session.query(EnterpriseGradeSnapshot).filter_by(enterprise_id=hc).one()
        assert (snapshot.operation_rate, snapshot.operation_windows) == (0.5, 2)
        assert snapshot.result["inputs"]["online_operation_rate"] == 0.5
    assert rate() == computed
    # The overview reads the recorded figure (changed behind its back here to show it).
    with app.app_context(), unit_of_work():
        db.session.query(EnterpriseGradeSnapshot).filter_by(enterprise_id=hc).update(
            {"operation_rate": 0.25}
        )
    assert rate() == 0.25
    # A snapshot from before the columns existed (windows NULL): computed again.
    with app.app_context(), unit_of_work():
        db.session.query(EnterpriseGradeSnapshot).filter_by(enterprise_id=hc).update(
            {"operation_rate": None, "operation_windows": None}
        )
    assert rate() == computed
