"""Scoping rules against real rows: staff, regulators by jurisdiction and industry, auditors by window."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core.errors import Forbidden, NotFound
from anxun.orgs import scoping
from anxun.orgs.models import Engagement, Enterprise


def actor(db, username):
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


def visible_names(db, username):
    rows = db.session.scalars(scoping.visible_enterprises(actor(db, username))).all()
    return sorted(e.name for e in rows)


HC, CON, DUST, CS = (
    "宁波澄江化工有限公司",
    "宁波甬港建设工程有限公司",
    "宁波恒锐金属制品有限公司",
    "宁波清源水务运营有限公司",
)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("officer-hc", [HC]),
        ("head-con", [CON]),
        ("regulator", sorted([HC, DUST, CS])),  # emergency bureau: not construction
        ("regulator-con", [CON]),  # housing bureau: construction only
        ("auditor", sorted([HC, DUST])),  # engaged enterprises only
        ("admin", sorted([HC, CON, DUST, CS])),
    ],
)
def test_each_role_sees_exactly_its_enterprises(world, db, username, expected):
    assert visible_names(db, username) == expected


def test_regulator_outside_the_jurisdiction_sees_nothing(world, db):
    from anxun.orgs.models import Region, Regulator

    db.session.add(Region(code="330212", name="鄞州区", parent_code="330200"))
    regulator = db.session.get(Regulator, world["regulator"])
    regulator.region_code = "330212"  # neighbouring district: same city, other county
    db.session.commit()
    assert visible_names(db, "regulator") == []
    regulator.region_code = "330200"  # the city bureau covers the district
    db.session.commit()
    assert visible_names(db, "regulator") == sorted([HC, DUST, CS])


def test_auditor_access_ends_with_the_engagement_window(world, db, frozen_clock):
    engagement = db.session.get(Engagement, world["engagement"])
    last_day = engagement.valid_to
    frozen_clock(datetime(last_day.year, last_day.month, last_day.day, 15, 59, tzinfo=UTC))
    assert visible_names(db, "auditor") == sorted([HC, DUST])  # 23:59 in China
    frozen_clock(datetime(last_day.year, last_day.month, last_day.day, 16, 0, tzinfo=UTC))
    assert visible_names(db, "auditor") == []  # 00:00 the next day in China
    first_day = engagement.valid_from
    frozen_clock(datetime(first_day.year, first_day.month, first_day.day, 0, 0, tzinfo=UTC))
    assert visible_names(db, "auditor") == sorted([HC, DUST])


def test_get_enterprise_hides_out_of_scope_and_refuses_auditor_writes(world, db):
    hc = world["enterprise"]["hc"]
    con = world["enterprise"]["con"]
    with pytest.raises(NotFound):
        scoping.get_enterprise(actor(db, "officer-hc"), con)
    with pytest.raises(NotFound):
        scoping.get_enterprise(actor(db, "auditor"), con)
    assert scoping.get_enterprise(actor(db, "auditor"), hc).id == hc
    with pytest.raises(Forbidden):
        scoping.get_enterprise(actor(db, "auditor"), hc, scoping.WRITE)
    assert scoping.get_enterprise(actor(db, "regulator"), hc, scoping.WRITE).id == hc


def test_enterprise_that_changes_industry_leaves_the_bureau_view(world, db):
    enterprise = db.session.get(Enterprise, world["enterprise"]["cs"])
    enterprise.industries = ["construction"]
    db.session.commit()
    assert CS not in visible_names(db, "regulator")
    assert CS in visible_names(db, "regulator-con")
