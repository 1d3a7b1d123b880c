"""排查计划 on the enterprise desk: the head adds a plan from the form, then changes its title,
frequency, assignee and places from the same screen (the checklist and type stay as recorded)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import api_login, create_place_and_plan
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def test_the_head_adds_a_plan_then_changes_it_on_the_desk(live, browser):
    client = live.app.test_client()
    create_place_and_plan(client)  # three places (and one plan) of the demo enterprise
    headers = api_login(client, "head-hc")
    enterprise_id = client.get("/api/v1/me", headers=headers).json["memberships"][0][
        "enterprise_id"
    ]
    staff = client.get(f"/api/v1/enterprises/{enterprise_id}/users", headers=headers).json
    officer = next(u for u in staff if u["username"] == "officer-hc")

    page = open_workspace(browser, live, "head-hc", "#/plans")
    form = page.get_by_test_id("plan-form")
    expect(form).to_have_attribute("data-mode", "create")
    form.get_by_label("计划名称").fill("罐区每班巡检")
    form.get_by_label("排查类型").select_option("patrol")
    form.get_by_label("每", exact=True).fill("1")
    form.get_by_label("频次单位").select_option("day")
    form.get_by_label("罐区 T-101 储罐").check()
    form.get_by_test_id("plan-save").click()
    expect(page.get_by_test_id("toast")).to_have_text("已保存排查计划")
    row = page.get_by_test_id("plan-row").filter(has_text="罐区每班巡检")
    expect(row).to_contain_text("每 1 天")
    expect(row).to_contain_text("罐区 T-101 储罐")

    row.get_by_test_id("plan-edit").click()
    form = page.get_by_test_id("plan-form")
    expect(form).to_have_attribute("data-mode", "edit")
    expect(form.get_by_label("计划名称")).to_have_value("罐区每班巡检")
    expect(form.get_by_label("检查表")).to_be_disabled()
    expect(form.get_by_label("排查类型")).to_have_value("patrol")
    expect(form.get_by_label("罐区 T-101 储罐")).to_be_checked()
    form.get_by_label("计划名称").fill("罐区及仓库每周巡检")
    form.get_by_label("频次单位").select_option("week")
    form.get_by_label("排查人").select_option(f"user:{officer['id']}")
    form.get_by_label("甲类仓库").check()
    form.get_by_test_id("plan-save").click()
    expect(page.get_by_test_id("toast")).to_have_text("已保存修改")
    row = page.get_by_test_id("plan-row").filter(has_text="罐区及仓库每周巡检")
    expect(row).to_contain_text("每 1 周")
    expect(row).to_contain_text("罐区 T-101 储罐、甲类仓库")
    expect(row).to_contain_text(officer["display_name"])
    expect(page.get_by_test_id("plan-form")).to_have_attribute("data-mode", "create")

    # What the desk showed is what the server holds.
    plan_id = int(row.get_attribute("data-plan-id"))
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).json
    assert plan["title"] == "罐区及仓库每周巡检"
    assert plan["frequency_unit"]["code"] == "week"
    assert plan["inspection_type"]["code"] == "patrol"
    assert plan["assignee_user_id"] == officer["id"] and plan["assignee_role"] is None
    assert sorted(p["name"] for p in plan["places"]) == ["甲类仓库", "罐区 T-101 储罐"]
