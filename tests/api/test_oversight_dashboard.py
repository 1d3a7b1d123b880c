"""HTTP: the regulator overview and trends — every number matches the rows behind it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from anxun.oversight.dashboard import indicators
from tests.factories_grading import cst, make_hazard, make_occurrence, make_plan
from tests.factories_planning import make_inspection

OVERVIEW = "/api/v1/oversight/overview"
TRENDS = "/api/v1/oversight/trends"
NOW = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
TODAY = date(2026, 11, 25)


def d(day: int) -> date:
    return date(2026, 11, day)


@pytest.fixture
def now(frozen_clock):
    frozen_clock(NOW)
    return NOW


@pytest.fixture
def scene(now, app, db, world):
    """The EM bureau's jurisdiction (hc, dust, cs) plus con (housing bureau only).

    hc: H1 open (deadline 30 Nov), H2 open overdue (23 Nov), H3 open major overdue (24 Nov,
    listed), H4 closed on 23 Nov (was overdue from 22 Nov), H5 rejected, H6 reported today without
    deadline → open 4, overdue 2, major 1. Orders: issued 1 day ago, issued 5 days ago (escalated
    by the 3-day rule), acknowledged. Grades: orange on 22 Nov, red on 24 Nov (latest). Tasks:
    21 Nov on time, 22 Nov late, 23 Nov missed → rate 1/3. Inspections 23 Nov and 15 Nov.
    dust: H7 open, deadline today (not overdue). Order issued 1 h ago but marked escalated.
    Grade yellow. Inspection 15 Nov (10 days ago: stale for 7 days).
    cs: no hazards, no inspection, no grade; an order issued exactly 3 days ago (not escalated).
    con: H8 open overdue, inspected yesterday.
    """
    from anxun.extensions import db as _db
    from anxun.oversight.models import RectificationOrder, SupervisedListing
    from anxun.risk.models import EnterpriseGradeSnapshot

    ids, users = world["enterprise"], world["users"]
    hc, dust, cs, con = ids["hc"], ids["dust"], ids["cs"], ids["con"]
    officer = users["officer-hc"]

    def hazard(enterprise, state, reported, **extra):
        return make_hazard(enterprise, officer, state, reported_at=cst(reported, 10), **extra)

    h = {
        "H1": hazard(hc, "confirmed", d(22), deadline=d(30)),
        "H2": hazard(hc, "confirmed", d(20), deadline=d(23)),
        "H3": hazard(hc, "confirmed", d(19), level="major", deadline=d(24)),
        "H4": hazard(hc, "closed", d(18), level="major", deadline=d(21), closed_at=cst(d(23), 15)),
        "H5": hazard(hc, "rejected", d(24)),
        "H6": hazard(hc, "reported", d(25)),
        "H7": hazard(dust, "confirmed", d(21), deadline=d(25)),
        "H8": hazard(con, "confirmed", d(20), deadline=d(22)),
    }
    seq = iter(range(1, 100))

    def order(enterprise, issued_at, **extra):
        row = RectificationOrder(
            number=f"镇应急责改〔2026〕{next(seq)}号",
            enterprise_id=enterprise,
            regulator_id=world["regulator"],
            deadline=d(30),
            issued_by_user_id=users["regulator"],
            issued_at=issued_at,
            **extra,
        )
        _db.session.add(row)
        return row

    order(hc, now - timedelta(days=1))
    order(hc, now - timedelta(days=5))
    order(
        hc,
        now - timedelta(days=6),
        state="acknowledged",
        acknowledged_at=now - timedelta(days=5),
        acknowledged_by_user_id=users["head-hc"],
    )
    order(dust, now - timedelta(hours=1), escalated_at=now - timedelta(minutes=5))
    order(cs, now - timedelta(days=3))

    for hazard_key, state in (("H3", "listed"), ("H4", "delisted")):
        _db.session.add(
            SupervisedListing(
                hazard_id=h[hazard_key].id,
                enterprise_id=hc,
                regulator_id=world["regulator"],
                listing_no=f"镇应急督〔2026〕{hazard_key}号",
                supervising_office="宁波市镇海区应急管理局",
                deadline=d(30),
                public_summary="储罐区重大事故隐患",
                state=state,
                listed_by_user_id=users["regulator"],
                delisted_at=now if state == "delisted" else None,
            )
        )
    for enterprise, day, colour in (
        (hc, d(22), "orange"),
        (hc, d(24), "red"),
        (dust, d(24), "yellow"),
    ):
        _db.session.add(
            EnterpriseGradeSnapshot(
                enterprise_id=enterprise,
                day=day,
                score=Decimal("55.00") if colour == "red" else Decimal("80.00"),
                colour=colour,
                result={},
                config_version="1",
            )
        )

    plan = make_plan(hc)
    make_occurrence(plan, d(21), done_at=cst(d(21), 10))
    make_occurrence(plan, d(22), done_at=cst(d(22), 19))
    make_occurrence(plan, d(23))
    make_inspection(hc, officer, cst(d(23), 9))
    make_inspection(hc, officer, cst(d(15), 9))
    make_inspection(dust, users["officer-dust"], cst(d(15), 9))
    make_inspection(con, users["officer-con"], cst(d(24), 9))
    _db.session.commit()
    return {"ids": ids, "hazards": h}


def rows_by_name(body) -> dict:
    return {row["id"]: row for row in body["items"]}


def get(client, headers, url, **query):
    response = client.get(url, query_string=query, headers=headers)
    return response


def test_overview_rows_match_the_underlying_data(client, login_as, scene):
    response = get(client, login_as("regulator"), OVERVIEW)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    ids = scene["ids"]
    rows = rows_by_name(body)
    assert set(rows) == {ids["hc"], ids["dust"], ids["cs"]}
    hc, dust, cs = rows[ids["hc"]], rows[ids["dust"]], rows[ids["cs"]]
    assert hc["name"] == "宁波澄江化工有限公司"
    assert hc["region"] == {"code": "330211", "name": "镇海区"}
    assert hc["industries"] == [{"code": "hazardous_chemicals", "label": "危险化学品"}]
    assert (hc["latitude"], hc["longitude"]) == (29.9821, 121.6412)
    assert hc["grade"] == {"code": "red", "label": "红"}
    assert (hc["grade_score"], hc["grade_day"]) == (55.0, "2026-11-24")
    assert {k: hc[k] for k in ("open_hazards", "overdue_hazards", "open_major_hazards")} == {
        "open_hazards": 4,
        "overdue_hazards": 2,
        "open_major_hazards": 1,
    }
    assert hc["operation_rate"] == 0.3333
    assert hc["last_inspection_at"].startswith("2026-11-23T01:00:00")
    assert (hc["unacknowledged_orders"], hc["escalated_orders"]) == (2, 1)
    assert hc["listed_major_hazards"] == 1

    assert dust["grade"] == {"code": "yellow", "label": "黄"}
    assert (dust["open_hazards"], dust["overdue_hazards"], dust["open_major_hazards"]) == (1, 0, 0)
    assert (dust["unacknowledged_orders"], dust["escalated_orders"]) == (1, 1)
    assert dust["operation_rate"] is None
    assert dust["last_inspection_at"].startswith("2026-11-15T01:00:00")

    assert cs["grade"] is None
    assert (cs["open_hazards"], cs["last_inspection_at"], cs["listed_major_hazards"]) == (
        0,
        None,
        0,
    )
    # Exactly three days unacknowledged is not yet "more than three days".
    assert (cs["unacknowledged_orders"], cs["escalated_orders"]) == (1, 0)

    assert body["totals"] == {
        "enterprises": 3,
        "open_hazards": 5,
        "overdue_hazards": 2,
        "open_major_hazards": 1,
        "unacknowledged_orders": 4,
        "escalated_orders": 2,
        "listed_major_hazards": 1,
        "average_operation_rate": 0.3333,
        "grades": {"red": 1, "orange": 0, "yellow": 1, "blue": 0, "none": 1},
    }
    # The 30 full days before today, as the grade counts them.
    assert body["operation_rate_period"] == {"from": "2026-10-26", "to": "2026-11-24"}
    assert body["ack_days"] == 3
    # Default order is by name.
    assert [r["name"] for r in body["items"]] == sorted(r["name"] for r in body["items"])


def test_operation_rate_agrees_with_the_enterprise_endpoint(client, login_as, scene):
    hc = scene["ids"]["hc"]
    headers = login_as("regulator")
    single = client.get(
        f"/api/v1/enterprises/{hc}/operation-rate",
        query_string={"from": "2026-10-26", "to": "2026-11-24"},
        headers=headers,
    )
    assert single.status_code == 200, single.get_json()
    # The endpoint first materialises the plan's missing windows, so the rate drops below 1/3;
    # the overview, read afterwards, must agree with it exactly.
    rate = single.get_json()["rate"]
    assert rate is not None and rate < 0.3333
    row = get(client, headers, f"{OVERVIEW}/{hc}").get_json()
    assert row["operation_rate"] == rate


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"industry": "dust_explosion"}, ["dust"]),
        ({"industry": "construction"}, []),
        ({"region_code": "3302"}, ["hc", "dust", "cs"]),
        ({"region_code": "330212"}, []),
        ({"grade": "red"}, ["hc"]),
        ({"grade": "none"}, ["cs"]),
        ({"stale_days": 7}, ["dust", "cs"]),
        ({"stale_days": 30}, ["cs"]),
        ({"grade": "yellow", "stale_days": 7}, ["dust"]),
    ],
)
def test_overview_filters_and_totals_follow_the_filtered_set(
    client, login_as, scene, query, expected
):
    body = get(client, login_as("regulator"), OVERVIEW, **query).get_json()
    ids = scene["ids"]
    assert sorted(r["id"] for r in body["items"]) == sorted(ids[k] for k in expected)
    assert body["totals"]["enterprises"] == len(expected)
    assert body["totals"]["open_hazards"] == sum(r["open_hazards"] for r in body["items"])
    # Every total is the pure rule's sum over the filtered rows, whatever sort and page.
    plain = [{**r, "grade": (r["grade"] or {}).get("code")} for r in body["items"]]
    assert body["totals"] == indicators.totals(plain)
    for sort in ("name", "open_hazards", "escalated_orders", "grade"):
        paged = get(client, login_as("regulator"), OVERVIEW, **query, sort=sort, per_page=1, page=2)
        assert paged.get_json()["totals"] == body["totals"]


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        ("open_hazards", "desc", ["hc", "dust", "cs"]),
        ("open_hazards", "asc", ["cs", "dust", "hc"]),
        ("grade", "desc", ["hc", "dust", "cs"]),
        ("grade", "asc", ["dust", "hc", "cs"]),  # ungraded always last
        ("last_inspection_at", "desc", ["hc", "dust", "cs"]),
        ("escalated_orders", "desc", ["hc", "dust", "cs"]),  # ties by id (hc before dust)
    ],
)
def test_overview_sorts_by_any_column(client, login_as, scene, sort, order, expected):
    body = get(client, login_as("regulator"), OVERVIEW, sort=sort, order=order).get_json()
    ids = scene["ids"]
    assert [r["id"] for r in body["items"]] == [ids[k] for k in expected]


def test_housing_regulator_sees_only_construction(client, login_as, scene):
    body = get(client, login_as("regulator-con"), OVERVIEW).get_json()
    assert [r["id"] for r in body["items"]] == [scene["ids"]["con"]]
    con = body["items"][0]
    assert (con["open_hazards"], con["overdue_hazards"]) == (1, 1)
    assert con["industries"] == [{"code": "construction", "label": "房屋市政工程"}]
    trends = get(client, login_as("regulator-con"), TRENDS, days=7).get_json()
    assert sum(day["hazards_reported"] for day in trends["days"]) == 1


def test_platform_admin_sees_every_enterprise(client, login_as, scene):
    body = get(client, login_as("admin"), OVERVIEW).get_json()
    assert body["totals"]["enterprises"] == 4
    assert body["totals"]["open_hazards"] == 6


@pytest.mark.parametrize("username", ["head-hc", "officer-hc", "auditor"])
def test_enterprise_staff_and_auditors_are_forbidden(client, login_as, scene, username):
    for url in (OVERVIEW, TRENDS, f"{OVERVIEW}/{scene['ids']['hc']}"):
        response = get(client, login_as(username), url)
        assert response.status_code == 403, url
        assert response.get_json()["type"] == "/problems/forbidden"


def test_single_row_outside_the_jurisdiction_is_not_found(client, login_as, scene):
    headers = login_as("regulator")
    response = get(client, headers, f"{OVERVIEW}/{scene['ids']['con']}")
    assert response.status_code == 404
    assert response.get_json()["type"] == "/problems/not-found"
    row = get(client, headers, f"{OVERVIEW}/{scene['ids']['dust']}").get_json()
    assert (row["id"], row["escalated_orders"]) == (scene["ids"]["dust"], 1)


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        (OVERVIEW, {"sort": "uscc"}, "sort"),
        (OVERVIEW, {"order": "sideways"}, "order"),
        (OVERVIEW, {"grade": "purple"}, "grade"),
        (OVERVIEW, {"stale_days": 0}, "stale_days"),
        (OVERVIEW, {"region_code": "33x"}, "region_code"),
        (OVERVIEW, {"industry": "mining"}, "industry"),
        (TRENDS, {"days": 0}, "days"),
        (TRENDS, {"days": 400}, "days"),
    ],
)
def test_bad_query_is_a_422_naming_the_field(client, login_as, scene, url, query, field):
    response = get(client, login_as("regulator"), url, **query)
    assert response.status_code == 422
    body = response.get_json()
    assert body["type"] == "/problems/validation"
    assert [e["field"] for e in body["errors"]] == [field]


def _day_counts(body) -> dict:
    """Per day of a trends answer: (reported, closed, overdue open at the end of the day,
    inspections)."""
    return {
        day["day"]: (
            day["hazards_reported"],
            day["hazards_closed"],
            day["overdue_open"],
            day["inspections"],
        )
        for day in body["days"]
    }


def test_trends_count_each_day_in_the_jurisdiction(client, login_as, scene):
    response = get(client, login_as("regulator"), TRENDS, days=7)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    got = _day_counts(body)
    # (reported, closed, overdue open at the end of the day, inspections)
    assert got == {
        "2026-11-19": (1, 0, 0, 0),  # H3
        "2026-11-20": (1, 0, 0, 0),  # H2
        "2026-11-21": (1, 0, 0, 0),  # H7
        "2026-11-22": (1, 0, 1, 0),  # H1; H4 past its 21 Nov deadline
        "2026-11-23": (0, 1, 0, 1),  # H4 closed; H2's deadline is today (not late yet)
        "2026-11-24": (1, 0, 1, 0),  # H5 (rejected later); H2 overdue
        "2026-11-25": (1, 0, 2, 0),  # H6; H2 and H3 overdue
    }
    assert body["grades"] == {"red": 1, "orange": 0, "yellow": 1, "blue": 0, "none": 1}
    assert body["enterprises"] == 3


def test_trends_default_to_thirty_days(client, login_as, scene):
    body = get(client, login_as("regulator"), TRENDS).get_json()
    assert len(body["days"]) == 30
    assert (body["days"][0]["day"], body["days"][-1]["day"]) == ("2026-10-27", "2026-11-25")
    assert sum(day["inspections"] for day in body["days"]) == 3


def test_the_desk_is_served_uncached_at_desk_and_the_old_address_redirects(client):
    assert client.get("/desk").status_code == 308
    index = client.get("/desk/")
    assert index.status_code == 200
    assert index.headers["Cache-Control"] == "no-cache"
    assert "安巡 · 工作台" in index.get_data(as_text=True)
    script = client.get("/desk/js/api.js")
    assert script.status_code == 200
    assert "javascript" in script.content_type
    assert "export function api(method, path, body)" in script.get_data(as_text=True)
    assert client.get("/desk/js/screens/nothing.js").status_code == 404
    for old, new in [
        ("/regulator", "/desk/"),
        ("/regulator/", "/desk/"),
        ("/regulator/js/app.js", "/desk/js/app.js"),
    ]:
        moved = client.get(old)
        assert moved.status_code == 301
        assert moved.headers["Location"].endswith(new)


def utc(day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, micro, tzinfo=UTC)


@pytest.fixture
def midnight_scene(now, app, db, world):
    """Hazards and inspections on both sides of China's midnight (16:00 UTC), as
    (enterprise key, state, reported_at, closed_at, deadline). The 7-day window is 19-25 Nov,
    local: from 18 Nov 16:00 UTC to 25 Nov 16:00 UTC."""
    ids, users = world["enterprise"], world["users"]
    officer = users["officer-hc"]
    seeded = [
        # Reported in the last microsecond of 20 Nov, and in the first of 21 Nov.
        ("hc", "reported", utc(20, 15, 59, 59, 999999), None, None),
        ("hc", "reported", utc(20, 16), None, None),
        # Three alike (one grouped row of three), overdue from 23 Nov.
        *[("hc", "confirmed", utc(20, 16, 30), None, d(22))] * 3,
        # Closed the local day it was reported (22 Nov: 00:30 to 23:59), and the next local day.
        ("hc", "closed", utc(21, 16, 30), utc(22, 15, 59), d(22)),
        ("hc", "closed", utc(21, 16, 30), utc(22, 16, 0), d(21)),
        # Rejected: reported and never open or overdue, whatever its deadline.
        ("hc", "rejected", utc(19, 15, 59), None, None),
        ("dust", "rejected", utc(19, 16, 1), None, d(19)),
        # Open and overdue since before the window, and due today (not late yet).
        ("dust", "confirmed", utc(1, 2), None, d(10)),
        ("dust", "confirmed", utc(1, 2), None, d(25)),
        # Overdue since before the window, then closed: in the last microsecond before it (18 Nov
        # local), in its first minute and its last minute of 19 Nov (overdue at the end of no day
        # of the window), and at 00:01 on 21 Nov (overdue at the end of 19 and 20 Nov).
        ("hc", "closed", utc(5, 2), utc(18, 15, 59, 59, 999999), d(10)),
        ("hc", "closed", utc(5, 2), utc(18, 16, 0), d(10)),
        ("hc", "closed", utc(5, 2), utc(19, 15, 59), d(10)),
        ("dust", "closed", utc(5, 2), utc(20, 16, 1), d(12)),
        # Reported in the last minute of today, and in the first of tomorrow (out of the window).
        ("hc", "reported", utc(25, 15, 59), None, None),
        ("hc", "reported", utc(25, 16, 0), None, None),
        # Outside the EM bureau's jurisdiction (the housing bureau's).
        ("con", "confirmed", utc(20, 16), None, d(21)),
        ("con", "closed", utc(22, 15), utc(23, 16), d(20)),
    ]
    for key, state, reported_at, closed_at, deadline in seeded:
        extra = {"deadline": deadline} if deadline else {}
        if deadline and state in ("reported", "rejected"):
            extra["level"] = "general"
        make_hazard(ids[key], officer, state, reported_at=reported_at, closed_at=closed_at, **extra)
    inspections = [
        ("hc", utc(20, 15, 59, 59, 999999)),
        ("hc", utc(20, 16)),
        ("dust", utc(20, 16)),
        ("dust", utc(18, 15, 59)),  # 18 Nov local: before the window
        ("hc", utc(25, 15, 59)),
        ("con", utc(24, 1)),
    ]
    for key, finished_at in inspections:
        make_inspection(ids[key], users[f"officer-{key}"], finished_at)
    # A correction repeats an inspection; it is not counted again.
    original = make_inspection(ids["hc"], officer, utc(23, 1))
    correction = make_inspection(ids["hc"], officer, utc(23, 2))
    correction.corrects_id = original.id
    inspections.append(("hc", utc(23, 1)))
    db.session.commit()
    return {"ids": ids, "hazards": seeded, "inspections": inspections}


def _expected_days(scene, keys, first: date, last: date) -> dict:
    """The series by its definition, day by day, from the seeded facts in Python."""
    hazards = [
        indicators.HazardFacts(
            reported_on=indicators.local_day(reported_at),
            closed_on=indicators.local_day(closed_at) if closed_at else None,
            deadline=deadline,
            state=state,
        )
        for key, state, reported_at, closed_at, deadline in scene["hazards"]
        if key in keys
    ]
    finished = [indicators.local_day(at) for key, at in scene["inspections"] if key in keys]
    return {
        day.isoformat(): (
            sum(1 for h in hazards if h.reported_on == day),
            sum(1 for h in hazards if h.closed_on == day),
            sum(
                1
                for h in hazards
                if h.deadline is not None and h.deadline < day and indicators.open_at_end_of(h, day)
            ),
            finished.count(day),
        )
        for day in indicators.day_range(first, last)
    }


@pytest.mark.parametrize(
    ("username", "query", "keys"),
    [
        ("regulator", {}, {"hc", "dust", "cs"}),
        ("regulator", {"industry": "dust_explosion"}, {"dust"}),
        ("regulator", {"industry": "hazardous_chemicals"}, {"hc"}),
        ("regulator", {"region_code": "3302"}, {"hc", "dust", "cs"}),
        ("regulator", {"region_code": "330212"}, set()),
        ("regulator-con", {}, {"con"}),
        ("admin", {}, {"hc", "dust", "cs", "con"}),
    ],
)
@pytest.mark.parametrize("days", [7, 30])
def test_trends_around_local_midnight_follow_the_day_by_day_definition(
    client, login_as, midnight_scene, username, query, keys, days
):
    body = get(client, login_as(username), TRENDS, days=days, **query).get_json()
    got = _day_counts(body)
    first = TODAY - timedelta(days=days - 1)
    assert got == _expected_days(midnight_scene, keys, first, TODAY)
    if keys == {"hc", "dust", "cs"}:
        # The boundaries by hand: (reported, closed, overdue open, inspections).
        assert [got[f"2026-11-{day}"] for day in range(19, 26)] == [
            (1, 2, 2, 0),  # hc rejected at 23:59; closed at 00:00 and 23:59; dust's two overdue
            (2, 0, 2, 1),  # 23:59:59.999999 and dust rejected at 00:01; inspected 23:59:59.999999
            (4, 1, 1, 2),  # 00:00 and the three alike; dust's closed at 00:01; inspected 00:00
            (2, 1, 2, 0),  # closed at 23:59 the day it was reported; the other overdue (due 21st)
            (0, 1, 4, 1),  # the three alike overdue; the correction is not counted
            (0, 0, 4, 0),
            (1, 0, 4, 1),  # 23:59 today counts, 00:00 tomorrow does not; due today is not late
        ]
