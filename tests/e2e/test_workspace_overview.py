"""The regulator workspace in Chromium: login, overview numbers, filter, map markers, drill-down."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot
from tests.e2e.workspace_helpers import workspace  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e


# The ECharts instance behind a chart node (the module is the page's own, same URL, same instance).
CHART_SERIES = """async (testid) => {
  const echarts = await import("/desk/vendor/echarts/echarts.desk.min.js");
  const node = document.querySelector(`[data-testid="${testid}"]`);
  return echarts.getInstanceByDom(node).getOption().series.map((s) => ({
    name: s.name, type: s.type, data: s.data.map((d) => (typeof d === "object" ? d.value : d)),
  }));
}"""
MAP_STATE = """async () => {
  const echarts = await import("/desk/vendor/echarts/echarts.desk.min.js");
  const chart = echarts.getInstanceByDom(document.querySelector('[data-testid="map-chart"]'));
  const option = chart.getOption();
  const geo = chart.getModel().getComponent("geo").coordinateSystem;
  return {
    map: option.geo[0].map,
    regions: geo.regions.map((r) => r.name),
    points: option.series.flatMap((s) => s.data.map((d) => d.id)),
  };
}"""
# The pixel (relative to the chart) where the point of enterprise `id` is drawn.
POINT_PIXEL = """async (id) => {
  const echarts = await import("/desk/vendor/echarts/echarts.desk.min.js");
  const chart = echarts.getInstanceByDom(document.querySelector('[data-testid="map-chart"]'));
  const point = chart.getOption().series.flatMap((s) => s.data).find((d) => d.id === id);
  return chart.convertToPixel("geo", point.value);
}"""


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
    expect(rows).to_have_count(3)  # hc, dust, cs; not the construction site (housing bureau's)
    hc = page.locator(f'[data-testid="overview-row"][data-id="{data["hc"]}"]')
    expect(cell(hc, "open_hazards")).to_have_text("2")
    expect(cell(hc, "overdue_hazards")).to_have_text("1")
    expect(cell(hc, "open_major_hazards")).to_have_text("1")
    # No due task in the window reads 无数据 with the reason, as in the grade (issue #13).
    expect(cell(hc, "operation_rate")).to_have_text("无数据")
    expect(cell(hc, "operation_rate").locator("span")).to_have_attribute(
        "title", re.compile("没有到期的排查任务")
    )
    dust = page.locator(f'[data-testid="overview-row"][data-id="{data["dust"]}"]')
    expect(dust).to_have_attribute("data-escalated", "true")
    expect(dust).to_have_class(re.compile(r"\balert\b"))
    expect(page.get_by_test_id("kpi-open_hazards")).to_have_attribute("data-value", "2")
    expect(page.get_by_test_id("kpi-escalated_orders")).to_have_attribute("data-value", "1")
    # Default sort is by overdue hazards, descending: hc first.
    expect(rows.first).to_have_attribute("data-id", str(data["hc"]))
    for chart in ("chart-hazards", "chart-inspections", "chart-grades"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-ready", "true")
    drawn = page.evaluate(CHART_SERIES, "chart-hazards")
    assert [s["name"] for s in drawn] == ["上报", "销号", "超期未整改（日末）"]
    assert all(s["type"] == "line" and len(s["data"]) == 30 for s in drawn)
    [grades] = page.evaluate(CHART_SERIES, "chart-grades")
    assert len(grades["data"]) == 5  # red, orange, yellow, blue, not graded
    screenshot(page, "workspace-overview")

    page.get_by_test_id("filter-industry").select_option("dust_explosion")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=overview-row]').length === 1"
    )
    expect(rows.first).to_have_attribute("data-id", str(data["dust"]))
    expect(page.get_by_test_id("kpi-enterprises")).to_have_attribute("data-value", "1")
    assert "industry=dust_explosion" in page.url

    page.get_by_test_id("nav-map").click()
    chart = page.locator('[data-testid="map-chart"][data-ready="true"]')
    expect(chart).to_have_attribute("data-points", "3")
    plotted = page.evaluate(MAP_STATE)
    assert sorted(plotted["points"]) == sorted(
        str(data["ids"][name])
        for name in ("宁波澄江化工有限公司", "宁波恒锐金属制品有限公司", "宁波清源水务运营有限公司")
    )
    # Real district boundaries under the points: the ten 宁波 districts of the vendored GeoJSON.
    assert {"镇海区", "北仑区", "江北区"} <= set(plotted["regions"])
    assert plotted["map"] == "ningbo"
    expect(page.get_by_test_id("map-points").locator("a")).to_have_count(3)
    screenshot(page, "workspace-map")
    # Click the canvas where ECharts drew hc's point: the chart's own click handler navigates.
    x, y = page.evaluate(POINT_PIXEL, str(data["hc"]))
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_function(f"() => location.hash === '#/enterprise/{data['hc']}'")
    expect(page.get_by_test_id("enterprise-name")).to_have_text("宁波澄江化工有限公司")
    expect(page.get_by_test_id("kpi-overdue")).to_have_attribute("data-value", "1")
    page.get_by_test_id("tab-hazards").click()
    page.get_by_test_id("hazard-row").first.wait_for()
    expect(page.get_by_test_id("hazard-row")).to_have_count(2)


def test_auditor_nav_and_logout(live, workspace):  # noqa: F811
    page = workspace("auditor")
    nav = page.get_by_test_id("nav")
    expect(nav.locator("a")).to_have_text(["在线巡查", "专项整治", "第三方审核", "查阅记录"])
    page.evaluate("() => { location.hash = '#/overview'; }")
    problem = page.locator('[data-screen="overview"] [data-testid="problem"]')
    expect(problem).to_contain_text("无权访问")
    page.get_by_test_id("logout").click()
    page.get_by_test_id("login-form").wait_for()
    assert page.evaluate("() => sessionStorage.length") == 0
