"""安全承诺 on the phone: the head of hc opens it from 设置, signs today's pre-filled commitment,
and the public board shows it; the bureau's overview shows it in 今日承诺, and another
hazardous-chemicals enterprise without one turns from 待承诺 to 未承诺 at the cut-off (frozen server
clock, default cut-off 09:00 Beijing time); the grade explains its 每日安全承诺按时率 indicator."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import first_page, login
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def test_head_signs_todays_commitment_and_the_public_board_shows_it(live, browser):
    context = browser(service_workers="block")
    page = first_page(context)
    login(page, live.url, "head-hc")
    page.goto(live.url + "/#/settings")
    page.get_by_test_id("open-commitment").click()
    content = page.get_by_test_id("commitment-content")
    expect(content).to_have_value(
        "今天我公司已进行安全风险研判，各项安全风险防控措施已落实到位，我承诺所有生产装置处于安全运行状态，罐区、仓库等重大危险源安全风险得到有效管控。"
    )
    page.get_by_test_id("commitment-grade").select_option("moderate")
    page.get_by_test_id("commitment-sign").click()
    expect(page.get_by_test_id("commitment-signed")).to_contain_text("一般风险")
    expect(page.get_by_test_id("campaign-notices")).to_contain_text("暂无专项整治")

    page.goto(live.url + f"/public/commitments/{hc_id(live)}")
    expect(page.locator("body")).to_contain_text("宁波澄江化工有限公司")
    expect(page.locator("body")).to_contain_text("一般风险")


def add_hazchem_enterprise(live, name: str) -> int:
    def run(session):
        from anxun.orgs import services as orgs
        from tests.factories import enterprise_payload
        from tests.factories_hazards import actor

        enterprise = orgs.create_enterprise(
            actor("admin"), enterprise_payload(name=name, industries=["hazardous_chemicals"])
        )
        session.commit()
        return enterprise.id

    return live.query(run)


def test_the_overview_shows_todays_commitment_and_flags_a_missing_one_after_the_cutoff(
    live, browser, frozen_clock
):
    from datetime import datetime, time

    from anxun.core.clock import CHINA_TZ

    today = datetime.now(CHINA_TZ).date()
    frozen_clock(datetime.combine(today, time(8, 30), CHINA_TZ))
    other = add_hazchem_enterprise(live, "宁波镇海精细化工有限公司")

    phone = first_page(browser(service_workers="block"))
    login(phone, live.url, "head-hc")
    phone.goto(live.url + "/#/settings")
    phone.get_by_test_id("open-commitment").click()
    phone.get_by_test_id("commitment-sign").click()
    expect(phone.get_by_test_id("commitment-signed")).to_be_visible()

    desk = open_workspace(browser, live, "regulator", "#/overview")

    def cell(enterprise_id):
        row = desk.locator(f'[data-testid="overview-row"][data-id="{enterprise_id}"]')
        return row.locator('td[data-key="commitment"]')

    expect(cell(hc_id(live))).to_have_text("已按时承诺")
    expect(cell(other)).to_have_text("待承诺")

    frozen_clock(datetime.combine(today, time(9, 1), CHINA_TZ))
    desk.reload()
    expect(cell(other)).to_have_text("未承诺")
    expect(cell(hc_id(live))).to_have_text("已按时承诺")
    # The bureau's list of who has not committed today.
    desk.get_by_test_id("nav-commitments").click()
    expect(desk.get_by_test_id("commitments-missing")).to_have_text("宁波镇海精细化工有限公司")
    hc_row = desk.locator(f'[data-testid="commitment-row"][data-id="{hc_id(live)}"]')
    expect(hc_row).to_contain_text("已按时承诺")
    expect(hc_row).to_contain_text("周立新")
    expect(hc_row).to_contain_text("低风险")

    phone.goto(live.url + f"/public/commitments/{hc_id(live)}")
    expect(phone.locator("body")).to_contain_text("宁波澄江化工有限公司")
    expect(phone.locator("body")).to_contain_text("周立新")

    # The commitment counts in the grade: the bureau's drill-down and the enterprise's 等级评估.
    desk.evaluate("(hash) => { location.hash = hash; }", f"#/enterprise/{hc_id(live)}")
    desk.get_by_test_id("tab-risk").click()
    indicator = desk.get_by_test_id("grade-components").locator("tr", has_text="每日安全承诺按时率")
    expect(indicator).to_contain_text("满分 10")
    head = open_workspace(browser, live, "head-hc", "#/grade")
    expect(head.get_by_test_id("grade-components")).to_contain_text("每日安全承诺按时率")
    expect(head.get_by_test_id("grade-body")).to_contain_text("其余各项的满分和每项扣分均乘以 90%")


def hc_id(live) -> int:
    from sqlalchemy import select

    from anxun.orgs.models import Enterprise

    return live.query(
        lambda s: s.scalar(select(Enterprise.id).where(Enterprise.name == "宁波澄江化工有限公司"))
    )
