"""Random spot checks in the regulator workspace: the admin fills the registries, draws from a
seed, the reproduce check agrees, a drawn inspector records a result and starts an unannounced
on-site inspection, the admin publishes and the public page shows the draw."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, screenshot
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e

SEED = "e2e-2026-q4"


def test_registries_draw_reproduce_result_unannounced_and_publication(browser, live):
    admin = open_workspace(browser, live, "regulator-admin", "#/spot-checks")
    admin.get_by_test_id("screen-spot-checks").wait_for()
    admin.get_by_test_id("registry-add-objects").click()
    objects = admin.get_by_test_id("registry-objects")
    expect(objects.locator("tbody tr")).to_have_count(3)
    expect(objects).not_to_contain_text("宁波甬港建设工程有限公司")  # the housing bureau's
    inspectors = admin.get_by_test_id("registry-inspectors").locator("tbody tr:not(:has(td.empty))")
    for added in (1, 2):  # 赵振华 and 钱思远, the two EM bureau officers
        admin.get_by_test_id("registry-add-inspector").click()
        expect(inspectors).to_have_count(added)

    # Two officers per enterprise is the floor: 1 is refused with the field message.
    admin.get_by_test_id("draw-title").fill("2026年第四季度双随机抽查")
    admin.get_by_test_id("draw-enterprise_count").fill("2")
    admin.get_by_test_id("draw-inspectors_per_enterprise").fill("1")
    admin.get_by_test_id("draw-seed").fill(SEED)
    admin.get_by_test_id("draw-inspectors_per_enterprise").evaluate(
        "(el) => el.removeAttribute('min')"
    )
    admin.get_by_test_id("draw-submit").click()
    expect(admin.get_by_test_id("problem")).to_contain_text("国办发〔2015〕58号")
    admin.get_by_test_id("draw-inspectors_per_enterprise").fill("2")
    admin.get_by_test_id("draw-submit").click()

    admin.get_by_test_id("screen-spot-check").wait_for()
    expect(admin.get_by_test_id("draw-seed")).to_have_text(SEED)
    expect(admin.get_by_test_id("verify-result")).to_contain_text("已复现")
    expect(admin.get_by_test_id("assignments").locator("tbody tr")).to_have_count(2)
    draw_url = admin.url

    # The drawn inspector (both officers are drawn: two of two) records a result …
    inspector = open_workspace(browser, live, "regulator", "#" + draw_url.split("#", 1)[1])
    first = inspector.get_by_test_id("assignment-1")
    first.wait_for()  # the draw is shown: only now is a missing button meaningful
    expect(inspector.get_by_test_id("publish")).to_have_count(0)  # publishing is the admin's
    first.locator("select").select_option("issues_found")
    first.locator("input[name=summary]").fill("发现 1 处问题，已责令整改。")
    first.locator("button[type=submit]").click()
    expect(first).to_contain_text("发现问题")
    # … and starts the unannounced on-site inspection from the assignment.
    inspector.get_by_test_id("assignment-2").get_by_role(
        "button", name=re.compile("四不两直")
    ).click()
    inspector.wait_for_url(re.compile(r"#/patrol/\d+"))
    inspector.goto(draw_url)
    inspector.get_by_test_id("screen-spot-check").wait_for()
    expect(inspector.get_by_test_id("assignment-2").get_by_test_id("patrol-link")).to_have_count(1)
    expect(inspector.get_by_test_id("assignment-2")).to_contain_text("四不两直")

    admin.reload()
    admin.get_by_test_id("publish").click()
    expect(admin.get_by_test_id("screen-spot-check")).to_contain_text("已公开")
    screenshot(admin, "workspace-spot-check")

    public = admin.context.new_page()
    public.goto(live.url + "/public/spot-checks")
    expect(public.get_by_test_id("public-status")).to_contain_text("共 1 次")
    expect(public.get_by_test_id("public-seed")).to_have_text(SEED)
    table = public.get_by_test_id("public-assignments")
    expect(table).to_contain_text("发现问题")
    expect(table).to_contain_text("赵振华")
    expect(public.locator("body")).not_to_contain_text("regulator-admin")


def test_an_officer_the_draw_did_not_name_is_told_why_the_result_is_refused(browser, live):
    """The EM admin opens a draw that named two other officers; while the page is open the admin
    role is handed over, so the form still shows but the server refuses: only the drawn officers
    (or an admin) record a result (422 on `actor`), and the desk shows that reason once."""

    def draw_without_the_admin(session):
        from sqlalchemy import select

        from anxun.accounts import services as accounts
        from anxun.accounts.models import User
        from anxun.core.auth import Grant
        from anxun.oversight.spot_checks import services
        from tests.factories_hazards import actor

        admin = actor("regulator-admin")
        [regulator_id] = admin.regulator_ids
        third = accounts.create_user(
            actor("admin"),
            {"username": "regulator3", "display_name": "李卫东", "password": PASSWORD},
            [Grant("regulator_inspector", regulator_id=regulator_id)],
        )
        officer = session.scalar(select(User).where(User.username == "regulator"))
        services.add_registry_entries(admin, {"kind": "object"})
        for user_id in (officer.id, third.id):
            services.add_registry_entries(admin, {"kind": "inspector", "user_id": user_id})
        draw = services.make_draw(admin, {"title": "交接测试抽查", "enterprise_count": 1})
        session.commit()
        return draw.id

    def hand_over_the_admin_role(session):
        from sqlalchemy import select

        from anxun.accounts.models import Membership, User

        user = session.scalar(select(User).where(User.username == "regulator-admin"))
        membership = session.scalar(select(Membership).where(Membership.user_id == user.id))
        membership.role = "regulator_inspector"
        session.commit()

    draw_id = live.query(draw_without_the_admin)
    admin = open_workspace(browser, live, "regulator-admin", f"#/spot-check/{draw_id}")
    first = admin.get_by_test_id("assignment-1")
    first.locator("select").wait_for()
    live.query(hand_over_the_admin_role)
    first.locator("select").select_option("no_issues")
    first.locator("button[type=submit]").click()
    problem = first.get_by_test_id("problem")
    expect(problem).to_contain_text("只有抽中的检查人员或监管部门管理员可以录入检查结果。")
    expect(problem.locator("li")).to_have_count(0)  # the reason once, no "actor" field line
    expect(first).to_contain_text("待检查")
