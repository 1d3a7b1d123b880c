"""The enterprise desk's 风险分级管控: the registry editor (add a unit, evaluate it with LEC, the
level shows and the four-colour map's marker turns that colour) and placing a place on the site
plan by drag and drop (it stays after a reload)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import api_login
from tests.e2e.workspace_helpers import open_workspace
from tests.inspection_helpers import jpeg_bytes, upload_photo

pytestmark = pytest.mark.e2e


def site_plan_with_place(client, *, placed: bool) -> dict:
    """Setup through the API: place 1号罐区, a 800×500 site plan, the place on it if `placed`."""
    officer = api_login(client, "officer-hc")
    hc = client.get("/api/v1/me", headers=officer).json["memberships"][0]["enterprise_id"]
    place = client.post(
        f"/api/v1/enterprises/{hc}/places",
        json={"name": "1号罐区", "kind": "area"},
        headers=officer,
    ).json
    media_id = upload_photo(client, officer, jpeg_bytes((235, 235, 235), (800, 500)))
    plan = client.post(
        f"/api/v1/enterprises/{hc}/site-plans",
        json={"title": "厂区总平面图", "media_id": media_id},
        headers=officer,
    ).json
    if placed:
        shape = {"target_type": "place", "target_id": place["id"], "shape": "point"}
        response = client.put(
            f"/api/v1/site-plans/{plan['id']}/shapes",
            json={"shapes": [{**shape, "points": [[200, 150]]}]},
            headers=officer,
        )
        assert response.status_code == 200, response.json
    return {"hc": hc, "place": place, "plan": plan, "headers": officer}


def test_a_unit_added_and_evaluated_in_the_registry_colours_its_place_on_the_map(live, browser):
    client = live.app.test_client()
    setup = site_plan_with_place(client, placed=True)
    response = client.post(
        f"/api/v1/enterprises/{setup['hc']}/risk-objects",
        json={"name": "液氯储罐区"},
        headers=setup["headers"],
    )
    assert response.status_code == 201, response.json

    page = open_workspace(browser, live, "officer-hc", "#/risk-map")
    marker = page.locator(f'[data-testid="map-marker"][data-place-id="{setup["place"]["id"]}"]')
    expect(marker).to_have_attribute("data-level", "none")

    page.get_by_test_id("nav-risk").click()
    source = page.get_by_test_id("object").filter(has_text="液氯储罐区")
    source.get_by_test_id("add-unit").click()
    form = source.get_by_test_id("unit-form")
    form.get_by_label("单元名称").fill("储罐单元")
    form.get_by_label("责任部门").fill("储运车间")
    form.get_by_label("地点").select_option(label="1号罐区")
    form.get_by_role("button", name="保存").click()

    unit = source.locator('[data-testid="unit"][data-name="储罐单元"]')
    expect(unit.get_by_test_id("unit-level")).to_have_text("未评估")
    unit.get_by_test_id("add-event").click()
    unit.get_by_test_id("event-form").get_by_label("风险事件").fill("液氯泄漏中毒")
    unit.get_by_test_id("event-form").get_by_role("button", name="保存").click()

    event = unit.get_by_test_id("event").filter(has_text="液氯泄漏中毒")
    event.get_by_test_id("evaluate").click()
    evaluator = event.get_by_test_id("evaluator")
    evaluator.get_by_label("评价方法").select_option("LEC")
    # D = L×E×C = 3×6×15 = 270: 较大 (orange) by the default LEC bands (STYLE.md §4).
    evaluator.locator('select[name="L"]').select_option("3")
    evaluator.locator('select[name="E"]').select_option("6")
    evaluator.locator('select[name="C"]').select_option("15")
    expect(evaluator.get_by_test_id("eval-preview")).to_contain_text("较大")
    expect(evaluator.get_by_test_id("eval-preview")).to_contain_text("270")
    evaluator.get_by_test_id("eval-save").click()

    expect(unit.get_by_test_id("unit-level")).to_contain_text("较大")
    page.get_by_role("link", name="四色分布图 →").click()
    expect(marker).to_have_attribute("data-level", "orange")


def test_a_place_dragged_onto_the_site_plan_stays_there_after_a_reload(live, browser):
    client = live.app.test_client()
    setup = site_plan_with_place(client, placed=False)
    page = open_workspace(browser, live, "officer-hc", "#/risk-map")
    image = page.get_by_test_id("map-stage").locator("img")
    expect(image).to_have_js_property("complete", True)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=map-stage] img').naturalWidth > 0"
    )
    chip = page.locator(f'[data-testid="palette-place"][data-place-id="{setup["place"]["id"]}"]')
    start = chip.bounding_box()
    box = image.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    # Three quarters across and half down the plan: site-plan pixel (600, 250).
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5, steps=8)
    page.mouse.up()

    marker = page.locator(f'[data-testid="map-marker"][data-place-id="{setup["place"]["id"]}"]')
    expect(marker).to_be_visible()
    expect(chip).to_have_count(0)

    page.reload()
    expect(marker).to_be_visible()
    stored = client.get(f"/api/v1/site-plans/{setup['plan']['id']}", headers=setup["headers"]).json
    [shape] = stored["shapes"]
    assert shape["target_id"] == setup["place"]["id"]
    x, y = shape["points"][0]
    assert abs(x - 600) <= 4 and abs(y - 250) <= 4


def test_naming_the_accountable_persons_puts_their_checks_on_the_task_calendar(live, browser):
    client = live.app.test_client()
    setup = site_plan_with_place(client, placed=True)
    source = client.post(
        f"/api/v1/enterprises/{setup['hc']}/risk-objects",
        json={
            "name": "液氯储罐区",
            "hazard_code": "330211001",
            "is_major_hazard_source": True,
            "accountable_main": "待定",
            "accountable_technical": "待定",
            "accountable_operational": "待定",
        },
        headers=setup["headers"],
    ).json
    client.post(
        f"/api/v1/risk-objects/{source['id']}/units",
        json={"name": "储罐", "place_id": setup["place"]["id"]},
        headers=setup["headers"],
    )

    page = open_workspace(browser, live, "head-hc", "#/accountability")
    card = page.get_by_test_id("source").filter(has_text="液氯储罐区")
    card.get_by_test_id("person-main").select_option(label="周立新")
    card.get_by_test_id("person-technical").select_option(label="陈海波")
    card.get_by_test_id("person-operational").select_option(label="王志强")
    card.get_by_test_id("accountability-save").click()

    technical = card.locator('[data-testid="duty"][data-duty="technical"]')
    expect(technical).to_contain_text("每月至少一次")
    expect(technical).to_contain_text("应急厅〔2021〕12号")
    expect(technical.get_by_role("link")).to_have_text("包保责任排查：液氯储罐区（技术负责人）")
    expect(technical.get_by_test_id("duty-completion")).to_contain_text("进行中 1")

    page.get_by_test_id("nav-tasks").click()
    # The monthly window runs from the 1st of this month: open today, on this month's calendar.
    item = page.get_by_test_id("cal-item").filter(has_text="液氯储罐区（技术负责人）")
    expect(item).to_have_attribute("data-state", "open")
    expect(item).to_contain_text("1号罐区")
