"""专项整治 end to end (#14): the bureau launches a campaign with a written checklist to the dust
enterprises of 镇海区 on the desk; two safety officers complete it on their phones (one with a
finding), the third does not; the bureau's view shows 2/3 with the hazard and the laggard; the
bureau's officer records the 督导检查 of a sample item by item on the desk and the differences
with the self-check show. 举一反三: from the demo incident the bureau's admin starts a campaign whose
targets are the other hazardous-chemicals enterprises of the jurisdiction."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, card, first_page, fixture_photo, login, screenshot
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e

ITEMS = ["除尘系统按规定设置锁气卸灰装置", "粉尘清扫制度落实并有记录"]


def add_enterprise(live, key: str, name: str, industry: str = "dust_explosion") -> int:
    """Another 镇海区 enterprise with a safety officer `officer-<key>`."""

    def run(session):
        from anxun.accounts import services as accounts
        from anxun.core.auth import Grant
        from anxun.orgs import services as orgs
        from tests.factories import enterprise_payload
        from tests.factories_hazards import actor

        enterprise = orgs.create_enterprise(
            actor("admin"), enterprise_payload(name=name, industries=[industry])
        )
        accounts.create_user(
            actor("admin"),
            {"username": f"officer-{key}", "display_name": f"安全员{key}", "password": PASSWORD},
            [Grant("safety_officer", enterprise_id=enterprise.id)],
        )
        session.commit()
        return enterprise.id

    return live.query(run)


def self_check_on_phone(browser, live, username: str, failure_photo=None) -> None:
    """The officer opens the campaign task from 今日任务 and answers the two written items."""
    page = first_page(browser(f"phone-{username}", service_workers="block"))
    login(page, live.url, username)
    page.goto(live.url + "/#/tasks")
    page.get_by_role("button", name="专项整治：粉尘涉爆专项整治").first.click()
    first, second = card(page, "C-01"), card(page, "C-02")
    first.get_by_role("button", name="合格", exact=True).click()
    if failure_photo is None:
        second.get_by_role("button", name="合格", exact=True).click()
    else:
        second.get_by_role("button", name="不合格", exact=True).click()
        second.locator("input[type=file]").set_input_files(str(failure_photo))
        second.locator(".photos img").wait_for()
        second.locator("textarea.note").fill("清扫记录缺 11 月份")
    page.get_by_role("button", name="提交检查记录").click()
    record = page.locator("article.record.highlight")
    expect(record).to_contain_text("已同步")
    page.context.close()


def test_dust_campaign_from_launch_to_supervision_difference(live, browser, tmp_path):
    add_enterprise(live, "d2", "宁波镇海粉末冶金有限公司")
    add_enterprise(live, "d3", "宁波镇海木制品有限公司")

    desk = open_workspace(browser, live, "regulator-admin", "#/campaigns")
    desk.get_by_test_id("campaign-title").fill("粉尘涉爆专项整治")
    desk.get_by_label("专项检查内容").fill("\n".join(ITEMS))
    desk.get_by_label("行政区划").fill("330211")
    desk.get_by_test_id("campaign-preview-button").click()
    expect(desk.get_by_test_id("campaign-preview")).to_have_text("符合条件的企业：3 家")
    desk.get_by_test_id("campaign-save").click()
    desk.get_by_test_id("campaign-launch").click()
    expect(desk.get_by_test_id("campaign-completion")).to_contain_text("0/3")

    photo = fixture_photo(tmp_path / "dust.jpg")
    self_check_on_phone(browser, live, "officer-dust", failure_photo=photo)
    self_check_on_phone(browser, live, "officer-d2")

    desk.reload()
    expect(desk.get_by_test_id("campaign-completion")).to_contain_text("2/3")
    expect(desk.get_by_test_id("campaign-figures")).to_contain_text("隐患 1 项")
    laggards = desk.get_by_test_id("campaign-laggards")
    expect(laggards).to_contain_text("宁波镇海木制品有限公司")
    expect(laggards).not_to_contain_text("宁波镇海粉末冶金有限公司")
    expect(desk.get_by_test_id("campaign-zero")).to_have_text("宁波镇海粉末冶金有限公司")

    # 督导检查: all three drawn, then the bureau's officer inspects d2, which self-checked clean.
    desk.get_by_label("抽取数量").fill("3")
    desk.get_by_role("button", name="抽取检查对象").click()
    samples = desk.get_by_test_id("campaign-samples")
    row = samples.locator("tr", has_text="宁波镇海粉末冶金有限公司")
    expect(row).to_contain_text("未检查")
    row.get_by_role("button", name="录入督导检查").click()
    form = desk.get_by_test_id("campaign-check-form")
    expect(form).to_contain_text("部门督导检查：宁波镇海粉末冶金有限公司")
    expect(form.get_by_test_id("campaign-check-items")).to_contain_text(ITEMS[1])
    form.get_by_test_id("check-result-C-01").select_option("pass")
    # Submitting with an item unanswered is refused with the server's message.
    form.get_by_test_id("campaign-check-submit").click()
    expect(form).to_contain_text("还有 1 项未作答")
    form.get_by_test_id("check-result-C-02").select_option("fail")
    form.get_by_test_id("check-note-C-02").fill("现场无 11 月清扫记录")
    screenshot(desk, "desk-campaign-check")
    form.get_by_test_id("campaign-check-submit").click()
    row = desk.get_by_test_id("campaign-samples").locator("tr", has_text="宁波镇海粉末冶金有限公司")
    expect(row).to_contain_text(f"{ITEMS[1]}：自查合格、督查不合格")
    expect(row).to_contain_text("已检查，不合格 1 项")
    expect(desk.get_by_test_id("campaign-check-form")).to_have_count(0)


def seed_demo_incident(live) -> None:
    def run(session):
        from sqlalchemy import select

        from anxun.demo.incidents import seed_incidents
        from anxun.orgs.models import Enterprise

        hc = session.scalar(select(Enterprise).where(Enterprise.name == "宁波澄江化工有限公司"))
        seed_incidents(hc)
        session.commit()

    live.query(run)


def test_analogy_campaign_from_the_demo_incident_targets_the_same_industry(live, browser):
    seed_demo_incident(live)
    add_enterprise(live, "hc2", "宁波镇海精细化工有限公司", "hazardous_chemicals")

    desk = open_workspace(browser, live, "regulator-admin", "#/incidents")
    desk.get_by_test_id("incident-link").filter(has_text="装卸作业物料桶滑落砸伤").click()
    desk.get_by_test_id("analogy-causes").fill("叉车装卸作业有专人指挥\n物料桶装卸有防滑落措施")
    desk.get_by_test_id("analogy-start").click()
    launch = desk.get_by_test_id("campaign-launch")
    expect(launch).to_be_visible()
    # The notice quotes the case in neutral words: no enterprise named.
    screen = desk.locator('section.screen[data-screen="campaign"]')
    expect(screen).to_contain_text("物体打击")
    expect(screen).not_to_contain_text("宁波澄江化工有限公司")
    expect(screen).to_contain_text("（2 项）")
    launch.click()
    expect(desk.get_by_test_id("campaign-completion")).to_contain_text("0/1")
    enterprises = desk.get_by_test_id("campaign-enterprises")
    expect(enterprises).to_contain_text("宁波镇海精细化工有限公司")
    expect(enterprises).not_to_contain_text("宁波澄江化工有限公司")
    expect(enterprises).not_to_contain_text("宁波恒锐金属制品有限公司")


def agency_campaign_with_a_dust_sample(live) -> int:
    """A running campaign supervised by the demo agency under its engagement, dust drawn."""

    def run(session):
        from datetime import timedelta

        from sqlalchemy import select

        from anxun.campaigns import services
        from anxun.core import clock
        from anxun.orgs.models import Engagement, Enterprise
        from tests.factories_hazards import actor

        dust = session.scalar(
            select(Enterprise.id).where(Enterprise.name == "宁波恒锐金属制品有限公司")
        )
        engagement = session.scalar(select(Engagement.id))
        today = clock.today_local()
        days = [today + timedelta(days=n) for n in (0, 5, 6, 10, 11, 20)]
        names = ("self_check_start", "self_check_end", "supervision_start", "supervision_end")
        names += ("follow_up_start", "follow_up_end")
        admin = actor("regulator-admin")
        campaign = services.create_campaign(
            admin,
            {
                "title": "粉尘涉爆委托督导",
                "written_items": ITEMS,
                "targets": {"enterprise_ids": [dust]},
                "supervisor_kind": "agency",
                "engagement_id": engagement,
                **dict(zip(names, days, strict=True)),
            },
        )
        services.launch_campaign(admin, campaign)
        services.draw_sample(admin, campaign, {"stage": "supervision", "enterprise_ids": [dust]})
        session.commit()
        return campaign.id

    return live.query(run)


def test_the_engaged_agency_records_the_supervision_check_and_the_bureau_reads_it(live, browser):
    campaign_id = agency_campaign_with_a_dust_sample(live)

    bureau = open_workspace(browser, live, "regulator-admin", f"#/campaign/{campaign_id}")
    row = bureau.get_by_test_id("campaign-samples").locator(
        "tr", has_text="宁波恒锐金属制品有限公司"
    )
    expect(row).to_contain_text("由受委托机构检查")
    expect(row.get_by_role("button")).to_have_count(0)

    agency = open_workspace(browser, live, "auditor", "#/campaigns")
    expect(agency.get_by_test_id("campaign-form")).to_have_count(0)
    agency.get_by_test_id("campaign-link").filter(has_text="粉尘涉爆委托督导").click()
    row = agency.get_by_test_id("campaign-samples").locator(
        "tr", has_text="宁波恒锐金属制品有限公司"
    )
    row.get_by_role("button", name="录入督导检查").click()
    form = agency.get_by_test_id("campaign-check-form")
    form.get_by_test_id("check-result-C-01").select_option("fail")
    form.get_by_test_id("check-note-C-01").fill("卸灰口无锁气装置")
    form.get_by_test_id("check-result-C-02").select_option("na")
    form.get_by_test_id("campaign-check-submit").click()
    row = agency.get_by_test_id("campaign-samples").locator(
        "tr", has_text="宁波恒锐金属制品有限公司"
    )
    expect(row).to_contain_text(f"{ITEMS[0]}：未自查、督查不合格")
    expect(row).to_contain_text("已检查，不合格 1 项")

    bureau.reload()
    row = bureau.get_by_test_id("campaign-samples").locator(
        "tr", has_text="宁波恒锐金属制品有限公司"
    )
    expect(row).to_contain_text(f"{ITEMS[0]}：未自查、督查不合格")


def test_targets_by_size_and_an_enterprise_left_out_of_the_preview(live, browser):
    desk = open_workspace(browser, live, "regulator-admin", "#/campaigns")
    desk.get_by_test_id("campaign-title").fill("危化粉尘联合检查")
    desk.get_by_test_id("industry-hazardous_chemicals").check()
    desk.get_by_test_id("size-small").check()
    desk.get_by_test_id("campaign-preview-button").click()
    preview = desk.get_by_test_id("campaign-preview")
    expect(preview).to_have_text("符合条件的企业：1 家")  # the dust plant is small, hc medium
    desk.get_by_test_id("size-small").uncheck()
    desk.get_by_test_id("campaign-preview-button").click()
    expect(preview).to_have_text("符合条件的企业：2 家")
    desk.get_by_label("纳入 宁波澄江化工有限公司").uncheck()
    expect(preview).to_have_text("符合条件的企业：2 家，已排除 1 家")
    desk.get_by_test_id("campaign-save").click()
    desk.get_by_test_id("campaign-launch").click()
    expect(desk.get_by_test_id("campaign-completion")).to_contain_text("0/1")
    enterprises = desk.get_by_test_id("campaign-enterprises")
    expect(enterprises).to_contain_text("宁波恒锐金属制品有限公司")
    expect(enterprises).not_to_contain_text("宁波澄江化工有限公司")


def test_analogy_campaign_from_a_hazard_on_the_drill_down(live, browser):
    def run(session):
        from sqlalchemy import select

        from anxun.accounts.models import User
        from anxun.orgs.models import Enterprise
        from tests.factories_grading import make_hazard

        hc = session.scalar(select(Enterprise.id).where(Enterprise.name == "宁波澄江化工有限公司"))
        officer = session.scalar(select(User.id).where(User.username == "officer-hc"))
        make_hazard(hc, officer, "confirmed", title="液氨储罐区可燃气体报警仪未定期校验")
        session.commit()
        return hc

    hc = live.query(run)
    add_enterprise(live, "hc2", "宁波镇海精细化工有限公司", "hazardous_chemicals")

    desk = open_workspace(browser, live, "regulator-admin", f"#/enterprise/{hc}")
    desk.get_by_test_id("tab-hazards").click()
    desk.get_by_test_id("hazard-row").first.click()
    detail = desk.get_by_test_id("hazard-detail")
    causes = detail.get_by_test_id("analogy-causes")
    expect(causes).to_have_value("液氨储罐区可燃气体报警仪未定期校验")
    causes.fill("可燃和有毒气体报警仪按期校验并有记录")
    detail.get_by_test_id("analogy-start").click()
    launch = desk.get_by_test_id("campaign-launch")
    expect(launch).to_be_visible()
    screen = desk.locator('section.screen[data-screen="campaign"]')
    expect(screen).not_to_contain_text("宁波澄江化工有限公司")
    expect(screen).to_contain_text("（1 项）")
    launch.click()
    enterprises = desk.get_by_test_id("campaign-enterprises")
    expect(enterprises).to_contain_text("宁波镇海精细化工有限公司")
    expect(enterprises).not_to_contain_text("宁波澄江化工有限公司")
