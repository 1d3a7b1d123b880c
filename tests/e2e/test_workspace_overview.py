"""The regulator workspace in Chromium: login, overview numbers, filter, map markers, drill-down."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.e2e.helpers import screenshot
from tests.e2e.workspace_helpers import workspace  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e


def seed(live) -> dict:
    """hc: two open hazards (one overdue and major); dust: an order unacknowledged for 5 days."""

    def write(session):
        from sqlalchemy import select

        from anxun.accounts.models import User
        from anxun.core import clock
        from anxun.hazards.models import Hazard
        from anxun.orgs.models import Enterprise, Regulator
        from anxun.oversight.models import RectificationOrder

        ids = {e.name: e.id for e in session.scalars(select(Enterprise))}
        hc, dust = ids["宁波澄江化工有限公司"], ids["宁波恒锐金属制品有限公司"]
        users = {u.username: u.id for u in session.scalars(select(User))}
        today, now = clock.today_local(), clock.now()
        for level, deadline in (("major", today - timedelta(days=2)), ("general", today)):
            session.add(
                Hazard(
                    id=uuid.uuid4(),
                    enterprise_id=hc,
                    source="direct",
                    title=f"{level} 隐患",
                    proposed_level=level,
                    level=level,
                    state="confirmed",
                    deadline=deadline,
                    reported_by_user_id=users["officer-hc"],
                    reported_at=now - timedelta(days=5),
                )
            )
        session.add(
            RectificationOrder(
                number="镇应急责改〔2026〕99号",
                enterprise_id=dust,
                regulator_id=session.scalar(
                    select(Regulator.id).where(Regulator.kind == "emergency_management")
                ),
                deadline=today + timedelta(days=10),
                issued_by_user_id=users["regulator"],
                issued_at=now - timedelta(days=5),
            )
        )
        session.commit()
        return {"hc": hc, "dust": dust, "ids": ids}

    return live.query(write)


def cell(row, key):
    return row.locator(f'td[data-key="{key}"]')


def test_regulator_overview_filter_map_and_drill_down(live, workspace):  # noqa: F811
    data = seed(live)
    page = workspace("regulator")
    assert "#/overview" in page.url
    page.get_by_test_id("overview-table").wait_for()
    rows = page.get_by_test_id("overview-row")
    assert rows.count() == 3  # hc, dust, cs; not the construction site (housing bureau's)
    hc = page.locator(f'[data-testid="overview-row"][data-id="{data["hc"]}"]')
    assert cell(hc, "open_hazards").inner_text() == "2"
    assert cell(hc, "overdue_hazards").inner_text() == "1"
    assert cell(hc, "open_major_hazards").inner_text() == "1"
    dust = page.locator(f'[data-testid="overview-row"][data-id="{data["dust"]}"]')
    assert dust.get_attribute("data-escalated") == "true"
    assert "alert" in dust.get_attribute("class")
    assert page.get_by_test_id("kpi-open_hazards").get_attribute("data-value") == "2"
    assert page.get_by_test_id("kpi-escalated_orders").get_attribute("data-value") == "1"
    # Default sort is by overdue hazards, descending: hc first.
    assert rows.first.get_attribute("data-id") == str(data["hc"])
    page.get_by_test_id("chart-hazards").wait_for()
    assert page.get_by_test_id("chart-grades").locator("g").count() == 5
    screenshot(page, "workspace-overview")

    page.get_by_test_id("filter-industry").select_option("dust_explosion")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=overview-row]').length === 1"
    )
    assert rows.first.get_attribute("data-id") == str(data["dust"])
    assert page.get_by_test_id("kpi-enterprises").get_attribute("data-value") == "1"
    assert "industry=dust_explosion" in page.url

    page.get_by_test_id("nav-map").click()
    page.get_by_test_id("map-svg").wait_for()
    markers = page.get_by_test_id("map-marker")
    assert markers.count() == 3
    assert sorted(markers.nth(i).get_attribute("data-id") for i in range(3)) == sorted(
        str(data["ids"][name])
        for name in ("宁波澄江化工有限公司", "宁波恒锐金属制品有限公司", "宁波清源水务运营有限公司")
    )
    screenshot(page, "workspace-map")
    page.locator(f'[data-testid="map-marker"][data-id="{data["hc"]}"] circle.marker').click()
    page.wait_for_function(f"() => location.hash === '#/enterprise/{data['hc']}'")
    assert page.get_by_test_id("enterprise-name").inner_text() == "宁波澄江化工有限公司"
    assert page.get_by_test_id("kpi-overdue").get_attribute("data-value") == "1"
    page.get_by_test_id("tab-hazards").click()
    page.get_by_test_id("hazard-row").first.wait_for()
    assert page.get_by_test_id("hazard-row").count() == 2


def test_auditor_nav_and_logout(live, workspace):  # noqa: F811
    page = workspace("auditor")
    nav = page.get_by_test_id("nav")
    labels = nav.locator("a").all_inner_texts()
    assert labels == ["在线巡查", "第三方审核", "查阅记录"]
    page.evaluate("() => { location.hash = '#/overview'; }")
    problem = page.locator('[data-screen="overview"] [data-testid="problem"]')
    assert "无权访问" in problem.inner_text()
    page.get_by_test_id("logout").click()
    page.get_by_test_id("login-form").wait_for()
    assert page.evaluate("() => sessionStorage.length") == 0
