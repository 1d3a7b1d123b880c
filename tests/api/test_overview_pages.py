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


def _crowd(db, world, all_graded: bool = False) -> dict:
    """Eight more enterprises with ties in every sort key: mixed-case ASCII names (case folded
    as Python's lower() does), equal grades and rates, enterprises without a snapshot, an old
    snapshot (rate computed), ties in hazard counts and never-inspected ones. `all_graded` gives
    every other enterprise a snapshot of today too, so no rate is computed (the rate sorts in
    SQL then, instead of on computed figures)."""
    from sqlalchemy import select

    from anxun.core import clock
    from anxun.orgs import services as orgs
    from anxun.orgs.models import Enterprise
    from anxun.risk.models import EnterpriseGradeSnapshot
    from tests.factories import enterprise_payload
    from tests.factories_hazards import actor

    officer = world["users"]["officer-hc"]
    names = ["abc化工", "ABD化工", "Abc化工", "abc化工", "宁波甲", "宁波甲", "Zeta", "zeta"]
    made = [
        orgs.create_enterprise(actor("admin"), enterprise_payload(name=name)).id for name in names
    ]
    today = clock.today_local()
    snapshots = [  # (colour, score, day offset, rate, windows)
        ("red", 80, 0, 0.5, 2),
        ("red", 80, 0, 0.5, 2),
        ("blue", 10, 0, None, 0),
        ("yellow", 40, 0, 1.0, 3),
        ("yellow", 40, -1, 0.25, 1),  # yesterday's: the rate is computed (no windows: None)
    ]
    if all_graded:
        others = [i for i in db.session.scalars(select(Enterprise.id)) if i not in made[:4]]
        cycle = [("blue", 10, 0, 0.5, 2), ("orange", 60, 0, None, 0), ("blue", 10, 0, 0.75, 4)]
        snapshots = snapshots[:4] + [cycle[n % 3] for n in range(len(others))]
        made_and_others = made[:4] + others
    else:
        made_and_others = made
    pairs = zip(made_and_others, snapshots, strict=False)
    for enterprise_id, (colour, score, offset, rate, windows) in pairs:
        db.session.add(
            EnterpriseGradeSnapshot(
                enterprise_id=enterprise_id,
                day=date.fromordinal(today.toordinal() + offset),
                score=score,
                colour=colour,
                result={},
                config_version="test",
                operation_rate=rate,
                operation_windows=windows,
            )
        )
    for enterprise_id in made[:3]:
        make_hazard(enterprise_id, officer, "confirmed", deadline=date(2026, 11, 1))
    make_hazard(made[5], officer, "confirmed", level="major", deadline=date(2026, 12, 30))
    db.session.commit()
    return dict(enumerate(made))


@pytest.mark.parametrize("all_graded", [False, True])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    "sort",
    [
        "name",
        "region_code",
        "grade",
        "open_hazards",
        "operation_rate",
        "last_inspection_at",
        "overdue_hazards",
        "open_major_hazards",
        "escalated_orders",
        "unacknowledged_orders",
        "listed_major_hazards",
    ],
)
def test_sql_pages_follow_the_pure_sort_rule(
    client, login_as, db, scene, sort, descending, all_graded
):
    """Every sort, both directions: the unpaginated list is ordered as indicators.sort_rows
    orders it (missing values last, ties by id), and pages of 3 (the last one short, one past
    the end empty) cover it exactly, with the same totals."""
    from anxun.oversight.dashboard import indicators

    _crowd(db, scene, all_graded)
    headers = login_as("regulator")
    order = "desc" if descending else "asc"
    whole = client.get(f"{OVERVIEW}?sort={sort}&order={order}", headers=headers).get_json()
    assert whole["total"] == len(whole["items"]) >= 11
    # The response spells the grade {code, label}; the rule sorts the stored colour.
    plain = [{**r, "grade": (r["grade"] or {}).get("code")} for r in whole["items"]]
    expected = [r["id"] for r in indicators.sort_rows(plain, sort, descending)]
    assert [r["id"] for r in whole["items"]] == expected
    seen, page = [], 1
    while True:
        body = client.get(
            f"{OVERVIEW}?sort={sort}&order={order}&per_page=3&page={page}", headers=headers
        ).get_json()
        assert (body["total"], body["totals"]) == (whole["total"], whole["totals"])
        if not body["items"]:
            break
        seen += body["items"]
        page += 1
    assert seen == whole["items"]
    assert page == (whole["total"] + 2) // 3 + 1


