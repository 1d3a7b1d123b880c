"""Enterprise drill-down in the regulator workspace: inspection flags and photo thumbnails, hazard
history, the four-colour risk map and the grade explanation, all loaded with the bearer token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e

CON = "宁波甬港建设工程有限公司"
FLAG = "定位距检查点约 850 米，超出 200 米。"


def seed_drilldown(live) -> dict:
    """hc gets a flagged inspection with a photo, a hazard raised by it with three history rows
    (three days overdue), and a site plan (the four-colour map's background)."""
    from anxun.accounts.models import User
    from anxun.core import clock
    from anxun.extensions import db
    from anxun.orgs.models import Enterprise
    from anxun.risk.map.services import create_site_plan
    from tests import factories_documents as f
    from tests import factories_riskmap as fm
    from tests.factories_hazards import actor

    with live.app.app_context():
        hc = db.session.query(Enterprise).filter_by(name="宁波澄江化工有限公司").one()
        users = {u.username: u.id for u in db.session.query(User)}
        officer = users["officer-hc"]
        photo = f.make_media(hc.id, officer, live.media_dir)
        inspection = f.make_inspection(
            hc.id,
            officer,
            f.hazchem_version(),
            [
                {"item_id": "HC-MAJ-01", "result": "pass"},
                {
                    "item_id": "HC-MAJ-02",
                    "result": "fail",
                    "note": "证件过期",
                    "media_ids": [photo.id],
                },
            ],
            finished_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
            flags=[{"code": "gps_far", "message": FLAG, "metres": 850.0}],
        )
        hazard = f.make_hazard(
            hc.id,
            officer,
            reported_at=datetime(2026, 11, 20, 2, 1, tzinfo=UTC),
            inspection_id=inspection.id,
            source="self_inspection",
            title="特种作业人员证件过期",
            media_ids=[str(photo.id)],
            checklist_version_id=f.hazchem_version().id,
            item_id="HC-MAJ-02",
            basis=[
                {"doc": "HC121", "clause": "第二项"},
                {"doc": "GB30871", "clause": "5.1.1~5.1.5"},
            ],
            steps=[
                (datetime(2026, 11, 20, 3, 0, tzinfo=UTC), "confirm", "confirmed"),
                (datetime(2026, 11, 21, 3, 0, tzinfo=UTC), "plan", "rectifying", "更换证件"),
            ],
            **f.general_plan(users["rectifier-hc"], clock.today_local() - timedelta(days=3)),
        )
        plan_image = fm.make_media(hc.id, officer)
        create_site_plan(
            actor("officer-hc"), hc.id, {"title": "厂区总平面图", "media_id": plan_image.id}
        )
        db.session.commit()
        return {"enterprise": hc.id, "hazard": str(hazard.id), "photo": str(photo.id)}


def test_regulator_drills_into_an_enterprise(browser, live):
    seeded = seed_drilldown(live)
    page = open_workspace(browser, live, "regulator", f"#/enterprise/{seeded['enterprise']}")
    page.get_by_test_id("screen-enterprise").wait_for()
    expect(page.get_by_test_id("enterprise-name")).to_have_text(re.compile("^宁波澄江化工有限公司"))
    expect(page.get_by_test_id("kpi-overdue").locator(".value")).to_have_text("1")
    expect(page.get_by_test_id("kpi-flagged").locator(".value")).to_have_text("1")

    # Inspections (the first tab): the flag text and the thumbnail, fetched with the token.
    flag = page.get_by_test_id("inspection-flag")
    flag.wait_for()
    expect(flag).to_have_text(FLAG)
    thumb = page.locator(f"img[data-testid=inspection-photo][data-media-id='{seeded['photo']}']")
    page.wait_for_function(
        "(img) => img.dataset.state === 'loaded' && img.naturalWidth > 0",
        arg=thumb.element_handle(),
    )
    expect(thumb).to_have_attribute("src", re.compile("^blob:"))
    # A failed item reads as its wording; the code stays in small print (issue #13).
    failed = page.get_by_test_id("failed-item")
    expect(failed).to_contain_text("特种作业人员")
    expect(failed).to_contain_text("证件过期")
    expect(failed.locator("small")).to_have_text("HC-MAJ-02")
    screenshot(page, "workspace-enterprise-inspections")

    # Hazards: the row opens the full history.
    page.get_by_test_id("tab-hazards").click()
    page.locator(f"tr[data-testid=hazard-row][data-id='{seeded['hazard']}']").click()
    page.get_by_test_id("hazard-history").wait_for()
    actions = page.locator("[data-testid=hazard-transition]").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.action)"
    )
    assert actions == ["report", "confirm", "plan"]
    expect(page.get_by_test_id("hazard-history")).to_contain_text("更换证件")
    # People's names, not account names; document names, the article only where verified.
    expect(page.get_by_test_id("hazard-history")).to_contain_text("陈海波")
    expect(page.get_by_test_id("hazard-history")).not_to_contain_text("(")
    expect(page.get_by_test_id("hazard-basis")).to_have_text(
        "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
        "（安监总管三〔2017〕121号）（条号待核）；"
        "《危险化学品企业特殊作业安全规范》（GB 30871—2022）5.1.1~5.1.5"
    )
    screenshot(page, "workspace-enterprise-hazards")
    expect(page.get_by_test_id("hazard-detail")).to_contain_text("已逾期")
    # No raw codes or account names anywhere on the drill-down (issue #13).
    for raw in ("reported", "confirmed", "rectifying", "officer-hc", "safety_officer", "HC121"):
        expect(page.get_by_test_id("screen-enterprise")).not_to_contain_text(raw)

    # Risk: the four-colour map image loads; the grade explanation and the (empty) register show.
    page.get_by_test_id("tab-risk").click()
    risk_map = page.get_by_test_id("risk-map")
    risk_map.wait_for()
    page.wait_for_function(
        "(img) => img.dataset.state === 'loaded' && img.naturalWidth > 0",
        arg=risk_map.element_handle(),
    )
    expect(page.get_by_test_id("grade-explanation")).to_contain_text("评为")
    # One truth for 在线运行率: the facts panel and the grade table give the same figure (or both
    # say there is no data), and the grade explains itself in words, not formulas.
    expect(page.get_by_test_id("grade-operation-period")).to_contain_text("在线运行率统计期：")
    online = page.get_by_test_id("grade-components").locator("tr", has_text="在线运行率")
    expect(online).to_have_count(1)
    facts = page.get_by_test_id("enterprise-facts").inner_text()
    shown = re.search(r"在线运行率（今日之前 30 天）\s*(\S+)", facts).group(1)
    if shown.startswith("无数据"):
        expect(online).to_contain_text("在线运行率无数据（不是 0%）")
    else:
        expect(online).to_contain_text(f"在线运行率 {shown.removesuffix('.0%').removesuffix('%')}")
    expect(page.get_by_test_id("screen-enterprise")).not_to_contain_text("max(")
    expect(page.get_by_test_id("risk-register")).to_contain_text("尚未建立风险分级管控清单")
    expect(page).to_have_url(re.compile(r"tab=risk"))
    screenshot(page, "workspace-enterprise-risk")


def test_out_of_jurisdiction_enterprise_shows_a_problem(browser, live):
    from anxun.orgs.models import Enterprise

    seeded = seed_drilldown(live)
    page = open_workspace(browser, live, "regulator-con", f"#/enterprise/{seeded['enterprise']}")
    problem = page.get_by_test_id("problem")
    problem.wait_for()
    expect(problem).to_contain_text("未找到该企业")

    # Its own enterprise, with nothing recorded yet: every section says so.
    con = live.query(lambda session: session.query(Enterprise.id).filter_by(name=CON).scalar())
    page.evaluate("(hash) => { location.hash = hash; }", f"#/enterprise/{con}")
    page.get_by_test_id("inspections-empty").wait_for()
    page.get_by_test_id("tab-hazards").click()
    expect(page.get_by_test_id("hazard-table")).to_contain_text("暂无隐患")
    page.get_by_test_id("tab-risk").click()
    page.get_by_test_id("risk-map-empty").wait_for()