def test_name_sort_folds_ascii_case_and_rates_without_todays_snapshot_are_computed(
    client, login_as, db, scene
):
    made = _crowd(db, scene)
    headers = login_as("regulator")
    items = client.get(f"{OVERVIEW}?sort=name", headers=headers).get_json()["items"]
    ours = [r["id"] for r in items if r["id"] in made.values()]
    # abc化工 ×2 and Abc化工 fold equal (ties by id), then ABD化工, Zeta/zeta, 宁波甲 ×2.
    assert ours == [made[0], made[2], made[3], made[1], made[6], made[7], made[4], made[5]]
    rates = {r["id"]: r["operation_rate"] for r in items}
    assert [rates[made[i]] for i in range(4)] == [0.5, 0.5, None, 1.0]
    assert rates[made[4]] is None  # yesterday's snapshot said 0.25: today's is computed


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ({"grade": "red", "sort": "name", "order": "desc"}, [1, 0]),
        ({"grade": "yellow", "sort": "operation_rate"}, [3, 4]),
        ({"grade": "none", "sort": "open_major_hazards", "order": "desc"}, [5, 6, 7]),
        ({"stale_days": 7, "sort": "open_hazards", "order": "desc", "grade": "red"}, [0, 1]),
    ],
)
def test_filters_combine_with_sorts_and_pages(client, login_as, db, scene, query, keys):
    made = _crowd(db, scene)
    headers = login_as("regulator")
    body = get_json(client, headers, query)
    ours = [r["id"] for r in body["items"] if r["id"] in made.values()]
    assert ours == [made[k] for k in keys]
    first = get_json(client, headers, {**query, "per_page": 1, "page": 1})
    assert first["total"] == body["total"] == body["totals"]["enterprises"]
    assert first["items"] == body["items"][:1]
    last = get_json(client, headers, {**query, "per_page": 1, "page": body["total"]})
    assert last["items"] == body["items"][-1:]


def get_json(client, headers, query: dict) -> dict:
    response = client.get(OVERVIEW, headers=headers, query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_latest_of_several_snapshots_is_the_grade(client, login_as, db, scene):
    """An enterprise graded on several days shows its newest grade (not an older one), in the
    rows, the grade sort, the grade filter and the totals."""
    from anxun.core import clock
    from anxun.risk.models import EnterpriseGradeSnapshot

    hc = scene["enterprise"]["hc"]
    today = clock.today_local()
    for offset, colour in ((-9, "red"), (-2, "blue"), (-5, "orange")):
        db.session.add(
            EnterpriseGradeSnapshot(
                enterprise_id=hc,
                day=date.fromordinal(today.toordinal() + offset),
                score=10,
                colour=colour,
                result={},
                config_version="test",
            )
        )
    db.session.commit()
    headers = login_as("regulator")
    whole = get_json(client, headers, {"sort": "grade", "order": "desc"})
    row = next(r for r in whole["items"] if r["id"] == hc)
    assert row["grade"]["code"] == "blue"
    assert row["grade_day"] == date.fromordinal(today.toordinal() - 2).isoformat()
    assert whole["totals"]["grades"]["blue"] >= 1 and whole["totals"]["grades"]["red"] == 0
    paged = get_json(client, headers, {"sort": "grade", "order": "desc", "per_page": 2})
    assert paged["totals"] == whole["totals"]
    reds = get_json(client, headers, {"grade": "red"})
    assert hc not in [r["id"] for r in reds["items"]]
    blues = get_json(client, headers, {"grade": "blue", "per_page": 5})
    assert hc in [r["id"] for r in blues["items"]]
